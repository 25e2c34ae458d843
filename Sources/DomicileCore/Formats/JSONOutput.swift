import Foundation

/// How every JSON answer is written: listings, `where`, `diff` and `check`, on the command
/// line and through the API. Each is a typed `Encodable` value (`RecordOutput`, `RowOutput`,
/// `WhereOutput`, `DiffOutput`, `CheckOutput`) written by `JSONEncoder` with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` and a final newline.
///
/// Those bytes are the ones `JSONSerialization` wrote with the same options (and the
/// hand-written writer that replaced it for speed, until issue 14), which scripts already read:
/// two-space indentation, `"key" : value`, empty arrays and objects as `[\n\n]`, `/` and
/// non-ASCII text as they are, controls as `\n`, `\t`, … or `\u00xx`. One detail differs between
/// the two: `JSONEncoder` sorts keys by their UTF-8 bytes, `JSONSerialization` compared them
/// case-insensitively with numbers by value. For keys of lower-case ASCII letters and `_` the
/// two orders are the same; `JSONOutputTests` holds every key these values can write
/// (their `CodingKeys`, every entity field) to that, and Tests/Fixtures/json the whole bytes.
public enum JSONOutput {
    public static func text<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Strings, Bools, Ints and containers of them cannot fail to encode.
        let data = try! encoder.encode(value)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Every key the output types name themselves (their `CodingKeys`); the others are entity
    /// field names (`EntitySchema`) and table columns.
    public static var fixedKeys: [String] {
        func names<Key: CodingKey & CaseIterable>(_: Key.Type) -> [String] { Key.allCases.map(\.stringValue) }
        let keys = [
            names(WhereOutput.CodingKeys.self), names(WhereOutput.Filters.CodingKeys.self), names(WhereOutput.Row.CodingKeys.self),
            names(WhereOutput.Undisclosed.CodingKeys.self), names(WhereOutput.Provenance.CodingKeys.self),
            names(WhereOutput.Country.CodingKeys.self), names(WhereOutput.Country.Counts.CodingKeys.self),
            names(WhereOutput.Regime.CodingKeys.self), names(WhereOutput.Service.CodingKeys.self),
            names(WhereOutput.Service.Counts.CodingKeys.self), names(WhereOutput.Cycle.CodingKeys.self),
            names(DiffOutput.CodingKeys.self), names(DiffOutput.Change.CodingKeys.self), names(DiffOutput.Field.CodingKeys.self),
            names(CheckOutput.CodingKeys.self), names(CheckOutput.Summary.CodingKeys.self), names(CheckOutput.Finding.CodingKeys.self),
        ]
        return Array(Set(keys.joined())).sorted()
    }

    /// Whether `JSONEncoder`'s key order (UTF-8 bytes) is the order the answers have always had
    /// (`JSONSerialization`'s: case-insensitive, numbers by value) for these keys.
    public static func keepsKeyOrder(_ keys: [String]) -> Bool {
        let bytewise = keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let foundation = keys.sorted { a, b in
            a.compare(b, options: [.numeric, .caseInsensitive, .forcedOrdering], range: a.startIndex..<a.endIndex, locale: Locale(identifier: ""))
                == .orderedAscending
        }
        return bytewise == foundation
    }
}

/// A key named at run time: an entity's field names come from its `EntitySchema`, a table's
/// from its columns.
struct FieldKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// An optional written as `null` when absent, where the answer's shape promises the key
/// (a plain optional's key is left out by synthesized encoding).
@propertyWrapper
public struct NullWhenAbsent<Value: Encodable & Sendable>: Encodable, Sendable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}
