/// One registry record as a listing's JSON writes it (`vendor list --format json`, `vendor
/// show`, `/v1/vendors`, a `diff` change's `record`): the fields its `EntitySchema` declares, in
/// the declaration's types: text, `true`/`false`, integers, lists of text, nested objects and
/// lists of objects by the nested schema. Absent fields are left out; a value whose kind does
/// not fit its field's type is too (as before). The keys follow the entity's declaration, so a
/// declared field appears here without more code.
public struct RecordOutput: Encodable, Sendable {
    public var record: Record
    public var schema: EntitySchema

    public init(_ record: Record, schema: EntitySchema) {
        self.record = record
        self.schema = schema
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        for field in schema.fields {
            guard let value = record[field.name] else { continue }
            let key = FieldKey(field.name)
            switch (value, field.type) {
            case (.string(let string), _): try container.encode(string, forKey: key)
            case (.bool(let bool), _): try container.encode(bool, forKey: key)
            case (.int(let int), _): try container.encode(int, forKey: key)
            case (.list(let list), _): try container.encode(list, forKey: key)
            case (.object(let inner), .object(let nested)): try container.encode(RecordOutput(inner, schema: nested), forKey: key)
            case (.records(let items), .records(let nested)):
                try container.encode(items.map { RecordOutput($0, schema: nested) }, forKey: key)
            default: break
            }
        }
    }
}

/// One row of a table listing (countries, regions, checklists, regime facts, the audit log,
/// tokens) as a JSON object: each column's name and its cell, as text.
public struct RowOutput: Encodable, Sendable {
    public var columns: [String]
    public var cells: [String]

    public init(columns: [String], cells: [String]) {
        self.columns = columns
        self.cells = cells
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        for (column, cell) in zip(columns, cells) {
            try container.encode(cell, forKey: FieldKey(column))
        }
    }
}

/// A listing's JSON: its records when it has them (richer than the table's cells), else its rows.
public enum ListingOutput: Encodable, Sendable {
    case records([RecordOutput])
    case rows([RowOutput])

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .records(let records): try records.encode(to: encoder)
        case .rows(let rows): try rows.encode(to: encoder)
        }
    }
}
