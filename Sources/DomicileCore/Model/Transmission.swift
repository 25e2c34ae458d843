import Foundation

extension RegistrySnapshot {
    public struct Transmission: Sendable, Hashable {
        public let key: String
        public let service: String
        public let tool: String
        public let recipient: String
        public let information: [String]
        public let informationJa: [String]
        public let categories: [String]
        public let purpose: String
        public let purposeJa: String?
        /// `notice`, `consent`, `opt_out` or `necessary`.
        public let basis: String
        public let optOutURL: String?
        public let recipientCountry: String?
        public let validFrom: Day
        public let validTo: Day?

        public init(
            key: String, service: String, tool: String, recipient: String, information: [String],
            informationJa: [String] = [], categories: [String] = [], purpose: String, purposeJa: String? = nil,
            basis: String, optOutURL: String? = nil, recipientCountry: String? = nil, validFrom: Day, validTo: Day? = nil
        ) {
            self.key = key
            self.service = service
            self.tool = tool
            self.recipient = recipient
            self.information = information
            self.informationJa = informationJa
            self.categories = categories
            self.purpose = purpose
            self.purposeJa = purposeJa
            self.basis = basis
            self.optOutURL = optOutURL
            self.recipientCountry = recipientCountry
            self.validFrom = validFrom
            self.validTo = validTo
        }
    }
}

extension RegistrySnapshot.Transmission {
    init(_ r: FieldReader) {
        self.init(
            key: r.text("key"), service: r.text("service"), tool: r.text("tool"),
            recipient: r.text("recipient"), information: r.list("information"),
            informationJa: r.list("information_ja"), categories: r.list("categories"), purpose: r.text("purpose"),
            purposeJa: r.string("purpose_ja"), basis: r.text("basis"), optOutURL: r.string("opt_out_url"),
            recipientCountry: r.string("recipient_country"), validFrom: r.day("valid_from"),
            validTo: r.optionalDay("valid_to"))
    }
}
