import DomicileAPI
import DomicileCore
@testable import DomicileStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import NIOConcurrencyHelpers
import ServiceLifecycle
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The API under test: built by the same function `domicile serve` uses and listening on
/// a free loopback port, on a test database.
struct APITest {
    static let document = try! String(
        contentsOf: TestDatabase.repositoryRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)

    static func migrator() throws -> Migrator {
        Migrator(migrations: try Migration.load(from: TestDatabase.schemaDirectory))
    }

    /// Starts the API reading `url` through HummingbirdTesting (a live server on a free port,
    /// its services — the registry watch — running; AsyncHTTPClient as the client, so
    /// concurrent requests are concurrent), runs `body` with a client, then shuts the server
    /// down gracefully (which also closes its database connections).
    static func with<T: Sendable>(
        url: String, logs: LogCapture? = nil, cacheEntries: Int = 512, requestTimeout: Duration = .seconds(30),
        cache: ResponseCache? = nil, _ body: @escaping @Sendable (APIClient) async throws -> T
    ) async throws -> T {
        let database = ReaderDatabase(conninfo: url, environment: [:], maximumConnections: 2)
        let logs = logs ?? LogCapture()
        var logger = Logger(label: "domicile.api.test") { _ -> any LogHandler in LogCaptureHandler(capture: logs) }
        logger.logLevel = .trace
        var configuration = APIConfiguration(host: "127.0.0.1", port: 0, openAPIDocument: document, migrator: try migrator())
        configuration.cacheEntries = cacheEntries
        configuration.requestTimeout = requestTimeout
        let application = APIServer.buildApplication(configuration: configuration, database: database, logger: logger, cache: cache)
        do {
            let value = try await application.test(.ahc(.http)) { client in
                try await body(APIClient(client: client, database: database, logs: logs))
            }
            try? await database.shutdown()
            return value
        } catch {
            try? await database.shutdown()
            throw error
        }
    }

    /// A database with the reference seeds and the PERSONA example, as `domicile seed --example persona` leaves it.
    static func withPersona<T>(_ body: (TestDatabase) async throws -> T) async throws -> T {
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            _ = try Seeder(directory: TestDatabase.seedsDirectory).loadExample("persona", into: store, actor: "test")
            store.connection.close()
            return try await body(db)
        }
    }

    /// What `domicile ARGUMENTS` prints on `database` (a second path to the same answer).
    static func cli(_ arguments: [String], _ database: TestDatabase) async throws -> CommandResult {
        let url = database.url
        return try await offPool { try DomicileProcess.run(arguments, databaseURL: url) }
    }

    /// A token of `scope`, created through the store as `domicile token create` does.
    static func token(_ database: TestDatabase, name: String = "test", scope: TokenScope = .read, expires: Day? = nil) throws -> String {
        let store = try database.store()
        defer { store.connection.close() }
        return try store.createToken(name: name, scope: scope, expires: expires, actor: "test")
    }
}

/// What a test saw of one response.
struct Answer: Sendable {
    let status: Int
    /// Header names lower-cased.
    let headers: [String: String]
    let body: String

    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) }
    private var error: [String: Any]? { (json as? [String: Any])?["error"] as? [String: Any] }
    var errorCode: String? { error?["code"] as? String }
    var errorField: String? { error?["field"] as? String }
    var errorMessage: String? { error?["message"] as? String }
}

/// The test's HTTP client: HummingbirdTesting's, plus raw bytes over a loopback socket for
/// what no HTTP client sends (a malformed request line, an unknown method, oversized headers).
struct APIClient: Sendable {
    let client: any TestClientProtocol
    /// The server's database, whose `databaseCalls` shows whether an answer needed it.
    var database: ReaderDatabase? = nil
    /// The server's log.
    var logs: LogCapture? = nil

    /// Suspends until the server watches the registry revision (it connects in the
    /// background): from then on a repeated answer can come from memory.
    func untilWatching() async throws {
        for _ in 0..<12_000 {
            if logs?.all.contains(where: { $0.contains("watching registry revision") }) == true { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestDatabaseError("the server never started watching the registry revision")
    }

    /// How many times the server has asked its database so far.
    var databaseCalls: Int { database?.databaseCalls ?? -1 }

    func get(_ target: String, token: String? = nil, headers: [String: String] = [:]) async throws -> Answer {
        var headers = headers
        if let token { headers["Authorization"] = "Bearer " + token }
        return try await request("GET", target, headers: headers)
    }

    /// Asks again (every 20 ms, for at most 60 s) until `until` holds, and returns the last
    /// answer: the server learns of a commit by notification, a moment after it.
    func eventually(
        _ target: String, token: String? = nil, headers: [String: String] = [:], until: (Answer) -> Bool
    ) async throws -> Answer {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let answer = try await get(target, token: token, headers: headers)
            if until(answer) || ContinuousClock.now > deadline { return answer }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// One request through HummingbirdTesting's client.
    func request(_ method: String, _ target: String, headers: [String: String] = [:], body: String = "") async throws -> Answer {
        guard let method = HTTPRequest.Method(method) else { throw TestDatabaseError("not a method: \(method)") }
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let name = HTTPField.Name(name) else { throw TestDatabaseError("not a header name: \(name)") }
            fields[name] = value
        }
        let response = try await client.executeRequest(
            uri: target, method: method, headers: fields, body: body.isEmpty ? nil : ByteBuffer(string: body))
        var answerHeaders: [String: String] = [:]
        for field in response.headers { answerHeaders[field.name.canonicalName] = field.value }
        return Answer(status: Int(response.status.code), headers: answerHeaders, body: String(buffer: response.body))
    }

    /// One request written byte for byte over a new loopback connection (`Connection: close`).
    func raw(_ method: String, _ target: String, headers: [String: String] = [:], body: String = "") async throws -> Answer {
        guard let port = client.port else { throw TestDatabaseError("the test server has no port") }
        var text = "\(method) \(target) HTTP/1.1\r\nHost: localhost:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + body
        let request = text
        let raw = try await offPool { try Self.exchange(request, port: port) }
        return try Self.parse(raw)
    }

    private static func exchange(_ request: String, port: Int) throws -> [UInt8] {
        let descriptor = try connectToLocalhost(port: port)
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw TestDatabaseError("send failed") }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        return received
    }

    /// A socket connected to `localhost:port`, whichever address (IPv4 or IPv6) the server took.
    private static func connectToLocalhost(port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo("localhost", String(port), &hints, &list) == 0 else { throw TestDatabaseError("cannot resolve localhost") }
        defer { freeaddrinfo(list) }
        var next = list
        while let info = next {
            let descriptor = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if descriptor >= 0 {
                if connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return descriptor }
                close(descriptor)
            }
            next = info.pointee.ai_next
        }
        throw TestDatabaseError("cannot connect to localhost:\(port)")
    }

    private static func parse(_ raw: [UInt8]) throws -> Answer {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, raw.count - 3)).first(where: { Array(raw[$0..<$0 + 4]) == separator }) else {
            throw TestDatabaseError("no HTTP response head in \(raw.count) bytes")
        }
        let head = String(decoding: raw[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = head[0].split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw TestDatabaseError("bad status line \(head[0])") }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(raw[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return Answer(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    private static func dechunk(_ data: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < data.count {
            guard let lineEnd = (index..<data.count - 1).first(where: { data[$0] == 13 && data[$0 + 1] == 10 }) else { break }
            let size = Int(String(decoding: data[index..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
            if size == 0 { break }
            let start = lineEnd + 2
            result += data[start..<min(start + size, data.count)]
            index = start + size + 2
        }
        return result
    }
}

/// Every log line the API wrote, with its metadata, for assertions.
final class LogCapture: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])

    func append(_ line: String) { lines.withLockedValue { $0.append(line) } }
    var all: [String] { lines.withLockedValue { $0 } }
}

struct LogCaptureHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        capture.append("\(event.level) \(event.message) " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    }
}
