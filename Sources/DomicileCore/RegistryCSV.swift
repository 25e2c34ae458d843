import CSV
import Foundation

/// The CSV form of one section (docs/registry-format.md, "CSV"): a header naming exactly
/// the section's columns, lists joined with `;`, nested maps flattened with `_`.
public enum RegistryCSV {
    /// Kinds whose nested lists (sub-entrustees, records, answers) CSV cannot carry.
    public static let yamlOnly: Set<EntityKind> = [.entrustment, .provision, .assessment]

    /// Column names for `kind`, in export order.
    public static func columns(for kind: EntityKind) -> [String] {
        kind.schema.fields.flatMap { field -> [String] in
            switch field.type {
            case .object(let nested): return nested.fieldNames.map { "\(field.name)_\($0)" }
            case .records: return []
            default: return [field.name]
            }
        }
    }

    /// Fields of `kind` that CSV does not carry; an import leaves them as they are.
    public static func uncoveredFields(for kind: EntityKind) -> [String] {
        kind.schema.fields.compactMap { field in
            if case .records = field.type { return field.name }
            return nil
        }
    }

    /// The section a file name stands for: `vendors.csv`, `2025-vendors.csv` → vendors.
    public static func kind(forFile file: String) -> EntityKind? {
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent.lowercased()
        return RegistryDocument.order.first { name == $0.section || name.hasSuffix("-" + $0.section) || name.hasSuffix("_" + $0.section) }
    }

    public static func parse(_ text: String, file: String, kind: EntityKind) -> ([Record], [Issue]) {
        if yamlOnly.contains(kind) {
            return ([], [Issue(code: "input.csv_not_supported", field: "file", value: file, message: "\(kind.section) nest lists and are imported from YAML only; see docs/registry-format.md", location: file)])
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            return ([], [Issue(code: "input.malformed_csv", field: "file", value: file, message: "\(file) has no header line (\(error))", location: "\(file):1")])
        }
        let expected = columns(for: kind)
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        var issues: [Issue] = []
        // Columns added after files were first written may be left out (read as empty, as an
        // absent YAML field is), so a file exported before them still imports.
        let missing = expected.filter { !header.contains($0) && !Self.columnsAddedLater.contains($0) }
        let extra = header.filter { !expected.contains($0) }
        if !missing.isEmpty {
            issues.append(Issue(code: "input.missing_column", field: missing.joined(separator: ", "), value: nil, message: "missing column(s) \(missing.joined(separator: ", ")); \(kind.section) CSV needs exactly: \(expected.joined(separator: ","))", location: "\(file):1"))
        }
        for column in extra {
            var message = "unknown column '\(column)'; \(kind.section) CSV needs exactly: \(expected.joined(separator: ","))"
            if let guess = Suggest.closest(to: column, in: missing) { message += " (did you mean \(guess)?)" }
            issues.append(Issue(code: "input.unknown_column", field: column, value: column, message: message, location: "\(file):1"))
        }
        if Set(header).count != header.count {
            issues.append(Issue(code: "input.duplicate_column", field: "header", value: nil, message: "a column is named twice in the header", location: "\(file):1"))
        }
        guard issues.isEmpty else { return ([], issues) }

        var records: [Record] = []
        var line = 2
        while let row = reader.next() {
            // A line break inside a quoted cell is "\n" or, in files saved with CRLF, the single Character "\r\n".
            defer { line += 1 + row.reduce(0) { $0 + $1.filter { $0 == "\n" || $0 == "\r\n" }.count } }
            if row.allSatisfy({ $0.isEmpty }) { continue }
            let location = "\(file):\(line)"
            guard row.count == header.count else {
                issues.append(Issue(code: "input.malformed_csv", field: "row", value: nil, message: "row has \(row.count) fields; the header has \(header.count)", location: location))
                continue
            }
            let cells = Dictionary(uniqueKeysWithValues: zip(header, row))
            var record = Record(location: location)
            for field in kind.schema.fields {
                if case .object(let nested) = field.type {
                    var inner = Record(location: location)
                    for sub in nested.fields {
                        let column = "\(field.name)_\(sub.name)"
                        inner.fieldLocations[sub.name] = "\(location) (\(column))"
                        if let value = value(cells[column] ?? "", type: sub.type, column: column, location: location, issues: &issues) {
                            inner[sub.name] = value
                        }
                    }
                    record[field.name] = .object(inner)
                    record.fieldLocations[field.name] = location
                    continue
                }
                guard let cell = cells[field.name] else { continue }
                record.fieldLocations[field.name] = "\(location) (\(field.name))"
                if let value = value(cell, type: field.type, column: field.name, location: location, issues: &issues) {
                    record[field.name] = value
                }
            }
            records.append(record)
        }
        if let error = reader.error {
            issues.append(Issue(code: "input.malformed_csv", field: "file", value: file, message: "malformed CSV: \(error)", location: "\(file):\(line)"))
        }
        return (records, issues)
    }

    /// Columns a CSV file may omit because they were added later (migrations 0010, 0013).
    public static let columnsAddedLater: Set<String> = [
        "contracting_country", "address_ja", "representative_ja", "privacy_contact_name_ja",
    ]

    static func value(_ cell: String, type: FieldType, column: String, location: String, issues: inout [Issue]) -> Value? {
        if cell.isEmpty { return nil }
        if type.isList {
            return .list(cell.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        switch type {
        case .bool:
            switch cell.lowercased() {
            case "true", "yes": return .bool(true)
            case "false", "no": return .bool(false)
            default:
                issues.append(Issue(code: "input.invalid_\(column)", field: column, value: cell, message: "\(column) '\(cell)' is not allowed; use true or false", location: location))
                return nil
            }
        case .int(let range):
            guard let int = Int(cell), range.contains(int) else {
                issues.append(Issue(code: "input.invalid_\(column)", field: column, value: cell, message: "\(column) '\(cell)' is not allowed; use a whole number from \(range.lowerBound) to \(range.upperBound)", location: location))
                return nil
            }
            return .int(int)
        default:
            return .string(cell)
        }
    }

    /// Writes `records` of `kind` as CSV with the import header; sorted by key.
    public static func emit(_ records: [Record], kind: EntityKind) -> String {
        let header = columns(for: kind)
        var lines: [[String]] = [header]
        for record in records.sorted(by: { ($0.key ?? "") < ($1.key ?? "") }) {
            lines.append(
                kind.schema.fields.flatMap { field -> [String] in
                    switch field.type {
                    case .object(let nested):
                        let inner = record.object(field.name) ?? Record()
                        return nested.fields.map { cell(inner[$0.name]) }
                    case .records: return []
                    default: return [cell(record[field.name])]
                    }
                })
        }
        let stream = OutputStream(toMemory: ())
        guard let writer = try? CSVWriter(stream: stream) else { return "" }
        for line in lines {
            writer.beginNewRow()
            for field in line { try? writer.write(field: field) }
        }
        writer.stream.close()
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else { return "" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func cell(_ value: Value?) -> String {
        switch value {
        case .string(let string): return string
        case .bool(let bool): return bool ? "true" : "false"
        case .int(let int): return String(int)
        case .list(let list): return list.joined(separator: ";")
        default: return ""
        }
    }
}
