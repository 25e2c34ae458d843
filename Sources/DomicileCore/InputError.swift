import Foundation

/// One thing wrong with a user's input: which field, which value, what is allowed.
///
/// `code` is stable (`input.unknown_country`) so scripts and the API can match on it;
/// `message` is for people and already names the value and the alternatives.
public struct Issue: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: String
    public var field: String
    public var value: String?
    public var message: String
    /// Where the value came from: `file.yaml:12 (residencies[0].country)` or `file.csv:4`.
    public var location: String?

    public init(code: String, field: String, value: String?, message: String, location: String? = nil) {
        self.code = code
        self.field = field
        self.value = value
        self.message = message
        self.location = location
    }

    public var description: String {
        guard let location else { return message }
        return "\(location): \(message)"
    }

    public func located(_ location: String?) -> Issue {
        var copy = self
        if copy.location == nil { copy.location = location }
        return copy
    }
}

/// Bad input: one or more issues, all reported at once. Nothing was written.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var issues: [Issue]

    public init(_ issues: [Issue]) { self.issues = issues }
    public init(_ issue: Issue) { issues = [issue] }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

extension Issue {
    /// A field value outside its allowed set, with the closest allowed value suggested.
    public static func notAllowed(_ field: String, _ value: String, allowed: [String], code: String? = nil) -> Issue {
        var message = "\(field) '\(value)' is not allowed; use one of: \(allowed.joined(separator: ", "))"
        if let guess = Suggest.closest(to: value, in: allowed) { message += " (did you mean \(guess)?)" }
        return Issue(code: code ?? "input.invalid_" + codeName(field), field: field, value: value, message: message)
    }

    /// `contract.signed_on` → `contract_signed_on`, `schema directory` → `schema_directory`.
    static func codeName(_ field: String) -> String {
        String(field.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    public static func missing(_ field: String) -> Issue {
        Issue(code: "input.missing_field", field: field, value: nil, message: "\(field) is required")
    }

    public static func invalid(_ field: String, _ value: String, expected: String) -> Issue {
        Issue(
            code: "input.invalid_" + codeName(field), field: field, value: value,
            message: "\(field) '\(value)' is not valid: expected \(expected)")
    }
}
