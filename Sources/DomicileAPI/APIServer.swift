import DomicileCore
import DomicileStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Postgres
import ServiceLifecycle

/// How `domicile serve` runs.
public struct APIConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The OpenAPI document (docs/openapi.yaml), served as is at `/openapi.yaml`.
    public var openAPIDocument: String
    /// The migrations this build expects; `/readyz` compares the database with them.
    public var migrator: Migrator
    /// A request that takes longer is answered 503 (`request.timeout`).
    public var requestTimeout: Duration
    /// Longest accepted request line target (path and query), in bytes.
    public var maximumURILength: Int
    /// Largest accepted request body, in bytes (the API is GET-only).
    public var maximumBodySize: Int
    /// Rendered responses kept in memory (per registry revision), at most this many.
    public var cacheEntries: Int
    /// Bytes the kept responses may take (bodies and keys counted); `0` turns the cache off.
    public var cacheBytes: Int

    /// The default `--cache-bytes`: 64 MiB.
    public static let defaultCacheBytes = 64 * 1_048_576
    /// On a hot standby (which cannot LISTEN), how often the registry revision is polled.
    public var standbyPollInterval: Duration = APIConfiguration.defaultStandbyPollInterval
    /// The default `--standby-poll-interval`: 100 ms.
    public static let defaultStandbyPollInterval: Duration = .milliseconds(100)

    public init(
        host: String = "127.0.0.1", port: Int = 8080, openAPIDocument: String, migrator: Migrator,
        requestTimeout: Duration = .seconds(30), maximumURILength: Int = 4096, maximumBodySize: Int = 0,
        cacheEntries: Int = 4096, cacheBytes: Int = APIConfiguration.defaultCacheBytes
    ) {
        self.host = host
        self.port = port
        self.openAPIDocument = openAPIDocument
        self.migrator = migrator
        self.requestTimeout = requestTimeout
        self.maximumURILength = maximumURILength
        self.maximumBodySize = maximumBodySize
        self.cacheEntries = cacheEntries
        self.cacheBytes = cacheBytes
    }
}

/// The HTTP API: read-only, token-protected, answering with the same store queries and
/// renderers as the command line.
public enum APIServer {
    /// The application `domicile serve` runs; tests call the same function.
    ///
    /// `cache` is the response cache to use (tests pass one to read its counters); by
    /// default one bounded by the configuration's `cacheBytes` and `cacheEntries`.
    public static func buildApplication(
        configuration: APIConfiguration, database: ReaderDatabase, logger: Logger, cache: ResponseCache? = nil,
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let watch = RegistryWatch(
            conninfo: database.conninfo, environment: database.environment, logger: logger,
            standbyPollInterval: configuration.standbyPollInterval)
        let cache = cache ?? ResponseCache(capacityBytes: configuration.cacheBytes, capacityEntries: configuration.cacheEntries)
        let router = buildRouter(configuration: configuration, database: database, watch: watch, cache: cache, logger: logger)
        return Application(
            router: router,
            server: .http1(
                configuration: .init(
                    // What the HTTP parser refuses (an oversized header or target, a method it
                    // does not know, bytes a path may not hold) is answered as JSON too.
                    additionalChannelHandlers: [HTTPParserErrorResponder(logger: logger)],
                    idleTimeout: .seconds(75),
                    httpDecoderConfiguration: .init(maxHeaderFieldSize: 16 * 1024, maxHeaderListSize: 32 * 1024, maxHeaderFieldCount: 100))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "domicile"),
            services: [DatabaseService(database: database, watch: watch)],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.info("listening", metadata: ["address": "http://\(configuration.host):\(port)"])
                onListening(port)
            },
            logger: logger)
    }

    /// Every route the router serves, as the OpenAPI document writes them (`GET /v1/vendors/{id}`);
    /// HEAD, answered on every GET route, is left out as the document leaves it out, and so is
    /// the web console (`ConsoleRoutes.paths`: HTML pages, not the API).
    static func routes(of router: Router<APIRequestContext>) -> [(method: String, path: String)] {
        router.routes.filter { $0.method != .head && !ConsoleRoutes.paths.contains($0.path.description) }
            .map { ($0.method.rawValue, $0.path.description) }
    }

    static func buildRouter(
        configuration: APIConfiguration, database: ReaderDatabase, watch: RegistryWatch, cache: ResponseCache, logger: Logger
    ) -> Router<APIRequestContext> {
        // HEAD is answered on every GET route, with the GET's headers and no body.
        let router = Router(context: APIRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: AccessLogMiddleware(logger: logger))
        router.add(middleware: ErrorMiddleware(logger: logger))
        router.add(
            middleware: LimitsMiddleware(
                maximumURILength: configuration.maximumURILength,
                maximumBodySize: configuration.maximumBodySize))

        // Public: no token, no query parameters.
        let timeout = configuration.requestTimeout
        let readiness = Readiness(database: database, watch: watch, migrator: configuration.migrator)
        let document = configuration.openAPIDocument
        let documentTag = "\"" + APIToken.hash(document).prefix(16) + "\""
        router.get("/healthz") { request, _ in
            _ = try QueryParameters(request.uri, allowed: [])
            return Conditional.json(.ok, "{\"status\":\"ok\"}\n")
        }
        router.get("/readyz") { request, _ in
            _ = try QueryParameters(request.uri, allowed: [])
            return try await withTimeout(timeout) { await readiness.response() }
        }
        router.get("/openapi.yaml") { request, _ in
            _ = try QueryParameters(request.uri, allowed: [])
            if Conditional.matches(request.headers[.ifNoneMatch], documentTag) { return Conditional.notModified(documentTag) }
            return Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8", .eTag: documentTag],
                body: .init(byteBuffer: ByteBuffer(string: document)))
        }

        // The registry: a bearer token of the route's scope; answers cached per revision.
        let sessions = ConsoleSessions()
        let tokens = TokenAuthenticator(database: database, watch: watch, tokenChecks: TokenCheckFlights(), timeout: timeout, sessions: sessions)
        let answers = RegistryAnswers(database: database, cache: cache, timeout: timeout)
        let reads = RegistryRoutes(router, scope: .read, tokens: tokens, answers: answers)
        reads.get("/v1/services", parameters: ["as_of", "all"] + Paging.parameters, Renderers.services)
        reads.get("/v1/vendors", parameters: ["as_of", "all"] + Paging.parameters, Renderers.vendors)
        reads.get("/v1/vendors/{id}", Renderers.vendor)
        reads.get("/v1/countries", parameters: Paging.parameters, Renderers.countries)
        reads.get("/v1/countries/{code}", Renderers.country)
        reads.get("/v1/where", parameters: Renderers.whereParameters, Renderers.where)
        reads.get("/v1/check", parameters: Renderers.checkParameters, Renderers.check)
        reads.get("/v1/due", parameters: Renderers.dueParameters, Renderers.due)
        reads.get("/v1/due.ics", parameters: Renderers.dueParameters, Renderers.dueCalendar)
        reads.get("/v1/evidence", parameters: Renderers.evidenceParameters, Renderers.evidenceList)
        reads.get("/v1/evidence/{id}", Renderers.evidenceFile)
        let reports = RegistryRoutes(router, scope: .reports, tokens: tokens, answers: answers)
        reports.get("/v1/reports/disclosure", parameters: Renderers.reportParameters, Renderers.disclosure)
        reports.get("/v1/reports/{kind}", parameters: Renderers.reportParameters, Renderers.report)

        // The web console at `/` (Console/ConsoleRoutes.swift): same tokens, cache and ETags.
        ConsoleRoutes.add(to: router, tokens: tokens, sessions: sessions, answers: answers, logger: logger)
        return router
    }
}

/// `/readyz`: whether the database answers and its schema is the one this build expects.
struct Readiness: Sendable {
    let database: ReaderDatabase
    let watch: RegistryWatch
    let migrator: Migrator

    func response() async -> Response {
        let migrator = self.migrator
        let state: Store.SchemaState? = watch.databaseDown ? nil : try? await database.withStore { store in try store.schemaState(migrator) }
        guard let state else {
            var response = Conditional.json(.serviceUnavailable, "{\"database\":\"unreachable\",\"schema\":\"unknown\",\"status\":\"unavailable\"}\n")
            response.headers[.retryAfter] = "5"
            return response
        }
        var body = "{\"database\":\"reachable\","
        let schema: String
        switch state {
        case .current: schema = "current"
        case .pending(let count):
            body += "\"pending_migrations\":\(count),"
            schema = "pending"
        case .mismatch: schema = "mismatch"
        }
        let ready = state == .current
        body += "\"schema\":\"\(schema)\",\"status\":\"\(ready ? "ready" : "unavailable")\"}\n"
        var response = Conditional.json(ready ? .ok : .serviceUnavailable, body)
        if !ready { response.headers[.retryAfter] = "30" }
        return response
    }
}

/// Runs the registry watch while the server runs; at graceful shutdown the watch ends and
/// the connection pool is closed.
struct DatabaseService: Service {
    let database: ReaderDatabase
    let watch: RegistryWatch

    func run() async throws {
        try await watch.run()
        try await database.shutdown()
    }
}
