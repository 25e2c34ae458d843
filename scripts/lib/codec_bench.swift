// The `codecs` part of scripts/bench (scripts/lib/codec_bench.py compiles this file with the
// codecs it compares; docs/benchmarks.md): each hand-written JSON codec Domicile has or had
// beside Codable doing the same work, on documents of the shapes Domicile writes and reads,
// in the same process. Prints one line per measure:
//   MEASURE <tab> CODABLE_SECONDS <tab> HAND_WRITTEN_SECONDS <tab> CHECK
// (medians of RUNS runs of each, the two run in turn; CHECK is "same" when both produced the same value).
import Foundation

let arguments = CommandLine.arguments
let scale = Double(arguments[1]) ?? 1
let runs = Int(arguments[2]) ?? 3

/// The median times of `codable` and `hand`, run in turn (A B A B …) so that both meet the
/// same moments of a shared machine.
func medians(_ codable: () -> Void, _ hand: () -> Void) -> (Double, Double) {
    func timed(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
    var a: [Double] = [], b: [Double] = []
    for _ in 0..<max(runs, 1) {
        a.append(timed(codable))
        b.append(timed(hand))
    }
    return (a.sorted()[a.count / 2], b.sorted()[b.count / 2])
}

struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

// MARK: 1. listings: JSONEncoder (typed values, as RecordOutput) against JSONText ([String: Any])

enum Cell: Encodable {
    case text(String), flag(Bool), number(Int), list([String]), objects([[(String, Cell)]])

    var any: Any {
        switch self {
        case .text(let text): return text
        case .flag(let flag): return flag
        case .number(let number): return number
        case .list(let list): return list
        case .objects(let objects): return objects.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.0, $0.1.any) }) }
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .text(let text): var c = encoder.singleValueContainer(); try c.encode(text)
        case .flag(let flag): var c = encoder.singleValueContainer(); try c.encode(flag)
        case .number(let number): var c = encoder.singleValueContainer(); try c.encode(number)
        case .list(let list): try list.encode(to: encoder)
        case .objects(let objects): try objects.map(Row.init).encode(to: encoder)
        }
    }
}

/// A record as a listing writes it: named fields (RecordOutput's shape).
struct Row: Encodable {
    var fields: [(String, Cell)]
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in fields { try container.encode(value, forKey: Key(name)) }
    }
}

let vendorCount = max(Int(10_000 * scale), 10)
let vendors: [Row] = (0..<vendorCount).map { n in
    Row(fields: [
        ("key", .text("ven-\(n)")), ("legal_name", .text("Vendor \(n) 株式会社 / \"Ltd.\"")), ("headquarters", .text("JP")),
        ("kinds", .list(["cloud_provider", "entrustee"])), ("risk_tier", .text("medium")), ("website", .text("https://vendor\(n).example/")),
        ("trust_url", .text("https://vendor\(n).example/trust")), ("owner", .text("legal")), ("notes", .text("line one\nline two")),
        ("valid_from", .text("2020-04-01")), ("aliases", .list(["V\(n)"])), ("certifications", .list(["iso27001"])),
        ("contacts", .objects([[("name", .text("Aoi \(n)")), ("role", .text("DPO")), ("email", .text("dpo@vendor\(n).example"))]])),
    ])
}
var listingCodable = Data(), listingHand = ""
let listingEncoder = JSONEncoder()
listingEncoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
// From the same records each way: as typed values (RecordOutput wraps the record), or as the
// `[String: Any]` objects JSONText wrote (Listing.jsonObject built them from the record).
let (listingCodableTime, listingHandTime) = medians({ listingCodable = try! listingEncoder.encode(vendors) }, {
    let objects: [Any] = vendors.map { Dictionary(uniqueKeysWithValues: $0.fields.map { ($0.0, $0.1.any) }) }
    listingHand = JSONText.pretty(objects)
})
print("listing of \(vendorCount) vendors (write)\t\(listingCodableTime)\t\(listingHandTime)\t\(Array(listingCodable) == Array(listingHand.utf8) ? "same" : "DIFFERENT")")

// MARK: 2. nested lists as the read queries return them (json_agg): JSONDecoder against JSONFieldParser

let answerCount = max(Int(1_000_000 * scale), 160)
let perAssessment = 16
let documents: [String] = (0..<(answerCount / perAssessment)).map { a in
    "[" + (0..<perAssessment).map { i in
        "{\"item\" : \"ITEM-\(i)\", \"status\" : \"\(i % 3 == 0 ? "met" : "partial")\", \"evidence\" : \"doc/\(a)/\(i).pdf\", "
            + (i % 2 == 0 ? "\"note\" : \"checked 2026-0\(i % 9 + 1)-01 \\\"ok\\\"\", " : "")
            + "\"public_statement\" : \"Statement \(i) of assessment \(a)\"}"
    }.joined(separator: ", \n ") + "]"
}
var decodedCodable: [[[String: JSONField]]] = [], decodedHand: [[[String: JSONField]]] = []
let (readCodableTime, readHandTime) = medians(
    { decodedCodable = documents.map { try! JSONDecoder().decode([[String: JSONField]].self, from: Data($0.utf8)) } },
    { decodedHand = documents.map { JSONFieldParser.records($0)! } })
// For comparison: the same lists decoded by JSONDecoder into a typed struct per list
// (no JSONField: each member's type is known).
struct Answer: Decodable {
    var item, status: String
    var evidence, note, public_statement, public_statement_ja: String?
}
var typedAnswers: [[Answer]] = []
let (readTypedTime, readHandTime2) = medians(
    { typedAnswers = documents.map { try! JSONDecoder().decode([Answer].self, from: Data($0.utf8)) } },
    { decodedHand = documents.map { JSONFieldParser.records($0)! } })
func canonical(_ value: [[[String: JSONField]]]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try! encoder.encode(value), as: UTF8.self)
}
print("json_agg lists, \(documents.count * perAssessment) checklist answers (read)\t\(readCodableTime)\t\(readHandTime)\t\(canonical(decodedCodable) == canonical(decodedHand) ? "same" : "DIFFERENT")")
let typedSame = typedAnswers.count == decodedHand.count && zip(typedAnswers, decodedHand).allSatisfy { typed, hand in
    typed.count == hand.count && zip(typed, hand).allSatisfy { answer, fields in
        if case .string(let item)? = fields["item"], item == answer.item { return true }
        return false
    }
}
print("json_agg lists, \(documents.count * perAssessment) checklist answers, typed structs (read)\t\(readTypedTime)\t\(readHandTime2)\t\(typedSame ? "same" : "DIFFERENT")")

// MARK: 3. batch parameters of an import: JSONEncoder (BatchJSON: Encodable) against the hand-written writer

let residencyCount = max(Int(100_000 * scale), 500)
let batchRows: [[(String, OldBatchJSON)]] = (0..<residencyCount).map { n in
    ["key", "service", "vendor", "role", "country", "source", "verified_on", "asserted_by", "notes", "valid_from", "valid_to"].map {
        ($0, OldBatchJSON.string($0 == "valid_to" ? nil : "\($0) \(n) 日本 \"q\""))
    } + [("categories", .strings(["user.name", "user.contact.email"])), ("candidates", .strings([]))]
}
struct NewBatch: Encodable {
    var rows: [[(String, OldBatchJSON)]]
    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for row in rows { try container.encode(BatchObject(members: row)) }
    }
}
struct BatchObject: Encodable {
    var members: [(String, OldBatchJSON)]
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in members { try container.encode(BatchValue(value: value), forKey: Key(name)) }
    }
}
struct BatchValue: Encodable {
    var value: OldBatchJSON
    func encode(to encoder: any Encoder) throws {
        switch value {
        case .string(let text): var c = encoder.singleValueContainer(); try c.encode(text)
        case .int(let number): var c = encoder.singleValueContainer(); try c.encode(number)
        case .bool(let flag): var c = encoder.singleValueContainer(); try c.encode(flag)
        case .strings(let texts): try texts.encode(to: encoder)
        case .objects(let objects), .array(let objects): try NewBatch(rows: objects).encode(to: encoder)
        }
    }
}
let batches = stride(from: 0, to: batchRows.count, by: 500).map { Array(batchRows[$0..<min($0 + 500, batchRows.count)]) }
var batchCodable: [Data] = [], batchHand: [String] = []
let batchEncoder = JSONEncoder()
batchEncoder.outputFormatting = [.withoutEscapingSlashes]
let (batchCodableTime, batchHandTime) = medians(
    { batchCodable = batches.map { try! batchEncoder.encode(NewBatch(rows: $0)) } },
    { batchHand = batches.map { OldBatchJSON.array($0).postgresText! } })
let sameBatches = zip(batchCodable, batchHand).allSatisfy { codable, hand in
    (try? JSONSerialization.jsonObject(with: codable) as? NSArray) == (try? JSONSerialization.jsonObject(with: Data(hand.utf8)) as? NSArray)
}
print("import batches, \(residencyCount) residencies (write)\t\(batchCodableTime)\t\(batchHandTime)\t\(sameBatches ? "same" : "DIFFERENT")")
