/// The JSON of a `where` answer (`domicile where --format json`, `GET /v1/where`): `as_of`,
/// `filters`, `transitive`, `by`, then `rows`, `countries` or `services` (by `by`), and
/// `cycles`. Absent values are `null`, never missing keys. docs/cli.md shows the shape.
public struct WhereOutput: Encodable, Sendable {
    public var asOf: String
    public var filters: Filters
    public var transitive: Bool
    public var by: String?
    /// One of the three, as `by` says.
    public var rows: [Row]?
    public var countries: [Country]?
    public var services: [Service]?
    public var cycles: [Cycle]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case asOf = "as_of", filters, transitive, by, rows, countries, services, cycles
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(filters, forKey: .filters)
        try container.encode(transitive, forKey: .transitive)
        try container.encodeOrNull(by, forKey: .by)
        try container.encodeIfPresent(rows, forKey: .rows)
        try container.encodeIfPresent(countries, forKey: .countries)
        try container.encodeIfPresent(services, forKey: .services)
        try container.encode(cycles, forKey: .cycles)
    }

    /// The filters asked for, each `null` when not given.
    public struct Filters: Encodable, Sendable {
        public var service, category, country, vendor, role, region: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case service, category, country, vendor, role, region
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeOrNull(service, forKey: .service)
            try container.encodeOrNull(category, forKey: .category)
            try container.encodeOrNull(country, forKey: .country)
            try container.encodeOrNull(vendor, forKey: .vendor)
            try container.encodeOrNull(role, forKey: .role)
            try container.encodeOrNull(region, forKey: .region)
        }
    }

    /// A `WhereRow`.
    public struct Row: Encodable, Sendable {
        public var service, category, vendor, role: String
        public var region, country: String?
        public var undisclosed: Undisclosed?
        public var validFrom: String
        public var provenance: Provenance
        public var path: [String]
        public var kind: String
        public var record: String

        enum CodingKeys: String, CodingKey, CaseIterable {
            case service, category, vendor, role, region, country, undisclosed, validFrom = "valid_from", provenance, path, kind, record
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(service, forKey: .service)
            try container.encode(category, forKey: .category)
            try container.encode(vendor, forKey: .vendor)
            try container.encode(role, forKey: .role)
            try container.encodeOrNull(region, forKey: .region)
            try container.encodeOrNull(country, forKey: .country)
            try container.encodeOrNull(undisclosed, forKey: .undisclosed)
            try container.encode(validFrom, forKey: .validFrom)
            try container.encode(provenance, forKey: .provenance)
            try container.encode(path, forKey: .path)
            try container.encode(kind, forKey: .kind)
            try container.encode(record, forKey: .record)
        }
    }

    public struct Undisclosed: Encodable, Sendable {
        public var reason: String
        public var candidates: [String]

        enum CodingKeys: String, CodingKey, CaseIterable { case reason, candidates }
    }

    public struct Provenance: Encodable, Sendable {
        public var source: String
        public var verifiedOn, assertedBy: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case source, verifiedOn = "verified_on", assertedBy = "asserted_by"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(source, forKey: .source)
            try container.encodeOrNull(verifiedOn, forKey: .verifiedOn)
            try container.encodeOrNull(assertedBy, forKey: .assertedBy)
        }
    }

    /// A `CountrySummary` of `--by country`.
    public struct Country: Encodable, Sendable {
        public var country, nameEn, nameJa: String?
        public var services, categories, vendors: [String]
        public var counts: Counts
        public var regime: Regime?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case country, nameEn = "name_en", nameJa = "name_ja", services, categories, vendors, counts, regime
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeOrNull(country, forKey: .country)
            try container.encodeOrNull(nameEn, forKey: .nameEn)
            try container.encodeOrNull(nameJa, forKey: .nameJa)
            try container.encode(services, forKey: .services)
            try container.encode(categories, forKey: .categories)
            try container.encode(vendors, forKey: .vendors)
            try container.encode(counts, forKey: .counts)
            try container.encodeOrNull(regime, forKey: .regime)
        }

        public struct Counts: Encodable, Sendable {
            public var services, categories, vendors, rows: Int

            enum CodingKeys: String, CodingKey, CaseIterable { case services, categories, vendors, rows }
        }
    }

    /// A country's regime facts (`CountryRegime.Flags`).
    public struct Regime: Encodable, Sendable {
        public var euMember, eeaMember: Bool
        public var euAdequacy, jpPpcEquivalent: String
        public var apecCbpr: Bool
        public var comprehensiveLaw, localization, confidence: String

        enum CodingKeys: String, CodingKey, CaseIterable {
            case euMember = "eu_member", eeaMember = "eea_member", euAdequacy = "eu_adequacy", jpPpcEquivalent = "jp_ppc_equivalent"
            case apecCbpr = "apec_cbpr", comprehensiveLaw = "comprehensive_law", localization, confidence
        }
    }

    /// A `ServiceSummary` of `--by service`.
    public struct Service: Encodable, Sendable {
        public var service: String
        public var countries: [String]
        public var undisclosed: Int
        public var categories, vendors: [String]
        public var counts: Counts

        enum CodingKeys: String, CodingKey, CaseIterable { case service, countries, undisclosed, categories, vendors, counts }

        public struct Counts: Encodable, Sendable {
            public var countries, categories, vendors, rows: Int

            enum CodingKeys: String, CodingKey, CaseIterable { case countries, categories, vendors, rows }
        }
    }

    /// A sub-entrustee cycle met (and followed once).
    public struct Cycle: Encodable, Sendable {
        public var entrustment, service: String
        public var path: [String]

        enum CodingKeys: String, CodingKey, CaseIterable { case entrustment, service, path }
    }
}

extension WhereAnswer {
    /// This answer as its JSON document.
    public var output: WhereOutput {
        let query = self.query
        var output = WhereOutput(
            asOf: query.asOf.description,
            filters: .init(
                service: query.service, category: query.category, country: query.country, vendor: query.vendor,
                role: query.role, region: query.region),
            transitive: query.transitive, by: query.grouping?.rawValue,
            cycles: cycles.map { .init(entrustment: $0.entrustment, service: $0.service, path: $0.path) })
        switch query.grouping {
        case nil:
            output.rows = rows.map { row in
                WhereOutput.Row(
                    service: row.service, category: row.category, vendor: row.vendor, role: row.role, region: row.region,
                    country: row.country, undisclosed: row.undisclosed.map { .init(reason: $0.reason, candidates: $0.candidates) },
                    validFrom: row.validFrom.description,
                    provenance: .init(
                        source: row.provenance.source, verifiedOn: row.provenance.verifiedOn?.description,
                        assertedBy: row.provenance.assertedBy),
                    path: row.path, kind: row.kind.rawValue, record: row.record)
            }
        case .country:
            output.countries = byCountry().map { summary in
                WhereOutput.Country(
                    country: summary.country, nameEn: summary.regime?.nameEn, nameJa: summary.regime?.nameJa,
                    services: summary.services, categories: summary.categories, vendors: summary.vendors,
                    counts: .init(
                        services: summary.services.count, categories: summary.categories.count, vendors: summary.vendors.count,
                        rows: summary.rows),
                    regime: summary.regime?.flags.map { flags in
                        WhereOutput.Regime(
                            euMember: flags.euMember, eeaMember: flags.eeaMember, euAdequacy: flags.euAdequacy,
                            jpPpcEquivalent: flags.jpPpcEquivalent, apecCbpr: flags.apecCbpr,
                            comprehensiveLaw: flags.comprehensiveLaw, localization: flags.localization, confidence: flags.confidence)
                    })
            }
        case .service:
            output.services = byService().map { summary in
                WhereOutput.Service(
                    service: summary.service, countries: summary.countries, undisclosed: summary.undisclosed,
                    categories: summary.categories, vendors: summary.vendors,
                    counts: .init(
                        countries: summary.countries.count, categories: summary.categories.count, vendors: summary.vendors.count,
                        rows: summary.rows))
            }
        }
        return output
    }
}
