import Foundation

/// The whole registry as of one day, typed and immutable: what reports and `check` read.
///
/// Built from validated records (the store's, or a parsed file's) plus reference data
/// (checklist templates, countries with their regime facts). Only facts valid on `asOf`
/// are kept: records whose valid time contains the day, assessments made on or before it,
/// provision records made on or before it. Lists are sorted by key.
public struct RegistrySnapshot: Sendable, Hashable {
    /// The registry revision the snapshot was read at (a counter every write bumps).
    public let revision: Int64
    public let asOf: Day
    public let organizations: [Organization]
    public let services: [Service]
    public let categories: [DataCategory]
    public let purposes: [Purpose]
    public let vendors: [Vendor]
    public let residencies: [Residency]
    public let entrustments: [Entrustment]
    public let provisions: [Provision]
    public let transmissions: [Transmission]
    public let assessments: [Assessment]
    public let templates: [ChecklistTemplate]
    public let countries: [Country]

    private let vendorIndex: [String: Int]
    private let countryIndex: [String: Int]
    private let categoryIndex: [String: Int]
    private let purposeIndex: [String: Int]
    private let serviceIndex: [String: Int]
    private let templateIndex: [String: Int]
    /// Positions (in key order) of the records that name a key, built once so reports and
    /// checks look them up instead of scanning every record per service or vendor.
    private let residencyPositions: Positions
    private let entrustmentPositions: Positions
    private let transmissionsByService: [String: [Int]]
    private let provisionsByService: [String: [Int]]
    private let transmissionsByRecipient: [String: [Int]]
    private let provisionsByRecipient: [String: [Int]]
    private let assessmentsByVendor: [String: [Int]]
    private let assessmentsByOrganization: [String: [Int]]

    private struct Positions: Sendable, Hashable {
        var byService: [String: [Int]] = [:]
        var byVendor: [String: [Int]] = [:]
        var bySubEntrustee: [String: [Int]] = [:]
    }

    public init(
        revision: Int64, asOf: Day, organizations: [Organization] = [], services: [Service] = [],
        categories: [DataCategory] = [], purposes: [Purpose] = [], vendors: [Vendor] = [],
        residencies: [Residency] = [], entrustments: [Entrustment] = [], provisions: [Provision] = [],
        transmissions: [Transmission] = [], assessments: [Assessment] = [], templates: [ChecklistTemplate] = [],
        countries: [Country] = []
    ) {
        func valid(_ from: Day, _ to: Day?) -> Bool { from <= asOf && (to.map { asOf < $0 } ?? true) }
        self.revision = revision
        self.asOf = asOf
        self.organizations = organizations.sorted { $0.key < $1.key }
        self.services = services.filter { valid($0.validFrom, $0.validTo) }.sorted { $0.key < $1.key }
        self.categories = categories.sorted { $0.key < $1.key }
        self.purposes = purposes.sorted { $0.key < $1.key }
        self.vendors = vendors.filter { valid($0.validFrom, $0.validTo) }.sorted { $0.key < $1.key }
        self.residencies = residencies.filter { valid($0.validFrom, $0.validTo) }.sorted { $0.key < $1.key }
        self.entrustments = entrustments.filter { valid($0.validFrom, $0.validTo) }.sorted { $0.key < $1.key }
        self.provisions = provisions.filter { valid($0.validFrom, $0.validTo) }.map { $0.asOf(asOf) }
            .sorted { $0.key < $1.key }
        self.transmissions = transmissions.filter { valid($0.validFrom, $0.validTo) }.sorted { $0.key < $1.key }
        self.assessments = assessments.filter { $0.assessedOn <= asOf }.sorted { $0.key < $1.key }
        self.templates = templates.sorted { $0.key < $1.key }
        self.countries = countries.sorted { $0.code < $1.code }
        func index<T>(_ items: [T], _ key: (T) -> String) -> [String: Int] {
            Dictionary(items.enumerated().map { (key($0.element), $0.offset) }, uniquingKeysWith: { first, _ in first })
        }
        vendorIndex = index(self.vendors, \.key)
        countryIndex = index(self.countries, \.code)
        categoryIndex = index(self.categories, \.key)
        purposeIndex = index(self.purposes, \.key)
        serviceIndex = index(self.services, \.key)
        templateIndex = index(self.templates, \.key)
        func positions<T>(_ items: [T], _ key: (T) -> String?) -> [String: [Int]] {
            var result: [String: [Int]] = [:]
            for (offset, item) in items.enumerated() {
                if let key = key(item) { result[key, default: []].append(offset) }
            }
            return result
        }
        residencyPositions = Positions(
            byService: positions(self.residencies, \.service), byVendor: positions(self.residencies, \.vendor))
        var bySub: [String: [Int]] = [:]
        for (offset, entrustment) in self.entrustments.enumerated() {
            for vendor in Set(entrustment.subEntrustees.map(\.vendor)) { bySub[vendor, default: []].append(offset) }
        }
        entrustmentPositions = Positions(
            byService: positions(self.entrustments, \.service), byVendor: positions(self.entrustments, \.vendor),
            bySubEntrustee: bySub)
        transmissionsByService = positions(self.transmissions, \.service)
        provisionsByService = positions(self.provisions, \.service)
        transmissionsByRecipient = positions(self.transmissions, \.recipient)
        provisionsByRecipient = positions(self.provisions, \.recipient)
        assessmentsByVendor = positions(self.assessments, \.vendor)
        assessmentsByOrganization = positions(self.assessments, \.organization)
    }

    private static func pick<T>(_ items: [T], _ positions: [Int]?) -> [T] { (positions ?? []).map { items[$0] } }

    /// The residencies of service `key`, in key order.
    public func residencies(ofService key: String) -> [Residency] { Self.pick(residencies, residencyPositions.byService[key]) }
    /// The residencies held by vendor `key`, in key order.
    public func residencies(ofVendor key: String) -> [Residency] { Self.pick(residencies, residencyPositions.byVendor[key]) }
    /// True when vendor `key` holds at least one residency.
    public func hasResidencies(vendor key: String) -> Bool { residencyPositions.byVendor[key] != nil }
    /// The entrustments of service `key`, in key order.
    public func entrustments(ofService key: String) -> [Entrustment] { Self.pick(entrustments, entrustmentPositions.byService[key]) }
    /// The entrustments to vendor `key`, in key order.
    public func entrustments(ofVendor key: String) -> [Entrustment] { Self.pick(entrustments, entrustmentPositions.byVendor[key]) }
    /// The entrustments that name vendor `key` as a sub-entrustee, in key order.
    public func entrustments(withSubEntrustee key: String) -> [Entrustment] {
        Self.pick(entrustments, entrustmentPositions.bySubEntrustee[key])
    }
    /// The transmissions of service `key`, in key order.
    public func transmissions(ofService key: String) -> [Transmission] { Self.pick(transmissions, transmissionsByService[key]) }
    /// The provisions of service `key`, in key order.
    public func provisions(ofService key: String) -> [Provision] { Self.pick(provisions, provisionsByService[key]) }
    /// The transmissions to recipient vendor `key`, in key order.
    public func transmissions(toRecipient key: String) -> [Transmission] {
        Self.pick(transmissions, transmissionsByRecipient[key])
    }
    /// The provisions to recipient vendor `key`, in key order.
    public func provisions(toRecipient key: String) -> [Provision] { Self.pick(provisions, provisionsByRecipient[key]) }
    /// The assessments of vendor `key`, in key order.
    public func assessments(ofVendor key: String) -> [Assessment] { Self.pick(assessments, assessmentsByVendor[key]) }
    /// The assessments of organization `key`, in key order.
    public func assessments(ofOrganization key: String) -> [Assessment] {
        Self.pick(assessments, assessmentsByOrganization[key])
    }

    public func vendor(_ key: String) -> Vendor? { vendorIndex[key].map { vendors[$0] } }
    public func country(_ code: String) -> Country? { countryIndex[code].map { countries[$0] } }
    public func category(_ key: String) -> DataCategory? { categoryIndex[key].map { categories[$0] } }
    public func purpose(_ key: String) -> Purpose? { purposeIndex[key].map { purposes[$0] } }
    public func service(_ key: String) -> Service? { serviceIndex[key].map { services[$0] } }
    public func template(_ key: String) -> ChecklistTemplate? { templateIndex[key].map { templates[$0] } }

    /// The name a document uses for `code` (`Country.displayName`, "United States of America"),
    /// or the code itself when unknown.
    public func countryName(_ code: String) -> String { country(code)?.displayName ?? code }

    /// The Japanese name of `code` ("米国"), else its English display name.
    public func countryNameJa(_ code: String) -> String { country(code)?.nameJa ?? countryName(code) }
}
