/// A field value of a registry record, independent of where it came from (YAML, CSV,
/// a command-line option, the database) or where it goes.
public indirect enum Value: Hashable, Sendable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case list([String])
    /// A nested map such as an entrustment's `contract`.
    case object(Record)
    /// A nested list of maps such as an assessment's `answers`.
    case records([Record])

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var list: [String]? {
        if case .list(let value) = self { return value }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    public var object: Record? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var records: [Record]? {
        if case .records(let value) = self { return value }
        return nil
    }

    /// Empty strings, lists and objects count as absent, so `aliases: []` and no
    /// `aliases` mean the same and export omits both.
    public var isEmpty: Bool {
        switch self {
        case .string(let value): return value.isEmpty
        case .list(let value): return value.isEmpty
        case .records(let value): return value.isEmpty
        case .object(let value): return value.values.isEmpty
        case .bool, .int: return false
        }
    }
}

/// One registry record (or nested part of one) as named fields.
///
/// `location` and `fieldLocations` say where it was read from, for error messages; they
/// do not take part in equality.
public struct Record: Hashable, Sendable {
    public var values: [String: Value]
    public var location: String?
    public var fieldLocations: [String: String]

    public init(_ values: [String: Value] = [:], location: String? = nil, fieldLocations: [String: String] = [:]) {
        self.values = values.filter { !$0.value.isEmpty }
        self.location = location
        self.fieldLocations = fieldLocations
    }

    public subscript(field: String) -> Value? {
        get { values[field] }
        set {
            if let newValue, !newValue.isEmpty { values[field] = newValue } else { values[field] = nil }
        }
    }

    public func string(_ field: String) -> String? { values[field]?.string }
    public func list(_ field: String) -> [String] { values[field]?.list ?? [] }
    public func bool(_ field: String) -> Bool? { values[field]?.bool }
    public func int(_ field: String) -> Int? { values[field]?.int }
    public func day(_ field: String) -> Day? { string(field).flatMap(Day.init) }
    public func object(_ field: String) -> Record? { values[field]?.object }
    public func records(_ field: String) -> [Record] { values[field]?.records ?? [] }

    public var key: String? { string("key") }

    /// Where `field` came from, falling back to the record's own location.
    public func location(of field: String) -> String? { fieldLocations[field] ?? location }

    public static func == (lhs: Record, rhs: Record) -> Bool { lhs.values == rhs.values }
    public func hash(into hasher: inout Hasher) { hasher.combine(values) }
}
