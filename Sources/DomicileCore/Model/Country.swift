import Foundation

extension RegistrySnapshot {
    /// A country's regime facts in force on the snapshot's day (seeds/country-regimes.csv).
    public struct CountryRegime: Sendable, Hashable {
        /// The latest start among the facts in force; `nil` when no source gave one.
        public let effectiveFrom: Day?
        public let euMember: Bool
        public let eeaMember: Bool
        /// `yes`, `partial`, `no` or `not_applicable`.
        public let euAdequacy: String
        public let euAdequacyNote: String?
        /// Japan's PPC: `yes` (designated as having an equivalent system), `no`, or `home` (Japan).
        public let ppcEquivalent: String
        public let apecCBPR: Bool
        /// Covered by the PPC's survey of foreign systems: `yes`, `no` or `not_applicable`.
        public let ppcSurvey: String
        /// `yes`, `partial`, `no` or `uncertain`.
        public let comprehensiveLaw: String
        public let lawName: String?
        /// `none`, `sectoral`, `broad` or `uncertain`.
        public let localization: String
        public let localizationNote: String?
        /// `verified`, `partial` or `general`.
        public let confidence: String
        public let confidenceNote: String?
        public let source: String
        public let verifiedOn: Day?

        public init(
            effectiveFrom: Day?, euMember: Bool = false, eeaMember: Bool = false, euAdequacy: String,
            euAdequacyNote: String? = nil, ppcEquivalent: String, apecCBPR: Bool, ppcSurvey: String,
            comprehensiveLaw: String, lawName: String? = nil, localization: String, localizationNote: String? = nil,
            confidence: String, confidenceNote: String? = nil, source: String, verifiedOn: Day?
        ) {
            self.effectiveFrom = effectiveFrom
            self.euMember = euMember
            self.eeaMember = eeaMember
            self.euAdequacy = euAdequacy
            self.euAdequacyNote = euAdequacyNote
            self.ppcEquivalent = ppcEquivalent
            self.apecCBPR = apecCBPR
            self.ppcSurvey = ppcSurvey
            self.comprehensiveLaw = comprehensiveLaw
            self.lawName = lawName
            self.localization = localization
            self.localizationNote = localizationNote
            self.confidence = confidence
            self.confidenceNote = confidenceNote
            self.source = source
            self.verifiedOn = verifiedOn
        }
    }

    public struct Country: Sendable, Hashable {
        public let code: String
        public let name: String
        public let nameJa: String?
        public let officialName: String?
        /// `nil` when no regime facts are recorded for the day.
        public let regime: CountryRegime?
        /// The dated facts in force on the day (seeds/country-regime-facts.csv), in
        /// Foreign-Provision GL 5-2 order (`RegimeFact.order`).
        public let facts: [RegimeFact]

        /// The name a policy uses: the official name ("United States of America") when there is
        /// one, else the ISO short name with an inverted form put right ("Korea, Republic of" →
        /// "Republic of Korea").
        public var displayName: String {
            if let officialName { return officialName }
            let parts = name.components(separatedBy: ", ")
            if parts.count == 2, parts[1].hasSuffix(" of") { return parts[1] + " " + parts[0] }
            return name
        }

        public init(
            code: String, name: String, nameJa: String? = nil, officialName: String? = nil, regime: CountryRegime? = nil,
            facts: [RegimeFact] = []
        ) {
            self.facts = facts.sorted { ($0.rank, $0.effectiveFrom ?? Day("0001-01-01")!) < ($1.rank, $1.effectiveFrom ?? Day("0001-01-01")!) }
            self.code = code
            self.name = name
            self.nameJa = nameJa
            self.officialName = officialName
            self.regime = regime
        }
    }
}
