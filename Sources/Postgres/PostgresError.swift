/// Everything that can go wrong talking to PostgreSQL, as a value.
///
/// `description` is safe to show to a person: it never contains parameter values.
/// Server fields (SQLSTATE, detail, constraint …) are kept for callers that map a
/// violation to a friendly message.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// The server could not be reached or refused the connection.
        case connection
        /// The server rejected a statement.
        case server
        /// A value in a result could not be decoded as the requested Swift type.
        case decoding
        /// The connection pool was shut down or the client misused the API.
        case client
    }

    public var kind: Kind
    public var message: String
    /// Five-character SQLSTATE, e.g. `23505` for a unique violation.
    public var sqlState: String?
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    public var table: String?
    public var column: String?

    public init(
        kind: Kind, message: String, sqlState: String? = nil, detail: String? = nil,
        hint: String? = nil, constraint: String? = nil, table: String? = nil, column: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    public var description: String {
        switch kind {
        case .server:
            var text = message
            if let sqlState { text += " (SQLSTATE \(sqlState))" }
            return text
        default:
            return message
        }
    }

    /// Well-known SQLSTATE codes the application reacts to.
    public enum Code {
        public static let uniqueViolation = "23505"
        public static let foreignKeyViolation = "23503"
        public static let checkViolation = "23514"
        public static let notNullViolation = "23502"
        public static let exclusionViolation = "23P01"
        public static let insufficientPrivilege = "42501"
        public static let raiseException = "P0001"
        public static let stringDataRightTruncation = "22001"
        public static let characterNotInRepertoire = "22021"
    }

    public var isUniqueViolation: Bool { sqlState == Code.uniqueViolation }
    public var isIntegrityViolation: Bool { sqlState?.hasPrefix("23") ?? false }
}
