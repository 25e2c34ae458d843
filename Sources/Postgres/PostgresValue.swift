import Foundation

/// A Swift value that can be sent to PostgreSQL as a bound parameter (text format).
///
/// There is deliberately no way to splice a value into SQL text: every value
/// travels separately through `PQexecParams`, so quoting bugs cannot become injection.
public protocol PostgresEncodable {
    /// The PostgreSQL text representation, or `nil` for SQL NULL.
    var postgresText: String? { get }
}

/// A Swift type that can be built from a PostgreSQL text-format value.
public protocol PostgresDecodable {
    /// Builds the value, or returns `nil` when `text` is not a valid representation.
    static func decode(postgresText text: String, type: PostgresType) -> Self?
}

/// A column type as reported by the server (its OID), with a readable name for errors.
public struct PostgresType: Hashable, Sendable, CustomStringConvertible {
    public let oid: UInt32
    public init(oid: UInt32) { self.oid = oid }

    public static let bool = PostgresType(oid: 16)
    public static let int8 = PostgresType(oid: 20)
    public static let int2 = PostgresType(oid: 21)
    public static let int4 = PostgresType(oid: 23)
    public static let text = PostgresType(oid: 25)
    public static let json = PostgresType(oid: 114)
    public static let float4 = PostgresType(oid: 700)
    public static let float8 = PostgresType(oid: 701)
    public static let bpchar = PostgresType(oid: 1042)
    public static let varchar = PostgresType(oid: 1043)
    public static let date = PostgresType(oid: 1082)
    public static let timestamp = PostgresType(oid: 1114)
    public static let timestamptz = PostgresType(oid: 1184)
    public static let numeric = PostgresType(oid: 1700)
    public static let uuid = PostgresType(oid: 2950)
    public static let jsonb = PostgresType(oid: 3802)
    public static let textArray = PostgresType(oid: 1009)
    public static let bpcharArray = PostgresType(oid: 1014)
    public static let varcharArray = PostgresType(oid: 1015)

    private static let names: [UInt32: String] = [
        16: "bool", 18: "char", 19: "name", 20: "int8", 21: "int2", 23: "int4", 25: "text", 26: "oid",
        114: "json", 700: "float4", 701: "float8", 1042: "bpchar", 1043: "varchar", 1082: "date",
        1114: "timestamp", 1184: "timestamptz", 1700: "numeric", 2950: "uuid", 3802: "jsonb",
        1009: "text[]", 1014: "bpchar[]", 1015: "varchar[]", 1016: "int8[]", 1007: "int4[]",
    ]

    public var description: String { Self.names[oid] ?? "oid \(oid)" }

    var isTextual: Bool { [25, 1042, 1043, 19, 18, 114, 3802].contains(oid) }
    var isInteger: Bool { [20, 21, 23, 26].contains(oid) }
}

// MARK: - Scalars

extension String: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { self }
    public static func decode(postgresText text: String, type: PostgresType) -> String? { text }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public static func decode(postgresText text: String, type: PostgresType) -> Int? {
        type.isInteger || type.isTextual || type == .numeric ? Int(text) : nil
    }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public static func decode(postgresText text: String, type: PostgresType) -> Int64? {
        type.isInteger || type.isTextual || type == .numeric ? Int64(text) : nil
    }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public static func decode(postgresText text: String, type: PostgresType) -> Int32? {
        type.isInteger || type.isTextual ? Int32(text) : nil
    }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return String(self)
    }
    public static func decode(postgresText text: String, type: PostgresType) -> Double? {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(text)
        }
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { self ? "t" : "f" }
    public static func decode(postgresText text: String, type: PostgresType) -> Bool? {
        guard type == .bool || type.isTextual else { return nil }
        switch text {
        case "t", "true": return true
        case "f", "false": return false
        default: return nil
        }
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { uuidString.lowercased() }
    public static func decode(postgresText text: String, type: PostgresType) -> UUID? {
        UUID(uuidString: text)
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresText: String? { self.flatMap { $0.postgresText } }
}

// MARK: - Dates

extension Date: PostgresEncodable, PostgresDecodable {
    /// Sent as an ISO 8601 instant in UTC with microseconds, which both
    /// `timestamptz` and `timestamp` parameters accept.
    public var postgresText: String? {
        let seconds = timeIntervalSince1970
        var whole = seconds.rounded(.down)
        var micros = Int(((seconds - whole) * 1_000_000).rounded())
        if micros == 1_000_000 {  // x.9999995… rounds up to the next second, not to ".1000000"
            whole += 1
            micros = 0
        }
        let components = Calendar.utc.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: whole))
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", components.year!, components.month!, components.day!,
            components.hour!, components.minute!, components.second!, micros)
    }

    /// Decodes `timestamptz` (session time zone is UTC, DateStyle ISO), `timestamp` (taken as UTC)
    /// and `date` (midnight UTC).
    public static func decode(postgresText text: String, type: PostgresType) -> Date? {
        guard type == .timestamptz || type == .timestamp || type == .date || type.isTextual else { return nil }
        return PostgresDateParser.parse(text)
    }
}

extension Calendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

enum PostgresDateParser {
    /// Parses `YYYY-MM-DD[ HH:MM:SS[.ffffff]][+HH[:MM]]` as printed with DateStyle ISO.
    static func parse(_ text: String) -> Date? {
        let scalars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count else { return nil }
            var value = 0
            for index in range {
                let digit = Int(scalars[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard scalars.count >= 10, let year = number(0..<4), scalars[4] == 45, let month = number(5..<7),
            scalars[7] == 45, let day = number(8..<10)
        else { return nil }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var index = 10
        var fraction = 0.0
        var offsetSeconds = 0
        if index < scalars.count, scalars[index] == 32 || scalars[index] == 84 {  // ' ' or 'T'
            guard let hour = number(index + 1..<index + 3), let minute = number(index + 4..<index + 6),
                let second = number(index + 7..<index + 9)
            else { return nil }
            components.hour = hour
            components.minute = minute
            components.second = second
            index += 9
            if index < scalars.count, scalars[index] == 46 {  // '.'
                index += 1
                var scale = 0.1
                while index < scalars.count, (48...57).contains(scalars[index]) {
                    fraction += Double(scalars[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
            }
            if index < scalars.count, scalars[index] == 43 || scalars[index] == 45 {  // '+' or '-'
                let sign = scalars[index] == 45 ? -1 : 1
                guard let hours = number(index + 1..<index + 3) else { return nil }
                var minutes = 0
                if index + 3 < scalars.count, scalars[index + 3] == 58, let parsed = number(index + 4..<index + 6) {
                    minutes = parsed
                }
                offsetSeconds = sign * (hours * 3600 + minutes * 60)
            } else if index < scalars.count, scalars[index] == 90 {  // 'Z'
                offsetSeconds = 0
            }
        }
        guard let base = Calendar.utc.date(from: components) else { return nil }
        return base.addingTimeInterval(fraction - Double(offsetSeconds))
    }
}

// MARK: - Arrays

extension Array: PostgresEncodable where Element == String {
    /// A PostgreSQL array literal with every element quoted; bind it and compare with `= ANY($1)`.
    public var postgresText: String? {
        "{" + map { element in
            var escaped = "\""
            for character in element {
                if character == "\"" || character == "\\" { escaped.append("\\") }
                escaped.append(character)
            }
            return escaped + "\""
        }.joined(separator: ",") + "}"
    }
}

extension Array: PostgresDecodable where Element == String {
    public static func decode(postgresText text: String, type: PostgresType) -> [String]? {
        guard [PostgresType.textArray, .varcharArray, .bpcharArray].contains(type) || type.oid == 1016
            || type.oid == 1007
        else { return nil }
        return PostgresArrayParser.parse(text)?.map { $0 ?? "" }
    }
}

enum PostgresArrayParser {
    /// Parses a one-dimensional array literal such as `{a,"b c",NULL}`.
    static func parse(_ text: String) -> [String?]? {
        var characters = Array(text)
        guard characters.first == "{", characters.last == "}" else { return nil }
        characters = Array(characters.dropFirst().dropLast())
        if characters.isEmpty { return [] }
        var result: [String?] = []
        var index = 0
        while index <= characters.count {
            if index < characters.count, characters[index] == "\"" {
                var element = ""
                index += 1
                while index < characters.count, characters[index] != "\"" {
                    if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                    element.append(characters[index])
                    index += 1
                }
                index += 1  // closing quote
                result.append(element)
            } else {
                var element = ""
                while index < characters.count, characters[index] != "," {
                    element.append(characters[index])
                    index += 1
                }
                result.append(element == "NULL" ? nil : element)
            }
            guard index >= characters.count || characters[index] == "," else { return nil }
            index += 1
        }
        return result
    }
}

// MARK: - JSON

/// Wraps a `Codable` value so it is bound as JSON text (for `json`/`jsonb` parameters)
/// and decoded from a JSON column.
public struct PostgresJSON<Value: Codable>: PostgresEncodable, PostgresDecodable {
    public var value: Value
    public init(_ value: Value) { self.value = value }

    public var postgresText: String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    public static func decode(postgresText text: String, type: PostgresType) -> PostgresJSON<Value>? {
        guard type == .json || type == .jsonb || type.isTextual else { return nil }
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(text.utf8)) else { return nil }
        return PostgresJSON(value)
    }
}
