import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// A minimal Office Open XML workbook (ECMA-376, SpreadsheetML): what Domicile writes and
/// reads. The container is a ZIP (ZIPFoundation); the parts are written as text here and read
/// with Foundation's streaming `XMLParser` (external entities are never resolved). See
/// docs/decisions/0003-xlsx.md.
public enum XLSX {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Int)
        case date(Day)
    }

    /// A drop-down list on a column: fixed values, or the cells of a column of another sheet.
    public enum Choices: Sendable, Equatable {
        case values([String])
        case range(sheet: String, column: Int, count: Int)
    }

    public struct Sheet: Sendable {
        public var name: String
        public var header: [String]
        public var rows: [[Cell?]]
        public var hidden = false
        /// Drop-downs: column index → choices (for the rows below the header).
        public var choices: [Int: Choices] = [:]

        public init(name: String, header: [String], rows: [[Cell?]], hidden: Bool = false, choices: [Int: Choices] = [:]) {
            self.name = name
            self.header = header
            self.rows = rows
            self.hidden = hidden
            self.choices = choices
        }
    }

    /// Rows a drop-down covers beyond the written ones, so added rows get it too.
    static let spareRows = 1000

    // MARK: Writing

    /// The workbook's bytes; the same sheets give the same bytes (fixed entry dates).
    public static func write(_ sheets: [Sheet]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        var parts: [(String, String)] = []
        parts.append(("[Content_Types].xml", contentTypes(sheets.count)))
        parts.append(("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """))
        parts.append(("xl/workbook.xml", workbook(sheets)))
        parts.append(("xl/_rels/workbook.xml.rels", workbookRelationships(sheets.count)))
        parts.append(("xl/styles.xml", styles))
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", worksheet(sheet)))
        }
        let fixed = Date(timeIntervalSince1970: 315_532_800)  // 1980-01-01, the first day ZIP can say
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: fixed, compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return [UInt8](data)
    }

    static func contentTypes(_ count: Int) -> String {
        let sheets = (1...max(count, 1)).prefix(count).map {
            "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\(sheets)</Types>
            """
    }

    static func workbook(_ sheets: [Sheet]) -> String {
        let entries = sheets.enumerated().map { index, sheet in
            "<sheet name=\"\(escaped(sheet.name))\" sheetId=\"\(index + 1)\"\(sheet.hidden ? " state=\"hidden\"" : "") r:id=\"rId\(index + 1)\"/>"
        }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView activeTab="0"/></bookViews><sheets>\(entries)</sheets></workbook>
            """
    }

    static func workbookRelationships(_ count: Int) -> String {
        var entries = (0..<count).map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }
        entries.append("<Relationship Id=\"rId\(count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>")
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(entries.joined())</Relationships>
            """
    }

    /// Style 0: plain; 1: a date shown as yyyy-mm-dd; 2: the header (bold); 3: text (@).
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """

    /// `A`, `B`, …, `Z`, `AA`, … for column index 0, 1, ….
    public static func columnName(_ index: Int) -> String {
        var index = index + 1
        var name = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return name
    }

    /// The XML of one worksheet part.
    public static func worksheet(_ sheet: Sheet) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            """
        xml += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        if !sheet.header.isEmpty {
            xml += "<cols>" + sheet.header.enumerated().map { index, title in
                "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(min(60, max(12, title.count + 4)))\" customWidth=\"1\"/>"
            }.joined() + "</cols>"
        }
        xml += "<sheetData>"
        xml += row(1, sheet.header.map { Cell.text($0) }, style: 2)
        for (index, cells) in sheet.rows.enumerated() {
            xml += row(index + 2, cells, style: nil)
        }
        xml += "</sheetData>"
        let validations = sheet.choices.sorted { $0.key < $1.key }.compactMap { column, choices -> String? in
            let range = "\(columnName(column))2:\(columnName(column))\(sheet.rows.count + spareRows + 1)"
            let formula: String
            switch choices {
            case .values(let values):
                let list = values.joined(separator: ",")
                guard !values.isEmpty, list.count <= 250, !values.contains(where: { $0.contains(",") || $0.contains("\"") }) else { return nil }
                formula = "\"\(list)\""
            case .range(let other, let otherColumn, let count):
                guard count > 0 else { return nil }
                let letter = columnName(otherColumn)
                formula = "'\(other.replacingOccurrences(of: "'", with: "''"))'!$\(letter)$2:$\(letter)$\(count + 1)"
            }
            return "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" sqref=\"\(range)\"><formula1>\(escaped(formula))</formula1></dataValidation>"
        }
        if !validations.isEmpty {
            xml += "<dataValidations count=\"\(validations.count)\">\(validations.joined())</dataValidations>"
        }
        xml += "</worksheet>"
        return xml
    }

    static func row(_ number: Int, _ cells: [Cell?], style: Int?) -> String {
        var xml = "<row r=\"\(number)\">"
        for (index, cell) in cells.enumerated() {
            guard let cell else { continue }
            let reference = "\(columnName(index))\(number)"
            switch cell {
            case .text(let text):
                guard !text.isEmpty else { continue }
                xml += "<c r=\"\(reference)\" s=\"\(style ?? 3)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escaped(text))</t></is></c>"
            case .number(let number):
                xml += "<c r=\"\(reference)\"><v>\(number)</v></c>"
            case .date(let day):
                xml += "<c r=\"\(reference)\" s=\"1\"><v>\(serial(day))</v></c>"
            }
        }
        return xml + "</row>"
    }

    /// Spreadsheet day number: days since 1899-12-30 (1970-01-01 is 25569).
    public static func serial(_ day: Day) -> Int { day.daysSinceEpoch + 25569 }

    /// Text as XML character data: `&`, `<`, `>`, `"` escaped; a character XML 1.0 cannot hold
    /// (a control character other than tab and line breaks) written as `_xHHHH_`, as Excel does.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\r": result += "_x000D_"
            case "\t", "\n": result.unicodeScalars.append(scalar)
            case "_" where isEscapeLike(scalars, at: index):
                // A literal `_xHHHH_` keeps its meaning: its underscore is written `_x005F_`.
                result += "_x005F_"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    result += String(format: "_x%04X_", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// Whether `_xHHHH_` starts at `index`.
    static func isEscapeLike(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + 6 < scalars.count, scalars[index] == "_", scalars[index + 1] == "x", scalars[index + 6] == "_" else { return false }
        return scalars[(index + 2)...(index + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    // MARK: Reading

    /// A sheet as read: its name and rows of text cells (dates as ISO 8601, numbers as written).
    public struct ReadSheet: Sendable {
        public var name: String
        /// Row number (1-based) and cells; missing cells are "".
        public var rows: [(number: Int, cells: [String])]
    }

    /// Largest part read from a workbook (uncompressed), and most parts: a workbook is small;
    /// more is a mistake or a ZIP bomb.
    static let maximumPartSize = 64 * 1_048_576
    static let maximumParts = 1000

    public static func read(_ bytes: [UInt8], file: String) throws(InputError) -> [ReadSheet] {
        func invalid(_ problem: String) -> InputError {
            InputError(Issue(code: "input.invalid_xlsx", field: "file", value: file, message: "\(file) is not a workbook Domicile can read: \(problem); save it as an Excel workbook (.xlsx)", location: file))
        }
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw invalid("not a ZIP container")
        }
        var count = 0
        for _ in archive {
            count += 1
            if count > maximumParts { throw invalid("more than \(maximumParts) parts") }
        }
        func part(_ path: String) throws(InputError) -> Data? {
            guard let entry = archive[path] else { return nil }
            var data = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    data.append(chunk)
                    if data.count > maximumPartSize { throw CocoaError(.fileReadTooLarge) }
                }
            } catch {
                throw invalid("\(path) cannot be read (\(data.count > maximumPartSize ? "larger than \(maximumPartSize / 1_048_576) MiB" : "damaged"))")
            }
            return data
        }
        guard let workbookData = try part("xl/workbook.xml") else { throw invalid("xl/workbook.xml is missing") }
        let workbook = XMLElements(workbookData, collect: ["sheet"])
        guard workbook.wellFormed else { throw invalid("xl/workbook.xml is not well-formed XML") }
        var relations: XMLElements?
        if let data = try part("xl/_rels/workbook.xml.rels") {
            relations = XMLElements(data, collect: ["Relationship"])
            guard relations?.wellFormed == true else { throw invalid("xl/_rels/workbook.xml.rels is not well-formed XML") }
        }
        var targets: [String: String] = [:]
        for relation in relations?.elements ?? [] {
            if let id = relation.attributes["Id"], let target = relation.attributes["Target"] {
                targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            }
        }
        var shared: [String] = []
        if let data = try part("xl/sharedStrings.xml") {
            let strings = SharedStrings(data)
            guard strings.wellFormed else { throw invalid("xl/sharedStrings.xml is not well-formed XML") }
            shared = strings.strings
        }
        var dateStyles: [Bool] = []
        if let data = try part("xl/styles.xml") {
            let styles = DateStyles(data)
            guard styles.wellFormed else { throw invalid("xl/styles.xml is not well-formed XML") }
            dateStyles = styles.styles
        }
        var sheets: [ReadSheet] = []
        for sheet in workbook.elements {
            guard let name = sheet.attributes["name"] else { continue }
            let id = sheet.attributes["r:id"] ?? sheet.attributes.first { $0.key.hasSuffix(":id") }?.value ?? ""
            guard let path = targets[id], let data = try part(path) else { throw invalid("the part of sheet '\(name)' is missing") }
            let reader = WorksheetReader(data, shared: shared, dateStyles: dateStyles)
            if let problem = reader.problem { throw invalid("sheet '\(name)': \(problem)") }
            sheets.append(ReadSheet(name: name, rows: reader.rows))
        }
        return sheets
    }
}

/// Elements of the given names with their attributes.
final class XMLElements: NSObject, XMLParserDelegate {
    /// Whether the part was well-formed XML: a damaged part is refused, never read as partly empty.
    private(set) var wellFormed = false
    struct Element { var name: String; var attributes: [String: String] }
    private(set) var elements: [Element] = []
    private let collect: Set<String>

    init(_ data: Data, collect: Set<String>) {
        self.collect = collect
        super.init()
        wellFormed = XLSX.parse(data, with: self)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if collect.contains(name) { elements.append(Element(name: name, attributes: attributes)) }
    }
}

/// The shared strings table: `<si>` items, their `<t>` texts joined (rich text runs too).
final class SharedStrings: NSObject, XMLParserDelegate {
    /// Whether the part was well-formed XML: a damaged part is refused, never read as partly empty.
    private(set) var wellFormed = false
    private(set) var strings: [String] = []
    private var current: String?
    private var inText = false
    private var inPhonetic = false

    init(_ data: Data) {
        super.init()
        wellFormed = XLSX.parse(data, with: self)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "si": current = ""
        case "t": inText = true
        case "rPh": inPhonetic = true  // furigana is not part of the text
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "si":
            strings.append(XLSX.unescapedText(current ?? ""))
            current = nil
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText, !inPhonetic { current? += string }
    }
}

/// Which cell styles (`s` indexes into cellXfs) show a date.
final class DateStyles: NSObject, XMLParserDelegate {
    /// Whether the part was well-formed XML: a damaged part is refused, never read as partly empty.
    private(set) var wellFormed = false
    private(set) var styles: [Bool] = []
    private var dateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)
    private var inCellXfs = false

    init(_ data: Data) {
        super.init()
        wellFormed = XLSX.parse(data, with: self)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] {
                // A format is a date when it has day, month or year placeholders outside quotes and brackets.
                var plain = ""
                var quoted = false, bracket = false
                for character in code {
                    if character == "\"" { quoted.toggle(); continue }
                    if character == "[" { bracket = true; continue }
                    if character == "]" { bracket = false; continue }
                    if !quoted, !bracket { plain.append(character) }
                }
                let lower = plain.lowercased()
                if lower.contains("y") || lower.contains("d") || (lower.contains("m") && !lower.contains("h")) { dateFormats.insert(id) } else { dateFormats.remove(id) }
            }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs:
            styles.append(attributes["numFmtId"].flatMap(Int.init).map { dateFormats.contains($0) } ?? false)
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "cellXfs" { inCellXfs = false }
    }
}

/// One worksheet's cells as text.
final class WorksheetReader: NSObject, XMLParserDelegate {
    private(set) var rows: [(number: Int, cells: [String])] = []
    private(set) var problem: String?
    private let shared: [String]
    private let dateStyles: [Bool]
    private var cells: [String] = []
    private var rowNumber = 0
    private var cellColumn = 0
    private var cellType = ""
    private var cellStyle = 0
    private var text: String?
    private var collecting = false
    /// Columns past this are not read (XFD is the last a spreadsheet has).
    static let maximumColumns = 16_384

    init(_ data: Data, shared: [String], dateStyles: [Bool]) {
        self.shared = shared
        self.dateStyles = dateStyles
        super.init()
        if !XLSX.parse(data, with: self), problem == nil { problem = "malformed XML" }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells = []
        case "c":
            cellColumn = attributes["r"].map(Self.column(of:)) ?? cells.count
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap(Int.init) ?? 0
            text = nil
        case "v", "t":
            collecting = true
            if text == nil { text = "" }
        case "rPh":
            collecting = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collecting { text? += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t": collecting = false
        case "c":
            guard cellColumn < Self.maximumColumns else {
                problem = "a cell beyond column XFD"
                parser.abortParsing()
                return
            }
            let value = self.value()
            if cells.count <= cellColumn { cells += Array(repeating: "", count: cellColumn + 1 - cells.count) }
            cells[cellColumn] = value
        case "row":
            rows.append((rowNumber, cells))
        default: break
        }
    }

    private func value() -> String {
        let raw = text ?? ""
        switch cellType {
        case "s": return Int(raw).flatMap { shared.indices.contains($0) ? shared[$0] : nil } ?? ""
        case "inlineStr", "str": return XLSX.unescapedText(raw)
        case "b": return raw == "1" ? "true" : "false"
        case "e": return raw
        default:
            guard let number = Double(raw) else { return raw }
            if cellStyle < dateStyles.count, dateStyles[cellStyle], number >= 1, number < 2_958_466 {
                return Day(daysSinceEpoch: Int(number.rounded(.down)) - 25569).description
            }
            if number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
            return raw
        }
    }

    /// Column index (0-based) of a reference such as `AB12`.
    static func column(of reference: String) -> Int {
        var index = 0
        for scalar in reference.unicodeScalars {
            guard (65...90).contains(scalar.value) else { break }
            index = index * 26 + Int(scalar.value - 64)
            if index > maximumColumns { return maximumColumns }
        }
        return index - 1
    }
}

extension XLSX {
    /// `_xHHHH_` escapes (how OOXML writes characters XML cannot hold) undone.
    static func unescapedText(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: "_x") {
            result += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let hex = after.prefix(4)
            if hex.count == 4, after.dropFirst(4).first == "_", let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) {
                result.unicodeScalars.append(scalar)
                rest = after.dropFirst(5)
            } else {
                result += "_x"
                rest = after
            }
        }
        return result + rest
    }
}

extension XLSX {
    /// Parses one XML part with `delegate`, external entities never resolved; whether it was
    /// well-formed. On Linux `XMLParser.parse()` can return true for malformed XML and only set
    /// `parserError`, so both are asked.
    static func parse(_ data: Data, with delegate: any XMLParserDelegate) -> Bool {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        return parser.parse() && parser.parserError == nil
    }
}
