/// Dated, sourced regime facts (seeds/country-regime-facts.csv; docs/seeds.md) and what
/// reports and checks derive from the ones in force on a day.
extension RegistrySnapshot {
    /// One fact about a country's system, true from `effectiveFrom` (inclusive; `nil`: no
    /// source gave the day) to `effectiveTo` (the day of the event that ended it: a judgment,
    /// an expiry, a withdrawal; the fact "does not hold after that day", and a following row
    /// may start on it, as the file's README defines it; `nil`: still holds), with a sentence
    /// fit to publish in English and Japanese.
    public struct RegimeFact: Sendable, Hashable {
        public let country: String
        /// `comprehensive_law`, `eu_member`, `eea_member`, `jp_ppc_equivalent`, `eu_adequacy`,
        /// `apec_cbpr`, `global_cbpr`, `localization` or `government_access_duty`.
        public let fact: String
        /// `yes`, `no`, `partial`, `home`, or the law's short name (`comprehensive_law`).
        public let value: String
        public let effectiveFrom: Day?
        public let effectiveTo: Day?
        public let publicEn: String
        public let publicJa: String
        public let source: String
        /// `verified`, `reported` or `general` (not to be published before review).
        public let confidence: String
        /// The day the sources were read.
        public let verifiedOn: Day?

        public init(
            country: String, fact: String, value: String, effectiveFrom: Day? = nil, effectiveTo: Day? = nil,
            publicEn: String, publicJa: String, source: String, confidence: String, verifiedOn: Day? = nil
        ) {
            self.country = country
            self.fact = fact
            self.value = value
            self.effectiveFrom = effectiveFrom
            self.effectiveTo = effectiveTo
            self.publicEn = publicEn
            self.publicJa = publicJa
            self.source = source
            self.confidence = confidence
            self.verifiedOn = verifiedOn
        }

        /// The Foreign-Provision Guideline 5-2 viewpoints, in order: (i) whether a system
        /// exists; (ii) indicators (EU/EEA, PPC designation, EU adequacy, APEC CBPR, Global
        /// CBPR); (iv) systems that may seriously affect the person's rights (localization,
        /// government-access cooperation duties). (iii), the OECD-8 gaps, is not in the facts.
        public static let order = [
            "comprehensive_law", "eu_member", "eea_member", "jp_ppc_equivalent", "eu_adequacy", "apec_cbpr",
            "global_cbpr", "localization", "government_access_duty",
        ]

        var rank: Int { Self.order.firstIndex(of: fact) ?? Self.order.count }

        /// Holds on `day`: from its start through the day of the event that ended it. A fact
        /// with no known start is taken to hold until its end.
        public func inForce(on day: Day) -> Bool {
            (effectiveFrom.map { $0 <= day } ?? true) && (effectiveTo.map { day <= $0 } ?? true)
        }

        /// Fit to publish: sourced (`verified` or `reported`); `general` rows wait for review.
        public var publishable: Bool { confidence != "general" }
    }
}

extension RegistrySnapshot.CountryRegime {
    /// The regime flags the rules read, derived from the facts in force on a day (already
    /// filtered). A fact with no row is "not asserted", never "no": `euAdequacy`,
    /// `ppcEquivalent`, `localization` and `comprehensiveLaw` are then `not_asserted`.
    /// `ppcSurvey` comes from seeds/country-regimes.csv (the PPC survey's coverage).
    public init?(facts: [RegistrySnapshot.RegimeFact], ppcSurvey: String?) {
        guard !facts.isEmpty else { return nil }
        func latest(_ name: String) -> RegistrySnapshot.RegimeFact? {
            facts.filter { $0.fact == name }.max { ($0.effectiveFrom ?? Day("0001-01-01")!) < ($1.effectiveFrom ?? Day("0001-01-01")!) }
        }
        let euMember = latest("eu_member")?.value == "yes"
        let eeaMember = latest("eea_member")?.value == "yes"
        let law = latest("comprehensive_law")?.value
        let comprehensive: String
        switch law {
        case nil: comprehensive = "not_asserted"
        case "no"?: comprehensive = "no"
        case "partial"?: comprehensive = "partial"
        default: comprehensive = "yes"
        }
        let localization: String
        switch latest("localization")?.value {
        case "yes"?: localization = "broad"
        case "partial"?: localization = "sectoral"
        case "no"?: localization = "none"
        default: localization = "not_asserted"
        }
        let ranks = ["general": 0, "reported": 1, "verified": 2]
        let weakest = facts.min { (ranks[$0.confidence] ?? 0) < (ranks[$1.confidence] ?? 0) }?.confidence ?? "general"
        var sources: [String] = []
        for fact in facts where !sources.contains(fact.source) { sources.append(fact.source) }
        self.init(
            effectiveFrom: facts.compactMap(\.effectiveFrom).max(), euMember: euMember, eeaMember: eeaMember,
            euAdequacy: latest("eu_adequacy")?.value ?? (euMember || eeaMember ? "not_applicable" : "not_asserted"),
            ppcEquivalent: latest("jp_ppc_equivalent")?.value ?? "not_asserted",
            apecCBPR: latest("apec_cbpr")?.value == "yes", ppcSurvey: ppcSurvey ?? "not_recorded",
            comprehensiveLaw: comprehensive, lawName: comprehensive == "yes" ? law : nil, localization: localization,
            confidence: weakest, source: sources.joined(separator: " ; "),
            verifiedOn: facts.compactMap(\.verifiedOn).min())
    }
}
