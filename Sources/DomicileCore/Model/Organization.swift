import Foundation

extension RegistrySnapshot {
    public struct Organization: Sendable, Hashable {
        public let key: String
        public let name: String
        public let nameJa: String?
        public let country: String
        public let address: String?
        public let representative: String?
        public let privacyContactName: String?
        public let privacyContactEmail: String?
        public let privacyContactURL: String?
        /// The Japanese address, representative and contact-desk name the Japanese disclosure states.
        public let addressJa: String?
        public let representativeJa: String?
        public let privacyContactNameJa: String?

        public init(
            key: String, name: String, nameJa: String? = nil, country: String, address: String? = nil,
            representative: String? = nil, privacyContactName: String? = nil, privacyContactEmail: String? = nil,
            privacyContactURL: String? = nil, addressJa: String? = nil, representativeJa: String? = nil,
            privacyContactNameJa: String? = nil
        ) {
            self.addressJa = addressJa
            self.representativeJa = representativeJa
            self.privacyContactNameJa = privacyContactNameJa
            self.key = key
            self.name = name
            self.nameJa = nameJa
            self.country = country
            self.address = address
            self.representative = representative
            self.privacyContactName = privacyContactName
            self.privacyContactEmail = privacyContactEmail
            self.privacyContactURL = privacyContactURL
        }
    }
}

extension RegistrySnapshot.Organization {
    init(_ r: FieldReader) {
        self.init(
            key: r.text("key"), name: r.text("name"), nameJa: r.string("name_ja"), country: r.text("country"),
            address: r.string("address"), representative: r.string("representative"),
            privacyContactName: r.string("privacy_contact_name"),
            privacyContactEmail: r.string("privacy_contact_email"), privacyContactURL: r.string("privacy_contact_url"),
            addressJa: r.string("address_ja"), representativeJa: r.string("representative_ja"),
            privacyContactNameJa: r.string("privacy_contact_name_ja"))
    }
}
