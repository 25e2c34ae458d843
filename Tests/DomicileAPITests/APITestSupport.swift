import DomicileAPI
import DomicileCore
@testable import DomicileStore
import Foundation
import Logging
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

    /// Starts the API reading `url`, runs `body` with a client, then shuts the server down
    /// gracefully (which also closes its database connections).
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
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let application = APIServer.buildApplication(configuration: configuration, database: database, logger: logger, cache: cache) { port in
            listening.yield(port)
            listening.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            do {
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next() else { throw TestDatabaseError("the API did not start") }
                let value = try await body(APIClient(port: port, database: database, logs: logs))
                await group.triggerGracefulShutdown()
                while try await tasks.next() != nil {}
                return value
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                try? await database.shutdown()
                throw error
            }
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

/// A minimal HTTP/1.1 client over a loopback socket (one request per connection), so the
/// tests exercise the real server without an HTTP client library.
struct APIClient: Sendable {
    let port: Int
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

    func request(_ method: String, _ target: String, headers: [String: String] = [:], body: String = "") async throws -> Answer {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + body
        let request = text
        let port = self.port
        let raw = try await offPool { try Self.exchange(request, port: port) }
        return try Self.parse(raw)
    }

    private static func exchange(_ request: String, port: Int) throws -> [UInt8] {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw TestDatabaseError("socket() failed") }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestDatabaseError("cannot connect to 127.0.0.1:\(port)") }
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
