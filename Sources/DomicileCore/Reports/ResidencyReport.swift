/// Where personal data lives: per service and data category, per country, and the
/// locations nobody can name.
public struct ResidencyReport: Encodable, Sendable {
    public struct Location: Encodable, Sendable {
        public let vendor: String
        public let vendorName: String
        /// `storage`, `processing`, `backup`, `remote_access`, `entrustee` or `sub_entrustee`.
        public let role: String
        public let country: String?
        public let countryName: String?
        public let region: String?
        public let undisclosed: Bool
        public let reason: String?
        public let candidates: [String]
        /// What the claim rests on: a residency's source, or the entrustment it comes from.
        public let source: String
        public let basis: String?
        public let warnings: [String]
    }

    public struct Category: Encodable, Sendable {
        public let key: String
        public let name: String
        public let sensitive: Bool
        public let locations: [Location]
    }

    public struct Service: Encodable, Sendable {
        public let key: String
        public let name: String
        public let countries: [String]
        public let categories: [Category]
    }

    public struct Holding: Encodable, Sendable {
        public let service: String
        public let vendor: String
        public let role: String
        public let region: String?
        public let categories: [String]
    }

    public struct Country: Encodable, Sendable {
        public let code: String
        public let name: String
        public let nameJa: String?
        /// Regime facts as label/value pairs, in a fixed order; empty when none are recorded.
        public let facts: [Fact]
        public let confidence: String?
        public let source: String?
        public let verifiedOn: String?
        public let holdings: [Holding]
        public let warnings: [String]
    }

    public struct Fact: Encodable, Sendable {
        public let label: String
        public let value: String
    }

    public struct Undisclosed: Encodable, Sendable {
        public let residency: String
        public let service: String
        public let vendor: String
        public let role: String
        public let categories: [String]
        public let reason: String
        public let candidates: [String]
        public let warnings: [String]
    }

    public let services: [Service]
    public let countries: [Country]
    public let undisclosed: [Undisclosed]
    public let warnings: [String]

    /// One row per service, data category and location: the report's table form.
    public var listing: Listing {
        var rows: [[String]] = []
        for service in services {
            for category in service.categories {
                for location in category.locations {
                    rows.append([
                        service.key, category.key, location.vendor, location.role, location.country ?? "",
                        location.region ?? "", location.undisclosed ? "yes" : "no",
                        location.candidates.joined(separator: " "), location.basis ?? "",
                        location.warnings.joined(separator: "; "),
                    ])
                }
            }
        }
        return Listing(
            columns: ["service", "category", "vendor", "role", "country", "region", "undisclosed", "candidates", "basis", "warnings"],
            rows: rows)
    }

    public init(_ snapshot: RegistrySnapshot) {
        let asOf = snapshot.asOf
        func vendorName(_ key: String) -> String { snapshot.vendor(key)?.legalName ?? key }
        func residencyWarnings(_ residency: RegistrySnapshot.Residency) -> [String] {
            var warnings: [String] = []
            if residency.verifiedOn.days(until: asOf) > 365 {
                warnings.append("last verified on \(residency.verifiedOn), more than a year ago")
            }
            if let undisclosed = residency.undisclosed, undisclosed.candidates.isEmpty {
                warnings.append("undisclosed location without candidate countries")
            }
            return warnings
        }
        // APPI Art. 28 turns on the recipient's country (its contracting entity's), not the server's (Q&A 12-4).
        func transferBasis(_ vendor: String, service: String) -> (text: String?, warnings: [String]) {
            guard let country = Compliance.recipientCountry(vendor, in: snapshot),
                Compliance.needsTransferBasis(country, in: snapshot)
            else { return (nil, []) }
            let basis = Compliance.transferBasis(service: service, vendor: vendor, in: snapshot)
            if let basis, basis.isValid { return (basis.summary, []) }
            let recipient = "\(vendorName(vendor)) is a recipient in \(snapshot.countryName(country)), which has no PPC-designated equivalent system"
            if let basis { return (basis.summary, ["\(recipient), and its basis does not hold: \(basis.summary)"]) }
            return (nil, ["\(recipient), and no basis is recorded (consent, standard-conforming system, APEC CBPR or the cloud exception)"])
        }

        var services: [Service] = []
        var holdings: [String: [Holding]] = [:]
        for service in snapshot.services {
            var locations: [String: [Location]] = [:]
            var serviceCountries = Set<String>()
            let serviceResidencies = snapshot.residencies(ofService: service.key)
            let residencyVendors = Set(serviceResidencies.map(\.vendor))
            for residency in serviceResidencies {
                let (basis, basisWarnings) = transferBasis(residency.vendor, service: service.key)
                let warnings = residencyWarnings(residency) + basisWarnings
                if let country = residency.country {
                    serviceCountries.insert(country)
                    holdings[country, default: []].append(
                        Holding(
                            service: service.key, vendor: residency.vendor, role: residency.role.rawValue,
                            region: residency.region, categories: residency.categories))
                }
                let location = Location(
                    vendor: residency.vendor, vendorName: vendorName(residency.vendor), role: residency.role.rawValue,
                    country: residency.country, countryName: residency.country.map(snapshot.countryName),
                    region: residency.region, undisclosed: residency.undisclosed != nil,
                    reason: residency.undisclosed?.reason, candidates: residency.undisclosed?.candidates ?? [],
                    source: residency.source, basis: basis, warnings: warnings)
                for category in residency.categories { locations[category, default: []].append(location) }
            }
            for entrustment in snapshot.entrustments(ofService: service.key) where !entrustment.cloudException {
                // an entrustee with no residency of its own: its headquarters country is what is known
                let own = residencyVendors.contains(entrustment.vendor)
                var entries: [(vendor: String, role: String, countries: [String], source: String)] = []
                if !own, let vendor = snapshot.vendor(entrustment.vendor) {
                    let source = vendor.contractingCountry != nil ? "contracting entity" : "headquarters"
                    entries.append((vendor.key, "entrustee", [vendor.recipientCountry], "entrustment \(entrustment.key) (\(source))"))
                }
                for sub in entrustment.subEntrustees {
                    entries.append((sub.vendor, "sub_entrustee", sub.countries, "entrustment \(entrustment.key) (via \(sub.via))"))
                }
                for entry in entries {
                    let (basis, basisWarnings) = transferBasis(entry.vendor, service: service.key)
                    for country in entry.countries {
                        serviceCountries.insert(country)
                        holdings[country, default: []].append(
                            Holding(service: service.key, vendor: entry.vendor, role: entry.role, region: nil, categories: entrustment.categories))
                        let location = Location(
                            vendor: entry.vendor, vendorName: vendorName(entry.vendor), role: entry.role, country: country,
                            countryName: snapshot.countryName(country), region: nil, undisclosed: false, reason: nil,
                            candidates: [], source: entry.source, basis: basis, warnings: basisWarnings)
                        for category in entrustment.categories { locations[category, default: []].append(location) }
                    }
                }
            }
            let categories = locations.keys.sorted().map { key in
                Category(
                    key: key, name: snapshot.category(key)?.name ?? key, sensitive: snapshot.category(key)?.sensitive ?? false,
                    locations: locations[key]!)
            }
            services.append(
                Service(key: service.key, name: service.name, countries: serviceCountries.sorted(), categories: categories))
        }

        var countries: [Country] = []
        for code in holdings.keys.sorted() {
            let country = snapshot.country(code)
            var warnings: [String] = []
            if country?.regime == nil { warnings.append("no regime facts are recorded for \(snapshot.countryName(code)) on \(asOf)") }
            countries.append(
                Country(
                    code: code, name: snapshot.countryName(code), nameJa: country?.nameJa,
                    facts: country?.regime.map(Self.facts) ?? [], confidence: country?.regime?.confidence,
                    source: country?.regime?.source, verifiedOn: country?.regime?.verifiedOn?.description,
                    holdings: holdings[code]!, warnings: warnings))
        }

        undisclosed = snapshot.residencies.compactMap { residency in
            guard let undisclosed = residency.undisclosed else { return nil }
            return Undisclosed(
                residency: residency.key, service: residency.service, vendor: residency.vendor,
                role: residency.role.rawValue, categories: residency.categories, reason: undisclosed.reason,
                candidates: undisclosed.candidates.map(snapshot.countryName), warnings: residencyWarnings(residency))
        }
        self.services = services
        self.countries = countries
        var all: [String] = []
        var seen = Set<String>()
        for service in services {
            for category in service.categories {
                for location in category.locations {
                    for warning in location.warnings where seen.insert("\(service.key): \(warning)").inserted {
                        all.append("\(service.key): \(warning)")
                    }
                }
            }
        }
        all += countries.flatMap(\.warnings)
        warnings = all
    }

    static func facts(_ regime: RegistrySnapshot.CountryRegime) -> [Fact] {
        // a fact no source asserts is "not asserted", never "no"
        func shown(_ value: String) -> String { value == "not_asserted" ? "not asserted by any source" : value }
        var facts = [
            Fact(label: "EU/EEA member", value: regime.euMember ? "yes (EU)" : regime.eeaMember ? "yes (EEA)" : "no"),
            Fact(label: "EU adequacy", value: shown(regime.euAdequacy) + (regime.euAdequacyNote.map { " (\($0))" } ?? "")),
            Fact(
                label: "PPC-designated equivalent system (APPI Art. 28)",
                value: regime.ppcEquivalent == "home" ? "home country (Japan)" : shown(regime.ppcEquivalent)),
            Fact(label: "APEC CBPR", value: regime.apecCBPR ? "yes" : "not asserted by any source"),
            Fact(label: "Covered by the PPC's survey of foreign systems", value: regime.ppcSurvey.replacingOccurrences(of: "_", with: " ")),
            Fact(label: "Comprehensive data-protection law", value: shown(regime.comprehensiveLaw) + (regime.lawName.map { " (\($0))" } ?? "")),
            Fact(label: "Data localization", value: shown(regime.localization) + (regime.localizationNote.map { " (\($0))" } ?? "")),
        ]
        facts.append(Fact(label: "Latest fact in force since", value: regime.effectiveFrom?.description ?? "no date given by the sources"))
        return facts
    }
}
