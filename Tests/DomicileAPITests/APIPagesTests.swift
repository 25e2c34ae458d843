import DomicileAPI
import Foundation
import Testing
import TestSupport

/// Issue 17 point 2: every list pages by keyset (`limit`, `cursor`, `Link: <…>; rel="next"`),
/// a page is as of one registry revision, and the whole list stays what it was.
@Suite("API pages")
struct APIPagesTests {
    /// PERSONA plus enough vendors that a page of 100 is not the whole list.
    static func withManyVendors<T>(_ body: (TestDatabase) async throws -> T) async throws -> T {
        try await APITest.withPersona { db in
            let admin = try db.connect()
            // Keys that sort among PERSONA's (a-…, z-…) and one with a character past ASCII's letters.
            try admin.query(
                """
                INSERT INTO vendor (key, legal_name, kinds, headquarters, risk_tier, valid_from)
                SELECT k, 'Bulk ' || k, '{cloud_provider}', 'US', 'low', '2020-01-01'
                FROM (SELECT (CASE WHEN i % 2 = 0 THEN 'a-' ELSE 'z-' END) || lpad(i::text, 3, '0') AS k FROM generate_series(1, 130) i) keys
                """)
            try admin.query(
                """
                INSERT INTO service (key, name, organization_id, valid_from)
                SELECT 'svc-' || lpad(i::text, 2, '0'), 'Service ' || i, (SELECT min(id) FROM organization), '2020-01-01'
                FROM generate_series(1, 12) i
                """)
            admin.close()
            return try await body(db)
        }
    }

    /// The `next` URL of a Link header, or nil.
    static func next(_ answer: Answer) -> String? {
        guard let link = answer.headers["link"] else { return nil }
        guard link.hasPrefix("<"), let end = link.firstIndex(of: ">"), link.hasSuffix("; rel=\"next\"") else { return "malformed: " + link }
        return String(link[link.index(after: link.startIndex)..<end])
    }

    /// Every page from `first`, following Link; the answers in order.
    static func walk(_ client: APIClient, _ first: String, token: String) async throws -> [Answer] {
        var answers: [Answer] = []
        var target: String? = first
        while let url = target {
            let answer = try await client.get(url, token: token)
            #expect(answer.status == 200, "\(url): \(answer.body)")
            answers.append(answer)
            guard answer.status == 200, answers.count < 2000 else { break }
            target = next(answer)
        }
        return answers
    }

    static func array(_ answer: Answer, _ member: String? = nil) -> [NSDictionary] {
        if let member { return ((answer.json as? [String: Any])?[member] as? [NSDictionary]) ?? [] }
        return (answer.json as? [NSDictionary]) ?? []
    }

    @Test("Walking every page with limit 1, 7 and 100 gives exactly the whole list, in order")
    func walkingPagesGivesTheWholeList() async throws {
        try await Self.withManyVendors { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                // (list, JSON member holding the rows, or nil for an array)
                let lists: [(String, String?)] = [
                    ("/v1/vendors?all=true", nil), ("/v1/vendors?as_of=2026-11-28", nil), ("/v1/services?all=true", nil),
                    ("/v1/countries", nil), ("/v1/where?transitive=true&as_of=2026-11-28", "rows"),
                    ("/v1/where?by=country&transitive=true&as_of=2026-11-28", "countries"),
                    ("/v1/where?by=service&as_of=2026-11-28", "services"),
                ]
                for (list, member) in lists {
                    let whole = try await client.get(list, token: token)
                    #expect(whole.status == 200)
                    #expect(whole.headers["link"] == nil, "the whole list has no next page")
                    let expected = Self.array(whole, member)
                    #expect(expected.count > 1 || member == "services", "\(list) has rows to page")
                    for limit in [1, 7, 100] {
                        let pages = try await Self.walk(client, list + (list.contains("?") ? "&" : "?") + "limit=\(limit)", token: token)
                        let rows = pages.flatMap { Self.array($0, member) }
                        #expect(rows == expected, "\(list) limit \(limit): \(rows.count) rows of \(expected.count)")
                        #expect(pages.count == max(1, (expected.count + limit - 1) / limit), "\(list) limit \(limit)")
                        #expect(pages.dropLast().allSatisfy { Self.array($0, member).count == limit })
                        #expect(pages.last.map { Self.next($0) == nil } == true, "no Link on the last page")
                        if let member {
                            // Everything but the rows is the whole answer's (cycles included).
                            var outside = (whole.json as? [String: Any]) ?? [:]
                            outside[member] = nil
                            for page in pages {
                                var pageOutside = (page.json as? [String: Any]) ?? [:]
                                pageOutside[member] = nil
                                #expect(NSDictionary(dictionary: pageOutside) == NSDictionary(dictionary: outside))
                            }
                        }
                    }
                }
                // 100 vendors: more than one page, so limit 100 really pages.
                #expect(Self.array(try await client.get("/v1/vendors?all=true", token: token)).count > 100)
            }
        }
    }

    @Test("The next URL keeps every other parameter; CSV where answers page too, each page with its header")
    func linkKeepsParametersAndCSVPages() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                let first = try await client.get("/v1/where?as_of=2026-11-28&transitive=true&format=csv&limit=3", token: token)
                #expect(first.status == 200)
                #expect(first.headers["content-type"] == "text/csv; charset=utf-8")
                let next = try #require(Self.next(first))
                #expect(next.hasPrefix("/v1/where?"))
                for part in ["as_of=2026-11-28", "transitive=true", "format=csv", "limit=3", "cursor="] {
                    #expect(next.contains(part), "\(next) keeps \(part)")
                }
                let whole = try await client.get("/v1/where?as_of=2026-11-28&transitive=true&format=csv", token: token)
                let pages = try await Self.walk(client, "/v1/where?as_of=2026-11-28&transitive=true&format=csv&limit=3", token: token)
                let lines = whole.body.split(separator: "\n", omittingEmptySubsequences: false)
                let header = lines[0]
                #expect(pages.allSatisfy { $0.body.hasPrefix(header + "\n") })
                let rows = pages.flatMap { $0.body.split(separator: "\n").dropFirst() }
                #expect(rows == Array(lines.dropFirst().filter { !$0.isEmpty }), "CSV pages are the whole CSV's rows")
                // The format may change between pages: a JSON page after a CSV one.
                let asJSON = try await client.get(next.replacingOccurrences(of: "format=csv", with: "format=json"), token: token)
                #expect(asJSON.status == 200)
                #expect(asJSON.headers["content-type"] == "application/json; charset=utf-8")
                // A cursor alone pages by 100.
                let cursorOnly = try await client.get(next.replacingOccurrences(of: "limit=3&", with: ""), token: token)
                #expect(cursorOnly.status == 200, "\(cursorOnly.body)")
            }
        }
    }

    @Test("A changed, cut, foreign or made-up cursor, and a limit out of range, are 400s naming the parameter")
    func badCursorsAndLimits() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                let first = try await client.get("/v1/vendors?all=true&limit=2", token: token)
                let next = try #require(Self.next(first))
                let cursor = String(try #require(next.split(separator: "cursor=").last?.split(separator: "&").first))
                #expect(try await client.get(next, token: token).status == 200)
                var tampered: [String] = ["x", "AAAA", String(cursor.dropLast(4)), cursor + "A", "%00", "a.b"]
                for index in [0, cursor.count / 2, cursor.count - 1] {
                    var characters = Array(cursor)
                    characters[index] = characters[index] == "A" ? "B" : "A"
                    tampered.append(String(characters))
                }
                for bad in tampered {
                    let answer = try await client.get("/v1/vendors?all=true&limit=2&cursor=" + bad, token: token)
                    #expect(answer.status == 400, "\(bad): \(answer.body)")
                    #expect(answer.errorCode == "input.invalid_cursor", "\(bad)")
                    #expect(answer.errorField == "cursor")
                }
                // Another list's cursor, or this one's with other filters.
                for foreign in ["/v1/services?all=true&limit=2&cursor=", "/v1/vendors?limit=2&cursor=", "/v1/vendors?as_of=2026-11-28&limit=2&cursor=",
                                "/v1/where?limit=2&cursor=", "/v1/countries?limit=2&cursor="] {
                    let answer = try await client.get(foreign + cursor, token: token)
                    #expect(answer.status == 400, "\(foreign): \(answer.body)")
                    #expect(answer.errorField == "cursor")
                    #expect(answer.errorMessage?.contains("another list") == true)
                }
                for limit in ["0", "1001", "-1", "abc", "1e2", "", "+5", "99999"] {
                    let answer = try await client.get("/v1/vendors?limit=" + limit, token: token)
                    #expect(answer.status == 400, "limit=\(limit)")
                    #expect(answer.errorField == "limit", "limit=\(limit)")
                }
                #expect(try await client.get("/v1/vendors?limit=1000", token: token).status == 200)
            }
        }
    }

    @Test("A write between pages: the next page is 410 request.stale_cursor, never a page of another revision")
    func writeBetweenPages() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                try await client.untilWatching()
                let first = try await client.get("/v1/vendors?all=true&limit=3", token: token)
                let next = try #require(Self.next(first))
                let countries = try await client.get("/v1/countries?limit=5", token: token)
                let nextCountries = try #require(Self.next(countries))
                let wherePage = try await client.get("/v1/where?as_of=2026-11-28&limit=2", token: token)
                let nextWhere = try #require(Self.next(wherePage))
                // Before the write, the next page is served (and again, from memory).
                let second = try await client.get(next, token: token)
                #expect(second.status == 200)
                let calls = client.databaseCalls
                #expect(try await client.get(next, token: token).body == second.body)
                #expect(client.databaseCalls == calls, "a page already rendered is answered from the cache")

                let admin = try db.connect()
                try admin.query("UPDATE vendor SET notes = 'written between pages' WHERE key = 'aws'")
                admin.close()
                let tag = try #require(first.headers["etag"])
                _ = try await client.eventually("/v1/vendors?all=true&limit=3", token: token) { $0.headers["etag"] != tag }

                for stale in [next, nextCountries, nextWhere] {
                    let answer = try await client.get(stale, token: token)
                    #expect(answer.status == 410, "\(stale): \(answer.body)")
                    #expect(answer.errorCode == "request.stale_cursor")
                    #expect(answer.errorField == "cursor")
                    #expect(answer.errorMessage?.contains("start again without cursor") == true)
                }
                // Starting again walks the new revision.
                let again = try await Self.walk(client, "/v1/vendors?all=true&limit=3", token: token)
                let whole = try await client.get("/v1/vendors?all=true", token: token)
                #expect(again.flatMap { Self.array($0) } == Self.array(whole))
                #expect(whole.body.contains("written between pages"))
            }
        }
    }
}
