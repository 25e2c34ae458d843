import DomicileCore
import Foundation
import TestSupport
import Testing

/// `JSONText` replaced `JSONSerialization` for every JSON listing and API answer for speed;
/// scripts rely on the bytes, so it must write exactly what `JSONSerialization` wrote.
@Suite("JSON text")
struct JSONTextTests {
    static func foundation(_ value: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    typealias Generator = SeededGenerator

    static let pieces = [
        "a", "b", "Z", "_", "key", "Key", "KEY", "valid_from", "valid_to", "2", "10", "x2", "x10", "日本", "データ", "é", "e",
        "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{0}", "\u{1}", "\u{1f}", "\u{7f}", "\u{2028}", " ", "😀", "ｱ",
    ]

    static func text(_ random: inout Generator) -> String {
        (0..<Int.random(in: 0...4, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    static func value(_ random: inout Generator, depth: Int) -> Any {
        switch Int.random(in: 0...(depth > 2 ? 3 : 9), using: &random) {
        case 0: return text(&random)
        case 1: return Bool.random(using: &random)
        case 2: return [-1, 0, 1, 2, 10, 12345, Int.max, Int.min].randomElement(using: &random)!
        case 3: return NSNull()
        case 4: return (0..<Int.random(in: 0...3, using: &random)).map { _ in text(&random) }
        case 5: return (0..<Int.random(in: 0...3, using: &random)).map { _ in value(&random, depth: depth + 1) }
        case 6:
            var object: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...3, using: &random) { object[text(&random)] = text(&random) }
            return object
        case 7:
            var object: [String: Int] = [:]
            for _ in 0..<Int.random(in: 0...3, using: &random) { object[text(&random)] = Int.random(in: -5...5, using: &random) }
            return object
        default:
            var object: [String: Any] = [:]
            for _ in 0..<Int.random(in: 0...6, using: &random) { object[text(&random)] = value(&random, depth: depth + 1) }
            return object
        }
    }

    @Test func randomDocumentsAreWrittenExactlyAsJSONSerializationWritesThem() {
        var random = Generator(seed: 20_261_201)
        for round in 0..<2_000 {
            let document: Any = Bool.random(using: &random)
                ? (0..<Int.random(in: 0...4, using: &random)).map { _ in Self.value(&random, depth: 1) }
                : { () -> [String: Any] in
                    var object: [String: Any] = [:]
                    for _ in 0..<Int.random(in: 0...8, using: &random) { object[Self.text(&random)] = Self.value(&random, depth: 1) }
                    return object
                }()
            #expect(JSONText.pretty(document) == Self.foundation(document), "round \(round)")
        }
    }

    @Test func listingsOfRecordsKeepTheirBytes() {
        let objects: [[String: Any]] = [
            ["key": "aws", "kinds": ["cloud_provider"], "legal_name": "Amazon Web Services, Inc.", "aliases": [String](), "contacts": [[String: Any]]()],
            ["key": "sakura", "notes": "さくらインターネット株式会社\n\"quoted\" / path", "risk_tier": "medium", "active": true, "retention_years": 5],
        ]
        #expect(JSONText.pretty(objects) == Self.foundation(objects))
        #expect(JSONText.pretty([Any]()) == Self.foundation([Any]()))
        #expect(JSONText.pretty([String: Any]()) == Self.foundation([String: Any]()))
    }
}
