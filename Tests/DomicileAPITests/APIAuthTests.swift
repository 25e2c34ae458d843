import DomicileAPI
import DomicileCore
@testable import DomicileStore
import Foundation
import Postgres
import Testing
import TestSupport

@Suite("API authentication, caching and least privilege")
struct APIAuthTests {
    @Test func everyAuthFailureIsA401OrA403WithItsOwnCode() async throws {
        try await APITest.withPersona { db in
            let good = try APITest.token(db, name: "good")
            let reports = try APITest.token(db, name: "reports-only", scope: .reports)
            let revoked = try APITest.token(db, name: "revoked")
            let expired = try APITest.token(db, name: "expired", expires: Day(Date()).adding(years: 1))
            let store = try db.store()
            try store.revokeToken(name: "revoked", actor: "test")
            // Expiry in the past cannot be created through the CLI; age the row instead.
            try store.connection.query(
                "UPDATE api_token SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day' WHERE name = 'expired'")
            store.connection.close()
            // The same id as a real token with another secret: the hash comparison must fail.
            let forged = "dmc_" + good.split(separator: "_")[1] + "_" + String(repeating: "A", count: 43)

            try await APITest.with(url: db.url) { client in
                #expect(try await client.get("/v1/vendors", token: good).status == 200)

                let none = try await client.get("/v1/vendors")
                #expect(none.status == 401)
                #expect(none.errorCode == "auth.missing_token")
                #expect(none.headers["www-authenticate"]?.hasPrefix("Bearer") == true)

                let basic = try await client.get("/v1/vendors", headers: ["Authorization": "Basic dXNlcjpwYXNz"])
                #expect(basic.errorCode == "auth.missing_token")

                for bad in ["nonsense", forged, "dmc_999999_" + String(repeating: "x", count: 43)] {
                    let answer = try await client.get("/v1/vendors", token: bad)
                    #expect(answer.status == 401, "\(bad)")
                    #expect(answer.errorCode == "auth.invalid_token")
                }

                let expiredAnswer = try await client.get("/v1/vendors", token: expired)
                #expect(expiredAnswer.status == 401)
                #expect(expiredAnswer.errorCode == "auth.token_expired")

                let revokedAnswer = try await client.get("/v1/vendors", token: revoked)
                #expect(revokedAnswer.status == 401)
                #expect(revokedAnswer.errorCode == "auth.token_revoked")

                let wrongScope = try await client.get("/v1/vendors", token: reports)
                #expect(wrongScope.status == 403)
                #expect(wrongScope.errorCode == "auth.insufficient_scope")

                // Health, readiness and the document need no token.
                #expect(try await client.get("/healthz").status == 200)
                #expect(try await client.get("/readyz").status == 200)
                #expect(try await client.get("/openapi.yaml").status == 200)
            }
        }
    }

    /// Checked tokens and answers are remembered (no database round trip per request), so
    /// this is the path a revocation must reach: `domicile token revoke` in another process.
    @Test func aTokenRevokedWhileTheServerRemembersItIsRefusedFromThenOn() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db, name: "dashboard")
            let other = try APITest.token(db, name: "other")
            try await APITest.with(url: db.url) { client in
                #expect(try await client.get("/v1/services", token: token).status == 200)
                #expect(try await client.get("/v1/services", token: token).status == 200)
                #expect(try await client.get("/v1/services", token: other).status == 200)

                let store = try db.store()
                try store.revokeToken(name: "dashboard", actor: "test")
                store.connection.close()

                let refused = try await client.eventually("/v1/services", token: token) { $0.status != 200 }
                #expect(refused.status == 401)
                #expect(refused.errorCode == "auth.token_revoked")
                // Other tokens, and the cached answer, still serve.
                #expect(try await client.get("/v1/services", token: other).status == 200)
                #expect(try await client.get("/v1/services", token: token).status == 401)
            }
        }
    }

    @Test func tokenIsStoredOnlyAsItsHashAndUseIsRecordedWithoutBumpingTheRevision() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db, name: "dashboard")
            let store = try db.store()
            defer { store.connection.close() }
            let stored = try #require(try store.connection.query("SELECT token_hash FROM api_token WHERE name = 'dashboard'").first)
            #expect(try stored.decode(String.self, "token_hash") == APIToken.hash(token))
            let everything = try store.connection.query("SELECT * FROM api_token").rows.map { row in row.columnNames.map { row.text($0) ?? "" } }
            #expect(!everything.flatMap { $0 }.contains(token))
            let before = try store.revision()
            let status = try await APITest.with(url: db.url) { client in
                try await client.get("/v1/services", token: token).status
            }
            #expect(status == 200)
            let after = try store.revision()
            #expect(after == before)
            let listing = try store.tokens()
            let row = try #require(listing.rows.first)
            #expect(row[listing.columns.firstIndex(of: "last_used")!] != "")
            #expect(row[listing.columns.firstIndex(of: "status")!] == "active")
        }
    }

    @Test func tokenNeverAppearsInTheLogsButEachRequestIsLogged() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            let logs = LogCapture()
            try await APITest.with(url: db.url, logs: logs) { client in
                _ = try await client.get("/v1/vendors?as_of=2025-04-01", token: token)
                _ = try await client.get("/v1/vendors", token: token + "x")
            }
            let lines = logs.all
            #expect(!lines.isEmpty)
            #expect(!lines.contains { $0.contains(token) })
            let access = lines.filter { $0.contains("request ") && $0.contains("path=/v1/vendors") }
            #expect(access.count == 2)
            #expect(access.contains { $0.contains("status=200") && $0.contains("method=GET") && $0.contains("duration_ms=") })
            #expect(access.contains { $0.contains("status=401") })
        }
    }

    @Test func unchangedAnswerIs304UntilTheRegistryChanges() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                let first = try await client.get("/v1/vendors/aws", token: token)
                #expect(first.status == 200)
                let tag = try #require(first.headers["etag"])
                let again = try await client.get("/v1/vendors/aws", token: token, headers: ["If-None-Match": tag])
                #expect(again.status == 304)
                #expect(again.headers["etag"] == tag)
                #expect(again.body.isEmpty)
                // Weak form and lists match too.
                #expect(try await client.get("/v1/vendors/aws", token: token, headers: ["If-None-Match": "\"x\", W/" + tag]).status == 304)
                // A 304 still needs valid parameters: a bad value is a 400 whatever the tag.
                let badWhere = try await client.get("/v1/where?as_of=garbage", token: token, headers: ["If-None-Match": "*"])
                #expect(badWhere.status == 400)
                #expect(badWhere.errorField == "as_of")
                // A 304 still needs a valid token.
                #expect(try await client.get("/v1/vendors/aws", headers: ["If-None-Match": tag]).status == 401)

                // A write (by anyone, through the audited tables) bumps the revision.
                let admin = try db.connect()
                try admin.query("UPDATE vendor SET notes = 'changed by the test' WHERE key = 'aws'")
                admin.close()

                let changed = try await client.eventually("/v1/vendors/aws", token: token, headers: ["If-None-Match": tag]) {
                    $0.status != 304
                }
                #expect(changed.status == 200)
                #expect(changed.headers["etag"] != tag)
                #expect(changed.body.contains("changed by the test"))
            }
        }
    }

    @Test func theReadOnlyRoleRefusesWritesInTheDatabase() async throws {
        try await APITest.withPersona { db in
            let database = ReaderDatabase(conninfo: db.url, environment: [:], maximumConnections: 1)
            defer { Task { try? await database.shutdown() } }
            let role = try await database.withStore { store in
                try store.connection.query("SELECT current_user AS role").first!.decode(String.self, "role")
            }
            #expect(role == "domicile_reader")
            let writes = [
                "INSERT INTO vendor (key, legal_name, kinds, headquarters, risk_tier, valid_from) VALUES ('evil', 'Evil', '{cloud_provider}', 'US', 'low', current_date)",
                "UPDATE vendor SET notes = 'x' WHERE key = 'aws'",
                "DELETE FROM residency_category",
                "UPDATE registry_revision SET revision = revision + 1",
                "UPDATE api_token SET scope = 'read'",
                "UPDATE api_token SET last_used_at = now()",
                "INSERT INTO audit_log (actor, entity, entity_key, action, after) VALUES ('x', 'vendor', 'aws', 'add', '{}')",
            ]
            for sql in writes {
                let error = await #expect(throws: PostgresError.self) {
                    try await database.withStore { store in _ = try store.connection.query(sql) }
                }
                #expect(error?.sqlState == "42501", "\(sql): \(String(describing: error))")
            }
            try await database.shutdown()
        }
    }

    @Test func cachedAnswerIsTheSameAsAFreshOne() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            let cached = try await APITest.with(url: db.url) { client in
                _ = try await client.get("/v1/countries", token: token)
                return try await client.get("/v1/countries", token: token).body
            }
            let fresh = try await APITest.with(url: db.url, cacheEntries: 0) { client in
                try await client.get("/v1/countries", token: token).body
            }
            #expect(cached == fresh)
        }
    }
}
