import DomicileCore
import DomicileStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Postgres

/// One GET route: who may call it, which query parameters it takes, how it answers.
struct Endpoint: Sendable {
    enum Access: Sendable, Equatable {
        /// No token needed (health, readiness, the OpenAPI document).
        case `public`
        /// A bearer token whose scope allows `TokenScope`.
        case token(TokenScope)
    }

    enum Kind: Sendable {
        case health, readiness, document
        /// Registry data: answered from the cache or by `render`.
        case registry(@Sendable (EndpointRequest) async throws -> Rendered)
    }

    /// As in the OpenAPI document: `/v1/vendors/{id}`.
    let path: String
    let access: Access
    let parameters: [String]
    let kind: Kind

    init(_ path: String, access: Access, kind: Kind) {
        self.path = path
        self.access = access
        parameters = []
        self.kind = kind
    }

    init(
        _ path: String, scope: TokenScope = .read, parameters: [String] = [],
        render: @escaping @Sendable (EndpointRequest) async throws -> Rendered
    ) {
        self.path = path
        access = .token(scope)
        self.parameters = parameters
        kind = .registry(render)
    }
}

/// What a registry endpoint is given.
struct EndpointRequest: Sendable {
    let query: QueryParameters
    /// Path parameters, percent-decoded.
    let path: [String: String]
    let database: ReaderDatabase
    /// Today in UTC: the default as-of day (part of the ETag, so answers change at midnight).
    let today: Day

    /// Runs `body` in one read-only, repeatable-read transaction and returns what it built
    /// with the registry revision it saw.
    func read(_ body: @escaping @Sendable (Store) throws -> Rendered.Content) async throws -> Rendered {
        try await database.withStore { store in
            try store.read { connection in
                try connection.unsafeExecuteScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                let revision = try store.revision()
                return Rendered(revision: revision, content: try body(store))
            }
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

        init(body: String, contentType: String) {
            self.body = ByteBuffer(string: body)
            self.contentType = contentType
        }
    }

    var revision: Int64
    var content: Content
}

/// Authenticates, answers `If-None-Match`, and serves registry answers from the cache
/// while the registry revision is unchanged.
struct EndpointResponder: Sendable {
    let database: ReaderDatabase
    let cache: ResponseCache
    let watch: RegistryWatch
    /// Concurrent checks of one token share one database round trip.
    let tokenChecks: TokenCheckFlights
    /// What a request may spend in the database (an answer from memory needs none).
    let timeout: Duration
    let openAPIDocument: String
    let migrator: Migrator

    func respond(to request: Request, pathParameters: [String: String], endpoint: Endpoint) async throws -> Response {
        switch endpoint.kind {
        case .health:
            _ = try QueryParameters(request.uri, allowed: [])
            return Self.json(.ok, "{\"status\":\"ok\"}\n")
        case .readiness:
            _ = try QueryParameters(request.uri, allowed: [])
            return try await withTimeout(timeout) { await readiness() }
        case .document:
            _ = try QueryParameters(request.uri, allowed: [])
            let tag = "\"" + APIToken.hash(openAPIDocument).prefix(16) + "\""
            if Self.matches(request.headers[.ifNoneMatch], tag) { return Self.notModified(tag) }
            return Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8", .eTag: tag],
                body: .init(byteBuffer: ByteBuffer(string: openAPIDocument)))
        case .registry(let render):
            guard case .token(let scope) = endpoint.access else { preconditionFailure("registry endpoints need a token") }
            // The database is known to be down: answer at once; only the watch reconnects.
            if watch.databaseDown { throw APIError.unavailable("the database is unavailable; retry later") }
            // One time limit for the request's database steps together (token check, render).
            let deadline = ContinuousClock.now + timeout
            let revision = try await authenticate(request, scope: scope, deadline: deadline)
            let query = try QueryParameters(request.uri, allowed: endpoint.parameters)
            let today = Day(utc: Date())
            // The parsed request, never its text: each parameter decoded, in no particular order.
            let key = CacheKey(route: endpoint.path, path: pathParameters, query: query.values)
            // Only an answer that was rendered (its parameters valid) is ever 304: a request
            // with a bad value is a 400 whatever tag it sends.
            let endpointRequest = EndpointRequest(query: query, path: pathParameters, database: database, today: today)
            let rendered = try await cache.answer(for: key, revision: revision, day: today, deadline: deadline, limit: timeout) {
                try await render(endpointRequest)
            }
            let tag = rendered.content.eTag ?? Self.tag(rendered.revision, today)
            if Self.matches(request.headers[.ifNoneMatch], tag) { return Self.notModified(tag) }
            return Response(
                status: .ok,
                headers: [
                    .contentType: rendered.content.contentType, .eTag: tag,
                    .cacheControl: "private, no-cache", .vary: "Authorization",
                ],
                body: .init(byteBuffer: rendered.content.body))
        }
    }

    /// Checks the bearer token and returns the registry revision read with it.
    private func authenticate(_ request: Request, scope required: TokenScope, deadline: ContinuousClock.Instant) async throws -> Int64 {
        let realm = "Bearer realm=\"domicile\""
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, code: "auth.missing_token", message: "this route needs a bearer token: Authorization: Bearer TOKEN (create one with `domicile token create`)", field: "Authorization", challenge: realm)
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(.unauthorized, code: "auth.missing_token", message: "the Authorization header must be 'Bearer TOKEN'", field: "Authorization", challenge: realm)
        }
        let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
        let hash = APIToken.hash(token)
        let now = Date()
        let database = self.database
        // A token checked before, with nothing changed since: no database round trip.
        if let (known, revision, recordUse) = watch.token(hash: hash, now: now), known.expiresAt.map({ $0 > now }) ?? true {
            if recordUse {
                // Bookkeeping only, off the request's path; a failure must not fail anything.
                Task { _ = try? await database.withStore { store in try store.recordTokenUse(id: known.id) } }
            }
            return try Self.allow(scope: known.scope, name: known.name, required: required, realm: realm, revision: revision)
        }
        let generation = watch.generation
        let check = try await tokenChecks.check(hash: hash, generation: generation, deadline: deadline, limit: timeout) {
            try await database.withStore { store in
                let check = try store.checkToken(token)
                if case .valid(let id, _, _, _, _, true) = check {
                    // Bookkeeping only; a standby (or any failure) must not fail the request.
                    try? store.recordTokenUse(id: id)
                }
                return check
            }
        }
        if case .valid(let id, let name, let scope, let expiresAt, _, _) = check, let generation {
            watch.remember(
                hash: hash, RegistryWatch.KnownToken(id: id, name: name, scope: scope, expiresAt: expiresAt, recordedUseAt: now),
                ifStill: generation)
        }
        let invalid = realm + ", error=\"invalid_token\""
        switch check {
        case .unknown:
            throw APIError(.unauthorized, code: "auth.invalid_token", message: "the bearer token is not valid", field: "Authorization", challenge: invalid)
        case .expired:
            throw APIError(.unauthorized, code: "auth.token_expired", message: "the bearer token has expired; create a new one with `domicile token create`", field: "Authorization", challenge: invalid)
        case .revoked:
            throw APIError(.unauthorized, code: "auth.token_revoked", message: "the bearer token was revoked", field: "Authorization", challenge: invalid)
        case .valid(_, let name, let scope, _, let revision, _):
            return try Self.allow(scope: scope, name: name, required: required, realm: realm, revision: revision)
        }
    }

    private static func allow(scope: TokenScope, name: String, required: TokenScope, realm: String, revision: Int64) throws -> Int64 {
        guard scope.allows(required) else {
            throw APIError(
                .forbidden, code: "auth.insufficient_scope",
                message: "token '\(name)' has scope '\(scope.rawValue)', which does not allow this route (it needs '\(required.rawValue)')",
                field: "Authorization", challenge: realm + ", error=\"insufficient_scope\", scope=\"\(required.rawValue)\"")
        }
        return revision
    }

    private func readiness() async -> Response {
        let migrator = self.migrator
        enum Schema: String { case current, pending, mismatch }
        let watch = self.watch
        let outcome: (Schema, Int)? = watch.databaseDown ? nil : try? await database.withStore { store in
            let status = try migrator.status(on: store.connection)
            do { try migrator.verify(status.applied) } catch { return (Schema.mismatch, 0) }
            return status.pending.isEmpty ? (.current, 0) : (.pending, status.pending.count)
        }
        guard let (schema, pending) = outcome else {
            var response = Self.json(.serviceUnavailable, "{\"database\":\"unreachable\",\"schema\":\"unknown\",\"status\":\"unavailable\"}\n")
            response.headers[.retryAfter] = "5"
            return response
        }
        let ready = schema == .current
        var body = "{\"database\":\"reachable\","
        if pending > 0 { body += "\"pending_migrations\":\(pending)," }
        body += "\"schema\":\"\(schema.rawValue)\",\"status\":\"\(ready ? "ready" : "unavailable")\"}\n"
        var response = Self.json(ready ? .ok : .serviceUnavailable, body)
        if !ready { response.headers[.retryAfter] = "30" }
        return response
    }

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
