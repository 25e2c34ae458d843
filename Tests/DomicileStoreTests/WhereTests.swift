import DomicileCore
@testable import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `where` and `diff` through the store: the functions the CLI and the HTTP API share.
@Suite("where and diff")
struct WhereTests {
    static let today = Day("2026-11-29")!

    static func ask(_ store: Store, _ request: WhereRequest) throws -> WhereAnswer {
        try store.where(try store.whereQuery(request, today: today))
    }

    /// (record, category, country or "undisclosed") of each row, in answer order.
    static func cells(_ answer: WhereAnswer) -> [String] {
        answer.rows.map { "\($0.record) \($0.category) \($0.country ?? "undisclosed")" }
    }

    // MARK: PERSONA

    @Test("PERSONA: contact details live in Tokyo, with region, since and provenance")
    func personaContactDetails() async throws {
        try await WritePath.withPersona { _, store in
            let answer = try Self.ask(store, WhereRequest(service: "PERSONA", category: "user.contact"))

            #expect(answer.rows.map(\.category) == ["user.contact.address", "user.contact.email", "user.contact.phone_number"])
            for row in answer.rows {
                #expect(row.service == "persona" && row.vendor == "aws" && row.role == "storage")
                #expect(row.country == "JP" && row.region == "aws/ap-northeast-1" && row.undisclosed == nil)
                #expect(row.validFrom == Day("2020-04-01"))
                #expect(row.provenance.verifiedOn == Day("2026-11-20"))
                #expect(row.provenance.assertedBy == "ASSIGN information security manager")
                #expect(row.provenance.source.hasPrefix("PERSONA privacy policy"))
                #expect(row.kind == .residency && row.record == "persona-aws-tokyo-storage")
            }
        }
    }

    @Test("PERSONA: each filter alone and combined; --country also finds undisclosed rows naming it as a candidate")
    func personaFilters() async throws {
        try await WritePath.withPersona { _, store in
            let us = try Self.ask(store, WhereRequest(country: "us"))
            #expect(Set(us.rows.map(\.record)) == ["persona-aws-virginia-storage", "persona-aws-cdn-undisclosed"])
            #expect(us.rows.filter { $0.country == "US" }.count == 5)
            let undisclosed = try #require(us.rows.first { $0.country == nil })
            #expect(undisclosed.undisclosed?.candidates == ["JP", "KR", "SG", "US"])
            #expect(undisclosed.undisclosed?.reason.contains("Amazon CloudFront") == true)

            #expect(try Self.ask(store, WhereRequest(role: "processing")).rows.allSatisfy { $0.record == "persona-aws-cdn-undisclosed" })
            #expect(try Self.ask(store, WhereRequest(role: "processing")).rows.count == 4)
            #expect(try Self.ask(store, WhereRequest(region: "us-east-1")).rows.count == 5)
            #expect(try Self.ask(store, WhereRequest(region: "aws/us-east-1")).query.region == "aws/us-east-1")
            #expect(try Self.ask(store, WhereRequest(vendor: "Amazon Web Services")).rows.count == 18)
            #expect(try Self.ask(store, WhereRequest(vendor: "google")).rows.isEmpty)
            #expect(try Self.ask(store, WhereRequest(category: "user")).rows.count == 18)

            let combined = try Self.ask(store, WhereRequest(service: "persona", category: "user.account", country: "JP", vendor: "aws", role: "storage"))
            #expect(Self.cells(combined) == [
                "persona-aws-tokyo-storage user.account.credentials JP", "persona-aws-tokyo-storage user.account.username JP",
            ])
            let ipAddresses = try Self.ask(store, WhereRequest(category: "user.device.ip_address"))
            #expect(Self.cells(ipAddresses) == [
                "persona-aws-virginia-storage user.device.ip_address US", "persona-aws-cdn-undisclosed user.device.ip_address undisclosed",
            ])
            #expect(try Self.ask(store, WhereRequest(category: "user.device.ip_address", country: "JP", role: "storage")).rows.isEmpty)
        }
    }

    @Test("PERSONA --transitive: the support desk's entrustee and its sub-entrustee, with paths")
    func personaTransitive() async throws {
        try await WritePath.withPersona { _, store in
            let answer = try Self.ask(store, WhereRequest(category: "user.contact.email", transitive: true))

            #expect(answer.rows.map(\.pathText) == [
                "persona → aws → JP", "persona → tsubame-support → hikari-mail → JP", "persona → tsubame-support → undisclosed",
            ])
            let desk = try #require(answer.rows.first { $0.kind == .entrustee })
            #expect(desk.role == "entrusted" && desk.record == "persona-support-desk" && desk.undisclosed?.candidates == ["JP"])
            #expect(desk.provenance.source == "entrustment persona-support-desk")
            let mail = try #require(answer.rows.first { $0.kind == .subEntrustee })
            #expect(mail.vendor == "hikari-mail" && mail.provenance.verifiedOn == Day("2021-03-25"))
            #expect(answer.cycles.isEmpty)

            // without --transitive only residencies answer
            #expect(try Self.ask(store, WhereRequest(category: "user.contact.email")).rows.count == 1)
            // --vendor matches any vendor on the path
            let viaDesk = try Self.ask(store, WhereRequest(category: "user.contact.email", vendor: "tsubame-support", transitive: true))
            #expect(viaDesk.rows.map(\.vendor) == ["hikari-mail", "tsubame-support"])
            #expect(try Self.ask(store, WhereRequest(role: "entrusted", transitive: true)).rows.allSatisfy { $0.kind != .residency })
        }
    }

    @Test("PERSONA --by country: each country with counts and its regime flags; --by service")
    func personaSummaries() async throws {
        try await WritePath.withPersona { _, store in
            let answer = try Self.ask(store, WhereRequest(by: "country"))
            let summaries = answer.byCountry()

            #expect(summaries.map(\.country) == ["JP", "US", nil])
            let japan = summaries[0]
            #expect(japan.services == ["persona"] && japan.vendors == ["aws"] && japan.categories.count == 9 && japan.rows == 9)
            #expect(japan.regime?.nameJa == "日本")
            #expect(japan.regime?.flags?.jpPpcEquivalent == "home")
            #expect(summaries[1].regime?.flags?.euAdequacy == "partial")
            #expect(summaries[2].rows == 4)

            let services = try Self.ask(store, WhereRequest(by: "service")).byService()
            #expect(services.map(\.service) == ["persona"])
            #expect(services[0].countries == ["JP", "US"] && services[0].undisclosed == 4 && services[0].rows == 18)
        }
    }

    // MARK: Validation

    @Test("Unknown country, category, vendor, role, region, grouping and malformed dates are refused together, each naming its parameter")
    func validation() async throws {
        try await WritePath.withPersona { _, store in
            let error = #expect(throws: InputError.self) {
                try store.whereQuery(
                    WhereRequest(
                        service: "persona", category: "user.contact.emial", country: "JA", vendor: "awz", role: "backups",
                        region: "aws/ap-northeast-9", asOf: "2025-02-30", by: "countries"), today: Self.today)
            }
            let issues = Dictionary(uniqueKeysWithValues: (error?.issues ?? []).map { ($0.field, $0) })

            #expect(issues.keys.sorted() == ["as_of", "by", "category", "country", "region", "role", "vendor"])
            #expect(issues["country"]?.message.contains("did you mean JP (Japan)?") == true)
            #expect(issues["category"]?.message.contains("did you mean user.contact.email?") == true)
            #expect(issues["vendor"]?.message.contains("did you mean aws?") == true)
            #expect(issues["role"]?.message.contains("did you mean backup?") == true)
            #expect(issues["region"]?.message.contains("did you mean aws/ap-northeast-1?") == true)
            #expect(issues["as_of"]?.message == "as_of '2025-02-30' is not valid: expected an ISO 8601 date YYYY-MM-DD, e.g. 2025-04-01; did you mean 2025-02-28?")
            #expect(issues["by"]?.message.contains("did you mean country?") == true)
            #expect(issues["country"]?.code == "input.unknown_country")

            let diffError = #expect(throws: InputError.self) { try store.diff(DiffRequest(from: "2025-13-01", to: "2025/7/1"), today: Self.today) }
            #expect(diffError?.issues.map(\.field) == ["from", "to"])
            #expect(diffError?.issues.first?.message.contains("did you mean") == false)
            #expect(diffError?.issues.last?.message.hasSuffix("; did you mean 2025-07-01?") == true)
            let backwards = #expect(throws: InputError.self) { try store.diff(DiffRequest(from: "2025-02-01", to: "2025-01-01"), today: Self.today) }
            #expect(backwards?.issues.map(\.field) == ["to"])
        }
    }

    // MARK: Crafted registry: history, chains, Japanese

    static let partners = WritePath.partners(6) { $0 == 3 ? "SG" : "JP" }

    /// WritePath.base (acme, its shop and cloudco) with the partners added to its vendors.
    static let crafted = """
        \(WritePath.base)\(partners)
        residencies:
          - key: shop-us
            service: shop
            vendor: cloudco
            role: storage
            categories: [user.contact.email, user.name]
            region: aws/us-east-1
            source: CloudCo region list
            verified_on: 2025-01-10
            asserted_by: security team
            valid_from: 2024-04-01
            valid_to: 2025-07-01
          - key: shop-tokyo
            service: shop
            vendor: cloudco
            role: storage
            categories: [user.contact.email, user.name]
            region: aws/ap-northeast-1
            source: CloudCo 移行完了報告書
            verified_on: 2025-07-02
            asserted_by: 情報セキュリティ管理者
            valid_from: 2025-07-01
          - key: shop-cdn
            service: shop
            vendor: cloudco
            role: processing
            categories: [user.device.ip_address]
            undisclosed:
              reason: エッジロケーションは公開されていない
              candidates: [JP, SG]
            source: CloudCo CDN FAQ
            verified_on: 2025-01-10
            asserted_by: security team
            valid_from: 2024-04-01
        entrustments:
          - key: shop-chain
            service: shop
            vendor: partner-1
            description: Fulfilment
            purposes: [customer-support]
            categories: [user.contact.address]
            sub_entrustees:
              - vendor: partner-2
                countries: [JP]
              - vendor: partner-3
                via: partner-2
                countries: [SG, JP]
              - vendor: partner-4
                via: partner-3
            valid_from: 2024-04-01

        """

    /// The crafted registry, plus what validation refuses and only raw SQL can write: the
    /// entrustee partner-1 listed as working for partner-4 (a cycle through the whole chain),
    /// and partner-5 and partner-6 working for each other (a cycle cut off from the entrustee).
    static func withCrafted<T>(_ body: (Store) async throws -> T) async throws -> T {
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            try WritePath.importText(crafted, into: store)
            try store.connection.query(
                """
                INSERT INTO sub_entrustee (entrustment_id, vendor_id, via_vendor_id)
                SELECT e.id, v.id, via.id FROM entrustment e, vendor v, vendor via
                WHERE e.key = 'shop-chain' AND (v.key, via.key) IN (('partner-1', 'partner-4'), ('partner-5', 'partner-6'), ('partner-6', 'partner-5'))
                """)
            return try await body(store)
        }
    }

    @Test("A chain of depth 3 is followed with its path; cycles are reported once each and never looped")
    func chainWithCycles() async throws {
        try await Self.withCrafted { store in
            let answer = try Self.ask(store, WhereRequest(service: "shop", category: "user.contact.address", transitive: true))

            #expect(answer.rows.map(\.pathText) == [
                "shop → partner-1 → partner-2 → JP", "shop → partner-1 → partner-2 → partner-3 → JP",
                "shop → partner-1 → partner-2 → partner-3 → SG",
                "shop → partner-1 → undisclosed", "shop → partner-1 → partner-2 → partner-3 → partner-4 → undisclosed",
            ])
            let deepest = try #require(answer.rows.first { $0.vendor == "partner-4" })
            #expect(deepest.undisclosed?.candidates == ["JP"])
            #expect(deepest.undisclosed?.reason == "entrustment shop-chain names no country for sub-entrustee partner-4; its headquarters is in JP")
            #expect(Set(answer.cycles.map(\.path)) == [
                ["partner-1", "partner-2", "partner-3", "partner-4", "partner-1"], ["partner-5", "partner-6", "partner-5"],
            ])
            #expect(answer.cycles.allSatisfy { $0.entrustment == "shop-chain" && $0.service == "shop" })
            #expect(answer.render(.table).contains("entrustment shop-chain (service shop) has a sub-entrustee cycle: partner-1 → partner-2 → partner-3 → partner-4 → partner-1"))

            let sg = try Self.ask(store, WhereRequest(country: "SG", transitive: true))
            #expect(Self.cells(sg) == ["shop-chain user.contact.address SG", "shop-cdn user.device.ip_address undisclosed"])
        }
    }

    @Test("--as-of is exact to the day: the day before a move and the day of it")
    func asOfAroundAChange() async throws {
        try await Self.withCrafted { store in
            let before = try Self.ask(store, WhereRequest(category: "user.name", asOf: "2025-06-30"))
            let on = try Self.ask(store, WhereRequest(category: "user.name", asOf: "2025-07-01"))
            let beforeAnything = try Self.ask(store, WhereRequest(asOf: "2024-03-31"))

            #expect(Self.cells(before) == ["shop-us user.name US"])
            #expect(Self.cells(on) == ["shop-tokyo user.name JP"])
            #expect(beforeAnything.rows.isEmpty)
            #expect(on.query.asOf == Day("2025-07-01"))
        }
    }

    @Test("diff across the move lists it as changed with the fields; a window without it lists nothing")
    func diffAcrossAChange() async throws {
        try await Self.withCrafted { store in
            let diff = try store.diff(DiffRequest(from: "2025-06-30", to: "2025-07-01"), today: Self.today)

            #expect(diff.changes.map { "\($0.date) \($0.change.rawValue) \($0.kind.rawValue) \($0.key) \($0.previousKey ?? "-")" } == [
                "2025-07-01 changed residency shop-tokyo shop-us",
            ])
            let fields = Dictionary(uniqueKeysWithValues: diff.changes[0].fields.map { ($0.field, "\($0.before) → \($0.after)") })
            #expect(fields["country"] == "US → JP")
            #expect(fields["region"] == "aws/us-east-1 → aws/ap-northeast-1")
            #expect(fields["asserted_by"] == "security team → 情報セキュリティ管理者")

            #expect(try store.diff(DiffRequest(from: "2025-07-01", to: "2025-08-01"), today: Self.today).changes.isEmpty)
            let everything = try store.diff(DiffRequest(from: "2024-01-01", to: "2025-08-01"), today: Self.today)
            // (the vendors' starts are listed too, issue 11 point 4)
            #expect(everything.changes.filter { $0.kind != .vendor }.map { "\($0.change.rawValue) \($0.key)" } == [
                "started shop-cdn", "started shop-us", "started shop-chain", "changed shop-tokyo",
            ])
        }
    }

    @Test("Japanese text comes through every format: table aligned by display width, JSON unescaped, CSV")
    func japaneseInEveryFormat() async throws {
        try await Self.withCrafted { store in
            let answer = try Self.ask(store, WhereRequest(service: "shop", asOf: "2025-07-02"))

            let table = answer.render(.table)
            let json = answer.render(.json)
            let csv = answer.render(.csv)
            #expect(table.contains("情報セキュリティ管理者") && table.contains("エッジロケーションは公開されていない"))
            #expect(json.contains("\"asserted_by\" : \"情報セキュリティ管理者\"") && json.contains("エッジロケーションは公開されていない"))
            #expect(csv.contains(",情報セキュリティ管理者,CloudCo 移行完了報告書,") && csv.contains("エッジロケーションは公開されていない"))
            // the column after ASSERTED_BY starts at the same terminal column on every line
            let lines = table.split(separator: "\n").prefix(answer.rows.count + 1).map(String.init)
            let starts = lines.map { line -> Int in
                let prefix = line.components(separatedBy: "  CloudCo").first ?? line
                return Listing.displayWidth(prefix)
            }
            #expect(Set(starts.dropFirst()).count == 1, "\(table)")

            let byCountry = try Self.ask(store, WhereRequest(service: "shop", asOf: "2026-01-01", by: "country"))
            #expect(byCountry.render(.table).contains("日本") && byCountry.render(.csv).contains("日本") && byCountry.render(.json).contains("日本"))
            let diff = try store.diff(DiffRequest(from: "2025-06-30", to: "2025-07-01"), today: Self.today)
            for format in ListingFormat.allCases { #expect(diff.render(format).contains("情報セキュリティ管理者"), "\(format)") }
        }
    }

    // MARK: Generated registry

    /// A generated registry: every combination of filters is answered as a brute-force filter
    /// over the generated facts would answer it.
    @Test("Generated registry: filters and their combinations agree with a brute-force answer")
    func generatedRegistry() async throws {
        let generated = GeneratedRegistry(services: 4, vendors: 3, residencies: 48)
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            try WritePath.importText(generated.yaml, into: store)
            let days = ["2024-06-01", "2025-06-30", "2025-07-01"]
            var checked = 0
            for day in days {
                for service in [nil, "svc-1"] {
                    for category in [nil, "user.contact", "user.device.ip_address"] {
                        for country in [nil, "JP", "US"] {
                            for role in [nil, "backup"] {
                                for (vendor, region) in [(nil, nil), ("vendor-2", nil), (nil, "aws/us-east-1")] as [(String?, String?)] {
                                    let request = WhereRequest(service: service, category: category, country: country, vendor: vendor, role: role, region: region, asOf: day)
                                    let answer = try Self.ask(store, request)
                                    let expected = generated.expected(request)
                                    #expect(answer.rows.map { "\($0.record) \($0.category)" }.sorted() == expected, "\(request)")
                                    checked += 1
                                }
                            }
                        }
                    }
                }
            }
            #expect(checked == 324)
        }
    }
}

/// A synthetic registry whose facts are known, so answers can be computed by brute force.
struct GeneratedRegistry {
    struct Fact {
        var key, service, vendor, role: String
        var country: String?
        var region: String?
        var candidates: [String]
        var categories: [String]
        var from: String
        var to: String?
    }

    var facts: [Fact] = []
    var yaml: String

    init(services: Int, vendors: Int, residencies: Int) {
        let places: [(String?, String?, [String])] = [
            ("JP", "aws/ap-northeast-1", []), ("US", "aws/us-east-1", []), ("JP", "gcp/asia-northeast1", []),
            ("DE", "aws/eu-central-1", []), ("US", nil, []), (nil, nil, ["JP", "US"]), (nil, nil, ["SG"]),
        ]
        let roles = ["storage", "processing", "backup", "remote_access"]
        let categories = ["user.name", "user.contact.email", "user.contact.phone_number", "user.device.ip_address", "user.contact.address"]
        var lines = ["domicile: 1", "organizations:", "- key: gen-org", "  name: Gen Inc.", "  country: JP", "services:"]
        for i in 0..<services { lines += ["- key: svc-\(i)", "  name: Service \(i)", "  organization: gen-org", "  valid_from: 2020-04-01"] }
        lines.append("vendors:")
        for i in 0..<vendors {
            lines += ["- key: vendor-\(i)", "  legal_name: Vendor \(i) K.K.", "  kinds: [cloud_provider]", "  headquarters: US", "  risk_tier: medium", "  valid_from: 2020-04-01"]
        }
        lines.append("residencies:")
        for i in 0..<residencies {
            let (country, region, candidates) = places[i % places.count]
            let fact = Fact(
                key: String(format: "res-%03d", i), service: "svc-\(i % services)", vendor: "vendor-\((i * 5) % vendors)",
                role: roles[(i / 2) % roles.count], country: country, region: region, candidates: candidates,
                categories: [categories[i % categories.count], categories[(i + 2) % categories.count]].sorted(),
                from: i % 3 == 0 ? "2025-07-01" : "2024-01-01", to: i % 4 == 0 ? "2025-07-01" : nil)
            guard fact.to == nil || fact.from < fact.to! else { continue }
            facts.append(fact)
            lines += ["- key: \(fact.key)", "  service: \(fact.service)", "  vendor: \(fact.vendor)", "  role: \(fact.role)",
                      "  categories: [\(fact.categories.joined(separator: ", "))]"]
            if let country { lines.append("  country: \(country)") }
            if let region { lines.append("  region: \(region)") }
            if country == nil { lines += ["  undisclosed:", "    reason: not published", "    candidates: [\(candidates.joined(separator: ", "))]"] }
            lines += ["  source: generated", "  verified_on: 2025-01-01", "  asserted_by: generator", "  valid_from: \(fact.from)"]
            if let to = fact.to { lines.append("  valid_to: \(to)") }
        }
        yaml = lines.joined(separator: "\n") + "\n"
    }

    /// "record category" of every row the request should give, sorted.
    func expected(_ request: WhereRequest) -> [String] {
        let day = request.asOf!
        return facts.flatMap { fact -> [String] in
            guard fact.from <= day, fact.to.map({ day < $0 }) ?? true else { return [] }
            if let service = request.service, fact.service != service { return [] }
            if let vendor = request.vendor, fact.vendor != vendor { return [] }
            if let role = request.role, fact.role != role { return [] }
            if let region = request.region, fact.region != region { return [] }
            if let country = request.country, fact.country != country, !(fact.country == nil && fact.candidates.contains(country)) { return [] }
            return fact.categories.filter { category in
                request.category.map { category == $0 || category.hasPrefix($0 + ".") } ?? true
            }.map { "\(fact.key) \($0)" }
        }.sorted()
    }
}
