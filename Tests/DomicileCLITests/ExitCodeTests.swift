import Foundation
import TestSupport
import Testing

@Suite("domicile exit codes")
struct ExitCodeTests {
    static let unreachable = "postgresql://postgres@127.0.0.1:1/domicile"

    @Test("migrate against an unreachable server exits 3 with one line naming host:port")
    func unreachableExitsThree() async throws {
        let viaFlag = try await CLIRunner.run(["migrate", "--database-url", Self.unreachable])
        let viaEnvironment = try await CLIRunner.run(["migrate"], environment: ["DATABASE_URL": Self.unreachable])

        for result in [viaFlag, viaEnvironment] {
            #expect(result.status == 3, "\(result)")
            #expect(result.stderrLines.count == 1, "\(result)")
            #expect(result.stderr.contains("127.0.0.1:1"), "\(result)")
            #expect(result.stderr.localizedCaseInsensitiveContains("refused"), "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
        }
    }

    @Test("--version prints the version and exits 0 without touching a database")
    func version() async throws {
        let result = try await CLIRunner.run(["--version"], environment: ["DATABASE_URL": Self.unreachable])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0", "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
    }

    @Test("serve refuses --cache-entries out of range with exit 2 naming the option")
    func serveCacheEntries() async throws {
        let result = try await CLIRunner.run(["serve", "--cache-entries", "100001"], environment: ["DATABASE_URL": Self.unreachable])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("cache-entries"), "\(result)")
    }

    @Test("migrate on an empty database exits 0 and applies 0001; a second run says it is up to date")
    func migrateThenUpToDate() async throws {
        try await TestDatabase.withEmpty { db in
            let first = try await CLIRunner.run(["migrate"], environment: ["DATABASE_URL": db.url])
            #expect(first.status == 0, "\(first)")
            #expect(first.stdout.contains("0001_domain.sql"), "\(first)")
            #expect(first.stderr.isEmpty, "\(first)")
            let connection = try db.connect()
            let versions = try connection.query("SELECT version FROM schema_migrations ORDER BY version").rows.map { try $0.decode(Int.self, "version") }
            let files = try FileManager.default.contentsOfDirectory(atPath: TestDatabase.schemaDirectory.path)
                .filter { $0.hasSuffix(".sql") }.compactMap { Int($0.prefix(4)) }.sorted()
            #expect(versions == files && versions.first == 1)

            let second = try await CLIRunner.run(["migrate", "--database-url", db.url])
            #expect(second.status == 0, "\(second)")
            #expect(second.stdout.contains("up to date"), "\(second)")
            #expect(!second.stdout.contains("applied  0001"), "\(second)")
        }
    }

    @Test("migrate --status lists pending before and applied after")
    func statusListsMigrations() async throws {
        try await TestDatabase.withEmpty { db in
            let before = try await CLIRunner.run(["migrate", "--status"], environment: ["DATABASE_URL": db.url])
            #expect(before.status == 0, "\(before)")
            #expect(before.stdoutLines.contains { $0.hasPrefix("pending") && $0.contains("0001_domain.sql") }, "\(before)")

            _ = try await CLIRunner.run(["migrate"], environment: ["DATABASE_URL": db.url])
            let after = try await CLIRunner.run(["migrate", "--status"], environment: ["DATABASE_URL": db.url])
            #expect(after.status == 0, "\(after)")
            #expect(after.stdoutLines.contains { $0.hasPrefix("applied") && $0.contains("0001_domain.sql") }, "\(after)")
            #expect(!after.stdout.contains("pending"), "\(after)")
        }
    }

    @Test("migrate refuses an applied file that changed with exit 2 naming the file")
    func changedMigrationExitsTwo() async throws {
        let schema = FileManager.default.temporaryDirectory.appendingPathComponent("domicile-schema-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: schema, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: schema) }
        let original = try String(contentsOf: TestDatabase.schemaDirectory.appendingPathComponent("0001_domain.sql"), encoding: .utf8)
        try (original + "\n-- edited\n").write(to: schema.appendingPathComponent("0001_domain.sql"), atomically: true, encoding: .utf8)

        try await TestDatabase.with(.migrated) { db in
            let result = try await CLIRunner.run(["migrate", "--schema-dir", schema.path, "--database-url", db.url])

            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("0001_domain.sql"), "\(result)")
            #expect(result.stderr.contains("changed"), "\(result)")
        }
    }

    @Test("A badly named migration file exits 2 naming it")
    func badMigrationNameExitsTwo() async throws {
        let schema = FileManager.default.temporaryDirectory.appendingPathComponent("domicile-schema-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: schema, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: schema) }
        try "SELECT 1;".write(to: schema.appendingPathComponent("2_oops.sql"), atomically: true, encoding: .utf8)

        let result = try await CLIRunner.run(["migrate", "--schema-dir", schema.path, "--database-url", Self.unreachable])

        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("2_oops.sql"), "\(result)")
    }

    @Test("An unknown subcommand exits 2")
    func unknownSubcommandExitsTwo() async throws {
        let result = try await CLIRunner.run(["frobnicate"])

        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("frobnicate"), "\(result)")
    }

    @Test("An unknown option exits 2")
    func unknownOptionExitsTwo() async throws {
        let result = try await CLIRunner.run(["migrate", "--no-such-flag"])

        #expect(result.status == 2, "\(result)")
        #expect(!result.stderr.isEmpty, "\(result)")
    }

    @Test("--help exits 0 and lists the migrate command", arguments: [["--help"], ["migrate", "--help"], ["help", "migrate"]])
    func helpExitsZero(arguments: [String]) async throws {
        let result = try await CLIRunner.run(arguments)

        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("migrate"), "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
    }
}
