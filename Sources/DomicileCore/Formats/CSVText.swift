/// CSV as RFC 4180 writes it (comma-separated, `"` quoting with `""` inside, CRLF or LF
/// line ends), read strictly so that every syntax error names its line and column.
public struct CSVText {
    public struct Row: Sendable, Equatable {
        public var cells: [String]
        /// The line the row starts on (1-based).
        public var line: Int
    }

    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var problem: String
        public var description: String { "line \(line), column \(column): \(problem)" }
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    public init(_ text: String) {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
    }

    private static let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, newline: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D

    /// Column (1-based, in characters) of byte `position` on the current line.
    private func column(_ position: Int) -> Int {
        String(decoding: bytes[lineStart..<min(position, bytes.count)], as: UTF8.self).count + 1
    }

    /// The next row, `nil` at the end, or a syntax error (after which reading stops).
    public mutating func next() throws(SyntaxError) -> Row? {
        guard index < bytes.count else { return nil }
        let rowLine = line
        var cells: [String] = []
        while true {
            var cell: [UInt8] = []
            if index < bytes.count, bytes[index] == Self.quote {
                let openLine = line, openColumn = column(index)
                index += 1
                while true {
                    guard index < bytes.count else {
                        throw SyntaxError(line: openLine, column: openColumn, problem: "the quoted cell opened here is never closed (a '\"' is missing)")
                    }
                    let byte = bytes[index]
                    if byte == Self.quote {
                        if index + 1 < bytes.count, bytes[index + 1] == Self.quote {
                            cell.append(Self.quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    if byte == Self.newline {
                        line += 1
                        lineStart = index + 1
                    }
                    cell.append(byte)
                    index += 1
                }
                if index < bytes.count, bytes[index] != Self.comma, bytes[index] != Self.newline,
                    !(bytes[index] == Self.carriageReturn && (index + 1 == bytes.count || bytes[index + 1] == Self.newline))
                {
                    throw SyntaxError(line: line, column: column(index), problem: "unexpected text after a closing quote; a quoted cell ends at ',' or the line's end (write \"\" for a quote inside it)")
                }
            } else {
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == Self.comma || byte == Self.newline { break }
                    if byte == Self.carriageReturn, index + 1 == bytes.count || bytes[index + 1] == Self.newline { break }
                    if byte == Self.quote {
                        throw SyntaxError(line: line, column: column(index), problem: "a '\"' inside an unquoted cell; quote the whole cell and write \"\" for the quote")
                    }
                    cell.append(byte)
                    index += 1
                }
            }
            cells.append(String(decoding: cell, as: UTF8.self))
            if index < bytes.count, bytes[index] == Self.comma {
                index += 1
                continue
            }
            // The end of the row: CRLF, LF or the end of the text.
            if index < bytes.count, bytes[index] == Self.carriageReturn { index += 1 }
            if index < bytes.count, bytes[index] == Self.newline {
                index += 1
                line += 1
                lineStart = index
            }
            return Row(cells: cells, line: rowLine)
        }
    }
}

/// Cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
/// return first) are written with a `'` in front, which spreadsheets show as text; a number
/// such as `-3` stays a number. The import takes the `'` off again, so export → import →
/// export is byte-identical. A cell that is already `'` followed by such a lead gets one
/// more `'`, so the mapping can be undone exactly.
public enum SpreadsheetCell {
    static let leads: Set<UInt8> = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]
    static let apostrophe: UInt8 = 0x27

    /// Whether `utf8` is `'`* followed by a formula lead (`apostrophes` of them first).
    private static func formulaLike(_ utf8: String.UTF8View) -> (apostrophes: Int, formula: Bool) {
        var apostrophes = 0
        for byte in utf8 {
            if byte == apostrophe { apostrophes += 1; continue }
            return (apostrophes, leads.contains(byte))
        }
        return (apostrophes, false)
    }

    private static func isNumber(_ text: String) -> Bool {
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        guard !body.isEmpty else { return false }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    /// The cell as written for a spreadsheet.
    public static func escape(_ text: String) -> String {
        let (apostrophes, formula) = formulaLike(text.utf8)
        guard formula, apostrophes > 0 || !isNumber(text) else { return text }
        return "'" + text
    }

    /// The value a written cell stands for (`escape` undone).
    public static func unescape(_ text: String) -> String {
        let (apostrophes, formula) = formulaLike(text.utf8)
        guard formula, apostrophes > 0 else { return text }
        return String(text.dropFirst())
    }
}
