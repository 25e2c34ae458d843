import Foundation
import Postgres
import TestSupport
import Testing

@Suite("SQL injection")
struct InjectionTests {
    static let attacks = [
        "Robert'); DROP TABLE students;--",
        "' OR '1'='1",
        "'; DELETE FROM students; --",
        #"\'; DROP TABLE students; --"#,
        "$1",
        "x' UNION SELECT current_user --",
    ]

    @Test("Hostile text bound as a parameter is stored verbatim and the table survives", arguments: attacks)
    func parameterIsData(attack: String) async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript("CREATE TABLE students (id serial PRIMARY KEY, name text NOT NULL)")
            try connection.query("INSERT INTO students (name) VALUES ($1), ($2)", ["Alice", "Bob"])

            try connection.query("INSERT INTO students (name) VALUES ($1)", [attack])

            let exists = try connection.query("SELECT to_regclass('students') IS NOT NULL AS present").first?
                .decode(Bool.self, "present")
            #expect(exists == true)
            let names = try connection.query("SELECT name FROM students ORDER BY id").rows.map { try $0.decode(String.self, "name") }
            #expect(names == ["Alice", "Bob", attack])
            let matches = try connection.query("SELECT name FROM students WHERE name = $1", [attack]).rows
                .map { try $0.decode(String.self, "name") }
            #expect(matches == [attack])
        }
    }

    @Test("A hostile WHERE value matches nothing but itself")
    func whereMatchesNothingElse() async throws {
        try await TestDatabase.withEmpty { db in
            let connection = try db.connect()
            try connection.unsafeExecuteScript("CREATE TABLE students (id serial PRIMARY KEY, name text NOT NULL)")
            try connection.query("INSERT INTO students (name) VALUES ($1), ($2)", ["Alice", "Bob"])

            for attack in Self.attacks {
                let found = try connection.query("SELECT count(*) AS n FROM students WHERE name = $1", [attack]).first?
                    .decode(Int.self, "n")
                #expect(found == 0, "\(attack)")
                let deleted = try connection.query("DELETE FROM students WHERE name = $1", [attack]).affectedRows
                #expect(deleted == 0, "\(attack)")
            }
            let remaining = try connection.query("SELECT count(*) AS n FROM students").first?.decode(Int.self, "n")
            #expect(remaining == 2)
        }
    }
}
