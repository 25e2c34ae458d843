import DomicileCore
import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Migrations")
struct MigrationTests {
    struct Recorded: Equatable {
        var version: Int
        var name: String
        var sha256: String
        var appliedAt: String
    }

    static func recorded(_ connection: Connection) throws -> [Recorded] {
        try connection.query("SELECT version, name, sha256, applied_at::text AS at FROM schema_migrations ORDER BY version")
            .rows.map { row in
                Recorded(
                    version: try row.decode(Int.self, "version"), name: try row.decode(String.self, "name"),
                    sha256: try row.decode(String.self, "sha256"), appliedAt: try row.decode(String.self, "at"))
            }
    }

    static func tableExists(_ name: String, _ connection: Connection) throws -> Bool {
        try connection.query("SELECT to_regclass($1) IS NOT NULL AS present", [name]).first?.decode(Bool.self, "present")
            ?? false
    }

    static func realMigrations() throws -> [Migration] {
        try Migration.load(from: TestDatabase.schemaDirectory)
    }

    /// A temporary schema directory holding the real migrations plus `extra` files; removed afterwards.
    @discardableResult
    static func withSchemaDirectory<T>(
        extra: [String: String], includeReal: Bool = true, _ body: (URL) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("domicile-schema-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        if includeReal {
            for file in try FileManager.default.contentsOfDirectory(atPath: TestDatabase.schemaDirectory.path) {
                try FileManager.default.copyItem(
                    at: TestDatabase.schemaDirectory.appendingPathComponent(file), to: directory.appendingPathComponent(file))
            }
        }
        for (file, sql) in extra {
            try sql.write(to: directory.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        return try await body(directory)
    }

    /// Runs blocking work on a thread of its own (not the cooperative pool).
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async -> Result<T, any Error> {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Result { try body() }) }.start()
        }
    }

    // MARK: Fresh database

    @Test("Migrating an empty database applies every migration from 0001 and records version, checksum and time")
    func freshDatabase() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            let migrations = try Self.realMigrations()
            let file = try #require(migrations.first)
            let before = try #require(try connection.query("SELECT clock_timestamp() AS t").first?.decode(Date.self, "t"))

            let applied = try Migrator(migrations: migrations).migrate(on: connection)

            let after = try #require(try connection.query("SELECT clock_timestamp() AS t").first?.decode(Date.self, "t"))
            #expect(applied.map(\.version) == migrations.map(\.version))
            #expect(file.version == 1 && file.name == "domain")
            let rows = try connection.query("SELECT version, name, sha256, applied_at FROM schema_migrations ORDER BY version").rows
            #expect(rows.count == migrations.count)
            let row = try #require(rows.first)
            #expect(try row.decode(Int.self, "version") == 1)
            #expect(try row.decode(String.self, "name") == "domain")
            #expect(try row.decode(String.self, "sha256") == file.sha256)
            let appliedAt = try row.decode(Date.self, "applied_at")
            #expect(appliedAt >= before && appliedAt <= after, "\(appliedAt) not in [\(before), \(after)]")
            // The checksum is the SHA-256 of the file's bytes, computed independently by the server.
            let fileText = try String(contentsOf: TestDatabase.schemaDirectory.appendingPathComponent("0001_domain.sql"), encoding: .utf8)
            let serverHash = try connection.query("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex') AS h", [fileText])
                .first?.decode(String.self, "h")
            #expect(serverHash == file.sha256)
            // The schema itself is there.
            for table in ["country", "vendor", "residency", "audit_log", "registry_revision"] {
                #expect(try Self.tableExists(table, connection), "\(table)")
            }

            let status = try Migrator(migrations: migrations).status(on: connection)
            #expect(status.applied.map(\.version) == migrations.map(\.version))
            #expect(status.applied.first?.sha256 == file.sha256)
            #expect(status.applied.first?.name == "domain")
            #expect(status.pending.isEmpty)
        }
    }

    @Test("Status on an empty database lists every migration as pending and applies nothing")
    func statusOnEmptyDatabase() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()

            let status = try Migrator(migrations: try Self.realMigrations()).status(on: connection)

            #expect(status.applied.isEmpty)
            #expect(status.pending.map(\.version) == (try Self.realMigrations()).map(\.version))
            #expect(status.pending.first?.version == 1)
            #expect(try Self.tableExists("vendor", connection) == false)
        }
    }

    @Test("Running migrate again is a no-op")
    func rerunIsNoOp() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try Migrator(migrations: try Self.realMigrations()).migrate(on: connection)
            let before = try Self.recorded(connection)

            let second = try Migrator(migrations: try Self.realMigrations()).migrate(on: try db.connect())

            #expect(second.isEmpty)
            #expect(try Self.recorded(connection) == before)
            #expect(before.count == (try Self.realMigrations()).count)
        }
    }

    // MARK: Changed and pending files

    @Test("An applied file that changed is refused, and nothing else is applied")
    func changedFileIsRefused() async throws {
        try await TestDatabase.with(.migrated) { db in
            let connection = try db.connect()
            let original = try #require(try Self.realMigrations().first)
            let before = try Self.recorded(connection)
            let edited = Migration(version: 1, name: original.name, sql: original.sql + "\n-- edited after it was applied\n")
            let next = Migration(version: 2, name: "should_not_run", sql: "CREATE TABLE should_not_exist (x int)")

            let error = #expect(throws: StoreError.self) {
                try Migrator(migrations: [edited, next]).migrate(on: connection)
            }

            guard case .migrationChanged(let version, let name, let applied, let current) = error else {
                Issue.record("expected migrationChanged, got \(String(describing: error))")
                return
            }
            #expect(version == 1)
            #expect(name == "domain")
            #expect(applied == original.sha256)
            #expect(current == edited.sha256)
            #expect(error?.description.contains("0001_domain.sql") == true)
            #expect(try Self.tableExists("should_not_exist", connection) == false)
            #expect(try Self.recorded(connection) == before)
        }
    }

    @Test("Status reports a changed file through verify")
    func statusDetectsChange() async throws {
        try await TestDatabase.with(.migrated) { db in
            let connection = try db.connect()
            let real = try Self.realMigrations()
            let original = try #require(real.first)
            let migrator = Migrator(migrations: [Migration(version: 1, name: "domain", sql: original.sql + " ")] + real.dropFirst())

            let status = try migrator.status(on: connection)

            #expect(status.pending.isEmpty)
            #expect(throws: StoreError.self) { try migrator.verify(status.applied) }
            #expect(throws: Never.self) { try Migrator(migrations: real).verify(status.applied) }
        }
    }

    @Test("A database with a migration this checkout lacks is refused")
    func missingFileIsRefused() async throws {
        try await TestDatabase.with(.migrated) { db in
            let connection = try db.connect()

            let error = #expect(throws: StoreError.self) { try Migrator(migrations: []).migrate(on: connection) }

            guard case .migrationMissing(let version, _) = error else {
                Issue.record("expected migrationMissing, got \(String(describing: error))")
                return
            }
            #expect(version == 1)
        }
    }

    @Test("Pending migrations from a schema directory are applied after 0001, in version order")
    func pendingAppliedInOrder() async throws {
        // 9003 depends on 9002; applying them out of order would fail.
        let extra = [
            "9003_add_note.sql": "ALTER TABLE migration_probe ADD COLUMN note text NOT NULL DEFAULT 'three';",
            "9002_probe.sql": "CREATE TABLE migration_probe (id int PRIMARY KEY);",
        ]
        try await Self.withSchemaDirectory(extra: extra) { directory in
            try await TestDatabase.with(.migrated) { db in
                let connection = try db.connect()
                let migrations = try Migration.load(from: directory)
                let real = try Self.realMigrations().map(\.version)
                #expect(migrations.map(\.version) == real + [9002, 9003])

                let applied = try Migrator(migrations: migrations.reversed()).migrate(on: connection)

                #expect(applied.map(\.version) == [9002, 9003])
                #expect(applied.map(\.name) == ["probe", "add_note"])
                let recorded = try Self.recorded(connection)
                #expect(recorded.map(\.version) == real + [9002, 9003])
                #expect(recorded.map(\.sha256) == migrations.map(\.sha256))
                try connection.query("INSERT INTO migration_probe (id) VALUES (1)")
                #expect(try connection.query("SELECT note FROM migration_probe").first?.decode(String.self, "note") == "three")
                #expect(try Migrator(migrations: migrations).status(on: connection).pending.isEmpty)
            }
        }
    }

    @Test("A failing migration is rolled back, recorded nowhere, and releases the lock")
    func failingMigrationRollsBack() async throws {
        let extra = ["9002_half_done.sql": "CREATE TABLE half_done (x int);\nSELECT 1 / 0;"]
        try await Self.withSchemaDirectory(extra: extra) { directory in
            try await TestDatabase.with(.migrated) { db in
                let connection = try db.connect()
                let migrator = Migrator(migrations: try Migration.load(from: directory))

                let error = #expect(throws: PostgresError.self) { try migrator.migrate(on: connection) }

                #expect(error?.sqlState == "22012")
                #expect(try Self.tableExists("half_done", connection) == false)
                #expect(try Self.recorded(connection).map(\.version) == (try Self.realMigrations()).map(\.version))
                #expect(try migrator.status(on: try db.connect()).pending.map(\.version) == [9002])
                // The migration lock was released, so the next run will not wait forever.
                let locks = try connection.query(
                    """
                    SELECT count(*) AS n FROM pg_locks
                    WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                    """)
                #expect(try locks.first?.decode(Int.self, "n") == 0)
            }
        }
    }

    // MARK: Concurrency

    @Test("Two concurrent runs serialize: the second waits for the first's lock, then applies nothing")
    func concurrentRunsSerialize() async throws {
        // 9002 waits for an advisory lock the test holds, so the first run stays inside it
        // (holding the migration lock) for as long as the test wants.
        let gateKey: Int64 = 4_242_4242
        let extra = ["9002_gated.sql": "SELECT pg_advisory_xact_lock(\(gateKey));\nCREATE TABLE gated_done (x int);"]
        try await Self.withSchemaDirectory(extra: extra) { directory in
            try await TestDatabase.withEmpty { db in
                let migrations = try Migration.load(from: directory)
                let observer = try db.connect()
                try observer.query("SELECT pg_advisory_lock($1)", [gateKey])
                let first = try db.connect()
                let second = try db.connect()
                let pid = { (connection: Connection) in
                    try #require(try connection.query("SELECT pg_backend_pid() AS pid").first?.decode(Int.self, "pid"))
                }
                let pids = [try pid(first), try pid(second)]

                async let a = Self.onThread { try Migrator(migrations: migrations).migrate(on: first).map(\.version) }
                async let b = Self.onThread { try Migrator(migrations: migrations).migrate(on: second).map(\.version) }

                // Wait for the event, not for time: one run is blocked inside 9002 on the
                // test's lock, the other is blocked on the migration lock that run holds.
                var inside: Int?
                var queued: Int?
                do {
                    for _ in 0..<12_000 {
                        let waiting = try observer.query(
                            """
                            SELECT w.pid, (w.classid::bigint << 32 | w.objid::bigint) = $1 AS on_gate,
                                   (SELECT string_agg(h.pid::text, ',') FROM pg_locks h
                                    WHERE h.granted AND h.locktype = 'advisory' AND h.database = w.database
                                      AND h.classid = w.classid AND h.objid = w.objid AND h.objsubid = w.objsubid) AS holders
                            FROM pg_locks w
                            WHERE NOT w.granted AND w.locktype = 'advisory' AND w.pid IN ($2, $3)
                            """, [gateKey, pids[0], pids[1]]
                        ).rows.map { (try $0.decode(Int.self, "pid"), try $0.decode(Bool.self, "on_gate"), try $0.decode(String?.self, "holders")) }
                        inside = waiting.first(where: { $0.1 })?.0
                        queued = waiting.first(where: { !$0.1 && $0.2 == inside.map(String.init) })?.0
                        if inside != nil, queued != nil { break }
                        try await Task.sleep(for: .milliseconds(10))
                    }
                } catch {
                    _ = try? observer.query("SELECT pg_advisory_unlock($1)", [gateKey])
                    _ = await (a, b)
                    throw error
                }
                try observer.query("SELECT pg_advisory_unlock($1)", [gateKey])
                let applying = try #require(inside, "no run reached 9002")
                let waiter = try #require(queued, "the other run was not seen waiting for the migration lock held by the first")
                #expect(Set([applying, waiter]) == Set(pids))

                let applied = [try await a.get(), try await b.get()]
                let byPid = [pids[0]: applied[0], pids[1]: applied[1]]

                let expected = try Self.realMigrations().map(\.version) + [9002]
                #expect(byPid[applying] == expected)
                #expect(byPid[waiter] == [], "the run that waited found everything applied")
                let counts = try observer.query("SELECT version, count(*) AS n FROM schema_migrations GROUP BY version ORDER BY version")
                    .rows.map { (try $0.decode(Int.self, "version"), try $0.decode(Int.self, "n")) }
                #expect(counts.map(\.0) == expected)
                #expect(counts.allSatisfy { $0.1 == 1 })
                #expect(try Self.tableExists("gated_done", observer))
            }
        }
    }

    // MARK: Loading files

    @Test(
        "A badly named migration file is rejected with an input error naming it",
        arguments: ["2_short.sql", "0002.sql", "00a2_letters.sql", "20250101_dated.sql", "0002-dash.sql"])
    func badFileName(file: String) async throws {
        try await Self.withSchemaDirectory(extra: [file: "SELECT 1;"]) { directory in
            let error = #expect(throws: InputError.self) { try Migration.load(from: directory) }

            let issue = try #require(error?.issues.first)
            #expect(issue.value == file)
            #expect(issue.message.contains(file), "\(issue.message)")
            #expect(error?.description.contains(file) == true)
        }
    }

    @Test("Loading reads only .sql files, in version order, and refuses duplicate versions")
    func loadingRules() async throws {
        try await Self.withSchemaDirectory(
            extra: ["README.md": "not a migration", "9010_ten.sql": "SELECT 10;", "9009_nine.sql": "SELECT 9;"]
        ) { directory in
            let migrations = try Migration.load(from: directory)
            #expect(migrations.map(\.version) == (try Self.realMigrations()).map(\.version) + [9009, 9010])
            #expect(migrations.last?.sql == "SELECT 10;")
            #expect(migrations.last?.sha256 == Migration(version: 9010, name: "x", sql: "SELECT 10;").sha256)
        }
        try await Self.withSchemaDirectory(extra: ["0001_again.sql": "SELECT 1;"]) { directory in
            #expect(throws: InputError.self) { try Migration.load(from: directory) }
        }
        let nowhere = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-dir-" + UUID().uuidString)
        #expect(throws: InputError.self) { try Migration.load(from: nowhere) }
    }

    @Test("The checksum is the lowercase hex SHA-256 of the SQL text")
    func checksum() {
        // sha256("") and sha256("abc"), from FIPS 180-2.
        #expect(Migration(version: 1, name: "e", sql: "").sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Migration(version: 1, name: "a", sql: "abc").sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
