import Foundation

extension RegistrySnapshot {
    public enum VendorKind: String, Sendable, Hashable, CaseIterable {
        case cloudProvider = "cloud_provider"
        case entrustee
        case thirdPartyRecipient = "third_party_recipient"
        case transmissionRecipient = "transmission_recipient"
    }

    public enum RiskTier: String, Sendable, Hashable, CaseIterable, Comparable {
        case low, medium, high, critical

        public static func < (lhs: RiskTier, rhs: RiskTier) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public struct Contact: Sendable, Hashable {
        public let name: String
        public let role: String?
        public let email: String?

        public init(name: String, role: String? = nil, email: String? = nil) {
            self.name = name
            self.role = role
            self.email = email
        }
    }

    public struct Vendor: Sendable, Hashable {
        public let key: String
        public let legalName: String
        public let nameJa: String?
        public let aliases: [String]
        public let kinds: [VendorKind]
        public let headquarters: String
        /// The country of the entity the business contracts with (the recipient), when recorded.
        public let contractingCountry: String?
        public let website: String?
        public let trustURL: String?
        public let privacyURL: String?
        public let dpaURL: String?
        public let subprocessorsURL: String?
        public let certifications: [String]
        public let riskTier: RiskTier
        public let owner: String?
        public let contacts: [Contact]
        public let notes: String?
        public let validFrom: Day
        public let validTo: Day?

        public init(
            key: String, legalName: String, nameJa: String? = nil, aliases: [String] = [], kinds: [VendorKind],
            headquarters: String, website: String? = nil, trustURL: String? = nil, privacyURL: String? = nil,
            dpaURL: String? = nil, subprocessorsURL: String? = nil, certifications: [String] = [],
            riskTier: RiskTier, owner: String? = nil, contacts: [Contact] = [], notes: String? = nil,
            validFrom: Day, validTo: Day? = nil, contractingCountry: String? = nil
        ) {
            self.contractingCountry = contractingCountry
            self.key = key
            self.legalName = legalName
            self.nameJa = nameJa
            self.aliases = aliases
            self.kinds = kinds
            self.headquarters = headquarters
            self.website = website
            self.trustURL = trustURL
            self.privacyURL = privacyURL
            self.dpaURL = dpaURL
            self.subprocessorsURL = subprocessorsURL
            self.certifications = certifications
            self.riskTier = riskTier
            self.owner = owner
            self.contacts = contacts
            self.notes = notes
            self.validFrom = validFrom
            self.validTo = validTo
        }

        /// Where the recipient is for APPI Art. 28 (PPC Q&A 12-4): the contracting entity's
        /// country, else the headquarters (`contractingCountry` not recorded).
        public var recipientCountry: String { contractingCountry ?? headquarters }
    }
}

extension RegistrySnapshot.Vendor {
    init(_ r: FieldReader) {
        self.init(
            key: r.text("key"), legalName: r.text("legal_name"), nameJa: r.string("name_ja"),
            aliases: r.list("aliases"), kinds: r.list("kinds").compactMap(RegistrySnapshot.VendorKind.init(rawValue:)),
            headquarters: r.text("headquarters"), website: r.string("website"), trustURL: r.string("trust_url"),
            privacyURL: r.string("privacy_url"), dpaURL: r.string("dpa_url"),
            subprocessorsURL: r.string("subprocessors_url"), certifications: r.list("certifications"),
            riskTier: RegistrySnapshot.RiskTier(rawValue: r.text("risk_tier")) ?? .medium, owner: r.string("owner"),
            contacts: r.records("contacts").map {
                RegistrySnapshot.Contact(name: $0.text("name"), role: $0.string("role"), email: $0.string("email"))
            },
            notes: r.string("notes"), validFrom: r.day("valid_from"), validTo: r.optionalDay("valid_to"),
            contractingCountry: r.string("contracting_country"))
    }
}
