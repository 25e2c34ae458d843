import Foundation

extension RegistrySnapshot {
    public struct Service: Sendable, Hashable {
        public let key: String
        public let name: String
        public let organization: String
        public let description: String?
        public let url: String?
        public let owner: String?
        public let validFrom: Day
        public let validTo: Day?

        public init(
            key: String, name: String, organization: String, description: String? = nil, url: String? = nil,
            owner: String? = nil, validFrom: Day, validTo: Day? = nil
        ) {
            self.key = key
            self.name = name
            self.organization = organization
            self.description = description
            self.url = url
            self.owner = owner
            self.validFrom = validFrom
            self.validTo = validTo
        }
    }
}

extension RegistrySnapshot.Service {
    init(_ r: FieldReader) {
        self.init(
            key: r.text("key"), name: r.text("name"), organization: r.text("organization"),
            description: r.string("description"), url: r.string("url"), owner: r.string("owner"),
            validFrom: r.day("valid_from"), validTo: r.optionalDay("valid_to"))
    }
}
