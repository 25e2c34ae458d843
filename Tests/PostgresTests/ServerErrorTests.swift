import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Server errors")
struct ServerErrorTests {
    static let schema = """
        CREATE TABLE parent (id int PRIMARY KEY);
        CREATE TABLE child (
            id        int PRIMARY KEY,
            code      text NOT NULL CONSTRAINT child_code_unique UNIQUE,
            quantity  int NOT NULL CONSTRAINT child_quantity_positive CHECK (quantity > 0),
            parent_id int CONSTRAINT child_parent_exists REFERENCES parent (id)
        );
        INSERT INTO parent VALUES (1);
        INSERT INTO child VALUES (1, 'taken', 1, 1);
        """

    static func insertChild(_ connection: Connection, id: Int, code: String?, quantity: Int, parent: Int?) throws(PostgresError) {
        try connection.query(
            "INSERT INTO child (id, code, quantity, parent_id) VALUES ($1, $2, $3, $4)", [id, code, quantity, parent])
    }

    @Test("A unique violation reports SQLSTATE 23505 and the constraint, without the value in its description")
    func uniqueViolation() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript(Self.schema)

            let error = try #require(throws: PostgresError.self) {
                try Self.insertChild(connection, id: 2, code: "taken", quantity: 1, parent: 1)
            }

            #expect(error.kind == .server)
            #expect(error.sqlState == "23505")
            #expect(error.isUniqueViolation)
            #expect(error.isIntegrityViolation)
            #expect(error.constraint == "child_code_unique")
            #expect(error.table == "child")
            #expect(error.detail?.contains("taken") == true)
            #expect(!error.description.contains("taken"), "\(error.description)")
            #expect(error.description.contains("23505"))
        }
    }

    @Test("A check violation reports SQLSTATE 23514 and the constraint")
    func checkViolation() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript(Self.schema)

            let error = try #require(throws: PostgresError.self) {
                try Self.insertChild(connection, id: 2, code: "new", quantity: 0, parent: 1)
            }

            #expect(error.kind == .server)
            #expect(error.sqlState == "23514")
            #expect(error.constraint == "child_quantity_positive")
            #expect(error.table == "child")
            #expect(!error.isUniqueViolation)
            #expect(error.isIntegrityViolation)
        }
    }

    @Test("A foreign-key violation reports SQLSTATE 23503 and the constraint")
    func foreignKeyViolation() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript(Self.schema)

            let error = try #require(throws: PostgresError.self) {
                try Self.insertChild(connection, id: 2, code: "new", quantity: 1, parent: 99)
            }

            #expect(error.sqlState == "23503")
            #expect(error.constraint == "child_parent_exists")
            #expect(error.table == "child")
        }
    }

    @Test("A not-null violation reports SQLSTATE 23502 and the column")
    func notNullViolation() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript(Self.schema)

            let error = try #require(throws: PostgresError.self) {
                try Self.insertChild(connection, id: 2, code: nil, quantity: 1, parent: 1)
            }

            #expect(error.sqlState == PostgresError.Code.notNullViolation)
            #expect(error.column == "code")
        }
    }

    @Test("A syntax error is a server error with its SQLSTATE and a one-line message")
    func syntaxError() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()

            let error = try #require(throws: PostgresError.self) { try connection.query("SELEC 1") }

            #expect(error.kind == .server)
            #expect(error.sqlState == "42601")
            #expect(!error.message.contains("\n"))
            #expect(!error.message.hasPrefix("ERROR"))
            // The connection still works.
            #expect(try connection.query("SELECT 1 AS one").first?.decode(Int.self, "one") == 1)
        }
    }

    @Test("An unreachable server fails with a connection error naming host:port and the cause on one line")
    func unreachableServer() throws {
        let error = try #require(throws: PostgresError.self) {
            _ = try Connection(conninfo: "postgresql://postgres@127.0.0.1:1/x", environment: [:])
        }

        #expect(error.kind == .connection)
        #expect(error.message.contains("127.0.0.1:1"), "\(error.message)")
        #expect(error.message.localizedCaseInsensitiveContains("connection refused"), "\(error.message)")
        #expect(!error.message.contains("\n"), "\(error.message)")
        #expect(!error.message.contains("\t"), "\(error.message)")
        #expect(error.description == error.message)
    }

    @Test("A closed connection refuses further queries with a client error")
    func closedConnection() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            connection.close()
            connection.close()

            let error = try #require(throws: PostgresError.self) { try connection.query("SELECT 1") }
            #expect(error.kind == .client)
            #expect(!connection.isUsable)
        }
    }

    @Test("A connection the server terminates reports a connection error, not a server error")
    func terminatedConnection() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()

            let error = try #require(throws: PostgresError.self) {
                try connection.query("SELECT pg_terminate_backend(pg_backend_pid())")
            }

            #expect(error.kind == .connection)
            #expect(!error.message.contains("\n"))
            #expect(!connection.isUsable)
            #expect(throws: PostgresError.self) { try connection.query("SELECT 1") }
        }
    }
}
