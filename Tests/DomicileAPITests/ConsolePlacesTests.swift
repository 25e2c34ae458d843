import DomicileAPI
import DomicileCore
import Foundation
import Testing
import TestSupport

/// The console's Services, Where and Countries pages on PERSONA with changes in time
/// (Tests/Fixtures/json/persona-changes.yaml: a backup moved from AWS to SAKURA on
/// 2026-07-01, the Tokyo storage replaced by Osaka on 2026-08-01), signed in as a browser is.
@Suite("Console: services, where and countries pages")
struct ConsolePlacesTests {
    /// PERSONA with changes, as JSONGoldenTests builds it, and a `read` token.
    static func withChangedPersona(_ body: @escaping @Sendable (TestDatabase, String) async throws -> Void) async throws {
        try await TestDatabase.with(.seeded) { database in
            for arguments in [
                ["seed", "--example", "persona"], ["import", "Tests/Fixtures/json/persona-changes.yaml"],
                ["entrust", "end", "persona-support-desk", "--on", "2027-03-31"], ["vendor", "end", "google", "--on", "2027-04-01", "--cascade"],
            ] {
                let result = try await APITest.cli(arguments, database)
                try #require(result.status == 0, "\(arguments): \(result)")
            }
            try await body(database, try APITest.token(database, name: "console"))
        }
    }

    /// Signs in as the sign-in form does (ConsoleTests' helper) and returns the `Cookie` header
    /// that carries the session.
    static func signIn(_ client: APIClient, token: String) async throws -> String {
        let answer = try await client.signIn(token)
        try #require(answer.status == 303, "sign-in: \(answer.status) \(answer.body)")
        return try #require(ConsoleTests.cookie(answer), "sign-in sets the session cookie")
    }

    /// What the template engine makes of `text` in a page.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    /// The HTML between the element with `id` and the end of its table (or section).
    static func part(_ html: String, id: String, until end: String = "</table>") -> String {
        guard let start = html.range(of: "id=\"\(id)\"") else { return "" }
        let rest = html[start.lowerBound...]
        guard let stop = rest.range(of: end) else { return String(rest) }
        return String(rest[..<stop.upperBound])
    }

    /// The `href` of the link with `id`, unescaped.
    static func href(_ html: String, id: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\" href=\"") else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test func theServicesPageShowsWhereEachCategoryLivesAsOfTheDayChosen() async throws {
        try await Self.withChangedPersona { database, token in
            try await APITest.with(url: database.url) { client in
                let cookie = try await Self.signIn(client, token: token)
                let july = try await client.get("/services?as_of=2026-07-15", headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(july.status == 200)
                #expect(july.headers["content-type"] == "text/html; charset=utf-8")
                #expect(july.body.contains("id=\"service-persona\""))
                #expect(july.body.contains("Email address"))
                // Both moves have a before and an after, visible as their regions and vendors.
                #expect(july.body.contains("aws/ap-northeast-1"), "the Tokyo storage holds until 2026-08-01")
                #expect(!july.body.contains("aws/ap-northeast-3"))
                #expect(july.body.contains(Self.escaped("さくらインターネット株式会社")), "the backup is at SAKURA from 2026-07-01")
                #expect(july.body.contains("value=\"2026-07-15\""), "the date field shows the day asked")

                let september = try await client.get("/services?as_of=2026-09-01", headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(september.body.contains("aws/ap-northeast-3"))
                #expect(!september.body.contains("aws/ap-northeast-1"))
                let june = try await client.get("/services?as_of=2026-06-15", headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(!june.body.contains("さくらインターネット株式会社"))
                // The backup, as its role and vendor read in the table: AWS until 2026-07-01, SAKURA since.
                #expect(june.body.contains("backup · <a href=\"/vendors/aws\">"))
                #expect(!june.body.contains("backup · <a href=\"/vendors/sakura\">"))
                #expect(july.body.contains("backup · <a href=\"/vendors/sakura\">"))
                #expect(!july.body.contains("backup · <a href=\"/vendors/aws\">"))

                // Before PERSONA existed: no service, said so.
                let before = try await client.get("/services?as_of=2019-01-01", headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(before.status == 200)
                #expect(before.body.contains("id=\"services-none\""))
                // A date field left empty is no date asked: today.
                #expect(try await client.get("/services?as_of=&compare=", headers: ["Cookie": cookie]).status == 200)
            }
        }
    }

    @Test func comparingTwoDaysShowsWhatDiffLists() async throws {
        try await Self.withChangedPersona { database, token in
            // The second path: `domicile diff` between the same days.
            let cli = try await APITest.cli(["diff", "--from", "2026-06-15", "--to", "2026-09-01", "--format", "json"], database)
            let listed = try #require((try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])?["changes"] as? [[String: Any]])
            let changes = listed.map { (change: $0["change"] as? String ?? "", key: $0["key"] as? String ?? "") }
            #expect(!changes.isEmpty)
            try await APITest.with(url: database.url) { client in
                let cookie = try await Self.signIn(client, token: token)
                // Either order: the earlier day is the diff's start.
                for target in ["/services?as_of=2026-06-15&compare=2026-09-01", "/services?as_of=2026-09-01&compare=2026-06-15"] {
                    let page = try await client.get(target, headers: ["Cookie": cookie, "Accept-Language": "en"])
                    #expect(page.status == 200)
                    #expect(page.body.contains("value=\"2026-09-01\"") && page.body.contains("value=\"2026-06-15\""))
                    let added = Self.part(page.body, id: "diff-started")
                    let removed = Self.part(page.body, id: "diff-ended")
                    let changed = Self.part(page.body, id: "diff-changed")
                    #expect(added.contains("persona-backup-ishikari"))
                    #expect(removed.contains("persona-backup-us"))
                    #expect(changed.contains("persona-aws-osaka-storage") && changed.contains("persona-aws-tokyo-storage"))
                    #expect(changed.contains("region: aws/ap-northeast-1 → aws/ap-northeast-3"))
                    for change in changes {
                        let section = ["started": added, "ended": removed, "changed": changed][change.change] ?? page.body
                        #expect(section.contains(change.key), "\(change.change) \(change.key) is listed where diff lists it")
                    }
                }
                let same = try await client.get("/services?as_of=2026-06-15&compare=2026-06-15", headers: ["Cookie": cookie])
                #expect(same.body.contains("id=\"services-same-day\""))
                #expect(!same.body.contains("id=\"diff-started\""))

                let bad = try await client.get("/services?as_of=2026-06-15&compare=2026-02-30", headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(bad.status == 400)
                #expect(bad.headers["content-type"] == "text/html; charset=utf-8")
                #expect(bad.body.contains(Self.escaped("compare '2026-02-30' is not valid")))
            }
        }
    }

    @Test func theWherePagesDownloadLinksAreTheAPIsURLAndAnswerItsRows() async throws {
        try await Self.withChangedPersona { database, token in
            try await APITest.with(url: database.url) { client in
                let cookie = try await Self.signIn(client, token: token)
                let first = try await client.get("/where", headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(first.status == 200)
                #expect(first.body.contains("id=\"where-first-visit\""))
                #expect(first.body.contains("<label for=\"where-vendor\">"))

                // Names as the API takes them, Japanese included.
                let query = "service=PERSONA&category=%E3%83%A1%E3%83%BC%E3%83%AB%E3%82%A2%E3%83%89%E3%83%AC%E3%82%B9&country=&vendor=&role=&region=&as_of=2026-07-15&transitive=true"
                let page = try await client.get("/where?" + query, headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(page.status == 200)
                let csvHref = try #require(Self.href(page.body, id: "where-csv"))
                let jsonHref = try #require(Self.href(page.body, id: "where-json"))
                let apiQuery = "service=PERSONA&category=%E3%83%A1%E3%83%BC%E3%83%AB%E3%82%A2%E3%83%89%E3%83%AC%E3%82%B9&as_of=2026-07-15&transitive=true"
                #expect(csvHref == "/v1/where?" + apiQuery + "&format=csv")
                #expect(jsonHref == "/v1/where?" + apiQuery + "&format=json")

                // The session authenticates the links; a bearer token gets the same bytes.
                let csv = try await client.get(csvHref, headers: ["Cookie": cookie])
                #expect(csv.status == 200)
                #expect(csv.headers["content-type"] == "text/csv; charset=utf-8")
                #expect(csv.body == (try await client.get(csvHref, token: token)).body)
                let json = try await client.get(jsonHref, headers: ["Cookie": cookie])
                #expect(json.status == 200)

                // The page's rows are the CSV's rows: as many, each record and category shown.
                var reader = CSVText(csv.body)
                var lines: [[String]] = []
                while let row = try reader.next() { lines.append(row.cells) }
                lines.removeFirst()
                #expect(lines.count >= 2, "the email address is stored and backed up")
                let table = Self.part(page.body, id: "where-table")
                #expect(table.components(separatedBy: "<tr>").count - 2 == lines.count, "one table row per CSV row")
                #expect(page.body.contains("<strong>\(lines.count)</strong>"))
                let rows = try #require((json.json as? [String: Any])?["rows"] as? [[String: Any]])
                #expect(rows.count == lines.count)
                for row in rows {
                    let record = try #require(row["record"] as? String)
                    #expect(table.contains("<code>\(record)</code>"), "\(record)")
                    #expect(table.contains(try #require(row["category"] as? String)))
                }
                #expect(table.contains("user.contact.email"))
                #expect(table.contains("さくらインターネット株式会社"))

                // The form shows the question asked.
                #expect(page.body.contains("id=\"where-service\" name=\"service\" value=\"PERSONA\""))
                #expect(page.body.contains("value=\"true\" checked"))
            }
        }
    }

    @Test func aFilterTheAPIRefusesIsA400PageWithTheAPIsMessage() async throws {
        try await Self.withChangedPersona { database, token in
            try await APITest.with(url: database.url) { client in
                let cookie = try await Self.signIn(client, token: token)
                for (query, field) in [
                    ("vendor=amazn", "vendor"), ("country=JA", "country"), ("as_of=2025-13-01", "as_of"), ("role=owner", "role"),
                    ("region=mars-1", "region"), ("category=user.nothing", "category"), ("transitive=maybe", "transitive"),
                ] {
                    let page = try await client.get("/where?" + query, headers: ["Cookie": cookie, "Accept-Language": "en"])
                    #expect(page.status == 400, "\(query)")
                    #expect(page.headers["content-type"] == "text/html; charset=utf-8")
                    let api = try await client.get("/v1/where?" + query, token: token)
                    #expect(api.errorField == field, "\(query)")
                    let message = try #require(api.errorMessage)
                    #expect(page.body.contains(Self.escaped(message)), "\(query): the page says \(message)")
                }
                // A parameter the page does not take is named too.
                let unknown = try await client.get("/where?vendr=aws", headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(unknown.status == 400)
                #expect(unknown.body.contains("vendr"))

                // Whatever is typed comes back escaped, never as markup.
                let attack = "<script>alert(\"x\")</script>&'"
                let escapedPage = try await client.get(
                    "/where?vendor=" + WhereLinkEncoding.encode(attack), headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(escapedPage.status == 400)
                #expect(!escapedPage.body.contains("<script>"))
                #expect(escapedPage.body.contains(Self.escaped(attack)))
            }
        }
    }

    @Test func thePagesSpeakJapaneseWithTheRegistrysJapaneseNames() async throws {
        try await Self.withChangedPersona { database, token in
            try await APITest.with(url: database.url) { client in
                let cookie = try await Self.signIn(client, token: token)
                let services = try await client.get("/services?as_of=2026-07-15&lang=ja", headers: ["Cookie": cookie])
                #expect(services.status == 200)
                #expect(services.body.contains("<html lang=\"ja\">"))
                #expect(services.body.contains("メールアドレス"))
                #expect(services.body.contains("バックアップ"))
                #expect(services.body.contains(">日本</a>"))
                #expect(services.body.contains("アマゾン ウェブ サービス"))
                #expect(!services.body.contains("Email address"))

                let wherePage = try await client.get("/where?country=US&as_of=2026-07-15", headers: ["Cookie": cookie, "Accept-Language": "ja"])
                #expect(wherePage.body.contains("米国") || wherePage.body.contains("アメリカ合衆国"))
                #expect(wherePage.body.contains("保存場所の検索"))

                let country = try await client.get("/countries/JP?as_of=2026-07-15", headers: ["Cookie": cookie, "Accept-Language": "ja"])
                #expect(country.body.contains("日本には、個人情報の保護に関する包括的な制度として"))
                #expect(country.body.contains("株式会社ひかりメール配信"), "the sub-entrustee in Japan, by its Japanese name")
            }
        }
    }

    /// The regime facts of one country as seeds/country-regime-facts.csv states them (the file
    /// the seed loads): fact, effective_from, effective_to, public_en, public_ja, source.
    static func seededFacts(_ code: String) throws -> [[String: String]] {
        let text = try String(contentsOf: TestDatabase.seedsDirectory.appendingPathComponent("country-regime-facts.csv"), encoding: .utf8)
        var reader = CSVText(text)
        var table: [[String]] = []
        while let row = try reader.next() { table.append(row.cells) }
        let header = table[0]
        return table.dropFirst().filter { $0.first == code }.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    @Test func aCountryPageShowsItsDatedFactsWithSourcesAndWhatLivesThere() async throws {
        try await Self.withChangedPersona { database, token in
            try await APITest.with(url: database.url) { client in
                let cookie = try await Self.signIn(client, token: token)
                let list = try await client.get("/countries?as_of=2026-07-15", headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(list.status == 200)
                #expect(list.body.contains("id=\"country-JP\""))
                #expect(list.body.contains("id=\"country-US\""))
                #expect(list.body.contains("id=\"countries-undisclosed\""), "the CloudFront edge rows")
                let empty = try await client.get("/countries?as_of=2019-01-01", headers: ["Cookie": cookie])
                #expect(empty.body.contains("id=\"countries-none\""))

                let japan = try await client.get("/countries/jp?as_of=2026-07-15", headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(japan.status == 200)
                let inForce = Self.part(japan.body, id: "facts-in-force")
                let facts = try Self.seededFacts("JP")
                #expect(!facts.isEmpty)
                for fact in facts where fact["effective_to", default: ""].isEmpty {
                    #expect(inForce.contains(Self.escaped(fact["public_en"]!)), "\(fact["fact"]!)")
                    if let from = fact["effective_from"], !from.isEmpty { #expect(inForce.contains(from)) }
                    for url in fact["source"]!.components(separatedBy: " ; ").compactMap({ $0.split(separator: " ").first }) where url.hasPrefix("https://") {
                        #expect(inForce.contains("href=\"\(Self.escaped(String(url)))\""), "\(url)")
                    }
                }
                let lives = Self.part(japan.body, id: "country-rows")
                #expect(lives.contains("Hikari Mail Delivery K.K."), "sub-entrustees in Japan are there (transitive)")
                #expect(lives.contains("aws/ap-northeast-1"))
                #expect(japan.body.contains("id=\"country-services\">PERSONA"))

                // As of another day, another answer: the GB was in the EU until 31 January 2020.
                let gbMember = try #require(try Self.seededFacts("GB").first { $0["fact"] == "eu_member" })
                let sentence = Self.escaped(gbMember["public_en"]!)
                let gb2019 = try await client.get("/countries/GB?as_of=2019-06-01", headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(Self.part(gb2019.body, id: "facts-in-force").contains(sentence))
                let gb2024 = try await client.get("/countries/GB?as_of=2024-06-01", headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(!Self.part(gb2024.body, id: "facts-in-force").contains(sentence))
                #expect(Self.part(gb2024.body, id: "facts-other").contains(sentence))
                // Tokyo storage ended 2026-08-01: Japan then holds Osaka instead.
                let later = try await client.get("/countries/JP?as_of=2026-09-01", headers: ["Cookie": cookie])
                #expect(Self.part(later.body, id: "country-rows").contains("aws/ap-northeast-3"))
                #expect(!Self.part(later.body, id: "country-rows").contains("aws/ap-northeast-1"))

                // Not a country: the API's 404 and message, as a page.
                let api = try await client.get("/v1/countries/XZ", token: token)
                let missing = try await client.get("/countries/XZ", headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(missing.status == 404)
                #expect(missing.body.contains(Self.escaped(try #require(api.errorMessage))))
                let badDay = try await client.get("/countries/JP?as_of=yesterday", headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(badDay.status == 400)
                #expect(badDay.body.contains("as_of"))
            }
        }
    }
}

/// Percent-encoding for the tests' own URLs (everything but unreserved characters).
enum WhereLinkEncoding {
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }
}
