import DomicileCore
import DomicileStore
import Postgres
import TestSupport
import Testing

/// Input that looks valid to a quick check but would fail in the database, or mislead:
/// each is refused by validation, naming the value, before anything is written.
@Suite("Input edge cases")
struct InputEdgeCaseTests {
    static func vendor(_ key: String, legalName: String, extra: String = "") -> String {
        """
        vendors:
          - key: \(key)
            legal_name: \(legalName)
            kinds: [entrustee]
            headquarters: JP
            risk_tier: low
            valid_from: 2024-04-01
        \(extra)
        """
    }

    @Test("Dates need four digits and a year from 1", arguments: ["+202-01-01", "0000-01-01", "２０２５-01-01"])
    func oddDatesAreRefused(date: String) async throws {
        try await WritePath.withBase { _, store in
            let issues = try WritePath.rejectedIssues(Self.vendor("oddco", legalName: "Odd K.K.").replacingOccurrences(of: "2024-04-01", with: "\"\(date)\""), into: store)
            #expect(issues.contains { $0.field == "valid_from" && $0.message.contains(date) }, "\(issues)")
        }
    }

    @Test("Length is counted in code points, as the database counts: 300 decomposed が are 600")
    func lengthCountsCodePoints() async throws {
        try await WritePath.withBase { _, store in
            let decomposed = String(repeating: "\u{304B}\u{3099}", count: 300)
            #expect(decomposed.count == 300)
            let issues = try WritePath.rejectedIssues(Self.vendor("longco", legalName: decomposed), into: store)
            #expect(issues.contains { $0.code == "input.too_long" && $0.message.contains("600 characters") }, "\(issues)")
        }
    }

    @Test("A NUL character and a ';' inside a list item are refused")
    func nulAndSeparatorAreRefused() async throws {
        try await WritePath.withBase { _, store in
            let issues = try WritePath.rejectedIssues(
                Self.vendor("semico", legalName: "\"Semi\\0Co\"", extra: "").replacingOccurrences(of: "    kinds:", with: "    aliases: [\"Semi; Co\"]\n    kinds:"),
                into: store)
            #expect(issues.contains { $0.field == "legal_name" && $0.message.contains("NUL") }, "\(issues)")
            #expect(issues.contains { $0.field == "aliases" && $0.message.contains("';'") }, "\(issues)")
        }
    }

    @Test("Sub-entrustees whose via chain loops without reaching the entrustee are refused")
    func subEntrusteeLoopIsRefused() async throws {
        try await WritePath.withBase { _, store in
            try WritePath.importText(Self.vendor("sub-a", legalName: "Sub A K.K.") + "\n" + Self.vendor("sub-b", legalName: "Sub B K.K.").replacingOccurrences(of: "vendors:\n", with: ""), into: store)
            let issues = try WritePath.rejectedIssues(
                """
                entrustments:
                  - key: shop-support
                    service: shop
                    vendor: cloudco
                    categories: [user.name]
                    sub_entrustees:
                      - {vendor: sub-a, via: sub-b}
                      - {vendor: sub-b, via: sub-a}
                    valid_from: 2024-04-01

                """, into: store)
            #expect(issues.contains { $0.code == "input.invalid_via" && $0.message.contains("loops") }, "\(issues)")
        }
    }

    @Test("Provision records: a duplicate, and a retention shorter than retention_years, are refused")
    func provisionRecordRules() async throws {
        try await WritePath.withBase { _, store in
            let issues = try WritePath.rejectedIssues(
                """
                provisions:
                  - key: shop-police
                    service: shop
                    recipient: cloudco
                    basis: consent
                    purpose: Joint campaign
                    categories: [user.name]
                    recipient_country: JP
                    records:
                      - {provided_on: 2025-01-31, data_subjects: "member 1", items: name, retain_until: 2028-01-31}
                      - {provided_on: 2025-01-31, data_subjects: "member 1", items: name, retain_until: 2028-01-31}
                      - {provided_on: 2025-02-01, data_subjects: "member 2", items: name, retain_until: 2026-02-01}
                    valid_from: 2024-04-01

                """, into: store)
            #expect(issues.contains { $0.code == "input.duplicate_value" && $0.message.contains("member 1") }, "\(issues)")
            #expect(issues.contains { $0.code == "input.retention_too_short" && $0.message.contains("2028-02-01") }, "\(issues)")
        }
    }

    @Test("Adding years keeps the day, and 29 February becomes 28 February in a common year")
    func addingYears() {
        #expect(Day("2025-01-31")?.adding(years: 3) == Day("2028-01-31"))
        #expect(Day("2024-02-29")?.adding(years: 1) == Day("2025-02-28"))
        #expect(Day("9999-01-01")?.adding(years: 1) == nil)
    }

    @Test("An import that moves a residency to another country is refused unless it is a correction")
    func importRewritingAFactNeedsCorrection() async throws {
        try await WritePath.withBase { _, store in
            try WritePath.importText("residencies:\n" + WritePath.residency("shop-data"), into: store)
            let moved = "residencies:\n" + WritePath.residency("shop-data", "country: US")
            let issues = try WritePath.rejectedIssues(moved, into: store)
            #expect(issues.contains { $0.code == "input.rewrites_history" && $0.message.contains("since 2025-01-01") }, "\(issues)")

            let (document, _) = try Importer.parse(Array(moved.utf8), file: "moved.yaml")
            let plan = try Importer(store: store).run(document, actor: "tester", allowFactChanges: true)
            #expect(plan.changed.map(\.key) == ["shop-data"])
            #expect(try store.record(.residency, key: "shop-data")?.string("country") == "US")
        }
    }

    @Test("A NUL inside a URL is refused by validation, and the wrapper refuses to send one")
    func nulInAnyValueIsRefused() async throws {
        try await WritePath.withBase { db, store in
            let issues = try WritePath.rejectedIssues(
                Self.vendor("urlco", legalName: "URL Co").replacingOccurrences(of: "    kinds:", with: "    dpa_url: \"https://example.com/a\\0evil\"\n    kinds:"),
                into: store)
            #expect(issues.contains { $0.field == "dpa_url" && $0.message.contains("NUL") }, "\(issues)")
            let connection = try db.connect()
            defer { connection.close() }
            let error = #expect(throws: PostgresError.self) { try connection.query("SELECT $1::text", ["a\u{0}b"]) }
            #expect(error?.message.contains("NUL") == true)
        }
    }

    @Test("A misspelt category key is matched by its last segment: user.emial → user.contact.email")
    func categorySuggestionByLastSegment() async throws {
        try await WritePath.withBase { _, store in
            let issues = try WritePath.rejectedIssues(
                "residencies:\n" + WritePath.residency("shop-data").replacingOccurrences(of: "[user.contact.email]", with: "[user.emial]"), into: store)
            #expect(issues.contains { $0.message.contains("'user.emial'") && $0.message.contains("did you mean user.contact.email?") }, "\(issues)")
        }
    }
}
