import DomicileCore
import Foundation
import Testing

/// The crafted registries of the check tests: Tests/Fixtures/check/clean.yaml (on which no
/// rule fires as of 2026-12-01), edited one violation at a time, with reference data made
/// here (the real checklist items' IDs and mandatory flags, a few countries).
enum CheckFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/check")
    static let day = Day("2026-12-01")!

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func cleanDocument() throws -> RegistryDocument {
        try parse(try text("clean.yaml"), file: "clean.yaml")
    }

    static func parse(_ yaml: String, file: String = "part.yaml") throws -> RegistryDocument {
        let (document, issues) = RegistryYAML.parse(yaml, file: file)
        try #require(issues.isEmpty, "\(file): \(issues)")
        return document
    }

    static func snapshot(_ document: RegistryDocument, asOf: Day = day) -> RegistrySnapshot {
        RegistrySnapshot(revision: 7, asOf: asOf, document: document, templates: templates, countries: countries)
    }

    static func regime(_ ppc: String, cbpr: Bool = false) -> RegistrySnapshot.CountryRegime {
        RegistrySnapshot.CountryRegime(
            effectiveFrom: Day("2026-01-01")!, euAdequacy: "no", ppcEquivalent: ppc, apecCBPR: cbpr, ppcSurvey: "yes",
            comprehensiveLaw: "yes", localization: "none", confidence: "verified", source: "test", verifiedOn: Day("2026-11-20")!)
    }

    /// One sourced fact, so the country has regime facts fit to publish (environment.no_regime_facts).
    static func facts(_ code: String) -> [RegistrySnapshot.RegimeFact] {
        [.init(country: code, fact: "comprehensive_law", value: "Test Act", effectiveFrom: Day("2020-01-01")!,
               publicEn: "\(code) has a test law.", publicJa: "\(code)にはテスト法があります。", source: "test", confidence: "verified")]
    }

    static let countries: [RegistrySnapshot.Country] = countriesWithoutFacts.map {
        .init(code: $0.code, name: $0.name, nameJa: $0.nameJa, officialName: $0.officialName, regime: $0.regime,
              facts: $0.regime == nil ? [] : facts($0.code))
    }

    static let countriesWithoutFacts: [RegistrySnapshot.Country] = [
        .init(code: "JP", name: "Japan", nameJa: "日本", regime: regime("home", cbpr: true)),
        .init(code: "US", name: "United States", nameJa: "米国", officialName: "United States of America", regime: regime("no", cbpr: true)),
        .init(code: "DE", name: "Germany", nameJa: "ドイツ", officialName: "Federal Republic of Germany", regime: regime("yes")),
        .init(code: "SG", name: "Singapore", nameJa: "シンガポール", officialName: "Republic of Singapore", regime: regime("no", cbpr: true)),
        .init(code: "IN", name: "India", nameJa: "インド", officialName: "Republic of India", regime: regime("no")),
        .init(code: "ID", name: "Indonesia", nameJa: "インドネシア", officialName: "Republic of Indonesia", regime: regime("no")),
        .init(code: "PG", name: "Papua New Guinea", nameJa: "パプアニューギニア", regime: nil),
        .init(code: "GN", name: "Guinea", nameJa: "ギニア", regime: nil),
        .init(code: "MX", name: "Mexico", nameJa: "メキシコ", regime: regime("no")),
        .init(code: "TR", name: "Türkiye", officialName: "Republic of Türkiye", regime: regime("no")),
        .init(code: "KR", name: "Korea, Republic of", nameJa: "大韓民国 (韓国)", regime: regime("no", cbpr: true)),
        .init(code: "KP", name: "Korea, Democratic People's Republic of", nameJa: "朝鮮民主主義人民共和国", regime: nil),
        .init(code: "GB", name: "United Kingdom", nameJa: "英国", officialName: "United Kingdom of Great Britain and Northern Ireland", regime: regime("yes")),
        .init(code: "OM", name: "Oman", nameJa: "オマーン", regime: nil),
    ]

    static let securityItems = ["RUL-1", "ORG-1", "ORG-2", "ORG-3", "ORG-4", "ORG-5", "HUM-1", "HUM-2", "PHY-1", "PHY-2", "PHY-3", "PHY-4", "TEC-1", "TEC-2", "TEC-3", "TEC-4", "EXT-1"]

    static let templates: [RegistrySnapshot.ChecklistTemplate] = [
        .init(
            key: "appi-security-2022", version: "2022-04-01", title: "APPI security control measures",
            items: [.init(id: "BP-1", group: "BP", title: "Basic policy", mandatory: false)]
                + securityItems.map { .init(id: $0, group: String($0.prefix(3)), title: "Item \($0)", mandatory: true) }
                + [.init(id: "EXT-1a", group: "EXT", title: "Countries listed", mandatory: false)]),
        .init(
            key: "appi-entrustee-supervision", version: "2022-04-01", title: "Entrustee supervision",
            items: [
                .init(id: "VEN-SEL-1", group: "SEL", title: "Selection", mandatory: true),
                .init(id: "VEN-CON-1", group: "CON", title: "Contract", mandatory: true),
                .init(id: "VEN-CON-2", group: "CON", title: "Clauses", mandatory: false),
                .init(id: "VEN-EXT-1", group: "EXT", title: "Foreign entrustee", mandatory: true),
                .init(id: "VEN-CLD-1", group: "CLD", title: "Cloud", mandatory: true),
            ]),
    ]
}

extension RegistryDocument {
    /// Changes the record `key` of `kind` in place.
    mutating func edit(_ kind: EntityKind, _ key: String, _ change: (inout Record) -> Void) {
        var list = self[kind]
        guard let index = list.firstIndex(where: { $0.key == key }) else {
            Testing.Issue.record("no \(kind) \(key) in the fixture")
            return
        }
        change(&list[index])
        self[kind] = list
    }

    /// Adds the records of a YAML part.
    mutating func add(_ yaml: String) throws {
        let part = try CheckFixture.parse(yaml)
        for kind in RegistryDocument.order { self[kind] = self[kind] + part[kind] }
    }
}

extension Record {
    /// Changes a nested object (an entrustment's contract, a residency's undisclosed).
    mutating func edit(_ field: String, _ change: (inout Record) -> Void) {
        var inner = object(field) ?? Record()
        change(&inner)
        self[field] = .object(inner)
    }

    /// Changes every nested record of a list (sub-entrustees, answers) for which `matching` holds.
    mutating func editEach(_ field: String, where matching: (Record) -> Bool = { _ in true }, _ change: (inout Record) -> Void) {
        var items = records(field)
        for index in items.indices where matching(items[index]) { change(&items[index]) }
        self[field] = .records(items)
    }
}
