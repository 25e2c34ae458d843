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

    @Test("The English disclosure states the reference policy's facts: countries, undisclosed note, entrustment, transmission row, measure groups")
    func disclosureMatchesPolicy() async throws {
        try #require(!Self.policy.isEmpty, "reference policy not found")
        try await TestDatabase.with(.seeded) { db in
            let snapshot = try Self.persona(db).snapshot(asOf: Self.asOf)
            let text = try Self.render(.disclosure, snapshot).text
            let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }

            // External environment: the same countries, in the policy's words.
            for label in ["Cloud service provider's country", "Data storage countries"] {
                let stated = try #require(Self.policyValue(label), "policy has no \(label)")
                #expect(lines.contains("- \(label): \(stated)"), "\(label): \(stated)")
            }
            #expect(Self.policyValue("Data storage countries") == "Japan, United States of America")
            // The undisclosed-location note, word for word (the policy's "*" is escaped in Markdown).
            let note = try #require(Self.policy.first { $0.hasPrefix("* For some cloud services") })
            #expect(text.contains("\\" + note))
            // The entrustment statement, word for word.
            let entrustment = try #require(Self.policy.first { $0.hasPrefix("For business operations, we may entrust") })
            #expect(lines.contains(entrustment))
            #expect(text.contains("We will implement security management measures after understanding the system for protecting personal information in the following countries where personal data is stored on cloud services."))

            // Every measure group the policy names, and no group it does not name.
            let groups = ["Organizational", "Human", "Physical", "Technical"].map { "\($0) Security Management Measures" }
            for group in groups {
                #expect(Self.policy.contains(group))
                #expect(lines.contains("### \(group)"), "\(group)")
            }
            let model = DisclosureReport(snapshot, lang: .en)
            #expect(model.security.map(\.group) == ["BP", "ORG", "HUM", "PHY", "TEC"])
            #expect(model.security.first { $0.group == "HUM" }?.measures == ["Employee training", "Confidentiality of employees"])
            #expect(model.security.first { $0.group == "TEC" }?.measures == ["Access control", "Prevention of unauthorized access from outside"])

            // The transmission table: one row, the policy's row (its "Google LCC" is a typo kept as an alias).
            let service = try #require(model.services.first)
            let rows = try #require(service.transmissions?.rows)
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(row.tool == "Google Analytics")
            #expect(row.recipient == "Google LLC")
            #expect(snapshot.vendor("google")?.aliases.contains("Google LCC") == true)
            let policyRow = try #require(Self.policy.first { $0.hasPrefix("| Google Analytics |") })
            #expect(policyRow.contains("Google LCC"))
            for information in row.information.components(separatedBy: ", ") {
                #expect(policyRow.lowercased().contains(information.lowercased()), "\(information)")
            }
            #expect(text.contains("| Google Analytics | Google LLC | Activity on the site, IP address | Understanding usage status for service improvement |"))
            #expect(service.transmissions?.columns == ["Service Name", "Name of the Recipient", "Information to be Sent", "Purpose of Information Use"])
            #expect(Self.policy.contains("| Service Name | Name of the Recipient | Information to be Sent | Purpose of Information Use |"))
            // Only the one foreign country is summarized.
            #expect(service.externalEnvironment.countrySystems.map(\.code) == ["US"])
        }
    }

    @Test("The Japanese disclosure uses the guideline's terms and Japanese country names")
    func japaneseDisclosure() async throws {
        try await TestDatabase.with(.seeded) { db in
            let snapshot = try Self.persona(db).snapshot(asOf: Self.asOf)
            let text = try Self.render(.disclosure, snapshot, lang: .ja).text
            for term in ["組織的安全管理措置", "人的安全管理措置", "物理的安全管理措置", "技術的安全管理措置", "外的環境の把握", "安全管理措置"] {
                #expect(text.contains("### \(term)") || text.contains("## \(term)"), "\(term)")
            }
            #expect(text.contains("- クラウドサービス提供事業者の所在国：米国"))
            #expect(text.contains("- データの保管国：日本、米国"))
            #expect(text.contains("| Google Analytics | Google LLC | サイト上での行動履歴、IPアドレス | サービス改善のための利用状況の把握 |"))
            #expect(text.contains("電気通信事業法第27条の12"))
            #expect(!text.contains("Security Management Measures"))
            // Japanese sentences, without English seed text or half-width brackets in them.
            // the US summary in the dated facts' public Japanese sentences (country-regime-facts.md §4)
            #expect(text.contains("米国：米国には、個人情報の保護に関する包括的な連邦法はなく、"), "\(text)")
            #expect(text.contains("大韓民国（韓国）"))
            #expect(!text.contains("Sectoral"))
            #expect(!text.contains(" (韓国)"))
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
            for kind in ReportKind.allCases {
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
