import DomicileCore
import DomicileStore
import Postgres
import TestSupport
import Testing

/// What an audit relies on cannot be dropped by a careless file or a curious writer.
@Suite("Evidence is kept")
struct EvidenceKeptTests {
    @Test("An import that leaves out an assessment's answers is refused, naming the items; nothing is written")
    func answersAreNotRemovedByImport() async throws {
        try await WritePath.withPersona { _, store in
            var assessment = try #require(try store.record(.assessment, key: "assign-security-2026"))
            let answers = assessment.records("answers")
            #expect(answers.count > 2)
            assessment["answers"] = .records(Array(answers.dropFirst(2)))
            let text = RegistryYAML.emit(RegistryDocument(records: [.assessment: [assessment]]))
            let issues = try WritePath.rejectedIssues(text, into: store)
            let lost = answers.prefix(2).compactMap { $0.string("item") }
            #expect(issues.contains { $0.code == "input.answer_removed" && lost.allSatisfy($0.message.contains) }, "\(issues)")
        }
    }

    @Test("Every audit row records the database login as well as the named actor")
    func auditRecordsTheLogin() async throws {
        try await WritePath.withBase { db, store in
            let connection = try db.connect()
            defer { connection.close() }
            let row = try #require(try connection.query("SELECT actor, db_user, session_user AS login FROM audit_log ORDER BY id DESC LIMIT 1").first)
            #expect(try row.decode(String.self, "actor") == "setup")
            #expect(try row.decode(String.self, "db_user") == (try row.decode(String.self, "login")))
        }
    }

    @Test("The writer role cannot rewrite the migration record")
    func writerCannotTouchSchemaMigrations() async throws {
        try await TestDatabase.with(.migrated) { db in
            let connection = try db.connect()
            defer { connection.close() }
            try connection.unsafeExecuteScript("SET ROLE domicile_writer")
            let error = #expect(throws: PostgresError.self) {
                try connection.query("UPDATE schema_migrations SET sha256 = repeat('0', 64)")
            }
            #expect(error?.sqlState == PostgresError.Code.insufficientPrivilege)
        }
    }

    @Test("Audit before and after name referenced records by key, not only by internal id")
    func auditNamesReferencesByKey() async throws {
        try await WritePath.withBase { db, store in
            try WritePath.importText("residencies:\n" + WritePath.residency("shop-data"), into: store)
            let connection = try db.connect()
            defer { connection.close() }
            let row = try #require(
                try connection.query(
                    "SELECT after ->> 'service_key' AS service, after ->> 'vendor_key' AS vendor FROM audit_log WHERE entity_key = $1 AND action = 'add'",
                    ["shop-data"]
                ).first)
            #expect(try row.decode(String?.self, "service") == "shop")
            #expect(try row.decode(String?.self, "vendor") == "cloudco")
        }
    }
}
