import Foundation
import Postgres
import Testing
import TestSupport

/// Issue 13: what a hostile or careless file or value does to the command line. Every case
/// ends with a message and exit 2, never a crash, a flooded terminal or a partial write.
@Suite("Hostile input")
struct HostileInputTests {
    static func importFile(_ text: String, named name: String, _ database: TestDatabase, extra: [String] = []) throws -> CommandResult {
        let directory = try RegistryCLI.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try RegistryCLI.write(text, named: name, in: directory)
        return try RegistryCLI.run(["import", file.path] + extra, database)
    }

    @Test func deeplyNestedFlowYAMLIsRefusedNamingTheLimitNotACrash() async throws {
        try await TestDatabase.with(.seeded) { db in
            // 10 KB that used to overflow the parser's stack (exit 139).
            let text = "vendors: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
            let result = try Self.importFile(text, named: "deep.yaml", db, extra: ["--dry-run"])
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("more than 64 levels deep"), "\(result)")
            #expect(result.stderr.contains("deep.yaml:1"), "\(result)")
        }
    }

    @Test func deeplyNestedBlockYAMLIsRefusedNamingTheLimit() async throws {
        try await TestDatabase.with(.seeded) { db in
            let compact = "vendors:\n" + String(repeating: "- ", count: 3000) + "x\n"
            var indented = "vendors:\n"
            for level in 0..<3000 { indented += String(repeating: " ", count: level) + "- \n" }
            for text in [compact, indented] {
                let result = try Self.importFile(text, named: "block.yaml", db, extra: ["--dry-run"])
                #expect(result.status == 2, "\(result)")
                #expect(result.stderr.contains("more than 64 levels deep"), "\(result)")
            }
        }
    }

    @Test func aliasesThatExpandBeyondTheLimitAreRefused() async throws {
        try await TestDatabase.with(.seeded) { db in
            // "Billion laughs": nine levels of ten aliases each.
            var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            for level in 1...9 {
                text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
            }
            let result = try Self.importFile(text, named: "laughs.yaml", db, extra: ["--dry-run"])
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("aliases"), "\(result)")
            #expect(result.stderr.contains("1000000"), "\(result)")
        }
    }

    @Test func emptyOrCommentOnlyFilesAreNoRecordsExit2() async throws {
        try await TestDatabase.with(.seeded) { db in
            let before = try RegistryCLI.rowCounts(db)
            for (name, text) in [("empty.yaml", ""), ("comments.yaml", "# nothing yet\n\n# still nothing\n"), ("header.yaml", "domicile: 1\nvendors: []\n"), ("vendors.csv", "")] {
                let result = try Self.importFile(text, named: name, db)
                #expect(result.status == 2, "\(name): \(result)")
                #expect(result.stderr.contains("no records") || result.stderr.contains("is empty"), "\(name): \(result)")
            }
            #expect(try RegistryCLI.rowCounts(db) == before)
        }
    }

    static let vendorHeader = "key,legal_name,name_ja,aliases,kinds,headquarters,website,trust_url,privacy_url,dpa_url,subprocessors_url,certifications,risk_tier,owner,notes,valid_from,valid_to"

    @Test func csvSyntaxErrorsNameTheLineAndColumn() async throws {
        try await TestDatabase.with(.seeded) { db in
            let unterminated = Self.vendorHeader + "\nacme,\"Acme Inc.,,,entrustee,JP,,,,,,,low,,,2024-01-01,\n"
            let result = try Self.importFile(unterminated, named: "vendors.csv", db)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("line 2, column 6"), "\(result)")
            #expect(result.stderr.contains("never closed"), "\(result)")

            let stray = Self.vendorHeader + "\nacme,Acme \"the\" Inc.,,,entrustee,JP,,,,,,,low,,,2024-01-01,\n"
            let second = try Self.importFile(stray, named: "vendors.csv", db)
            #expect(second.status == 2, "\(second)")
            #expect(second.stderr.contains("line 2, column 11"), "\(second)")

            let short = Self.vendorHeader + "\nacme,Acme Inc.\n"
            let third = try Self.importFile(short, named: "vendors.csv", db)
            #expect(third.status == 2, "\(third)")
            #expect(third.stderr.contains("vendors.csv:2"), "\(third)")
            #expect(third.stderr.contains("line 2 has 2 fields; the header has 17"), "\(third)")
        }
    }

    @Test func manyBadRecordsPrintAHundredErrorsThenTheCountOfTheRest() async throws {
        try await TestDatabase.with(.seeded) { db in
            var text = Self.vendorHeader + "\n"
            for index in 0..<5000 { text += "bad-\(index),Bad \(index),,,spaceship,XX,,,,,,,low,,,2024-01-01,\n" }
            let result = try Self.importFile(text, named: "vendors.csv", db)
            #expect(result.status == 2)
            let errors = result.stderrLines.filter { $0.hasPrefix("error: ") }
            #expect(errors.count == 100, "\(result.stderrLines.count) lines")
            // Two issues a record (kinds, headquarters): every one counted.
            #expect(result.stderr.contains("… and 9900 more error(s) not shown"), "\(result.stderrLines.suffix(3))")
            #expect(result.stderr.contains("10000 errors; nothing was written"), "\(result.stderrLines.suffix(3))")
        }
    }

    @Test func controlCharactersAreRefusedAndNeverReachTheTerminalRaw() async throws {
        try await TestDatabase.with(.seeded) { db in
            let result = try RegistryCLI.run(
                ["vendor", "add", "bell", "--legal-name", "Bell\u{07}\u{1B}[2J Inc.", "--kinds", "entrustee", "--headquarters", "JP", "--risk-tier", "low"], db)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("control character U+0007"), "\(result)")
            #expect(!result.stderr.contains("\u{1B}"), "the terminal got a raw escape: \(result)")
            #expect(result.stderr.contains("\\u{1B}"), "\(result)")
            #expect(try RegistryCLI.run(["vendor", "show", "bell"], db).status != 0)

            // A note may hold several lines, but not an escape sequence.
            let notes = try RegistryCLI.run(
                ["vendor", "add", "note", "--legal-name", "Note Inc.", "--kinds", "entrustee", "--headquarters", "JP", "--risk-tier", "low", "--notes", "line one\nline two\tand a tab"], db)
            #expect(notes.status == 0, "\(notes)")
            let escape = try RegistryCLI.run(
                ["vendor", "add", "escape", "--legal-name", "Escape Inc.", "--kinds", "entrustee", "--headquarters", "JP", "--risk-tier", "low", "--notes", "red \u{1B}[31m"], db)
            #expect(escape.status == 2, "\(escape)")
        }
    }

    @Test func controlCharactersInOldDataAreShownEscapedInTables() async throws {
        try await TestDatabase.with(.seeded) { db in
            try RegistryCLI.succeed(["vendor", "add", "old", "--legal-name", "Old Inc.", "--kinds", "entrustee", "--headquarters", "JP", "--risk-tier", "low"], db)
            // Written before validation refused it: straight into the table.
            let connection = try db.connect()
            try connection.query("UPDATE vendor SET legal_name = $1 WHERE key = 'old'", ["Old\u{1B}[2J Inc."])
            connection.close()
            let list = try RegistryCLI.run(["vendor", "list", "--all"], db)
            #expect(!list.stdout.contains("\u{1B}"), "\(list)")
            #expect(list.stdout.contains("Old\\u{1B}[2J Inc."), "\(list)")
        }
    }

    /// Legal names and notes a spreadsheet would run as formulas.
    static let formulaYAML = """
        vendors:
          - key: eq
            legal_name: "=HYPERLINK(\\"http://evil.example\\",\\"click\\")"
            kinds: [entrustee]
            headquarters: JP
            risk_tier: low
            valid_from: 2024-01-01
          - key: plus
            legal_name: "+cmd|' /C calc'!A0"
            kinds: [entrustee]
            headquarters: JP
            risk_tier: low
            valid_from: 2024-01-01
            notes: "\\tlead tab"
          - key: minus
            legal_name: "-2+3"
            kinds: [entrustee]
            headquarters: JP
            risk_tier: low
            valid_from: 2024-01-01
            notes: "\\rlead carriage return"
          - key: at
            legal_name: "@SUM(A1:A9)"
            kinds: [entrustee]
            headquarters: JP
            risk_tier: low
            valid_from: 2024-01-01
          - key: quoted
            legal_name: "'=already quoted"
            kinds: [entrustee]
            headquarters: JP
            risk_tier: low
            valid_from: 2024-01-01
          - key: number
            legal_name: "-3"
            kinds: [entrustee]
            headquarters: JP
            risk_tier: low
            valid_from: 2024-01-01
        """

    @Test func csvForPeopleNeutralizesFormulasAndImportReversesExport() async throws {
        try await TestDatabase.with(.seeded) { db in
            let loaded = try Self.importFile(Self.formulaYAML, named: "formulas.yaml", db)
            #expect(loaded.status == 0, "\(loaded)")

            let list = try RegistryCLI.run(["vendor", "list", "--all", "--format", "csv"], db)
            #expect(list.status == 0, "\(list)")
            for written in [",\"'=HYPERLINK(\"\"http", ",'+cmd|", ",'-2+3,", ",'@SUM(A1:A9),", ",''=already quoted,", ",-3,", ",'\tlead tab,", ",\"'\rlead carriage return\","] {
                #expect(list.stdout.contains(written), "\(written) not in:\n\(list.stdout)")
            }
            for raw in [",=", ",+", ",@", ",\t", ",\"=", ",\"+", ",\"\r"] {
                #expect(!list.stdout.contains(raw), "a spreadsheet would run a cell after \(raw):\n\(list.stdout)")
            }
            let report = try RegistryCLI.run(["report", "vendors", "--format", "csv"], db)
            #expect(report.status == 0, "\(report)")
            #expect(!report.stdout.contains(",=HYPERLINK") && !report.stdout.contains("\n=HYPERLINK"), "\(report.stdout)")

            let first = try RegistryCLI.run(["export", "--format", "csv", "--kind", "vendors"], db)
            #expect(first.status == 0, "\(first)")
            #expect(first.stdout.contains("'+cmd"), "\(first.stdout)")
            #expect(first.stdout.contains("'\tlead tab"), "\(first.stdout)")
            #expect(first.stdout.contains("\"'\rlead carriage return\""), "\(first.stdout)")
            let reimported = try Self.importFile(first.stdout, named: "vendors.csv", db)
            #expect(reimported.status == 0, "\(reimported)")
            #expect(reimported.stdout.contains("0 added, 0 changed"), "the import did not undo what export wrote: \(reimported)")
            let second = try RegistryCLI.run(["export", "--format", "csv", "--kind", "vendors"], db)
            #expect(second.stdout == first.stdout)

            // The same holds in a registry that starts empty.
            try await TestDatabase.with(.seeded) { fresh in
                let imported = try Self.importFile(first.stdout, named: "vendors.csv", fresh)
                #expect(imported.status == 0, "\(imported)")
                let again = try RegistryCLI.run(["export", "--format", "csv", "--kind", "vendors"], fresh)
                #expect(again.stdout == first.stdout)
                let shown = try RegistryCLI.run(["vendor", "show", "eq", "--format", "json"], fresh)
                #expect(shown.stdout.contains("\"=HYPERLINK"), "\(shown)")
            }
        }
    }

    @Test func seedIsOneTransaction() async throws {
        try await TestDatabase.with(.migrated) { db in
            // The example fails after the reference data was loaded: nothing may stay.
            let directory = try RegistryCLI.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let seeds = directory.appendingPathComponent("seeds")
            try FileManager.default.copyItem(at: TestDatabase.seedsDirectory, to: seeds)
            try Data("vendors:\n  - key: broken\n    legal_name: Broken\n    kinds: [spaceship]\n    headquarters: JP\n    risk_tier: low\n".utf8)
                .write(to: seeds.appendingPathComponent("examples/broken.yaml"))
            let result = try RegistryCLI.run(["seed", "--seeds-dir", seeds.path, "--example", "broken"], db)
            #expect(result.status == 2, "\(result)")
            let connection = try db.connect()
            defer { connection.close() }
            let countries = try connection.query("SELECT count(*)::int AS n FROM country").rows[0].decode(Int.self, "n")
            let categories = try connection.query("SELECT count(*)::int AS n FROM data_category").rows[0].decode(Int.self, "n")
            #expect(countries == 0, "reference data was committed without the example")
            #expect(categories == 0)
        }
    }
}
