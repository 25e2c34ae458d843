import ArgumentParser
import DomicileAPI
import DomicileCore
import DomicileStore
import Foundation
import Logging
import NIOConcurrencyHelpers
import Postgres

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the read-only HTTP API and web console (see docs/api.md, docs/console.md and /openapi.yaml).",
        discussion: """
            Every route but /healthz, /readyz and /openapi.yaml needs a bearer token
            (`domicile token create`). The server acts as the read-only database role
            domicile_reader, so nothing can be written through it; the login must be a
            member of it (`domicile db grant-reader ROLE`). It refuses to start while
            migrations are pending. SIGTERM or Ctrl-C stops it after in-flight requests
            finish. One access-log line per request goes to standard error. It also runs
            against a hot standby, which cannot LISTEN: there it polls the replayed
            registry revision every --standby-poll-interval milliseconds, and switches to
            LISTEN once the standby is promoted (docs/operations.md).

            Example:
              domicile serve --host 0.0.0.0 --port 8080
              curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/v1/vendors

            The web console is at / (open http://127.0.0.1:8080/ in a browser and sign in
            with a token; English and Japanese; read-only like the API).
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("Address to listen on.", valueName: "address")) var host = "127.0.0.1"
    @Option(help: ArgumentHelp("TCP port to listen on (0 picks a free one and prints it).", valueName: "port")) var port = 8080
    @Option(name: .customLong("max-connections"), help: ArgumentHelp("Database connections at most (also the libpq threads).", valueName: "n"))
    var maxConnections = 4
    @Option(name: .customLong("request-timeout"), help: ArgumentHelp("Seconds a request may take before a 503.", valueName: "seconds"))
    var requestTimeout = 30
    @Option(name: .customLong("cache-entries"), help: ArgumentHelp("Rendered answers kept in memory per registry revision, at most (0 turns the cache off).", valueName: "n"))
    var cacheEntries = 4096
    @Option(name: .customLong("cache-bytes"), help: ArgumentHelp("Memory the kept answers may take: bytes, or with K, M or G (KiB, MiB, GiB), e.g. 256M; 0 turns the cache off. Least recently used answers go first; see docs/operations.md for sizing.", valueName: "size"))
    var cacheSize = "64M"
    @Option(name: .customLong("standby-poll-interval"), help: ArgumentHelp("On a hot standby (which cannot LISTEN): milliseconds between reads of the replayed registry revision; a write or a revoked token is seen this long after replay at most (see docs/operations.md).", valueName: "ms"))
    var standbyPollInterval = 100

    /// `--cache-bytes` in bytes, or `nil` when it is not a size.
    static func bytes(_ text: String) -> Int? {
        let upper = text.uppercased().replacingOccurrences(of: "IB", with: "").replacingOccurrences(of: "B", with: "")
        let multipliers: [Character: Int] = ["K": 1024, "M": 1_048_576, "G": 1_073_741_824]
        let (digits, multiplier) = upper.last.flatMap { multipliers[$0] }.map { (String(upper.dropLast()), $0) } ?? (upper, 1)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let number = Int(digits), number >= 0 else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : bytes
    }

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw InputError(Issue.invalid("port", String(port), expected: "a TCP port 0…65535, e.g. 8080"))
        }
        guard (1...64).contains(maxConnections) else {
            throw InputError(Issue.invalid("max-connections", String(maxConnections), expected: "1…64"))
        }
        guard (1...600).contains(requestTimeout) else {
            throw InputError(Issue.invalid("request-timeout", String(requestTimeout), expected: "1…600 seconds"))
        }
        guard (0...100_000).contains(cacheEntries) else {
            throw InputError(Issue.invalid("cache-entries", String(cacheEntries), expected: "0…100000"))
        }
        guard (10...60_000).contains(standbyPollInterval) else {
            throw InputError(Issue.invalid("standby-poll-interval", String(standbyPollInterval), expected: "10…60000 milliseconds, e.g. 100"))
        }
        guard let bytes = Self.bytes(cacheSize), bytes <= 64 * 1_073_741_824 else {
            throw InputError(Issue.invalid("cache-bytes", cacheSize, expected: "a size of 0 to 64G: bytes, or a number with K, M or G, e.g. 256M"))
        }
        _ = bytes
    }

    func run() throws {
        let migrator = Migrator(migrations: try database.migrations())
        let document = String(decoding: try ResourceLocator.file("docs/openapi.yaml"), as: UTF8.self)
        // Refuse to start on a database this build does not match (exit 2), or none (exit 3).
        do {
            let store = Store(connection: try database.connect())
            try store.requireMigrated(migrator)
            store.close()
        }
        let database = ReaderDatabase(
            conninfo: database.databaseURL, maximumConnections: maxConnections,
            statementTimeout: .seconds(requestTimeout))
        var configuration = APIConfiguration(
            host: host, port: port, openAPIDocument: document, migrator: migrator,
            requestTimeout: .seconds(requestTimeout), cacheEntries: cacheEntries, cacheBytes: Self.bytes(cacheSize) ?? APIConfiguration.defaultCacheBytes)
        configuration.standbyPollInterval = .milliseconds(standbyPollInterval)
        let configured = configuration
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        let logger = Logger(label: "domicile.api")
        try runBlocking {
            do {
                // The login must be able to act as the read-only role before anything is served.
                try await database.checkReader()
            } catch {
                try? await database.shutdown()
                throw error
            }
            let application = APIServer.buildApplication(configuration: configured, database: database, logger: logger) { port in
                // For scripts (and --port 0): where to reach the server, once it listens.
                FileHandle.standardOutput.write(Data("listening on http://\(configured.host):\(port)\n".utf8))
            }
            try await application.runService()
        }
    }
}

/// Runs async work from the synchronous command and waits for it (the main thread only
/// waits; the work runs on Swift's and NIO's own threads).
func runBlocking(_ operation: @escaping @Sendable () async throws -> Void) throws {
    let outcome = NIOLockedValueBox<(any Error)?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        do { try await operation() } catch { outcome.withLockedValue { $0 = error } }
        done.signal()
    }
    done.wait()
    if let error = outcome.withLockedValue({ $0 }) { throw error }
}
