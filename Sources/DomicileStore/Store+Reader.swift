import DomicileCore
import Foundation
import Postgres

/// What the read-only HTTP API asks of the database, so that it runs no SQL of its own:
/// acting as the reader role, consistent reads with their revision, readiness, and the
/// revision notifications its cache follows.
extension Store {
    /// The role the API's connections assume: it can only read (and record a token's last use).
    public static let readerRole = "domicile_reader"

    /// The channel every registry write notifies at commit (migration 0007).
    public static let revisionChannel = "registry_revision"

    /// Closes the store's connection (it cannot be used afterwards).
    public func close() {
        connection.close()
    }

    /// Makes this session act as `domicile_reader`, and sets a statement timeout if given.
    public func actAsReader(statementTimeout: Duration? = nil) throws {
        // Fixed text only: the role is a constant and the timeout an integer.
        var script = "SET ROLE \(Self.readerRole)"
        if let statementTimeout {
            let milliseconds = statementTimeout.components.seconds * 1000 + statementTimeout.components.attoseconds / 1_000_000_000_000_000
            script += "; SET statement_timeout = \(milliseconds)"
        }
        try connection.unsafeExecuteScript(script)
    }

    /// Runs `body` in one read-only, repeatable-read transaction and returns what it built
    /// with the registry revision it saw: every query of `body` sees that revision.
    public func readSnapshot<T>(_ body: (Store) throws -> T) throws -> (revision: Int64, value: T) {
        try read { connection in
            try connection.unsafeExecuteScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            let revision = try revision()
            return (revision, try body(self))
        }
    }

    /// How the database's schema compares with the migrations this build expects.
    public enum SchemaState: Sendable, Equatable {
        case current
        /// This many migrations are not applied yet.
        case pending(Int)
        /// An applied migration differs from (or is missing in) this build.
        case mismatch
    }

    /// The schema's state against `migrator` (for readiness).
    public func schemaState(_ migrator: Migrator) throws -> SchemaState {
        let status = try migrator.status(on: connection)
        do { try migrator.verify(status.applied) } catch { return .mismatch }
        return status.pending.isEmpty ? .current : .pending(status.pending.count)
    }

    /// Subscribes this session to revision notifications (`revisionChanges(waitingAtMost:)`).
    /// Subscribe first, then read the revision: a commit in between is both seen and notified.
    public func listenForRevisions() throws {
        try connection.listen(Self.revisionChannel)
    }

    /// Waits at most `timeout` for notifications (blocking); whether any arrived. A
    /// notification only says "look again": read `revision()`, never trust its payload.
    public func revisionChanged(waitingAtMost timeout: Duration) throws -> Bool {
        try !connection.notifications(waitingAtMost: timeout).isEmpty
    }
}

extension Store {
    /// Opens a connection of its own (blocking): `conninfo` as libpq takes it, `nil` for
    /// `DATABASE_URL`, then libpq's `PG*` variables in `environment`.
    public static func connect(conninfo: String?, environment: [String: String]) throws -> Store {
        Store(connection: try Connection(conninfo: conninfo, environment: environment))
    }
}
