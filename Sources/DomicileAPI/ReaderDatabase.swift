import DomicileCore
import DomicileStore
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import Postgres

/// The API's way to the database: a bounded pool of libpq connections, each acting as the
/// read-only role `domicile_reader`, with every libpq call on a dedicated thread pool (never
/// on an event loop or Swift's cooperative threads).
public final class ReaderDatabase: Sendable {
    /// The role every connection assumes: it can only read (and record a token's last use).
    public static let role = Store.readerRole

    let pool: ConnectionPool
    let maximumConnections: Int
    /// Where the pool connects (for the registry watch's own connection).
    let conninfo: String?
    let environment: [String: String]
    private let isShutDown = NIOLockedValueBox(false)
    private let calls = NIOLockedValueBox(0)
    private let trips = NIOLockedValueBox(0)

    /// How many times the database was asked (each `withStore` attempt, token checks and
    /// token-use bookkeeping included): an answer from memory leaves it unchanged.
    public var databaseCalls: Int { calls.withLockedValue { $0 } }

    /// How many statements (round trips) those calls made together: an answer read in one
    /// statement adds one.
    public var roundTrips: Int { trips.withLockedValue { $0 } }

    /// - Parameters:
    ///   - conninfo: URL or conninfo string; `nil` follows `DATABASE_URL`, then libpq's `PG*` variables.
    ///   - maximumConnections: the pool's bound (and the number of threads making libpq calls).
    ///   - statementTimeout: the server cancels any statement that runs longer.
    public init(
        conninfo: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        maximumConnections: Int = 4, statementTimeout: Duration = .seconds(10)
    ) {
        self.maximumConnections = maximumConnections
        self.conninfo = conninfo
        self.environment = environment
        pool = ConnectionPool(
            conninfo: conninfo, environment: environment, maximumConnections: maximumConnections,
            setup: { connection in try Store(connection: connection).actAsReader(statementTimeout: statementTimeout) })
    }

    /// Runs `body` with a store on a pooled connection.
    ///
    /// A connection the server dropped (a restart, a failover) is noticed only when it is
    /// next used; such a failure is retried on another connection, up to the pool's size,
    /// so callers see the database's state rather than a stale connection.
    public func withStore<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        var attempt = 0
        while true {
            calls.withLockedValue { $0 += 1 }
            do {
                return try await pool.withConnection { [trips] connection in
                    let before = connection.roundTrips
                    defer { trips.withLockedValue { $0 += connection.roundTrips - before } }
                    return try body(Store(connection: connection))
                }
            } catch let error as PostgresError where error.kind == .connection && attempt < maximumConnections {
                attempt += 1
            }
        }
    }

    /// Closes every connection and stops the thread pool (once; later calls do nothing).
    public func shutdown() async throws {
        let first = isShutDown.withLockedValue { done in
            defer { done = true }
            return !done
        }
        if first { try await pool.shutdown() }
    }
}

extension ReaderDatabase {
    /// Throws a clear error unless the login can act as `domicile_reader`.
    public func checkReader() async throws {
        do {
            try await withStore { store in _ = try store.revision() }
        } catch let error as PostgresError where error.sqlState == "42501" {
            throw InputError(
                Issue(code: "setup.not_reader", field: "database-url", value: nil,
                      message: "the database login cannot act as \(Self.role) (\(error.message)); run `domicile db grant-reader LOGIN` as the database owner"))
        }
    }
}
