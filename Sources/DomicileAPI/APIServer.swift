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
        let watch = RegistryWatch(conninfo: database.conninfo, environment: database.environment, logger: logger)
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

    /// Every route, in the order they are registered: the OpenAPI document lists exactly these.
    public static var routes: [(method: String, path: String)] {
        endpoints.map { ("GET", $0.path) }
    }

    static func buildRouter(
        configuration: APIConfiguration, database: ReaderDatabase, watch: RegistryWatch, cache: ResponseCache, logger: Logger
    ) -> Router<BasicRequestContext> {
        // HEAD is answered on every GET route, with the GET's headers and no body.
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: AccessLogMiddleware(logger: logger))
        router.add(middleware: ErrorMiddleware(logger: logger))
        router.add(
            middleware: LimitsMiddleware(
                maximumURILength: configuration.maximumURILength,
                maximumBodySize: configuration.maximumBodySize))
        let responder = EndpointResponder(
            database: database, cache: cache, watch: watch, tokenChecks: TokenCheckFlights(),
            timeout: configuration.requestTimeout,
            openAPIDocument: configuration.openAPIDocument, migrator: configuration.migrator)
        for endpoint in endpoints {
            let hummingbirdPath = endpoint.path.split(separator: "/").map { segment in
                segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : String(segment)
            }.joined(separator: "/")
            router.get(RouterPath(hummingbirdPath)) { request, context in
                var parameters: [String: String] = [:]
                for (name, value) in context.parameters {
                    guard let text = String(value).removingPercentEncoding else {
                        throw APIError(Issue.invalid(String(name), String(value.prefix(40)), expected: "percent-encoded UTF-8 of 1 to 200 printable characters"))
                    }
                    if text.isEmpty || text.count > 200 || text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                        throw APIError(Issue.invalid(String(name), String(text.prefix(40)), expected: "1 to 200 printable characters"))
                    }
                    parameters[String(name)] = text
                }
                return try await responder.respond(to: request, pathParameters: parameters, endpoint: endpoint)
            }
        }
        return router
    }

    static let endpoints: [Endpoint] = [
        Endpoint("/healthz", access: .public, kind: .health),
        Endpoint("/readyz", access: .public, kind: .readiness),
        Endpoint("/openapi.yaml", access: .public, kind: .document),
        Endpoint("/v1/services", parameters: ["as_of", "all"], render: Renderers.services),
        Endpoint("/v1/vendors", parameters: ["as_of", "all"], render: Renderers.vendors),
        Endpoint("/v1/vendors/{id}", render: Renderers.vendor),
        Endpoint("/v1/countries", render: Renderers.countries),
        Endpoint("/v1/countries/{code}", render: Renderers.country),
        Endpoint("/v1/where", parameters: Renderers.whereParameters, render: Renderers.where),
        Endpoint("/v1/check", parameters: Renderers.checkParameters, render: Renderers.check),
        Endpoint("/v1/reports/disclosure", scope: .reports, parameters: Renderers.reportParameters, render: Renderers.disclosure),
        Endpoint("/v1/reports/{kind}", scope: .reports, parameters: Renderers.reportParameters, render: Renderers.report),
        Endpoint("/v1/due", parameters: Renderers.dueParameters, render: Renderers.due),
        Endpoint("/v1/due.ics", parameters: Renderers.dueParameters, render: Renderers.dueCalendar),
        Endpoint("/v1/evidence", parameters: Renderers.evidenceParameters, render: Renderers.evidenceList),
        Endpoint("/v1/evidence/{id}", render: Renderers.evidenceFile),
    ]
}

/// Watches the registry revision while the server runs; stops the watch and closes the
/// connection pool once the server has stopped.
struct DatabaseService: Service {
    let database: ReaderDatabase
    let watch: RegistryWatch

    func run() async throws {
        watch.start()
        try? await gracefulShutdown()
        await watch.stop()
        try await database.shutdown()
    }
}
