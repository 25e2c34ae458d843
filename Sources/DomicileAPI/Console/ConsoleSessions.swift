import DomicileStore
import Foundation
import Hummingbird
import NIOConcurrencyHelpers

/// Console sign-ins, kept in this server's memory only.
///
/// Signing in with a token creates a session: a random id (32 bytes from the system's
/// CSPRNG) sent as the `domicile_session` cookie, mapped here to the token's row id and
/// SHA-256, never to the token. Every request re-checks that hash against the token store
/// (`TokenAuthenticator.holder(of:deadline:)`, from memory until anything changes), so a
/// revoked or expired token stops working at once. Sessions are looked up by the SHA-256 of
/// their id, so not even this map holds a usable cookie.
///
/// Bounded: at most `capacity` sessions (the least recently used go first); a session
/// unused for `idleLimit`, or older than `lifetime`, is forgotten. A restart forgets all.
final class ConsoleSessions: Sendable {
    /// The cookie's name.
    static let cookieName = "domicile_session"

    private struct Session {
        let credential: TokenCredential
        let created: ContinuousClock.Instant
        var used: ContinuousClock.Instant
    }

    let capacity: Int
    let idleLimit: Duration
    let lifetime: Duration
    private let sessions = NIOLockedValueBox([String: Session]())

    init(capacity: Int = 10_000, idleLimit: Duration = .seconds(8 * 3600), lifetime: Duration = .seconds(24 * 3600)) {
        self.capacity = max(1, capacity)
        self.idleLimit = idleLimit
        self.lifetime = lifetime
    }

    /// Sessions kept now (for tests).
    var count: Int { sessions.withLockedValue { $0.count } }

    /// Starts a session for `credential` and returns its id (the cookie's value).
    func start(_ credential: TokenCredential) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let id = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let now = ContinuousClock.now
        sessions.withLockedValue { sessions in
            if sessions.count >= capacity {
                sessions = sessions.filter { !expired($0.value, now: now) }
            }
            if sessions.count >= capacity, let oldest = sessions.min(by: { $0.value.used < $1.value.used })?.key {
                sessions[oldest] = nil
            }
            sessions[APIToken.hash(id)] = Session(credential: credential, created: now, used: now)
        }
        return id
    }

    /// The credential of the request's session cookie, if it names a live session.
    func credential(_ request: Request) -> TokenCredential? {
        guard let id = Self.sessionID(request) else { return nil }
        let key = APIToken.hash(id)
        let now = ContinuousClock.now
        return sessions.withLockedValue { sessions in
            guard var session = sessions[key] else { return nil }
            if expired(session, now: now) {
                sessions[key] = nil
                return nil
            }
            session.used = now
            sessions[key] = session
            return session.credential
        }
    }

    /// Forgets the request's session (sign-out, or a token found revoked).
    func end(_ request: Request) {
        guard let id = Self.sessionID(request) else { return }
        let key = APIToken.hash(id)
        _ = sessions.withLockedValue { $0.removeValue(forKey: key) }
    }

    private func expired(_ session: Session, now: ContinuousClock.Instant) -> Bool {
        now - session.used > idleLimit || now - session.created > lifetime
    }

    /// The value of the `domicile_session` cookie, if the request sends one of a plausible shape.
    static func sessionID(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.trimmingCharacters(in: .whitespaces)
                guard trimmed.hasPrefix(cookieName + "=") else { continue }
                let value = String(trimmed.dropFirst(cookieName.count + 1))
                guard (20...100).contains(value.utf8.count),
                    value.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
                else { return nil }
                return value
            }
        }
        return nil
    }

    /// The `Set-Cookie` value that sets the session cookie: HttpOnly, SameSite=Strict, the
    /// whole site; `Secure` when the request came through a TLS-terminating proxy that says
    /// so (`X-Forwarded-Proto: https`), since the server itself speaks plain HTTP.
    static func setCookie(_ id: String, secure: Bool) -> String {
        "\(cookieName)=\(id); Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// The `Set-Cookie` value that removes the session cookie.
    static func clearCookie(secure: Bool) -> String {
        "\(cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
