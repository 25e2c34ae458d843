import DomicileCore
import Foundation
import Testing

/// Reports on crafted registries (Crafted, in ComplianceTests.swift): what each shows
/// when something is missing or abroad.
@Suite("Reports on crafted registries")
struct ReportModelTests {
    static let generatedAt = Date(timeIntervalSince1970: 1_795_856_400)

    /// The crafted registry with the call centre's contract missing, a transmission and a provision.
    static func gapRegistry() -> RegistrySnapshot {
        let base = Crafted.snapshot(contract: S.Contract())
        let since = Day("2020-01-01")!
        return RegistrySnapshot(
            revision: base.revision, asOf: base.asOf, organizations: base.organizations, services: base.services,
            categories: base.categories,
            purposes: [S.Purpose(key: "shop-orders", name: "Order handling", categories: ["user.contact.email"])],
            vendors: base.vendors + [
                S.Vendor(key: "partner", legalName: "Partner Ltd.", nameJa: "パートナー株式会社", kinds: [.thirdPartyRecipient], headquarters: "US", riskTier: .low, validFrom: since)
            ],
            residencies: base.residencies, entrustments: base.entrustments,
            provisions: [
                S.Provision(
                    key: "shop-partner", service: "shop", recipient: "partner", basis: "consent", purpose: "Joint campaign",
                    categories: ["user.contact.email"], recipientCountry: "US", foreignInfoGiven: true, retentionYears: 3,
                    validFrom: since)
            ],
            assessments: base.assessments, templates: base.templates, countries: base.countries)
    }

    @Test("Residency: a sub-entrustee in a country without a PPC-designated system and no contract is a warning; a later as-of hides ended facts")
    func residencyWarnings() throws {
        let report = ResidencyReport(Self.gapRegistry())
        let offshore = try #require(report.services.first?.categories.first?.locations.first { $0.vendor == "offshore" })
        #expect(offshore.role == "sub_entrustee" && offshore.country == "VN" && offshore.basis == nil)
        // the sub-entrustee is itself in Viet Nam (Art. 28 turns on the recipient, Q&A 12-4)
        #expect(offshore.warnings == [
            "Offshore Co. is a recipient in Viet Nam, which has no PPC-designated equivalent system, and no basis is recorded (consent, standard-conforming system, APEC CBPR or the cloud exception)"
        ])
        #expect(report.warnings.contains { $0.hasPrefix("shop: Offshore Co. is a recipient in Viet Nam") })
        // The US storage has no cloud exception either, and was verified long ago: two warnings.
        let us = try #require(report.services.first?.categories.first?.locations.first { $0.country == "US" })
        #expect(us.warnings.count == 2 && us.warnings[0] == "last verified on 2020-01-01, more than a year ago")
        // A signed contract alone is no recorded basis; a transfer_basis on the entrustment is,
        // for its sub-entrustees too, and the warning goes.
        let signed = ResidencyReport(Crafted.snapshot())
        #expect(signed.services.first?.categories.first?.locations.first { $0.vendor == "offshore" }?.warnings.count == 1)
        let base = Crafted.snapshot()
        let calls = try #require(base.entrustments.first)
        let recorded = RegistrySnapshot(
            revision: base.revision, asOf: base.asOf, organizations: base.organizations, services: base.services,
            categories: base.categories, vendors: base.vendors, residencies: base.residencies,
            entrustments: [
                S.Entrustment(
                    key: calls.key, service: calls.service, vendor: calls.vendor, categories: calls.categories,
                    transferBasis: "standard_conforming", contract: calls.contract, subEntrustees: calls.subEntrustees,
                    validFrom: calls.validFrom)
            ],
            templates: base.templates, countries: base.countries)
        let covered = try #require(ResidencyReport(recorded).services.first?.categories.first?.locations.first { $0.vendor == "offshore" })
        #expect(covered.basis == "standard-conforming system (entrustment shop-calls)" && covered.warnings.isEmpty)
        // The undisclosed location is listed with its candidates by name.
        #expect(report.undisclosed.first?.candidates == ["Japan", "United States of America"])
        // A residency last verified years ago is flagged.
        #expect(report.undisclosed.first?.warnings == ["last verified on 2020-01-01, more than a year ago"])
    }

    @Test("Disclosure: entrustee countries outside the storage countries, a consent provision not published, no transmission table without transmissions")
    func disclosure() throws {
        let snapshot = Self.gapRegistry()
        func fact(_ environment: DisclosureReport.ExternalEnvironment, _ heading: String) -> String? {
            environment.facts.first { $0.heading == heading }?.items.first
        }
        let report = DisclosureReport(snapshot, lang: .en)
        let en = try #require(report.services.first)
        #expect(fact(en.externalEnvironment, "Cloud service provider's country") == "United States of America")
        #expect(fact(en.externalEnvironment, "Data storage countries") == "United States of America")
        #expect(fact(en.externalEnvironment, "Countries where entrusted partners handle personal data") == "Japan, Viet Nam")
        #expect(en.externalEnvironment.countrySystems.map(\.code) == ["US", "VN"])
        // these countries have flags but no dated public sentences: nothing is made up, it is a gap
        #expect(en.externalEnvironment.countrySystems.last?.parts.first?.items == ["(To be completed: country/VN.regime_facts)"])
        #expect(report.gaps.contains { $0.subject == "country/VN.regime_facts" })
        // A provision on consent is not published (consent is asked for each time); only the rule is.
        let thirdParties = try #require(report.sections.first { $0.id == "third-parties" })
        #expect(thirdParties.after.isEmpty && thirdParties.items.count == 3)
        #expect(en.transmissions == nil)
        #expect(report.sections.first { $0.id == "entrustment" }?.paragraphs.first?.hasPrefix("For business operations, we may entrust") == true)
        let ja = try #require(DisclosureReport(snapshot, lang: .ja).services.first)
        #expect(fact(ja.externalEnvironment, "委託先が個人データを取り扱う国") == "日本、ベトナム")
        let text = try ReportRenderer.render(.disclosure, snapshot, format: .md, lang: .ja, generatedAt: Self.generatedAt).text
        #expect(text.contains("- 委託先が個人データを取り扱う国：日本、ベトナム"))
        #expect(!text.contains("電気通信事業法に基づく外部送信"))
        #expect(!text.contains("Joint campaign") && !text.contains("パートナー株式会社"))
    }

    @Test("ROPA: the service's purposes, transfers with the recorded safeguard or none")
    func ropa() throws {
        let report = RopaReport(Self.gapRegistry())
        #expect(report.activities.map(\.purpose) == ["shop-orders"])
        let transfers = try #require(report.activities.first?.transfers)
        // GDPR Art. 30(1)(e) safeguards are what the ROPA states; the APPI basis is named as such
        #expect(transfers.contains { $0.recipient == "Partner Ltd." && $0.safeguard == "no GDPR Chapter V safeguard recorded; APPI Art. 28 basis: consent with information on the foreign country (provision shop-partner)" }, "\(transfers)")
        #expect(transfers.contains { $0.recipient == "Offshore Co." && $0.country == "VN" && $0.safeguard == "no GDPR Chapter V safeguard recorded" }, "\(transfers)")
        #expect(report.activities.first?.retention == "records of provision kept 3 years, and at least as PPC Rules Art. 21 requires (shop-partner: none recorded yet)")
    }

    @Test("Vendors: a missing contract and DPA show as missing in the table and the CSV")
    func vendors() throws {
        let snapshot = Self.gapRegistry()
        let report = VendorReport(snapshot)
        let callcenter = try #require(report.vendors.first { $0.key == "callcenter" })
        #expect(callcenter.agreements.first?.contract == "missing" && callcenter.agreements.first?.dpa == "missing")
        #expect(callcenter.review.state == "never_assessed")
        #expect(callcenter.risk.factors.contains(Compliance.RiskFactor(factor: "contract missing for shop-calls", points: 15)))
        let csv = try ReportRenderer.render(.vendors, snapshot, format: .csv, generatedAt: Self.generatedAt).text
        #expect(csv.contains(",shop-calls: missing,shop-calls: missing,"))
    }

    @Test("An empty registry renders every report in every format it allows")
    func emptyRegistry() throws {
        let empty = RegistrySnapshot(revision: 0, asOf: Day("2026-01-01")!)
        for kind in ReportKind.allCases {
            for format in kind.formats {
                let report = try ReportRenderer.render(kind, empty, format: format, generatedAt: Self.generatedAt)
                #expect(!report.bytes.isEmpty && report.fingerprint.count == 64, "\(kind) \(format)")
            }
        }
        #expect(throws: InputError.self) { try ReportRenderer.render(.disclosure, empty, format: .csv, generatedAt: Self.generatedAt) }
        let chart = ReportCharts.completionChart(empty, lang: .en)
        #expect(chart.contains("No assessments recorded"))
    }

    @Test("The fingerprint changes with the as-of day and the language, not with the generation time")
    func fingerprint() throws {
        let a = Crafted.snapshot(asOf: "2026-11-28")
        let b = Crafted.snapshot(asOf: "2026-11-29")
        let first = try ReportRenderer.render(.vendors, a, format: .json, generatedAt: Self.generatedAt)
        let later = try ReportRenderer.render(.vendors, a, format: .md, generatedAt: Date())
        #expect(first.fingerprint == later.fingerprint)
        #expect(try ReportRenderer.render(.vendors, b, format: .json, generatedAt: Self.generatedAt).fingerprint != first.fingerprint)
        #expect(try ReportRenderer.render(.vendors, a, format: .json, lang: .ja, generatedAt: Self.generatedAt).fingerprint != first.fingerprint)
    }

    @Test("Markdown escapes values that would break a table or start markup; HTML escapes markup")
    func escaping() throws {
        let since = Day("2020-01-01")!
        let snapshot = RegistrySnapshot(
            revision: 1, asOf: Day("2026-01-01")!,
            organizations: [S.Organization(key: "o", name: "A | B <script>", country: "JP")],
            services: [S.Service(key: "s", name: "S", organization: "o", validFrom: since)],
            vendors: [S.Vendor(key: "v", legalName: "V *bold* | pipe", kinds: [.entrustee], headquarters: "JP", riskTier: .low, validFrom: since)],
            entrustments: [S.Entrustment(key: "e", service: "s", vendor: "v", categories: ["x"], validFrom: since)],
            countries: Crafted.countries)
        let md = try ReportRenderer.render(.vendors, snapshot, format: .md, generatedAt: Self.generatedAt).text
        #expect(md.contains("| A \\| B \\<script\\> |"))
        #expect(md.contains("V \\*bold\\* \\| pipe (v)"))
        let html = try ReportRenderer.render(.vendors, snapshot, format: .html, generatedAt: Self.generatedAt).text
        #expect(!html.contains("<script>") && html.contains("A | B &lt;script&gt;"))
    }
}
