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
        let (records, issues, _) = parseCounting(text, file: file, kind: kind)
        return (records, issues)
    }

    /// Parses `text`; keeps at most `IssueList.limit` issues and counts the rest (`omitted`).
    public static func parseCounting(_ text: String, file: String, kind: EntityKind) -> ([Record], [Issue], omitted: Int) {
        if yamlOnly.contains(kind) {
            return ([], [Issue(code: "input.csv_not_supported", field: "file", value: file, message: "\(kind.section) nest lists and are imported from YAML only; see docs/registry-format.md", location: file)], 0)
        }
        var reader = CSVText(text)
        let headerRow: CSVText.Row
        do {
            guard let row = try reader.next() else {
                return ([], [Issue(code: "input.no_records", field: "file", value: file, message: "\(file) is empty: no header line and no records; a \(kind.section) CSV starts with the header \(columns(for: kind).joined(separator: ","))", location: "\(file):1")], 0)
            }
            headerRow = row
        } catch {
            return ([], [syntaxIssue(error, file: file)], 0)
        }
        let expected = columns(for: kind)
        let header = headerRow.cells.map { $0.trimmingCharacters(in: .whitespaces) }
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
        guard issues.isEmpty else { return ([], issues, 0) }

        var records: [Record] = []
        var list = IssueList()
        while true {
            let next: CSVText.Row?
            do {
                next = try reader.next()
            } catch {
                // Reading stops at a syntax error: what follows cannot be told apart.
                list.append(syntaxIssue(error, file: file))
                break
            }
            guard let next else { break }
            // Cells as a spreadsheet-safe export wrote them (a leading ' taken off again).
            let row = next.cells.map(SpreadsheetCell.unescape)
            if row.allSatisfy({ $0.isEmpty }) { continue }
            let location = "\(file):\(next.line)"
            guard row.count == header.count else {
                list.append(Issue(code: "input.malformed_csv", field: "row", value: nil, message: "line \(next.line) has \(row.count) fields; the header has \(header.count) (\(header.joined(separator: ","))); quote a cell that holds a comma", location: location))
                continue
            }
            let cells = Dictionary(uniqueKeysWithValues: zip(header, row))
            var record = Record(location: location)
            var rowIssues: [Issue] = []
            for field in kind.schema.fields {
                if case .object(let nested) = field.type {
                    var inner = Record(location: location)
                    for sub in nested.fields {
                        let column = "\(field.name)_\(sub.name)"
                        // Only cells with a value are located by column: an empty one (most of
                        // them) would cost a string per record and field for nothing.
                        guard let cell = cells[column], !cell.isEmpty else { continue }
                        inner.fieldLocations[sub.name] = "\(location) (\(column))"
                        if let value = value(cell, type: sub.type, column: column, location: location, issues: &rowIssues) {
                            inner[sub.name] = value
                        }
                    }
                    record[field.name] = .object(inner)
                    record.fieldLocations[field.name] = location
                    continue
                }
                guard let cell = cells[field.name], !cell.isEmpty else { continue }
                record.fieldLocations[field.name] = "\(location) (\(field.name))"
                if let value = value(cell, type: field.type, column: field.name, location: location, issues: &rowIssues) {
                    record[field.name] = value
                }
            }
            list.append(contentsOf: rowIssues)
            records.append(record)
        }
        if records.isEmpty, list.isEmpty {
            list.append(Issue(code: "input.no_records", field: "file", value: file, message: "\(file) has a header but no records", location: "\(file):2"))
        }
        return (records, list.kept, list.omitted)
    }

    static func syntaxIssue(_ error: CSVText.SyntaxError, file: String) -> Issue {
        Issue(code: "input.malformed_csv", field: "file", value: file, message: "malformed CSV at line \(error.line), column \(error.column): \(error.problem)", location: "\(file):\(error.line):\(error.column)")
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
        return lines.map { line in line.map { quoted(SpreadsheetCell.escape($0)) }.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// A cell as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break.
    public static func quoted(_ cell: String) -> String {
        cell.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
            ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
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
