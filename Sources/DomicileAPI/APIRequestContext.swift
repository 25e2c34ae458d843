import Hummingbird
import HummingbirdCore

/// What a request carries from one middleware to the next: its path parameters checked and
/// decoded (`PathParametersMiddleware`), and, once `TokenAuthMiddleware` has let it through,
/// the deadline of its database steps and the registry revision read with its token.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Path parameters, percent-decoded and checked (1 to 200 printable characters).
    var path: [String: String] = [:]
    /// When the request's database steps together (token check, render) must be done.
    var deadline: ContinuousClock.Instant?
    /// The registry revision to answer at (read with the token, or remembered by the watch).
    var revision: Int64?

    public init(source: Source) {
        coreContext = .init(source: source)
    }
}
