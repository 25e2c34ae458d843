import DomicileCore
@testable import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Sub-entrustees with a valid time of their own (0008): `where --transitive --as-of`
/// follows only those in force on the day, `diff` lists their starts and ends, and the
/// registry file carries `valid_from`/`valid_to` through export and import unchanged.
@Suite("sub-entrustee valid time")
struct SubEntrusteeValidTimeTests {
    static let today = Day("2026-11-29")!

    static let partners = WritePath.partners(3)

    /// shop entrusts partner-1, which re-entrusts partner-2 from the start (no dates) and,
    /// through partner-2, partner-3 in Singapore from 2025-01-01 until 2026-01-01.
    static let registry = """
        \(WritePath.base)\(partners)
        entrustments:
          - key: shop-chain
            service: shop
            vendor: partner-1
            categories: [user.contact.address]
            reentrustment: allowed
            sub_entrustees:
              - vendor: partner-2
                countries: [JP]
              - vendor: partner-3
                via: partner-2
                countries: [SG]
                work: 越境配送
                valid_from: 2025-01-01
                valid_to: 2026-01-01
            valid_from: 2024-04-01

        """

    static func withRegistry<T>(_ body: (Store) async throws -> T) async throws -> T {
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            try WritePath.importText(registry, into: store)
            return try await body(store)
        }
    }

    static func paths(_ store: Store, asOf: String) throws -> [String] {
        let query = try store.whereQuery(WhereRequest(service: "shop", asOf: asOf, transitive: true), today: today)
        return try store.where(query).rows.map(\.pathText)
    }

    @Test("where --transitive --as-of: hidden the day before it starts, shown from its first day, hidden from its valid_to")
    func asOfAroundSubEntrustee() async throws {
        try await Self.withRegistry { store in
            let before = try Self.paths(store, asOf: "2024-12-31")
            let first = try Self.paths(store, asOf: "2025-01-01")
            let last = try Self.paths(store, asOf: "2025-12-31")
            let after = try Self.paths(store, asOf: "2026-01-01")

            let always = ["shop → partner-1 → partner-2 → JP", "shop → partner-1 → undisclosed"]
            #expect(before == always)
            #expect(first == ["shop → partner-1 → partner-2 → JP", "shop → partner-1 → partner-2 → partner-3 → SG", "shop → partner-1 → undisclosed"])
            #expect(last == first)
            #expect(after == always)

            // the country reached only through it
            let sg = { (day: String) in
                try store.where(try store.whereQuery(WhereRequest(country: "SG", asOf: day, transitive: true), today: Self.today)).rows
            }
            #expect(try sg("2024-12-31").isEmpty)
            let row = try #require(try sg("2025-06-01").first)
            #expect(row.kind == .subEntrustee && row.vendor == "partner-3" && row.record == "shop-chain")
            // its own valid_from, not the entrustment's
            #expect(row.validFrom == Day("2025-01-01"))
            #expect(try sg("2026-01-01").isEmpty)
            let undated = try #require(try store.where(try store.whereQuery(WhereRequest(vendor: "partner-2", asOf: "2025-06-01", transitive: true), today: Self.today)).rows.first { $0.vendor == "partner-2" })
            #expect(undated.validFrom == Day("2024-04-01"))

            // a report as of a day reads the same chain
            let snapshot = try store.snapshot(asOf: Day("2026-01-01")!)
            #expect(snapshot.entrustments.first?.subEntrustees.map(\.vendor) == ["partner-2"])
            #expect(try store.snapshot(asOf: Day("2025-01-01")!).entrustments.first?.subEntrustees.map(\.vendor) == ["partner-2", "partner-3"])
        }
    }

    @Test("diff lists the sub-entrustee's start and end in every format; a window without them lists nothing")
    func diffAcrossSubEntrustee() async throws {
        try await Self.withRegistry { store in
            let started = try store.diff(DiffRequest(from: "2024-12-31", to: "2025-01-01"), today: Self.today)
            #expect(started.changes.map { "\($0.date) \($0.change.rawValue) \($0.kindName) \($0.key) \($0.subEntrustee ?? "-")" } == [
                "2025-01-01 started sub_entrustee shop-chain partner-3",
            ])
            let ended = try store.diff(DiffRequest(from: "2025-06-01", to: "2026-06-01"), today: Self.today)
            #expect(ended.changes.map { "\($0.date) \($0.change.rawValue) \($0.kindName) \($0.key)" } == [
                "2026-01-01 ended sub_entrustee shop-chain",
            ])
            #expect(ended.render(.table).contains("2026-01-01  ended   sub_entrustee  shop-chain  shop     partner-3 via partner-2 SG [user.contact.address]"), "\(ended.render(.table))")
            #expect(ended.render(.csv).split(separator: "\n").last == "2026-01-01,ended,sub_entrustee,shop-chain,,shop,partner-3 via partner-2 SG [user.contact.address]")
            let json = ended.render(.json)
            #expect(json.contains("\"kind\" : \"sub_entrustee\"") && json.contains("\"vendor\" : \"partner-3\"") && json.contains("越境配送"), "\(json)")

            #expect(try store.diff(DiffRequest(from: "2025-01-01", to: "2025-12-31"), today: Self.today).changes.isEmpty)
            let everything = try store.diff(DiffRequest(from: "2024-01-01", to: "2026-06-01"), today: Self.today)
            // (the vendors' starts are listed too, issue 11 point 4)
            #expect(everything.changes.filter { $0.kind != .vendor }.map { "\($0.change.rawValue) \($0.kindName)" } == [
                "started entrustment", "started sub_entrustee", "ended sub_entrustee",
            ])
        }
    }

    @Test("An end not after the start is refused naming the field, by the validator and by the table's check")
    func endBeforeStartRefused() async throws {
        try await Self.withRegistry { store in
            let bad = Self.registry.replacingOccurrences(of: "valid_to: 2026-01-01", with: "valid_to: 2024-12-01")
            let issues = try WritePath.rejectedIssues(bad, into: store)
            #expect(issues.map(\.field) == ["sub_entrustees.valid_to"])
            #expect(issues.first?.message == "sub_entrustees.valid_to 2024-12-01 of sub-entrustee 'partner-3' is not after sub_entrustees.valid_from 2025-01-01; an end must come after the start")
            let undated = Self.registry.replacingOccurrences(of: "countries: [JP]", with: "countries: [JP]\n        valid_to: 2024-04-01")
            #expect(try WritePath.rejectedIssues(undated, into: store).first?.message.contains("is not after valid_from 2024-04-01 (the entrustment's start)") == true)

            let error = #expect(throws: PostgresError.self) {
                try store.connection.query("UPDATE sub_entrustee SET valid_to = valid_from WHERE valid_from IS NOT NULL")
            }
            #expect(error?.constraint == "sub_entrustee_valid_time_check")
        }
    }

    @Test("A dated sub-entrustee round-trips export → import → export byte-identically; the audit trail records the end")
    func roundTrip() async throws {
        let first = try await Self.withRegistry { store in
            try store.write(actor: "tester") { db in
                _ = try db.query("UPDATE sub_entrustee SET valid_to = '2026-03-01' WHERE valid_from IS NULL")
            }
            let audit = try store.connection.query(
                "SELECT action FROM audit_log WHERE entity_key = 'shop-chain#sub:partner-2' ORDER BY id").rows.map { try $0.decode(String.self, "action") }
            #expect(audit == ["add", "end"])
            return try WritePath.export(store)
        }
        #expect(first.contains("""
              - vendor: partner-3
                via: partner-2
                countries:
                - SG
                work: 越境配送
                valid_from: 2025-01-01
                valid_to: 2026-01-01
            """), "\(first)")
        #expect(first.contains("valid_to: 2026-03-01"))

        let (plan, second, _) = try await ExportRoundTripTests.reexport(first)
        #expect(plan.changed.isEmpty)
        #expect(second == first, "first difference: \(ExportRoundTripTests.firstDifference(first, second))")
    }
}
