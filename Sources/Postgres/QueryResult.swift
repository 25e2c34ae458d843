/// The complete result of one statement, copied out of libpq so the `PGresult`
/// can be cleared at once (registry results are small; nothing streams).
public struct QueryResult: Sendable {
    public struct Column: Sendable, Hashable {
        public let name: String
        public let type: PostgresType
    }

    public let columns: [Column]
    public let rows: [Row]
    /// Rows affected by INSERT/UPDATE/DELETE (from `PQcmdTuples`), 0 otherwise.
    public let affectedRows: Int

    public var first: Row? { rows.first }
    public var isEmpty: Bool { rows.isEmpty }
}

/// One row of a `QueryResult`. Decode values by column name or position.
public struct Row: Sendable {
    let columns: [QueryResult.Column]
    let values: [String?]

    init(columns: [QueryResult.Column], values: [String?]) {
        self.columns = columns
        self.values = values
    }

    /// Decodes column `name` as `T`. Use an `Optional` type for nullable columns.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ name: String) throws(PostgresError) -> T {
        guard let index = columns.firstIndex(where: { $0.name == name }) else {
            throw PostgresError(
                kind: .decoding,
                message: "no column '\(name)' in result (columns: \(columns.map(\.name).joined(separator: ", ")))")
        }
        return try decode(type, at: index)
    }

    /// Decodes the value at `index` as `T`.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at index: Int) throws(PostgresError) -> T {
        guard columns.indices.contains(index) else {
            throw PostgresError(kind: .decoding, message: "no column at position \(index) (result has \(columns.count))")
        }
        let column = columns[index]
        guard let text = values[index] else {
            if let optional = T.self as? any OptionalDecodable.Type {
                // swift-format-ignore: NeverForceUnwrap
                return optional.nullValue as! T
            }
            throw PostgresError(
                kind: .decoding, message: "column '\(column.name)' is NULL but \(T.self) cannot hold NULL",
                column: column.name)
        }
        guard let value = T.decode(postgresText: text, type: column.type) else {
            throw PostgresError(
                kind: .decoding,
                message: "column '\(column.name)' of type \(column.type) cannot be decoded as \(T.self)",
                column: column.name)
        }
        return value
    }

    /// The raw text of a column, `nil` for NULL; for diagnostics and generic output.
    public func text(_ name: String) -> String? {
        guard let index = columns.firstIndex(where: { $0.name == name }) else { return nil }
        return values[index]
    }

    public var columnNames: [String] { columns.map(\.name) }
}

/// Lets `Row.decode` turn SQL NULL into `nil` for any optional type.
protocol OptionalDecodable {
    static var nullValue: Self { get }
}

extension Optional: OptionalDecodable {
    static var nullValue: Optional<Wrapped> { nil }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) -> Wrapped?? {
        guard let wrapped = Wrapped.decode(postgresText: text, type: type) else { return nil }
        return .some(wrapped)
    }
}
