import Foundation
import TestSupport
import Testing

/// `domicile report` through the binary: output file, reproducibility, input errors.
@Suite("report command")
struct ReportCommandTests {
    /// 2026-11-28T09:00:00Z, as scripts/generate-report-docs fixes it.
    static let epoch = ["SOURCE_DATE_EPOCH": "1795856400"]

    static func withPersona<T>(_ body: (TestDatabase) async throws -> T) async throws -> T {
        try await TestDatabase.with(.seeded) { db in
            try RegistryCLI.succeed(["seed", "--example", "persona"], db)
            return try await body(db)
        }
    }

    static func run(_ arguments: [String], _ db: TestDatabase) throws -> CommandResult {
        try DomicileProcess.run(["report"] + arguments, databaseURL: db.url, environment: epoch)
    }

    @Test("-o writes the report to the file and nothing to standard output; the same --as-of gives the same bytes")
    func outputFileReproducible() async throws {
        try await Self.withPersona { db in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("domicile-report-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("residency.html")
            let first = try Self.run(["residency", "--format", "html", "--as-of", "2026-11-28", "-o", file.path], db)
            #expect(first.status == 0, "\(first)")
            #expect(first.stdout.isEmpty)
            let written = try String(contentsOf: file, encoding: .utf8)
            #expect(written.hasPrefix("<!DOCTYPE html>") && written.contains("2026-11-28T09:00:00Z"))
            // nothing but the report is left in the directory (the temporary file was renamed)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["residency.html"])

            let stdout = try Self.run(["residency", "--format", "html", "--as-of", "2026-11-28"], db)
            #expect(stdout.status == 0 && stdout.stdout == written)
        }
    }

    @Test("JSON states the header: revision, as-of, generation time, fingerprint; Japanese disclosure by --lang")
    func jsonHeader() async throws {
        try await Self.withPersona { db in
            let result = try Self.run(["vendors", "--format", "json", "--as-of", "2026-11-28"], db)
            #expect(result.status == 0, "\(result)")
            let json = try RegistryCLI.jsonObject(result.stdout)
            let header = try #require(json["report"] as? [String: Any])
            #expect(header["as_of"] as? String == "2026-11-28")
            #expect(header["generated_at"] as? String == "2026-11-28T09:00:00Z")
            #expect((header["fingerprint"] as? String)?.count == 64)
            #expect((header["revision"] as? Int ?? 0) > 0)
            let vendors = (json["data"] as? [String: Any])?["vendors"] as? [[String: Any]] ?? []
            #expect(vendors.map { $0["key"] as? String } == ["aws", "google", "hikari-mail", "tsubame-support"])

            let ja = try Self.run(["disclosure", "--lang", "ja", "--as-of", "2026-11-28", "--allow-findings"], db)
            #expect(ja.status == 0 && ja.stdout.contains("### 外的環境の把握") && ja.stdout.contains("データの保管国：日本、米国"))
        }
    }

    @Test("The disclosure is refused (exit 1, each gap on stderr, no file) until the Art. 32 items are recorded; --allow-findings marks them")
    func disclosureRefusedUntilComplete() async throws {
        try await Self.withPersona { db in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("domicile-disclosure-\(UUID().uuidString).md")
            defer { try? FileManager.default.removeItem(at: file) }
            let refused = try Self.run(["disclosure", "--as-of", "2026-11-28", "-o", file.path], db)
            #expect(refused.status == 1 && refused.stdout.isEmpty, "\(refused)")
            #expect(refused.stderr.contains("organization/assign.address: ") && refused.stderr.contains("organization/assign.representative: "), "\(refused.stderr)")
            #expect(refused.stderr.contains("--allow-findings"))
            #expect(!FileManager.default.fileExists(atPath: file.path))

            let draft = try Self.run(["disclosure", "--as-of", "2026-11-28", "--allow-findings"], db)
            #expect(draft.status == 0 && draft.stdout.contains("- Address: (To be completed: organization/assign.address)"), "\(draft)")

            try RegistryCLI.succeed(["organization", "edit", "assign", "--address", "1-1 Example, Shibuya-ku, Tokyo", "--representative", "Taro Example, CEO"], db)
            let english = try Self.run(["disclosure", "--as-of", "2026-11-28"], db)
            #expect(english.status == 0 && english.stdout.contains("- Address: 1-1 Example, Shibuya-ku, Tokyo"), "\(english)")
            #expect(!english.stdout.contains("To be completed"))
            // The Japanese document needs the Japanese address: English is never printed in its place.
            let untranslated = try Self.run(["disclosure", "--lang", "ja", "--as-of", "2026-11-28"], db)
            #expect(untranslated.status == 1 && untranslated.stderr.contains("organization/assign.address_ja: "), "\(untranslated)")
            let marked = try Self.run(["disclosure", "--lang", "ja", "--as-of", "2026-11-28", "--allow-missing-translations"], db)
            #expect(marked.status == 0 && marked.stdout.contains("- 住所：【日本語未登録：organization/assign.address_ja】") && !marked.stdout.contains("Shibuya"), "\(marked)")
            try RegistryCLI.succeed(["organization", "edit", "assign", "--address-ja", "東京都渋谷区例1-1", "--representative-ja", "代表取締役 例太郎"], db)
            let japanese = try Self.run(["disclosure", "--lang", "ja", "--as-of", "2026-11-28"], db)
            #expect(japanese.status == 0 && japanese.stdout.contains("- 代表者：代表取締役 例太郎"), "\(japanese)")

            // A public statement recorded through `assess answer` is published; re-answering keeps it.
            try RegistryCLI.succeed(["assess", "answer", "assign-security-2026", "--item", "PHY-1", "--status", "met", "--evidence", "Entry log 2026",
                                     "--public-statement", "We control entry to the rooms where personal data is handled.",
                                     "--public-statement-ja", "個人データを取り扱う区域への入退室を管理しています。"], db)
            try RegistryCLI.succeed(["assess", "answer", "assign-security-2026", "--item", "PHY-1", "--status", "met", "--evidence", "Entry log 2026-12"], db)
            let measures = try Self.run(["disclosure", "--as-of", "2026-11-28"], db)
            #expect(measures.stdout.contains("- We control entry to the rooms where personal data is handled."), "\(measures)")
        }
    }

    @Test("Bad input exits 2 naming the field and what is allowed, and writes no file")
    func badInput() async throws {
        try await Self.withPersona { db in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("domicile-report-\(UUID().uuidString).csv")
            let csv = try Self.run(["disclosure", "--format", "csv", "-o", file.path], db)
            #expect(csv.status == 2)
            #expect(csv.stderr.contains("format 'csv' is not allowed; use one of: md, html, json (the disclosure report is not a single table)"), "\(csv.stderr)")
            #expect(!FileManager.default.fileExists(atPath: file.path))

            let kind = try Self.run(["residence"], db)
            #expect(kind.status == 2 && kind.stderr.contains("report 'residence' is not allowed") && kind.stderr.contains("did you mean residency?"), "\(kind.stderr)")
            let lang = try Self.run(["disclosure", "--lang", "jp"], db)
            #expect(lang.status == 2 && lang.stderr.contains("lang 'jp' is not allowed; use one of: en, ja"), "\(lang.stderr)")
            let day = try Self.run(["ropa", "--as-of", "2026-13-01"], db)
            #expect(day.status == 2 && day.stderr.contains("as-of '2026-13-01' is not valid"), "\(day.stderr)")
            let window = try Self.run(["vendors", "--expiring-within", "5000"], db)
            #expect(window.status == 2 && window.stderr.contains("expiring-within '5000' is not valid"), "\(window.stderr)")
            let unwritable = try Self.run(["ropa", "-o", "/nonexistent-directory/ropa.md"], db)
            #expect(unwritable.status == 2 && unwritable.stderr.contains("cannot write /nonexistent-directory/ropa.md"), "\(unwritable.stderr)")
        }
    }
}
