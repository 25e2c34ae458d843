import DomicileCore
@testable import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

/// The audit trail: every registry write is logged in its own transaction with the actor,
/// the log cannot be rewritten, and `Store.audit` finds what was logged.
@Suite("Audit trail")
struct AuditTests {
    static let extras = """
        data_categories:
          - key: user.loyalty
            name: Loyalty programme data
            name_ja: ポイントプログラム情報
          - key: user.loyalty.points
            name: Loyalty points balance
        provisions:
          - key: persona-partner-sharing
            service: persona
            recipient: tsubame-support
            basis: consent
            purpose: joint seminar
            categories: [user.name, user.contact.email]
            recipient_country: JP
            records:
              - provided_on: 2025-03-01
                data_subjects: seminar entrants
                items: name, email address
                retain_until: 2028-03-01
            valid_from: 2025-03-01

        """

    static func maxID(_ connection: Connection) throws -> Int64 {
        try connection.query("SELECT coalesce(max(id), 0) AS id FROM audit_log").first?.decode(Int64.self, "id") ?? 0
    }

    @Test("An import writes one audit row per row it adds, nested rows included, all in its transaction with the actor")
    func everyAddIsAuditedInTheSameTransactionWithTheActor() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            let connection = store.connection
            let before = try WritePath.counts(connection)
            let lastID = try Self.maxID(connection)

            _ = try Seeder(directory: TestDatabase.seedsDirectory).loadExample("persona", into: store, actor: "carol@example.com")
            let personaID = try Self.maxID(connection)
            try WritePath.importText(Self.extras, into: store, actor: "dave@example.com")

            let after = try WritePath.counts(connection)
            let added = WritePath.tables.filter { $0 != "audit_log" }.reduce(0) { $0 + after[$1]! - before[$1]! }
            #expect(added > 0)
            #expect(after["audit_log"]! - before["audit_log"]! == added, "one audit row per row written")

            let persona = try connection.query(
                "SELECT actor, txid, entity, entity_key, action FROM audit_log WHERE id > $1 AND id <= $2", [lastID, personaID]
            ).rows
            #expect(Set(try persona.map { try $0.decode(String.self, "actor") }) == ["carol@example.com"])
            #expect(Set(try persona.map { try $0.decode(Int64.self, "txid") }).count == 1, "one transaction")
            #expect(Set(try persona.map { try $0.decode(String.self, "action") }) == ["add"])
            let keys = Set(try persona.map { "\(try $0.decode(String.self, "entity")) \(try $0.decode(String.self, "entity_key"))" })
            for expected in [
                "organization assign", "purpose persona-inquiries", "purpose persona-inquiries#user.content.inquiry",
                "service persona", "vendor google", "vendor tsubame-support", "vendor tsubame-support#contact0",
                "residency persona-aws-tokyo-storage", "residency persona-aws-tokyo-storage#user.contact.email",
                "entrustment persona-support-desk", "entrustment persona-support-desk#purpose:persona-inquiries",
                "entrustment persona-support-desk#user.contact.email", "entrustment persona-support-desk#sub:hikari-mail",
                "transmission persona-google-analytics", "transmission persona-google-analytics#user.device.ip_address",
                "assessment assign-security-2026", "assessment assign-security-2026#BP-1", "assessment assign-security-2026#EXT-1d",
            ] {
                #expect(keys.contains(expected), "no audit row for \(expected)")
            }

            let extras = try connection.query(
                "SELECT actor, txid, entity, entity_key FROM audit_log WHERE id > $1", [personaID]
            ).rows
            #expect(Set(try extras.map { try $0.decode(String.self, "actor") }) == ["dave@example.com"])
            #expect(Set(try extras.map { try $0.decode(Int64.self, "txid") }).count == 1)
            let extraKeys = Set(try extras.map { "\(try $0.decode(String.self, "entity")) \(try $0.decode(String.self, "entity_key"))" })
            #expect(extraKeys == [
                "category user.loyalty", "category user.loyalty.points", "provision persona-partner-sharing",
                "provision persona-partner-sharing#user.contact.email", "provision persona-partner-sharing#user.name",
                "provision persona-partner-sharing#record:2025-03-01:seminar entrants",
            ])
        }
    }

    @Test("A refused import leaves no rows and no audit rows")
    func failedImportLeavesNoAuditRows() async throws {
        try await WritePath.withBase { _, store in
            // The second vendor's legal name clashes case-insensitively with the first: refused
            // before anything is written (the database's unique index would refuse it too).
            let text = """
                vendors:
                  - key: acme-one
                    legal_name: Acme Trading Inc.
                    kinds: [entrustee]
                    headquarters: JP
                    risk_tier: low
                    valid_from: 2025-01-01
                  - key: acme-two
                    legal_name: ACME TRADING INC.
                    kinds: [entrustee]
                    headquarters: JP
                    risk_tier: low
                    valid_from: 2025-01-01

                """
            let before = try WritePath.counts(store.connection)
            let error = #expect(throws: InputError.self) { try WritePath.importText(text, into: store) }
            #expect(error?.issues.first?.message.contains("acme-two") == true, "\(String(describing: error))")
            #expect(try WritePath.counts(store.connection) == before)
            #expect(try store.record(.vendor, key: "acme-one") == nil)

            // and one refused by validation
            #expect(throws: InputError.self) {
                try WritePath.importText(text.replacingOccurrences(of: "headquarters: JP", with: "headquarters: XX"), into: store)
            }
            #expect(try WritePath.counts(store.connection) == before)
        }
    }

    @Test("Ending a vendor by setting valid_to is audited as 'end'; a later correction as 'edit'")
    func endingARecordIsAuditedAsEnd() async throws {
        try await WritePath.withBase { _, store in
            var vendor = try #require(try store.record(.vendor, key: "cloudco"))
            vendor["valid_to"] = .string("2025-06-30")
            try WritePath.importText(RegistryYAML.emit(RegistryDocument(records: [.vendor: [vendor]])), into: store, actor: "erin")
            vendor["valid_to"] = .string("2025-07-31")
            try WritePath.importText(RegistryYAML.emit(RegistryDocument(records: [.vendor: [vendor]])), into: store, actor: "erin")

            let rows = WritePath.rows(try store.audit(since: nil, entity: "vendor", key: "cloudco", actor: "erin", limit: 10))
            #expect(rows.map { $0["action"]! } == ["end", "edit"])
            #expect(rows.first?["after"]?.contains("\"valid_to\": \"2025-06-30\"") == true)
            #expect(try store.records(.vendor, asOf: Day("2025-07-01")).map(\.key).contains("cloudco"))
            #expect(try !store.records(.vendor, asOf: Day("2025-07-31")).map(\.key).contains("cloudco"))
        }
    }

    @Test("As domicile_writer, INSERT, UPDATE, DELETE and TRUNCATE of audit_log fail with SQLSTATE 42501")
    func writerCannotRewriteTheAuditLog() async throws {
        try await WritePath.withBase { db, store in
            let connection = try db.connect()
            defer { connection.close() }
            let before = try WritePath.counts(connection)
            #expect(before["audit_log"]! > 0)
            try connection.unsafeExecuteScript("SET ROLE domicile_writer")
            for sql in [
                "UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log", "TRUNCATE audit_log",
                "INSERT INTO audit_log (actor, entity, entity_key, action, after) VALUES ('mallory', 'vendor', 'x', 'add', '{}')",
            ] {
                let error = #expect(throws: PostgresError.self, "\(sql)") { try connection.query(sql) }
                #expect(error?.sqlState == PostgresError.Code.insufficientPrivilege, "\(sql): \(String(describing: error))")
            }
            // …while the writer's own changes are still audited, by the trigger alone
            try connection.query("SELECT set_config('domicile.actor', 'writer', false)")
            try connection.query(
                "INSERT INTO purpose (key, name_en) VALUES ('audit-probe', 'Audit probe')")
            try connection.unsafeExecuteScript("RESET ROLE")
            #expect(try Self.count(connection, "SELECT 1 FROM audit_log WHERE actor = 'mallory'") == 0)
            #expect(try Self.count(connection, "SELECT 1 FROM audit_log WHERE actor = 'writer' AND entity_key = 'audit-probe'") == 1)
            #expect(try WritePath.counts(connection)["audit_log"] == before["audit_log"]! + 1)
        }
    }

    @Test("Even the owner cannot UPDATE, DELETE or TRUNCATE audit_log: the trigger refuses with 42501")
    func ownerCannotRewriteTheAuditLog() async throws {
        try await WritePath.withBase { db, _ in
            let connection = try db.connect()
            defer { connection.close() }
            let owner = try connection.query("SELECT tableowner = current_user AS owns FROM pg_tables WHERE tablename = 'audit_log'")
            #expect(try owner.first?.decode(Bool.self, "owns") == true)
            let before = try connection.query("SELECT md5(string_agg(a::text, ',' ORDER BY id)) AS h FROM audit_log a").first?.decode(String.self, "h")
            for sql in [
                "UPDATE audit_log SET actor = 'mallory' WHERE actor = 'setup'", "DELETE FROM audit_log WHERE actor = 'setup'",
                "TRUNCATE audit_log",
            ] {
                let error = #expect(throws: PostgresError.self, "\(sql)") { try connection.query(sql) }
                #expect(error?.sqlState == PostgresError.Code.insufficientPrivilege, "\(sql): \(String(describing: error))")
                #expect(error?.message.contains("append-only") == true)
            }
            let after = try connection.query("SELECT md5(string_agg(a::text, ',' ORDER BY id)) AS h FROM audit_log a").first?.decode(String.self, "h")
            #expect(after == before)
        }
    }

    static func count(_ connection: Connection, _ sql: String) throws -> Int { try WritePath.count(connection, sql) }

    @Test("Store.audit filters by entity, key (with its nested rows), actor and day")
    func auditFiltersByEntityKeyActorAndSince() async throws {
        try await WritePath.withPersona(actor: "alice") { _, store in
            var google = try #require(try store.record(.vendor, key: "google"))
            google["risk_tier"] = .string("high")
            try WritePath.importText(RegistryYAML.emit(RegistryDocument(records: [.vendor: [google]])), into: store, actor: "bob")

            let vendor = WritePath.rows(try store.audit(since: nil, entity: "vendor", key: nil, actor: nil, limit: 1000))
            #expect(Set(vendor.map { $0["entity"]! }) == ["vendor"])
            #expect(Set(vendor.map { $0["key"]! }).isSuperset(of: ["aws", "google", "hikari-mail", "tsubame-support", "tsubame-support#contact0"]))

            let googleRows = WritePath.rows(try store.audit(since: nil, entity: "vendor", key: "google", actor: nil, limit: 1000))
            #expect(googleRows.map { $0["action"]! } == ["add", "edit"], "oldest first")
            #expect(googleRows.map { $0["actor"]! } == ["alice", "bob"])

            let tsubame = WritePath.rows(try store.audit(since: nil, entity: nil, key: "tsubame-support", actor: nil, limit: 1000))
            #expect(Set(tsubame.map { $0["key"]! }) == ["tsubame-support", "tsubame-support#contact0"])

            let bob = WritePath.rows(try store.audit(since: nil, entity: nil, key: nil, actor: "bob", limit: 1000))
            #expect(bob.count == 1)
            #expect(bob.first?["key"] == "google")
            #expect(bob.first?["after"]?.contains("\"risk_tier\": \"high\"") == true)

            let later = Day(Date().addingTimeInterval(2 * 86_400))
            #expect(try store.audit(since: later, entity: nil, key: nil, actor: nil, limit: 1000).rows.isEmpty)
            #expect(try store.audit(since: Day("2000-01-01"), entity: "vendor", key: "google", actor: nil, limit: 1000).rows.count == 2)

            let newest = WritePath.rows(try store.audit(since: nil, entity: nil, key: nil, actor: nil, limit: 2))
            #expect(newest.count == 2)
            #expect(newest.last?["actor"] == "bob", "the limit keeps the newest rows, newest last")
        }
    }

    @Test("Filtering the audit by a key with '_' does not match other keys ('_' is not a wildcard)")
    func auditKeyFilterIsLiteral() async throws {
        try await WritePath.withBase { _, store in
            let text = """
                vendors:
                  - key: acme_x
                    legal_name: Acme X Inc.
                    kinds: [entrustee]
                    headquarters: JP
                    risk_tier: low
                    contacts:
                      - name: Desk X
                    valid_from: 2025-01-01
                  - key: acmeax
                    legal_name: AcmeAX Inc.
                    kinds: [entrustee]
                    headquarters: JP
                    risk_tier: low
                    contacts:
                      - name: Desk AX
                    valid_from: 2025-01-01

                """
            try WritePath.importText(text, into: store)
            let rows = WritePath.rows(try store.audit(since: nil, entity: nil, key: "acme_x", actor: nil, limit: 1000))
            #expect(Set(rows.map { $0["key"]! }) == ["acme_x", "acme_x#contact0"])
        }
    }
}
