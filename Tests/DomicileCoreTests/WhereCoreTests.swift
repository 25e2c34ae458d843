import DomicileCore
import Testing

/// The pure parts of `where` and `diff`: date suggestions, request validation, pairing.
@Suite("where and diff in Core")
struct WhereCoreTests {
    @Test("A malformed date suggests the date it most likely means, or nothing when there is no single reading",
          arguments: [
            ("2026/04/01", "2026-04-01"), ("2026.4.1", "2026-04-01"), ("20260401", "2026-04-01"), ("2026-02-30", "2026-02-28"),
            ("2024-02-31", "2024-02-29"), ("2026-04-31", "2026-04-30"), ("2026-13-01", nil), ("01/04/2026", nil), ("yesterday", nil),
            ("2026-04", nil),
          ] as [(String, String?)])
    func dateGuess(text: String, expected: String?) {
        #expect(Day.guess(text)?.description == expected)
    }

    @Test("validated() checks what needs no database and names each parameter")
    func requestValidation() throws {
        let index = ReferenceIndex(countries: ["JP": "Japan", "US": "United States"], regions: ["aws/ap-northeast-1": "JP", "gcp/asia-northeast1": "JP"],
                                   keys: [.category: ["user", "user.contact", "user.contact.email"]])
        let today = Day("2026-11-29")!

        let query = try WhereRequest(category: "user.contact", country: "jp", role: "remote-access", region: "ap-northeast-1", transitive: true, by: "Country")
            .validated(index: index, today: today)

        #expect(query == WhereQuery(category: "user.contact", country: "JP", role: "remote_access", region: "aws/ap-northeast-1", asOf: today, transitive: true, grouping: .country))
        #expect(query.regionParts?.provider == "aws" && query.regionParts?.code == "ap-northeast-1")
        let error = #expect(throws: InputError.self) {
            try WhereRequest(category: "user.contacts", country: "XX", asOf: "2026/11/01").validated(index: index, today: today)
        }
        #expect(error?.issues.map(\.field) == ["category", "country", "as_of"])
        #expect(error?.issues.first?.message.hasSuffix("did you mean user.contact?") == true)
    }

    static func residency(_ key: String, vendor: String, country: String, from: String, to: String? = nil) -> Record {
        var values: [String: Value] = [
            "key": .string(key), "service": .string("persona"), "vendor": .string(vendor), "role": .string("backup"),
            "categories": .list(["user.contact.email"]), "country": .string(country), "valid_from": .string(from),
        ]
        if let to { values["valid_to"] = .string(to) }
        return Record(values)
    }

    @Test("A diff pairs an end with a same-day start of the same identity; a gap or another vendor stays start and end")
    func diffPairing() {
        let records: [EntityKind: [Record]] = [.residency: [
            Self.residency("a-old", vendor: "aws", country: "US", from: "2020-01-01", to: "2026-07-01"),
            Self.residency("a-new", vendor: "aws", country: "JP", from: "2026-07-01"),
            Self.residency("b-old", vendor: "gcp", country: "US", from: "2020-01-01", to: "2026-07-01"),
            Self.residency("b-new", vendor: "gcp", country: "JP", from: "2026-07-02"),
            Self.residency("c", vendor: "sakura", country: "JP", from: "2026-08-01"),
        ]]

        let diff = RegistryDiff(from: Day("2026-06-01")!, to: Day("2026-09-01")!, records: records)

        #expect(diff.changes.map { "\($0.date) \($0.change.rawValue) \($0.key)" } == [
            "2026-07-01 changed a-new", "2026-07-01 ended b-old", "2026-07-02 started b-new", "2026-08-01 started c",
        ])
        #expect(diff.changes[0].previousKey == "a-old")
        #expect(diff.changes[0].fields.map(\.field) == ["country"])
        #expect(RegistryDiff(from: Day("2026-07-01")!, to: Day("2026-07-31")!, records: records).changes.map(\.key) == ["b-new"])
    }
}
