import Foundation
import Postgres
import TestSupport
import Testing

/// Every supported Swift type goes into a real table as a bound parameter and comes back equal.
@Suite("Value round trips")
struct ValueRoundTripTests {
    struct Payload: Codable, Equatable, Sendable {
        struct Contact: Codable, Equatable, Sendable {
            var email: String
            var phones: [String]
        }
        var name: String
        var count: Int
        var ratio: Double
        var active: Bool
        var tags: [String]
        var contact: Contact?
    }

    static let createSample = """
        CREATE TABLE sample (
            id  serial PRIMARY KEY,
            i8  int8, i4 int4, f8 float8, b bool, t text,
            ts  timestamptz, d date, u uuid, arr text[], j json, jb jsonb
        )
        """

    /// Inserts one value into `column` as parameter `$1` and returns the row read back.
    static func roundTrip(_ value: (any PostgresEncodable)?, column: String, on connection: Connection) throws -> Row {
        let id = try #require(
            try connection.query("INSERT INTO sample (\(column)) VALUES ($1) RETURNING id", [value]).first?
                .decode(Int.self, "id"))
        return try #require(try connection.query("SELECT * FROM sample WHERE id = $1", [id]).first)
    }

    @Test("Int, Int64 and Int32 survive a round trip at their extremes")
    func integers() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript(Self.createSample)

            for value in [0, 1, -1, 42, Int.max, Int.min] {
                let row = try Self.roundTrip(value, column: "i8", on: connection)
                #expect(try row.decode(Int.self, "i8") == value)
                #expect(row.text("i8") == String(value))
            }
            for value: Int64 in [0, -9_007_199_254_740_993, .max, .min] {
                let row = try Self.roundTrip(value, column: "i8", on: connection)
                #expect(try row.decode(Int64.self, "i8") == value)
            }
            for value: Int32 in [0, -7, .max, .min] {
                let row = try Self.roundTrip(value, column: "i4", on: connection)
                #expect(try row.decode(Int32.self, "i4") == value)
            }
        }
    }

    @Test("Double survives exactly, including NaN and both infinities")
    func doubles() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript(Self.createSample)

            let finite: [Double] = [0, -0.0, 0.1, 1.0 / 3.0, -2.5e-300, .greatestFiniteMagnitude, .leastNonzeroMagnitude, 6.02214076e23]
            for value in finite {
                let row = try Self.roundTrip(value, column: "f8", on: connection)
                #expect(try row.decode(Double.self, "f8") == value)
            }
            let nan = try Self.roundTrip(Double.nan, column: "f8", on: connection)
            #expect(try nan.decode(Double.self, "f8").isNaN)
            #expect(nan.text("f8") == "NaN")

            let positive = try Self.roundTrip(Double.infinity, column: "f8", on: connection)
            #expect(try positive.decode(Double.self, "f8") == .infinity)
            let negative = try Self.roundTrip(-Double.infinity, column: "f8", on: connection)
            #expect(try negative.decode(Double.self, "f8") == -.infinity)
            // The server agrees on what it stored, not only our own decoder.
            let checks = try connection.query(
                "SELECT $1::float8 = 'Infinity'::float8 AS pos, $2::float8 = '-Infinity'::float8 AS neg, $3::float8 = 'NaN'::float8 AS nan",
                [Double.infinity, -Double.infinity, Double.nan])
            let row = try #require(checks.first)
            #expect(try row.decode(Bool.self, "pos"))
            #expect(try row.decode(Bool.self, "neg"))
            #expect(try row.decode(Bool.self, "nan"))
        }
    }

    @Test("Bool survives a round trip")
    func booleans() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript(Self.createSample)

            for value in [true, false] {
                let row = try Self.roundTrip(value, column: "b", on: connection)
                #expect(try row.decode(Bool.self, "b") == value)
            }
            let count = try connection.query("SELECT count(*) AS n FROM sample WHERE b").first?.decode(Int.self, "n")
            #expect(count == 1)
        }
    }

    @Test("String survives a round trip: Japanese, emoji, quotes, backslashes, newlines")
    func strings() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript(Self.createSample)

            let values = [
                "株式会社ASSIGN", "東京都渋谷区 〒150-0002", "👨‍👩‍👧‍👦 family 🇯🇵", "it's \"quoted\"", #"C:\path\to\file"#,
                "line one\nline two\ttab", "", "   padded   ", "NULL",
            ]
            for value in values {
                let row = try Self.roundTrip(value, column: "t", on: connection)
                #expect(try row.decode(String.self, "t") == value)
            }
            // The server sees characters, not bytes: 株式会社ASSIGN is 10 characters.
            let length = try connection.query("SELECT char_length($1) AS n", ["株式会社ASSIGN"]).first?.decode(Int.self, "n")
            #expect(length == 10)
            let emojiLength = try connection.query("SELECT char_length($1) AS n", ["🇯🇵"]).first?.decode(Int.self, "n")
            #expect(emojiLength == 2)
        }
    }

    @Test("Date survives a round trip through timestamptz with microsecond precision")
    func timestamps() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript(Self.createSample)

            let cases: [(seconds: Double, serverText: String)] = [
                (1_700_000_000.123456, "2023-11-14 22:13:20.123456+00"),
                (1_700_000_000.000001, "2023-11-14 22:13:20.000001+00"),
                (0, "1970-01-01 00:00:00+00"),
                (-0.5, "1969-12-31 23:59:59.5+00"),
                (951_782_400, "2000-02-29 00:00:00+00"),
                // A fraction that rounds up to the next whole second.
                (1_700_000_000.9999997, "2023-11-14 22:13:21+00"),
            ]
            for (seconds, serverText) in cases {
                let date = Date(timeIntervalSince1970: seconds)
                let row = try Self.roundTrip(date, column: "ts", on: connection)
                #expect(row.text("ts") == serverText, "stored value for \(seconds)")
                let decoded = try row.decode(Date.self, "ts")
                let expectedMicros = (seconds * 1_000_000).rounded()
                #expect(
                    (decoded.timeIntervalSince1970 * 1_000_000).rounded() == expectedMicros,
                    "decoded \(decoded.timeIntervalSince1970) for \(seconds)")
            }
            // Values the server produces (not only ones we sent) decode too.
            let serverMade = try #require(
                try connection.query("SELECT '2024-07-01 09:30:00.654321+09'::timestamptz AS at").first)
            #expect(try serverMade.decode(Date.self, "at") == Date(timeIntervalSince1970: 1_719_793_800.654321))
        }
    }

    @Test("Date survives a round trip through a date column as midnight UTC")
    func dates() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript(Self.createSample)

            let leapDay = try #require(Calendar(identifier: .gregorian).date(from: DateComponents(
                timeZone: TimeZone(identifier: "UTC"), year: 2024, month: 2, day: 29)))
            let row = try Self.roundTrip(leapDay, column: "d", on: connection)
            #expect(row.text("d") == "2024-02-29")
            #expect(try row.decode(Date.self, "d") == leapDay)

            // A time late in the UTC day keeps its UTC calendar day.
            let lateEvening = leapDay.addingTimeInterval(23 * 3600 + 59 * 60)
            let late = try Self.roundTrip(lateEvening, column: "d", on: connection)
            #expect(late.text("d") == "2024-02-29")

            let ancient = try #require(try connection.query("SELECT '1900-01-01'::date AS d").first)
            #expect(try ancient.decode(Date.self, "d") == Date(timeIntervalSince1970: -2_208_988_800))
        }
    }

    @Test("UUID survives a round trip")
    func uuids() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript(Self.createSample)

            for value in [UUID(), UUID(), UUID(uuidString: "00000000-0000-0000-0000-000000000000")!] {
                let row = try Self.roundTrip(value, column: "u", on: connection)
                #expect(try row.decode(UUID.self, "u") == value)
                #expect(row.text("u") == value.uuidString.lowercased())
            }
            let generated = try #require(try connection.query("SELECT gen_random_uuid() AS u, gen_random_uuid()::text AS s").first)
            #expect(try generated.decode(UUID.self, "u").uuidString.lowercased() == generated.text("u"))
            #expect(try generated.decode(UUID.self, "s").uuidString.lowercased() == generated.text("s"))
        }
    }

    @Test("text[] survives a round trip with quotes, backslashes, commas, braces and spaces")
    func textArrays() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript(Self.createSample)

            let tricky = [
                "plain", #"she said "hi""#, #"back\slash"#, #"\"#, "a,b", "{braces}", "  spaced  ", "", "NULL", "null",
                "株式会社ASSIGN", "🎉", "new\nline",
            ]
            for value in [tricky, [], ["single"]] {
                let row = try Self.roundTrip(value, column: "arr", on: connection)
                #expect(try row.decode([String].self, "arr") == value)
            }
            // The server sees the same elements: cardinality and membership agree.
            let server = try #require(
                try connection.query(
                    "SELECT cardinality($1::text[]) AS n, $2 = ANY($1::text[]) AS has_quote, 'a' = ANY($1::text[]) AS has_a",
                    [tricky, #"she said "hi""#]).first)
            #expect(try server.decode(Int.self, "n") == tricky.count)
            #expect(try server.decode(Bool.self, "has_quote"))
            #expect(try server.decode(Bool.self, "has_a") == false)
        }
    }

    @Test("JSON decodes into a Codable struct from json and jsonb", arguments: ["j", "jb"])
    func json(column: String) async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript(Self.createSample)

            let payload = Payload(
                name: "株式会社ASSIGN \"本社\"", count: 3, ratio: 0.25, active: true, tags: ["a,b", #"c\d"#, "🎉"],
                contact: .init(email: "dpo@example.jp", phones: ["+81-3-0000-0000"]))
            let row = try Self.roundTrip(PostgresJSON(payload), column: column, on: connection)
            #expect(try row.decode(PostgresJSON<Payload>.self, column).value == payload)

            // The server parsed real JSON, not a string.
            let name = try connection.query("SELECT \(column) ->> 'name' AS name FROM sample").first?.decode(String.self, "name")
            #expect(name == payload.name)

            let withoutContact = Payload(name: "x", count: 0, ratio: -1, active: false, tags: [], contact: nil)
            let second = try Self.roundTrip(PostgresJSON(withoutContact), column: column, on: connection)
            #expect(try second.decode(PostgresJSON<Payload>.self, column).value == withoutContact)
        }
    }

    @Test("SQL NULL decodes as nil for every optional type")
    func nullsDecodeAsNil() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript(Self.createSample)

            try connection.query(
                "INSERT INTO sample (i8, i4, f8, b, t, ts, d, u, arr, j, jb) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                [nil, nil, nil, Bool?.none, String?.none, nil, nil, nil, nil, nil, nil])
            let row = try #require(try connection.query("SELECT *, i8 AS i8_again FROM sample").first)

            #expect(try row.decode(Int?.self, "i8") == nil)
            #expect(try row.decode(Int64?.self, "i8_again") == nil)
            #expect(try row.decode(Int32?.self, "i4") == nil)
            #expect(try row.decode(Double?.self, "f8") == nil)
            #expect(try row.decode(Bool?.self, "b") == nil)
            #expect(try row.decode(String?.self, "t") == nil)
            #expect(try row.decode(Date?.self, "ts") == nil)
            #expect(try row.decode(Date?.self, "d") == nil)
            #expect(try row.decode(UUID?.self, "u") == nil)
            #expect(try row.decode([String]?.self, "arr") == nil)
            #expect(try row.decode(PostgresJSON<Payload>?.self, "j") == nil)
            #expect(try row.decode(PostgresJSON<Payload>?.self, "jb") == nil)
            // Raw text of NULL is nil, not "" (an empty string is a value).
            #expect(row.text("t") == nil)
        }
    }

    @Test("Optional types decode present values")
    func optionalsDecodeValues() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            let row = try #require(
                try connection.query("SELECT 7::int8 AS i, 'x'::text AS t, ''::text AS empty, true AS b").first)
            #expect(try row.decode(Int?.self, "i") == 7)
            #expect(try row.decode(String?.self, "t") == "x")
            #expect(try row.decode(String?.self, "empty") == "")
            #expect(try row.decode(Bool?.self, "b") == true)
            // Optional binding of a present value sends the value, not NULL.
            let bound = try #require(try connection.query("SELECT $1::int8 IS NULL AS isnull", [Int?.some(5)]).first)
            #expect(try bound.decode(Bool.self, "isnull") == false)
        }
    }

    /// Expects decoding the NULL in `column` as non-optional `T` to throw a decoding error naming the column.
    static func expectNullRefused<T: PostgresDecodable>(
        _ type: T.Type, _ column: String, in row: Row, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = #expect(throws: PostgresError.self, sourceLocation: sourceLocation) { try row.decode(T.self, column) }
        #expect(error?.kind == .decoding, sourceLocation: sourceLocation)
        #expect(error?.column == column, sourceLocation: sourceLocation)
        #expect(error?.message.contains("'\(column)'") == true, "\(error?.message ?? "")", sourceLocation: sourceLocation)
        #expect(error?.message.contains("NULL") == true, sourceLocation: sourceLocation)
    }

    @Test("Decoding NULL as a non-optional type throws a decoding error naming the column")
    func nullIntoNonOptionalThrows() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            let row = try #require(
                try connection.query(
                    """
                    SELECT NULL::int8 AS count_col, NULL::int4 AS small_col, NULL::float8 AS ratio_col,
                           NULL::bool AS flag_col, NULL::text AS name_col, NULL::timestamptz AS at_col,
                           NULL::uuid AS id_col, NULL::text[] AS tags_col, NULL::jsonb AS doc_col
                    """
                ).first)
            Self.expectNullRefused(Int.self, "count_col", in: row)
            Self.expectNullRefused(Int64.self, "count_col", in: row)
            Self.expectNullRefused(Int32.self, "small_col", in: row)
            Self.expectNullRefused(Double.self, "ratio_col", in: row)
            Self.expectNullRefused(Bool.self, "flag_col", in: row)
            Self.expectNullRefused(String.self, "name_col", in: row)
            Self.expectNullRefused(Date.self, "at_col", in: row)
            Self.expectNullRefused(UUID.self, "id_col", in: row)
            Self.expectNullRefused([String].self, "tags_col", in: row)
            Self.expectNullRefused(PostgresJSON<Payload>.self, "doc_col", in: row)
        }
    }

    @Test("Decoding a text column as Int throws naming the column and both types")
    func textAsIntThrows() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            let row = try #require(try connection.query("SELECT 'twelve'::text AS quantity").first)

            let error = try #require(throws: PostgresError.self) { try row.decode(Int.self, "quantity") }
            #expect(error.kind == .decoding)
            #expect(error.column == "quantity")
            #expect(error.message.contains("'quantity'"), "\(error.message)")
            #expect(error.message.contains("text"), "\(error.message)")
            #expect(error.message.contains("Int"), "\(error.message)")
        }
    }

    @Test("Mismatched types are refused rather than coerced")
    func mismatchedTypesThrow() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            let row = try #require(
                try connection.query(
                    "SELECT 3000000000::int8 AS big, 'yes'::text AS word, 1.5::float8 AS ratio, 'x'::text AS label, '{}'::jsonb AS doc"
                ).first)

            let overflow = try #require(throws: PostgresError.self) { try row.decode(Int32.self, "big") }
            #expect(overflow.message.contains("int8") && overflow.message.contains("Int32"), "\(overflow.message)")
            #expect(throws: PostgresError.self) { try row.decode(Bool.self, "word") }
            #expect(throws: PostgresError.self) { try row.decode(Int.self, "ratio") }
            #expect(throws: PostgresError.self) { try row.decode(UUID.self, "label") }
            #expect(throws: PostgresError.self) { try row.decode(PostgresJSON<Payload>.self, "doc") }
            let missing = try #require(throws: PostgresError.self) { try row.decode(Int.self, "nope") }
            #expect(missing.kind == .decoding)
            #expect(missing.message.contains("'nope'"))
        }
    }
}
