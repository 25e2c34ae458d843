@testable import DomicileAPI
import DomicileCore
import DomicileStore
import Foundation
import Logging
import Postgres
import Testing
import TestSupport
import Yams

@Suite("API endpoints")
struct APIEndpointTests {
    @Test func healthzAnswersWithoutTokenOrDatabase() async throws {
        // Nothing listens on this port: health must not need the database.
        try await APITest.with(url: "postgresql://postgres@127.0.0.1:1/none?connect_timeout=1") { client in
            let answer = try await client.get("/healthz")
            #expect(answer.status == 200)
            #expect(answer.body == "{\"status\":\"ok\"}\n")
        }
    }

    @Test func readyzReportsReachableDatabaseAndCurrentSchema() async throws {
        try await TestDatabase.with(.migrated) { db in
            try await APITest.with(url: db.url) { client in
                let answer = try await client.get("/readyz")
                #expect(answer.status == 200)
                let body = try #require(answer.json as? [String: Any])
                #expect(body["status"] as? String == "ready")
                #expect(body["database"] as? String == "reachable")
                #expect(body["schema"] as? String == "current")
            }
        }
    }

    @Test func readyzReportsPendingMigrations() async throws {
        try await TestDatabase.with(.migrated) { db in
            let admin = try db.connect()
            try admin.query("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)")
            admin.close()
            try await APITest.with(url: db.url) { client in
                let answer = try await client.get("/readyz")
                #expect(answer.status == 503)
                #expect(answer.headers["retry-after"] != nil)
                let body = try #require(answer.json as? [String: Any])
                #expect(body["schema"] as? String == "pending")
                #expect(body["pending_migrations"] as? Int == 1)
            }
        }
    }

    @Test func openAPIDocumentIsServedAsIsWithoutToken() async throws {
        try await TestDatabase.with(.migrated) { db in
            try await APITest.with(url: db.url) { client in
                let answer = try await client.get("/openapi.yaml")
                #expect(answer.status == 200)
                #expect(answer.body == APITest.document)
                #expect(answer.headers["content-type"]?.hasPrefix("application/yaml") == true)
                let tag = try #require(answer.headers["etag"])
                #expect(try await client.get("/openapi.yaml", headers: ["If-None-Match": tag]).status == 304)
            }
        }
    }

    @Test func everyRouteIsInTheDocumentAndEveryDocumentedRouteExists() throws {
        let document = try #require(try Yams.load(yaml: APITest.document) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        var documented: Set<String> = []
        for (path, item) in paths {
            for method in (item as? [String: Any] ?? [:]).keys where ["get", "put", "post", "delete", "patch", "head", "options"].contains(method) {
                documented.insert(method.uppercased() + " " + path)
            }
        }
        // What the router serves, read from the router itself (no server started, nothing connects).
        let database = ReaderDatabase(conninfo: "postgresql://127.0.0.1:1/none", environment: [:], maximumConnections: 1)
        defer { Task { try? await database.shutdown() } }
        let router = APIServer.buildRouter(
            configuration: APIConfiguration(openAPIDocument: APITest.document, migrator: try APITest.migrator()), database: database,
            watch: RegistryWatch(conninfo: nil, environment: [:], logger: Logger(label: "test")), cache: ResponseCache(capacityBytes: 0),
            logger: Logger(label: "test"))
        let served = Set(APIServer.routes(of: router).map { $0.method + " " + $0.path })
        #expect(served.contains("GET /v1/vendors/{id}"), "\(served.sorted())")
        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
        #expect(document["openapi"] as? String == "3.1.0")
    }

    /// The `key` of every object of a JSON array answer.
    static func keys(_ text: String) -> [String] {
        ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
    }

    @Test func servicesAndVendorsAreTheCLIsJSONListings() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            // The second path: the command's listings for the same day.
            let services = try await APITest.cli(["service", "list", "--format", "json", "--as-of", "2026-11-28"], db)
            let vendors = try await APITest.cli(["vendor", "list", "--format", "json", "--as-of", "2026-11-28"], db)
            let allVendors = try await APITest.cli(["vendor", "list", "--format", "json", "--all"], db)
            #expect([services, vendors, allVendors].allSatisfy { $0.status == 0 })
            try await APITest.with(url: db.url) { client in
                let servicesAnswer = try await client.get("/v1/services?as_of=2026-11-28", token: token)
                #expect(servicesAnswer.status == 200)
                #expect(servicesAnswer.headers["content-type"] == "application/json; charset=utf-8")
                #expect(Self.keys(servicesAnswer.body) == ["persona"])
                #expect(Self.keys(servicesAnswer.body) == Self.keys(services.stdout))
                let vendorsAnswer = try await client.get("/v1/vendors?as_of=2026-11-28", token: token)
                #expect(Self.keys(vendorsAnswer.body).contains("aws"))
                #expect(Self.keys(vendorsAnswer.body) == Self.keys(vendors.stdout))
                let everything = try await client.get("/v1/vendors?all=true", token: token)
                #expect(Self.keys(everything.body) == Self.keys(allVendors.stdout))
                let past = try await client.get("/v1/services?as_of=1999-01-01", token: token)
                #expect(past.status == 200)
                #expect((past.json as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func vendorIsFoundByKeyOrAliasAndUnknownIsA404WithSuggestion() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                let aws = try await client.get("/v1/vendors/aws", token: token)
                #expect(aws.status == 200)
                let body = try #require(aws.json as? [String: Any])
                #expect(body["key"] as? String == "aws")
                #expect(body["headquarters"] as? String == "US")
                let byName = try await client.get("/v1/vendors/Amazon%20Web%20Services,%20Inc.", token: token)
                #expect((byName.json as? [String: Any])?["key"] as? String == "aws")
                let unknown = try await client.get("/v1/vendors/awz", token: token)
                #expect(unknown.status == 404)
                #expect(unknown.errorCode == "input.unknown_vendor")
                #expect(unknown.errorField == "id")
                #expect(unknown.errorMessage?.contains("did you mean aws?") == true)
            }
        }
    }

    @Test func countriesListAndOneCountryCaseInsensitively() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                let all = try await client.get("/v1/countries", token: token)
                #expect(all.status == 200)
                #expect(((all.json as? [Any])?.count ?? 0) > 240)
                let japan = try await client.get("/v1/countries/jp", token: token)
                #expect(japan.status == 200)
                let body = try #require(japan.json as? [String: Any])
                #expect(body["code"] as? String == "JP")
                #expect(body["name_ja"] as? String == "日本")
                let unknown = try await client.get("/v1/countries/XX", token: token)
                #expect(unknown.status == 404)
                #expect(unknown.errorCode == "input.unknown_country")
                #expect(unknown.errorField == "code")
            }
        }
    }

    @Test func whereIsTheCLIsAnswerAndRefusesWhatTheCLIRefuses() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            // The second path: `domicile where` with the same question on the same day.
            let command = try await APITest.cli(
                ["where", "--service", "persona", "--category", "user.contact", "--as-of", "2026-11-28", "--format", "json"], db)
            let commandCSV = try await APITest.cli(
                ["where", "--country", "JP", "--transitive", "--by", "country", "--as-of", "2026-11-28", "--format", "csv"], db)
            #expect(command.status == 0 && commandCSV.status == 0, "\(command)\n\(commandCSV)")
            try await APITest.with(url: db.url) { client in
                let answer = try await client.get("/v1/where?service=persona&category=user.contact&as_of=2026-11-28", token: token)
                #expect(answer.status == 200)
                #expect(answer.body == command.stdout)
                #expect(answer.body.contains("persona-aws-tokyo-storage"))
                let csv = try await client.get("/v1/where?country=JP&transitive=true&by=country&format=csv&as_of=2026-11-28", token: token)
                #expect(csv.status == 200)
                #expect(csv.headers["content-type"] == "text/csv; charset=utf-8")
                #expect(csv.body == commandCSV.stdout)
                #expect(csv.body.hasPrefix("country,"))
                let badCountry = try await client.get("/v1/where?country=JA", token: token)
                #expect(badCountry.status == 404)
                #expect(badCountry.errorField == "country")
                #expect(badCountry.errorMessage?.contains("did you mean JP") == true)
                let badVendor = try await client.get("/v1/where?vendor=amazn", token: token)
                #expect(badVendor.status == 404)
                #expect(badVendor.errorField == "vendor")
                let badFormat = try await client.get("/v1/where?format=html", token: token)
                #expect(badFormat.errorField == "format")
            }
        }
    }

    @Test func badQueryParametersAre400sNamingTheParameter() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                let badDay = try await client.get("/v1/services?as_of=2025-13-01", token: token)
                #expect(badDay.status == 400)
                #expect(badDay.errorCode == "input.invalid_as_of")
                #expect(badDay.errorField == "as_of")
                let unknown = try await client.get("/v1/vendors?asof=2025-01-01", token: token)
                #expect(unknown.status == 400)
                #expect(unknown.errorCode == "request.unknown_parameter")
                #expect(unknown.errorField == "asof")
                #expect(unknown.errorMessage?.contains("did you mean as_of?") == true)
                let notBool = try await client.get("/v1/vendors?all=yes", token: token)
                #expect(notBool.errorField == "all")
                let both = try await client.get("/v1/vendors?all=true&as_of=2025-01-01", token: token)
                #expect(both.status == 400)
                let repeated = try await client.get("/v1/vendors?as_of=2025-01-01&as_of=2025-01-02", token: token)
                #expect(repeated.errorCode == "request.repeated_parameter")
                let control = try await client.get("/v1/vendors/a%00b", token: token)
                #expect(control.status == 400)
                #expect(control.errorField == "id")
            }
        }
    }

    @Test func unknownRouteAndOtherMethodsAreJSONErrors() async throws {
        try await TestDatabase.with(.migrated) { db in
            try await APITest.with(url: db.url) { client in
                let missing = try await client.get("/v1/nothing")
                #expect(missing.status == 404)
                #expect(missing.errorCode == "route.not_found")
                for method in ["POST", "PUT", "DELETE", "PATCH"] {
                    let write = try await client.request(method, "/v1/vendors", body: method == "DELETE" ? "" : "{}")
                    #expect(write.status == 405, "\(method)")
                    #expect(write.errorCode == "route.method_not_allowed")
                    #expect(write.headers["allow"] == "GET, HEAD")
                }
                let getWithBody = try await client.request("GET", "/v1/vendors", body: "{}")
                #expect(getWithBody.status == 413)
                #expect(getWithBody.errorCode == "request.too_large")
                let long = try await client.get("/v1/vendors?as_of=" + String(repeating: "9", count: 5000))
                #expect(long.status == 414)
                #expect(long.errorCode == "request.uri_too_long")
            }
        }
    }
}
