import DomicileCore
import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `Store.snapshot`: the typed registry reports and checks read.
@Suite("Registry snapshot")
struct SnapshotTests {
    static func persona(_ db: TestDatabase) throws -> Store {
        let store = try db.store()
        _ = try Seeder(directory: TestDatabase.seedsDirectory).loadExample("persona", into: store, actor: "test")
        return store
    }

    @Test("The PERSONA example reads back as typed records with the current revision")
    func personaSnapshot() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try Self.persona(db)
            let snapshot = try store.snapshot(asOf: Day("2026-11-28"))
            #expect(snapshot.revision == (try store.revision()))
            #expect(snapshot.asOf == Day("2026-11-28"))
            #expect(snapshot.organizations.map(\.key) == ["assign"])
            #expect(snapshot.services.map(\.key) == ["persona"])
            #expect(snapshot.vendors.map(\.key) == ["aws", "google", "hikari-mail", "tsubame-support"])
            #expect(snapshot.vendor("aws")?.kinds == [.cloudProvider])
            #expect(snapshot.vendor("aws")?.riskTier == .high)
            #expect(snapshot.vendor("tsubame-support")?.contacts.first?.email == "privacy@tsubame-support.example")
            #expect(snapshot.residencies.map(\.key) == [
                "persona-aws-cdn-undisclosed", "persona-aws-tokyo-storage", "persona-aws-virginia-storage",
            ])
            let cdn = try #require(snapshot.residencies.first)
            #expect(cdn.country == nil && cdn.role == .processing)
            #expect(cdn.undisclosed?.candidates == ["JP", "KR", "SG", "US"])
            #expect(snapshot.residencies[1].region == "aws/ap-northeast-1" && snapshot.residencies[1].country == "JP")

            let support = try #require(snapshot.entrustments.first { $0.key == "persona-support-desk" })
            #expect(support.contract.expiresOn == Day("2027-03-31") && support.contract.noticeDays == 90)
            #expect(support.contract.renewal == "automatic" && support.reentrustment == "prior_approval")
            #expect(support.subEntrustees == [
                RegistrySnapshot.SubEntrustee(
                    vendor: "hikari-mail", via: "tsubame-support", countries: ["JP"],
                    work: "Bulk delivery of email magazines and campaign emails (mail transfer only).",
                    approvedOn: Day("2021-03-25")),
            ])
            let hosting = try #require(snapshot.entrustments.first { $0.key == "persona-aws-hosting" })
            #expect(hosting.cloudException && hosting.contract.renewal == "none" && hosting.contract.expiresOn == nil)

            let transmission = try #require(snapshot.transmissions.first)
            #expect(transmission.recipient == "google" && transmission.information == ["Activity on the site", "IP address"])
            #expect(transmission.informationJa == ["サイト上での行動履歴", "IPアドレス"])

            let security = try #require(snapshot.assessments.first { $0.key == "assign-security-2026" })
            #expect(security.organization == "assign" && security.vendor == nil)
            #expect(security.answers.first?.item == "BP-1" && security.answers.first?.status == .met)
            #expect(security.answers.first { $0.item == "EXT-1a" }?.status == .partial)

            let template = try #require(snapshot.template("appi-security-2022"))
            #expect(template.items.first?.id == "BP-1")
            #expect(template.item("ORG-1")?.group == "ORG")
            #expect(snapshot.template("appi-entrustee-supervision") != nil)

            #expect(snapshot.countries.count == 249)
            #expect(snapshot.country("JP")?.regime?.ppcEquivalent == "home")
            // no source asserts a PPC designation of the US: not asserted, which is not "no" (and needs a basis)
            #expect(snapshot.country("US")?.regime?.ppcEquivalent == "not_asserted")
            #expect(Compliance.needsTransferBasis("US", in: snapshot))
            #expect(snapshot.country("US")?.regime?.apecCBPR == true)
            #expect(snapshot.countryName("US") == "United States of America")
            #expect(snapshot.country("US")?.name == "United States")
            #expect(snapshot.countryName("KR") == "Republic of Korea")
            #expect(snapshot.countryNameJa("US") == "米国")
            #expect(snapshot.category("user.contact.email")?.parent == "user.contact")
            #expect(snapshot.purposes.count >= 9)
        }
    }

    @Test("As of an earlier day the snapshot leaves out what did not exist yet")
    func asOfEarlierDay() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try Self.persona(db)
            // tsubame-support, hikari-mail and their entrustment start on 2021-04-01; the assessments are of 2026-11-20;
            // each regime fact holds from its own day: in 2021 the US had Privacy Shield no more, CBPR already.
            let early = try store.snapshot(asOf: Day("2021-01-01"))
            #expect(early.vendors.map(\.key) == ["aws", "google"])
            #expect(early.entrustments.map(\.key) == ["persona-aws-hosting"])
            #expect(early.assessments.isEmpty)
            let us = try #require(early.country("US"))
            #expect(us.regime?.apecCBPR == true && us.regime?.euAdequacy == "not_asserted", "\(us)")
            #expect(!us.facts.contains { $0.fact == "eu_adequacy" }, "Privacy Shield ended on 2020-07-16; the DPF starts on 2023-07-10")
            #expect(early.residencies.count == 3)

            let beforeService = try store.snapshot(asOf: Day("2019-12-31"))
            #expect(beforeService.services.isEmpty && beforeService.residencies.isEmpty)
        }
    }

    @Test("A record ended yesterday is not in today's snapshot; the revision moves with the write")
    func endedRecordLeaves() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try Self.persona(db)
            let before = try store.snapshot(asOf: Day("2026-11-28"))
            try store.write(actor: "test") { connection in
                _ = try connection.query("UPDATE transmission SET valid_to = '2026-11-01' WHERE key = 'persona-google-analytics'")
            }
            let after = try store.snapshot(asOf: Day("2026-11-28"))
            #expect(before.transmissions.count == 1)
            #expect(after.transmissions.isEmpty)
            #expect(after.revision > before.revision)
            #expect(try store.snapshot(asOf: Day("2026-10-31")).transmissions.count == 1)
        }
    }
}
