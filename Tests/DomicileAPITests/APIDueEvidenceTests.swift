import DomicileAPI
import DomicileCore
@testable import DomicileStore
import Foundation
import Testing
import TestSupport

/// `/v1/due`, `/v1/due.ics`, `/v1/evidence` and `/v1/evidence/{id}`: the command's answers,
/// behind the read scope, served as the API's read-only role.
@Suite("API due and evidence")
struct APIDueEvidenceTests {
    @Test func dueIsTheCommandsJSONAndTheCalendarIsICS() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            let reports = try APITest.token(db, name: "reports", scope: .reports)
            let cli = try await APITest.cli(["due", "--as-of", "2027-01-01", "--within", "1y", "--format", "json"], db)
            try await APITest.with(url: db.url) { client in
                let answer = try await client.get("/v1/due?as_of=2027-01-01&within=1y", token: token)
                #expect(answer.status == 200)
                #expect(answer.headers["content-type"] == "application/json; charset=utf-8")
                #expect(answer.body == cli.stdout)

                let ics = try await client.get("/v1/due.ics?as_of=2027-01-01&within=1y", token: token)
                #expect(ics.status == 200)
                #expect(ics.headers["content-type"] == "text/calendar; charset=utf-8")
                #expect(ics.body.hasPrefix("BEGIN:VCALENDAR\r\n"))
                let items = ((try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])?["items"] as? [[String: Any]]) ?? []
                #expect(ics.body.components(separatedBy: "BEGIN:VEVENT").count - 1 == items.count)
                for uid in items.compactMap({ $0["uid"] as? String }) { #expect(ics.body.replacingOccurrences(of: "\r\n ", with: "").contains("UID:" + uid)) }

                #expect(try await client.get("/v1/due.ics").status == 401)
                #expect(try await client.get("/v1/due.ics", token: reports).status == 403)
                let bad = try await client.get("/v1/due?within=forever", token: token)
                #expect(bad.status == 400 && bad.errorField == "within")
            }
        }
    }

    @Test func evidenceBytesComeWithTheirMediaTypeAndHashAsETag() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            let text = "Certificate of ISO/IEC 27001 registration: 検証済み\n"
            let store = try db.store()
            let (file, _) = try store.addEvidence(
                EvidenceSubject(.vendor, "aws"), fileName: "iso27001.txt", mediaType: "text/plain", description: nil,
                bytes: Data(text.utf8), actor: "test")
            store.connection.close()
            try await APITest.with(url: db.url) { client in
                let list = try await client.get("/v1/evidence?vendor=aws", token: token)
                #expect(list.status == 200)
                let entries = try #require(list.json as? [[String: Any]])
                #expect(entries.map { $0["sha256"] as? String } == [file.sha256])
                #expect(try await client.get("/v1/evidence?entrustment=persona-support-desk", token: token).json as? [Any] != nil)
                #expect(try await client.get("/v1/evidence?vendor=nobody", token: token).status == 404)

                let answer = try await client.get("/v1/evidence/\(file.id)", token: token)
                #expect(answer.status == 200)
                #expect(answer.body == text)
                #expect(answer.headers["content-type"] == "text/plain")
                #expect(answer.headers["etag"] == "\"\(file.sha256)\"")
                #expect(answer.headers["x-content-type-options"] == "nosniff")
                let again = try await client.get("/v1/evidence/\(file.id)", token: token, headers: ["If-None-Match": "\"\(file.sha256)\""])
                #expect(again.status == 304)
                #expect(try await client.get("/v1/evidence/\(file.id + 99)", token: token).status == 404)
                #expect(try await client.get("/v1/evidence/abc", token: token).status == 400)
                #expect(try await client.get("/v1/evidence/\(file.id)").status == 401)
            }
        }
    }
}

extension APIDueEvidenceTests {
    /// JSON Schema's maxLength counts code points: a name of 60 letters with 150 combining
    /// marks is 210 characters to the document, so the server refuses it too.
    @Test func textParametersCountCodePointsAsTheDocumentDoes() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            let zalgo = String(repeating: "a\u{0301}\u{0316}\u{0317}", count: 52) + "ab"  // 52 graphemes + 2, 210 code points
            let encoded = zalgo.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await APITest.with(url: db.url) { client in
                let refused = try await client.get("/v1/due?owner=\(encoded)", token: token)
                #expect(refused.status == 400 && refused.errorField == "owner", "\(refused.status) \(refused.body)")
                let fine = String(zalgo.unicodeScalars.prefix(200).map(Character.init)).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                #expect(try await client.get("/v1/due?owner=\(fine)", token: token).status == 200)
            }
        }
    }
}
