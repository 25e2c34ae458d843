import DomicileCore
import Foundation
import Postgres

/// Reads an import needs about the records a file names, and no more: what it costs grows
/// with the file, not with the registry (or with the files imported before it in the same
/// transaction).
extension Store {
    /// The stored records of `kind` among `keys`, sorted by key (as `records(_:)` reads them).
    public func records(_ kind: EntityKind, keys: some Collection<String>) throws -> [Record] {
        guard !keys.isEmpty else { return [] }
        let sql = "SELECT * FROM (" + Self.readQueries[kind]! + ") AS record WHERE key = ANY($1::text[]) ORDER BY key COLLATE \"C\""
        return try connection.query(sql, [Array(Set(keys))]).rows.map { row in
            kind.schema.withoutDefaults(try Self.record(from: row, schema: kind.schema))
        }
    }

    /// The stored records of `kind` among `keys`, by key.
    func recordsByKey(_ kind: EntityKind, keys: some Collection<String>) throws -> [String: Record] {
        Dictionary(try records(kind, keys: keys).compactMap { record in record.key.map { ($0, record) } }, uniquingKeysWith: { first, _ in first })
    }

    /// Every stored key of `kind`.
    public func keys(_ kind: EntityKind) throws -> [String] {
        try connection.query("SELECT key FROM " + Self.tables[kind]!).rows.map { try $0.decode(String.self, "key") }
    }

    /// Every stored vendor's key and legal name.
    func vendorLegalNames() throws -> [(key: String, legalName: String?)] {
        try connection.query("SELECT key, legal_name FROM vendor").rows.map { row -> (key: String, legalName: String?) in
            (key: try row.decode(String.self, "key"), legalName: try row.decode(String?.self, "legal_name"))
        }
    }

    /// What a file may call a vendor or a service besides its key: each stored one's key with
    /// its legal name (a service's name) and, for a vendor, its aliases.
    func nameLabels(_ kind: EntityKind) throws -> [(key: String, labels: [String])] {
        switch kind {
        case .vendor:
            return try connection.query("SELECT key, legal_name, aliases FROM vendor").rows.map { row -> (key: String, labels: [String]) in
                let key = try row.decode(String.self, "key")
                let legalName = try row.decode(String?.self, "legal_name")
                let aliases = try row.decode([String]?.self, "aliases") ?? []
                return (key: key, labels: [key] + (legalName.map { [$0] } ?? []) + aliases)
            }
        case .service:
            return try connection.query("SELECT key, name FROM service").rows.map { row -> (key: String, labels: [String]) in
                let key = try row.decode(String.self, "key")
                let name = try row.decode(String?.self, "name")
                return (key: key, labels: [key] + (name.map { [$0] } ?? []))
            }
        default:
            return try keys(kind).map { (key: $0, labels: [$0]) }
        }
    }
}
