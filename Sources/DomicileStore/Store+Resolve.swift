import DomicileCore
import Postgres

extension Store {
    /// Finds the record a person means: an exact key, else (case-insensitively) a key, a
    /// name or — for vendors — a legal name or alias. Several matches are an error that
    /// lists them; none is an error with the nearest key suggested.
    public func resolveKey(_ kind: EntityKind, _ text: String, field: String? = nil) throws -> String {
        let field = field ?? kind.rawValue
        let table = Self.tables[kind]!
        if try connection.query("SELECT 1 FROM " + table + " WHERE key = $1", [text]).first != nil { return text }
        let names: String
        switch kind {
        case .vendor: names = "lower(legal_name) = lower($1) OR lower($1) = ANY(SELECT lower(a) FROM unnest(aliases) AS a)"
        case .service, .organization: names = "lower(name) = lower($1)"
        case .category, .purpose: names = "lower(name_en) = lower($1)"
        default: names = "false"
        }
        let label: String
        switch kind {
        case .vendor: label = "legal_name"
        case .category, .purpose: label = "name_en"
        case .service, .organization: label = "name"
        default: label = "key"
        }
        let matches = try connection.query(
            "SELECT key, " + label + " AS label FROM " + table + " WHERE lower(key) = lower($1) OR " + names + " ORDER BY key", [text]
        ).rows.map { (try $0.decode(String.self, "key"), try $0.decode(String.self, "label")) }
        if matches.count == 1 { return matches[0].0 }
        if matches.count > 1 {
            let candidates = matches.map { "\($0.0) (\($0.1))" }.joined(separator: ", ")
            throw InputError(
                Issue(
                    code: "input.ambiguous_\(kind.rawValue)", field: field, value: text,
                    message: "\(field) '\(text)' is ambiguous: it matches \(candidates); use the key"))
        }
        let keys = try connection.query("SELECT key FROM " + table + " ORDER BY key").rows.map { try $0.decode(String.self, "key") }
        var message = "\(field) '\(text)' is not a known \(kind.rawValue) key" + (kind == .vendor ? ", legal name or alias" : kind == .service ? " or name" : "")
        if let guess = Suggest.closest(to: text, in: keys) {
            message += "; did you mean \(guess)?"
        } else if let named = try partialNameMatches(kind, text, table: table, label: label), !named.isEmpty {
            // "amazon" is no typo of "aws", but it is part of "Amazon Web Services, Inc."
            message += "; did you mean " + named.map { "\($0.key) (\($0.label))" }.joined(separator: " or ") + "?"
        } else if keys.isEmpty {
            message += "; there are none yet"
        }
        throw InputError(Issue(code: "input.unknown_\(kind.rawValue)", field: field, value: text, message: message))
    }

    /// Records whose name (or, for vendors, an alias) contains `text`, case-insensitively: at
    /// most three, and only for a text of three characters or more. Nil where the kind has
    /// no names.
    private func partialNameMatches(
        _ kind: EntityKind, _ text: String, table: String, label: String
    ) throws -> [(key: String, label: String)]? {
        let contains: String
        switch kind {
        case .vendor:
            contains = "strpos(lower(legal_name), lower($1)) > 0"
                + " OR EXISTS (SELECT 1 FROM unnest(aliases) AS a WHERE strpos(lower(a), lower($1)) > 0)"
        case .service, .organization, .category, .purpose: contains = "strpos(lower(" + label + "), lower($1)) > 0"
        default: return nil
        }
        guard text.count >= 3 else { return [] }
        return try connection.query(
            "SELECT key, " + label + " AS label FROM " + table + " WHERE " + contains + " ORDER BY key LIMIT 3", [text]
        ).rows.map { (key: try $0.decode(String.self, "key"), label: try $0.decode(String.self, "label")) }
    }
}
