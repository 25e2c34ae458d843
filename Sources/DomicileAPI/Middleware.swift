import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// One structured line per request: method, path (without the query), status, duration.
/// Headers, and so the bearer token, are never logged.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = HTTPResponse.Status.internalServerError
        defer {
            let elapsed = ContinuousClock.now - start
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            logger.info(
                "request",
                metadata: [
                    "method": "\(request.method.rawValue)",
                    "path": "\(request.uri.path)",
                    "status": "\(status.code)",
                    "duration_ms": "\(String(format: "%.1f", milliseconds))",
                    "request_id": "\(context.id)",
                ])
        }
        let response = try await next(request, context)
        status = response.status
        return response
    }
}

/// Turns every error into a JSON error body with a stable code; anything unexpected is a
/// 500 whose details go to the log only.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            if let answer = APIError.from(error) {
                if answer.status.code >= 500 {
                    logger.warning("request failed", metadata: ["code": "\(answer.code)", "error": "\(String(reflecting: error))", "request_id": "\(context.id)"])
                }
                return answer.response
            }
            logger.error("internal error", metadata: ["error": "\(String(reflecting: error))", "request_id": "\(context.id)"])
            return APIError(.internalServerError, code: "internal", message: "internal error; see the server log").response
        }
    }
}

/// Request size and time limits.
struct LimitsMiddleware<Context: RequestContext>: RouterMiddleware {
    let maximumURILength: Int
    let maximumBodySize: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Every route is GET: any other method is refused on any path, before its body is looked at.
        if request.method != .get, request.method != .head {
            var response = APIError(.methodNotAllowed, code: "route.method_not_allowed", message: "this API is read-only: only GET is allowed").response
            response.headers[.allow] = "GET, HEAD"
            return response
        }
        if request.uri.string.utf8.count > maximumURILength {
            throw APIError(.uriTooLong, code: "request.uri_too_long", message: "the request target is longer than \(maximumURILength) bytes")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBodySize {
            throw APIError(.contentTooLarge, code: "request.too_large", message: "request bodies are limited to \(maximumBodySize) bytes; the API is GET-only")
        }
        if request.headers[.transferEncoding] != nil, maximumBodySize == 0 {
            throw APIError(.contentTooLarge, code: "request.too_large", message: "request bodies are not accepted; the API is GET-only")
        }
        return try await next(request, context)
    }
}

/// Runs `operation`, or throws `request.timeout` (503) once `timeout` has passed. The
/// operation is cancelled; a libpq call already running ends at the statement timeout.
///
/// `limit` is the configured limit the message names, when `timeout` is what is left of it.
func withTimeout<T: Sendable>(
    _ timeout: Duration, limit: Duration? = nil, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let limit = limit ?? timeout
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: max(timeout, .zero))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw APIError(
                .serviceUnavailable, code: "request.timeout",
                message: "the request took longer than \(limit.components.seconds) s; retry later", retryAfter: 5)
        }
        return value
    }
}
