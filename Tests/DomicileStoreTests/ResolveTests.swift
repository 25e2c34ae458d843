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

    @Test("An unknown name that is part of a legal name or alias suggests that vendor")
    func partOfANameSuggestsTheVendor() async throws {
        try await WritePath.withPersona { _, store throws in
            let error = #expect(throws: InputError.self) { try store.resolveKey(.vendor, "Amazon") }
            let issue = try #require(error?.issues.first)
            #expect(issue.code == "input.unknown_vendor")
            #expect(issue.message.hasSuffix("did you mean aws (Amazon Web Services, Inc.)?"))

            // two characters are too few to be a name
            let short = #expect(throws: InputError.self) { try store.resolveKey(.vendor, "zz") }
            #expect(short?.issues.first?.message.contains("did you mean") == false)
        }
    }
}
