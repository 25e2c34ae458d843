import DomicileCore
import DomicileStore
import TestSupport
import Testing

/// `domicile seed` runs on every quickstart: it must never undo what people changed.
@Suite("Seeding again keeps edits")
struct SeedKeepsEditsTests {
    @Test("An edited seeded purpose and an edited example vendor survive seeding again")
    func seedingAgainKeepsEdits() async throws {
        try await WritePath.withPersona { _, store in
            let seeder = Seeder(directory: TestDatabase.seedsDirectory)
            var aws = try #require(try store.record(.vendor, key: "aws"))
            aws["risk_tier"] = .string("critical")
            var purpose = try #require(try store.record(.purpose, key: "analytics"))
            purpose["name_ja"] = .string("アクセス解析（社内用語）")
            try Importer(store: store).run(RegistryDocument(records: [.vendor: [aws], .purpose: [purpose]]), actor: "alice")

            let reference = try seeder.loadReference(into: store, actor: "seed")
            let example = try seeder.loadExample("persona", into: store, actor: "seed")

            #expect(try store.record(.vendor, key: "aws")?.string("risk_tier") == "critical")
            #expect(try store.record(.purpose, key: "analytics")?.string("name_ja") == "アクセス解析（社内用語）")
            #expect(example.changed.isEmpty && example.added.isEmpty)
            #expect(example.kept.map(\.key) == ["aws"])
            #expect(reference.registry.kept.map(\.key) == ["analytics"])
        }
    }
}
