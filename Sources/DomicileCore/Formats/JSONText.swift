import Foundation

/// Pretty-printed JSON with sorted keys, byte for byte as Foundation's
/// `JSONSerialization` writes it with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`
/// (the format every `--format json` listing and `/v1/…` answer has always had), several
/// times faster: `JSONSerialization` on Linux bridges every value through `NSDictionary` and
/// compares keys with `NSString.compare` on each sort, which made a 1,000-vendor listing
/// take 150 ms (docs/benchmarks.md).
///
/// Keys are still ordered by `JSONSerialization`'s own comparison, but each distinct set of
/// keys is sorted once per document, not once per object. Values may be `String`, `Bool`,
/// `Int`, `NSNull`, and arrays or `[String: …]` dictionaries of them; anything else makes the
/// whole document go through `JSONSerialization`, so the output never differs.
public enum JSONText {
    public static func pretty(_ value: Any) -> String {
        var writer = Writer()
        do {
            try writer.write(value, depth: 0)
            return String(decoding: writer.output, as: UTF8.self)
        } catch {
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// The order `JSONSerialization` gives keys (`[.numeric, .caseInsensitive, .forcedOrdering]`
    /// in the system locale).
    static func foundationOrder(_ keys: [String]) -> [String] {
        keys.sorted { a, b in
            a.compare(b, options: [.numeric, .caseInsensitive, .forcedOrdering], range: a.startIndex..<a.endIndex, locale: Locale(identifier: ""))
                == .orderedAscending
        }
    }

    private struct Unsupported: Error {}

    private struct Writer {
        var output: [UInt8] = []
        /// Key sets already ordered: byte-sorted keys → `foundationOrder`.
        var orders: [[String]: [String]] = [:]

        init() { output.reserveCapacity(1 << 16) }

        mutating func write(_ value: Any, depth: Int) throws {
            // Exact types first: a failed `as?` from `Any` tries Foundation bridging (a
            // dictionary is turned into an NSDictionary to see whether it is an array), which
            // cost more than the writing.
            let type = Swift.type(of: value)
            if type == String.self { return string(value as! String) }
            if type == [String: Any].self { return try dictionary(value as! [String: Any], depth: depth) }
            if type == [String].self { return try array(value as! [String], depth: depth) }
            if type == Bool.self { return ascii((value as! Bool) ? "true" : "false") }
            if type == Int.self { return ascii(String(value as! Int)) }
            if type == [[String: Any]].self { return try array(value as! [[String: Any]], depth: depth) }
            if type == [Any].self { return try array(value as! [Any], depth: depth) }
            if type == [String: String].self { return try dictionary(value as! [String: String], depth: depth) }
            if type == [String: Int].self { return try dictionary(value as! [String: Int], depth: depth) }
            switch value {
            case let text as String: string(text)
            case let flag as Bool: ascii(flag ? "true" : "false")
            case let number as Int: ascii(String(number))
            case is NSNull: ascii("null")
            case let texts as [String]: try array(texts, depth: depth)
            case let objects as [[String: Any]]: try array(objects, depth: depth)
            case let values as [Any]: try array(values, depth: depth)
            case let object as [String: String]: try dictionary(object, depth: depth)
            case let object as [String: Any]: try dictionary(object, depth: depth)
            default: throw Unsupported()
            }
        }

        mutating func array<Element>(_ elements: [Element], depth: Int) throws {
            output.append(UInt8(ascii: "["))
            output.append(UInt8(ascii: "\n"))
            var first = true
            for element in elements {
                if !first {
                    output.append(UInt8(ascii: ","))
                    output.append(UInt8(ascii: "\n"))
                }
                first = false
                indent(depth + 1)
                try write(element, depth: depth + 1)
            }
            output.append(UInt8(ascii: "\n"))
            indent(depth)
            output.append(UInt8(ascii: "]"))
        }

        mutating func dictionary<Value>(_ object: [String: Value], depth: Int) throws {
            output.append(UInt8(ascii: "{"))
            output.append(UInt8(ascii: "\n"))
            let plain = object.keys.sorted()
            let ordered: [String]
            if let known = orders[plain] {
                ordered = known
            } else {
                ordered = JSONText.foundationOrder(plain)
                orders[plain] = ordered
            }
            var first = true
            for key in ordered {
                if !first {
                    output.append(UInt8(ascii: ","))
                    output.append(UInt8(ascii: "\n"))
                }
                first = false
                indent(depth + 1)
                string(key)
                ascii(" : ")
                try write(object[key]!, depth: depth + 1)
            }
            output.append(UInt8(ascii: "\n"))
            indent(depth)
            output.append(UInt8(ascii: "}"))
        }

        mutating func indent(_ depth: Int) {
            for _ in 0..<(depth * 2) { output.append(UInt8(ascii: " ")) }
        }

        mutating func ascii(_ text: String) {
            output.append(contentsOf: text.utf8)
        }

        /// Escapes as `JSONSerialization` does: `"`, `\`, the named controls, other controls
        /// below U+0020 as `\u00xx` (lower-case hex); everything else, `/` included, as is.
        mutating func string(_ text: String) {
            output.append(UInt8(ascii: "\""))
            let hex = Array("0123456789abcdef".utf8)
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): ascii("\\\"")
                case UInt8(ascii: "\\"): ascii("\\\\")
                case 0x08: ascii("\\b")
                case 0x0C: ascii("\\f")
                case UInt8(ascii: "\n"): ascii("\\n")
                case UInt8(ascii: "\r"): ascii("\\r")
                case UInt8(ascii: "\t"): ascii("\\t")
                case 0x00..<0x20:
                    ascii("\\u00")
                    output.append(hex[Int(byte >> 4)])
                    output.append(hex[Int(byte & 0x0F)])
                default: output.append(byte)
                }
            }
            output.append(UInt8(ascii: "\""))
        }
    }
}
