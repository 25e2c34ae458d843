import DomicileCore
@testable import DomicileStore
import Foundation
import TestSupport
import Testing

/// The dated regime facts of seeds/country-regime-facts.csv: loaded with their own dates,
/// read as in force on the snapshot's day, published only through their public sentences.
@Suite("Dated regime facts")
struct RegimeFactTests {
    static let csv = TestDatabase.seedsDirectory.appendingPathComponent("country-regime-facts.csv")

    @Test("Every fact of the seed file is loaded with its own dates; an unknown start stays empty")
    func loadedWithTheirOwnDates() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            let rows = try store.connection.query(
                "SELECT count(*)::int AS n, count(*) FILTER (WHERE effective_from IS NULL)::int AS undated FROM country_regime_fact")
            let lines = try String(contentsOf: Self.csv, encoding: .utf8).split(separator: "\n").count - 1
            #expect(try rows.rows.first?.decode(Int.self, "n") == lines)
            #expect(try rows.rows.first?.decode(Int.self, "undated") ?? 0 > 0, "empty dates are kept empty, not defaulted")
            let mutual = try store.connection.query(
                "SELECT effective_from::text AS d FROM country_regime_fact WHERE country_code = 'JP' AND fact = 'eu_adequacy'")
            #expect(try mutual.rows.first?.decode(String.self, "d") == "2019-01-23")
            let dpf = try store.connection.query(
                "SELECT effective_from::text AS d FROM country_regime_fact WHERE country_code = 'US' AND fact = 'eu_adequacy' AND effective_to IS NULL")
            #expect(try dpf.rows.first?.decode(String.self, "d") == "2023-07-10")
            // seeding again changes nothing
            let summary = try Seeder(directory: TestDatabase.seedsDirectory).loadReference(into: store, actor: "test")
            #expect(summary.reference["country regime facts"]?.changed == 0)
        }
    }

    @Test("A snapshot holds the facts in force on its day: the EU's PPC designation from 2019-01-23, the DPF from 2023-07-10")
    func factsInForceOnTheDay() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            let before = try store.snapshot(asOf: Day("2019-01-22"))
            let after = try store.snapshot(asOf: Day("2019-01-23"))
            #expect(Compliance.needsTransferBasis("DE", in: before), "not designated before the PPC's notice")
            #expect(!Compliance.needsTransferBasis("DE", in: after))
            #expect(after.country("DE")?.regime?.ppcEquivalent == "yes")

            // the UK: designated as part of the EU, then on its own from 2020-02-01
            #expect(try store.snapshot(asOf: Day("2020-06-01")).country("GB")?.regime?.ppcEquivalent == "yes")

            // the US in 2017 (Privacy Shield), 2021 (no EU adequacy at all) and 2025 (the DPF)
            func adequacy(_ day: String) throws -> [String] {
                try store.snapshot(asOf: Day(day)).country("US")?.facts.filter { $0.fact == "eu_adequacy" }.map(\.publicEn) ?? []
            }
            #expect(try adequacy("2017-01-01").first?.contains("Privacy Shield") == true)
            #expect(try adequacy("2021-01-01").isEmpty)
            #expect(try adequacy("2025-04-01").first?.contains("Data Privacy Framework") == true)
        }
    }

    @Test("The US summary is the wording of country-regime-facts.md §4, in Guideline 5-2 order, with where to find the OECD-8 gaps")
    func unitedStatesSummary() async throws {
        try await TestDatabase.with(.seeded) { db in
            let snapshot = try db.store().snapshot(asOf: Day("2026-12-01"))
            let english = DisclosureReport.summary("US", snapshot, .en)
            let expected = [
                "The United States has no comprehensive federal privacy law.",
                "Federal laws protect personal information in particular sectors, for example HIPAA (health information), the Gramm-Leach-Bliley Act (financial information), COPPA (children's online information) and the Fair Credit Reporting Act (consumer reports).",
                "As of 1 January 2026, 20 states had comprehensive consumer privacy laws in effect.",
                "The European Commission recognises an adequate level of data protection only for US organisations certified under the EU-US Data Privacy Framework (since 10 July 2023).",
                "The United States has participated in the APEC Cross-Border Privacy Rules System since 2012.",
                "The United States is a founding Member of the Global CBPR Forum.",
                "see the Personal Information Protection Commission's survey",
                "US law, including Section 702 of the Foreign Intelligence Surveillance Act and Executive Order 12333, allows government agencies to obtain data for national security purposes, including with the compelled assistance of communications service providers.",
                "Executive Order 14086 (2022) added safeguards and a redress mechanism.",
            ]
            var position = english.startIndex
            for sentence in expected {
                let found = try #require(english.range(of: sentence, range: position..<english.endIndex), "missing or out of order: \(sentence)\n\(english)")
                position = found.upperBound
            }
            let japanese = DisclosureReport.summary("US", snapshot, .ja)
            #expect(japanese.hasPrefix("米国には、個人情報の保護に関する包括的な連邦法はなく、医療情報（HIPAA）"), "\(japanese)")
            #expect(japanese.contains("2022年の大統領令第14086号により、保護措置及び救済の仕組みが追加されています。"))
        }
    }

    @Test("docs/seeds.md lists every loaded fact with its dates (scripts/generate-regime-facts-table.py)")
    func seedsDocumentationListsEveryFact() async throws {
        let page = try String(contentsOf: TestDatabase.repositoryRoot.appendingPathComponent("docs/seeds.md"), encoding: .utf8)
        try await TestDatabase.with(.seeded) { db in
            let rows = try db.store().connection.query(
                """
                SELECT country_code::text AS c, fact, value, coalesce(effective_from::text, '') AS f,
                       coalesce(effective_to::text, '') AS t, confidence FROM country_regime_fact
                """)
            #expect(rows.rows.count > 200)
            for row in rows.rows {
                let line = try ["c", "fact", "value", "f", "t", "confidence"].map {
                    try row.decode(String.self, $0).replacingOccurrences(of: "|", with: "\\|")
                }.joined(separator: " | ")
                #expect(page.contains("| \(line) |"), "docs/seeds.md lacks \(line); run scripts/generate-regime-facts-table.py")
            }
        }
    }

    @Test("No reviewer's note reaches public text: no '?', '~' or country-regimes.csv note in any country's summary")
    func noReviewerNotesInPublicText() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            let notes = try store.connection.query(
                "SELECT DISTINCT law_name AS t FROM country_regime WHERE law_name IS NOT NULL UNION SELECT confidence_note FROM country_regime WHERE confidence_note IS NOT NULL"
            ).rows.compactMap { try $0.decode(String?.self, "t") }.filter { $0.contains("?") || $0.contains("~") || $0.count > 40 }
            #expect(!notes.isEmpty, "the reviewer notes this test looks for")
            for day in ["2018-01-01", "2022-06-01", "2026-12-01"] {
                let snapshot = try store.snapshot(asOf: Day(day))
                for country in snapshot.countries where !country.facts.isEmpty {
                    for lang in [ReportLanguage.en, .ja] {
                        let summary = DisclosureReport.summary(country.code, snapshot, lang)
                        #expect(!summary.contains("?") && !summary.contains("？") && !summary.contains("~") && !summary.contains("〜"), "\(country.code) \(day): \(summary)")
                        for note in notes { #expect(!summary.contains(note), "\(country.code): \(note)") }
                    }
                }
            }
        }
    }

    @Test("A fact corrected in the seed file replaces the old row when seeding again: the old one is removed (and audited), not left in force beside it")
    func correctedFactReplacesTheOldRow() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            // a copy of seeds/ whose US comprehensive_law row starts on another day (a correction)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("domicile-seeds-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: TestDatabase.seedsDirectory, to: directory)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("country-regime-facts.csv")
            var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            let index = try #require(lines.firstIndex { $0.hasPrefix("US,comprehensive_law,partial,2020-01-01,") })
            lines[index] = lines[index].replacingOccurrences(
                of: "US,comprehensive_law,partial,2020-01-01,", with: "US,comprehensive_law,partial,2019-06-01,")
            try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

            let summary = try Seeder(directory: directory).loadReference(into: store, actor: "test")
            let starts = try store.connection.query(
                "SELECT effective_from::text AS d FROM country_regime_fact WHERE country_code = 'US' AND fact = 'comprehensive_law'"
            ).rows.map { try $0.decode(String.self, "d") }
            #expect(starts == ["2019-06-01"], "one row, the corrected one")
            #expect(summary.reference["country regime facts"]?.changed == 2, "the new row and the removed one")
            let removed = try store.connection.query(
                "SELECT count(*)::int AS n FROM audit_log WHERE entity_key = 'US#comprehensive_law#partial#2020-01-01' AND action = 'delete'")
            #expect(try removed.rows.first?.decode(Int.self, "n") == 1)
            // in force on a 2019 day through the corrected row only
            let facts = try store.snapshot(asOf: Day("2019-07-01")).country("US")?.facts.filter { $0.fact == "comprehensive_law" } ?? []
            #expect(facts.map(\.effectiveFrom?.description) == ["2019-06-01"])
        }
    }
}
