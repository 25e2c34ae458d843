import Foundation

/// Where one data category of one service is, through one vendor: a row of a `where` answer.
public struct WhereRow: Sendable, Hashable {
    /// What the row comes from.
    public enum Kind: String, Sendable, Hashable {
        /// A residency fact.
        case residency
        /// An entrustment whose entrustee has no residency of the service in force (`transitive` only).
        case entrustee
        /// A sub-entrustee of an entrustment, at any depth (`transitive` only).
        case subEntrustee = "sub_entrustee"
    }

    /// Why the country is not known, and where the data may be.
    public struct Undisclosed: Sendable, Hashable {
        public var reason: String
        public var candidates: [String]

        public init(reason: String, candidates: [String]) {
            self.reason = reason
            self.candidates = candidates
        }
    }

    /// Who says so, and when it was checked.
    public struct Provenance: Sendable, Hashable {
        /// A URL or a document, or `entrustment KEY` for chain rows.
        public var source: String
        public var verifiedOn: Day?
        public var assertedBy: String?

        public init(source: String, verifiedOn: Day? = nil, assertedBy: String? = nil) {
            self.source = source
            self.verifiedOn = verifiedOn
            self.assertedBy = assertedBy
        }
    }

    public var kind: Kind
    /// The residency or entrustment key the row comes from.
    public var record: String
    public var service: String
    public var category: String
    public var vendor: String
    /// `storage`, `processing`, `backup`, `remote_access`, or `entrusted` for chain rows.
    public var role: String
    /// `provider/code`, when the residency names a region.
    public var region: String?
    /// ISO code; `nil` when undisclosed.
    public var country: String?
    public var undisclosed: Undisclosed?
    public var validFrom: Day
    public var provenance: Provenance
    /// Service, then each vendor the data passes through: `persona → tsubame-support → hikari-mail`.
    public var path: [String]

    public init(
        kind: Kind, record: String, service: String, category: String, vendor: String, role: String,
        region: String? = nil, country: String? = nil, undisclosed: Undisclosed? = nil, validFrom: Day,
        provenance: Provenance, path: [String]
    ) {
        self.kind = kind
        self.record = record
        self.service = service
        self.category = category
        self.vendor = vendor
        self.role = role
        self.region = region
        self.country = country
        self.undisclosed = undisclosed
        self.validFrom = validFrom
        self.provenance = provenance
        self.path = path
    }

    /// The path with the country (or `undisclosed`) at its end, as shown.
    public var pathText: String {
        (path + [country ?? "undisclosed"]).joined(separator: " → ")
    }
}

extension WhereRow {
    /// Why a chain row has no country: the registry records none for that vendor.
    public static func unrecordedReason(kind: Kind, vendor: String, entrustment: String, headquarters: String?) -> String {
        let home = headquarters.map { "; its headquarters is in \($0)" } ?? ""
        switch kind {
        case .entrustee:
            return "no residency of this service at \(vendor) is recorded for entrustment \(entrustment)" + home
        case .subEntrustee:
            return "entrustment \(entrustment) names no country for sub-entrustee \(vendor)" + home
        case .residency:
            return "the residency records no country"
        }
    }
}

/// A chain of sub-entrustees that leads back to itself (the registry's validation refuses
/// these; one written past it is reported, never followed twice).
public struct WhereCycle: Sendable, Hashable {
    public var entrustment: String
    public var service: String
    /// Vendor keys around the loop; the last is the first again.
    public var path: [String]

    public init(entrustment: String, service: String, path: [String]) {
        self.entrustment = entrustment
        self.service = service
        self.path = path
    }
}

/// A country's regime facts in force on a day, for `--by country`.
public struct CountryRegime: Sendable, Hashable {
    public var code: String
    public var nameEn: String
    public var nameJa: String?
    /// `nil` when the seeds hold no regime facts for the country on that day.
    public var flags: Flags?

    public struct Flags: Sendable, Hashable {
        public var euMember: Bool
        public var eeaMember: Bool
        /// `yes`, `partial`, `not_applicable` (EU/EEA) or `not_asserted` (no source asserts one).
        public var euAdequacy: String
        /// `yes`, `no`, `home` or `not_asserted`.
        public var jpPpcEquivalent: String
        public var apecCbpr: Bool
        /// `yes`, `partial`, `no` or `not_asserted`.
        public var comprehensiveLaw: String
        /// `none`, `sectoral`, `broad` or `not_asserted`.
        public var localization: String
        /// The weakest of the facts': `verified`, `reported` or `general`.
        public var confidence: String

        public init(
            euMember: Bool, eeaMember: Bool, euAdequacy: String, jpPpcEquivalent: String, apecCbpr: Bool,
            comprehensiveLaw: String, localization: String, confidence: String
        ) {
            self.euMember = euMember
            self.eeaMember = eeaMember
            self.euAdequacy = euAdequacy
            self.jpPpcEquivalent = jpPpcEquivalent
            self.apecCbpr = apecCbpr
            self.comprehensiveLaw = comprehensiveLaw
            self.localization = localization
            self.confidence = confidence
        }
    }

    public init(code: String, nameEn: String, nameJa: String? = nil, flags: Flags? = nil) {
        self.code = code
        self.nameEn = nameEn
        self.nameJa = nameJa
        self.flags = flags
    }
}

/// The answer to a `where` question: rows in a stable order (service, category, country,
/// vendor, role, record), the cycles met, and the regimes of the countries named.
public struct WhereAnswer: Sendable {
    public var query: WhereQuery
    public var rows: [WhereRow]
    public var cycles: [WhereCycle]
    /// Country code → names and regime facts as of `query.asOf`, for every country the rows name.
    public var regimes: [String: CountryRegime]

    public init(query: WhereQuery, rows: [WhereRow], cycles: [WhereCycle] = [], regimes: [String: CountryRegime] = [:]) {
        self.query = query
        self.rows = rows
        self.cycles = cycles
        self.regimes = regimes
    }

    /// Each country (and `nil` for undisclosed rows, last) with what it holds.
    public func byCountry() -> [CountrySummary] {
        let groups = Dictionary(grouping: rows, by: \.country)
        return groups.keys.sorted { ($0 ?? "\u{10FFFF}") < ($1 ?? "\u{10FFFF}") }.map { country in
            let rows = groups[country]!
            return CountrySummary(
                country: country, regime: country.flatMap { regimes[$0] },
                services: Self.distinct(rows.map(\.service)), categories: Self.distinct(rows.map(\.category)),
                vendors: Self.distinct(rows.map(\.vendor)), rows: rows.count)
        }
    }

    /// Each service with the countries, categories and vendors of its rows.
    public func byService() -> [ServiceSummary] {
        let groups = Dictionary(grouping: rows, by: \.service)
        return groups.keys.sorted().map { service in
            let rows = groups[service]!
            return ServiceSummary(
                service: service, countries: Self.distinct(rows.compactMap(\.country)),
                undisclosed: rows.filter { $0.country == nil }.count, categories: Self.distinct(rows.map(\.category)),
                vendors: Self.distinct(rows.map(\.vendor)), rows: rows.count)
        }
    }

    static func distinct(_ values: [String]) -> [String] { Array(Set(values)).sorted() }
}

/// One country of `where --by country`.
public struct CountrySummary: Sendable, Hashable {
    /// `nil` for rows whose country is undisclosed.
    public var country: String?
    public var regime: CountryRegime?
    public var services: [String]
    public var categories: [String]
    public var vendors: [String]
    /// How many rows (service × category × vendor × role) of the answer are in the country.
    public var rows: Int
}

/// One service of `where --by service`.
public struct ServiceSummary: Sendable, Hashable {
    public var service: String
    public var countries: [String]
    /// Rows of the service whose country is undisclosed.
    public var undisclosed: Int
    public var categories: [String]
    public var vendors: [String]
    public var rows: Int
}
