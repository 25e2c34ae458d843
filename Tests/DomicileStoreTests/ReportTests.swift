import DomicileCore
import DomicileStore
import Foundation
import TestSupport
import Testing

/// Reports on the PERSONA example, through `Store.snapshot` and `ReportRenderer`.
@Suite("Reports")
struct ReportTests {
    static let asOf = Day("2026-11-28")!
    static let generatedAt = Date(timeIntervalSince1970: 1_795_000_000)

    static func persona(_ db: TestDatabase) throws -> Store {
        try SnapshotTests.persona(db)
    }

    static func render(
        _ kind: ReportKind, _ snapshot: RegistrySnapshot, _ format: ReportFormat = .md, lang: ReportLanguage = .en,
        options: ReportOptions = ReportOptions()
    ) throws -> RenderedReport {
        try ReportRenderer.render(kind, snapshot, format: format, lang: lang, generatedAt: generatedAt, options: options)
    }

    /// The reference policy, one trimmed line per element: the repository's copy of
    /// ../shared/reference/persona-privacy-policy.txt (CI's clone has only the repository).
    static let policy: [String] = {
        let url = TestDatabase.repositoryRoot.appendingPathComponent("seeds/examples/persona-privacy-policy.txt")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }()

    /// The value after "LABEL: " on the policy line that starts with `label`.
    static func policyValue(_ label: String) -> String? {
        policy.first { $0.hasPrefix(label + ":") }.map { String($0.dropFirst(label.count + 1)).trimmingCharacters(in: .whitespaces) }
    }

    /// The policy's lines from the one equal to `start` (excluded) to the first one `end` matches.
    static func policySection(after start: String, until end: (String) -> Bool) -> [String] {
        guard let first = policy.firstIndex(of: start) else { return [] }
        let rest = policy[(first + 1)...]
        return Array(rest.prefix { !end($0) })
    }

    static func section(_ report: DisclosureReport, _ id: String) -> DisclosureReport.Section? {
        (report.sections + report.closing).first { $0.id == id }
    }

    @Test("The English disclosure states every fact of the reference policy's matching sections, section by section")
    func disclosureMatchesPolicy() async throws {
        try #require(!Self.policy.isEmpty, "reference policy not found")
        try await TestDatabase.with(.seeded) { db in
            let snapshot = try Self.persona(db).snapshot(asOf: Self.asOf)
            let model = DisclosureReport(snapshot, lang: .en)
            let text = try Self.render(.disclosure, snapshot).text
            let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }

            // Purposes of use: the policy's eight, and the purpose of its pseudonymized information.
            let purposes = Self.policySection(after: "We collect personal information of service users for the following purposes.") {
                $0.hasPrefix("Providing personal information to our company is voluntary")
            }
            #expect(purposes.count == 8)
            let pseudonymized = try #require(Self.policy.first { $0.hasPrefix("・For the improvement of our services and the development") })
            let stated = try #require(Self.section(model, "purposes")).items
            #expect(Set(stated) == Set(purposes + [String(pseudonymized.dropFirst())]), "\(stated)")
            for purpose in purposes { #expect(lines.contains("- \(purpose)"), "\(purpose)") }

            // Third-party provision: the rule and its three exceptions, in general terms.
            let rule = try #require(Self.policy.first { $0.hasPrefix("As a general rule, we do not provide personal information") })
            let exceptions = Self.policySection(after: rule) { $0.hasPrefix("For business operations") }
            #expect(exceptions.count == 3)
            let thirdParties = try #require(Self.section(model, "third-parties"))
            #expect(thirdParties.items == exceptions)
            let ruleSentence = try #require(rule.components(separatedBy: ". ").first)
            #expect(thirdParties.paragraphs.first?.hasPrefix(ruleSentence + ".") == true)

            // Entrustment, word for word.
            let entrustment = try #require(Self.policy.first { $0.hasPrefix("For business operations, we may entrust") })
            #expect(Self.section(model, "entrustment")?.paragraphs == [entrustment])

            // Security measures: each group the policy names with its sentences, and nothing else.
            let measures = Self.policySection(after: "We may create aggregated data that cannot identify individuals based on the personal information we have received. For aggregated data that cannot identify individuals, we may use it without any restrictions.") {
                $0 == "Understanding the External Environment"
            }
            var headings: [String] = []
            var sentences: [[String]] = []
            for line in measures {
                if line.hasPrefix("・") {
                    sentences[sentences.count - 1].append(String(line.dropFirst()))
                } else {
                    headings.append(line)
                    sentences.append([])
                }
            }
            #expect(headings.count == 4)
            let groups = try #require(Self.section(model, "security")).groups
            let groupHeadings = groups.map { $0.heading }
            let groupItems = groups.map { $0.items }
            #expect(groupHeadings == headings)
            #expect(groupItems == sentences)
            for heading in headings { #expect(lines.contains("### \(heading)"), "\(heading)") }

            // External environment: the same countries, the note, and each foreign country's system.
            for label in ["Cloud service provider's country", "Data storage countries"] {
                let value = try #require(Self.policyValue(label), "policy has no \(label)")
                #expect(lines.contains("- \(label): \(value)"), "\(label): \(value)")
            }
            #expect(text.contains("We will implement security management measures after understanding the system for protecting personal information in the following countries where personal data is stored on cloud services."))
            let note = try #require(Self.policy.first { $0.hasPrefix("* For some cloud services") })
            #expect(text.contains("\\" + note))
            let service = try #require(model.services.first)
            let systems = service.externalEnvironment.countrySystems
            #expect(systems.map(\.code) == ["US"])
            for system in systems {
                let facts = snapshot.country(system.code)?.facts.filter { $0.publishable } ?? []
                #expect(!facts.isEmpty)
                for fact in facts { #expect(system.summary.contains(fact.publicEn), "\(system.code) \(fact.fact)") }
            }

            // The external-transmission table: the policy's row (its "Google LCC" is a typo kept as an alias).
            let rows = try #require(service.transmissions?.rows)
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(row.tool == "Google Analytics" && row.recipient == "Google LLC" && row.optOut == nil)
            let policyRow = try #require(Self.policy.first { $0.hasPrefix("| Google Analytics |") })
            #expect(policyRow.contains("Google LCC"))
            for information in row.information.components(separatedBy: ", ") {
                #expect(policyRow.lowercased().contains(information.lowercased()), "\(information)")
            }
            #expect(text.contains("| Google Analytics | Google LLC | Activity on the site, IP address | Understanding usage status for service improvement |"))
            #expect(Self.policy.contains("| Service Name | Name of the Recipient | Information to be Sent | Purpose of Information Use |"))
            #expect(service.transmissions?.columns == ["Service Name", "Name of the Recipient", "Information to be Sent", "Purpose of Information Use"])

            // The contact for requests and complaints, and the company (APPI Art. 32(1)).
            let contact = Self.policySection(after: "Our contact information for complaints and consultations regarding personal information, disclosure, etc. is as follows:") {
                $0.hasPrefix("Disclosure of User Information")
            }
            #expect(contact == ["ASSIGN Inc.", "Personal Information Complaints and Consultations Contact", "persona-privacy@a-ssign.com"])
            let requests = try #require(Self.section(model, "requests")).items
            #expect(requests == [contact[1], "Email: " + contact[2]])
            #expect(try #require(Self.section(model, "operator")).items.first == "Name: " + contact[0])
            // The policy states no address or representative: they are the only gaps.
            #expect(model.gaps.map(\.subject) == ["organization/assign.address", "organization/assign.representative"])
            #expect(DisclosureReport.blockers(snapshot, lang: .en, allowFindings: false, allowMissingTranslations: false).count == 2)

            // Nothing internal: no checklist title, reviewer note, evidence, key or provenance in the body.
            let body = try #require(text.components(separatedBy: "\n---\n").dropFirst().first)
            for hidden in ["Employee training", "to be confirmed", "Policy, ", "persona-aws", "persona-support", "tsubame", "Tsubame", "Hikari", "RUL", "%",
                             "revision", "fingerprint", "do not edit", "CloudFront", "KMS", "ASSUMPTION"] {
                #expect(!body.contains(hidden), "visible: \(hidden)")
            }
        }
    }

    @Test("The Japanese disclosure reads as a Japanese policy: the guideline's terms, Japanese law and country names, no English")
    func japaneseDisclosure() async throws {
        try await TestDatabase.with(.seeded) { db in
            let snapshot = try Self.persona(db).snapshot(asOf: Self.asOf)
            let model = DisclosureReport(snapshot, lang: .ja)
            #expect(model.gaps.map(\.subject) == ["organization/assign.address_ja", "organization/assign.representative_ja"])
            #expect(DisclosureReport.blockers(snapshot, lang: .ja, allowFindings: true, allowMissingTranslations: false).isEmpty)
            let text = try Self.render(.disclosure, snapshot, lang: .ja).text
            for term in ["組織的安全管理措置", "人的安全管理措置", "物理的安全管理措置", "技術的安全管理措置", "外的環境の把握", "安全管理措置",
                         "個人情報の利用目的", "個人情報の第三者提供", "個人情報の取扱いの委託", "開示等の請求及びお問い合わせ窓口"] {
                #expect(text.contains("### \(term)") || text.contains("## \(term)"), "\(term)")
            }
            #expect(text.contains("当社は、個人データの漏えい、滅失又は毀損の防止その他の個人データの安全管理のため、以下の措置を講じています。"))
            #expect(text.contains("個人情報の保護に関する法律") && text.contains("電気通信事業法第27条の12"))
            #expect(text.contains("- 全従業者に対し、個人データの取扱いに関する研修を実施しています。"))
            #expect(text.contains("- クラウドサービス提供事業者の所在国：米国"))
            #expect(text.contains("- データの保管国：日本、米国"))
            #expect(text.contains("| Google Analytics | Google LLC | サイト上での行動履歴、IPアドレス | サービス改善のための利用状況の把握 |"))
            #expect(text.contains("- 本サービスの会員の認証、管理および連絡、ならびに各種システム機能の提供のため"))
            // The PPC's structure for each country.
            #expect(text.contains("##### 米国\n\n- 制度の有無："))
            // the US system in the dated facts' public Japanese sentences (country-regime-facts.md §4)
            #expect(text.contains("- 制度の有無：米国には、個人情報の保護に関する包括的な連邦法はなく、"), "\(text)")
            #expect(text.contains("- 指標となり得る情報："))
            #expect(text.contains("- OECDプライバシーガイドライン8原則に対応する事業者の義務又は本人の権利の不存在："))
            #expect(text.contains("- 本人の権利利益に重大な影響を及ぼす可能性のある制度："))
            #expect(text.contains("大韓民国（韓国）") && !text.contains(" (韓国)"))
            // No English sentence: the only Latin script left is names, addresses and codes.
            let body = try #require(text.components(separatedBy: "\n---\n").dropFirst().first)
            let allowed = ["Google Analytics", "Google LLC", "PERSONA", "ASSIGN", "persona-privacy@a-ssign.com", "organization/assign.address_ja",
                           "organization/assign.representative_ja", "IP", "APEC", "CBPR", "EU", "OECD", "PIPA", "PDPA", "HIPAA", "COPPA", "FISA", "CLOUD"]
            var rest = body
            for name in allowed { rest = rest.replacingOccurrences(of: name, with: "") }
            let words = rest.split { !($0.isASCII && $0.isLetter) }.filter { $0.count > 3 }.map(String.init)
            #expect(words.isEmpty, "English in the Japanese document: \(Set(words).sorted())")
        }
    }

    @Test("The fingerprint depends on content, not on the format or the generation time; a write changes it")
    func fingerprint() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try Self.persona(db)
            let snapshot = try store.snapshot(asOf: Self.asOf)
            let md = try Self.render(.residency, snapshot, .md)
            let html = try Self.render(.residency, snapshot, .html)
            let later = try ReportRenderer.render(.residency, snapshot, format: .md, generatedAt: Self.generatedAt.addingTimeInterval(3600))
            #expect(md.fingerprint.count == 64 && md.fingerprint == html.fingerprint && md.fingerprint == later.fingerprint)
            #expect(md.text != later.text)
            #expect(md.text.contains(md.fingerprint) && html.text.contains(md.fingerprint))
            #expect(md.text.contains("| Registry revision | \(snapshot.revision) |"))
            #expect(md.text.contains("| As of | 2026-11-28 |"))
            #expect(md.text.contains("| Generated at | 2026-11-18T11:06:40Z |"))
            #expect(try Self.render(.residency, try store.snapshot(asOf: Self.asOf)).text == md.text, "not reproducible")
            #expect(try Self.render(.disclosure, snapshot, lang: .ja).fingerprint != (try Self.render(.disclosure, snapshot).fingerprint))

            try store.write(actor: "test") { connection in
                _ = try connection.query("UPDATE residency SET notes = 'moved' WHERE key = 'persona-aws-tokyo-storage'")
            }
            #expect(try Self.render(.residency, try store.snapshot(asOf: Self.asOf)).fingerprint != md.fingerprint)
        }
    }

    @Test("HTML is one self-contained file with the data-flow and completion figures as inline SVG")
    func htmlSelfContained() async throws {
        try await TestDatabase.with(.seeded) { db in
            let snapshot = try Self.persona(db).snapshot(asOf: Self.asOf)
            // The public disclosure has no figure (DisclosureTests; scripts/e2e/disclosure-html.sh).
            let disclosure = try Self.render(.disclosure, snapshot, .html).text
            #expect(!disclosure.contains("<svg") && !disclosure.contains("<script") && !disclosure.contains(" src=") && disclosure.contains("@media print"))
            for kind in ReportKind.allCases where kind != .disclosure {
                let html = try Self.render(kind, snapshot, .html).text
                #expect(html.hasPrefix("<!DOCTYPE html>"))
                #expect(html.components(separatedBy: "<svg").count == 3, "\(kind)")
                #expect(!html.contains("<script") && !html.contains("<link") && !html.contains(" src="), "\(kind) loads something")
                // the only URL is the SVG namespace
                // nothing is fetched: no URL in an attribute but the SVG namespace (sources may cite URLs as text)
                let urls = html.components(separatedBy: "=\"http").dropFirst().map { String($0.prefix(30)) }
                #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg") }, "\(kind): \(urls)")
                #expect(!html.contains("url(http") && !html.contains("@import"), "\(kind)")
                #expect(html.contains("@media print"))
            }
            let flow = ReportCharts.dataFlow(snapshot, lang: .en)
            for name in ["PERSONA", "Amazon Web Services, Inc.", "Tsubame Support Services K.K.", "Google LLC", "Japan (JP)", "Undisclosed location"] {
                #expect(flow.contains(name), "\(name)")
            }
            let chart = ReportCharts.completionChart(snapshot, lang: .en)
            #expect(chart.contains("ASSIGN Inc. — appi-security-2022 (2026-11-20, 50%)"))
            #expect(chart.contains("HUM Human Security Management Measures"))
        }
    }

    @Test("The residency report: categories by location, regime facts per country, the undisclosed location with its candidates")
    func residency() async throws {
        try await TestDatabase.with(.seeded) { db in
            let snapshot = try Self.persona(db).snapshot(asOf: Self.asOf)
            let report = ResidencyReport(snapshot)
            let persona = try #require(report.services.first)
            #expect(persona.countries == ["JP", "US"])
            let email = try #require(persona.categories.first { $0.key == "user.contact.email" })
            #expect(email.locations.map { "\($0.vendor)/\($0.role)/\($0.country ?? "-")" } == [
                "aws/storage/JP", "tsubame-support/entrustee/JP", "hikari-mail/sub_entrustee/JP",
            ])
            let ip = try #require(persona.categories.first { $0.key == "user.device.ip_address" })
            #expect(ip.locations.contains { $0.undisclosed && $0.candidates == ["JP", "KR", "SG", "US"] })
            #expect(ip.locations.first { $0.country == "US" }?.basis == "cloud exception (entrustment persona-aws-hosting)")
            #expect(report.countries.map(\.code) == ["JP", "US"])
            let us = try #require(report.countries.last)
            // no source asserts a PPC designation of the US (an absent fact is not a "no")
            #expect(us.facts.contains { $0.label.hasPrefix("PPC-designated") && $0.value == "not asserted by any source" }, "\(us.facts)")
            #expect(us.facts.contains { $0.label == "APEC CBPR" && $0.value == "yes" })
            #expect(report.undisclosed.map(\.residency) == ["persona-aws-cdn-undisclosed"])
            #expect(report.undisclosed.first?.candidates == ["Japan", "Republic of Korea", "Republic of Singapore", "United States of America"])
            #expect(report.warnings.isEmpty, "\(report.warnings)")

            let csv = try Self.render(.residency, snapshot, .csv).text.split(separator: "\n")
            #expect(csv.first?.hasPrefix("# Data residency report; registry revision \(snapshot.revision); as of 2026-11-28") == true)
            #expect(csv[1] == "service,category,vendor,role,country,region,undisclosed,candidates,basis,warnings")
            // AWS, Inc. (US) receives the data even on Tokyo servers: its basis is shown there too (Q&A 12-4)
            #expect(csv.contains("persona,user.contact.email,aws,storage,JP,aws/ap-northeast-1,no,,cloud exception (entrustment persona-aws-hosting),"), "\(csv)")

            // As of 2021-01-01 the support desk was not entrusted yet.
            let early = ResidencyReport(try Self.persona(db).snapshot(asOf: Day("2021-01-01")))
            #expect(!(early.services.first?.categories.flatMap(\.locations).contains { $0.vendor == "tsubame-support" } ?? true))
        }
    }

    @Test("The vendor report: contract state by the expiry window, gaps with evidence, review due, risk factors")
    func vendors() async throws {
        try await TestDatabase.with(.seeded) { db in
            let snapshot = try Self.persona(db).snapshot(asOf: Self.asOf)
            let tsubame = try #require(VendorReport(snapshot).vendors.first { $0.key == "tsubame-support" })
            #expect(tsubame.agreements.first?.contract == "active")
            #expect(tsubame.agreements.first?.noticeDeadline == "2026-12-31")
            #expect(tsubame.countriesThroughSubEntrustees == ["JP"])
            #expect(tsubame.review.state == "due" && tsubame.review.due == "2027-11-20")
            let assessment = try #require(tsubame.assessments.first)
            #expect(assessment.gaps.map(\.item) == ["VEN-CON-2", "VEN-MON-1", "VEN-SUB-2", "VEN-USE-1"])
            #expect(assessment.gaps.allSatisfy { $0.status == "unmet" && $0.note == "not stated in the published policy; to be confirmed" })
            #expect(tsubame.risk.factors.map(\.factor).contains("certifications (iso27001, pmark)"))

            // 2027-03-31 is 123 days after the as-of day.
            let wide = VendorReport(snapshot, options: ReportOptions(expiringWithinDays: 130))
            let agreement = try #require(wide.vendors.first { $0.key == "tsubame-support" }?.agreements.first)
            #expect(agreement.contract == "expiring" && agreement.contractSummary == "expiring on 2027-03-31 (in 123 days)")
            let later = VendorReport(try Self.persona(db).snapshot(asOf: Day("2027-12-01")))
            let expired = try #require(later.vendors.first { $0.key == "tsubame-support" })
            #expect(expired.agreements.first?.dpa == "expired")
            #expect(expired.review.state == "overdue")
            #expect(later.vendors.first { $0.key == "hikari-mail" }?.review.state == "never_assessed")

            let md = try Self.render(.vendors, snapshot).text
            #expect(md.contains("| VEN-CON-2 Contract clauses | unmet | no |  | not stated in the published policy; to be confirmed |"))
        }
    }

    @Test("The ROPA: one activity per PERSONA purpose, recipients and transfers with their safeguard")
    func ropa() async throws {
        try await TestDatabase.with(.seeded) { db in
            let snapshot = try Self.persona(db).snapshot(asOf: Self.asOf)
            let report = RopaReport(snapshot)
            #expect(report.controller?.name == "ASSIGN Inc.")
            #expect(report.activities.count == 9)
            #expect(report.activities.allSatisfy { $0.purpose.hasPrefix("persona-") })
            let inquiries = try #require(report.activities.first { $0.purpose == "persona-inquiries" })
            #expect(inquiries.recipients.contains("Tsubame Support Services K.K. (entrustee)"))
            #expect(inquiries.recipients.contains("Hikari Mail Delivery K.K. (sub-entrustee)"))
            #expect(inquiries.dataSubjects == ["users of PERSONA"])
            let improvement = try #require(report.activities.first { $0.purpose == "persona-service-improvement" })
            // GDPR Art. 30(1)(e): the EU-US adequacy decision covers DPF-certified organisations only
            // (in force on 2026-11-28); the APPI cloud exception is no GDPR safeguard and is not shown as one
            #expect(improvement.transfers.contains { $0.recipient == "Google LLC" && $0.country == "US" && $0.safeguard == "EU adequacy decision of limited scope (GDPR Art. 45): record whether the recipient is covered" }, "\(improvement.transfers)")
            let aws = improvement.transfers.filter { $0.recipient == "Amazon Web Services, Inc." }
            #expect(!aws.isEmpty && aws.allSatisfy { !$0.safeguard.contains("cloud exception") }, "\(aws)")
            #expect(report.security.contains("Human Security Management Measures: Employee training, Confidentiality of employees"))
            #expect(try Self.render(.ropa, snapshot, .csv).text.contains("service,purpose,data_subjects,categories,recipients,transfers,retention"))
        }
    }

    @Test("Bad requests are input errors naming the field: disclosure is not a table, unknown kinds and languages get suggestions")
    func badRequests() throws {
        #expect(throws: InputError.self) { try ReportRequest.parse(kind: "disclosure", format: "csv", lang: nil, asOf: nil) }
        do {
            _ = try ReportRequest.parse(kind: "vendor", format: "pdf", lang: "jp", asOf: "2026-02-30")
            Testing.Issue.record("accepted")
        } catch {
            let messages = error.issues.map(\.message)
            #expect(messages.count == 4)
            #expect(messages[0] == "report 'vendor' is not allowed; use one of: residency, vendors, disclosure, ropa (did you mean vendors?)")
            #expect(messages[1].hasPrefix("format 'pdf' is not allowed; use one of: md, html, json, csv"))
            #expect(messages[2].hasPrefix("lang 'jp' is not allowed; use one of: en, ja"))
            #expect(messages[3] == "as-of '2026-02-30' is not valid: expected an ISO 8601 date YYYY-MM-DD, e.g. 2025-04-01")
        }
        let ok = try ReportRequest.parse(kind: "ropa", format: "csv", lang: "ja", asOf: "2025-04-01")
        #expect(ok.kind == .ropa && ok.format == .csv && ok.lang == .ja && ok.asOf == Day("2025-04-01"))
    }
}
