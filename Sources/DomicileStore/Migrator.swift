import Crypto
import DomicileCore
import Foundation
import Postgres

/// One file of `schema/`: `NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String
    public let sha256: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        sha256 = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads every `NNNN_name.sql` file of `directory`, in version order.
    public static func load(from directory: URL) throws -> [Migration] {
        try load(from: .directory(directory))
    }

    /// Reads every `NNNN_name.sql` file at the top of `source`, in version order.
    public static func load(from source: FileSource) throws -> [Migration] {
        let files: [String]
        do {
            files = try source.names(in: "")
        } catch {
            throw InputError(Issue.invalid("schema directory", source.describe(""), expected: "a readable directory of NNNN_name.sql files"))
        }
        var migrations: [Migration] = []
        for file in files.sorted() where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            let parts = stem.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]) else {
                throw InputError(Issue.invalid("migration file name", file, expected: "NNNN_name.sql, e.g. 0002_add_index.sql"))
            }
            guard let bytes = source.contents(file), let sql = String(bytes: bytes, encoding: .utf8) else {
                throw InputError(Issue.invalid("migration file", source.describe(file), expected: "a readable UTF-8 text file"))
            }
            migrations.append(Migration(version: version, name: String(parts[1]), sql: sql))
        }
        let byVersion = Dictionary(grouping: migrations, by: \.version)
        if let (version, files) = byVersion.first(where: { $0.value.count > 1 }) {
            let names = files.map { String(format: "%04d", version) + "_" + $0.name + ".sql" }.sorted()
            throw InputError(Issue.invalid("migration version", names.joined(separator: ", "), expected: "one file per version"))
        }
        return migrations
    }
}

/// A migration recorded in `schema_migrations`.
public struct AppliedMigration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sha256: String
    public let appliedAt: Date
}

public struct MigrationStatus: Sendable {
    public let applied: [AppliedMigration]
    public let pending: [Migration]
}

/// Applies `schema/` forward-only: each pending file in its own transaction, all under
/// one advisory lock so concurrent runs serialize, refusing to run when an applied file
/// has changed since it was applied.
public struct Migrator: Sendable {
    /// Arbitrary constant shared by every Domicile process ("DOMICILE" in ASCII-ish).
    static let advisoryLockKey: Int64 = 0x444F_4D49_4349_4C45

    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Reads what is applied; writes nothing (a fresh database simply has everything pending).
    public func status(on connection: Connection) throws -> MigrationStatus {
        let applied: [AppliedMigration]
        if connection.isInTransaction {
            // A failed statement would abort the transaction: ask whether the table exists first.
            let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present").first?
                .decode(Bool.self, "present") ?? false
            applied = exists ? try appliedMigrations(on: connection) : []
        } else {
            // One round trip for every command that checks the schema: no table (42P01, undefined_table) is nothing applied.
            do {
                applied = try appliedMigrations(on: connection)
            } catch let error as PostgresError where error.sqlState == "42P01" {
                applied = []
            }
        }
        let appliedVersions = Set(applied.map(\.version))
        return MigrationStatus(applied: applied, pending: migrations.filter { !appliedVersions.contains($0.version) })
    }

    /// Applies what is pending and returns it (empty when up to date).
    @discardableResult
    public func migrate(on connection: Connection) throws -> [Migration] {
        try connection.query("SELECT pg_advisory_lock($1)", [Self.advisoryLockKey])
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", [Self.advisoryLockKey]) }
        try ensureTable(on: connection)
        let applied = try appliedMigrations(on: connection)
        try verify(applied)
        let appliedVersions = Set(applied.map(\.version))
        let pending = migrations.filter { !appliedVersions.contains($0.version) }
        for migration in pending {
            try connection.transaction { connection in
                try connection.unsafeExecuteScript(migration.sql)
                try connection.query(
                    "INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)",
                    [migration.version, migration.name, migration.sha256])
            }
        }
        return pending
    }

    /// Throws `StoreError.migrationChanged` when a file differs from what was applied.
    public func verify(_ applied: [AppliedMigration]) throws {
        let files = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for record in applied {
            guard let file = files[record.version] else {
                throw StoreError.migrationMissing(version: record.version, name: record.name)
            }
            if file.sha256 != record.sha256 {
                throw StoreError.migrationChanged(
                    version: record.version, name: record.name, applied: record.sha256, current: file.sha256)
            }
        }
    }

    private func ensureTable(on connection: Connection) throws {
        try connection.unsafeExecuteScript(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                sha256     text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }

    private func appliedMigrations(on connection: Connection) throws -> [AppliedMigration] {
        try connection.query("SELECT version, name, sha256, applied_at FROM schema_migrations ORDER BY version")
            .rows.map { row in
                AppliedMigration(
                    version: try row.decode(Int.self, "version"),
                    name: try row.decode(String.self, "name"),
                    sha256: try row.decode(String.self, "sha256"),
                    appliedAt: try row.decode(Date.self, "applied_at"))
            }
    }
}
