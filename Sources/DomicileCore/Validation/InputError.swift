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
    /// Issues found beyond those kept (`IssueList.limit`): counted, not kept, so a file of
    /// many bad records cannot fill the memory with messages.
    public var omitted = 0

    public init(_ issues: [Issue]) { self.issues = issues }
    public init(_ issue: Issue) { issues = [issue] }
    public init(_ list: IssueList) {
        issues = list.kept
        omitted = list.omitted
    }

    /// Every issue found, kept or not.
    public var count: Int { issues.count + omitted }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Issues collected while reading or validating a file: the first `limit` are kept, the
/// rest only counted.
public struct IssueList: Sendable {
    /// More than are ever printed (100), so that removing a few duplicates later still leaves enough.
    public static let limit = 1000

    public private(set) var kept: [Issue] = []
    public private(set) var omitted = 0

    public init(_ issues: [Issue] = []) { append(contentsOf: issues) }

    public var isEmpty: Bool { kept.isEmpty && omitted == 0 }
    public var count: Int { kept.count + omitted }

    public mutating func append(_ issue: Issue) {
        if kept.count < Self.limit { kept.append(issue) } else { omitted += 1 }
    }

    public mutating func append(contentsOf issues: [Issue]) {
        for issue in issues { append(issue) }
    }

    public mutating func append(contentsOf list: IssueList) {
        append(contentsOf: list.kept)
        omitted += list.omitted
    }

    public mutating func removeAll(where remove: (Issue) -> Bool) { kept.removeAll(where: remove) }

    public static func += (list: inout IssueList, issues: [Issue]) { list.append(contentsOf: issues) }
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
