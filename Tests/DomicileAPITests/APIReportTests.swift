import DomicileAPI
import Foundation
import Testing
import TestSupport

@Suite("API reports")
struct APIReportTests {
    /// A report in JSON: its header's as-of day, revision and fingerprint, and its data as
    /// canonical JSON (sorted keys), to compare two paths to the same report.
    struct ReportJSON: Sendable, Equatable {
        var asOf: String?
        var revision: Int?
        var fingerprint: String?
        var data: String

        init(_ text: String) throws {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object:\n\(text)")
            let header = object["report"] as? [String: Any] ?? [:]
            asOf = header["as_of"] as? String
            revision = header["revision"] as? Int
            fingerprint = header["fingerprint"] as? String
            let data = try #require(object["data"], "no data in:\n\(text)")
            self.data = String(decoding: try JSONSerialization.data(withJSONObject: data, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
        }
    }

    @Test func reportIsTheCommandsReportAndIsCachedUntilTheRevisionChanges() async throws {
        try await APITest.withPersona { db in
            let read = try APITest.token(db, name: "reader")
            let reports = try APITest.token(db, name: "publisher", scope: .reports)
            // The second path: what `domicile report` prints for the same day.
            let command = try await APITest.cli(["report", "residency", "--format", "json", "--as-of", "2026-11-28"], db)
            #expect(command.status == 0, "\(command)")
            let expected = try ReportJSON(command.stdout)
            #expect(expected.asOf == "2026-11-28")
            #expect(expected.fingerprint?.count == 64)
            try await APITest.with(url: db.url) { client in
                try await client.untilWatching()
                let first = try await client.get("/v1/reports/residency?format=json&as_of=2026-11-28", token: reports)
                #expect(first.status == 200)
                let answer = try ReportJSON(first.body)
                #expect(answer == expected, "the API's report is the command's (header and data)")

                // Asked again: the same bytes (generation time included), and the database
                // was not asked at all (the token is remembered, the answer cached).
                let callsBefore = client.databaseCalls
                let second = try await client.get("/v1/reports/residency?format=json&as_of=2026-11-28", token: reports)
                #expect(second.body == first.body)
                #expect(client.databaseCalls == callsBefore, "the repeated answer needed the database")
                // Another token: checked in the database once, but the report is not rendered again.
                let third = try await client.get("/v1/reports/residency?format=json&as_of=2026-11-28", token: read)
                #expect(third.body == first.body)

                let admin = try db.connect()
                try admin.query("UPDATE vendor SET notes = 'revised' WHERE key = 'aws'")
                admin.close()
                // The server learns of the commit by notification, a moment after it.
                let revisedAnswer = try await client.eventually("/v1/reports/residency?format=json&as_of=2026-11-28", token: read) {
                    $0.headers["etag"] != first.headers["etag"]
                }
                let revised = try #require((revisedAnswer.json as? [String: Any])?["report"] as? [String: Any])
                #expect((revised["revision"] as? Int ?? 0) > (answer.revision ?? 0))
                #expect(revisedAnswer.headers["etag"] != first.headers["etag"])
            }
        }
    }

    @Test func everyReportInEveryFormatAndLanguage() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db, scope: .reports)
            try await APITest.with(url: db.url) { client in
                let html = try await client.get("/v1/reports/vendors?format=html&expiring_within=120", token: token)
                #expect(html.status == 200)
                #expect(html.headers["content-type"] == "text/html; charset=utf-8")
                #expect(html.body.contains("<html"))
                // As `report disclosure`: refused while PERSONA's address and representative are missing.
                let refused = try await client.get("/v1/reports/disclosure?lang=ja", token: token)
                #expect(refused.status == 422)
                #expect(refused.errorMessage?.contains("organization/assign.address_ja") == true, "\(refused.body)")
                let markdown = try await client.get("/v1/reports/disclosure?lang=ja&allow_findings=true", token: token)
                #expect(markdown.headers["content-type"] == "text/markdown; charset=utf-8")
                #expect(markdown.body.contains("外的環境の把握") && markdown.body.contains("【要記入：organization/assign.address_ja】"))
                let csv = try await client.get("/v1/reports/ropa?format=csv&as_of=2025-04-01", token: token)
                #expect(csv.status == 200)
                #expect(csv.body.hasPrefix("# "))
                #expect(csv.body.contains("as of 2025-04-01"))
            }
        }
    }

    @Test func checkIsTheCommandsCheckWithoutAPolicy() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            // The second path: `domicile check` on the same day (exit 1: it has findings).
            let command = try await APITest.cli(["check", "--format", "json", "--fail-on", "warning", "--as-of", "2026-11-28"], db)
            #expect(command.status == 1, "\(command)")
            #expect(!command.stdout.isEmpty)
            try await APITest.with(url: db.url) { client in
                let answer = try await client.get("/v1/check?fail_on=warning&as_of=2026-11-28", token: token)
                #expect(answer.status == 200)
                #expect(answer.body == command.stdout)
                let text = try await client.get("/v1/check?format=text&as_of=2025-04-01", token: token)
                #expect(text.headers["content-type"] == "text/plain; charset=utf-8")
                #expect(text.body.contains("as of 2025-04-01"))
                let unknownRule = try await client.get("/v1/check?skip=contract.mising", token: token)
                #expect(unknownRule.status == 404)
                #expect(unknownRule.errorField == "skip")
                let failOn = try await client.get("/v1/check?fail_on=info", token: token)
                #expect(failOn.errorField == "fail_on")
            }
        }
    }

    @Test func badReportRequestsNameTheParameter() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                let table = try await client.get("/v1/reports/disclosure?format=csv", token: token)
                #expect(table.status == 400)
                #expect(table.errorField == "format")
                let lang = try await client.get("/v1/reports/residency?lang=fr", token: token)
                #expect(lang.errorField == "lang")
                let days = try await client.get("/v1/reports/vendors?expiring_within=-1", token: token)
                #expect(days.errorField == "expiring_within")
                let unknown = try await client.get("/v1/reports/residence", token: token)
                #expect(unknown.status == 404)
                #expect(unknown.errorField == "kind")
                #expect(unknown.errorMessage?.contains("did you mean residency?") == true)
            }
        }
    }
}
