import DomicileCore
import Foundation
import Hummingbird
import HummingbirdCore

/// The `where` page's form: the filters of `GET /v1/where` under the API's own parameter
/// names, as the page's URL carries them (`/where?service=persona&country=日本`).
///
/// An empty field is a filter not given (a form submits every field, filled or not). The
/// page answers exactly the question of `apiTarget`, the API URL its download links point
/// to: it parses that URL with the API's own `QueryParameters` and builds the same
/// `WhereRequest` as `Renderers.where`, so both refuse and answer alike.
struct WhereForm: Sendable, Equatable {
    /// The filters the form shows, in the order of the form and of the API URL.
    static let filters = ["service", "category", "country", "vendor", "role", "region", "as_of"]
    /// The form's parameters: the filters and the `transitive` checkbox.
    static let parameters = filters + ["transitive"]

    /// Filter → the value typed (trimmed), only those not empty.
    private(set) var values: [String: String] = [:]
    var transitive = false

    init(values: [String: String] = [:], transitive: Bool = false) {
        for (name, value) in values where Self.filters.contains(name) {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { self.values[name] = trimmed }
        }
        self.transitive = transitive
    }

    /// The page's query parameters (`parameters`, plus whatever else the console allows on
    /// every page, `extra`, which the form leaves alone). `transitive` is a checkbox: present
    /// (`on`, `true`) or absent; anything else is refused as the API refuses it.
    init(query: [String: String]) throws {
        var values: [String: String] = [:]
        for name in Self.filters { values[name] = query[name] }
        var transitive = false
        if let text = query["transitive"] {
            switch text {
            case "true", "on": transitive = true
            case "false", "": transitive = false
            default: throw APIError(Issue.notAllowed("transitive", text, allowed: ["true", "false"]))
            }
        }
        self.init(values: values, transitive: transitive)
    }

    subscript(name: String) -> String { values[name] ?? "" }

    /// Whether any filter or `transitive` was given: an empty form asks nothing yet.
    var isEmpty: Bool { values.isEmpty && !transitive }

    /// `/v1/where?…` for the same question: each non-empty filter in the form's order,
    /// percent-encoded, `transitive=true` when checked, then `format` (`json` or `csv`).
    func apiTarget(format: String) -> String {
        var pairs: [(String, String)] = Self.filters.compactMap { name in values[name].map { (name, $0) } }
        if transitive { pairs.append(("transitive", "true")) }
        pairs.append(("format", format))
        return "/v1/where?" + pairs.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
    }

    /// The page's own URL for this question (`/where?…`), without `format`.
    var pageTarget: String {
        var pairs: [(String, String)] = Self.filters.compactMap { name in values[name].map { (name, $0) } }
        if transitive { pairs.append(("transitive", "true")) }
        return "/where" + (pairs.isEmpty ? "" : "?" + pairs.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&"))
    }

    /// The request `Renderers.where` builds from the API URL, built from that very URL.
    func whereRequest() throws -> WhereRequest {
        let query = try QueryParameters(URI(apiTarget(format: "json")), allowed: Renderers.whereParameters)
        return try Self.whereRequest(query)
    }

    /// As `Renderers.where` reads its parameters (the same checks, naming the parameter).
    static func whereRequest(_ query: QueryParameters) throws -> WhereRequest {
        WhereRequest(
            service: try query.text("service"), category: try query.text("category"), country: try query.text("country"),
            vendor: try query.text("vendor"), role: try query.text("role"), region: try query.text("region"),
            asOf: try query.text("as_of"), transitive: try query.bool("transitive") ?? false, by: try query.text("by"))
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters, so `&`, `=`, `+`,
    /// `#`, `%`, spaces and non-ASCII letters reach the server as typed.
    static func encode(_ text: String) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
