import DomicileCore
@testable import DomicileStore
import Postgres
import TestSupport
import Testing

/// The migrated database keeps exactly the fields `EntitySchema` declares
/// (`EntitySchema.databaseColumns`, `databaseTables`), and the store's read query of each kind
/// names exactly those fields: a field added without its migration or its column in the read
/// query, or a column added without its field, fails here. (`BatchFieldsTests` holds the
/// batch writer to the schema, `StoreFieldsTests` the one-by-one writer.)
@Suite("Database against the schema")
struct SchemaStorageTests {
    /// Columns that hold no field: ids, timestamps, a list's position, and what is derived.
    static let bookkeeping: Set<String> = ["id", "created_at", "updated_at", "position"]
    static let derived: [String: Set<String>] = [
        "data_category": ["parent_key"],  // the key without its last segment
        "assessment_answer": ["template_key"],  // the assessment's, for the foreign key to checklist_item
    ]

    static func columns(_ connection: Connection, _ table: String) throws -> Set<String> {
        Set(try connection.query(
            "SELECT column_name::text AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
            [table]
        ).rows.map { try $0.decode(String.self, "name") })
    }

    @Test("Every kind's table, and its lists' tables, hold exactly the schema's fields", arguments: EntityKind.allCases)
    func tablesHoldTheFields(kind: EntityKind) async throws {
        try await TestDatabase.with(.migrated) { db in
            let connection = try db.connect()
            let schema = kind.schema
            let table = try #require(Store.tables[kind])
            #expect(schema.name == table)
            let stored = try Self.columns(connection, table).subtracting(Self.bookkeeping).subtracting(Self.derived[table] ?? [])
            let declared = Set(schema.databaseColumns)
            #expect(stored.subtracting(declared).isEmpty, "\(table): columns no field declares: \(stored.subtracting(declared).sorted())")
            #expect(declared.subtracting(stored).isEmpty, "\(table): fields without a column: \(declared.subtracting(stored).sorted())")
            for (list, columns) in schema.databaseTables {
                let owner: Set<String> = [table + "_id", table + "_key"]
                let stored = try Self.columns(connection, list).subtracting(Self.bookkeeping).subtracting(owner)
                    .subtracting(Self.derived[list] ?? [])
                #expect(!stored.isEmpty, "\(table): no table \(list)")
                #expect(stored == Set(columns), "\(list): columns \(stored.sorted()), fields \(columns.sorted())")
            }
        }
    }

    @Test("Each kind's read query names exactly the schema's fields", arguments: EntityKind.allCases)
    func readQueryNamesTheFields(kind: EntityKind) async throws {
        try await TestDatabase.with(.migrated) { db in
            let connection = try db.connect()
            let query = try #require(Store.readQueries[kind])
            let result = try connection.query("SELECT * FROM (" + query + ") AS record LIMIT 0")
            #expect(Set(result.columns.map(\.name)) == Set(kind.schema.fieldNames), "\(kind.rawValue): \(result.columns.map(\.name))")
            // a nested map or list is built as JSON: each of its fields is a key there
            for field in kind.schema.fields {
                let nested: EntitySchema
                switch field.type {
                case .object(let inner), .records(let inner): nested = inner
                default: continue
                }
                for name in nested.fieldNames {
                    #expect(query.contains("'\(name)'"), "\(kind.rawValue).\(field.name).\(name) is not read")
                }
            }
        }
    }
}
