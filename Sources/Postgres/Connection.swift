import CLibPQ
import Foundation

/// A single libpq connection.
///
/// Every call blocks the calling thread until the server answers. Use it directly
/// from a command-line program; from async code use `ConnectionPool`, which runs
/// these calls on a dedicated thread pool. A connection must not be used from two
/// threads at once (the pool guarantees this), which is why the `Sendable`
/// conformance is unchecked.
public final class Connection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var transactionDepth = 0

    /// Where this connection points, as `host:port` (for messages; never includes a password).
    public let endpoint: String

    /// Connects the way psql does: `conninfo` (a URL or `key=value` string) if given,
    /// else `DATABASE_URL`, else libpq's own `PG*` environment variables and defaults.
    public init(
        conninfo: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PostgresError) {
        let resolved = Self.resolveConninfo(conninfo, environment: environment)
        guard let handle = PQconnectdb(resolved) else {
            throw PostgresError(kind: .connection, message: "cannot connect to PostgreSQL: out of memory")
        }
        endpoint = Self.endpoint(of: handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            let cause = Self.firstLine(of: String(cString: PQerrorMessage(handle)))
            PQfinish(handle)
            throw PostgresError(kind: .connection, message: "cannot connect to PostgreSQL at \(endpoint): \(cause)")
        }
        self.handle = handle
        // Server notices ("relation already exists, skipping") are not errors; keep stderr clean.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        PQsetClientEncoding(handle, "UTF8")
        // Fixed session settings so text-format values decode the same everywhere.
        try unsafeExecuteScript("SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET IntervalStyle = 'iso_8601'")
    }

    deinit { close() }

    /// Finishes the connection. Safe to call more than once; the handle is finished exactly once.
    public func close() {
        if let handle {
            PQfinish(handle)
            self.handle = nil
        }
    }

    /// Round trips made so far: each `query` and each `unsafeExecuteScript` (for tests and
    /// the operator; a script of several statements counts once).
    public private(set) var roundTrips = 0

    /// Whether a `transaction` is open on this connection.
    public var isInTransaction: Bool { transactionDepth > 0 }

    /// `false` once closed or after the server connection was lost.
    public var isUsable: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// The conninfo string libpq is given: explicit, else `DATABASE_URL`, else empty (libpq defaults).
    public static func resolveConninfo(_ conninfo: String?, environment: [String: String]) -> String {
        if let conninfo, !conninfo.isEmpty { return conninfo }
        if let url = environment["DATABASE_URL"], !url.isEmpty { return url }
        return ""
    }

    /// Host and port a conninfo string resolves to, or `nil` when it cannot be parsed.
    /// An empty host means libpq's default Unix-domain socket.
    public static func parsedHost(of conninfo: String) -> (host: String?, port: String?)? {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var host: String?
        var port: String?
        var option = options
        while let keyword = option.pointee.keyword {
            let name = String(cString: keyword)
            if let value = option.pointee.val {
                if name == "host" || (name == "hostaddr" && host == nil) { host = String(cString: value) }
                if name == "port" { port = String(cString: value) }
            }
            option = option.advanced(by: 1)
        }
        return (host, port)
    }

    // MARK: Queries

    /// Runs one statement with its values bound as parameters (`$1`, `$2`, …).
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws(PostgresError)
        -> QueryResult
    {
        let handle = try liveHandle()
        let texts: [String?] = parameters.map { $0?.postgresText }
        // Values travel as C strings: a NUL would silently cut one short.
        if let index = texts.firstIndex(where: { $0?.utf8.contains(0) ?? false }) {
            throw PostgresError(kind: .client, message: "parameter $\(index + 1) contains a NUL character, which PostgreSQL text cannot hold")
        }
        let cStrings: [UnsafeMutablePointer<CChar>?] = texts.map { $0.flatMap { strdup($0) } }
        defer { cStrings.forEach { free($0) } }
        roundTrips += 1
        let result: OpaquePointer? = cStrings.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { values in
                PQexecParams(handle, sql, Int32(values.count), nil, values.baseAddress, nil, nil, 0)
            }
        }
        return try consume(result)
    }

    /// Runs SQL text with no parameters, possibly several statements (PQexec).
    ///
    /// Unsafe by name: only for fixed DDL such as migration files, never for text
    /// that contains a user's value.
    public func unsafeExecuteScript(_ sql: String) throws(PostgresError) {
        let handle = try liveHandle()
        roundTrips += 1
        _ = try consume(PQexec(handle, sql))
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    /// Nested calls use savepoints, so an inner failure undoes only the inner work.
    @discardableResult
    public func transaction<T>(_ body: (Connection) throws -> T) throws -> T {
        let depth = transactionDepth
        try unsafeExecuteScript(depth == 0 ? "BEGIN" : "SAVEPOINT domicile_\(depth)")
        transactionDepth = depth + 1
        // Restored exactly once, however the body or the COMMIT ends.
        defer { transactionDepth = depth }
        do {
            let value = try body(self)
            // A statement failed and the body swallowed the error: COMMIT would quietly roll back.
            if depth == 0, let handle, PQtransactionStatus(handle) == PQTRANS_INERROR {
                throw PostgresError(
                    kind: .server, message: "the transaction was aborted by an earlier error and was rolled back",
                    sqlState: "25P02")
            }
            try unsafeExecuteScript(depth == 0 ? "COMMIT" : "RELEASE SAVEPOINT domicile_\(depth)")
            return value
        } catch {
            if isUsable {
                try? unsafeExecuteScript(
                    depth == 0 ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT domicile_\(depth); RELEASE SAVEPOINT domicile_\(depth)")
            }
            throw error
        }
    }

    // MARK: Internals

    func liveHandle() throws(PostgresError) -> OpaquePointer {
        guard let handle else {
            throw PostgresError(kind: .client, message: "connection to \(endpoint) is closed")
        }
        if PQstatus(handle) != CONNECTION_OK {
            throw PostgresError(kind: .connection, message: "connection to PostgreSQL at \(endpoint) was lost")
        }
        return handle
    }

    /// Copies a result out and clears it exactly once, whatever happens.
    private func consume(_ result: OpaquePointer?) throws(PostgresError) -> QueryResult {
        guard let result else {
            let message = handle.map { Self.firstLine(of: String(cString: PQerrorMessage($0))) } ?? "no result"
            throw PostgresError(kind: isUsable ? .server : .connection, message: message)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            break
        default:
            throw Self.serverError(from: result, connectionLost: !isUsable, endpoint: endpoint)
        }
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var columns: [QueryResult.Column] = []
        columns.reserveCapacity(columnCount)
        for index in 0..<columnCount {
            columns.append(
                QueryResult.Column(
                    name: String(cString: PQfname(result, Int32(index))),
                    type: PostgresType(oid: PQftype(result, Int32(index)))))
        }
        var rows: [Row] = []
        rows.reserveCapacity(rowCount)
        for rowIndex in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for columnIndex in 0..<columnCount {
                if PQgetisnull(result, Int32(rowIndex), Int32(columnIndex)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(rowIndex), Int32(columnIndex))))
                }
            }
            rows.append(Row(columns: columns, values: values))
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return QueryResult(columns: columns, rows: rows, affectedRows: affected)
    }

    private static func serverError(from result: OpaquePointer, connectionLost: Bool, endpoint: String)
        -> PostgresError
    {
        func field(_ code: Int32) -> String? {
            guard let pointer = PQresultErrorField(result, code) else { return nil }
            return String(cString: pointer)
        }
        let primary = field(Int32(UInt8(ascii: "M"))) ?? firstLine(of: String(cString: PQresultErrorMessage(result)))
        if connectionLost {
            return PostgresError(kind: .connection, message: "connection to PostgreSQL at \(endpoint) was lost: \(primary)")
        }
        return PostgresError(
            kind: .server,
            message: primary,
            sqlState: field(Int32(UInt8(ascii: "C"))),
            detail: field(Int32(UInt8(ascii: "D"))),
            hint: field(Int32(UInt8(ascii: "H"))),
            constraint: field(Int32(UInt8(ascii: "n"))),
            table: field(Int32(UInt8(ascii: "t"))),
            column: field(Int32(UInt8(ascii: "c"))))
    }

    private static func endpoint(of handle: OpaquePointer) -> String {
        let host = PQhost(handle).map { String(cString: $0) } ?? ""
        let port = PQport(handle).map { String(cString: $0) } ?? ""
        let shownHost = host.isEmpty ? "local socket" : host
        return port.isEmpty ? shownHost : "\(shownHost):\(port)"
    }

    /// libpq's messages span lines ("connection to server at … failed: Connection refused\n\tIs the
    /// server running…"); keep the cause, on one line.
    static func firstLine(of message: String) -> String {
        let line = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? message
        var cause = line.trimmingCharacters(in: .whitespaces)
        if let range = cause.range(of: "failed: ") { cause = String(cause[range.upperBound...]) }
        if cause.hasPrefix("ERROR:  ") { cause = String(cause.dropFirst(8)) }
        return cause
    }
}
