import DomicileCore
import Foundation
import Hummingbird
import HummingbirdCore

/// A request's query parameters, checked against what the route accepts: an unknown,
/// repeated or malformed parameter is a 400 that names it.
struct QueryParameters: Sendable {
    private(set) var values: [String: String] = [:]

    init(_ uri: URI, allowed: [String]) throws {
        // Read from the raw query, each name and value percent-decoded exactly once; a bad
        // escape (`%zz`, or bytes that are not UTF-8) is a 400, never read as written.
        for pair in (uri.query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: "=")
            let rawKey = equals.map { pair[..<$0] } ?? pair[...]
            let rawValue = equals.map { pair[pair.index(after: $0)...] } ?? ""
            guard let key = String(rawKey).removingPercentEncoding else {
                throw APIError(.badRequest, code: "request.malformed_query", message: "a query parameter's name is not valid percent-encoded UTF-8", field: String(rawKey.prefix(40)))
            }
            guard let value = String(rawValue).removingPercentEncoding else {
                throw APIError(.badRequest, code: "request.malformed_query", message: "query parameter '\(key)' is not valid percent-encoded UTF-8", field: key)
            }
            // An empty segment (`a=1&&b=2`, a trailing `&`) was skipped above; `=` alone names
            // no parameter and is refused below like any unknown name.
            guard allowed.contains(key) else {
                var message = "query parameter '\(key)' is not known here"
                message += allowed.isEmpty ? "; this route takes none" : "; use one of: \(allowed.joined(separator: ", "))"
                if let guess = Suggest.closest(to: key, in: allowed) { message += " (did you mean \(guess)?)" }
                throw APIError(.badRequest, code: "request.unknown_parameter", message: message, field: key, value: value)
            }
            guard values[key] == nil else {
                throw APIError(.badRequest, code: "request.repeated_parameter", message: "query parameter '\(key)' is given more than once", field: key)
            }
            values[key] = value
        }
    }

    subscript(name: String) -> String? { values[name] }

    /// A day, `YYYY-MM-DD`.
    func day(_ name: String) throws -> Day? {
        guard let text = values[name] else { return nil }
        guard let day = Day(text) else {
            throw APIError(Issue.invalid(name, text, expected: "an ISO 8601 date YYYY-MM-DD, e.g. 2025-04-01"))
        }
        return day
    }

    /// `true` or `false`.
    func bool(_ name: String) throws -> Bool? {
        guard let text = values[name] else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw APIError(Issue.notAllowed(name, text, allowed: ["true", "false"]))
        }
    }

    /// One of `allowed`.
    func choice(_ name: String, _ allowed: [String]) throws -> String? {
        guard let text = values[name] else { return nil }
        guard allowed.contains(text) else { throw APIError(Issue.notAllowed(name, text, allowed: allowed)) }
        return text
    }

    /// Text no longer than `maximum` characters (Unicode code points, as JSON Schema's
    /// `maxLength` counts them), without control characters.
    func text(_ name: String, maximum: Int = 200) throws -> String? {
        guard let text = values[name] else { return nil }
        if text.isEmpty || text.unicodeScalars.count > maximum || text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw APIError(Issue.invalid(name, String(text.prefix(40)), expected: "1 to \(maximum) printable characters"))
        }
        return text
    }

}
