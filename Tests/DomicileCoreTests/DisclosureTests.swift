import DomicileCore
import Foundation
import Testing

/// The public disclosure on crafted registries (issue 12): CheckFixture's clean registry,
/// changed one thing at a time.
@Suite("Disclosure")
struct DisclosureTests {
    static let generatedAt = Date(timeIntervalSince1970: 1_795_856_400)

    static func document(_ yaml: String = "", answers: Bool = true) throws -> RegistryDocument {
        var document = try CheckFixture.cleanDocument()
        if answers {
            document.edit(.assessment, "acme-security-2026") {
                $0.editEach("answers", where: { $0.string("item") == "HUM-1" }) {
                    $0["public_statement"] = .string("We train every employee on handling personal data every year.")
                    $0["public_statement_ja"] = .string("全従業者に対し、個人データの取扱いに関する研修を毎年実施しています。")
                }
            }
        }
        document.edit(.organization, "acme") {
            $0["address"] = .string("1-2-3 Marunouchi, Chiyoda-ku, Tokyo")
            $0["address_ja"] = .string("東京都千代田区丸の内1-2-3")
            $0["representative"] = .string("Hanako Sato, CEO")
            $0["representative_ja"] = .string("代表取締役 佐藤花子")
            $0["privacy_contact_name"] = .string("Privacy Desk")
            $0["privacy_contact_name_ja"] = .string("個人情報相談窓口")
            $0["privacy_contact_email"] = .string("privacy@acme.example")
        }
        if !yaml.isEmpty { try document.add(yaml) }
        return document
    }

    static func render(_ document: RegistryDocument, _ lang: ReportLanguage = .en, _ format: ReportFormat = .md) throws -> String {
        try ReportRenderer.render(.disclosure, CheckFixture.snapshot(document), format: format, lang: lang, generatedAt: generatedAt).text
    }

    static func blockers(_ document: RegistryDocument, _ lang: ReportLanguage = .en, findings: Bool = false, translations: Bool = false) -> [String] {
        DisclosureReport.blockers(CheckFixture.snapshot(document), lang: lang, allowFindings: findings, allowMissingTranslations: translations)
    }

    static let purpose = """
        purposes:
          - key: shop-orders
            name: To ship the orders of customers.
            name_ja: お客様のご注文の商品を発送するため
        """

    @Test func aCompleteRegistryIsPublishableInBothLanguagesWithProvenanceOnlyAsMetadata() throws {
        let document = try Self.document(Self.purpose)
        #expect(Self.blockers(document).isEmpty, "\(Self.blockers(document))")
        #expect(Self.blockers(document, .ja).isEmpty, "\(Self.blockers(document, .ja))")
        let snapshot = CheckFixture.snapshot(document)
        let rendered = try ReportRenderer.render(.disclosure, snapshot, format: .md, generatedAt: Self.generatedAt)
        let text = rendered.text
        // Front matter carries the provenance; the body does not show it.
        #expect(text.hasPrefix("---\ntitle: \"Handling of Personal Information\"\n"))
        let body = try #require(text.components(separatedBy: "\n---\n").dropFirst().first)
        #expect(text.contains("sha256: \"\(rendered.fingerprint)\""))
        #expect(text.contains("registry_revision: 7"))
        for hidden in [rendered.fingerprint, "revision", "Revision", "fingerprint", "do not edit", "evidence on file", "HUM-1", "Item HUM-1"] {
            #expect(!body.contains(hidden), "visible: \(hidden)")
        }
        #expect(body.contains("- To ship the orders of customers."))
        #expect(body.contains("### Human Security Management Measures\n\n- We train every employee on handling personal data every year."))
        // A measure met without a public statement is not published, not even as its title.
        #expect(!body.contains("Organizational Security Management Measures"))
        #expect(body.contains("- Name: Acme K.K.\n- Address: 1-2-3 Marunouchi, Chiyoda-ku, Tokyo\n- Representative: Hanako Sato, CEO"))
        #expect(body.contains("- Privacy Desk\n- Email: privacy@acme.example"))

        let html = try ReportRenderer.render(.disclosure, snapshot, format: .html, generatedAt: Self.generatedAt).text
        #expect(html.contains("<meta name=\"domicile:sha256\" content=\"\(rendered.fingerprint)\">"))
        let visible = try #require(html.components(separatedBy: "<body>").last)
        #expect(!visible.contains(rendered.fingerprint) && !visible.contains("<svg") && !visible.contains("<figure"))
        let json = try ReportRenderer.render(.disclosure, snapshot, format: .json, generatedAt: Self.generatedAt).text
        #expect(json.contains("\"fingerprint\" : \"\(rendered.fingerprint)\"") && json.contains("\"revision\" : 7"))

        let ja = try Self.render(document, .ja)
        #expect(ja.contains("当社は、個人データの漏えい、滅失又は毀損の防止その他の個人データの安全管理のため、以下の措置を講じています。"))
        #expect(ja.contains("- お客様のご注文の商品を発送するため"))
        #expect(ja.contains("個人情報の保護に関する法律"))
        #expect(ja.contains("電気通信事業法第27条の12"))
        #expect(ja.contains("- 住所：東京都千代田区丸の内1-2-3"))
        #expect(!ja.contains("To ship") && !ja.contains("Marunouchi") && !ja.contains("Hanako"))
    }

    @Test func anOptOutTransmissionShowsHowToOptOutWithItsURL() throws {
        var document = try Self.document(Self.purpose)
        document.edit(.transmission, "shop-tag") {
            $0["basis"] = .string("opt_out")
            $0["opt_out_url"] = .string("https://tagco.example/opt-out")
        }
        let en = try Self.render(document)
        #expect(en.contains("| Service Name | Name of the Recipient | Information to be Sent | Purpose of Information Use | How to Opt Out |\n"))
        #expect(en.contains("| Tag Analytics | TagCo LLC | Pages viewed | Measuring visits | https://tagco.example/opt-out |"))
        let ja = try Self.render(document, .ja)
        #expect(ja.contains("| Tag Analytics | TagCo LLC | 閲覧したページ | 訪問数の計測 | https://tagco.example/opt-out |"))
        #expect(ja.contains("オプトアウトの方法"))
        let html = try Self.render(document, .en, .html)
        #expect(html.contains("<a href=\"https://tagco.example/opt-out\">https://tagco.example/opt-out</a>"))
        // Without an opt-out transmission there is no such column.
        #expect(!(try Self.render(try Self.document(Self.purpose))).contains("How to Opt Out"))
    }

    @Test func aPurposeWithoutJapaneseStopsTheJapaneseDocumentAndIsNeverPrintedInEnglish() throws {
        let document = try Self.document("""
            purposes:
              - key: shop-orders
                name: To ship the orders of customers.
            """)
        #expect(Self.blockers(document).isEmpty, "the English document is complete")
        let blockers = Self.blockers(document, .ja)
        #expect(blockers.count == 1)
        #expect(blockers.first?.hasPrefix("purpose/shop-orders.name_ja: ") == true, "\(blockers)")
        #expect(Self.blockers(document, .ja, translations: true).isEmpty)
        let ja = try Self.render(document, .ja)
        #expect(!ja.contains("To ship"))
        #expect(ja.contains("- 【日本語未登録：purpose/shop-orders.name_ja】"))
        let finding = Checker.run(CheckFixture.snapshot(document)).filter { $0.rule.id == "disclosure.no_japanese" }
        #expect(finding.map(\.subject) == ["purpose/shop-orders"])
    }

    @Test(arguments: ["-", "TBD", " ", "tbc"])
    func aPlaceholderPurposeStopsTheDisclosureUnlessAllowedAndIsThenMarked(_ placeholder: String) throws {
        let document = try Self.document("""
            purposes:
              - key: shop-orders
                name: "\(placeholder)"
                name_ja: お客様のご注文の商品を発送するため
            """)
        let blockers = Self.blockers(document)
        #expect(blockers.contains { $0.hasPrefix("purpose/shop-orders.name: ") }, "\(blockers)")
        #expect(Self.blockers(document, findings: true).isEmpty)
        let text = try Self.render(document)
        #expect(text.contains("- (To be completed: purpose/shop-orders.name)"))
        #expect(!text.contains("- \(placeholder)\n"))
    }

    @Test func aMissingAddressOrContactIsAGapOfArticle32() throws {
        var document = try Self.document(Self.purpose)
        document.edit(.organization, "acme") {
            $0["address"] = nil
            $0["address_ja"] = nil
            $0["privacy_contact_email"] = nil
        }
        let blockers = Self.blockers(document)
        #expect(blockers.contains { $0.hasPrefix("organization/acme.address: ") }, "\(blockers)")
        #expect(blockers.contains { $0.hasPrefix("organization/acme.privacy_contact_email: ") }, "\(blockers)")
        #expect(try Self.render(document).contains("- Address: (To be completed: organization/acme.address)"))
        #expect(try Self.render(document, .ja).contains("- 住所：【要記入：organization/acme.address_ja】"))
    }

    @Test func aLegalExceptionProvisionIsNeverListedOnlyTheRuleAndItsThreeExceptions() throws {
        let document = try Self.document(Self.purpose + "\n" + """
            vendors:
              - key: police
                legal_name: Metropolitan Police Department
                kinds: [third_party_recipient]
                headquarters: JP
                risk_tier: low
                valid_from: 2024-01-01
            provisions:
              - key: shop-police-2026
                service: shop
                recipient: police
                basis: legal_exception
                legal_exception: "Art. 27(1)(i): investigation request, case no. 2026-123"
                purpose: Criminal investigation of case 2026-123
                categories: [user.name]
                recipient_country: JP
                records:
                  - {provided_on: 2026-02-01, data_subjects: one customer, items: name, retain_until: 2029-02-01}
                valid_from: 2026-02-01
            """)
        for lang in ReportLanguage.allCases {
            let text = try Self.render(document, lang)
            for hidden in ["Police", "police", "2026-123", "Criminal investigation", "警察"] {
                #expect(!text.contains(hidden), "\(lang): \(hidden)")
            }
        }
        let report = DisclosureReport(CheckFixture.snapshot(document), lang: .en)
        let thirdParties = try #require(report.sections.first { $0.id == "third-parties" })
        #expect(thirdParties.paragraphs.first?.hasPrefix("As a general rule, we do not provide personal information to third parties without the consent of the user.") == true)
        #expect(thirdParties.items.count == 3)
        #expect(thirdParties.items.first == "When required by law")
        #expect(thirdParties.after.isEmpty)
    }

    @Test func optOutAndJointUseProvisionsStateWhatArticle27RequiresInBothLanguages() throws {
        let document = try Self.document(Self.purpose + "\n" + """
            data_categories:
              - key: user.name
                name: Name
                name_ja: 氏名
            vendors:
              - key: lister
                legal_name: Lister K.K.
                name_ja: リスター株式会社
                kinds: [third_party_recipient]
                headquarters: JP
                risk_tier: low
                valid_from: 2024-01-01
            provisions:
              - key: shop-list
                service: shop
                recipient: lister
                basis: opt_out
                purpose: direct mail
                purpose_ja: ダイレクトメールの送付
                categories: [user.name]
                recipient_country: JP
                valid_from: 2025-01-01
              - key: shop-group
                service: shop
                recipient: lister
                basis: joint_use
                purpose: group marketing
                purpose_ja: グループの販売促進
                categories: [user.name]
                recipient_country: JP
                valid_from: 2025-01-01
            """)
        let en = try #require(DisclosureReport(CheckFixture.snapshot(document), lang: .en).sections.first { $0.id == "third-parties" })
        #expect(en.after == [
            "We provide Name to Lister K.K. (Japan) for the purpose of direct mail, and stop providing a person's data at their request (APPI Art. 27(2)); please make the request to the contact below.",
            "We use Name jointly with Lister K.K. (Japan) for the purpose of group marketing; Acme K.K. is responsible for its management (APPI Art. 27(5)(iii)).",
        ])
        let ja = try Self.render(document, .ja)
        #expect(ja.contains("当社は、本人の求めに応じて提供を停止することを条件に、氏名を、ダイレクトメールの送付のため、リスター株式会社（日本）に提供します"))
        #expect(ja.contains("当社は、氏名を、グループの販売促進のため、リスター株式会社（日本）と共同して利用します。"))
    }

    @Test func withoutAnAssessmentTheSecuritySectionIsAGapNotAnEmptyPromise() throws {
        var document = try Self.document(Self.purpose, answers: false)
        document[.assessment] = document[.assessment].filter { $0.key != "acme-security-2026" }
        let blockers = Self.blockers(document)
        #expect(blockers.contains { $0.hasPrefix("organization/acme.security_measures: ") }, "\(blockers)")
        #expect(blockers.contains { $0.hasPrefix("organization.never_assessed organization/acme: ") }, "\(blockers)")
        let text = try Self.render(document)
        #expect(!text.contains("We take the following measures"))
        #expect(text.contains("## Security Control Measures\n\n(To be completed: organization/acme.security_measures)"))
        // An assessment whose met answers have no public statement publishes no measure either.
        let unstated = try Self.document(Self.purpose, answers: false)
        #expect(Self.blockers(unstated).contains { $0.hasPrefix("organization/acme.security_measures: ") })
    }

    @Test func anErrorOfTheCheckOnADisclosedFactStopsTheDisclosure() throws {
        var document = try Self.document(Self.purpose)
        document.edit(.residency, "shop-nimbus-edge") { $0.edit("undisclosed") { $0["reason"] = .string("TBD") } }
        let blockers = Self.blockers(document)
        #expect(blockers.contains { $0.hasPrefix("residency.undisclosed_no_reason residency/shop-nimbus-edge: ") }, "\(blockers)")
        #expect(Self.blockers(document, findings: true).isEmpty)
    }

    @Test func anOrganizationsCSVWrittenBeforeTheJapaneseFieldsStillImports() {
        let old = "key,name,name_ja,country,address,representative,privacy_contact_name,privacy_contact_email,privacy_contact_url\n"
            + "acme,Acme K.K.,株式会社アクメ,JP,1-2-3 Marunouchi,\"Hanako Sato, CEO\",Privacy Desk,privacy@acme.example,\n"
        let (records, issues) = RegistryCSV.parse(old, file: "organizations.csv", kind: .organization)
        #expect(issues.isEmpty, "\(issues)")
        #expect(records.first?.string("representative") == "Hanako Sato, CEO" && records.first?.string("address_ja") == nil)
        let (withJapanese, more) = RegistryCSV.parse(
            old.replacingOccurrences(of: "privacy_contact_url\n", with: "privacy_contact_url,address_ja\n")
                .replacingOccurrences(of: "privacy@acme.example,\n", with: "privacy@acme.example,,東京都千代田区丸の内1-2-3\n"),
            file: "organizations.csv", kind: .organization)
        #expect(more.isEmpty, "\(more)")
        #expect(withJapanese.first?.string("address_ja") == "東京都千代田区丸の内1-2-3")
    }

    @Test func countrySystemsFollowThePPCStructureInJapanese() throws {
        let document = try Self.document(Self.purpose)
        let ja = DisclosureReport(CheckFixture.snapshot(document), lang: .ja)
        let us = try #require(ja.services.first?.externalEnvironment.countrySystems.first { $0.code == "US" })
        #expect(us.name == "米国")
        #expect(us.parts.map(\.heading).prefix(2) == ["制度の有無", "OECDプライバシーガイドライン8原則に対応する事業者の義務又は本人の権利の不存在"])
        #expect(us.parts.first?.items == ["USにはテスト法があります。"])
    }
}
