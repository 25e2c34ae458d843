import Foundation

// MARK: From records

extension RegistrySnapshot {
    /// A snapshot of `document`'s records (validated: required fields present) with the
    /// given reference data. Absent fields take their schema default. Each record type reads
    /// its own fields (`init(_: FieldReader)`, beside the type in its file).
    public init(
        revision: Int64, asOf: Day, document: RegistryDocument, templates: [ChecklistTemplate], countries: [Country]
    ) {
        func read<T>(_ kind: EntityKind, _ make: (FieldReader) -> T) -> [T] {
            document[kind].map { make(FieldReader($0, kind.schema)) }
        }
        self.init(
            revision: revision, asOf: asOf, organizations: read(.organization, Organization.init),
            services: read(.service, Service.init), categories: read(.category, DataCategory.init),
            purposes: read(.purpose, Purpose.init), vendors: read(.vendor, Vendor.init),
            residencies: read(.residency, Residency.init),
            entrustments: read(.entrustment) { Entrustment($0, asOf: asOf) },
            provisions: read(.provision, Provision.init), transmissions: read(.transmission, Transmission.init),
            assessments: read(.assessment, Assessment.init), templates: templates, countries: countries)
    }

    /// The same snapshot, reading each kind's records with `records` and typing them before
    /// the next kind is read: at most one kind's records are in memory beside the typed model.
    ///
    /// With `answers`, `records(.assessment)` gives the assessments without their answers and
    /// `answers(keys)` the full records of those keys: it is asked only for the latest
    /// assessment of each subject and checklist on `asOf` (`Compliance.latestAssessments`);
    /// the others keep `answersRead` false.
    public init(
        revision: Int64, asOf: Day, templates: [ChecklistTemplate], countries: [Country],
        reading records: (EntityKind) throws -> [Record], answers: (([String]) throws -> [Record])? = nil
    ) throws {
        func read<T>(_ kind: EntityKind, _ make: (FieldReader) -> T) throws -> [T] {
            try records(kind).map { make(FieldReader($0, kind.schema)) }
        }
        func assessments() throws -> [Assessment] {
            guard let answers else { return try read(.assessment, Assessment.init) }
            let heads = try read(.assessment) { Assessment($0, answersRead: false) }.filter { $0.assessedOn <= asOf }
            let bySubject = Dictionary(grouping: heads) { $0.organization.map { "o:" + $0 } ?? "v:" + ($0.vendor ?? "") }
            let latest = Set(bySubject.values.flatMap { Compliance.latestAssessments(of: $0) }.map(\.key))
            guard !latest.isEmpty else { return heads }
            let full = try answers(latest.sorted()).map { Assessment(FieldReader($0, EntityKind.assessment.schema)) }
            return heads.filter { !latest.contains($0.key) } + full.filter { latest.contains($0.key) }
        }
        self.init(
            revision: revision, asOf: asOf, organizations: try read(.organization, Organization.init),
            services: try read(.service, Service.init), categories: try read(.category, DataCategory.init),
            purposes: try read(.purpose, Purpose.init), vendors: try read(.vendor, Vendor.init),
            residencies: try read(.residency, Residency.init),
            entrustments: try read(.entrustment) { Entrustment($0, asOf: asOf) },
            provisions: try read(.provision, Provision.init), transmissions: try read(.transmission, Transmission.init),
            assessments: try assessments(), templates: templates, countries: countries)
    }
}

/// A validated record's fields, read by name for the typed model; absent fields take their
/// schema default. A name that is no field of the schema stops a debug build, and
/// `EntityModelTests` reads every field, so the typed model cannot drift from `EntitySchema`
/// unnoticed.
struct FieldReader {
    let record: Record
    let schema: EntitySchema

    init(_ record: Record, _ schema: EntitySchema) {
        self.record = record
        self.schema = schema
    }

    private static let never = Day("0001-01-01")!

    private func check(_ name: String) {
        assert(schema.field(name) != nil, "\(schema.name) has no field \(name)")
    }

    /// A required text (empty when absent).
    func text(_ name: String) -> String { string(name) ?? "" }
    func string(_ name: String) -> String? {
        check(name)
        return record.string(name)
    }
    /// A required day (0001-01-01 when absent).
    func day(_ name: String) -> Day { optionalDay(name) ?? Self.never }
    func optionalDay(_ name: String) -> Day? {
        check(name)
        return record.day(name)
    }
    func list(_ name: String) -> [String] {
        check(name)
        return record.list(name)
    }
    func int(_ name: String) -> Int? {
        check(name)
        return record.int(name)
    }
    /// A flag, else its default, else false.
    func flag(_ name: String) -> Bool {
        check(name)
        return record.bool(name) ?? schema.field(name)?.defaultValue?.bool ?? false
    }
    /// One of an enumeration, else its default, else empty.
    func choice(_ name: String) -> String {
        check(name)
        return record.string(name) ?? schema.field(name)?.defaultValue?.string ?? ""
    }
    /// A nested map (`nil` when absent).
    func object(_ name: String) -> FieldReader? {
        guard case .object(let nested) = schema.field(name)?.type else {
            assertionFailure("\(schema.name).\(name) is no nested map")
            return nil
        }
        return record.object(name).map { FieldReader($0, nested) }
    }
    /// A nested list of maps.
    func records(_ name: String) -> [FieldReader] {
        guard case .records(let nested) = schema.field(name)?.type else {
            assertionFailure("\(schema.name).\(name) is no nested list")
            return []
        }
        return record.records(name).map { FieldReader($0, nested) }
    }
}
