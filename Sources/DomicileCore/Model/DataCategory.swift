import Foundation

extension RegistrySnapshot {
    public struct DataCategory: Sendable, Hashable {
        public let key: String
        public let name: String
        public let nameJa: String?
        public let description: String?
        public let sensitive: Bool

        public init(key: String, name: String, nameJa: String? = nil, description: String? = nil, sensitive: Bool = false) {
            self.key = key
            self.name = name
            self.nameJa = nameJa
            self.description = description
            self.sensitive = sensitive
        }

        /// The dotted key without its last segment (`user.contact` for `user.contact.email`).
        public var parent: String? {
            key.lastIndex(of: ".").map { String(key[..<$0]) }
        }
    }
}

extension RegistrySnapshot.DataCategory {
    init(_ r: FieldReader) {
        self.init(
            key: r.text("key"), name: r.text("name"), nameJa: r.string("name_ja"),
            description: r.string("description"), sensitive: r.flag("sensitive"))
    }
}
