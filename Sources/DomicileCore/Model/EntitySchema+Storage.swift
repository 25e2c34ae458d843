/// Where the database keeps a kind's fields (the migrations in schema/). The store's
/// statements (`Store+Records`, `Store+Save`, `Store+Insert`) are written out by hand, and
/// tests hold them to this: `SchemaStorageTests` compares it with the migrated database's
/// `information_schema`, and `StoreFieldsTests` writes a record with every field through
/// `save` and `insertNew` and reads it back.
///
/// A field is kept in a column of its own name, unless its declaration names another
/// (`FieldSpec.column`) or its type says otherwise:
/// - a reference: `<field>_id` (the id of the record named); a checklist template
///   `<field>_key`; a checklist item `<field>_id`;
/// - a region: `<field>_provider` and `<field>_code`;
/// - a nested map: one column per field of it, `<field>_<name>`;
/// - a list of references: a table `<table>_<kind>` with a column `<kind>_key`;
/// - a list of maps: a table `<table>_<map>` (or the field's `column`) with the map's columns.
extension EntitySchema {
    /// The columns of the kind's table (or a nested list's) that hold its fields.
    public var databaseColumns: [String] {
        fields.flatMap { field -> [String] in
            if let column = field.column, !field.type.isStoredElsewhere { return [column] }
            switch field.type {
            case .reference, .checklistItem: return [field.name + "_id"]
            case .template: return [field.name + "_key"]
            case .region: return [field.name + "_provider", field.name + "_code"]
            case .object(let nested):
                return nested.fields.map { $0.column ?? field.name + "_" + $0.name }
            case .references, .records: return []
            default: return [field.name]
            }
        }
    }

    /// The tables beside the kind's own that hold its lists, with the columns that hold
    /// their fields (the column naming the owner is not listed).
    public var databaseTables: [(table: String, columns: [String])] {
        fields.compactMap { field in
            switch field.type {
            case .references(let kind): return (name + "_" + kind.rawValue, [kind.rawValue + "_key"])
            case .records(let nested): return (field.column ?? name + "_" + nested.name, nested.databaseColumns)
            default: return nil
            }
        }
    }
}

extension FieldType {
    /// Kept in a table of its own rather than in columns of the record's.
    var isStoredElsewhere: Bool {
        switch self {
        case .references, .records: return true
        default: return false
        }
    }
}
