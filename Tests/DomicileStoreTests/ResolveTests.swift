import DomicileCore
import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `Store.resolveKey`: what a person types (a key in any case, a legal name, an alias) to
/// the record's key.
@Suite("Name resolution")
struct ResolveTests {
    @Test("A key in any case, a legal name and an alias resolve to the vendor's key", arguments: [
        ("tsubame-support", "tsubame-support"),
        ("Tsubame-Support", "tsubame-support"),
        ("GOOGLE", "google"),
        ("google llc", "google"),
        ("Amazon Web Services, Inc.", "aws"),
        ("amazon web services", "aws"),
        ("Google LCC", "google"),
    ])
    func vendorNamesResolve(text: String, key: String) async throws {
        try await WritePath.withPersona { _, store throws in
            #expect(try store.resolveKey(.vendor, text) == key)
        }
    }

    @Test("Services and organizations resolve by name, case-insensitively")
    func servicesAndOrganizationsResolveByName() async throws {
        try await WritePath.withPersona { _, store throws in
            #expect(try store.resolveKey(.service, "Persona") == "persona")
            #expect(try store.resolveKey(.organization, "assign inc.") == "assign")
        }
    }

    @Test("A name two vendors share is an error that lists both candidates")
    func ambiguousNameListsBothCandidates() async throws {
        try await WritePath.withPersona { _, store throws in
            try WritePath.importText(
                """
                vendors:
                  - key: sakura-east
                    legal_name: Sakura East K.K.
                    aliases: [Sakura]
                    kinds: [entrustee]
                    headquarters: JP
                    risk_tier: low
                    valid_from: 2025-01-01
                  - key: sakura-west
                    legal_name: Sakura West K.K.
                    aliases: [SAKURA, Sakura West]
                    kinds: [entrustee]
                    headquarters: JP
                    risk_tier: low
                    valid_from: 2025-01-01

                """, into: store)
            let error = #expect(throws: InputError.self) { try store.resolveKey(.vendor, "sakura", field: "recipient") }
            let issue = try #require(error?.issues.first)
            #expect(issue.code == "input.ambiguous_vendor")
            #expect(issue.field == "recipient")
            #expect(issue.message.contains("'sakura' is ambiguous"))
            #expect(issue.message.contains("sakura-east (Sakura East K.K.)"))
            #expect(issue.message.contains("sakura-west (Sakura West K.K.)"))
            #expect(issue.message.contains("use the key"))
            // each key still resolves
            #expect(try store.resolveKey(.vendor, "sakura-west") == "sakura-west")
            #expect(try store.resolveKey(.vendor, "sakura west") == "sakura-west")
        }
    }

    @Test("An unknown name is an error suggesting the nearest key")
    func unknownNameSuggestsTheNearestKey() async throws {
        try await WritePath.withPersona { _, store throws in
            let error = #expect(throws: InputError.self) { try store.resolveKey(.vendor, "gogle") }
            let issue = try #require(error?.issues.first)
            #expect(issue.code == "input.unknown_vendor")
            #expect(issue.value == "gogle")
            #expect(issue.message.contains("'gogle' is not a known vendor key, legal name or alias"))
            #expect(issue.message.contains("did you mean google?"))

            let service = #expect(throws: InputError.self) { try store.resolveKey(.service, "persona-app") }
            #expect(service?.issues.first?.code == "input.unknown_service")
        }
    }

    @Test("The start of a legal name resolves; an unknown name that is part of one suggests that vendor")
    func partOfANameSuggestsTheVendor() async throws {
        try await WritePath.withPersona { _, store throws in
            #expect(try store.resolveKey(.vendor, "Amazon") == "aws")
            let error = #expect(throws: InputError.self) { try store.resolveKey(.vendor, "Web Services") }
            let issue = try #require(error?.issues.first)
            #expect(issue.code == "input.unknown_vendor")
            #expect(issue.message.hasSuffix("did you mean aws (Amazon Web Services, Inc.)?"))

            // two characters are too few to be a name
            let short = #expect(throws: InputError.self) { try store.resolveKey(.vendor, "zz") }
            #expect(short?.issues.first?.message.contains("did you mean") == false)
        }
    }

    @Test("Reference data resolves by name too: countries (English, Japanese, common names), regions, templates, checklist items, categories, purposes")
    func referenceDataResolvesByName() async throws {
        try await WritePath.withPersona { _, store throws in
            #expect(try store.resolveName(.country, "Japan", field: "country") == "JP")
            #expect(try store.resolveName(.country, "米国", field: "country") == "US")
            #expect(try store.resolveName(.country, "UK", field: "country") == "GB")
            #expect(try store.resolveName(.country, "deu", field: "country") == "DE")
            #expect(try store.resolveName(.region, "ap-northeast-1", field: "region") == "aws/ap-northeast-1")
            #expect(try store.resolveName(.template, "appi-sec", field: "template") == "appi-security-2022")
            #expect(try store.resolveName(.checklistItem(template: "appi-security-2022"), "基本方針", field: "item") == "BP-1")
            #expect(try store.resolveKey(.category, "メールアドレス") == "user.contact.email")
            #expect(try store.resolveKey(.category, "Email address") == "user.contact.email")
            #expect(try store.resolveKey(.purpose, "お問い合わせ対応") == "customer-support")

            let united = #expect(throws: InputError.self) { try store.resolveName(.country, "United", field: "country") }
            #expect(united?.issues.first?.code == "input.ambiguous_country")
            #expect(united?.issues.first?.message.contains("GB (United Kingdom)") == true)
            #expect(united?.issues.first?.message.contains("US (United States)") == true)
            let tokyo = #expect(throws: InputError.self) { try store.resolveName(.region, "Tokyo", field: "region") }
            #expect(tokyo?.issues.first?.message.contains("aws/ap-northeast-1 (Tokyo, JP)") == true)
        }
    }

    @Test("where takes a category, country or region by name; an ambiguous one is an issue naming the candidates")
    func whereFiltersByName() async throws {
        try await WritePath.withPersona { _, store throws in
            let today = Day("2026-11-29")!
            let byName = try store.whereQuery(WhereRequest(category: "メールアドレス", country: "Japan", region: "Las Vegas"), today: today)
            #expect(byName.category == "user.contact.email")
            #expect(byName.country == "JP")
            #expect(byName.region == "gcp/us-west4")
            let error = #expect(throws: InputError.self) { try store.whereQuery(WhereRequest(category: "email"), today: today) }
            let issue = try #require(error?.issues.first)
            #expect(issue.field == "category" && issue.code == "input.ambiguous_category")
            #expect(issue.message.contains("user.contact.email (Email address)") && issue.message.contains("employee.contact.email"))
        }
    }
}
