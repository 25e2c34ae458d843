/// The JSON of a `where` answer (`domicile where --format json`, `GET /v1/where`): `as_of`,
/// `filters`, `transitive`, `by`, then `rows`, `countries` or `services` (by `by`), and
/// `cycles`. Absent values are `null`, never missing keys. docs/cli.md shows the shape.
public struct WhereOutput: Encodable, Sendable {
    public var asOf: String
    public var filters: Filters
    public var transitive: Bool
    @NullWhenAbsent public var by: String?
    /// One of the three, as `by` says.
    public var rows: [Row]?
    public var countries: [Country]?
    public var services: [Service]?
    public var cycles: [Cycle]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case asOf = "as_of", filters, transitive, by, rows, countries, services, cycles
    }

    /// The filters asked for, each `null` when not given.
    public struct Filters: Encodable, Sendable {
        @NullWhenAbsent public var service: String?
        @NullWhenAbsent public var category: String?
        @NullWhenAbsent public var country: String?
        @NullWhenAbsent public var vendor: String?
        @NullWhenAbsent public var role: String?
        @NullWhenAbsent public var region: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case service, category, country, vendor, role, region
        }
    }

    /// A `WhereRow`.
    public struct Row: Encodable, Sendable {
        public var service, category, vendor, role: String
        @NullWhenAbsent public var region: String?
        @NullWhenAbsent public var country: String?
        @NullWhenAbsent public var undisclosed: Undisclosed?
        public var validFrom: String
        public var provenance: Provenance
        public var path: [String]
        public var kind: String
        public var record: String

        enum CodingKeys: String, CodingKey, CaseIterable {
            case service, category, vendor, role, region, country, undisclosed, validFrom = "valid_from", provenance, path, kind, record
        }
    }

    public struct Undisclosed: Encodable, Sendable {
        public var reason: String
        public var candidates: [String]

        enum CodingKeys: String, CodingKey, CaseIterable { case reason, candidates }
    }

    public struct Provenance: Encodable, Sendable {
        public var source: String
        @NullWhenAbsent public var verifiedOn: String?
        @NullWhenAbsent public var assertedBy: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case source, verifiedOn = "verified_on", assertedBy = "asserted_by"
        }
    }

    /// A `CountrySummary` of `--by country`.
    public struct Country: Encodable, Sendable {
        @NullWhenAbsent public var country: String?
        @NullWhenAbsent public var nameEn: String?
        @NullWhenAbsent public var nameJa: String?
        public var services, categories, vendors: [String]
        public var counts: Counts
        @NullWhenAbsent public var regime: Regime?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case country, nameEn = "name_en", nameJa = "name_ja", services, categories, vendors, counts, regime
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
