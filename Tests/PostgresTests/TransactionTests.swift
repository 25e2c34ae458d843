import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Transactions")
struct TransactionTests {
    struct Boom: Error, Equatable {}

    static func names(_ connection: Connection) throws -> [String] {
        try connection.query("SELECT name FROM item ORDER BY id").rows.map { try $0.decode(String.self, "name") }
    }

    static func prepare(_ db: TestDatabase) throws -> Connection {
        let connection = try db.connect()
        try connection.unsafeExecuteScript("CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL UNIQUE)")
        return connection
    }

    @Test("A transaction commits when its body returns, visible to other connections")
    func commitsOnReturn() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try Self.prepare(db)

            let value = try connection.transaction { tx in
                try tx.query("INSERT INTO item (name) VALUES ($1), ($2)", ["a", "b"])
                return 42
            }

            #expect(value == 42)
            let other = try db.connect()
            #expect(try Self.names(other) == ["a", "b"])
            // Not left inside a transaction block: SAVEPOINT is refused outside one.
            let outside = #expect(throws: PostgresError.self) { try connection.unsafeExecuteScript("SAVEPOINT probe") }
            #expect(outside?.sqlState == "25P01")
        }
    }

    @Test("A transaction rolls back when its body throws, and rethrows the error")
    func rollsBackOnThrow() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try Self.prepare(db)
            try connection.query("INSERT INTO item (name) VALUES ('existing')")

            #expect(throws: Boom.self) {
                try connection.transaction { tx in
                    try tx.query("INSERT INTO item (name) VALUES ('doomed')")
                    throw Boom()
                }
            }

            #expect(try Self.names(connection) == ["existing"])
            // The connection is usable for the next transaction.
            try connection.transaction { tx in _ = try tx.query("INSERT INTO item (name) VALUES ('next')") }
            #expect(try Self.names(try db.connect()) == ["existing", "next"])
        }
    }

    @Test("A server error inside a transaction rolls it back and leaves the connection usable")
    func serverErrorRollsBack() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try Self.prepare(db)

            let error = #expect(throws: PostgresError.self) {
                try connection.transaction { tx in
                    try tx.query("INSERT INTO item (name) VALUES ('first')")
                    try tx.query("INSERT INTO item (name) VALUES ('first')")
                }
            }

            #expect(error?.sqlState == PostgresError.Code.uniqueViolation)
            #expect(try Self.names(connection) == [])
            try connection.query("INSERT INTO item (name) VALUES ('after')")
            #expect(try Self.names(connection) == ["after"])
        }
    }

    @Test("A failed nested transaction undoes only the inner work")
    func nestedRollbackIsPartial() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try Self.prepare(db)

            try connection.transaction { outer in
                try outer.query("INSERT INTO item (name) VALUES ('outer-before')")
                #expect(throws: Boom.self) {
                    try outer.transaction { inner in
                        try inner.query("INSERT INTO item (name) VALUES ('inner')")
                        throw Boom()
                    }
                }
                // A server error in a second savepoint is contained the same way.
                #expect(throws: PostgresError.self) {
                    try outer.transaction { inner in
                        _ = try inner.query("INSERT INTO item (name) VALUES ('outer-before')")
                    }
                }
                try outer.query("INSERT INTO item (name) VALUES ('outer-after')")
            }

            #expect(try Self.names(try db.connect()) == ["outer-before", "outer-after"])
        }
    }

    @Test("A successful nested transaction commits with the outer one, and not if the outer fails")
    func nestedCommitFollowsOuter() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try Self.prepare(db)

            try connection.transaction { outer in
                try outer.query("INSERT INTO item (name) VALUES ('kept-outer')")
                try outer.transaction { inner in _ = try inner.query("INSERT INTO item (name) VALUES ('kept-inner')") }
            }
            #expect(throws: Boom.self) {
                try connection.transaction { outer in
                    try outer.transaction { inner in _ = try inner.query("INSERT INTO item (name) VALUES ('lost-inner')") }
                    throw Boom()
                }
            }

            #expect(try Self.names(try db.connect()) == ["kept-outer", "kept-inner"])
        }
    }

    @Test("A COMMIT that fails is reported, and the connection runs the next transaction normally")
    func failedCommitLeavesConnectionUsable() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try Self.prepare(db)
            try connection.unsafeExecuteScript(
                """
                CREATE TABLE owner (id int PRIMARY KEY);
                CREATE TABLE pet (owner_id int REFERENCES owner (id) DEFERRABLE INITIALLY DEFERRED);
                """)

            // The deferred foreign key is only checked at COMMIT.
            let error = #expect(throws: PostgresError.self) {
                try connection.transaction { tx in
                    _ = try tx.query("INSERT INTO pet (owner_id) VALUES (7)")
                }
            }
            #expect(error?.sqlState == PostgresError.Code.foreignKeyViolation)

            try connection.transaction { tx in
                _ = try tx.query("INSERT INTO item (name) VALUES ('next')")
                try tx.transaction { inner in _ = try inner.query("INSERT INTO item (name) VALUES ('nested')") }
            }
            #expect(try Self.names(try db.connect()) == ["next", "nested"])
            #expect(try connection.query("SELECT count(*) AS n FROM pet").first?.decode(Int.self, "n") == 0)
        }
    }

    @Test("A body that swallowed a server error does not report a commit that never happened")
    func swallowedErrorIsNotACommit() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try Self.prepare(db)

            let error = #expect(throws: PostgresError.self) {
                try connection.transaction { tx in
                    _ = try tx.query("INSERT INTO item (name) VALUES ('written')")
                    _ = try? tx.query("SELECT 1 / 0")
                    return "claimed success"
                }
            }

            #expect(error?.sqlState == "25P02", "\(String(describing: error))")
            #expect(try Self.names(try db.connect()) == [])
            try connection.transaction { tx in _ = try tx.query("INSERT INTO item (name) VALUES ('after')") }
            #expect(try Self.names(try db.connect()) == ["after"])
        }
    }
}
