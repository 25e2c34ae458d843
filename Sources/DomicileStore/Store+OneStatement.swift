import DomicileCore
import Postgres

/// Small answers in one statement (issue 17): the answer's rows and the registry revision
/// they are of, read together. A single statement sees one snapshot whatever the isolation
/// level, so the revision is the one the rows belong to, as `readSnapshot` guarantees with a
/// transaction — but in one round trip instead of seven (`BEGIN`, `SET TRANSACTION READ
/// ONLY`, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`, the revision, the key check,
/// the record, `COMMIT`). Run it outside a transaction (the API's pooled connections are);
/// inside one it simply joins it.
extension Store {
    /// The column the revision comes back in, beside the answer's own columns.
    static let revisionColumn = "domicile_revision"
    static let revisionSelect = "(SELECT revision FROM registry_revision) AS " + revisionColumn

    /// The record of `kind` whose key is exactly `key`, with the registry revision it was read
    /// at, in one statement; `nil` when no record has that key (a name or an alias, say: the
    /// caller then resolves it as `resolveKey` does).
    public func recordAtRevision(_ kind: EntityKind, key: String) throws -> (revision: Int64, record: Record)? {
        guard let row = try connection.query(
            "SELECT record.*, " + Self.revisionSelect + " FROM (" + Self.readQueries[kind]! + ") AS record WHERE key = $1", [key]
        ).first else { return nil }
        let record = kind.schema.withoutDefaults(try Self.record(from: row, schema: kind.schema))
        return (try row.decode(Int64?.self, Self.revisionColumn) ?? 0, record)
    }

    /// Country `code` (ISO 3166-1 alpha-2, as stored) with its current regime facts, as
    /// `countries(code:)` lists it, and the registry revision, in one statement; `nil` when
    /// there is no such country.
    public func countryAtRevision(code: String) throws -> (revision: Int64, listing: Listing)? {
        let result = try connection.query("SELECT country.*, " + Self.revisionSelect + " FROM (" + Self.countriesQuery + ") AS country", [code])
        guard let row = result.first else { return nil }
        let columns = result.columns.map(\.name).filter { $0 != Self.revisionColumn }
        let listing = Listing(columns: columns, rows: [columns.map { row.text($0) ?? "" }])
        return (try row.decode(Int64?.self, Self.revisionColumn) ?? 0, listing)
    }
}
