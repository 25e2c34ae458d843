import Foundation
import Testing
import TestSupport

/// Spreadsheets through the binary: a CSV saved by Excel on Japanese Windows, every table as
/// CSV, the workbook, and an assessment's answer sheet filled in and imported at once.
@Suite("Spreadsheet commands")
struct SheetCommandTests {
    static let fixture = TestDatabase.repositoryRoot.appendingPathComponent("Tests/Fixtures/sheets/vendors-excel-sjis.csv")

    @Test("An Excel CSV in Shift_JIS with the team's own header: exit 2 naming the column and --columns, then imported with it")
    func excelCSVWithRenamedColumn() async throws {
        try await RegistryCLI.withRegistry { database in
            let before = try RegistryCLI.rowCounts(database)
            let refused = try RegistryCLI.run(["import", Self.fixture.path], database)
            #expect(refused.status == 2, "\(RegistryCLI.describe(refused))")
            #expect(refused.stderr.contains("unknown column '取引先コード'"))
            #expect(refused.stderr.contains("--columns \"取引先コード=key\""))
            #expect(try RegistryCLI.rowCounts(database) == before)

            let dryRun = try RegistryCLI.succeed(["import", Self.fixture.path, "--columns", "取引先コード=key", "--dry-run"], database)
            #expect(dryRun.stdout.contains("would add     vendor sakura-jp"))
            #expect(try RegistryCLI.rowCounts(database) == before)
            try RegistryCLI.succeed(["import", Self.fixture.path, "--encoding", "shift_jis", "--columns", "取引先コード=key"], database)
            let shown = try RegistryCLI.succeed(["vendor", "show", "sakura-jp"], database).stdout
            #expect(shown.contains("risk_tier: medium"))
            #expect(shown.contains("valid_from: 2024-01-01"))
            #expect(shown.contains("さくらインターネット株式会社"))

            let badEncoding = try RegistryCLI.run(["import", Self.fixture.path, "--encoding", "latin1"], database)
            #expect(badEncoding.status == 2)
            #expect(badEncoding.stderr.contains("shift_jis"))
        }
    }

    @Test("Every table exports as CSV through the binary, entrustments' sub-entrustees and assessments' answers included")
    func everyTableExports() async throws {
        try await TestDatabase.with(.seeded) { database in
            try RegistryCLI.succeed(["seed", "--example", "persona"], database)
            let answers = try RegistryCLI.succeed(["export", "--format", "csv", "--kind", "assessment_answers"], database).stdout
            #expect(answers.hasPrefix("assessment,item,status,evidence,note,public_statement,public_statement_ja\n"))
            #expect(answers.contains("\nassign-security-2026,BP-1,met,"))
            let subs = try RegistryCLI.succeed(["export", "--format", "csv", "--kind", "entrustment_sub_entrustees"], database).stdout
            #expect(subs.contains("hikari-mail"))
            let unknown = try RegistryCLI.run(["export", "--format", "csv", "--kind", "answers"], database)
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("assessment_answers"))
        }
    }

    @Test("The workbook: export --format xlsx, import --dry-run changes nothing, and a re-export is byte-identical")
    func workbookRoundTrip() async throws {
        try await TestDatabase.with(.seeded) { database in
            try RegistryCLI.succeed(["seed", "--example", "persona"], database)
            let directory = try RegistryCLI.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let first = directory.appendingPathComponent("registry.xlsx").path
            let second = directory.appendingPathComponent("again.xlsx").path
            try RegistryCLI.succeed(["export", "--format", "xlsx", "--lang", "ja", "-o", first], database)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: first))
            #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), "a ZIP container")
            let dryRun = try RegistryCLI.succeed(["import", first, "--dry-run"], database)
            #expect(dryRun.stdout.contains("dry run: 0 added, 0 changed"), "\(dryRun.stdout)")
            try RegistryCLI.succeed(["import", first], database)
            try RegistryCLI.succeed(["export", "--format", "xlsx", "--lang", "ja", "-o", second], database)
            #expect(try Data(contentsOf: URL(fileURLWithPath: second)) == bytes)

            let notWorkbook = try RegistryCLI.write("not a zip", named: "broken.xlsx", in: directory)
            let refused = try RegistryCLI.run(["import", notWorkbook.path], database)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("not a workbook"))
        }
    }

    /// The rows of a CSV answer sheet (BOM and CRLF taken off), naively split: the sheet's cells hold no commas.
    static func rows(_ text: String) -> [[String]] {
        text.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("A 22-item answer sheet: assess template, filled in Japanese, imported in one transaction; a bad row writes nothing; show --unanswered lists the rest")
    func answerSheetImportsAtomically() async throws {
        try await TestDatabase.with(.seeded) { database in
            try RegistryCLI.succeed(["seed", "--example", "persona"], database)
            try RegistryCLI.succeed(
                [
                    "assess", "add", "aws-security-2026", "--template", "appi-security-2022", "--vendor", "aws", "--assessed-on", "2026-12-01",
                    "--assessor", "Privacy office", "--next-review-on", "2027-12-01",
                ], database)
            let unanswered = try RegistryCLI.succeed(["assess", "show", "aws-security-2026", "--unanswered"], database).stdout
            #expect(unanswered.contains("22 of 22 items of appi-security-2022 unanswered on aws-security-2026"), "\(unanswered)")
            #expect(unanswered.contains("BP-1"))

            let directory = try RegistryCLI.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let sheet = directory.appendingPathComponent("aws-answers.csv").path
            // The vendor's name finds its latest assessment.
            try RegistryCLI.succeed(["assess", "template", "Amazon Web Services, Inc.", "--lang", "ja", "-o", sheet], database)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: sheet))
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "a byte-order mark, for Excel")
            let written = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(written.hasPrefix("評価,項目,要求事項,状況,証跡,メモ,公表文,公表文（日本語）\r\n"), "\(written.prefix(80))")
            var rows = Self.rows(written)
            try #require(rows.count == 23 && rows.allSatisfy { $0.count == 8 }, "\(rows)")
            let items = rows.dropFirst().map { $0[1] }
            let status = 3, evidence = 4
            // Answer 17 items, leave 5; one answer is a status no label spells.
            for index in 1...17 {
                rows[index][status] = index == 9 ? "たぶん" : (index.isMultiple(of: 2) ? "実施済み" : "Partial")
                rows[index][evidence] = "規程 \(index) 版"
            }
            func save() throws {
                let text = "\u{FEFF}" + rows.map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
                try Data(text.utf8).write(to: URL(fileURLWithPath: sheet))
            }
            try save()
            let before = try RegistryCLI.rowCounts(database)
            let refused = try RegistryCLI.run(["import", sheet], database)
            #expect(refused.status == 2, "\(RegistryCLI.describe(refused))")
            #expect(refused.stderr.contains("たぶん"))
            #expect(refused.stderr.contains("aws-answers.csv:10"), "\(refused.stderr)")
            #expect(try RegistryCLI.rowCounts(database) == before, "a refused answer sheet wrote nothing")

            rows[9][status] = "未実施"
            rows[9][evidence] = ""
            try save()
            let imported = try RegistryCLI.succeed(["import", sheet], database)
            #expect(imported.stdout.contains("changed  assessment aws-security-2026: answers"))
            let after = try RegistryCLI.rowCounts(database)
            #expect(after["assessment_answer"] == (before["assessment_answer"] ?? 0) + 17)

            let left = try RegistryCLI.succeed(["assess", "show", "aws-security-2026", "--unanswered"], database).stdout
            #expect(left.contains("5 of 22 items of appi-security-2022 unanswered"), "\(left)")
            for item in items.suffix(5) { #expect(left.contains(item)) }
            for item in items.prefix(17) { #expect(!left.contains("\(item) ")) }

            // The workbook form, in Japanese: the recorded answers come back filled in.
            let workbook = directory.appendingPathComponent("aws.xlsx").path
            try RegistryCLI.succeed(["assess", "template", "aws-security-2026", "--format", "xlsx", "--lang", "ja", "-o", workbook], database)
            let again = try RegistryCLI.succeed(["import", workbook, "--dry-run"], database)
            #expect(again.stdout.contains("dry run: 0 added, 0 changed"), "\(again.stdout)")
        }
    }
}
