import DomicileCore
@testable import DomicileStore
import Foundation
import Testing
import TestSupport

/// `?organization=` on reports and check (issue 11 point 7), as `--organization` on the CLI.
@Suite struct APIOrganizationTests {
    @Test func reportsAndCheckSpeakForOneOrganizationAndAskWhichWhenThereAreSeveral() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                // one organization: the parameter may be left out, or name it
                #expect(try await client.get("/v1/check?as_of=2026-12-01", token: token).status == 200)
                #expect(try await client.get("/v1/check?as_of=2026-12-01&organization=assign", token: token).status == 200)
                let unknown = try await client.get("/v1/reports/disclosure?organization=assing", token: token)
                #expect(unknown.status == 404 && unknown.errorField == "organization" && unknown.errorCode == "input.unknown_organization")
            }
            let store = try db.store()
            try Importer(store: store).run(
                RegistryDocument(records: [.organization: [Record(["key": .string("assign-labs"), "name": .string("ASSIGN Labs Inc."), "country": .string("JP")])]]),
                actor: "api-test")
            store.connection.close()
            try await APITest.with(url: db.url) { client in
                let ambiguous = try await client.get("/v1/check?as_of=2026-12-01", token: token)
                #expect(ambiguous.status == 400 && ambiguous.errorCode == "input.organization_required")
                #expect(ambiguous.errorMessage?.contains("assign (ASSIGN Inc.), assign-labs (ASSIGN Labs Inc.)") == true, "\(ambiguous.body)")
                let labs = try await client.get("/v1/check?as_of=2026-12-01&organization=assign-labs", token: token)
                #expect(labs.status == 200 && labs.body.contains("organization.never_assessed") && !labs.body.contains("persona"), "\(labs.body)")
                let report = try await client.get("/v1/reports/disclosure?format=json&organization=assign&allow_findings=true", token: token)
                #expect(report.status == 200 && report.body.contains("ASSIGN Inc.") && !report.body.contains("ASSIGN Labs"), "\(report.body.prefix(400))")
            }
        }
    }
}
