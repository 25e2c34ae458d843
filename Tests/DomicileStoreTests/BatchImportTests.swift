import DomicileCore
@testable import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Large imports: new records are written in batches of several hundred, with the rows and
/// audit rows a record-by-record write gives, and the registry revision bumped once.
@Suite("Batch import")
struct BatchImportTests {
    /// `count` residencies of shop at cloudco (more than one batch), each with two categories,
    /// every tenth ended, every seventh in a region, every thirteenth undisclosed.
    static func residencies(_ count: Int, notes: [Int: String] = [:]) -> String {
        var text = "residencies:\n"
        for index in 0..<count {
            var extra: [String] = []
            if index % 13 == 0 {
                extra.append("undisclosed: {reason: The provider does not say., candidates: [SG, US]}")
            } else if index % 7 == 0 {
                extra.append("region: aws/ap-northeast-1")
            } else {
                extra.append("country: JP")
            }
            if index % 10 == 9 { extra.append("valid_to: 2025-06-01") }
            extra.append("categories: [user.contact.email, user.name]")
            if let note = notes[index] { extra.append("notes: \"\(note)\"") }
            text += WritePath.residency(String(format: "bulk-%04d", index), extra.joined(separator: "\n"))
                .replacingOccurrences(of: "    categories: [user.contact.email]\n", with: "")
        }
        return text
    }

    @Test("An import of more new records than one batch holds writes each with its lists, one audit row per row, and bumps the revision once")
    func manyNewRecords() async throws {
        try await WritePath.withBase { _, store in
            let before = try WritePath.counts(store.connection)
            let revision = try store.revision()
            let text = Self.residencies(1_203)

            let plan = try WritePath.importText(text, into: store)

            #expect(plan.added.count == 1_203)
            let after = try WritePath.counts(store.connection)
            #expect(after["residency"]! - before["residency"]! == 1_203)
            #expect(after["residency_category"]! - before["residency_category"]! == 2 * 1_203)
            #expect(after["audit_log"]! - before["audit_log"]! == 3 * 1_203, "one audit row per row written")
            #expect(try store.revision() == revision + 1, "one writing transaction, one new revision")

            // What was written is what the file says, record by record.
            let stored = try store.records(.residency).filter { ($0.key ?? "").hasPrefix("bulk-") }
            #expect(stored.count == 1_203)
            let undisclosed = try #require(stored.first { $0.key == "bulk-0013" })
            #expect(undisclosed.object("undisclosed")?.list("candidates") == ["SG", "US"])
            #expect(undisclosed.string("country") == nil)
            let regional = try #require(stored.first { $0.key == "bulk-0007" })
            #expect(regional.string("region") == "aws/ap-northeast-1")
            #expect(regional.string("country") == "JP")
            #expect(try #require(stored.first { $0.key == "bulk-1199" }).string("valid_to") == "2025-06-01")
            #expect(stored.allSatisfy { $0.list("categories") == ["user.contact.email", "user.name"] })
            let audited = try WritePath.count(
                store.connection, "SELECT 1 FROM audit_log WHERE entity_key = 'bulk-1202#user.name' AND after ->> 'residency_key' = 'bulk-1202'")
            #expect(audited == 1)

            let again = try WritePath.importText(text, into: store)
            #expect(again.isEmpty, "\(again.summary)")
            #expect(again.unchanged == 1_203)
        }
    }

    @Test("A new entrustment keeps every field it is imported with, nested lists included")
    func entrustmentFieldsSurvive() async throws {
        try await WritePath.withBase { _, store in
            let text = """
                vendors:
                  - key: subco
                    legal_name: SubCo Pte. Ltd.
                    kinds: [entrustee]
                    headquarters: SG
                    risk_tier: medium
                    valid_from: 2024-04-01
                entrustments:
                  - key: shop-hosting
                    service: shop
                    vendor: cloudco
                    description: Hosting of the shop
                    purposes: [service-provision]
                    categories: [user.contact.email, user.name]
                    transfer_basis: standard_conforming
                    transfer_basis_note: Data processing addendum §4
                    contract: {reference: C-1, signed_on: 2024-03-01, expires_on: 2026-03-01, renewal: automatic, notice_days: 60, dpa_signed_on: 2024-03-01}
                    reentrustment: prior_approval
                    sub_entrustees:
                      - {vendor: subco, countries: [SG], work: Support desk, approved_on: 2024-03-15}
                    valid_from: 2024-04-01

                """
            try WritePath.importText(text, into: store)
            let stored = try #require(try store.record(.entrustment, key: "shop-hosting"))
            #expect(stored.string("transfer_basis") == "standard_conforming")
            #expect(stored.string("transfer_basis_note") == "Data processing addendum §4")
            #expect(stored.object("contract")?.int("notice_days") == 60)
            #expect(stored.object("contract")?.string("renewal") == "automatic")
            #expect(stored.list("purposes") == ["service-provision"])
            #expect(stored.records("sub_entrustees").first?.list("countries") == ["SG"])
            #expect(try WritePath.importText(text, into: store).isEmpty, "a second import sees no difference")
        }
    }

    @Test("When the database refuses a record of a batch, the error names that record and nothing is written")
    func refusedBatchNamesTheRecord() async throws {
        try await WritePath.withBase { _, store in
            // A rule only the database knows, so validation lets the record through.
            try store.connection.query("ALTER TABLE residency ADD CONSTRAINT residency_notes_probe CHECK (notes IS DISTINCT FROM 'refuse me')")
            let issues = try WritePath.rejectedIssues(Self.residencies(700, notes: [612: "refuse me"]), into: store)

            #expect(issues.count == 1)
            let issue = try #require(issues.first)
            #expect(issue.code == "input.rejected_by_database")
            #expect(issue.value == "bulk-0612")
            #expect(issue.message.contains("residency_notes_probe"), "\(issue.message)")
        }
    }
}
