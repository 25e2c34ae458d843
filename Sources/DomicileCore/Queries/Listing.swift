import Foundation

/// Output formats every listing accepts.
public enum ListingFormat: String, CaseIterable, Sendable {
    case table, json, csv
}

/// Rows of named cells, rendered as an aligned table, JSON or CSV.
public struct Listing: Sendable {
    public var columns: [String]
    public var rows: [[String]]
    /// Full records for JSON output (richer than the table's cells), when available.
    public var records: [Record]?
    public var schema: EntitySchema?

    public init(columns: [String], rows: [[String]], records: [Record]? = nil, schema: EntitySchema? = nil) {
        self.columns = columns
        self.rows = rows
        self.records = records
        self.schema = schema
    }

    /// A listing of records showing `columns` (field names) in the table.
    public init(records: [Record], schema: EntitySchema, columns: [String]) {
        self.columns = columns
        rows = records.map { record in columns.map { Listing.cell(record[$0]) } }
        self.records = records
        self.schema = schema
    }

    public func render(_ format: ListingFormat) -> String {
        switch format {
        case .table: return table()
        case .json: return json()
        case .csv: return csv()
        }
    }

    public func table() -> String {
        if rows.isEmpty { return "(none)\n" }
        let maxWidth = 60
        let cells = rows.map { $0.map { Listing.truncate($0, to: maxWidth) } }
        var widths = columns.map(Listing.displayWidth)
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], Listing.displayWidth(cell)) }
        }
        func line(_ values: [String]) -> String {
            values.enumerated().map { index, value in
                index == values.count - 1 ? value : value + String(repeating: " ", count: widths[index] - Listing.displayWidth(value))
            }.joined(separator: "  ")
        }
        let header = line(columns.map { $0.uppercased() })
        return ([header] + cells.map(line)).joined(separator: "\n") + "\n"
    }

    public func json() -> String {
        JSONOutput.text(output)
    }

    /// The JSON value of this listing: its records (through their schema) when it has them,
    /// else its rows (column → cell).
    public var output: ListingOutput {
        if let records, let schema { return .records(records.map { RecordOutput($0, schema: schema) }) }
        return .rows(rows.map { RowOutput(columns: columns, cells: $0) })
    }

    /// Row `row` alone as a pretty-printed JSON object (as `json()` prints it inside the array).
    public func jsonObject(row: Int) -> String {
        if let records, let schema { return JSONOutput.text(RecordOutput(records[row], schema: schema)) }
        return JSONOutput.text(RowOutput(columns: columns, cells: rows[row]))
    }

    /// CSV for people: a cell a spreadsheet would run as a formula starts with `'` (`SpreadsheetCell`).
    public func csv() -> String {
        ([columns] + rows).map { $0.map { RegistryCSV.quoted(SpreadsheetCell.escape($0)) }.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// One record as a pretty-printed JSON object.
    public static func json(_ record: Record, schema: EntitySchema) -> String {
        JSONOutput.text(RecordOutput(record, schema: schema))
    }

    public static func cell(_ value: Value?) -> String {
        switch value {
        case .string(let string): return string
        case .bool(let bool): return bool ? "yes" : "no"
        case .int(let int): return String(int)
        case .list(let list): return list.joined(separator: ", ")
        case .object(let record): return record.values.keys.sorted().map { "\($0)=\(cell(record[$0]))" }.joined(separator: " ")
        case .records(let records): return "\(records.count)"
        case nil: return ""
        }
    }

    /// Terminal columns a string takes: East Asian wide characters take two.
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let value = scalar.value
            let wide = (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value)
                || (0xAC00...0xD7A3).contains(value) || (0xF900...0xFAFF).contains(value)
                || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value) || (0x1F300...0x1FAFF).contains(value)
            return width + (wide ? 2 : 1)
        }
    }

    static func truncate(_ text: String, to width: Int) -> String {
        let single = TerminalText.escaped(text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " "))
        guard displayWidth(single) > width else { return single }
        var result = ""
        for character in single {
            if displayWidth(result + String(character)) > width - 1 { break }
            result.append(character)
        }
        return result + "…"
    }
}
