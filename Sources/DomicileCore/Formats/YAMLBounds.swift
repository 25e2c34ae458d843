import Yams

/// Limits a YAML file is held to before and after the parser builds its tree, so no input
/// can exhaust the stack (deep nesting: the tree is built recursively) or the memory and
/// time of a walk over it (aliases that expand to billions of values).
///
/// The nesting check reads the text itself, before the parser does. It never counts less
/// than the parser would build: a bracket is discounted only inside a scalar that is
/// certainly quoted, and block nesting is counted by indentation and `- `, `? `, `: ` indicators.
public enum YAMLBounds {
    /// Levels of nesting accepted (a registry file needs about six).
    public static let maximumDepth = 64
    /// Values a document may hold once aliases are expanded: the larger of this and the
    /// file's size in bytes (a file without aliases never holds more values than bytes).
    public static let minimumExpandedValues = 1_000_000

    /// The first place where `text` nests deeper than `maximumDepth`, as an issue.
    public static func depthIssue(_ text: String, file: String) -> Issue? {
        var scanner = DepthScanner(Array(text.utf8))
        guard let line = scanner.firstLineDeeperThan(maximumDepth) else { return nil }
        return Issue(
            code: "input.too_deep", field: "file", value: file,
            message: "\(file) nests lists and mappings more than \(maximumDepth) levels deep (from line \(line)); a registry file needs a few levels, at most \(maximumDepth) are read",
            location: "\(file):\(line)")
    }

    /// An issue when `root`, with its aliases expanded, holds more values than allowed for
    /// a text of `byteCount` bytes. Walks at most that many values (iteratively).
    public static func expansionIssue(_ root: Node, byteCount: Int, file: String) -> Issue? {
        let limit = max(minimumExpandedValues, byteCount)
        var count = 0
        var pending: [Node] = [root]
        while let node = pending.popLast() {
            count += 1
            if count > limit {
                return Issue(
                    code: "input.too_many_values", field: "file", value: file,
                    message: "\(file) expands to more than \(limit) values once its aliases (*name) are expanded; at most the larger of \(minimumExpandedValues) and the file's size in bytes are read",
                    location: file)
            }
            switch node {
            case .scalar: break
            case .sequence(let sequence): pending.append(contentsOf: sequence)
            case .mapping(let mapping):
                for (key, value) in mapping {
                    pending.append(key)
                    pending.append(value)
                }
            }
        }
        return nil
    }
}

/// Reads YAML text line by line, keeping the nesting depth the parser would reach.
struct DepthScanner {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    /// Columns of the open block levels.
    private var indents: [Int] = []
    /// Open `[` and `{`.
    private var flowDepth = 0
    /// Block levels open when the current flow collection began.
    private var blockDepthAtFlow = 0
    /// Lines more indented than this belong to a block scalar (`|`, `>`).
    private var blockScalarParent: Int?
    private var deepestLine: Int?

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private enum FlowState { case nodeStart, plain, afterNode }

    private static let space: UInt8 = 0x20, tab: UInt8 = 0x09, newline: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D
    private static let hash: UInt8 = 0x23, quote: UInt8 = 0x27, doubleQuote: UInt8 = 0x22, backslash: UInt8 = 0x5C
    private static let openBracket: UInt8 = 0x5B, closeBracket: UInt8 = 0x5D, openBrace: UInt8 = 0x7B, closeBrace: UInt8 = 0x7D
    private static let comma: UInt8 = 0x2C, colon: UInt8 = 0x3A, dash: UInt8 = 0x2D, question: UInt8 = 0x3F
    private static let ampersand: UInt8 = 0x26, bang: UInt8 = 0x21, pipe: UInt8 = 0x7C, greater: UInt8 = 0x3E

    private func byte(_ at: Int) -> UInt8? { at < bytes.count ? bytes[at] : nil }
    private static func isBlank(_ byte: UInt8?) -> Bool {
        byte == nil || byte == space || byte == tab || byte == newline || byte == carriageReturn
    }
    private static func isFlowIndicator(_ byte: UInt8?) -> Bool {
        byte == comma || byte == openBracket || byte == closeBracket || byte == openBrace || byte == closeBrace
    }

    /// The line at which the depth first exceeds `limit`, or `nil`.
    mutating func firstLineDeeperThan(_ limit: Int) -> Int? {
        while index < bytes.count {
            scanLine(limit: limit)
            if let deepestLine { return deepestLine }
        }
        return nil
    }

    private mutating func exceeded(_ depth: Int, _ limit: Int) -> Bool {
        if depth > limit, deepestLine == nil { deepestLine = line }
        return deepestLine != nil
    }

    /// Moves past the end of the current line.
    private mutating func endLine() {
        while index < bytes.count, bytes[index] != Self.newline { index += 1 }
        if index < bytes.count {
            index += 1
            line += 1
        }
    }

    private mutating func scanLine(limit: Int) {
        let start = index
        var column = 0
        while let byte = byte(index), byte == Self.space {
            index += 1
            column += 1
        }
        let first = byte(index)
        // A blank line or a comment line changes nothing.
        if first == nil || first == Self.newline || first == Self.carriageReturn || first == Self.hash || first == Self.tab && lineIsBlank(from: index) {
            endLine()
            return
        }
        if let parent = blockScalarParent {
            if column > parent { endLine(); return }
            blockScalarParent = nil
        }
        // Directives and document markers.
        if column == 0, first == 0x25 || startsWith("---", at: start) || startsWith("...", at: start) {
            indents = []
            if startsWith("---", at: start) {
                index = start + 3
                scanNode(column: column, limit: limit)
            }
            endLine()
            return
        }
        while let last = indents.last, last >= column { indents.removeLast() }
        indents.append(column)
        if exceeded(indents.count, limit) { return }
        // Block indicators: each opens a level at the column after it.
        while let byte = byte(index), byte == Self.dash || byte == Self.question || byte == Self.colon, Self.isBlank(self.byte(index + 1)) {
            index += 1
            while self.byte(index) == Self.space || self.byte(index) == Self.tab { index += 1 }
            indents.append(index - start)
            if exceeded(indents.count, limit) { return }
        }
        scanNode(column: column, limit: limit)
        endLine()
    }

    private func lineIsBlank(from position: Int) -> Bool {
        var position = position
        while let byte = byte(position), byte != Self.newline {
            if !Self.isBlank(byte) { return byte == Self.hash }
            position += 1
        }
        return true
    }

    private func startsWith(_ marker: String, at position: Int) -> Bool {
        let marker = Array(marker.utf8)
        guard position + marker.count <= bytes.count else { return false }
        return Array(bytes[position..<position + marker.count]) == marker && Self.isBlank(byte(position + marker.count))
    }

    /// Skips spaces, anchors (`&a`) and tags (`!t`) before a node on the same line.
    private mutating func skipProperties() {
        while true {
            while byte(index) == Self.space || byte(index) == Self.tab { index += 1 }
            guard let byte = byte(index), byte == Self.ampersand || byte == Self.bang else { return }
            while !Self.isBlank(self.byte(index)) { index += 1 }
        }
    }

    /// A node that starts at `index` in block context, and what follows it on its line.
    private mutating func scanNode(column: Int, limit: Int) {
        skipProperties()
        guard let first = byte(index) else { return }
        switch first {
        case Self.openBracket, Self.openBrace:
            blockDepthAtFlow = indents.count
            scanFlow(limit: limit)
        case Self.quote, Self.doubleQuote:
            scanQuoted(first)
            afterBlockScalar(column: column, limit: limit)
        case Self.pipe, Self.greater:
            blockScalarParent = column
        case Self.hash, Self.newline:
            return
        default:
            // A plain scalar: up to `: ` (a value follows), ` #` (a comment) or the line's end.
            while let byte = byte(index), byte != Self.newline {
                if byte == Self.colon, Self.isBlank(self.byte(index + 1)) {
                    index += 1
                    if exceeded(indents.count + 1, limit) { return }
                    scanNode(column: column, limit: limit)
                    return
                }
                if byte == Self.hash, index > 0, Self.isBlank(bytes[index - 1]) { return }
                index += 1
            }
        }
    }

    /// After a quoted scalar in block context: a `:` makes it a key whose value follows.
    private mutating func afterBlockScalar(column: Int, limit: Int) {
        while byte(index) == Self.space || byte(index) == Self.tab { index += 1 }
        if byte(index) == Self.colon {
            index += 1
            if exceeded(indents.count + 1, limit) { return }
            scanNode(column: column, limit: limit)
        }
    }

    /// A quoted scalar starting at `index` (its opening quote); may span lines.
    private mutating func scanQuoted(_ delimiter: UInt8) {
        index += 1
        while let byte = byte(index) {
            if byte == Self.newline { line += 1 }
            if delimiter == Self.doubleQuote, byte == Self.backslash {
                if self.byte(index + 1) == Self.newline { line += 1 }
                index += 2
                continue
            }
            if byte == delimiter {
                if delimiter == Self.quote, self.byte(index + 1) == Self.quote {
                    index += 2
                    continue
                }
                index += 1
                return
            }
            index += 1
        }
    }

    /// A flow collection starting at `index` (its `[` or `{`), to its end; may span lines.
    private mutating func scanFlow(limit: Int) {
        var state = FlowState.nodeStart
        while let byte = byte(index) {
            switch byte {
            case Self.newline:
                line += 1
                index += 1
                continue
            case Self.space, Self.tab, Self.carriageReturn:
                index += 1
                continue
            case Self.hash where index > 0 && Self.isBlank(bytes[index - 1]):
                while let next = self.byte(index), next != Self.newline { index += 1 }
                continue
            case Self.openBracket, Self.openBrace:
                // Also inside a plain scalar, where the parser refuses it: counting it is safe.
                flowDepth += 1
                index += 1
                if exceeded(blockDepthAtFlow + flowDepth, limit) { return }
                state = .nodeStart
                continue
            case Self.closeBracket, Self.closeBrace:
                index += 1
                flowDepth = max(0, flowDepth - 1)
                if flowDepth == 0 {
                    // The rest of the line: a `: value` after a flow key, or a comment.
                    while self.byte(index) == Self.space || self.byte(index) == Self.tab { index += 1 }
                    if self.byte(index) == Self.colon {
                        index += 1
                        scanNode(column: indents.last ?? 0, limit: limit)
                    }
                    return
                }
                state = .afterNode
                continue
            case Self.comma:
                index += 1
                state = .nodeStart
                continue
            default:
                break
            }
            switch state {
            case .nodeStart:
                if byte == Self.quote || byte == Self.doubleQuote {
                    scanQuoted(byte)
                    state = .afterNode
                } else if byte == Self.ampersand || byte == Self.bang {
                    while !Self.isBlank(self.byte(index)), !Self.isFlowIndicator(self.byte(index)) { index += 1 }
                } else if byte == Self.question || byte == Self.colon, Self.isBlank(self.byte(index + 1)) || Self.isFlowIndicator(self.byte(index + 1)) {
                    index += 1
                } else {
                    index += 1
                    state = .plain
                }
            case .plain:
                index += 1
                if byte == Self.colon, Self.isBlank(self.byte(index)) || Self.isFlowIndicator(self.byte(index)) { state = .nodeStart }
            case .afterNode:
                index += 1
                if byte == Self.colon { state = .nodeStart } else { state = .plain }
            }
        }
    }
}
