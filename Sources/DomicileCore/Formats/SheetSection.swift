import Foundation

/// One table of the registry as a spreadsheet holds it: a section of records (`vendors`), or
/// the nested list of one field of such records, one row per item with its record's key in
/// the first column (`entrustment_sub_entrustees`, `assessment_answers`, `provision_records`,
/// `vendor_contacts`). Driven by `EntitySchema`: a field added there is a column here.
public struct SheetSection: Hashable, Sendable, CustomStringConvertible {
    public let kind: EntityKind
    /// The `.records` field of `kind` this table lists, or nil for the records themselves.
    public let nested: String?

    public init(_ kind: EntityKind, nested: String? = nil) {
        self.kind = kind
        self.nested = nested
    }

    /// `vendors`, `entrustment_sub_entrustees`, …: the CSV file name and the `--kind` value.
    public var name: String { nested.map { "\(kind.rawValue)_\($0)" } ?? kind.section }
    public var description: String { name }

    /// Every table, each section followed by its nested lists (the order of a workbook's sheets).
    public static let all: [SheetSection] = RegistryDocument.order.flatMap { kind in
        [SheetSection(kind)] + kind.schema.fields.compactMap { field in
            if case .records = field.type { return SheetSection(kind, nested: field.name) }
            return nil
        }
    }

    public static var names: [String] { all.map(\.name) }

    public init?(name: String) {
        guard let section = Self.all.first(where: { $0.name == name }) else { return nil }
        self = section
    }

    /// The table a file name stands for: `vendors.csv`, `2025-vendors.csv`, `vendors-excel.csv`,
    /// `assessment_answers.csv` (the longest name that fits wins).
    public static func forFile(_ file: String) -> SheetSection? {
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent.lowercased()
        return all.sorted { $0.name.count > $1.name.count }.first {
            name == $0.name || name.hasSuffix("-" + $0.name) || name.hasSuffix("_" + $0.name) || name.hasPrefix($0.name + "-")
        }
    }

    /// The schema of one row.
    public var schema: EntitySchema {
        guard let nested, case .records(let schema)? = kind.schema.field(nested)?.type else { return kind.schema }
        return schema
    }

    /// The column holding the key of the record a nested row belongs to (`assessment`).
    public var parentColumn: String? { nested == nil ? nil : kind.rawValue }

    /// One column of the table: a field, or a field of a nested map (`contract_signed_on`).
    public struct Column: Hashable, Sendable {
        public let name: String
        public let field: String
        public let subfield: String?
        public let type: FieldType
    }

    public var columnSpecs: [Column] {
        var columns: [Column] = []
        if let parentColumn { columns.append(Column(name: parentColumn, field: parentColumn, subfield: nil, type: .reference(kind))) }
        for field in schema.fields {
            switch field.type {
            case .object(let inner):
                columns += inner.fields.map { Column(name: "\(field.name)_\($0.name)", field: field.name, subfield: $0.name, type: $0.type) }
            case .records:
                continue
            default:
                columns.append(Column(name: field.name, field: field.name, subfield: nil, type: field.type))
            }
        }
        return columns
    }

    /// Column names in export order.
    public var columns: [String] { columnSpecs.map(\.name) }

    /// Fields of the records that this table does not carry; an import keeps their stored values.
    public var uncoveredFields: [String] {
        guard nested == nil else { return kind.schema.fieldNames.filter { $0 != "key" && $0 != nested } }
        return kind.schema.fields.compactMap { field in
            if case .records = field.type { return field.name }
            return nil
        }
    }

    /// The rows of this table for `records` (of `kind`): records sorted by key, nested items in
    /// their stored order. Each row holds one value per column (nil: empty).
    public func rows(_ records: [Record]) -> [[Value?]] {
        let specs = columnSpecs
        var rows: [[Value?]] = []
        for record in records.sorted(by: { ($0.key ?? "") < ($1.key ?? "") }) {
            let items = nested.map { record.records($0) } ?? [record]
            for item in items {
                rows.append(specs.enumerated().map { index, spec in
                    if nested != nil, index == 0 { return record.key.map(Value.string) }
                    guard let sub = spec.subfield else { return item[spec.field] }
                    return item.object(spec.field)?[sub]
                })
            }
        }
        return rows
    }
}
