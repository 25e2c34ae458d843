@testable import DomicileAPI
import DomicileCore
@testable import DomicileStore
import Foundation
import Testing
import TestSupport

/// The console's vendor list, vendor page and audit page on the PERSONA registry: what a
/// reader sees in each table (row text, tags stripped), what the filters keep, names as the
/// API takes them, unknown vendors, escaping and the Japanese page.
@Suite("Console: vendors and audit")
struct ConsoleVendorPagesTests {
    /// Signs in with a new read token and runs `body` with a function that GETs a console page.
    static func withPages(
        _ db: TestDatabase, _ body: @escaping @Sendable (_ get: @escaping @Sendable (String) async throws -> Answer) async throws -> Void
    ) async throws {
        let token = try APITest.token(db, name: "console-\(UUID().uuidString.prefix(8))")
        try await APITest.with(url: db.url) { client in
            let signedIn = try await client.signIn(token)
            let cookie = try #require(ConsoleTests.cookie(signedIn))
            try await body { target in try await client.raw("GET", target, headers: ["Cookie": cookie]) }
        }
    }

    /// The text of each row of the table with id `table` (tags stripped, entities decoded, spaces collapsed).
    static func rows(_ html: String, table: String) -> [String] {
        guard let start = html.range(of: "<table id=\"\(table)\""),
            let end = html.range(of: "</table>", range: start.upperBound..<html.endIndex)
        else { return [] }
        let body = html[start.upperBound..<end.lowerBound]
        let tbody = body.range(of: "<tbody>").map { body[$0.upperBound...] } ?? body
        return tbody.components(separatedBy: "<tr").dropFirst().map(text)
    }

    /// Visible text: tags removed, the five entities decoded, white space collapsed.
    static func text<S: StringProtocol>(_ html: S) -> String {
        var result = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true; result += " "; continue }
            if character == ">" { inTag = false; continue }
            if !inTag { result.append(character) }
        }
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&amp;", "&")] {
            result = result.replacingOccurrences(of: entity, with: character)
        }
        return result.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The section of the page from the heading with id `id` to the next `<h2`.
    static func section(_ html: String, _ id: String) -> String {
        guard let start = html.range(of: "<h2 id=\"\(id)\"") else { return "" }
        let end = html.range(of: "<h2", range: start.upperBound..<html.endIndex)?.lowerBound ?? html.endIndex
        return String(html[start.lowerBound..<end])
    }

    static let names = [
        "aws": "Amazon Web Services, Inc.", "google": "Google LLC", "hikari-mail": "Hikari Mail Delivery K.K.",
        "tsubame-support": "Tsubame Support Services K.K.",
    ]

    /// Which PERSONA vendors the list's table shows.
    static func listed(_ html: String) -> Set<String> {
        let rows = rows(html, table: "vendor-table")
        return Set(names.filter { _, name in rows.contains { $0.contains(name) } }.map(\.key))
    }

    @Test func everyLabelOfThesePagesHasBothLanguages() {
        for template in [VendorListView.template, VendorView.template, AuditView.template] {
            for (name, label) in template.labels {
                #expect(!label.en.isEmpty && !label.ja.isEmpty, "\(template.name).\(name)")
            }
        }
        for entity in ConsoleVendorData.auditEntities {
            #expect(ConsoleVendorData.entityLabel(entity, .ja) != entity, "\(entity)")
        }
        for status in ConsoleVendorData.Status.allCases {
            #expect(status.label(.en) != status.label(.ja))
        }
    }

    @Test func theListShowsEveryVendorInForceAndEachFilterNarrowsIt() async throws {
        try await APITest.withPersona { db in
            try await Self.withPages(db) { get in
                let all = try await get("/vendors?lang=en")
                #expect(all.status == 200)
                #expect(Self.listed(all.body) == ["aws", "google", "hikari-mail", "tsubame-support"])
                let aws = try #require(Self.rows(all.body, table: "vendor-table").first { $0.contains("Amazon Web Services") })
                for shown in ["Cloud provider", "United States of America", "Japan", "High", "Active"] {
                    #expect(aws.contains(shown), "\(shown) in \(aws)")
                }
                #expect(Self.text(all.body).contains("4 of 4 vendors"))

                // What an empty form sends is no filter.
                let empty = try await get("/vendors?q=&kind=&country=&risk_tier=&status=active&as_of=&lang=en")
                #expect(Self.listed(empty.body) == ["aws", "google", "hikari-mail", "tsubame-support"])

                #expect(Self.listed(try await get("/vendors?kind=entrustee").body) == ["hikari-mail", "tsubame-support"])
                #expect(Self.listed(try await get("/vendors?risk_tier=high").body) == ["aws"])
                #expect(Self.listed(try await get("/vendors?q=amazon").body) == ["aws"])
                #expect(Self.listed(try await get("/vendors?q=" + "つばめ".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!).body) == ["tsubame-support"])
                // Google LCC is an alias of Google LLC
                #expect(Self.listed(try await get("/vendors?q=lcc").body) == ["google"])
                // Korea is only a candidate country of AWS's undisclosed edge locations.
                #expect(Self.listed(try await get("/vendors?country=KR").body) == ["aws"])
                // A country by name; Japan: the Tokyo storage, and the two Japanese entrustees.
                #expect(Self.listed(try await get("/vendors?country=Japan").body) == ["aws", "hikari-mail", "tsubame-support"])
                #expect(Self.listed(try await get("/vendors?country=US&kind=transmission_recipient").body) == ["google"])

                let none = try await get("/vendors?kind=entrustee&risk_tier=critical&lang=en")
                #expect(none.status == 200)
                #expect(Self.listed(none.body).isEmpty)
                #expect(Self.text(none.body).contains("No vendor matches these filters."))

                let bad = try await get("/vendors?kind=partner&lang=en")
                #expect(bad.status == 400)
                #expect(bad.headers["content-type"] == "text/html; charset=utf-8")
                #expect(Self.text(bad.body).contains("partner"))
                #expect(try await get("/vendors?as_of=2026-13-01").status == 400)
            }
        }
    }

    @Test func theStatusFilterFindsAVendorThatEnded() async throws {
        try await APITest.withPersona { db in
            let ended = try await APITest.cli(["vendor", "end", "google", "--on", "2026-01-01", "--cascade", "--actor", "alice"], db)
            #expect(ended.status == 0, "\(ended.stderr)")
            try await Self.withPages(db) { get in
                #expect(Self.listed(try await get("/vendors").body) == ["aws", "hikari-mail", "tsubame-support"])
                let endedList = try await get("/vendors?status=ended&lang=en")
                #expect(Self.listed(endedList.body) == ["google"])
                #expect(Self.rows(endedList.body, table: "vendor-table").first?.contains("Ended") == true)
                #expect(Self.listed(try await get("/vendors?status=all").body).count == 4)
                // Before the end day, it was in force.
                #expect(Self.listed(try await get("/vendors?as_of=2025-06-01").body).contains("google"))
                // Its page still opens, saying it ended, with the end in its history.
                let page = try await get("/vendors/google?lang=en")
                #expect(page.status == 200)
                #expect(Self.text(page.body).contains("Status: Ended"))
                let history = Self.rows(page.body, table: "history-table")
                #expect(history.first?.contains("alice") == true)
                #expect(history.first?.contains("valid_to: ∅ → 2026-01-01") == true)
            }
        }
    }

    @Test func theVendorPageShowsContractsTheChainAssessmentsAndHistory() async throws {
        try await APITest.withPersona { db in
            try await Self.withPages(db) { get in
                let page = try await get("/vendors/tsubame-support?lang=en")
                #expect(page.status == 200)
                let html = page.body
                #expect(html.contains("<title>Tsubame Support Services K.K. · Domicile</title>"))

                let contracts = Self.text(Self.section(html, "entrustments"))
                for shown in [
                    "persona-support-desk", "ASSIGN-OUT-2021-014", "signed 2021-03-15", "expires 2027-03-31", "Automatic",
                    "Prior approval", "2026-12-31",  // notice: 90 days before expiry
                    "Hikari Mail Delivery K.K.",
                ] {
                    #expect(contracts.contains(shown), "\(shown)")
                }
                // The row a finding about the entrustment links to.
                #expect(html.contains("id=\"entrustment-persona-support-desk\""))

                // The chain: drawn, and as a list.
                let chain = Self.section(html, "chain")
                #expect(chain.contains("<svg"))
                #expect(chain.contains("<title id=\"chain-tsubamesupport-title\">Sub-entrustee chain of Tsubame Support Services K.K.</title>"))
                let listed = Self.rows(html, table: "chain-table")
                #expect(listed.count == 1)
                #expect(listed.first?.contains("Tsubame Support Services K.K. → Hikari Mail Delivery K.K.") == true)
                #expect(listed.first?.contains("Japan (JP)") == true)

                // The latest assessment: 4 of 8 applicable items met (2 not applicable), 4 unmet.
                let assessment = Self.text(Self.section(html, "assessments"))
                #expect(assessment.contains("APPI supervision of entrustees"))
                #expect(assessment.contains("50%"))
                #expect(assessment.contains("Next review: due on 2027-11-20"))
                let open = Set(["VEN-CON-2", "VEN-MON-1", "VEN-SUB-2", "VEN-USE-1"])
                let openRows = Self.section(html, "assessments").components(separatedBy: "<tr").dropFirst().map(Self.text)
                #expect(Set(openRows.compactMap { row in open.first { row.hasPrefix($0) } }) == open)
                #expect(!openRows.contains { $0.hasPrefix("VEN-SEL-1") }, "a met item is not open")

                // Today the check finds nothing about it; on 2027-02-01 its contract expires within 90 days.
                #expect(Self.text(Self.section(html, "findings")).contains("No finding about this vendor."))
                let later = try await get("/vendors/tsubame-support?as_of=2027-02-01&lang=en")
                let findings = Self.rows(later.body, table: "finding-table")
                let expiring = try #require(findings.first { $0.contains("contract.expiring") })
                #expect(expiring.contains("entrustment/persona-support-desk"))
                #expect(later.body.contains("href=\"/check?lang=en#rule-contract.expiring\""))

                // History: the seed's additions, newest first.
                let history = Self.rows(html, table: "history-table")
                #expect(!history.isEmpty)
                #expect(history.allSatisfy { $0.contains("test") && $0.contains("added") })
                #expect(html.contains("href=\"/audit?entity=vendor&amp;key=tsubame-support&amp;lang=en\""))
            }
        }
    }

    @Test func aCloudProviderShowsItsResidenciesAndASubEntrusteeWhomItWorksFor() async throws {
        try await APITest.withPersona { db in
            try await Self.withPages(db) { get in
                let aws = try await get("/vendors/aws?lang=en")
                let residencies = Self.rows(aws.body, table: "residency-table")
                #expect(residencies.count == 3)
                #expect(residencies.contains { $0.contains("Japan (JP)") && $0.contains("aws/ap-northeast-1") && $0.contains("Storage") })
                #expect(residencies.contains { $0.contains("United States of America (US)") && $0.contains("aws/us-east-1") })
                #expect(residencies.contains { $0.contains("Undisclosed") && $0.contains("Republic of Korea") && $0.contains("Processing") })
                #expect(Self.text(Self.section(aws.body, "chain")).contains("No sub-entrustee works for this vendor."))

                let hikari = try await get("/vendors/hikari-mail?lang=en")
                let works = try #require(Self.rows(hikari.body, table: "sub-entrustment-table").first)
                for shown in ["persona-support-desk", "Tsubame Support Services K.K.", "Japan", "2021-03-25"] {
                    #expect(works.contains(shown), "\(shown)")
                }
                #expect(hikari.body.contains("href=\"/vendors/tsubame-support?lang=en\""))

                let google = try await get("/vendors/google?lang=en")
                let received = try #require(Self.rows(google.body, table: "received-table").first)
                #expect(received.contains("External transmission") && received.contains("Google Analytics"))
                #expect(google.body.contains("id=\"transmission-persona-google-analytics\""))
            }
        }
    }

    @Test func aVendorIsNamedAsTheAPINamesItAndAnUnknownOneIsA404Page() async throws {
        try await APITest.withPersona { db in
            try await Self.withPages(db) { get in
                for name in ["aws", "AWS", "Amazon%20Web%20Services", "%E3%82%A2%E3%83%9E%E3%82%BE%E3%83%B3%20%E3%82%A6%E3%82%A7%E3%83%96%20%E3%82%B5%E3%83%BC%E3%83%93%E3%82%B9"] {
                    let page = try await get("/vendors/\(name)?lang=en")
                    #expect(page.status == 200, "\(name)")
                    #expect(page.body.contains("<h1>Amazon Web Services, Inc.</h1>"), "\(name)")
                }
                #expect(try await get("/vendors/tsub?lang=en").body.contains("<h1>Tsubame Support Services K.K.</h1>"))

                let missing = try await get("/vendors/nope?lang=en")
                #expect(missing.status == 404)
                #expect(missing.headers["content-type"] == "text/html; charset=utf-8")
                #expect(Self.text(missing.body).contains("No vendor is named “nope”."))
                let missingJa = try await get("/vendors/nope?lang=ja")
                #expect(missingJa.status == 404)
                #expect(Self.text(missingJa.body).contains("「nope」という委託先・提供先は登録されていません。"))
            }
        }
    }

    @Test func markupInAVendorNameIsShownAsText() async throws {
        try await APITest.withPersona { db in
            let name = "<script>alert(1)</script> & Co"
            let added = try await APITest.cli(
                ["vendor", "add", "evil", "--legal-name", name, "--kinds", "entrustee", "--headquarters", "JP", "--risk-tier", "low"], db)
            #expect(added.status == 0, "\(added.stderr)")
            try await Self.withPages(db) { get in
                for target in ["/vendors?lang=en", "/vendors/evil?lang=en", "/audit?lang=en"] {
                    let page = try await get(target)
                    #expect(page.status == 200, "\(target)")
                    #expect(!page.body.contains("<script>"), "\(target)")
                    #expect(Self.text(page.body).contains(name) || target == "/audit?lang=en", "\(target)")
                }
                let page = try await get("/vendors/evil?lang=en")
                #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"))
            }
        }
    }

    @Test func pagesInJapaneseUseJapaneseLabelsAndTheRegistrysJapaneseNames() async throws {
        try await APITest.withPersona { db in
            try await Self.withPages(db) { get in
                let list = try await get("/vendors?lang=ja")
                #expect(list.body.contains("<html lang=\"ja\">"))
                let text = Self.text(list.body)
                for shown in ["委託先・提供先", "種別", "リスク区分", "すべての種別", "4件中4件"] {
                    #expect(text.contains(shown), "\(shown)")
                }
                let aws = try #require(Self.rows(list.body, table: "vendor-table").first { $0.contains("アマゾン ウェブ サービス") })
                for shown in ["クラウド事業者", "高", "利用中", "米国"] {
                    #expect(aws.contains(shown), "\(shown) in \(aws)")
                }

                let page = try await get("/vendors/tsubame-support?lang=ja")
                #expect(page.body.contains("<h1>株式会社つばめサポートサービス</h1>"))
                let contracts = Self.text(Self.section(page.body, "entrustments"))
                for shown in ["委託と契約", "自動更新", "事前承認", "株式会社ひかりメール配信"] {
                    #expect(contracts.contains(shown), "\(shown)")
                }
                #expect(Self.rows(page.body, table: "chain-table").first?.contains("日本 (JP)") == true)
                #expect(Self.text(Self.section(page.body, "assessments")).contains("委託先の監督（法第25条、通則編3-4-4）"))
                #expect(Self.text(Self.section(page.body, "assessments")).contains("未実施"))

                let audit = try await get("/audit?lang=ja")
                #expect(Self.text(audit.body).contains("変更履歴"))
                #expect(Self.rows(audit.body, table: "audit-table").first?.contains("追加") == true)
            }
        }
    }

    @Test func theAuditPageListsNewestFirstAndFiltersByEntityAndActor() async throws {
        try await APITest.withPersona { db in
            let edited = try await APITest.cli(["vendor", "edit", "aws", "--risk-tier", "critical", "--actor", "alice"], db)
            #expect(edited.status == 0, "\(edited.stderr)")
            try await Self.withPages(db) { get in
                let recent = try await get("/audit?lang=en")
                #expect(recent.status == 200)
                let rows = Self.rows(recent.body, table: "audit-table")
                #expect(rows.count == 50)
                // The newest change: the sign-in token's creation, its hash not shown.
                #expect(rows.first?.contains("token") == true)
                #expect(rows.first?.contains("added") == true)
                // The edit is the newest change of a vendor.
                let vendors = Self.rows(try await get("/audit?entity=vendor&lang=en").body, table: "audit-table")
                let newest = try #require(vendors.first)
                #expect(newest.contains("alice") && newest.contains("edited") && newest.contains("aws"))
                #expect(newest.contains("risk_tier: high → critical"))
                let ids = recent.body.components(separatedBy: "<tr id=\"audit-").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
                #expect(ids == ids.sorted(by: >))
                #expect(recent.body.contains("id=\"audit-more\""))

                // A record by name (resolved as `domicile audit --entity vendor/NAME`).
                let byName = try await get("/audit?entity=vendor&key=Amazon%20Web%20Services&lang=en")
                let awsRows = Self.rows(byName.body, table: "audit-table")
                #expect(awsRows.count == 2)
                #expect(awsRows.allSatisfy { $0.contains(" aws ") })
                #expect(Self.text(byName.body).contains("Showing the record with key: aws"))

                let byActor = Self.rows(try await get("/audit?actor=alice").body, table: "audit-table")
                #expect(byActor.count == 1)
                let nobody = try await get("/audit?actor=nobody&lang=en")
                #expect(Self.text(nobody.body).contains("No change matches these filters."))

                // A kind: its records and the rows of their lists (categories, sub-entrustees).
                let kind = Self.rows(try await get("/audit?entity=entrustment&lang=en").body, table: "audit-table")
                #expect(kind.contains { $0.contains("persona-support-desk#sub:hikari-mail") })
                #expect(kind.allSatisfy { $0.contains("entrustment") && !$0.contains(" vendor ") })

                let two = try await get("/audit?limit=2&entity=vendor&lang=en")
                #expect(Self.rows(two.body, table: "audit-table").count == 2)
                #expect(two.body.contains("href=\"/audit?entity=vendor&amp;limit=52&amp;lang=en\""))

                #expect(try await get("/audit?limit=0").status == 400)
                #expect(try await get("/audit?limit=501").status == 400)
                #expect(try await get("/audit?key=aws").status == 400)
                #expect(try await get("/audit?entity=vendor&key=nope").status == 404)
                #expect(try await get("/audit?entity=dragon").status == 400)
            }
        }
    }
}
