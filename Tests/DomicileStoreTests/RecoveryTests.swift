import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `Store.isInRecovery` and `Store.revisionInRecovery`: what `domicile serve` asks to tell a
/// hot standby (polled) from a primary (notified). The standby side runs in
/// scripts/e2e/replica.sh, against a real streaming replica.
@Suite("Recovery detection")
struct RecoveryTests {
    @Test("A primary is not in recovery, and the polled revision follows its writes, read as the reader role")
    func primaryFollowsWrites() async throws {
        try await TestDatabase.with(.seeded) { db in
            let writer = try db.store()
            let reader = try db.store()
            try reader.actAsReader()
            #expect(try reader.isInRecovery() == false)
            let before = try reader.revisionInRecovery()
            #expect(before.inRecovery == false)
            #expect(before.revision == (try writer.revision()))

            _ = try Seeder(directory: TestDatabase.seedsDirectory).loadExample("persona", into: writer, actor: "test")
            let after = try reader.revisionInRecovery()
            #expect(after.revision > before.revision)
            #expect(after.revision == (try writer.revision()))
            #expect(after.inRecovery == false)
        }
    }
}
