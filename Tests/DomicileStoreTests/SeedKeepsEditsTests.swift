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

    @Test("Seeding the example again keeps an answer added since, instead of refusing to drop it")
    func seedingAgainKeepsAddedAnswers() async throws {
        try await WritePath.withPersona { _, store in
            var assessment = try #require(try store.record(.assessment, key: "tsubame-support-supervision-2026"))
            let answered = Set(assessment.records("answers").compactMap { $0.string("item") })
            let items = ["VEN-SEL-1", "VEN-SEL-2", "VEN-CON-1", "VEN-CON-2", "VEN-MON-1", "VEN-SUB-1", "VEN-SUB-2", "VEN-USE-1", "VEN-EXT-1", "VEN-CLD-1"]
            let missing = try #require(items.first { !answered.contains($0) } ?? items.first)
            assessment["answers"] = .records(
                assessment.records("answers").filter { $0.string("item") != missing }
                    + [Record(["item": .string(missing), "status": .string("not_applicable"), "note": .string("added later")])])
            try Importer(store: store).run(RegistryDocument(records: [.assessment: [assessment]]), actor: "alice")

            let plan = try Seeder(directory: TestDatabase.seedsDirectory).loadExample("persona", into: store, actor: "seed")

            #expect(plan.kept.map(\.key).contains("tsubame-support-supervision-2026"))
            let answers = try #require(try store.record(.assessment, key: "tsubame-support-supervision-2026")).records("answers")
            #expect(answers.contains { $0.string("item") == missing && $0.string("note") == "added later" })
        }
    }
}
