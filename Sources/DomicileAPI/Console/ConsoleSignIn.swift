import DomicileStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Signing in and out: the only routes that take a POST.
///
/// `POST /sign-in` checks the token as a bearer token is checked (`TokenAuthenticator`),
/// starts a session (`ConsoleSessions`) and sets its cookie; the token itself is never
/// stored, logged, put in a URL or shown. `POST /sign-out` forgets the session. Both refuse
/// a request another site's page sends (`Origin` or `Sec-Fetch-Site` naming another
/// origin), besides the cookie's `SameSite=Strict`.
extension ConsoleRoutes {
    static let signInTemplate = ConsoleTemplate(
        "sign-in",
        labels: [
            "title": Bilingual("Sign in", "サインイン"),
            "intro": Bilingual(
                "Sign in with an API token to read the registry. The console is read-only.",
                "API トークンでサインインすると台帳を閲覧できます。コンソールは閲覧専用です。"),
            "token": Bilingual("API token", "API トークン"),
            "help": Bilingual(
                "Ask the registry's administrator for one (they create it with domicile token create). It is checked on every page and kept only as a session in this server's memory.",
                "台帳の管理者に発行を依頼してください（domicile token create で作成します）。ページごとに確認され、このサーバーのメモリにセッションとしてのみ保持されます。"),
            "submit": Bilingual("Sign in", "サインイン"),
        ],
        """
        {{> head}}
        {{#page.error}}<p class="notice error" role="alert">{{.}}</p>{{/page.error}}
        {{#page.notice}}<p class="notice" role="status">{{.}}</p>{{/page.notice}}
        <p>{{labels.intro}}</p>
        <form class="stacked" method="post" action="/sign-in">
        <div><label for="token">{{labels.token}}</label>
        <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required size="60" aria-describedby="token-help"></div>
        <p id="token-help" class="muted">{{labels.help}}</p>
        {{#page.next}}<input type="hidden" name="next" value="{{.}}">{{/page.next}}
        {{> lang_field}}
        <div><button type="submit">{{labels.submit}}</button></div>
        </form>
        {{> foot}}
        """)

    struct SignInModel {
        var error: String?
        var notice: String?
        var next: String?
    }

    static let signInMessages: ConsoleLabels = [
        "auth.invalid_token": Bilingual("This token is not valid.", "このトークンは有効ではありません。"),
        "auth.token_expired": Bilingual(
            "This token has expired; ask for a new one.", "このトークンは有効期限が切れています。新しいトークンの発行を依頼してください。"),
        "auth.token_revoked": Bilingual("This token was revoked.", "このトークンは失効しています。"),
        "missing": Bilingual("Enter a token.", "トークンを入力してください。"),
        "signedOut": Bilingual("You have signed out.", "サインアウトしました。"),
    ]

    /// `GET /sign-in?next=PATH`: the form.
    func signInForm(_ request: Request) async throws -> Response {
        let language = Self.language(request)
        let query: QueryParameters
        do {
            query = try QueryParameters(request.uri, allowed: ["lang", "next", "signed_out"])
        } catch {
            return errorPage(.badRequest, APIError.from(error)?.message ?? "", language: language.language, request: request, scope: .read)
        }
        let model = SignInModel(
            notice: query["signed_out"] == nil ? nil : Self.signInMessages["signedOut"]!(language.language),
            next: Self.safeNext(query["next"]))
        return signInPage(.ok, model, request: request, language: language)
    }

    private func signInPage(_ status: HTTPResponse.Status, _ model: SignInModel, request: Request, language: (language: ConsoleLanguage, explicit: Bool)) -> Response {
        var view = ConsoleView(request, language: language.language, explicit: language.explicit, scope: .read)
        view.signedIn = false
        let body = Self.signInTemplate.render(model, title: Self.signInTemplate.label("title", language.language), view)
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        Self.secure(&headers)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// `POST /sign-in` (`token`, `next`, `lang`, form-encoded): 303 to `next` (or the first
    /// page the token may open) with the session cookie, or the form again with the reason.
    func signIn(_ request: Request) async throws -> Response {
        var language = Self.language(request)
        guard Self.sameOrigin(request) else {
            return errorPage(.forbidden, "cross-site sign-in refused", language: language.language, request: request, scope: .read)
        }
        let body = try await request.body.collect(upTo: Self.maximumFormBytes)
        let form = Self.formFields(String(buffer: body))
        if let lang = form["lang"].flatMap(ConsoleLanguage.init(rawValue:)) { language = (lang, true) }
        let next = Self.safeNext(form["next"])
        guard let token = form["token"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
            return signInPage(.badRequest, SignInModel(error: Self.signInMessages["missing"]!(language.language), next: next), request: request, language: language)
        }
        if tokens.watch.databaseDown {
            return errorPage(.serviceUnavailable, "the database is unavailable; retry later", language: language.language, request: request, scope: .read, retryAfter: 5)
        }
        let credential = TokenCredential(token: token)
        let holder: TokenHolder
        do {
            holder = try await tokens.holder(of: credential, deadline: ContinuousClock.now + tokens.timeout)
        } catch let error as APIError where error.status == .unauthorized {
            let message = Self.signInMessages[error.code] ?? Self.signInMessages["auth.invalid_token"]!
            return signInPage(.unauthorized, SignInModel(error: message(language.language), next: next), request: request, language: language)
        } catch {
            let answer = APIError.from(error) ?? .internal
            if answer.status.code >= 500 { logger.warning("sign-in failed", metadata: ["code": "\(answer.code)", "error": "\(String(reflecting: error))"]) }
            return errorPage(answer.status, answer.message, language: language.language, request: request, scope: .read, retryAfter: answer.retryAfter)
        }
        let id = sessions.start(credential)
        var target = next ?? (holder.scope.allows(.read) ? "/" : "/reports")
        if language.explicit, !target.contains("lang=") {
            target += (target.contains("?") ? "&" : "?") + "lang=" + language.language.rawValue
        }
        return Response(
            status: .seeOther,
            headers: [.location: target, .cacheControl: "no-store", .setCookie: ConsoleSessions.setCookie(id, secure: Self.behindTLS(request))])
    }

    /// `POST /sign-out`: forgets the session, removes the cookie, 303 to the sign-in form.
    func signOut(_ request: Request) -> Response {
        let language = Self.language(request)
        guard Self.sameOrigin(request) else {
            return errorPage(.forbidden, "cross-site sign-out refused", language: language.language, request: request, scope: .read)
        }
        sessions.end(request)
        let location = ConsoleView.href("/sign-in", [("signed_out", "1")], language: language.explicit ? language.language : nil)
        return Response(
            status: .seeOther,
            headers: [.location: location, .cacheControl: "no-store", .setCookie: ConsoleSessions.clearCookie(secure: Self.behindTLS(request))])
    }

    /// Whether a TLS-terminating proxy says the browser spoke HTTPS (then the cookie is `Secure`).
    static func behindTLS(_ request: Request) -> Bool {
        request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// A browser's form post from a page of this server: `Sec-Fetch-Site` (when sent) is
    /// same-origin, and `Origin` (when sent) names this host. A client that sends neither
    /// (curl) is not a browser another site could drive.
    static func sameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" { return false }
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority else { return false }
        return origin == "http://" + host || origin == "https://" + host
    }

    /// `application/x-www-form-urlencoded` fields (the first of a repeated name).
    static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decode(parts[0]), let value = parts.count > 1 ? decode(parts[1]) : "" else { continue }
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    /// Where to go after signing in: a path on this server (never another site: no `//`, no
    /// scheme, no backslash), printable ASCII, not the sign-in routes.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.utf8.count <= 2000,
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f && $0 != "\\" }),
            !next.hasPrefix("/sign-")
        else { return nil }
        return next
    }
}
