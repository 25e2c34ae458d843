import Postgres

/// Reads the JSON the read queries build for nested lists (`json_agg(json_build_object(…))`:
/// an array of flat objects whose values are strings, integers, booleans, null or arrays of
/// strings) straight into `JSONField`s.
///
/// `JSONDecoder` did the same through `JSONField.init(from:)`, which tries Bool, then Int,
/// then String, then [String] for every value, each failure building an error: with a
/// million checklist answers that was most of the time a report spent loading the registry
/// (docs/benchmarks.md). Anything outside that shape (a fraction, a nested object, an array
/// holding something other than strings, malformed text) makes `parse` return `nil`, and the
/// caller falls back to `JSONDecoder`, so what is decoded never differs.
///
/// Kept hand-written (issue 14): on 100,000 checklist answers in lists of 16, `JSONDecoder`
/// into `JSONField` took 8–9× as long (4.64 s against 505 ms), and even into a typed struct per
/// list 2.3–3.3× (1.20 s), the two in turn on the same input (`scripts/bench --only codecs
/// --scale 0.1 --runs 7`, 2026-12-06, docs/benchmarks.md); loading these lists is most of what
/// a report spends on the snapshot.
enum JSONFieldParser {
    static func records(_ text: String) -> [[String: JSONField]]? {
        var text = text
        return text.withUTF8 { bytes in
            var parser = Parser(bytes: bytes)
            guard let value = parser.recordsValue(), parser.atEnd else { return nil }
            return value
        }
    }

    static func record(_ text: String) -> [String: JSONField]? {
        var text = text
        return text.withUTF8 { bytes in
            var parser = Parser(bytes: bytes)
            guard let value = parser.object(), parser.atEnd else { return nil }
            return value
        }
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var atEnd: Bool {
            mutating get {
                skipSpace()
                return index == bytes.count
            }
        }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func peek() -> UInt8? {
            skipSpace()
            return index < bytes.count ? bytes[index] : nil
        }

        mutating func recordsValue() -> [[String: JSONField]]? {
            guard take(UInt8(ascii: "[")) else { return nil }
            var result: [[String: JSONField]] = []
            if take(UInt8(ascii: "]")) { return result }
            repeat {
                guard let object = object() else { return nil }
                result.append(object)
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]")) ? result : nil
        }

        mutating func object() -> [String: JSONField]? {
            guard take(UInt8(ascii: "{")) else { return nil }
            var result: [String: JSONField] = [:]
            if take(UInt8(ascii: "}")) { return result }
            repeat {
                guard peek() == UInt8(ascii: "\""), let key = string(), take(UInt8(ascii: ":")), let value = field() else { return nil }
                // A repeated key: leave such text to JSONDecoder's own rules.
                guard result.updateValue(value, forKey: key) == nil else { return nil }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}")) ? result : nil
        }

        mutating func field() -> JSONField? {
            switch peek() {
            case UInt8(ascii: "\""): return string().map(JSONField.string)
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            case UInt8(ascii: "["):
                index += 1
                var list: [String] = []
                if take(UInt8(ascii: "]")) { return .list(list) }
                repeat {
                    guard peek() == UInt8(ascii: "\""), let item = string() else { return nil }
                    list.append(item)
                } while take(UInt8(ascii: ","))
                return take(UInt8(ascii: "]")) ? .list(list) : nil
            case let byte? where byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte):
                return integer().map(JSONField.int)
            default: return nil
            }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        /// An integer exactly as JSON writes one; a fraction or exponent is not this shape.
        mutating func integer() -> Int? {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digitsStart = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            let digits = index - digitsStart
            guard digits > 0, digits == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return nil }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                return nil
            }
            return Int(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
        }

        mutating func string() -> String? {
            index += 1  // the opening quote
            let start = index
            // Fast path: no escapes.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                index += 1
            }
            var output = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(validating: output, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                    case UInt8(ascii: "b"): output.append(0x08)
                    case UInt8(ascii: "f"): output.append(0x0C)
                    case UInt8(ascii: "n"): output.append(0x0A)
                    case UInt8(ascii: "r"): output.append(0x0D)
                    case UInt8(ascii: "t"): output.append(0x09)
                    case UInt8(ascii: "u"):
                        guard var scalar = hex4() else { return nil }
                        if (0xD800...0xDBFF).contains(scalar) {
                            guard literal("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { return nil }
                        output.append(contentsOf: String(Character(unicode)).utf8)
                    default: return nil
                    }
                case 0..<0x20: return nil
                default:
                    output.append(byte)
                    index += 1
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value * 16 + digit
                index += 1
            }
            return value
        }
    }
}

extension JSONFieldParser {
    /// Column `name` of `row` (JSON text, or NULL) as a list of flat objects.
    static func records(in row: Row, _ name: String) throws -> [[String: JSONField]]? {
        if let text = row.text(name), let fast = records(text) { return fast }
        return try row.decode(PostgresJSON<[[String: JSONField]]>?.self, name)?.value
    }

    /// Column `name` of `row` (JSON text, or NULL) as one flat object.
    static func record(in row: Row, _ name: String) throws -> [String: JSONField]? {
        if let text = row.text(name), let fast = record(text) { return fast }
        return try row.decode(PostgresJSON<[String: JSONField]>?.self, name)?.value
    }
}
