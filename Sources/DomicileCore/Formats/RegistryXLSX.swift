import Foundation

/// The registry as one workbook (`export --format xlsx`, `import FILE.xlsx`): a sheet per
/// table of `SheetSection` (named as the CSV files), human headers in English or Japanese,
/// dates as date cells, whole numbers as numbers, and drop-downs for enumerations, true/false
/// and references to other records (their keys, from a hidden sheet `_lists`). Cells hold the
/// registry's values (keys, `medium`), so the workbook's sheets saved as CSV are Domicile's CSV.
public enum RegistryXLSX {
    public static let listsSheet = "_lists"

    public static func emit(_ document: RegistryDocument, language: SheetLabels.Language = .en) throws -> [UInt8] {
        try XLSX.write(sheets(document, language: language))
    }

    /// The sheets of the workbook, drop-downs included.
    public static func sheets(_ document: RegistryDocument, language: SheetLabels.Language = .en) -> [XLSX.Sheet] {
        // The keys each reference column may choose from.
        let referenced = RegistryDocument.order.filter { kind in
            SheetSection.all.contains { $0.columnSpecs.dropFirst($0.nested == nil ? 0 : 1).contains { column in
                if case .reference(let target) = column.type { return target == kind }
                return false
            } }
        }
        let keys = referenced.map { kind in document[kind].compactMap(\.key).sorted() }
        var sheets: [XLSX.Sheet] = []
        for section in SheetSection.all {
            let specs = section.columnSpecs
            let rows = section.rows(document[section.kind]).map { values in
                zip(specs, values).map { spec, value in cell(value, type: spec.type) }
            }
            var choices: [Int: XLSX.Choices] = [:]
            for (index, spec) in specs.enumerated() {
                switch spec.type {
                case .enumeration(let values): choices[index] = .values(values)
                case .bool: choices[index] = .values(["true", "false"])
                case .reference(let kind):
                    if let column = referenced.firstIndex(of: kind) {
                        choices[index] = .range(sheet: listsSheet, column: column, count: keys[column].count)
                    }
                default: break
                }
            }
            sheets.append(XLSX.Sheet(name: section.name, header: section.columns.map { SheetLabels.column($0, language) }, rows: rows, choices: choices))
        }
        let depth = keys.map(\.count).max() ?? 0
        let listRows = (0..<depth).map { row in keys.map { row < $0.count ? XLSX.Cell.text($0[row]) : nil } }
        sheets.append(XLSX.Sheet(name: listsSheet, header: referenced.map(\.section), rows: listRows, hidden: true))
        return sheets
    }

    static func cell(_ value: Value?, type: FieldType) -> XLSX.Cell? {
        switch value {
        case .string(let text)?:
            if case .date = type, let day = Day(text) { return .date(day) }
            return .text(text)
        case .int(let number)?: return .number(number)
        case .bool(let flag)?: return .text(flag ? "true" : "false")
        case .list(let items)?: return .text(items.joined(separator: ";"))
        default: return nil
        }
    }

    /// Reads a workbook: every sheet named after a table (`SheetSection.names`; sheets whose name
    /// starts with `_` are skipped), each read as its CSV would be. A nested sheet's rows become
    /// the lists of the records of its section's sheet; without that sheet, of the stored records
    /// (as a nested CSV table). Returns the document and the kinds whose nested sheet is absent
    /// (their lists are kept as stored).
    public static func parse(_ bytes: [UInt8], file: String, options: SheetOptions = SheetOptions()) throws(InputError) -> (RegistryDocument, Set<EntityKind>) {
        let sheets = try XLSX.read(bytes, file: file)
        var document = RegistryDocument()
        var issues = IssueList()
        var omitted = 0
        var results: [(SheetSection, SheetReader.Result)] = []
        for sheet in sheets where !sheet.name.hasPrefix("_") {
            let rows = sheet.rows.filter { !$0.cells.allSatisfy(\.isEmpty) }
            guard let header = rows.first else { continue }
            guard let section = SheetSection(name: sheet.name) else {
                var message = "sheet '\(sheet.name)' is not a table of the registry; name it after one (\(SheetSection.names.joined(separator: ", "))) or remove it"
                if let guess = Suggest.closest(to: sheet.name, in: SheetSection.names) { message += " (did you mean \(guess)?)" }
                issues.append(Issue(code: "input.unknown_sheet", field: "sheet", value: sheet.name, message: message, location: "\(file):\(sheet.name)"))
                continue
            }
            // A sheet leaves out the empty cells at the end of a row.
            let width = header.cells.count
            let body = rows.dropFirst().map { row in
                SheetReader.Row(
                    cells: row.cells + Array(repeating: "", count: max(0, width - row.cells.count)), location: "\(file):\(sheet.name)!\(row.number)",
                    label: "row \(row.number)")
            }
            var result = SheetReader.read(
                header: header.cells, headerLocation: "\(file):\(sheet.name)!\(header.number)", rows: body, section: section, file: "sheet \(sheet.name)", options: options)
            result.issues.removeAll { $0.code == "input.no_records" }
            issues += result.issues
            omitted += result.omitted
            results.append((section, result))
        }
        let present = Set(results.map(\.0))
        var partial: Set<EntityKind> = []
        for (section, result) in results where section.nested == nil {
            document[section.kind] = result.records
            document.absentColumns.formUnion(result.absentColumns)
            if section.kind.schema.fields.contains(where: { if case .records = $0.type { return true } else { return false } }),
                !present.contains(where: { $0.kind == section.kind && $0.nested != nil })
            {
                partial.insert(section.kind)
            }
        }
        for (section, result) in results {
            guard let nested = section.nested else { continue }
            guard present.contains(SheetSection(section.kind)) else {
                document[section.kind] = result.records
                document.nestedTables[section.kind] = nested
                continue
            }
            var records = document[section.kind]
            let positions = Dictionary(records.enumerated().compactMap { index, record in record.key.map { ($0, index) } }, uniquingKeysWith: { first, _ in first })
            for owner in result.records {
                guard let key = owner.key, let position = positions[key] else {
                    let key = owner.key ?? ""
                    var message = "\(section.kind.rawValue) '\(key)' of sheet \(section.name) is not in sheet \(section.kind.section)"
                    if let guess = Suggest.closest(to: key, in: Array(positions.keys)) { message += " (did you mean \(guess)?)" }
                    issues.append(Issue(code: "input.unknown_\(section.kind.rawValue)", field: section.kind.rawValue, value: key, message: message, location: owner.location(of: "key")))
                    continue
                }
                records[position][nested] = owner[nested]
            }
            document[section.kind] = records
        }
        if document.count == 0, issues.isEmpty {
            issues.append(Issue(code: "input.no_records", field: "file", value: file, message: "\(file) holds no records: no sheet named after a table has rows below its header", location: file))
        }
        if document.count == 0 {
            var error = InputError(issues.kept)
            error.omitted = issues.omitted + omitted
            throw error
        }
        document.issues = issues.kept
        document.omittedIssues = issues.omitted + omitted
        return (document, partial)
    }
}
