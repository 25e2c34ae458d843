import DomicileCore
import Foundation
import Testing

/// APPI Art. 28 turns on the recipient's country (PPC Q&A 12-4), the server's country is the
/// external environment (GL 10-7; Q&A 10-24), a basis is a dated fact, and unknown terms are
/// not a prohibition: each rule fires on its violation and stays silent on the compliant
/// variant, and the reports say the same (Tests/Fixtures/check/clean.yaml, as of 2026-12-01).
@Suite struct TransferRecipientTests {
    static func findings(_ document: RegistryDocument, asOf: Day = CheckFixture.day) -> [Finding] {
        Checker.run(CheckFixture.snapshot(document, asOf: asOf))
    }

    static func describe(_ findings: [Finding]) -> String { CheckerTests.describe(findings) }

    /// The clean registry plus an entrustee `partner` (headquarters US) holding the shop's data
    /// on servers in `server`, assessed and under contract, with `contracting` its contracting country.
    static func withPartner(server: String, contracting: String?, basis: String = "") throws -> RegistryDocument {
        var document = try CheckFixture.cleanDocument()
        try document.add("""
            vendors:
              - key: partner
                legal_name: Partner Support Inc.
                kinds: [entrustee]
                headquarters: US
            \(contracting.map { "    contracting_country: \($0)" } ?? "")
                risk_tier: medium
                valid_from: 2024-01-01
            residencies:
              - key: shop-partner-store
                service: shop
                vendor: partner
                role: storage
                categories: [user.name]
                country: \(server)
                source: Partner statement of work
                verified_on: 2026-11-01
                asserted_by: Acme security office
                valid_from: 2024-01-01
            entrustments:
              - key: shop-partner-desk
                service: shop
                vendor: partner
                categories: [user.name]
                contract:
                  reference: PSI-2024-1
                  signed_on: 2024-01-01
                  expires_on: 2028-12-31
                  renewal: manual
                  dpa_signed_on: 2024-01-01
                reentrustment: prohibited
            \(basis)
                valid_from: 2024-01-01
            assessments:
              - key: partner-supervision-2026
                template: appi-entrustee-supervision
                vendor: partner
                assessed_on: 2026-10-01
                assessor: Acme privacy office
                next_review_on: 2027-10-01
                answers:
                  - {item: VEN-SEL-1, status: met, evidence: Selection review}
                  - {item: VEN-CON-1, status: met, evidence: Contract on file}
                  - {item: VEN-EXT-1, status: met, evidence: Country reviewed}
                  - {item: VEN-CLD-1, status: not_applicable}
            purposes:
              - key: shop-support
                name: Customer support
                name_ja: お客様サポートのため
                categories: [user.name, user.contact.email]
            """)
        return document
    }

    @Test func aForeignEntrusteeWithServersInJapanNeedsABasis() throws {
        let document = try Self.withPartner(server: "JP", contracting: nil)
        let findings = Self.findings(document)
        #expect(findings.map { "\($0.rule.id) \($0.subject)" } == ["transfer.no_basis entrustment/shop-partner-desk"], "\(Self.describe(findings))")
        #expect(findings.first?.message.contains("United States of America (US) (headquarters; no contracting_country recorded)") == true)

        // the same entity contracting from the US, named as such
        let named = Self.findings(try Self.withPartner(server: "JP", contracting: "US"))
        #expect(named.first?.message.contains("(contracting entity)") == true, "\(Self.describe(named))")
    }

    @Test func aJapaneseEntrusteeWithUSServersNeedsNoBasisAndTheUSIsInTheExternalEnvironment() throws {
        let document = try Self.withPartner(server: "US", contracting: "JP")
        let findings = Self.findings(document)
        #expect(findings.isEmpty, "\(Self.describe(findings))")
        let snapshot = CheckFixture.snapshot(document)
        let environment = try #require(DisclosureReport(snapshot, lang: .en).services.first?.externalEnvironment)
        let us = try #require(environment.countrySystems.first { $0.code == "US" })
        #expect(us.summary.hasPrefix("US has a test law. "), "\(us.summary)")
        // the residency report shows no basis needed, and no warning, for the Japanese recipient
        let report = ResidencyReport(snapshot)
        let partner = report.services.flatMap(\.categories).flatMap(\.locations).filter { $0.vendor == "partner" }
        #expect(!partner.isEmpty && partner.allSatisfy { $0.basis == nil && $0.warnings.isEmpty }, "\(partner)")

        // its server country without regime facts: only the external-environment finding
        var unknown = document
        unknown.edit(.residency, "shop-partner-store") { $0["country"] = .string("OM") }
        let missing = Self.findings(unknown)
        #expect(missing.map { "\($0.rule.id) \($0.subject)" } == ["environment.no_regime_facts country/OM"], "\(Self.describe(missing))")
    }

    @Test func aCloudExceptionPutsBothTheProvidersAndTheServersCountryInTheExternalEnvironment() throws {
        var document = try CheckFixture.cleanDocument()
        // Nimbus contracts through its Singapore entity; one server is in the US, one in Japan
        document.edit(.vendor, "nimbus") { $0["contracting_country"] = .string("SG") }
        let findings = Self.findings(document)
        #expect(findings.isEmpty, "no Art. 25 or Art. 28 finding under the cloud exception: \(Self.describe(findings))")
        let environment = try #require(DisclosureReport(CheckFixture.snapshot(document), lang: .en).services.first?.externalEnvironment)
        #expect(Set(environment.countrySystems.map(\.code)) == ["SG", "US"])
        #expect(environment.providerCountries == "Republic of Singapore")
        #expect(ExternalEnvironment.countries(CheckFixture.snapshot(document))["SG"]?.contains("nimbus") == true)

        // the provider's country without regime facts is a finding too
        var unknown = document
        unknown.edit(.vendor, "nimbus") { $0["contracting_country"] = .string("OM") }
        #expect(Self.findings(unknown).map(\.subject) == ["country/OM"], "\(Self.describe(Self.findings(unknown)))")
    }

    @Test func aStandardConformingBasisLapsesWithItsContractAndReportsSaySo() throws {
        let basis = """
                transfer_basis: standard_conforming
                transfer_basis_checked_on: 2026-06-01
            """
        var document = try Self.withPartner(server: "JP", contracting: "US", basis: basis)
        #expect(Self.findings(document).isEmpty, "\(Self.describe(Self.findings(document)))")
        let valid = ResidencyReport(CheckFixture.snapshot(document)).services.flatMap(\.categories).flatMap(\.locations)
            .first { $0.vendor == "partner" }
        #expect(valid?.basis == "standard-conforming system (entrustment shop-partner-desk)")

        // the contract it rests on ended on 2026-11-30 (no automatic renewal)
        document.edit(.entrustment, "shop-partner-desk") { $0.edit("contract") { $0["expires_on"] = .string("2026-11-30") } }
        let findings = Self.findings(document)
        #expect(Set(findings.map(\.rule.id)) == ["contract.expired", "transfer.basis_lapsed"], "\(Self.describe(findings))")
        let snapshot = CheckFixture.snapshot(document)
        let lapsed = ResidencyReport(snapshot).services.flatMap(\.categories).flatMap(\.locations).first { $0.vendor == "partner" }
        #expect(lapsed?.basis?.contains("lapsed on 2026-11-30") == true, "\(String(describing: lapsed))")
        #expect(lapsed?.warnings.contains { $0.contains("does not hold") } == true)
        let transfers = RopaReport(snapshot).activities.flatMap(\.transfers).filter { $0.recipient == "Partner Support Inc." }
        #expect(!transfers.isEmpty, "\(RopaReport(snapshot).activities)")
        #expect(!transfers.isEmpty && transfers.allSatisfy { $0.safeguard.contains("lapsed on 2026-11-30") }, "\(transfers)")

        // a basis resting on rules with their own end: transfer_basis_expires_on decides
        var rules = try Self.withPartner(server: "JP", contracting: "US", basis: basis + "\n    transfer_basis_expires_on: 2027-06-30")
        rules.edit(.entrustment, "shop-partner-desk") { $0.edit("contract") { $0["renewal"] = .string("automatic") } }
        #expect(Self.findings(rules).isEmpty)
        #expect(Self.findings(rules, asOf: Day("2027-06-30")!).contains { $0.rule.id == "transfer.basis_lapsed" })
    }

    /// A sub-entrustee abroad whose servers are recorded as a residency of the service: its
    /// basis is the entrustment's it works under (judged there), not a missing entrustment.
    @Test func aForeignSubEntrusteeWithItsOwnResidencyIsJudgedUnderItsEntrustment() throws {
        func document(basis: String) throws -> RegistryDocument {
            var document = try Self.withPartner(server: "JP", contracting: "JP", basis: basis)
            document.edit(.entrustment, "shop-partner-desk") { entrustment in
                entrustment["reentrustment"] = .string("allowed")
            }
            try document.add("""
                vendors:
                  - key: usmail
                    legal_name: Usmail Mailing Inc.
                    kinds: [entrustee]
                    headquarters: US
                    risk_tier: low
                    valid_from: 2024-01-01
                residencies:
                  - key: shop-usmail-mail
                    service: shop
                    vendor: usmail
                    role: processing
                    categories: [user.name]
                    country: JP
                    source: Usmail statement of work
                    verified_on: 2026-11-01
                    asserted_by: Acme security office
                    valid_from: 2024-01-01
                """)
            // usmail works for partner on this entrustment
            let base = try CheckFixture.parse("""
                entrustments:
                  - key: x
                    service: shop
                    vendor: partner
                    categories: [user.name]
                    sub_entrustees:
                      - vendor: usmail
                        countries: [JP]
                        work: Mail delivery
                    valid_from: 2024-01-01
                """)
            let subs = try #require(base[.entrustment].first?["sub_entrustees"])
            document.edit(.entrustment, "shop-partner-desk") { $0["sub_entrustees"] = subs }
            return document
        }
        let covered = try document(basis: """
                transfer_basis: standard_conforming
                transfer_basis_checked_on: 2026-06-01
            """)
        let findings = Self.findings(covered)
        #expect(!findings.contains { $0.rule.id == "transfer.no_basis" }, "\(Self.describe(findings))")

        // without a basis the finding is on the entrustment the sub-entrustee works under, once
        let uncovered = Self.findings(try document(basis: ""))
        let noBasis = uncovered.filter { $0.rule.id == "transfer.no_basis" }
        #expect(noBasis.map(\.subject) == ["entrustment/shop-partner-desk"], "\(Self.describe(uncovered))")
        #expect(noBasis.first?.message.contains("sub-entrustee usmail") == true)
    }

    @Test func theStandardConformingRecipientIsCheckedAtLeastYearly() throws {
        let checked = try Self.withPartner(server: "JP", contracting: "US", basis: """
                transfer_basis: standard_conforming
                transfer_basis_checked_on: 2025-12-01
            """)
        #expect(Self.findings(checked).isEmpty, "365 days old: \(Self.describe(Self.findings(checked)))")
        let overdue = Self.findings(checked, asOf: Day("2026-12-02")!).filter { $0.rule.id == "transfer.basis_check_overdue" }
        #expect(overdue.map(\.subject) == ["entrustment/shop-partner-desk"])
        #expect(overdue.first?.message.contains("last made on 2025-12-01, 366 days ago") == true)

        let never = try Self.withPartner(server: "JP", contracting: "US", basis: "    transfer_basis: standard_conforming")
        #expect(Self.findings(never).map(\.rule.id) == ["transfer.basis_check_overdue"])
    }

    @Test func consentAsTheBasisNeedsTheArt28_2InformationRecordedAsGiven() throws {
        let uninformed = try Self.withPartner(server: "JP", contracting: "US", basis: "    transfer_basis: consent")
        let findings = Self.findings(uninformed)
        #expect(findings.map { "\($0.rule.id) \($0.subject)" } == ["transfer.consent_uninformed entrustment/shop-partner-desk"], "\(Self.describe(findings))")
        let informed = try Self.withPartner(server: "JP", contracting: "US", basis: """
                transfer_basis: consent
                foreign_info_given: true
            """)
        #expect(Self.findings(informed).isEmpty, "\(Self.describe(Self.findings(informed)))")
    }

    @Test func unknownReentrustmentTermsAreAskedForNotReadAsAProhibition() throws {
        var unknown = try CheckFixture.cleanDocument()
        unknown.edit(.entrustment, "shop-helper-desk") { $0["reentrustment"] = nil }
        let snapshot = CheckFixture.snapshot(unknown)
        #expect(snapshot.entrustments.first { $0.key == "shop-helper-desk" }?.reentrustment == "unknown")
        let findings = Self.findings(unknown)
        #expect(findings.map { "\($0.rule.id) \($0.subject) \($0.rule.severity)" } == ["entrustment.reentrustment_terms_unknown entrustment/shop-helper-desk warning"], "\(Self.describe(findings))")

        var prohibited = try CheckFixture.cleanDocument()
        prohibited.edit(.entrustment, "shop-helper-desk") { $0["reentrustment"] = .string("prohibited") }
        #expect(Self.findings(prohibited).map(\.rule.id) == ["sub_entrustee.not_permitted"])

        // the cloud exception owes no Art. 25 supervision: no question about its terms
        var cloud = try CheckFixture.cleanDocument()
        cloud.edit(.entrustment, "shop-nimbus-hosting") { $0["reentrustment"] = nil }
        #expect(Self.findings(cloud).isEmpty)
    }

    @Test func unknownRenewalTermsAreNotReadAsNoRenewal() throws {
        var document = try CheckFixture.cleanDocument()
        document.edit(.entrustment, "shop-helper-desk") {
            $0.edit("contract") {
                $0["renewal"] = nil
                $0["expires_on"] = .string("2026-11-30")
            }
        }
        #expect(CheckFixture.snapshot(document).entrustments.first { $0.key == "shop-helper-desk" }?.contract.renewal == "unknown")
        let findings = Self.findings(document)
        #expect(findings.map(\.rule.id) == ["contract.expired"], "\(Self.describe(findings))")
        #expect(findings.first?.message.contains("its renewal terms are not recorded") == true, "\(Self.describe(findings))")
    }

    @Test func theROPADoesNotPresentTheAPPICloudExceptionAsAGDPRSafeguard() throws {
        var document = try CheckFixture.cleanDocument()
        try document.add("""
            purposes:
              - key: shop-support
                name: Customer support
                name_ja: お客様サポートのため
                categories: [user.name, user.contact.email]
            """)
        let snapshot = CheckFixture.snapshot(document)
        let nimbus = RopaReport(snapshot).activities.flatMap(\.transfers).filter { $0.recipient == "Nimbus Cloud, Inc." }
        #expect(!nimbus.isEmpty)
        for transfer in nimbus {
            #expect(transfer.safeguard.hasPrefix("no GDPR Chapter V safeguard recorded"), "\(transfer)")
            #expect(!transfer.safeguard.contains("cloud exception (entrustment"), "\(transfer)")
        }
        // a missing DPA is a GDPR-derived warning, not an APPI error
        #expect(CheckRule.dpaMissing.severity == .warning && CheckRule.dpaMissing.basis.contains("GDPR-derived"))
    }

    @Test func everyRuleCitesItsSourceAndGDPRDerivedRulesAreNotAPPIErrors() {
        let sources = ["APPI Art", "Rules Art", "GL ", "GL §", "Q&A ", "TBA Art", "Enforcement Rules Art", "GDPR Art"]
        for rule in CheckRule.all {
            #expect(sources.contains { rule.basis.contains($0) }, "\(rule.id) cites no provision: \(rule.basis)")
            if rule.basis.contains("GDPR") && !rule.basis.contains("APPI Art") {
                #expect(rule.severity == .warning && rule.basis.contains("GDPR-derived"), "\(rule.id): \(rule.basis)")
            }
        }
    }

    // MARK: Dated regime facts

    static func fact(_ name: String, _ value: String, from: String?, to: String? = nil, confidence: String = "verified") -> RegistrySnapshot.RegimeFact {
        .init(country: "XX", fact: name, value: value, effectiveFrom: from.flatMap(Day.init), effectiveTo: to.flatMap(Day.init),
              publicEn: "\(name) \(value).", publicJa: "\(name)は\(value)です。", source: "test", confidence: confidence)
    }

    @Test func aFactHoldsFromItsStartUntilItsEndAndAnUnknownStartIsNotInvented() {
        let fact = Self.fact("jp_ppc_equivalent", "yes", from: "2019-01-23", to: "2020-01-31")
        #expect(!fact.inForce(on: Day("2019-01-22")!))
        // effective_to is the day of the event that ended it: the last day it holds (the README)
        #expect(fact.inForce(on: Day("2019-01-23")!) && fact.inForce(on: Day("2020-01-31")!))
        #expect(!fact.inForce(on: Day("2020-02-01")!))
        let undated = Self.fact("apec_cbpr", "yes", from: nil)
        #expect(undated.inForce(on: Day("2000-01-01")!) && undated.effectiveFrom == nil)
    }

    @Test func aFactWithNoRowIsNotAssertedNeverNo() throws {
        let regime = try #require(RegistrySnapshot.CountryRegime(facts: [Self.fact("comprehensive_law", "Test Act", from: "2020-01-01")], ppcSurvey: nil))
        #expect(regime.ppcEquivalent == "not_asserted" && regime.euAdequacy == "not_asserted" && regime.localization == "not_asserted")
        #expect(regime.comprehensiveLaw == "yes" && regime.lawName == "Test Act" && regime.ppcSurvey == "not_recorded")
        let snapshot = RegistrySnapshot(
            revision: 1, asOf: CheckFixture.day,
            countries: [.init(code: "XX", name: "Testland", regime: regime, facts: [Self.fact("comprehensive_law", "Test Act", from: "2020-01-01")])])
        #expect(Compliance.needsTransferBasis("XX", in: snapshot), "an unasserted designation is not a designation")
        #expect(RegistrySnapshot.CountryRegime(facts: [], ppcSurvey: "yes") == nil)
    }

    @Test func theDisclosureSummaryIsMadeOfPublicSentencesInGuideline5_2Order() {
        let facts = [
            Self.fact("government_access_duty", "yes", from: nil, confidence: "reported"),
            Self.fact("apec_cbpr", "yes", from: "2012-07-25"),
            Self.fact("comprehensive_law", "partial", from: "2020-01-01", confidence: "reported"),
            Self.fact("localization", "partial", from: nil, confidence: "general"),
        ]
        let regime = RegistrySnapshot.CountryRegime(facts: facts, ppcSurvey: "yes")
        let snapshot = RegistrySnapshot(revision: 1, asOf: CheckFixture.day, countries: [.init(code: "XX", name: "Testland", regime: regime, facts: facts)])
        let english = DisclosureReport.summary("XX", snapshot, .en)
        // (i) system, (ii) indicators, (iii) where to find the OECD-8 gaps, (iv) government access;
        // the unreviewed (general) localization fact is not published
        #expect(english.hasPrefix("comprehensive_law partial. apec_cbpr yes. For any obligations of businesses or rights of individuals corresponding to the eight principles of the OECD Privacy Guidelines"), "\(english)")
        #expect(english.hasSuffix("government_access_duty yes."), "\(english)")
        #expect(!english.contains("localization"))
        let japanese = DisclosureReport.summary("XX", snapshot, .ja)
        #expect(japanese.hasPrefix("comprehensive_lawはpartialです。apec_cbprはyesです。OECDプライバシーガイドライン8原則"), "\(japanese)")
    }
}
