import Foundation

/// A `where` question as a person typed it: each filter still raw text.
///
/// The CLI (`domicile where`) and the HTTP API (`GET /v1/where`) both build one and hand it
/// to `Store.whereQuery(_:)`, which resolves names and aliases and calls `validated(index:today:)`;
/// so both refuse the same values with the same messages. Field names in issues are the
/// API's parameter names (`service`, `category`, `country`, `vendor`, `role`, `region`,
/// `as_of`, `by`).
public struct WhereRequest: Sendable, Equatable {
    public var service: String?
    /// A data-category key or a prefix of one on the taxonomy: `user.contact` matches `user.contact.email`.
    public var category: String?
    public var country: String?
    public var vendor: String?
    /// `storage`, `processing`, `backup`, `remote_access` (or `remote-access`), or `entrusted` (chain rows).
    public var role: String?
    /// `provider/code` (`aws/ap-northeast-1`) or a region code alone when only one provider has it.
    public var region: String?
    /// `YYYY-MM-DD`; default today.
    public var asOf: String?
    public var transitive: Bool
    /// `country` or `service` for a summary instead of rows.
    public var by: String?

    public init(
        service: String? = nil, category: String? = nil, country: String? = nil, vendor: String? = nil,
        role: String? = nil, region: String? = nil, asOf: String? = nil, transitive: Bool = false, by: String? = nil
    ) {
        self.service = service
        self.category = category
        self.country = country
        self.vendor = vendor
        self.role = role
        self.region = region
        self.asOf = asOf
        self.transitive = transitive
        self.by = by
    }
}

/// How a `where` answer is summarized.
public enum WhereGrouping: String, CaseIterable, Sendable {
    case country, service
}

/// A validated `where` question: every filter is a stored key or code.
public struct WhereQuery: Sendable, Equatable {
    /// Service key.
    public var service: String?
    /// Data-category key; matches itself and every key below it.
    public var category: String?
    /// ISO 3166-1 alpha-2 code. Undisclosed rows match when the code is among their candidates.
    public var country: String?
    /// Vendor key. Matches a row whose vendor it is, and with `transitive` any row whose path passes through it.
    public var vendor: String?
    /// `storage`, `processing`, `backup`, `remote_access` or `entrusted`.
    public var role: String?
    /// `provider/code`.
    public var region: String?
    /// The day the answer is about: rows in force on it (`valid_from <= day < valid_to`).
    public var asOf: Day
    /// Follow entrustments to their entrustees and sub-entrustees at any depth.
    public var transitive: Bool
    public var grouping: WhereGrouping?

    public init(
        service: String? = nil, category: String? = nil, country: String? = nil, vendor: String? = nil,
        role: String? = nil, region: String? = nil, asOf: Day, transitive: Bool = false, grouping: WhereGrouping? = nil
    ) {
        self.service = service
        self.category = category
        self.country = country
        self.vendor = vendor
        self.role = role
        self.region = region
        self.asOf = asOf
        self.transitive = transitive
        self.grouping = grouping
    }

    /// Residency roles, plus `entrusted` for the rows `transitive` adds.
    public static let roles = ["storage", "processing", "backup", "remote_access", "entrusted"]

    /// The region's provider and code, for the store's bound parameters.
    public var regionParts: (provider: String, code: String)? {
        guard let region, let slash = region.firstIndex(of: "/") else { return nil }
        return (String(region[..<slash]), String(region[region.index(after: slash)...]))
    }
}

extension WhereRequest {
    /// Checks every filter but `service` and `vendor` (which the store resolves from names
    /// and aliases first and passes here as keys) against the reference data in `index`
    /// (countries, regions and `keys[.category]`). Every bad value is reported at once.
    public func validated(index: ReferenceIndex, today: Day) throws -> WhereQuery {
        var issues: [Issue] = []
        var query = WhereQuery(service: service, vendor: vendor, asOf: today, transitive: transitive)
        let validator = Validator(index: index)

        if let category {
            let keys = (index.keys[.category] ?? []).sorted()
            if keys.contains(category) {
                query.category = category
            } else {
                var message = "category '\(category)' is not a data category or a prefix of one"
                if let guess = Suggest.closest(to: category, in: keys) ?? Validator.closestByLastSegment(category, in: keys) {
                    message += "; did you mean \(guess)?"
                } else {
                    message += "; see `domicile category list`"
                }
                issues.append(Issue(code: "input.unknown_category", field: "category", value: category, message: message))
            }
        }
        if let country {
            let code = country.uppercased()
            if index.countries[code] != nil { query.country = code } else { issues.append(validator.countryIssue("country", country)) }
        }
        if let role {
            let normalized = role.replacingOccurrences(of: "-", with: "_").lowercased()
            if WhereQuery.roles.contains(normalized) {
                query.role = normalized
            } else {
                issues.append(Issue.notAllowed("role", role, allowed: WhereQuery.roles))
            }
        }
        if let region {
            let matches = index.regions.keys.filter { $0 == region || $0.hasSuffix("/" + region) }
            if matches.count == 1 {
                query.region = matches[0]
            } else if matches.count > 1 {
                issues.append(
                    Issue(
                        code: "input.ambiguous_region", field: "region", value: region,
                        message: "region '\(region)' is ambiguous: it matches \(matches.sorted().joined(separator: ", ")); write PROVIDER/CODE"))
            } else {
                var message = "region '\(region)' is not a known cloud region; write PROVIDER/CODE as listed by `domicile region list`, e.g. aws/ap-northeast-1"
                let all = index.regions.keys.sorted()
                let codes = all.map { String($0.split(separator: "/").last ?? "") }
                if let guess = Suggest.closest(to: region, in: all) {
                    message += " (did you mean \(guess)?)"
                } else if let code = Suggest.closest(to: region, in: codes), let guess = all.first(where: { $0.hasSuffix("/" + code) }) {
                    message += " (did you mean \(guess)?)"
                }
                issues.append(Issue(code: "input.unknown_region", field: "region", value: region, message: message))
            }
        }
        if let asOf {
            if let day = Day(asOf) { query.asOf = day } else { issues.append(Issue.invalidDate("as_of", asOf)) }
        }
        if let by {
            if let grouping = WhereGrouping(rawValue: by.lowercased()) {
                query.grouping = grouping
            } else {
                issues.append(Issue.notAllowed("by", by, allowed: WhereGrouping.allCases.map(\.rawValue)))
            }
        }
        if !issues.isEmpty { throw InputError(issues) }
        return query
    }
}
