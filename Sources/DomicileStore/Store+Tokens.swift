import Crypto
import DomicileCore
import Foundation
import Postgres

/// What an API token may read.
public enum TokenScope: String, CaseIterable, Sendable {
    /// Every API route.
    case read
    /// The generated reports only (`/v1/reports/…`).
    case reports

    /// Whether a token of this scope may use a route that requires `required`.
    public func allows(_ required: TokenScope) -> Bool {
        self == .read || self == required
    }
}

/// Bearer tokens: `dmc_<id>_<secret>`. The id selects the stored row; the whole token is
/// verified against its stored SHA-256 hash in constant time. Only the hash is stored.
public enum APIToken {
    static let prefix = "dmc_"

    /// A new token for row `id`: 32 random bytes from the system's CSPRNG, base64url.
    static func generate(id: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + String(id) + "_" + secret
    }

    /// The row id a presented token names, or `nil` when it is not shaped like a token.
    public static func id(of token: String) -> Int64? {
        guard token.hasPrefix(prefix), token.utf8.count <= 200 else { return nil }
        let rest = token.dropFirst(prefix.count)
        guard let separator = rest.firstIndex(of: "_"), let id = Int64(rest[..<separator]), id > 0,
            rest.index(after: separator) < rest.endIndex
        else { return nil }
        return id
    }

    /// Lower-case hex SHA-256 of the token, as stored.
    public static func hash(_ token: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(token.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Compares two strings in time that depends on their length only, not on where they differ.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}

/// What checking a presented token found.
public enum TokenCheck: Sendable, Equatable {
    /// Valid: its scope, when it expires (if ever), and the registry revision read in the
    /// same statement.
    case valid(id: Int64, name: String, scope: TokenScope, expiresAt: Date?, revision: Int64, lastUseStale: Bool)
    /// Not a token of this registry (unknown id, or the secret does not match).
    case unknown
    case expired
    case revoked
}

extension Store {
    /// Creates a token and returns it; it is shown once and only its hash is stored.
    /// `expires` is the first day it no longer works.
    public func createToken(name: String, scope: TokenScope, expires: Day?, actor: String) throws -> String {
        if let issue = Validator.keyIssue("name", name) { throw InputError(issue) }
        if let expires, expires <= Day(Date()) {
            throw InputError(
                Issue.invalid("expires", expires.description, expected: "a day after today (UTC), e.g. \(Day(Date()).adding(years: 1)?.description ?? "2030-01-01")"))
        }
        return try write(actor: actor) { connection in
            if try connection.query("SELECT 1 FROM api_token WHERE name = $1", [name]).first != nil {
                throw InputError(
                    Issue(code: "input.duplicate_token", field: "name", value: name,
                          message: "a token named '\(name)' already exists; choose another name, or revoke it with `domicile token revoke \(name)`"))
            }
            let id = try connection.query("SELECT nextval(pg_get_serial_sequence('api_token', 'id')) AS id").first!
                .decode(Int64.self, "id")
            let token = APIToken.generate(id: id)
            try connection.query(
                """
                INSERT INTO api_token (id, name, token_hash, scope, expires_at)
                VALUES ($1, $2, $3, $4, $5::date::timestamp AT TIME ZONE 'UTC')
                """, [id, name, APIToken.hash(token), scope.rawValue, expires?.description])
            return token
        }
    }

    /// Every token (never its hash), oldest first.
    public func tokens() throws -> Listing {
        Self.listing(
            try connection.query(
                """
                SELECT name, scope,
                       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created,
                       coalesce(to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), '') AS expires,
                       coalesce(to_char(last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '') AS last_used,
                       CASE WHEN revoked_at IS NOT NULL THEN 'revoked'
                            WHEN expires_at IS NOT NULL AND expires_at <= now() THEN 'expired'
                            ELSE 'active' END AS status
                FROM api_token ORDER BY created_at, id
                """))
    }

    /// Revokes the token called `name`; revoking twice is an error naming the first time.
    public func revokeToken(name: String, actor: String) throws {
        try write(actor: actor) { connection in
            guard let row = try connection.query(
                "SELECT to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS revoked FROM api_token WHERE name = $1",
                [name]).first
            else {
                let names = try connection.query("SELECT name FROM api_token ORDER BY name").rows.map { try $0.decode(String.self, "name") }
                var message = "no token is named '\(name)'"
                if let guess = Suggest.closest(to: name, in: names) { message += "; did you mean \(guess)?" }
                if names.isEmpty { message += "; `domicile token list` shows none" }
                throw InputError(Issue(code: "input.unknown_token", field: "name", value: name, message: message))
            }
            if let revoked = try row.decode(String?.self, "revoked") {
                throw InputError(Issue(code: "input.already_revoked", field: "name", value: name, message: "token '\(name)' was already revoked at \(revoked)"))
            }
            try connection.query("UPDATE api_token SET revoked_at = now() WHERE name = $1", [name])
        }
    }

    /// Checks a presented bearer token: one statement that also reads the registry revision.
    /// Works for the read-only role (`domicile_reader`) and on a standby.
    public func checkToken(_ presented: String) throws -> TokenCheck {
        try checkToken(id: APIToken.id(of: presented), hash: APIToken.hash(presented))
    }

    /// Checks a token known by the row id it names and the SHA-256 of it (`APIToken.hash`),
    /// as a console session keeps it: the token itself is not needed.
    public func checkToken(id: Int64?, hash: String) throws -> TokenCheck {
        guard let id else { return .unknown }
        guard let row = try connection.query(
            """
            SELECT t.name, t.token_hash, t.scope,
                   t.expires_at IS NOT NULL AND t.expires_at <= now() AS expired, t.expires_at,
                   t.revoked_at IS NOT NULL AS revoked,
                   t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute' AS stale,
                   (SELECT revision FROM registry_revision) AS revision
            FROM api_token t WHERE t.id = $1
            """, [id]).first
        else { return .unknown }
        // The hash of what was presented against the stored one, in constant time: the id
        // only selects the row.
        guard APIToken.constantTimeEquals(hash, try row.decode(String.self, "token_hash")) else {
            return .unknown
        }
        if try row.decode(Bool.self, "revoked") { return .revoked }
        if try row.decode(Bool.self, "expired") { return .expired }
        guard let scope = TokenScope(rawValue: try row.decode(String.self, "scope")) else { return .unknown }
        return .valid(
            id: id, name: try row.decode(String.self, "name"), scope: scope, expiresAt: try row.decode(Date?.self, "expires_at"),
            revision: try row.decode(Int64.self, "revision"), lastUseStale: try row.decode(Bool.self, "stale"))
    }

    /// Records that token `id` was used now (at most once a minute; see `checkToken`).
    public func recordTokenUse(id: Int64) throws {
        // The reader role may not update the table; this function (0009) does only this.
        try connection.query("SELECT record_token_use($1)", [id])
    }

    /// Lets `role` (an existing login or group) act as `domicile_reader`, the read-only role
    /// `domicile serve` uses.
    public func grantReader(to role: String) throws {
        guard try connection.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]).first != nil else {
            throw InputError(
                Issue(code: "input.unknown_role", field: "role", value: role,
                      message: "there is no database role '\(role)'; create it first, e.g. CREATE ROLE \"\(role)\" LOGIN PASSWORD '…'"))
        }
        // A role name cannot be a bound parameter: format('%I') quotes it as an identifier.
        let statement = try connection.query("SELECT format('GRANT domicile_reader TO %I', $1::text) AS sql", [role]).first!
            .decode(String.self, "sql")
        try connection.unsafeExecuteScript(statement)
    }
}
