import Foundation

extension RegistrySnapshot {
    public struct ChecklistItem: Sendable, Hashable {
        public let id: String
        /// `BP`, `RUL`, `ORG`, `HUM`, `PHY`, `TEC`, `EXT`, `SEL`, `CON`, `MON`, `SUB`, `USE` or `CLD`.
        public let group: String
        public let section: String?
        public let title: String
        public let titleJa: String?
        public let description: String
        public let evidenceHint: String?
        public let mandatory: Bool
        public let confidence: String
        public let source: String?

        public init(
            id: String, group: String, section: String? = nil, title: String, titleJa: String? = nil,
            description: String = "", evidenceHint: String? = nil, mandatory: Bool, confidence: String = "general",
            source: String? = nil
        ) {
            self.id = id
            self.group = group
            self.section = section
            self.title = title
            self.titleJa = titleJa
            self.description = description
            self.evidenceHint = evidenceHint
            self.mandatory = mandatory
            self.confidence = confidence
            self.source = source
        }
    }

    public struct ChecklistTemplate: Sendable, Hashable {
        public let key: String
        public let version: String
        public let title: String
        public let titleJa: String?
        public let source: String?
        /// In template order.
        public let items: [ChecklistItem]

        public init(
            key: String, version: String, title: String, titleJa: String? = nil, source: String? = nil,
            items: [ChecklistItem]
        ) {
            self.key = key
            self.version = version
            self.title = title
            self.titleJa = titleJa
            self.source = source
            self.items = items
        }

        public func item(_ id: String) -> ChecklistItem? { items.first { $0.id == id } }
    }
}
