import Foundation

extension RegistrySnapshot {
    public struct Purpose: Sendable, Hashable {
        public let key: String
        public let name: String
        public let nameJa: String?
        public let description: String?
        public let categories: [String]

        public init(key: String, name: String, nameJa: String? = nil, description: String? = nil, categories: [String] = []) {
            self.key = key
            self.name = name
            self.nameJa = nameJa
            self.description = description
            self.categories = categories
        }
    }
}

extension RegistrySnapshot.Purpose {
    init(_ r: FieldReader) {
        self.init(
            key: r.text("key"), name: r.text("name"), nameJa: r.string("name_ja"),
            description: r.string("description"), categories: r.list("categories"))
    }
}
