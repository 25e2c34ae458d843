import DomicileCore
import Foundation
import TestSupport
import Testing

/// Every JSON answer (listings, `where`, `diff`, `check`) is a typed value written by
/// `JSONOutput` (`JSONEncoder`). Scripts rely on the bytes, which are `JSONSerialization`'s
/// with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` (what the answers were written
/// with before; Tests/Fixtures/json holds whole answers). These tests hold the encoder to it.
@Suite("JSON output")
struct JSONOutputTests {
    static func foundation(_ value: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), as: UTF8.self) + "\n"
    }

    /// A JSON value of the shapes the answers have, both as `Encodable` and as `Any`.
    indirect enum Document: Encodable {
        case text(String), flag(Bool), number(Int), null
        case array([Document])
        case object([(String, Document)])

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .text(let text): var c = encoder.singleValueContainer(); try c.encode(text)
            case .flag(let flag): var c = encoder.singleValueContainer(); try c.encode(flag)
            case .number(let number): var c = encoder.singleValueContainer(); try c.encode(number)
            case .null: var c = encoder.singleValueContainer(); try c.encodeNil()
            case .array(let items): try items.encode(to: encoder)
            case .object(let members):
                var c = encoder.container(keyedBy: Key.self)
                for (key, value) in members { try c.encode(value, forKey: Key(stringValue: key)) }
            }
        }

        var foundation: Any {
            switch self {
            case .text(let text): return text
            case .flag(let flag): return flag
            case .number(let number): return number
            case .null: return NSNull()
            case .array(let items): return items.map(\.foundation)
            case .object(let members): return Dictionary(members.map { ($0.0, $0.1.foundation) }) { _, last in last }
            }
        }
    }

    static let pieces = [
        "a", "b", "Z", "_", "key", "valid_from", "valid_to", "2", "10", "日本", "データ", "é", "e",
        "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{0}", "\u{1}", "\u{1f}", "\u{7f}", "\u{2028}", " ", "😀", "ｱ",
    ]
    /// Keys as the answers have them: lower-case ASCII letters and `_` (see `keysSortTheSameWay`).
    static let keyPieces = ["a", "b", "z", "_", "key", "valid", "from", "to", "name", "ja", "en"]

    static func text(_ random: inout SeededGenerator, from pieces: [String] = pieces) -> String {
        (0..<Int.random(in: 0...4, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    static func document(_ random: inout SeededGenerator, depth: Int) -> Document {
        switch Int.random(in: 0...(depth > 2 ? 3 : 6), using: &random) {
        case 0: return .text(text(&random))
        case 1: return .flag(Bool.random(using: &random))
        case 2: return .number([-1, 0, 1, 2, 10, 12345, Int.max, Int.min].randomElement(using: &random)!)
        case 3: return .null
        case 4: return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in .text(text(&random)) })
        case 5: return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in document(&random, depth: depth + 1) })
        default: return object(&random, depth: depth + 1)
        }
    }

    static func object(_ random: inout SeededGenerator, depth: Int) -> Document {
        var members: [String: Document] = [:]
        for _ in 0..<Int.random(in: 0...6, using: &random) { members[text(&random, from: keyPieces)] = document(&random, depth: depth) }
        return .object(members.map { ($0.key, $0.value) })
    }

    @Test("2,000 random documents: JSONOutput writes the bytes JSONSerialization writes (indentation, escapes, empty containers, key order)")
    func randomDocumentsAreWrittenAsJSONSerializationWritesThem() {
        var random = SeededGenerator(seed: 20_261_206)
        for round in 0..<2_000 {
            // JSONSerialization writes only an array or an object at the top.
            let document: Document = Bool.random(using: &random)
                ? .array((0..<Int.random(in: 0...4, using: &random)).map { _ in Self.document(&random, depth: 1) })
                : Self.object(&random, depth: 1)
            #expect(Array(JSONOutput.text(document).utf8) == Array(Self.foundation(document.foundation).utf8), "round \(round)")
        }
    }

    @Test("Every key the answers can write sorts the same bytewise (JSONEncoder) as JSONSerialization sorted it")
    func keysSortTheSameWay() {
        var keys = Set(JSONOutput.fixedKeys)
        func add(_ schema: EntitySchema) {
            for field in schema.fields {
                keys.insert(field.name)
                switch field.type {
                case .object(let nested), .records(let nested): add(nested)
                default: break
                }
            }
        }
        for kind in EntityKind.allCases { add(kind.schema) }
        #expect(keys.count > 100)
        #expect(JSONOutput.keepsKeyOrder(Array(keys)), "a key outside lower-case letters and _ changes the order of its object's keys: \(keys.sorted())")
        // What the check catches: digits and capitals sort differently.
        #expect(!JSONOutput.keepsKeyOrder(["tier2", "tier10"]) && !JSONOutput.keepsKeyOrder(["a_b", "aB"]))
    }

    @Test("A record through its schema: declared fields only, nested objects and lists by their schema, absent fields left out")
    func recordOutput() {
        var record = Record(["key": .string("sakura"), "legal_name": .string("さくら / \"SAKURA\""), "kinds": .list(["cloud_provider"]),
                             "undeclared": .string("not written")])
        record["contacts"] = .records([Record(["name": .string("Aoi"), "email": .string("aoi@example.jp")])])
        let text = JSONOutput.text(RecordOutput(record, schema: EntityKind.vendor.schema))
        #expect(text == Self.foundation([
            "key": "sakura", "legal_name": "さくら / \"SAKURA\"", "kinds": ["cloud_provider"],
            "contacts": [["name": "Aoi", "email": "aoi@example.jp"]],
        ] as [String: Any]))
    }
}
