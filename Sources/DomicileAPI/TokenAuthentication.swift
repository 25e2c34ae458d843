import DomicileCore
import DomicileStore
import Foundation
import HTTPTypes
import Hummingbird

/// Lets a request through only with a bearer token whose scope allows `scope`; sets the
/// request's deadline and the registry revision to answer at (`APIRequestContext`).
///
/// While the database is known to be down, answers 503 at once (only the watch reconnects).
struct TokenAuthMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let scope: TokenScope
    let tokens: TokenAuthenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if tokens.watch.databaseDown { throw APIError.unavailable("the database is unavailable; retry later") }
        var context = context
        // One time limit for the request's database steps together (token check, render).
        let deadline = ContinuousClock.now + tokens.timeout
        context.deadline = deadline
        context.revision = try await tokens.authenticate(request, scope: scope, deadline: deadline)
        return try await next(request, context)
    }
}

/// Checks bearer tokens: from memory while the registry watch says nothing changed, else in
/// the database, concurrent checks of one token sharing one round trip.
struct TokenAuthenticator: Sendable {
    let database: ReaderDatabase
    let watch: RegistryWatch
    /// Concurrent checks of one token share one database round trip.
    let tokenChecks: TokenCheckFlights
    /// What a request may spend in the database.
    let timeout: Duration

    /// A console session (`ConsoleSessions`): its cookie also authenticates `GET /v1/…`
    /// when the request has no `Authorization` header.
    var sessions: ConsoleSessions? = nil

    /// Checks the bearer token (or, without one, the console session cookie) and returns
    /// the registry revision read with it.
    func authenticate(_ request: Request, scope required: TokenScope, deadline: ContinuousClock.Instant) async throws -> Int64 {
        let realm = "Bearer realm=\"domicile\""
        let credential: TokenCredential
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw APIError(.unauthorized, code: "auth.missing_token", message: "the Authorization header must be 'Bearer TOKEN'", field: "Authorization", challenge: realm)
            }
            credential = TokenCredential(token: String(parts[1]).trimmingCharacters(in: .whitespaces))
        } else if let session = sessions?.credential(request) {
            credential = session
        } else {
            throw APIError(.unauthorized, code: "auth.missing_token", message: "this route needs a bearer token: Authorization: Bearer TOKEN (create one with `domicile token create`)", field: "Authorization", challenge: realm)
        }
        let holder = try await holder(of: credential, deadline: deadline)
        return try Self.allow(scope: holder.scope, name: holder.name, required: required, realm: realm, revision: holder.revision)
    }

    /// Who a token is (name, scope) and the registry revision read with it; a 401 when it is
    /// unknown, expired or revoked.
    func holder(of credential: TokenCredential, deadline: ContinuousClock.Instant) async throws -> TokenHolder {
        let realm = "Bearer realm=\"domicile\""
        let hash = credential.hash
        let now = Date()
        let database = self.database
        // A token checked before, with nothing changed since: no database round trip.
        if let (known, revision, recordUse) = watch.token(hash: hash, now: now), known.expiresAt.map({ $0 > now }) ?? true {
            if recordUse {
                // Bookkeeping only, off the request's path; a failure must not fail anything.
                Task { _ = try? await database.withStore { store in try store.recordTokenUse(id: known.id) } }
            }
            return TokenHolder(name: known.name, scope: known.scope, revision: revision)
        }
        let generation = watch.generation
        let check = try await tokenChecks.check(hash: hash, generation: generation, deadline: deadline, limit: timeout) {
            try await database.withStore { store in
                let check = try store.checkToken(id: credential.id, hash: hash)
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
            return TokenHolder(name: name, scope: scope, revision: revision)
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
}

/// A token as the server checks it: the row id it names and its SHA-256, never the token.
struct TokenCredential: Sendable, Hashable {
    let id: Int64?
    let hash: String

    init(token: String) {
        id = APIToken.id(of: token)
        hash = APIToken.hash(token)
    }

    init(id: Int64?, hash: String) {
        self.id = id
        self.hash = hash
    }
}

/// A valid token's name and scope, and the registry revision read with it.
struct TokenHolder: Sendable, Equatable {
    let name: String
    let scope: TokenScope
    let revision: Int64
}
