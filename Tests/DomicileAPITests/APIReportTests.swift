import DomicileAPI
import DomicileCore
import DomicileStore
import Foundation
import Testing
import TestSupport

@Suite("API reports")
struct APIReportTests {
    @Test func reportIsTheCommandsReportAndIsCachedUntilTheRevisionChanges() async throws {
        try await APITest.withPersona { db in
            let read = try APITest.token(db, name: "reader")
            let reports = try APITest.token(db, name: "publisher", scope: .reports)
            let store = try db.store()
            let snapshot = try store.snapshot(asOf: Day(Date()))
            let expected = try ReportRenderer.render(.residency, snapshot, format: .json, generatedAt: Date())
            store.connection.close()
            try await APITest.with(url: db.url) { client in
                let first = try await client.get("/v1/reports/residency?format=json", token: reports)
                #expect(first.status == 200)
                let header = try #require((first.json as? [String: Any])?["report"] as? [String: Any])
                #expect(header["fingerprint"] as? String == expected.fingerprint)
                #expect(header["as_of"] as? String == Day(Date()).description)
                // Rendered once per revision: the second answer is the same bytes, generation time included.
                let second = try await client.get("/v1/reports/residency?format=json", token: read)
                #expect(second.body == first.body)

                let admin = try db.connect()
                try admin.query("UPDATE vendor SET notes = 'revised' WHERE key = 'aws'")
                admin.close()
                // The server learns of the commit by notification, a moment after it.
                let third = try await client.eventually("/v1/reports/residency?format=json", token: read) {
                    $0.headers["etag"] != first.headers["etag"]
                }
                let revised = try #require((third.json as? [String: Any])?["report"] as? [String: Any])
                #expect((revised["revision"] as? Int ?? 0) > (header["revision"] as? Int ?? 0))
                #expect(third.headers["etag"] != first.headers["etag"])
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
            let store = try db.store()
            let expected = CheckReport(snapshot: try store.snapshot(asOf: Day(Date()))).render(.json, failOn: .warning)
            store.connection.close()
            try await APITest.with(url: db.url) { client in
                let answer = try await client.get("/v1/check?fail_on=warning", token: token)
                #expect(answer.status == 200)
                #expect(answer.body == expected)
                let text = try await client.get("/v1/check?format=text&as_of=2025-04-01", token: token)
                #expect(text.headers["content-type"] == "text/plain; charset=utf-8")
                #expect(text.body.contains("as of 2025-04-01"))
                let unknownRule = try await client.get("/v1/check?skip=contract.mising", token: token)
                #expect(unknownRule.status == 400)
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
