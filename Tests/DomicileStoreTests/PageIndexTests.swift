import DomicileCore
@testable import DomicileStore
import Postgres
import TestSupport
import Testing

/// A page of vendors or services (`ORDER BY key COLLATE "C" LIMIT n`) can be read from the
/// code-point index of schema/0016 instead of sorting every row: without it a page of 100 at
/// `--scale 1` sorted all 10,000 vendors (docs/benchmarks.md "Pages").
@Suite("Page index")
struct PageIndexTests {
    static func plan(_ kind: EntityKind, dated: Bool, _ connection: Connection) throws -> String {
        // The tables of a test are tiny, so a sequential scan and a sort would win on cost:
        // turn both off to ask whether an index can give the page's order at all.
        _ = try connection.query("SET enable_seqscan = off")
        _ = try connection.query("SET enable_sort = off")
        let parameters: [(any PostgresEncodable)?] = dated ? ["a", 101, "2026-12-06"] : ["a", 101]
        let rows = try connection.query("EXPLAIN " + Store.pageStatement(kind, dated: dated), parameters).rows
        return try rows.map { try $0.decode(String.self, "QUERY PLAN") }.joined(separator: "\n")
    }

    @Test("A page of vendors or services walks the key's code-point index, as of a day or not", arguments: [
        (EntityKind.vendor, "vendor_key_code_point"), (EntityKind.service, "service_key_code_point"),
    ])
    func pageUsesIndex(kind: EntityKind, index: String) async throws {
        try await TestDatabase.with(.seeded) { database in
            let connection = try database.connect()
            for dated in [false, true] {
                let plan = try Self.plan(kind, dated: dated, connection)
                #expect(plan.contains("Index Scan using \(index)"), "\(kind) dated \(dated):\n\(plan)")
            }
            // Without the index the same page has to sort (what the test guards against).
            _ = try connection.query("DROP INDEX " + index)
            let unindexed = try Self.plan(kind, dated: false, connection)
            #expect(!unindexed.contains(index))
            let sortsKeys = unindexed.split(separator: "\n").contains { $0.contains("Sort Key: ") && $0.contains(".key COLLATE \"C\"") }
            #expect(sortsKeys, "\(unindexed)")
        }
    }
}
