import Foundation

/// The CSV form of one section (docs/registry-format.md, "CSV"): a header naming exactly
/// the section's columns, lists joined with `;`, nested maps flattened with `_`.
public enum RegistryCSV {
    /// Kinds with nested lists (sub-entrustees, records, answers), which CSV carries in tables of
    /// their own (`SheetSection`); their `list --format csv` is the display listing.
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
        let result = parse(text, file: file, section: SheetSection(kind))
        return (result.records, result.issues, result.omitted)
    }

    /// Parses one table of `section` (`SheetReader` says what it accepts).
    public static func parse(_ text: String, file: String, section: SheetSection, options: SheetOptions = SheetOptions()) -> SheetReader.Result {
        var reader = CSVText(text)
        let headerRow: CSVText.Row
        do {
            guard let row = try reader.next() else {
                var result = SheetReader.Result()
                result.issues = [Issue(code: "input.no_records", field: "file", value: file, message: "\(file) is empty: no header line and no records; a \(section.name) CSV starts with the header \(section.columns.joined(separator: ","))", location: "\(file):1")]
                return result
            }
            headerRow = row
        } catch {
            var result = SheetReader.Result()
            result.issues = [syntaxIssue(error, file: file)]
            return result
        }
        var syntaxError: Issue?
        let rows = AnySequence {
            AnyIterator { () -> SheetReader.Row? in
                do throws(CSVText.SyntaxError) {
                    guard let next = try reader.next() else { return nil }
                    // Cells as a spreadsheet-safe export wrote them (a leading ' taken off again).
                    return SheetReader.Row(cells: next.cells.map(SpreadsheetCell.unescape), location: "\(file):\(next.line)", label: "line \(next.line)")
                } catch {
                    // Reading stops at a syntax error: what follows cannot be told apart.
                    syntaxError = syntaxIssue(error, file: file)
                    return nil
                }
            }
        }
        var result = SheetReader.read(header: headerRow.cells, headerLocation: "\(file):1", rows: rows, section: section, file: file, options: options)
        if let syntaxError {
            result.issues.removeAll { $0.code == "input.no_records" }
            if result.issues.count < IssueList.limit { result.issues.append(syntaxError) } else { result.omitted += 1 }
        }
        return result
    }

    static func syntaxIssue(_ error: CSVText.SyntaxError, file: String) -> Issue {
        Issue(code: "input.malformed_csv", field: "file", value: file, message: "malformed CSV at line \(error.line), column \(error.column): \(error.problem)", location: "\(file):\(error.line):\(error.column)")
    }

    /// Columns a CSV file may omit because they were added later (migrations 0010, 0013).
    public static let columnsAddedLater: Set<String> = [
        "contracting_country", "address_ja", "representative_ja", "privacy_contact_name_ja",
    ]

    /// Writes `records` of `kind` as CSV with the import header; sorted by key.
    public static func emit(_ records: [Record], kind: EntityKind) -> String {
        emit(records, section: SheetSection(kind))
    }

    /// Writes the table `section` of `records` (of its kind) as CSV with the import header.
    public static func emit(_ records: [Record], section: SheetSection) -> String {
        let lines = [section.columns] + section.rows(records).map { $0.map(cell) }
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
