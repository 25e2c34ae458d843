import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOHTTP1
import NIOHTTPTypes
import DomicileCore

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
        do {
            let response = try await next(request, context)
            status = response.status
            return response
        } catch {
            // Answered by `SecurityHeadersMiddleware` from the error, with its status.
            status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            throw error
        }
    }
}

/// Turns every error into an `APIError` (an `HTTPResponseError`: a JSON error body with a
/// stable code) and throws it on; anything unexpected is a 500 whose details go to the log
/// only.
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
                throw answer
            }
            logger.error("internal error", metadata: ["error": "\(String(reflecting: error))", "request_id": "\(context.id)"])
            throw APIError.internal
        }
    }
}

/// Request size and time limits.
struct LimitsMiddleware<Context: RequestContext>: RouterMiddleware {
    let maximumURILength: Int
    let maximumBodySize: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Every route is GET but the console's sign-in and sign-out forms: any other method is
        // refused on any path, before its body is looked at.
        let form = request.method == .post && ConsoleRoutes.postPaths.contains(request.uri.path)
        if request.method != .get, request.method != .head, !form {
            var response = APIError(.methodNotAllowed, code: "route.method_not_allowed", message: "this API is read-only: only GET is allowed").response
            response.headers[.allow] = "GET, HEAD"
            return response
        }
        if request.uri.string.utf8.count > maximumURILength {
            throw APIError(.uriTooLong, code: "request.uri_too_long", message: "the request target is longer than \(maximumURILength) bytes")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > (form ? ConsoleRoutes.maximumFormBytes : maximumBodySize) {
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
            try await Deadline.sleep(for: max(timeout, .zero))
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

/// Headers every answer carries, and HEAD answered without a body.
///
/// `X-Content-Type-Options: nosniff` on every answer, errors included; HTML (the reports)
/// gets a Content-Security-Policy that lets nothing load or run (`HTMLPolicy`).
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // Errors are answered here, outermost, so that they get these headers too.
            response = (APIError.from(error) ?? .internal).response
        }
        Self.secure(&response.headers)
        if request.method == .head { response = response.createHeadResponse() }
        return response
    }

    static func secure(_ headers: inout HTTPFields) {
        headers[.xContentTypeOptions] = "nosniff"
        // Console pages set their own (`ConsoleRoutes.contentSecurityPolicy`).
        if headers[.contentType]?.hasPrefix("text/html") == true, headers[.contentSecurityPolicy] == nil {
            headers[.contentSecurityPolicy] = HTMLPolicy.contentSecurityPolicy
        }
    }
}

/// Answers what the HTTP parser refuses — a header or request line over the limits, a
/// method it does not know, bytes a target may not hold — with the documented JSON error
/// (400 `request.malformed`, 431 `request.header_too_large`) instead of an empty 400, then
/// closes the connection (the parser cannot go on after an error).
final class HTTPParserErrorResponder: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    let logger: Logger

    init(logger: Logger) { self.logger = logger }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        let answer: APIError
        switch parserError {
        case .headerOverflow:
            answer = APIError(
                .init(code: 431, reasonPhrase: "Request Header Fields Too Large"), code: "request.header_too_large",
                message: "the request line and headers exceed the server's limits (a header at most 16 KiB, all at most 32 KiB, at most 100 headers)")
        case .invalidMethod:
            answer = APIError(.badRequest, code: "request.malformed", message: "the request method is not one HTTP knows; this API answers GET and HEAD")
        case .invalidURL:
            answer = APIError(.badRequest, code: "request.malformed", message: "the request target holds bytes a URL may not (percent-encode them)")
        default:
            answer = APIError(.badRequest, code: "request.malformed", message: "the request is not valid HTTP/1.1 (\(parserError))")
        }
        logger.debug("refused by the HTTP parser", metadata: ["error": "\(parserError)", "code": "\(answer.code)"])
        let body = ByteBuffer(string: answer.json)
        var fields: HTTPFields = [
            .contentType: "application/json; charset=utf-8", .cacheControl: "no-store", .connection: "close",
            .contentLength: String(body.readableBytes),
        ]
        SecurityHeadersMiddleware<BasicRequestContext>.secure(&fields)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: answer.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// A sleep that a cancellation ends at once, timer included.
///
/// `Task.sleep` on Linux leaves its timer queued until the time it was asked for, whatever
/// cancels it: every uncached answer started two (its render's limit and its caller's
/// deadline, 30 s each), so after a burst the server held about 0.7 KiB per request for 30 s
/// (60 MiB after 80,000 small answers; docs/benchmarks.md "Memory after a load"). This one
/// is a task scheduled on an event loop, which a cancellation removes from the loop's queue.
enum Deadline {
    /// Counts the timers of the sleeps started under it (tests: none is left after a burst).
    final class Tracker: Sendable {
        private let counts = NIOLockedValueBox((started: 0, pending: 0))
        /// Timers scheduled.
        var started: Int { counts.withLockedValue { $0.started } }
        /// Timers scheduled and neither fired nor cancelled yet.
        var pending: Int { counts.withLockedValue { $0.pending } }
        func scheduled() { counts.withLockedValue { $0.started += 1; $0.pending += 1 } }
        func ended() { counts.withLockedValue { $0.pending -= 1 } }
    }

    @TaskLocal static var tracker: Tracker?

    static func sleep(for duration: Duration) async throws {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let delay: TimeAmount = nanoseconds.overflow ? .hours(24 * 365) : .nanoseconds(nanoseconds.partialValue + attoseconds / 1_000_000_000)
        let scheduled = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: delay) {}
        if let tracker {
            tracker.scheduled()
            scheduled.futureResult.whenComplete { _ in tracker.ended() }
        }
        try await withTaskCancellationHandler {
            do {
                try await scheduled.futureResult.get()
            } catch {
                throw CancellationError()
            }
        } onCancel: {
            scheduled.cancel()
        }
    }
}
