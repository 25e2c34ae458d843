import Foundation
import Postgres
import Testing
import TestSupport

/// `domicile token …`, `domicile db grant-reader` and `domicile serve` as a user runs them.
@Suite("token, db and serve commands")
struct TokenCommandTests {
    static func run(_ arguments: [String], _ url: String?) async throws -> CommandResult {
        // A thread of its own: the run blocks until the process exits.
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try DomicileProcess.run(arguments, databaseURL: url, timeout: 60) }) }.start()
        }
    }

    @Test func tokenIsPrintedOnceListedWithoutSecretAndRevoked() async throws {
        try await TestDatabase.with(.migrated) { db in
            let created = try await Self.run(["token", "create", "--name", "dashboard", "--scope", "reports", "--expires", "2099-01-01"], db.url)
            #expect(created.status == 0, "\(created)")
            let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(token.hasPrefix("dmc_"))
            #expect(created.stderr.contains("shown only this once"))

            let list = try await Self.run(["token", "list"], db.url)
            #expect(list.status == 0)
            #expect(list.stdout.contains("dashboard"))
            #expect(list.stdout.contains("reports"))
            #expect(list.stdout.contains("2099-01-01"))
            #expect(list.stdout.contains("active"))
            #expect(!list.stdout.contains(token))

            let duplicate = try await Self.run(["token", "create", "--name", "dashboard"], db.url)
            #expect(duplicate.status == 2)
            #expect(duplicate.stderr.contains("already exists"))

            let revoked = try await Self.run(["token", "revoke", "dashboard"], db.url)
            #expect(revoked.status == 0)
            #expect(try await Self.run(["token", "list"], db.url).stdout.contains("revoked"))
            let twice = try await Self.run(["token", "revoke", "dashboard"], db.url)
            #expect(twice.status == 2)
            #expect(twice.stderr.contains("already revoked"))
            let unknown = try await Self.run(["token", "revoke", "dashbord"], db.url)
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("did you mean dashboard?"))

            let audit = try await Self.run(["audit", "--entity", "token", "--format", "csv"], db.url)
            #expect(audit.stdout.contains("dashboard"))
            #expect(!audit.stdout.contains(token))
        }
    }

    @Test func badTokenOptionsAreInputErrorsNamingTheField() async throws {
        try await TestDatabase.with(.migrated) { db in
            let badScope = try await Self.run(["token", "create", "--name", "x", "--scope", "write"], db.url)
            #expect(badScope.status == 2)
            #expect(badScope.stderr.contains("scope"))
            let badDate = try await Self.run(["token", "create", "--name", "x", "--expires", "2099-02-30"], db.url)
            #expect(badDate.status == 2)
            #expect(badDate.stderr.contains("expires '2099-02-30' is not valid"))
            let past = try await Self.run(["token", "create", "--name", "x", "--expires", "2001-01-01"], db.url)
            #expect(past.status == 2)
            #expect(past.stderr.contains("a day after today"))
            let badName = try await Self.run(["token", "create", "--name", "My Token"], db.url)
            #expect(badName.status == 2)
            #expect(badName.stderr.contains("name 'My Token' is not valid"))
            #expect(try await Self.run(["token", "list", "--format", "csv"], db.url).stdout == "name,scope,created,expires,last_used,status\n")
        }
    }

    @Test func grantReaderLetsARoleActAsTheReadOnlyRole() async throws {
        try await TestDatabase.with(.migrated) { db in
            let role = "api_" + db.name.suffix(12)
            let admin = try db.connect()
            try admin.unsafeExecuteScript("CREATE ROLE \(role) NOLOGIN")
            defer {
                try? admin.unsafeExecuteScript("DROP ROLE IF EXISTS \(role)")
                admin.close()
            }
            let granted = try await Self.run(["db", "grant-reader", role], db.url)
            #expect(granted.status == 0, "\(granted)")
            let member = try admin.query("SELECT pg_has_role($1, 'domicile_reader', 'MEMBER') AS member", [role]).first!
            #expect(try member.decode(Bool.self, "member"))
            try admin.unsafeExecuteScript("REVOKE domicile_reader FROM \(role)")
            let missing = try await Self.run(["db", "grant-reader", "no_such_role_x"], db.url)
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("there is no database role 'no_such_role_x'"))
        }
    }

    @Test func serveRefusesToStartWhileMigrationsArePending() async throws {
        try await TestDatabase.withEmpty { db in
            let result = try await Self.run(["serve", "--port", "0"], db.url)
            #expect(result.status == 2)
            #expect(result.stderr.contains("not up to date"))
            #expect(result.stderr.contains("domicile migrate"))
        }
    }

    @Test func serveRefusesWhenTheDatabaseIsUnreachable() async throws {
        let result = try await Self.run(["serve", "--port", "0"], "postgresql://postgres@127.0.0.1:1/x")
        #expect(result.status == 3)
    }
}
