import DomicileCore
@testable import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Shared setup for the registry write-path tests (import, export, audit, seeds, resolve).
enum WritePath {
    /// Every registry table (nested lists included) and the audit log.
    static let tables = [
        "organization", "data_category", "purpose", "purpose_category", "service", "vendor", "vendor_contact",
        "residency", "residency_category", "entrustment", "entrustment_purpose", "entrustment_category",
        "sub_entrustee", "provision", "provision_category", "provision_record", "transmission",
        "transmission_category", "assessment", "assessment_answer", "audit_log",
    ]

    /// Row count of every registry table and of audit_log.
    static func counts(_ connection: Connection) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = try connection.query("SELECT count(*)::int AS n FROM " + table).first?.decode(Int.self, "n")
        }
        return counts
    }

    static func count(_ connection: Connection, _ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> Int {
        try connection.query("SELECT count(*)::int AS n FROM (" + sql + ") AS q", parameters).first?.decode(Int.self, "n") ?? -1
    }

    /// Parses `text` as a user's file would be parsed and imports it.
    @discardableResult
    static func importText(
        _ text: String, file: String = "registry.yaml", into store: Store, actor: String = "tester",
        dryRun: Bool = false
    ) throws -> ImportPlan {
        let (document, partial) = try Importer.parse(Array(text.utf8), file: file)
        return try Importer(store: store).run(document, partialKinds: partial, actor: actor, dryRun: dryRun)
    }

    /// Imports `text` expecting it to be refused; returns the issues and checks that no
    /// registry table and no audit row changed.
    static func rejectedIssues(
        _ text: String, file: String = "bad.yaml", into store: Store, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [DomicileCore.Issue] {
        try rejectedIssues(bytes: Array(text.utf8), file: file, into: store, sourceLocation: sourceLocation)
    }

    static func rejectedIssues(
        bytes: [UInt8], file: String, into store: Store, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [DomicileCore.Issue] {
        let before = try counts(store.connection)
        let revision = try store.revision()
        let error = #expect(throws: InputError.self, sourceLocation: sourceLocation) {
            let (document, partial) = try Importer.parse(bytes, file: file)
            try Importer(store: store).run(document, partialKinds: partial, actor: "tester")
        }
        #expect(try counts(store.connection) == before, "a refused import wrote rows", sourceLocation: sourceLocation)
        #expect(try store.revision() == revision, sourceLocation: sourceLocation)
        return error?.issues ?? []
    }

    /// 1-based number of the first line of `text` containing `needle`.
    static func line(of needle: String, in text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let index = lines.firstIndex(where: { $0.contains(needle) }) else {
            Testing.Issue.record("'\(needle)' is not in the text", sourceLocation: sourceLocation)
            return -1
        }
        return index + 1
    }

    /// A small valid registry: one organization, one service, one vendor.
    /// Vendor entries `partner-1` … `partner-N` (entrustees since 2024-04-01), to append to
    /// `base`'s vendors; `headquarters` gives each one's country.
    static func partners(_ count: Int, headquarters: (Int) -> String = { _ in "JP" }) -> String {
        (1...count).map {
            "  - key: partner-\($0)\n    legal_name: Partner \($0) K.K.\n    kinds: [entrustee]\n    headquarters: \(headquarters($0))\n    risk_tier: medium\n    valid_from: 2024-04-01"
        }.joined(separator: "\n")
    }

    static let base = """
        domicile: 1
        organizations:
          - key: acme
            name: Acme K.K.
            country: JP
        services:
          - key: shop
            name: Acme Shop
            organization: acme
            valid_from: 2024-04-01
        vendors:
          - key: cloudco
            legal_name: CloudCo Inc.
            aliases: [CloudCo]
            kinds: [cloud_provider, entrustee]
            headquarters: US
            risk_tier: high
            valid_from: 2024-04-01

        """

    /// A residency of shop at cloudco, with `extra` lines (already indented) appended.
    static func residency(_ key: String, _ extra: String = "country: JP") -> String {
        """
          - key: \(key)
            service: shop
            vendor: cloudco
            role: storage
            categories: [user.contact.email]
            source: CloudCo data processing addendum
            verified_on: 2025-01-10
            asserted_by: security team
            valid_from: 2025-01-01
        \(extra.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))

        """
    }

    /// The seeded database with `base` imported.
    static func withBase<T>(_ body: (TestDatabase, Store) async throws -> T) async throws -> T {
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            try importText(base, file: "base.yaml", into: store, actor: "setup")
            return try await body(db, store)
        }
    }

    /// The seeded database with the PERSONA example loaded.
    static func withPersona<T>(actor: String = "setup", _ body: (TestDatabase, Store) async throws -> T) async throws -> T {
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            _ = try Seeder(directory: TestDatabase.seedsDirectory).loadExample("persona", into: store, actor: actor)
            return try await body(db, store)
        }
    }

    static func export(_ store: Store) throws -> String {
        try store.read { _ in RegistryYAML.emit(try store.document()) }
    }

    /// Rows of a listing as dictionaries keyed by column.
    static func rows(_ listing: Listing) -> [[String: String]] {
        listing.rows.map { Dictionary(uniqueKeysWithValues: zip(listing.columns, $0)) }
    }
}
