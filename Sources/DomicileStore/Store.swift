import DomicileCore
import Foundation
import Postgres

/// The registry's SQL: every query and write Domicile makes goes through here.
///
/// Writes run in one transaction, as the least-privileged `domicile_writer` role when
/// the login may assume it, with the actor recorded for the audit trigger.
public struct Store: Sendable {
    /// Not public: other modules ask the store, never the connection (tests import it
    /// `@testable`).
    let connection: Connection

    public init(connection: Connection) {
        self.connection = connection
    }

    /// Arbitrary constant: the transaction-level advisory lock every registry write holds.
    static let writeLockKey: Int64 = 0x444F_4D49_5752_4954

    /// Runs `body` in one transaction attributed to `actor`; everything or nothing is written.
    ///
    /// Registry writes are serialized by an advisory lock taken first, so what `body` reads
    /// (the stored record it edits, the plan of an import) is still true when it writes:
    /// two people editing the same vendor cannot undo each other. Writes are rare and short,
    /// so waiting is cheap. Nested calls run in a savepoint of the outer transaction.
    public func write<T>(actor: String, _ body: (Connection) throws -> T) throws -> T {
        let outermost = !connection.isInTransaction
        return try connection.transaction { connection in
            if outermost {
                // Each statement must see what committed before the lock was granted, whatever
                // the server's default isolation.
                try connection.unsafeExecuteScript("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            }
            try connection.query(
                """
                SELECT pg_advisory_xact_lock($2),
                       set_config('domicile.actor', $1, true),
                       CASE WHEN pg_has_role(current_user, 'domicile_writer', 'MEMBER')
                            THEN set_config('role', 'domicile_writer', true) END
                """, [actor, Self.writeLockKey])
            return try body(connection)
        }
    }

    /// Runs `body` in a read-only transaction, so a report sees one consistent registry.
    public func read<T>(_ body: (Connection) throws -> T) throws -> T {
        try connection.transaction { connection in
            try connection.unsafeExecuteScript("SET TRANSACTION READ ONLY")
            return try body(connection)
        }
    }

    /// Throws `StoreError.notMigrated` unless every migration of `migrator` is applied.
    public func requireMigrated(_ migrator: Migrator) throws {
        let status = try migrator.status(on: connection)
        if !status.pending.isEmpty { throw StoreError.notMigrated(pending: status.pending.count) }
        try migrator.verify(status.applied)
    }

    /// The registry revision: a counter every write bumps.
    public func revision() throws -> Int64 {
        try connection.query("SELECT revision FROM registry_revision").first?.decode(Int64.self, "revision") ?? 0
    }
}
