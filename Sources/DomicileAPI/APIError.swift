import DomicileCore
import DomicileStore
import Foundation
import HTTPTypes
import Hummingbird
import Postgres

/// An error answer: an HTTP status and a JSON body with a stable `code`, a message for
/// people and, where one is at fault, the `field` (a query or path parameter).
///
/// ```json
/// {"error": {"code": "input.invalid_as_of", "field": "as_of", "value": "2025-13-01",
///            "message": "as_of '2025-13-01' is not valid: expected …"}}
/// ```
///
/// An `HTTPResponseError`: route handlers and middleware throw it, and Hummingbird (or
/// `SecurityHeadersMiddleware`, which adds the headers every answer carries) answers with it.
public struct APIError: HTTPResponseError, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    public var value: String?
    /// Seconds after which a retry may succeed (503).
    public var retryAfter: Int?
    /// Sent as `WWW-Authenticate` (401).
    public var challenge: String?

    public init(
        _ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, value: String? = nil,
        retryAfter: Int? = nil, challenge: String? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.value = value
        self.retryAfter = retryAfter
        self.challenge = challenge
    }

    /// A bad parameter, from the same `Issue` the command line reports.
    init(_ issue: Issue, status: HTTPResponse.Status = .badRequest) {
        self.init(status, code: issue.code, message: issue.message, field: issue.field, value: issue.value)
    }

    /// An `organization` naming none in the registry is a 404, as an unknown `where` filter
    /// or vendor is, and so is a report `kind` that does not exist; any other bad value a 400.
    static func status(of issue: Issue) -> HTTPResponse.Status {
        issue.code == "input.unknown_organization" || issue.code == "input.unknown_report" ? .notFound : .badRequest
    }

    /// Anything unexpected: the details go to the log only.
    static let `internal` = APIError(.internalServerError, code: "internal", message: "internal error; see the server log")

    static func unavailable(_ message: String, code: String = "database.unavailable") -> APIError {
        APIError(.serviceUnavailable, code: code, message: message, retryAfter: 5)
    }

    /// How an error from the store or the database is answered. Database details never
    /// reach the client; they go to the log.
    static func from(_ error: any Error) -> APIError? {
        switch error {
        case let error as APIError: return error
        case let error as InputError:
            return error.issues.first.map { APIError($0, status: status(of: $0)) }
        case let error as Issue: return APIError(error, status: status(of: error))
        case let error as PostgresError where error.kind == .connection:
            return unavailable("the database is unavailable; retry later")
        case let error as PostgresError where error.sqlState == "57014":
            return unavailable("the database did not answer in time; retry later", code: "database.timeout")
        case let error as PostgresError where error.kind == .client && error.message.contains("shut down"):
            return unavailable("the server is shutting down", code: "server.shutting_down")
        case is StoreError:
            return unavailable("the database schema does not match this server; run `domicile migrate`", code: "database.schema_mismatch")
        case let error as HTTPError:
            switch error.status {
            case .notFound: return APIError(.notFound, code: "route.not_found", message: "no such route; see /openapi.yaml")
            case .methodNotAllowed: return APIError(.methodNotAllowed, code: "route.method_not_allowed", message: "this API is read-only: only GET is allowed")
            case .contentTooLarge: return APIError(.contentTooLarge, code: "request.too_large", message: "the request body is too large")
            default: return APIError(error.status, code: "request.invalid", message: error.body ?? error.status.reasonPhrase)
            }
        default: return nil
        }
    }

    var json: String {
        var object: [String: Any] = ["code": code, "message": message]
        if let field { object["field"] = field }
        if let value { object["value"] = value }
        let data = (try? JSONSerialization.data(withJSONObject: ["error": object], options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public func response(from request: Request, context: some RequestContext) -> Response {
        response
    }

    var response: Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if let challenge { headers[.wwwAuthenticate] = challenge }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}
