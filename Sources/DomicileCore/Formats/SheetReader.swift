import Foundation

/// How to read a table a spreadsheet wrote.
public struct SheetOptions: Sendable, Equatable {
    /// Headers as written → column names (`--columns "ベンダー名=legal_name"`).
    public var renames: [String: String] = [:]

    public init(renames: [String: String] = [:]) {
        self.renames = renames
    }

    /// Reads `--columns "ベンダー名=legal_name,Risk=risk_tier"`.
    public static func renames(_ text: String) throws(InputError) -> [String: String] {
        var renames: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw InputError(Issue(code: "input.invalid_columns", field: "columns", value: String(pair), message: "--columns '\(pair)' is not HEADER=column; write e.g. --columns \"ベンダー名=legal_name,リスク=risk_tier\""))
            }
            renames[parts[0]] = parts[1]
        }
        return renames
    }
}

/// Turns a table (a header and rows of text cells, from CSV or an xlsx sheet) into records of
/// a `SheetSection`, accepting what spreadsheets write: headers as the column name, its English
/// or Japanese label, or renamed by `SheetOptions`; dates as `2024/1/1`; enumeration values in
/// any case or as their labels (`Medium`, `中`); `TRUE`/`FALSE`.
public enum SheetReader {
    public struct Row: Sendable {
        public var cells: [String]
        public var location: String
        /// The row as a message names it ("line 3", "row 3").
        public var label: String
        public init(cells: [String], location: String, label: String? = nil) {
            self.cells = cells
            self.location = location
            self.label = label ?? location
        }
    }

    public struct Result: Sendable {
        /// Records of the section's kind; for a nested table, records holding only `key` and the
        /// nested list, in the order their first row appears.
        public var records: [Record] = []
        public var issues: [Issue] = []
        public var omitted = 0
        /// `RegistryCSV.columnsAddedLater` the header left out.
        public var absentColumns: Set<String> = []
    }

    /// Informational columns a table may carry that import ignores (the checklist's wording
    /// in an answer sheet from `assess template`).
    public static func ignoredColumns(_ section: SheetSection) -> [String] {
        section == SheetSection(.assessment, nested: "answers") ? ["requirement", "requirement_ja"] : []
    }

    /// Maps a header to column names; issues for unknown, missing and doubled columns.
    public static func columns(header: [String], section: SheetSection, options: SheetOptions, location: String) -> ([String?], [Issue]) {
        let expected = section.columns
        let ignored = ignoredColumns(section)
        var issues: [Issue] = []
        var mapped: [String?] = []
        var unknown: [String] = []
        for raw in header {
            let cell = raw.trimmingCharacters(in: .whitespaces)
            if let target = options.renames[cell] {
                guard expected.contains(target) else {
                    var message = "--columns maps '\(cell)' to '\(target)', which is not a \(section.name) column; the columns are: \(expected.joined(separator: ","))"
                    if let guess = Suggest.closest(to: target, in: expected) { message += " (did you mean \(guess)?)" }
                    issues.append(Issue(code: "input.unknown_column", field: target, value: target, message: message, location: location))
                    mapped.append(nil)
                    continue
                }
                mapped.append(target)
            } else if let column = SheetLabels.columnNamed(cell, in: expected + ignored) {
                mapped.append(ignored.contains(column) ? "" : column)
            } else if cell.isEmpty {
                mapped.append("")  // an unnamed column (a spreadsheet's trailing empty one); its cells must be empty
            } else {
                unknown.append(cell)
                mapped.append(nil)
            }
        }
        let present = Set(mapped.compactMap { $0 })
        let missing = expected.filter { !present.contains($0) && !RegistryCSV.columnsAddedLater.contains($0) }
        for column in unknown {
            var message = "unknown column '\(column)'; \(section.name) needs the columns: \(expected.joined(separator: ","))"
            let labels = expected.flatMap { [$0, SheetLabels.column($0, .en), SheetLabels.column($0, .ja)] }
            let only = missing.count == 1 && unknown.count == 1 ? missing.first : nil
            if let guess = Suggest.closest(to: column, in: missing) ?? Suggest.closest(to: column, in: labels) ?? only {
                let target = SheetLabels.columnNamed(guess, in: expected) ?? guess
                message += " (did you mean \(target)? or rename it: --columns \"\(column)=\(target)\")"
            } else {
                message += "; rename it with --columns \"\(column)=COLUMN\""
            }
            issues.append(Issue(code: "input.unknown_column", field: column, value: column, message: message, location: location))
        }
        if !missing.isEmpty, issues.isEmpty || unknown.isEmpty {
            issues.append(Issue(code: "input.missing_column", field: missing.joined(separator: ", "), value: nil, message: "missing column(s) \(missing.joined(separator: ", ")); \(section.name) needs exactly: \(expected.joined(separator: ","))", location: location))
        } else if !missing.isEmpty {
            issues.append(Issue(code: "input.missing_column", field: missing.joined(separator: ", "), value: nil, message: "missing column(s) \(missing.joined(separator: ", "))", location: location))
        }
        let named = mapped.compactMap { $0 }.filter { !$0.isEmpty }
        if Set(named).count != named.count {
            let doubled = Dictionary(grouping: named, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            issues.append(Issue(code: "input.duplicate_column", field: "header", value: doubled.joined(separator: ", "), message: "column(s) \(doubled.joined(separator: ", ")) named twice in the header", location: location))
        }
        return (mapped, issues)
    }

    public static func read(
        header: [String], headerLocation: String, rows: some Sequence<Row>, section: SheetSection, file: String, options: SheetOptions
    ) -> Result {
        var result = Result()
        let (mapped, headerIssues) = columns(header: header, section: section, options: options, location: headerLocation)
        guard headerIssues.isEmpty else {
            result.issues = headerIssues
            return result
        }
        let present = Set(mapped.compactMap { $0 })
        result.absentColumns = RegistryCSV.columnsAddedLater.subtracting(present)
        let isAnswers = section == SheetSection(.assessment, nested: "answers")
        let specs = section.columnSpecs
        let answerFields = section.schema.fieldNames.filter { $0 != "item" }
        var list = IssueList()
        var parents: [String: Int] = [:]
        var sawRow = false
        for var row in rows {
            if row.cells.count > mapped.count, row.cells[mapped.count...].allSatisfy({ $0.isEmpty }) {
                row.cells.removeLast(row.cells.count - mapped.count)
            }
            if row.cells.allSatisfy({ $0.isEmpty }) { continue }
            sawRow = true
            let location = row.location
            guard row.cells.count == mapped.count else {
                list.append(Issue(code: "input.malformed_csv", field: "row", value: nil, message: "\(row.label) has \(row.cells.count) fields; the header has \(mapped.count) (\(header.joined(separator: ","))); quote a cell that holds a comma", location: location))
                continue
            }
            var cells: [String: String] = [:]
            for (column, cell) in zip(mapped, row.cells) {
                guard let column, !column.isEmpty else { continue }
                cells[column] = cell
            }
            var record = Record(location: location)
            var rowIssues: [Issue] = []
            for spec in specs where spec.name != section.parentColumn || section.nested == nil {
                // Cells are taken as written (a text may begin or end with a space); values of
                // enumerations, dates, countries and lists are trimmed where they are read.
                guard let cell = cells[spec.name], !cell.isEmpty else {
                    if spec.subfield != nil, record[spec.field] == nil { record[spec.field] = .object(Record(location: location)) }
                    continue
                }
                guard let value = value(cell, type: spec.type, column: spec.name, location: location, issues: &rowIssues) else { continue }
                if let sub = spec.subfield {
                    var inner = record.object(spec.field) ?? Record(location: location)
                    inner[sub] = value
                    inner.fieldLocations[sub] = "\(location) (\(spec.name))"
                    record[spec.field] = .object(inner)
                    record.fieldLocations[spec.field] = location
                } else {
                    record[spec.field] = value
                    record.fieldLocations[spec.field] = "\(location) (\(spec.name))"
                }
            }
            list.append(contentsOf: rowIssues)
            guard let nested = section.nested, let parentColumn = section.parentColumn else {
                result.records.append(record)
                continue
            }
            // An answer sheet's row with nothing but its item is an item not answered yet.
            if isAnswers, answerFields.allSatisfy({ record[$0] == nil }) { continue }
            guard let parent = cells[parentColumn]?.trimmingCharacters(in: .whitespaces), !parent.isEmpty else {
                list.append(Issue(code: "input.missing_\(parentColumn)", field: parentColumn, value: nil, message: "\(parentColumn) is required: the key of the \(section.kind.rawValue) this row belongs to", location: location))
                continue
            }
            if let position = parents[parent] {
                var items = result.records[position].records(nested)
                items.append(record)
                result.records[position][nested] = .records(items)
            } else {
                parents[parent] = result.records.count
                var owner = Record(["key": .string(parent)], location: location)
                owner.fieldLocations["key"] = "\(location) (\(parentColumn))"
                owner.fieldLocations[nested] = location
                owner[nested] = .records([record])
                result.records.append(owner)
            }
        }
        if !sawRow, list.isEmpty {
            list.append(Issue(code: "input.no_records", field: "file", value: file, message: "\(file) has a header but no records", location: headerLocation))
        }
        result.issues = list.kept
        result.omitted = list.omitted
        return result
    }

    /// The value of one cell for a column of `type`; nil (and an issue) when it cannot be one.
    static func value(_ cell: String, type: FieldType, column: String, location: String, issues: inout [Issue]) -> Value? {
        if cell.isEmpty { return nil }
        if type.isList {
            let items = cell.split(whereSeparator: { $0 == ";" || $0 == "；" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if case .enumerations(let allowed) = type {
                return .list(items.map { SheetLabels.enumeration($0, allowed: allowed) ?? $0 })
            }
            if case .countries = type { return .list(items.map { $0.uppercased() }) }
            return .list(items)
        }
        switch type {
        case .bool:
            switch cell.lowercased() {
            case "true", "yes", "はい", "○", "1": return .bool(true)
            case "false", "no", "いいえ", "×", "0": return .bool(false)
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
        case .date:
            if cell.utf8.count == 10, Day(cell) != nil { return .string(cell) }  // ISO already, as most are
            return .string(spreadsheetDate(cell) ?? cell)
        case .enumeration(let allowed):
            return .string(SheetLabels.enumeration(cell, allowed: allowed) ?? cell)
        case .country:
            return .string(cell.count == 2 ? cell.uppercased() : cell)
        default:
            return .string(cell)
        }
    }

    /// A date as spreadsheets write it, as ISO 8601: `2024/01/01`, `2024/1/1`, `2024-1-1`,
    /// `2024年1月1日`, with a midnight time after it (`2024/1/1 0:00`); nil when it is none of
    /// these or no such day exists (validation then reports it).
    public static func spreadsheetDate(_ text: String) -> String? {
        var text = text.trimmingCharacters(in: .whitespaces)
        for midnight in [" 0:00", " 00:00", " 0:00:00", " 00:00:00", "T00:00:00"] where text.hasSuffix(midnight) {
            text.removeLast(midnight.count)
        }
        if text.hasSuffix("日") { text.removeLast() }
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { "/-.年月".contains($0) }).map(String.init)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        let iso = String(format: "%04d-%02d-%02d", year, month, day)
        return Day(iso) == nil ? nil : iso
    }
}
