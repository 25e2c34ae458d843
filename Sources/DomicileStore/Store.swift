import DomicileCore
import Foundation
import Postgres

/// The registry's SQL: every query and write Domicile makes goes through here.
///
/// Writes run in one transaction, as the least-privileged `domicile_writer` role when
/// the login may assume it, with the actor recorded for the audit trigger.
public struct Store {
    public let connection: Connection

    public init(connection: Connection) {
        self.connection = connection
    }

    /// Runs `body` in one transaction attributed to `actor`; everything or nothing is written.
    public func write<T>(actor: String, _ body: (Connection) throws -> T) throws -> T {
        try connection.transaction { connection in
            try connection.query(
                """
                SELECT set_config('domicile.actor', $1, true),
                       CASE WHEN pg_has_role(current_user, 'domicile_writer', 'MEMBER')
                            THEN set_config('role', 'domicile_writer', true) END
                """, [actor])
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
