import Foundation
import TestSupport
import Testing

/// `domicile due` and `domicile evidence` as a user runs them, on the PERSONA example.
@Suite("due and evidence commands")
struct DueAndEvidenceCommandTests {
    static func withPersona<T>(_ body: (TestDatabase) async throws -> T) async throws -> T {
        try await TestDatabase.with(.seeded) { db in
            try RegistryCLI.succeed(["seed", "--example", "persona"], db)
            return try await body(db)
        }
    }

    // MARK: due

    @Test("due lists a contract's notice deadline and end with its owner and source; --owner filters; bad input exits 2")
    func dueListsContractDates() async throws {
        try await Self.withPersona { db in
            // persona-support-desk's contract: its end and notice period as the example records them
            let shown = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["entrust", "show", "persona-support-desk", "--format", "json"], db).stdout)
            let contract = try #require(shown["contract"] as? [String: Any])
            let end = try #require(contract["expires_on"] as? String)
            let notice = try #require(contract["notice_days"] as? Int)
            let asOf = "2027-01-01"
            let json = try RegistryCLI.jsonObject(
                try RegistryCLI.succeed(["due", "--as-of", asOf, "--within", "6m", "--format", "json"], db).stdout)
            let items = try #require(json["items"] as? [[String: Any]])
            let expiry = try #require(items.first { $0["kind"] as? String == "contract_expiry" && $0["key"] as? String == "persona-support-desk" }, "\(items)")
            #expect(expiry["date"] as? String == end)
            #expect((expiry["source"] as? String)?.contains("APPI Art. 25") == true)
            let owner = try #require(expiry["owner"] as? String)
            let noticeItem = items.first { $0["kind"] as? String == "contract_notice" && $0["key"] as? String == "persona-support-desk" }
            let noticeDay = Calendar(identifier: .gregorian).date(byAdding: .day, value: -notice, to: ISO8601DateFormatter().date(from: end + "T00:00:00Z")!)!
            let noticeText = ISO8601DateFormatter().string(from: noticeDay).prefix(10)
            #expect(noticeItem?["date"] as? String == String(noticeText))
            // the notice deadline passed before the as-of day: overdue
            #expect(noticeItem?["overdue"] as? Bool == (String(noticeText) < asOf))

            let mine = try RegistryCLI.jsonObject(
                try RegistryCLI.succeed(["due", "--as-of", asOf, "--within", "6m", "--format", "json", "--owner", owner.uppercased()], db).stdout)
            let mineItems = try #require(mine["items"] as? [[String: Any]])
            #expect(!mineItems.isEmpty && mineItems.allSatisfy { $0["owner"] as? String == owner })

            let text = try RegistryCLI.succeed(["due", "--as-of", asOf, "--within", "6m"], db).stdout
            #expect(text.contains("persona-support-desk") && text.contains("contract_expiry"))

            let bad = try RegistryCLI.run(["due", "--within", "soon"], db)
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("within 'soon'") && bad.stderr.contains("90d"), "\(bad.stderr)")
        }
    }

    @Test("due --format ics -o writes an iCalendar file with CRLF lines, one event per item")
    func dueWritesICS() async throws {
        try await Self.withPersona { db in
            let directory = try RegistryCLI.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("due.ics").path
            try RegistryCLI.succeed(["due", "--within", "2y", "--format", "ics", "-o", path], db)
            let ics = try String(contentsOfFile: path, encoding: .utf8)
            let json = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["due", "--within", "2y", "--format", "json"], db).stdout)
            let count = (json["items"] as? [[String: Any]])?.count ?? -1
            #expect(count > 0)
            #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\n") && ics.hasSuffix("END:VCALENDAR\r\n"))
            #expect(ics.components(separatedBy: "BEGIN:VEVENT\r\n").count - 1 == count)
            #expect(!ics.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare line feed")
        }
    }

    // MARK: evidence

    @Test("evidence add, list, get (bytes identical, hash verified), audit and remove")
    func evidenceLifecycle() async throws {
        try await Self.withPersona { db in
            let directory = try RegistryCLI.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let bytes = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            let file = try RegistryCLI.write(Data("%PDF-1.7\n".utf8) + bytes, named: "DPA 2025.pdf", in: directory)

            let added = try RegistryCLI.succeed(["evidence", "add", file.path, "--entrustment", "persona-support-desk", "--description", "DPA"], db)
            #expect(added.stdout.contains("application/pdf"), "detected from the bytes")
            let listed = try RegistryCLI.jsonFragment(try RegistryCLI.succeed(["evidence", "list", "--format", "json"], db).stdout) as? [[String: Any]]
            let entry = try #require(listed?.first)
            #expect(entry["file_name"] as? String == "DPA 2025.pdf")
            #expect(entry["subject"] as? String == "entrustment/persona-support-desk")
            let id = try #require(entry["id"] as? Int)

            let out = directory.appendingPathComponent("out.pdf")
            let got = try RegistryCLI.succeed(["evidence", "get", String(id), "-o", out.path], db)
            #expect(try Data(contentsOf: out) == (try Data(contentsOf: file)))
            #expect(got.stderr.contains("verified"))

            let audit = try RegistryCLI.succeed(["audit", "--entity", "evidence/\(id)", "--format", "json"], db)
            #expect(audit.stdout.contains(entry["sha256"] as! String), "\(audit.stdout)")

            let removed = try RegistryCLI.succeed(["evidence", "remove", String(id)], db)
            #expect(removed.stdout.contains("removed evidence \(id)"))
            #expect(try RegistryCLI.succeed(["evidence", "list"], db).stdout.contains("(none)"))
            let gone = try RegistryCLI.run(["evidence", "get", String(id), "-o", out.path], db)
            #expect(gone.status == 2 && gone.stderr.contains("there is no evidence \(id)"))
        }
    }

    @Test("a file over the limit exits 2 naming the limit and writes nothing; --max-size and the environment set it")
    func evidenceOverLimit() async throws {
        try await Self.withPersona { db in
            let directory = try RegistryCLI.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = try RegistryCLI.write(Data(repeating: 0x61, count: 2048), named: "big.txt", in: directory)
            let before = try RegistryCLI.rowCounts(db)
            let refused = try RegistryCLI.run(["evidence", "add", file.path, "--vendor", "aws", "--max-size", "1KiB"], db)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("at most 1 KiB"), "\(refused.stderr)")
            #expect(try RegistryCLI.rowCounts(db) == before)
            let byEnvironment = try DomicileProcess.run(
                ["evidence", "add", file.path, "--vendor", "aws"], databaseURL: db.url, environment: ["DOMICILE_EVIDENCE_MAX_SIZE": "1000"])
            #expect(byEnvironment.status == 2 && byEnvironment.stderr.contains("at most 1000 bytes"), "\(byEnvironment)")
            try RegistryCLI.succeed(["evidence", "add", file.path, "--vendor", "aws", "--max-size", "2KiB"], db)
            let badSize = try RegistryCLI.run(["evidence", "add", file.path, "--vendor", "aws", "--max-size", "lots"], db)
            #expect(badSize.status == 2 && badSize.stderr.contains("max-size 'lots'"))
            let noSubject = try RegistryCLI.run(["evidence", "add", file.path], db)
            #expect(noSubject.status == 2 && noSubject.stderr.contains("--entrustment"))
        }
    }

    /// The point of export/import: a file's bytes survive into a fresh database.
    @Test("export writes evidence beside the registry; import into a fresh database brings the same bytes back")
    func evidenceSurvivesExportAndImport() async throws {
        try await Self.withPersona { db in
            let directory = try RegistryCLI.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            var generator = SeededGenerator(seed: 16)
            let bytes = Data((0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let file = try RegistryCLI.write(bytes, named: "audit report.bin", in: directory)
            try RegistryCLI.succeed(["evidence", "add", file.path, "--vendor", "aws", "--media-type", "application/octet-stream"], db)
            let items = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["assess", "show", "aws-supervision-2026", "--format", "json"], db).stdout)
            let item = try #require((items["answers"] as? [[String: Any]])?.first?["item"] as? String)
            try RegistryCLI.succeed(["evidence", "add", file.path, "--assessment", "aws-supervision-2026", "--item", item], db)

            let registry = directory.appendingPathComponent("registry.yaml").path
            try RegistryCLI.succeed(["export", "-o", registry], db)
            let evidenceDirectory = directory.appendingPathComponent("registry.evidence")
            #expect(FileManager.default.fileExists(atPath: evidenceDirectory.appendingPathComponent("manifest.csv").path))

            try await TestDatabase.with(.seeded) { fresh in
                let empty = try RegistryCLI.rowCounts(fresh)
                let dry = try RegistryCLI.succeed(["import", registry, "--dry-run"], fresh)
                #expect(dry.stdout.contains("would attach evidence audit report.bin to vendor/aws"), "\(dry.stdout)")
                #expect(try RegistryCLI.rowCounts(fresh) == empty, "a dry run writes nothing")
                try RegistryCLI.succeed(["import", registry], fresh)
                let listed = try RegistryCLI.jsonFragment(try RegistryCLI.succeed(["evidence", "list", "--format", "json"], fresh).stdout) as? [[String: Any]] ?? []
                #expect(listed.map { $0["subject"] as? String } == ["assessment/aws-supervision-2026#\(item)", "vendor/aws"])
                let id = try #require(listed.last?["id"] as? Int)
                let out = directory.appendingPathComponent("back.bin")
                try RegistryCLI.succeed(["evidence", "get", String(id), "-o", out.path], fresh)
                #expect(try Data(contentsOf: out) == bytes)
                // a second import attaches nothing; export → import → export is identical
                let again = try RegistryCLI.succeed(["import", registry], fresh)
                #expect(!again.stdout.contains("attached evidence"))
                let second = directory.appendingPathComponent("second.yaml").path
                try RegistryCLI.succeed(["export", "-o", second], fresh)
                #expect(try String(contentsOfFile: second, encoding: .utf8) == (try String(contentsOfFile: registry, encoding: .utf8)))
                #expect(try Data(contentsOf: directory.appendingPathComponent("second.evidence/manifest.csv"))
                    == (try Data(contentsOf: evidenceDirectory.appendingPathComponent("manifest.csv"))))
            }

            // a damaged file stops the import before anything is written
            let stored = try FileManager.default.contentsOfDirectory(atPath: evidenceDirectory.path).first { $0.hasPrefix("sha256-") }!
            try Data("tampered".utf8).write(to: evidenceDirectory.appendingPathComponent(stored))
            try await TestDatabase.with(.seeded) { fresh in
                let before = try RegistryCLI.rowCounts(fresh)
                let refused = try RegistryCLI.run(["import", registry], fresh)
                #expect(refused.status == 2 && refused.stderr.contains("damaged"), "\(refused)")
                #expect(try RegistryCLI.rowCounts(fresh) == before)
            }
        }
    }
}
