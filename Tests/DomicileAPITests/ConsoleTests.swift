@testable import DomicileAPI
import DomicileCore
@testable import DomicileStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Testing
import TestSupport

/// The web console (`/`): signing in and out, what a session may see, escaping, headers,
/// languages and caching. Requests go over raw sockets (`APIClient.raw`) so that redirects
/// and `Set-Cookie` are seen as the browser gets them.
@Suite("Web console")
struct ConsoleTests {
    static let policy = ConsoleRoutes.contentSecurityPolicy

    @Test func signingInWithAValidInvalidOrRevokedToken() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db, name: "manager")
            let revoked = try APITest.token(db, name: "gone")
            let store = try db.store()
            try store.revokeToken(name: "gone", actor: "test")
            store.connection.close()
            let logs = LogCapture()
            try await APITest.with(url: db.url, logs: logs) { client in
                // No session: the page sends the browser to the form, which comes back here.
                let anonymous = try await client.raw("GET", "/check?as_of=2026-11-28")
                #expect(anonymous.status == 303)
                #expect(anonymous.headers["location"] == "/sign-in?next=%2Fcheck%3Fas_of%3D2026-11-28")
                // The API keeps answering 401 JSON.
                #expect(try await client.raw("GET", "/v1/vendors").status == 401)

                let form = try await client.raw("GET", "/sign-in?next=%2Fcheck")
                #expect(form.status == 200)
                #expect(form.body.contains("<label for=\"token\">"))
                #expect(form.body.contains("name=\"next\" value=\"/check\""))
                #expect(form.headers["content-security-policy"] == Self.policy)

                for (bad, reason) in [("dmc_1_nonsense", "not valid"), (revoked, "revoked")] {
                    let refused = try await client.signIn(bad)
                    #expect(refused.status == 401, "\(reason)")
                    #expect(refused.headers["set-cookie"] == nil)
                    #expect(refused.body.contains(reason))
                    #expect(!refused.body.contains(bad), "the token is never echoed")
                }
                #expect(try await client.signIn("").status == 400)

                let signedIn = try await client.signIn(token, next: "/check")
                #expect(signedIn.status == 303)
                #expect(signedIn.headers["location"] == "/check")
                let setCookie = try #require(signedIn.headers["set-cookie"])
                let attributes = Set(setCookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
                #expect(attributes == ["Path=/", "HttpOnly", "SameSite=Strict"])
                let cookie = try #require(Self.cookie(signedIn))
                #expect(!cookie.contains(token) && !cookie.contains(APIToken.hash(token)), "the cookie is not the token")

                let page = try await client.raw("GET", "/check", headers: ["Cookie": cookie])
                #expect(page.status == 200)
                #expect(page.headers["content-type"] == "text/html; charset=utf-8")
                #expect(!page.body.contains(token))
                // The session authenticates the API's GET routes too (the download links).
                let api = try await client.raw("GET", "/v1/vendors", headers: ["Cookie": cookie])
                #expect(api.status == 200)
                #expect(api.headers["content-type"] == "application/json; charset=utf-8")

                // Behind a TLS proxy the cookie is Secure.
                let secure = try await client.signIn(token, headers: ["X-Forwarded-Proto": "https"])
                #expect(secure.headers["set-cookie"]?.hasSuffix("; Secure") == true)

                // Revoking the token ends the session at once (the server learns of the write by notification).
                let revoking = try db.store()
                try revoking.revokeToken(name: "manager", actor: "test")
                revoking.connection.close()
                var after = try await client.raw("GET", "/check", headers: ["Cookie": cookie])
                for _ in 0..<3000 where after.status != 303 {
                    try await Task.sleep(for: .milliseconds(20))
                    after = try await client.raw("GET", "/check", headers: ["Cookie": cookie])
                }
                #expect(after.status == 303)
                #expect(try await client.raw("GET", "/v1/vendors", headers: ["Cookie": cookie]).status == 401)
            }
            // Neither the token nor the session id reaches the log.
            #expect(!logs.all.isEmpty)
            #expect(logs.all.allSatisfy { !$0.contains(token) && !$0.contains(revoked) })
            #expect(logs.all.allSatisfy { !$0.contains("domicile_session=") })
        }
    }

    @Test func signingOutEndsTheSession() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                let cookie = try #require(Self.cookie(try await client.signIn(token)))
                #expect(try await client.raw("GET", "/", headers: ["Cookie": cookie]).status == 200)
                let page = try await client.raw("GET", "/", headers: ["Cookie": cookie])
                #expect(page.body.contains("<form method=\"post\" action=\"/sign-out\">"))

                let out = try await client.raw("POST", "/sign-out", headers: ["Cookie": cookie])
                #expect(out.status == 303)
                #expect(out.headers["location"] == "/sign-in?signed_out=1")
                #expect(out.headers["set-cookie"]?.contains("Max-Age=0") == true)
                // The old cookie no longer opens anything, page or API.
                #expect(try await client.raw("GET", "/", headers: ["Cookie": cookie]).status == 303)
                #expect(try await client.raw("GET", "/v1/vendors", headers: ["Cookie": cookie]).status == 401)
                let form = try await client.raw("GET", out.headers["location"] ?? "")
                #expect(form.body.contains("You have signed out."))
            }
        }
    }

    @Test func aReportsTokenSeesTheReportsPageOnly() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db, name: "auditor", scope: .reports)
            try await APITest.with(url: db.url) { client in
                let signedIn = try await client.signIn(token)
                #expect(signedIn.headers["location"] == "/reports")
                let cookie = try #require(Self.cookie(signedIn))
                let reports = try await client.raw("GET", "/reports", headers: ["Cookie": cookie])
                #expect(reports.status == 200)
                #expect(!reports.body.contains("href=\"/vendors\""), "the navigation offers only what the token may open")
                for path in ["/", "/check", "/vendors", "/vendors/aws", "/services", "/where", "/countries", "/audit"] {
                    let refused = try await client.raw("GET", path, headers: ["Cookie": cookie])
                    #expect(refused.status == 403, "\(path)")
                    #expect(refused.headers["content-type"] == "text/html; charset=utf-8")
                    #expect(refused.body.contains("reports page only"))
                }
                // Each report link on the page answers with the cookie.
                let links = Self.links(reports.body).filter { $0.hasPrefix("/v1/reports/") }
                #expect(links.count >= 4 * 2 * 3)
                for link in links.prefix(6) {
                    #expect(try await client.raw("GET", link, headers: ["Cookie": cookie]).status == 200, "\(link)")
                }
                #expect(try await client.raw("GET", "/v1/vendors", headers: ["Cookie": cookie]).status == 403)
            }
        }
    }

    @Test func noRouteWrites() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                let cookie = try #require(Self.cookie(try await client.signIn(token)))
                for method in ["POST", "PUT", "DELETE", "PATCH"] {
                    for path in ["/", "/vendors", "/reports", "/check", "/console.css"] {
                        let answer = try await client.raw(method, path, headers: ["Cookie": cookie], body: "x=1")
                        #expect(answer.status == 405, "\(method) \(path)")
                    }
                }
                for method in ["PUT", "DELETE"] {
                    #expect(try await client.raw(method, "/sign-in", headers: ["Cookie": cookie]).status == 405)
                }
                // A form larger than 4 KiB is refused before it is read.
                let large = try await client.signIn(String(repeating: "a", count: 5000))
                #expect(large.status == 413)
                // Another site's page cannot sign a browser in or out.
                let forged = try await client.signIn(token, headers: ["Origin": "http://evil.example"])
                #expect(forged.status == 403)
                #expect(forged.headers["set-cookie"] == nil)
                let crossSite = try await client.raw("POST", "/sign-out", headers: ["Cookie": cookie, "Sec-Fetch-Site": "cross-site"])
                #expect(crossSite.status == 403)
                #expect(try await client.raw("GET", "/", headers: ["Cookie": cookie]).status == 200)
            }
        }
    }

    @Test func registryValuesAndRequestTextAreEscaped() async throws {
        try await APITest.withPersona { db in
            let added = try await APITest.cli(
                ["organization", "add", "evil", "--name", "<script>alert(1)</script>", "--name-ja", "\"><img src=x>", "--country", "JP"], db)
            #expect(added.status == 0, "\(added.stderr)")
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                let cookie = try #require(Self.cookie(try await client.signIn(token)))
                let english = try await client.raw("GET", "/", headers: ["Cookie": cookie])
                #expect(english.status == 200)
                #expect(english.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                #expect(!english.body.contains("<script"))
                let japanese = try await client.raw("GET", "/?lang=ja", headers: ["Cookie": cookie])
                #expect(japanese.body.contains("&quot;&gt;&lt;img src=x&gt;"))
                #expect(!japanese.body.contains("<img"))
                // What the request carries is escaped too (here the page to come back to).
                let form = try await client.raw("GET", "/sign-in?next=%2F%22%3E%3Cscript%3Ex%3C%2Fscript%3E")
                #expect(form.body.contains("value=\"/&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""))
                #expect(!form.body.contains("<script"))
                // A `next` leading off this server is dropped.
                for next in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
                    let signedIn = try await client.signIn(token, next: next)
                    #expect(signedIn.headers["location"] == "/", "\(next)")
                }
            }
        }
    }

    @Test func pagesCarryAStrictPolicyAndTheStylesheetIsServed() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                let cookie = try #require(Self.cookie(try await client.signIn(token)))
                for path in ["/", "/reports", "/check", "/sign-in"] {
                    let page = try await client.raw("GET", path, headers: ["Cookie": cookie])
                    #expect(page.status == 200, "\(path)")
                    #expect(page.headers["content-security-policy"] == Self.policy, "\(path)")
                    #expect(page.headers["x-content-type-options"] == "nosniff")
                    #expect(!page.body.contains("<script"), "no script on \(path)")
                    #expect(!page.body.contains("style="), "no inline style on \(path) (the policy would block it)")
                    // Only the console's own stylesheet is linked.
                    #expect(page.body.contains("<link rel=\"stylesheet\" href=\"\(ConsoleStyle.href)\">"))
                }
                let css = try await client.raw("GET", ConsoleStyle.href)
                #expect(css.status == 200)
                #expect(css.headers["content-type"] == "text/css; charset=utf-8")
                let tag = try #require(css.headers["etag"])
                #expect(try await client.raw("GET", ConsoleStyle.path, headers: ["If-None-Match": tag]).status == 304)
                // An error page in a browser is HTML with the same policy.
                let bad = try await client.raw("GET", "/check?as_of=2026-13-01", headers: ["Cookie": cookie])
                #expect(bad.status == 400)
                #expect(bad.headers["content-security-policy"] == Self.policy)
                #expect(bad.body.contains("as_of"))
            }
        }
    }

    @Test func theLanguageComesFromAcceptLanguageOrTheSwitch() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                let cookie = try #require(Self.cookie(try await client.signIn(token)))
                let english = try await client.raw("GET", "/", headers: ["Cookie": cookie])
                #expect(english.body.contains("<html lang=\"en\">"))
                #expect(english.body.contains(">Overview</h1>"))
                // The switch: the same page in Japanese, and every link then keeps it.
                #expect(english.body.contains("href=\"/?lang=ja\" lang=\"ja\" hreflang=\"ja\">日本語</a>"))

                let preferred = try await client.raw("GET", "/", headers: ["Cookie": cookie, "Accept-Language": "ja-JP,ja;q=0.9,en;q=0.5"])
                #expect(preferred.body.contains("<html lang=\"ja\">"))
                #expect(preferred.body.contains(">概要</h1>"))
                #expect(preferred.headers["vary"]?.contains("Accept-Language") == true)

                let weighted = try await client.raw("GET", "/", headers: ["Cookie": cookie, "Accept-Language": "ja;q=0.3, en-GB;q=0.8"])
                #expect(weighted.body.contains("<html lang=\"en\">"))

                let switched = try await client.raw("GET", "/check?lang=ja", headers: ["Cookie": cookie, "Accept-Language": "en"])
                #expect(switched.body.contains("<html lang=\"ja\">"))
                #expect(switched.body.contains("href=\"/vendors?lang=ja\""))
                #expect(switched.body.contains("href=\"/check\" lang=\"en\" hreflang=\"en\">English</a>") == false)
                #expect(switched.body.contains("href=\"/check?lang=en\" lang=\"en\" hreflang=\"en\">English</a>"))
                #expect(switched.body.contains("<input type=\"hidden\" name=\"lang\" value=\"ja\">"))
            }
        }
    }

    @Test func pagesAreCachedPerRevisionAndLanguageWithETags() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            let cache = ResponseCache(capacityBytes: 16 * 1_048_576)
            try await APITest.with(url: db.url, cache: cache) { client in
                try await client.untilWatching()
                let cookie = try #require(Self.cookie(try await client.signIn(token)))
                let english = try await client.raw("GET", "/", headers: ["Cookie": cookie])
                let tag = try #require(english.headers["etag"])
                let rendersAfterFirst = cache.statistics.renders
                let callsBefore = client.databaseCalls
                let again = try await client.raw("GET", "/", headers: ["Cookie": cookie, "If-None-Match": tag])
                #expect(again.status == 304)
                // No database work for an unchanged page: the session's token is remembered, the page kept.
                #expect(client.databaseCalls == callsBefore)
                #expect(again.headers["etag"] == tag)
                #expect(cache.statistics.renders == rendersAfterFirst, "answered from memory")

                // Japanese is another answer: another render, another tag; the English tag does not match it.
                let japanese = try await client.raw("GET", "/", headers: ["Cookie": cookie, "Accept-Language": "ja", "If-None-Match": tag])
                #expect(japanese.status == 200)
                let japaneseTag = try #require(japanese.headers["etag"])
                #expect(japaneseTag != tag)
                #expect(japanese.body != english.body)
                #expect(cache.statistics.renders == rendersAfterFirst + 1)
                let japaneseAgain = try await client.raw("GET", "/", headers: ["Cookie": cookie, "Accept-Language": "ja"])
                #expect(japaneseAgain.body == japanese.body)
                #expect(cache.statistics.renders == rendersAfterFirst + 1)
                let englishAgain = try await client.raw("GET", "/", headers: ["Cookie": cookie])
                #expect(englishAgain.body == english.body)

                // A write is a new revision: a new page and tag.
                let added = try await APITest.cli(["organization", "add", "second", "--name", "Second Org", "--country", "JP"], db)
                #expect(added.status == 0)
                var after = try await client.raw("GET", "/", headers: ["Cookie": cookie, "If-None-Match": tag])
                for _ in 0..<3000 where after.status == 304 {
                    try await Task.sleep(for: .milliseconds(20))
                    after = try await client.raw("GET", "/", headers: ["Cookie": cookie, "If-None-Match": tag])
                }
                #expect(after.status == 200)
                #expect(after.body.contains("Second Org"))
            }
        }
    }

    @Test func theOverviewAndCheckPagesShowWhatTheCheckFinds() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            try await APITest.with(url: db.url) { client in
                let cookie = try #require(Self.cookie(try await client.signIn(token)))
                // The second path: the API's check for the same day.
                let json = try await client.get("/v1/check", token: token)
                let object = try #require(json.json as? [String: Any])
                let summary = try #require(object["summary"] as? [String: Any])
                let errors = try #require(summary["errors"] as? Int)
                let warnings = try #require(summary["warnings"] as? Int)
                let findings = try #require(object["findings"] as? [[String: Any]])
                #expect(!findings.isEmpty, "PERSONA has findings to show")

                let overview = try await client.raw("GET", "/", headers: ["Cookie": cookie])
                #expect(overview.body.contains("<span class=\"count error\">\(errors)</span>"))
                #expect(overview.body.contains("<span class=\"count warning\">\(warnings)</span>"))
                #expect(overview.body.contains("href=\"/check#severity-error\""))

                let check = try await client.raw("GET", "/check", headers: ["Cookie": cookie])
                #expect(check.status == 200)
                for finding in findings {
                    let rule = try #require(finding["rule"] as? String)
                    #expect(check.body.contains("id=\"rule-\(rule)\""), "\(rule)")
                    let subject = "\(finding["kind"] as? String ?? "")/\(finding["key"] as? String ?? "")"
                    #expect(check.body.contains(">\(subject)</"), "\(subject)")
                }
                // A vendor's finding links to the vendor's page.
                if let vendorFinding = findings.first(where: { $0["kind"] as? String == "vendor" }), let key = vendorFinding["key"] as? String {
                    #expect(check.body.contains("href=\"/vendors/\(key)\""))
                }
                // Every rule is described, with its basis, whether or not it found anything.
                for rule in CheckRule.all {
                    #expect(check.body.contains("id=\"rule-\(rule.id)\""), "\(rule.id)")
                    #expect(check.body.contains(Self.escaped(rule.basis)), "\(rule.id)")
                }
                let japanese = try await client.raw("GET", "/check?lang=ja", headers: ["Cookie": cookie])
                for rule in CheckRule.all {
                    #expect(japanese.body.contains(try #require(ConsoleRules.japaneseTitles[rule.id])), "\(rule.id)")
                }
            }
        }
    }

    @Test func everyLabelAndRuleTitleHasBothLanguages() {
        let templates = [
            Overview.template, CheckPage.template, ReportsPage.template, ConsoleRoutes.signInTemplate, ConsoleErrors.template,
            ConsolePages.placeholderTemplate,
        ]
        for template in templates {
            for (name, label) in template.labels {
                #expect(!label.en.isEmpty && !label.ja.isEmpty, "\(template.name).\(name)")
            }
        }
        for rule in CheckRule.all {
            #expect(ConsoleRules.japaneseTitles[rule.id]?.isEmpty == false, "\(rule.id)")
        }
        #expect(Set(ConsoleRules.japaneseTitles.keys) == Set(CheckRule.all.map(\.id)), "no title for a rule that does not exist")
        for kind in DueList.Kind.allCases {
            #expect(Overview.dueKinds[kind] != nil, "\(kind)")
        }
        // Accept-Language: the highest weight of the two languages wins; neither is English.
        #expect(ConsoleLanguage.preferred("ja-JP,ja;q=0.9,en;q=0.8") == .ja)
        #expect(ConsoleLanguage.preferred("fr, en;q=0.1, ja;q=0.2") == .ja)
        #expect(ConsoleLanguage.preferred("fr, de") == .en)
        #expect(ConsoleLanguage.preferred("ja;q=0") == .en)
        #expect(ConsoleLanguage.preferred(nil) == .en)
    }

    @Test func sessionsAreBoundedAndEnd() async throws {
        func request(_ cookie: String) -> Request {
            Request(
                head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/", headerFields: [.cookie: cookie]),
                body: .init(buffer: ByteBuffer()))
        }
        let credential = TokenCredential(token: "dmc_1_secret")
        let sessions = ConsoleSessions(capacity: 2)
        let first = sessions.start(credential)
        let second = sessions.start(credential)
        #expect(sessions.credential(request("other=1; domicile_session=" + first)) == credential)
        // Full: the least recently used (now the second) goes.
        let third = sessions.start(credential)
        #expect(sessions.count == 2)
        #expect(sessions.credential(request("domicile_session=" + second)) == nil)
        #expect(sessions.credential(request("domicile_session=" + first)) == credential)
        #expect(sessions.credential(request("domicile_session=" + third)) == credential)
        // Signing out forgets it; a made-up or malformed cookie names nothing.
        sessions.end(request("domicile_session=" + third))
        #expect(sessions.credential(request("domicile_session=" + third)) == nil)
        #expect(sessions.credential(request("domicile_session=" + String(repeating: "A", count: 43))) == nil)
        #expect(sessions.credential(request("domicile_session=<script>")) == nil)
        #expect(Set([first, second, third]).count == 3)

        // Unused for longer than the idle limit: gone.
        let short = ConsoleSessions(idleLimit: .milliseconds(1))
        let id = short.start(credential)
        try await Task.sleep(for: .milliseconds(20))
        #expect(short.credential(request("domicile_session=" + id)) == nil)
        #expect(short.count == 0)
    }

    // MARK: helpers

    /// `name=value` of the session cookie a response sets.
    static func cookie(_ answer: Answer) -> String? {
        answer.headers["set-cookie"]?.split(separator: ";").first.map(String.init)
    }

    /// `text` as HTML escapes it.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    /// Every `href` of a page, unescaped.
    static func links(_ html: String) -> [String] {
        html.components(separatedBy: "href=\"").dropFirst().compactMap { $0.split(separator: "\"", maxSplits: 1).first.map(String.init) }
            .map { $0.replacingOccurrences(of: "&amp;", with: "&") }
    }
}

extension APIClient {
    /// `POST /sign-in` as the form sends it.
    func signIn(_ token: String, next: String? = nil, headers: [String: String] = [:]) async throws -> Answer {
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
        var body = "token=" + encode(token)
        if let next { body += "&next=" + encode(next) }
        return try await raw(
            "POST", "/sign-in", headers: ["Content-Type": "application/x-www-form-urlencoded"].merging(headers) { $1 }, body: body)
    }
}
