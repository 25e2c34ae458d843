import DomicileCore
import DomicileStore
import TestSupport
import Testing

/// A file may name vendors and services as people do: by legal name or alias, in any case.
@Suite("Names in registry files")
struct NameResolutionTests {
    static func transmission(recipient: String, service: String = "PERSONA") -> String {
        """
        transmissions:
          - key: persona-tag
            service: \(service)
            tool: Tag manager
            recipient: \(recipient)
            information: [IP address]
            purpose: Measuring campaigns
            basis: notice
            valid_from: 2024-01-01

        """
    }

    @Test("A vendor named by legal name or alias and a service by name are stored by key", arguments: ["Google LLC", "google llc", "GOOGLE"])
    func namesResolveToKeys(recipient: String) async throws {
        try await WritePath.withPersona { _, store in
            try WritePath.importText(Self.transmission(recipient: recipient), into: store)
            let stored = try #require(try store.record(.transmission, key: "persona-tag"))
            #expect(stored.string("recipient") == "google")
            #expect(stored.string("service") == "persona")
        }
    }

    @Test("A name two vendors share is refused once, listing both keys; nothing is written")
    func ambiguousNameIsRefused() async throws {
        try await WritePath.withPersona { _, store in
            try WritePath.importText(
                """
                vendors:
                  - key: google-japan
                    legal_name: Google Japan G.K.
                    aliases: [Google]
                    kinds: [transmission_recipient]
                    headquarters: JP
                    risk_tier: low
                    valid_from: 2024-01-01

                """, into: store)
            let issues = try WritePath.rejectedIssues(Self.transmission(recipient: "Google"), into: store)
            #expect(issues.count == 1, "\(issues)")
            #expect(issues.first?.code == "input.ambiguous_vendor")
            #expect(issues.first?.message.contains("google, google-japan") == true, "\(issues)")
            #expect(issues.first?.location?.contains("transmissions[0].recipient") == true)
        }
    }
}
