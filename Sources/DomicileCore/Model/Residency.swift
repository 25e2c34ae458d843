import Foundation

extension RegistrySnapshot {
    public enum ResidencyRole: String, Sendable, Hashable, CaseIterable {
        case storage, processing, backup
        case remoteAccess = "remote_access"
    }

    /// A location that is not known: why, and where the data may be.
    public struct Undisclosed: Sendable, Hashable {
        public let reason: String
        public let candidates: [String]

        public init(reason: String, candidates: [String] = []) {
            self.reason = reason
            self.candidates = candidates
        }
    }

    public struct Residency: Sendable, Hashable {
        public let key: String
        public let service: String
        public let vendor: String
        public let role: ResidencyRole
        public let categories: [String]
        /// The country, or `nil` when the location is undisclosed.
        public let country: String?
        /// `PROVIDER/CODE`, e.g. `aws/ap-northeast-1`.
        public let region: String?
        public let undisclosed: Undisclosed?
        public let source: String
        public let verifiedOn: Day
        public let assertedBy: String
        public let notes: String?
        public let validFrom: Day
        public let validTo: Day?

        public init(
            key: String, service: String, vendor: String, role: ResidencyRole, categories: [String],
            country: String? = nil, region: String? = nil, undisclosed: Undisclosed? = nil, source: String,
            verifiedOn: Day, assertedBy: String, notes: String? = nil, validFrom: Day, validTo: Day? = nil
        ) {
            self.key = key
            self.service = service
            self.vendor = vendor
            self.role = role
            self.categories = categories
            self.country = country
            self.region = region
            self.undisclosed = undisclosed
            self.source = source
            self.verifiedOn = verifiedOn
            self.assertedBy = assertedBy
            self.notes = notes
            self.validFrom = validFrom
            self.validTo = validTo
        }
    }
}

extension RegistrySnapshot.Residency {
    init(_ r: FieldReader) {
        self.init(
            key: r.text("key"), service: r.text("service"), vendor: r.text("vendor"),
            role: RegistrySnapshot.ResidencyRole(rawValue: r.text("role")) ?? .storage, categories: r.list("categories"),
            country: r.string("country"), region: r.string("region"),
            undisclosed: r.object("undisclosed").map {
                RegistrySnapshot.Undisclosed(reason: $0.text("reason"), candidates: $0.list("candidates"))
            },
            source: r.text("source"), verifiedOn: r.day("verified_on"), assertedBy: r.text("asserted_by"),
            notes: r.string("notes"), validFrom: r.day("valid_from"), validTo: r.optionalDay("valid_to"))
    }
}
