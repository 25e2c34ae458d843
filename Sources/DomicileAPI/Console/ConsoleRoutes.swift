import DomicileCore
import DomicileStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// One console page: what it takes and how it is drawn. Defined in the page's own file
/// (`ConsolePage+Overview.swift`), registered at its path in `ConsoleRoutes.register`.
struct ConsolePage: Sendable {
    /// Query parameters the page takes besides `lang` (any other is a 400 page).
    var parameters: [String] = []
    /// The scope a token needs: every page needs `read` but the reports page (`reports`).
    var scope: TokenScope = .read
    /// Draws the page; `ConsoleRequest.read` gives a store snapshot.
    let render: @Sendable (ConsoleRequest) async throws -> Rendered
}

/// Namespace of the page definitions: each page file adds `static let NAME = ConsolePage(…)`.
enum ConsolePages {}

/// The read-only web console, served at `/` beside the API (`/v1`).
///
/// Pages need a signed-in session (`ConsoleSessions`; otherwise 303 to `/sign-in`), are
/// rendered through the API's per-revision cache and ETags (`RegistryAnswers`, with the page
/// language and the token's scope in the cache key and the tag), and carry a strict
/// Content-Security-Policy that allows the console's own stylesheet and nothing else to load.
/// The only POST routes are `/sign-in` and `/sign-out`.
struct ConsoleRoutes: Sendable {
    /// Every console page, one line each: its path (as the router writes it) and its
    /// definition (`ConsolePages.NAME`, in the page's own file).
    static let pages: [(path: String, page: ConsolePage)] = [
        ("/", ConsolePages.overview),
        ("/reports", ConsolePages.reports),
        ("/check", ConsolePages.check),
        ("/vendors", ConsolePages.vendors),
        ("/vendors/{key}", ConsolePages.vendor),
        ("/audit", ConsolePages.audit),
        ("/services", ConsolePages.services),
        ("/where", ConsolePages.where),
        ("/countries", ConsolePages.countries),
        ("/countries/{code}", ConsolePages.country),
    ]

    /// Every path the console serves (the pages, the stylesheet, sign-in and sign-out): not
    /// the API's, so not in its OpenAPI document.
    static var paths: Set<String> { Set(pages.map(\.path) + [ConsoleStyle.path, "/sign-in", "/sign-out"]) }

    /// The routes that accept POST (a form body of at most `maximumFormBytes`).
    static let postPaths: Set<String> = ["/sign-in", "/sign-out"]
    static let maximumFormBytes = 4096

    /// Pages allow their own stylesheet, inline SVG and forms posting to this server; no
    /// script, frame, font or image from anywhere.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    let tokens: TokenAuthenticator
    let sessions: ConsoleSessions
    let answers: RegistryAnswers
    let logger: Logger

    /// Registers the stylesheet, sign-in, sign-out and every page.
    static func add(to router: Router<APIRequestContext>, tokens: TokenAuthenticator, sessions: ConsoleSessions, answers: RegistryAnswers, logger: Logger) {
        let console = ConsoleRoutes(tokens: tokens, sessions: sessions, answers: answers, logger: logger)
        router.get(RouterPath(ConsoleStyle.path)) { request, _ in
            _ = try QueryParameters(request.uri, allowed: ["v"])
            if Conditional.matches(request.headers[.ifNoneMatch], ConsoleStyle.tag) { return Conditional.notModified(ConsoleStyle.tag) }
            return Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .eTag: ConsoleStyle.tag, .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(string: ConsoleStyle.css)))
        }
        router.get("/sign-in") { request, _ in try await console.signInForm(request) }
        router.post("/sign-in") { request, _ in try await console.signIn(request) }
        router.post("/sign-out") { request, _ in console.signOut(request) }
        // Pages: path parameters checked and decoded as the API's are.
        let group = router.group().add(middleware: PathParametersMiddleware())
        for (path, page) in pages {
            group.get(RouterPath(path)) { request, context in
                try await console.serve(request, context: context, route: path, page: page)
            }
        }
    }

    private func serve(_ request: Request, context: APIRequestContext, route: String, page: ConsolePage) async throws -> Response {
        let language = Self.language(request)
        do {
            if tokens.watch.databaseDown { throw APIError.unavailable("the database is unavailable; retry later") }
            guard let credential = sessions.credential(request) else { return Self.toSignIn(request) }
            var context = context
            let deadline = ContinuousClock.now + tokens.timeout
            context.deadline = deadline
            let holder: TokenHolder
            do {
                holder = try await tokens.holder(of: credential, deadline: deadline)
            } catch let error as APIError where error.status == .unauthorized {
                // Revoked or expired since signing in: the session ends with it.
                sessions.end(request)
                return Self.toSignIn(request)
            }
            guard holder.scope.allows(page.scope) else {
                return errorPage(.forbidden, ConsoleErrors.forbidden(language), language: language.language, request: request, scope: holder.scope)
            }
            context.revision = holder.revision
            let scope = holder.scope
            let path = request.uri.path
            // The language and the scope (which decides the navigation) are part of the
            // page: of its cache key and of its tag.
            let key = "console \(route) \(language.language.rawValue)\(language.explicit ? "!" : "") \(scope.rawValue)"
            var response = try await answers.respond(to: request, context: context, route: key, parameters: page.parameters + ["lang"]) { endpoint in
                let view = ConsoleView(
                    language: language.language, explicitLanguage: language.explicit, scope: scope, path: path, query: endpoint.query.values)
                let consoleRequest = ConsoleRequest(endpoint: endpoint, view: view)
                var rendered = try await page.render(consoleRequest)
                var tag = Conditional.tag(rendered.revision, endpoint.today)
                tag.removeLast()
                tag += "-\(language.language.rawValue)\(language.explicit ? "l" : "")\(scope == .read ? "" : "-" + scope.rawValue)\""
                rendered.content.eTag = tag
                return rendered
            }
            Self.secure(&response.headers)
            return response
        } catch {
            let answer: APIError
            if let known = APIError.from(error) {
                answer = known
                if answer.status.code >= 500 {
                    logger.warning("console page failed", metadata: ["code": "\(answer.code)", "error": "\(String(reflecting: error))"])
                }
            } else {
                logger.error("internal error", metadata: ["error": "\(String(reflecting: error))"])
                answer = .internal
            }
            return errorPage(answer.status, answer.message, language: language.language, request: request, scope: .read, retryAfter: answer.retryAfter)
        }
    }

    /// The headers every console page carries besides the API's.
    static func secure(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.vary] = "Cookie, Accept-Language"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
    }

    /// The page language: `?lang=en|ja` (another value is ignored here, and refused by the
    /// page's parameter check), else `Accept-Language`.
    static func language(_ request: Request) -> (language: ConsoleLanguage, explicit: Bool) {
        for pair in (request.uri.query ?? "").split(separator: "&") where pair.hasPrefix("lang=") {
            if let language = ConsoleLanguage(rawValue: String(pair.dropFirst(5))) { return (language, true) }
        }
        return (ConsoleLanguage.preferred(request.headers[.acceptLanguage]), false)
    }

    /// 303 to the sign-in form, which comes back to this page afterwards.
    static func toSignIn(_ request: Request) -> Response {
        var target = request.uri.path
        if let query = request.uri.query, !query.isEmpty { target += "?" + query }
        let location = ConsoleView.href("/sign-in", [("next", target)], language: nil)
        return Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// An HTML error page in the page language (never JSON: a browser shows it).
    func errorPage(
        _ status: HTTPResponse.Status, _ message: String, language: ConsoleLanguage, request: Request, scope: TokenScope,
        retryAfter: Int? = nil
    ) -> Response {
        let view = ConsoleView(request, language: language, explicit: Self.language(request).explicit, scope: scope)
        let title = ConsoleErrors.title(status, language)
        let body = ConsoleErrors.template.render(ConsoleErrors.Model(status: Int(status.code), message: message), title: title, view)
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        Self.secure(&headers)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension ConsoleView {
    /// The view of a page drawn without the registry (errors, sign-in): no query kept.
    init(_ request: Request, language: ConsoleLanguage, explicit: Bool, scope: TokenScope) {
        self.init(language: language, explicitLanguage: explicit, scope: scope, path: request.uri.path, query: [:])
    }
}

/// The error page.
enum ConsoleErrors {
    struct Model {
        let status: Int
        let message: String
    }

    static func title(_ status: HTTPResponse.Status, _ language: ConsoleLanguage) -> String {
        switch status.code {
        case 400: return Bilingual("The request is not valid", "リクエストが正しくありません")(language)
        case 403: return Bilingual("Not allowed", "閲覧できません")(language)
        case 404: return Bilingual("Not found", "見つかりません")(language)
        case 503: return Bilingual("Unavailable", "利用できません")(language)
        default: return Bilingual("Something went wrong", "エラーが発生しました")(language)
        }
    }

    static func forbidden(_ language: (language: ConsoleLanguage, explicit: Bool)) -> String {
        Bilingual(
            "Your token's scope allows the reports page only.",
            "このトークンの権限で閲覧できるのはレポートのページだけです。")(language.language)
    }

    static let template = ConsoleTemplate(
        "error", labels: ["status": Bilingual("HTTP status", "HTTP ステータス")],
        """
        {{> head}}
        <p class="notice error">{{page.message}}</p>
        <p class="muted">{{labels.status}}: {{page.status}}</p>
        {{> foot}}
        """)
}
