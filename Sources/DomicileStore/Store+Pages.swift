import DomicileCore
import Foundation
import Postgres

/// Pages of a kind's records, by keyset: the records after a key, in the order the whole
/// list has (`key COLLATE "C"`), and the registry revision they were read at.
extension Store {
    /// One page of `records(kind, asOf:)`.
    public struct RecordPage: Sendable {
        /// The registry revision the page was read at (the same statement read both).
        public var revision: Int64
        /// At most `limit` records, each with a key greater than `after`.
        public var records: [Record]
        /// Whether records follow this page.
        public var more: Bool
    }

    /// The first `limit` records of `kind` (`nil`: all) whose key sorts after `after`
    /// (code-point order; `nil`: from the first), valid on `asOf` (`nil`: every record), and
    /// the revision: one statement, so the page and its revision are one snapshot without a
    /// transaction around them. It reads `limit + 1` rows to know whether more follow.
    public func recordsPage(_ kind: EntityKind, asOf: Day?, after: String?, limit: Int?) throws -> RecordPage {
        precondition((limit ?? 1) > 0, "a page holds at least one record")
        var parameters: [(any PostgresEncodable)?] = [after, limit.map { $0 + 1 }]
        let dated = asOf != nil && kind.schema.field("valid_from") != nil
        if dated, let asOf { parameters.append(asOf.description) }
        let rows = try connection.query(Self.pageStatement(kind, dated: dated), parameters).rows
        let revision = try rows.first?.decode(Int64.self, "page_revision__") ?? 0
        var records = try rows.filter { $0.text("key") != nil }.map { row in
            kind.schema.withoutDefaults(try Self.record(from: row, schema: kind.schema))
        }
        let more = limit.map { records.count > $0 } ?? false
        if more { records.removeLast() }
        return RecordPage(revision: revision, records: records, more: more)
    }

    /// The statement of `recordsPage`: $1 the key to start after (or NULL), $2 the rows to
    /// read, and when `dated` $3 the day the records must be valid on. Its `ORDER BY key
    /// COLLATE "C" LIMIT` is served by the code-point index of the key (schema/0016) where the
    /// kind has one, so a page reads about `limit` rows whatever the registry's size.
    static func pageStatement(_ kind: EntityKind, dated: Bool) -> String {
        let query = Self.readQueries[kind]!
        var filter = "($1::text IS NULL OR key COLLATE \"C\" > $1::text)"
        if dated { filter += " AND valid_from::date <= $3::date AND (valid_to IS NULL OR $3::date < valid_to::date)" }
        // A revision row joined to the page, so an empty page still says its revision.
        return """
            SELECT revision.value AS page_revision__, page.* FROM
                (SELECT coalesce((SELECT revision FROM registry_revision), 0) AS value) AS revision
            LEFT JOIN LATERAL (
                SELECT * FROM (\(query)) AS record WHERE \(filter) ORDER BY key COLLATE "C" LIMIT $2::int
            ) AS page ON true
            """
    }
}
