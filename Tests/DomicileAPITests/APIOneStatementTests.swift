@testable import DomicileAPI
import DomicileCore
@testable import DomicileStore
import Foundation
import NIOConcurrencyHelpers
import Postgres
import Testing
import TestSupport

/// Issue 17, point 1: a small answer — one vendor, one country — is one statement, which reads
/// the record and the registry revision together, so its ETag names the revision its bytes are of.
@Suite("API: one statement per small answer")
struct APIOneStatementTests {
    /// The revision an ETag `"r<revision>-<day>"` names.
    static func revision(_ answer: Answer) -> Int64? {
        guard let tag = answer.headers["etag"], tag.hasPrefix("\"r"), let dash = tag.firstIndex(of: "-") else { return nil }
        return Int64(tag[tag.index(tag.startIndex, offsetBy: 2)..<dash])
    }

    @Test func aVendorOrACountryByKeyIsOneStatementWithTheCLIsBytes() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            let vendorShow = try await APITest.cli(["vendor", "show", "aws", "--format", "json"], db)
            #expect(vendorShow.status == 0)
            // `country show --format json` prints a list of one; the API answers the object,
            // as the store's listing writes it.
            let store = try db.store()
            let japan = try store.countries(code: "JP")
            store.connection.close()
            let countryShow = Listing(columns: japan.columns, rows: japan.rows).jsonObject(row: 0)
            // No cache: every request below is rendered.
            try await APITest.with(url: db.url, cacheEntries: 0) { client in
                try await client.untilWatching()
                // The token is checked once, then answered from memory.
                #expect(try await client.get("/v1/vendors/aws", token: token).status == 200)
                let database = try #require(client.database)

                for (target, expected) in [("/v1/vendors/aws", vendorShow.stdout), ("/v1/countries/JP", countryShow), ("/v1/countries/jp", countryShow)] {
                    let before = database.roundTrips
                    let answer = try await client.get(target, token: token)
                    #expect(answer.status == 200, "\(target): \(answer.body)")
                    #expect(answer.body == expected, "\(target) is not the command line's (the store's) answer")
                    #expect(database.roundTrips - before == 1, "\(target) took \(database.roundTrips - before) statements")
                    // Its tag is the registry's revision.
                    let stored = try db.store()
                    defer { stored.connection.close() }
                    #expect(Self.revision(answer) == (try stored.revision()))
                }

                // A name or an alias still finds the vendor (resolved as before, in a read transaction).
                for name in ["AWS", "Amazon%20Web%20Services,%20Inc."] {
                    let byName = try await client.get("/v1/vendors/\(name)", token: token)
                    #expect(byName.status == 200)
                    #expect(byName.body == vendorShow.stdout, "\(name)")
                }
                let unknown = try await client.get("/v1/vendors/awz", token: token)
                #expect(unknown.status == 404 && unknown.errorCode == "input.unknown_vendor")
                let noCountry = try await client.get("/v1/countries/XX", token: token)
                #expect(noCountry.status == 404 && noCountry.errorCode == "input.unknown_country")
            }
        }
    }

    /// While a writer edits the vendor again and again, every answer's ETag names the revision
    /// whose data its body holds: the revision and the record come from one snapshot.
    @Test func underConcurrentWritesEveryAnswersTagIsTheRevisionOfItsBytes() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url, cacheEntries: 0) { client in
                try await client.untilWatching()
                let admin = try db.connect()
                defer { admin.close() }
                // notes → the revision at which the vendor had them.
                let first = try #require(try admin.query("SELECT v.notes, r.revision FROM vendor v, registry_revision r WHERE v.key = 'aws'").first)
                let written = NIOLockedValueBox([try first.decode(String.self, "notes"): try first.decode(Int64.self, "revision")])
                let writing = NIOLockedValueBox(true)

                let seen = try await withThrowingTaskGroup(of: [(String, Int64?)].self) { group in
                    group.addTask {
                        defer { writing.withLockedValue { $0 = false } }
                        for edit in 1...25 {
                            let notes = "edit \(edit)"
                            let revision = try await offPool {
                                // One writing transaction: the revision goes up by one.
                                try admin.query("UPDATE vendor SET notes = $1 WHERE key = 'aws'", [notes])
                                return try admin.query("SELECT revision FROM registry_revision").first!.decode(Int64.self, "revision")
                            }
                            written.withLockedValue { $0[notes] = revision }
                            try await Task.sleep(for: .milliseconds(5))
                        }
                        return []
                    }
                    for _ in 0..<3 {
                        group.addTask {
                            var seen: [(String, Int64?)] = []
                            while writing.withLockedValue({ $0 }) {
                                let answer = try await client.get("/v1/vendors/aws", token: token)
                                guard answer.status == 200, let body = answer.json as? [String: Any], let notes = body["notes"] as? String else {
                                    Testing.Issue.record("GET /v1/vendors/aws answered \(answer.status): \(answer.body)")
                                    continue
                                }
                                seen.append((notes, Self.revision(answer)))
                            }
                            return seen
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                #expect(seen.count > 3)
                let revisions = written.withLockedValue { $0 }
                for (notes, revision) in seen {
                    #expect(revision != nil && revisions[notes] == revision, "notes '\(notes)' (written at revision \(revisions[notes].map(String.init) ?? "?")) answered with revision \(revision.map(String.init) ?? "none")")
                }
            }
        }
    }
}
