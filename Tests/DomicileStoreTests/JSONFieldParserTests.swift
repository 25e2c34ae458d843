import Foundation
import TestSupport
import Testing

@testable import DomicileStore

/// The nested lists of a record (answers, contacts, sub-entrustees, …) are read by
/// `JSONFieldParser` instead of `JSONDecoder`, for speed; it must read exactly what
/// `JSONDecoder` read, and leave anything else to it.
@Suite("Nested-list JSON")
struct JSONFieldParserTests {
    static func canonical(_ records: [[String: JSONField]]?) -> String {
        guard let records else { return "nil" }
        return records.map { object in
            object.keys.sorted().map { "\($0)=\(String(reflecting: object[$0]!))" }.joined(separator: ";")
        }.joined(separator: "\n")
    }

    static func decoded(_ text: String) -> [[String: JSONField]]? {
        try? JSONDecoder().decode([[String: JSONField]].self, from: Data(text.utf8))
    }

    typealias Generator = SeededGenerator

    static let texts = ["", "a", "met", "ORG-1", "日本語の証跡", "quote\"d", "back\\slash", "line\nbreak", "tab\t", "\u{1}", "😀", "/path", "é"]

    /// JSON text as PostgreSQL writes it, with escapes and spacing varied.
    static func json(_ text: String, _ random: inout Generator) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += Bool.random(using: &random) ? "\\n" : "\\u000a"
            case "\t": out += "\\t"
            case "/": out += Bool.random(using: &random) ? "/" : "\\/"
            case let s where s.value < 0x20: out += String(format: "\\u%04x", s.value)
            case let s where s.value > 0xFFFF && Bool.random(using: &random):
                let v = s.value - 0x10000
                out += String(format: "\\u%04X\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
            case let s where s.value > 0x7F && Bool.random(using: &random): out += String(format: "\\u%04x", s.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func value(_ random: inout Generator) -> String {
        switch Int.random(in: 0...5, using: &random) {
        case 0: return json(texts.randomElement(using: &random)!, &random)
        case 1: return Bool.random(using: &random) ? "true" : "false"
        case 2: return String([0, 1, -1, 7, 12_345, -99].randomElement(using: &random)!)
        case 3: return "null"
        default:
            let items = (0..<Int.random(in: 0...3, using: &random)).map { _ in json(texts.randomElement(using: &random)!, &random) }
            return "[" + items.joined(separator: Bool.random(using: &random) ? "," : ", ") + "]"
        }
    }

    @Test func readsWhatJSONDecoderReads() {
        var random = Generator(seed: 7)
        for round in 0..<1_500 {
            let objects = (0..<Int.random(in: 0...4, using: &random)).map { _ -> String in
                let keys = ["item", "status", "evidence", "note", "position", "countries", "approved_on"].shuffled(using: &random)
                let fields = keys.prefix(Int.random(in: 0...5, using: &random)).map { Self.json($0, &random) + (Bool.random(using: &random) ? " : " : ":") + Self.value(&random) }
                return "{" + fields.joined(separator: Bool.random(using: &random) ? ", " : ",") + "}"
            }
            let text = "[" + objects.joined(separator: Bool.random(using: &random) ? ", \n " : ",") + "]"
            let fast = JSONFieldParser.records(text)
            #expect(fast != nil, "round \(round): \(text)")
            #expect(Self.canonical(fast) == Self.canonical(Self.decoded(text)), "round \(round): \(text)")
        }
    }

    @Test func leavesAnythingElseToJSONDecoder() {
        for text in [
            "[{\"a\": 1.5}]", "[{\"a\": 1e3}]", "[{\"a\": {\"b\": 1}}]", "[{\"a\": [1]}]", "[{\"a\": [null]}]", "[{\"a\": 01}]",
            "[{\"a\": \"x\"}", "[{\"a\": \"x\"}] x", "{\"a\": 1}", "[{\"a\": \"bad \\q\"}]", "[{\"a\": \"\\ud800\"}]",
            "[{\"a\": 1, \"a\": 2}]", "[{a: 1}]", "[{\"a\": tru}]", "",
        ] {
            #expect(Self.canonical(JSONFieldParser.records(text)) == "nil", "\(text)")
        }
        #expect(Self.canonical(JSONFieldParser.records("[]")) == Self.canonical(Self.decoded("[]")))
        #expect(JSONFieldParser.record("{\"name\" : \"Tokyo\", \"role\" : null}") != nil)
    }
}
