import DomicileCore
import DomicileStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What a registry route's renderer is given.
struct EndpointRequest: Sendable {
    let query: QueryParameters
    /// Path parameters, percent-decoded.
    let path: [String: String]
    let database: ReaderDatabase
    /// Today in UTC: the default as-of day (part of the ETag, so answers change at midnight).
    let today: Day

    /// Runs `body` in one read-only, repeatable-read transaction (`Store.readSnapshot`) and
    /// returns what it built with the registry revision it saw.
    func read(_ body: @escaping @Sendable (Store) throws -> Rendered.Content) async throws -> Rendered {
        try await database.withStore { store in
            let (revision, content) = try store.readSnapshot(body)
            return Rendered(revision: revision, content: content)
        }
    }
}

/// A rendered answer and the revision it was read at.
struct Rendered: Sendable {
    struct Content: Sendable {
        /// The bytes as sent: built once, then shared by every response that serves them.
        var body: ByteBuffer
        var contentType: String
        /// The entity tag, when the content has its own (an evidence file's SHA-256); else the revision's.
        var eTag: String? = nil
        /// `Link: <…>; rel="next"` of a page that others follow (`Paging`).
        var link: String? = nil

        init(body: String, contentType: String) {
            self.body = ByteBuffer(string: body)
            self.contentType = contentType
        }

        init(bytes: [UInt8], contentType: String) {
            self.body = ByteBuffer(bytes: bytes)
            self.contentType = contentType
        }

        /// A report, rendered as it is sent (`chunks`); `body` stays empty. Never kept as
        /// such: once sent whole, its bytes are (when they fit the budget).
        var chunks: ReportChunks? = nil

        init(chunks: ReportChunks) {
            self.body = ByteBuffer()
            self.contentType = chunks.contentType
            self.chunks = chunks
        }
    }

    var revision: Int64
    var content: Content
}

/// Routes that answer from the registry, behind a bearer token of one scope: adding one is
/// one line, `reads.get("/v1/…", parameters: […], Renderers.something)`.
///
/// Each answer is rendered once per registry revision and day (`ResponseCache`, one render
/// shared by concurrent requests), tagged `"r<revision>-<day>"` and answered 304 when the
/// request's `If-None-Match` has that tag.
struct RegistryRoutes {
    let group: RouterGroup<APIRequestContext>
    let answers: RegistryAnswers

    /// A group of `router` behind `TokenAuthMiddleware(scope)`.
    init(_ router: Router<APIRequestContext>, scope: TokenScope, tokens: TokenAuthenticator, answers: RegistryAnswers) {
        group = router.group()
            .add(middleware: PathParametersMiddleware())
            .add(middleware: TokenAuthMiddleware(scope: scope, tokens: tokens))
        self.answers = answers
    }

    /// `GET path` (as in the OpenAPI document: `/v1/vendors/{id}`), taking the query
    /// parameters `parameters` (any other is a 400), answered by `render`.
    func get(_ path: String, parameters: [String] = [], _ render: @escaping @Sendable (EndpointRequest) async throws -> Rendered) {
        let answers = self.answers
        group.get(RouterPath(path)) { request, context in
            try await answers.respond(to: request, context: context, route: path, parameters: parameters, render: render)
        }
    }
}

/// Answers registry routes from the cache or by rendering them.
struct RegistryAnswers: Sendable {
    let database: ReaderDatabase
    let cache: ResponseCache
    /// What a render may take.
    let timeout: Duration

    func respond(
        to request: Request, context: APIRequestContext, route: String, parameters: [String],
        render: @escaping @Sendable (EndpointRequest) async throws -> Rendered
    ) async throws -> Response {
        guard let revision = context.revision, let deadline = context.deadline else {
            preconditionFailure("registry routes are registered behind TokenAuthMiddleware")
        }
        let query = try QueryParameters(request.uri, allowed: parameters)
        let today = Day(utc: Date())
        // The parsed request, never its text: each parameter decoded, in no particular order.
        let key = CacheKey(route: route, path: context.path, query: query.values)
        // Only an answer that was rendered (its parameters valid) is ever 304: a request
        // with a bad value is a 400 whatever tag it sends.
        let endpointRequest = EndpointRequest(query: query, path: context.path, database: database, today: today)
        let rendered = try await cache.answer(for: key, revision: revision, day: today, deadline: deadline, limit: timeout) {
            // What the render freed goes back to the system soon after (HeapTrimmer).
            defer { HeapTrimmer.shared.renderEnded() }
            return try await render(endpointRequest)
        }
        let tag = rendered.content.eTag ?? Conditional.tag(rendered.revision, today)
        if Conditional.matches(request.headers[.ifNoneMatch], tag) { return Conditional.notModified(tag) }
        var headers: HTTPFields = [
            .contentType: rendered.content.contentType, .eTag: tag,
            .cacheControl: "private, no-cache", .vary: "Authorization",
        ]
        if let link = rendered.content.link { headers[Paging.linkHeader] = link }
        return Response(
            status: .ok, headers: headers,
            body: rendered.content.chunks.map { streamed($0, rendered: rendered, key: key, day: today) } ?? .init(byteBuffer: rendered.content.body))
    }

    /// A report larger than the cache's budget (`ResponseCache.answer` keeps one that fits
    /// whole), sent as it is rendered (chunked). If sending fails part way (the client has
    /// gone), the error ends the response: the connection is closed without the final chunk,
    /// so no client takes the part it got for the whole.
    func streamed(_ chunks: ReportChunks, rendered: Rendered, key: CacheKey, day: Day) -> ResponseBody {
        ResponseBody { writer in
            var chunks = chunks
            while let chunk = chunks.next() { try await writer.write(ByteBuffer(bytes: chunk)) }
            try await writer.finish(nil)
        }
    }
}

/// Checks and percent-decodes the route's path parameters into `APIRequestContext.path`:
/// each 1 to 200 printable characters, else a 400 naming it (before the token is checked).
struct PathParametersMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        for (name, value) in context.parameters {
            guard let text = String(value).removingPercentEncoding else {
                throw APIError(Issue.invalid(String(name), String(value.prefix(40)), expected: "percent-encoded UTF-8 of 1 to 200 printable characters"))
            }
            if text.isEmpty || text.count > 200 || text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw APIError(Issue.invalid(String(name), String(text.prefix(40)), expected: "1 to 200 printable characters"))
            }
            context.path[String(name)] = text
        }
        return try await next(request, context)
    }
}

/// ETags, `If-None-Match` and the small JSON answers of the public routes.
enum Conditional {
    static func tag(_ revision: Int64, _ day: Day) -> String {
        "\"r\(revision)-\(day.year * 10_000 + day.month * 100 + day.day)\""
    }

    /// Weak comparison (RFC 9110 §13.1.2): `W/` is ignored, `*` matches anything.
    static func matches(_ header: String?, _ tag: String) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { candidate in
            var value = candidate.trimmingCharacters(in: .whitespaces)
            if value == "*" { return true }
            if value.hasPrefix("W/") { value.removeFirst(2) }
            return value == tag
        }
    }

    static func notModified(_ tag: String) -> Response {
        Response(status: .notModified, headers: [.eTag: tag, .cacheControl: "private, no-cache", .vary: "Authorization"])
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
