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

// MARK: Records

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

    public struct Contract: Sendable, Hashable {
        public let reference: String?
        public let signedOn: Day?
        public let expiresOn: Day?
        /// `automatic`, `manual`, `none` or `unknown`.
        public let renewal: String
        public let noticeDays: Int?
        public let dpaSignedOn: Day?
        public let dpaExpiresOn: Day?

        public init(
            reference: String? = nil, signedOn: Day? = nil, expiresOn: Day? = nil, renewal: String = "unknown",
            noticeDays: Int? = nil, dpaSignedOn: Day? = nil, dpaExpiresOn: Day? = nil
        ) {
            self.reference = reference
            self.signedOn = signedOn
            self.expiresOn = expiresOn
            self.renewal = renewal
            self.noticeDays = noticeDays
            self.dpaSignedOn = dpaSignedOn
            self.dpaExpiresOn = dpaExpiresOn
        }

        /// True when nothing at all is recorded about a contract.
        public var isEmpty: Bool {
            reference == nil && signedOn == nil && expiresOn == nil && dpaSignedOn == nil && dpaExpiresOn == nil
        }
    }

    public struct SubEntrustee: Sendable, Hashable {
        public let vendor: String
        /// The vendor it works for: the entrustee itself or another sub-entrustee.
        public let via: String
        public let countries: [String]
        public let work: String?
        public let approvedOn: Day?
        /// Its own valid time, when recorded (nil: since the entrustment began / as long as it holds).
        public let validFrom: Day?
        public let validTo: Day?

        public init(
            vendor: String, via: String, countries: [String] = [], work: String? = nil, approvedOn: Day? = nil,
            validFrom: Day? = nil, validTo: Day? = nil
        ) {
            self.vendor = vendor
            self.via = via
            self.countries = countries
            self.work = work
            self.approvedOn = approvedOn
            self.validFrom = validFrom
            self.validTo = validTo
        }
    }

    public struct Entrustment: Sendable, Hashable {
        public let key: String
        public let service: String
        public let vendor: String
        public let description: String?
        public let purposes: [String]
        public let categories: [String]
        public let cloudException: Bool
        public let cloudExceptionBasis: String?
        /// The recorded basis for a country the PPC has not designated (APPI Art. 28):
        /// `consent`, `standard_conforming` or `cbpr`; `nil` when none is recorded.
        public let transferBasis: String?
        public let transferBasisNote: String?
        /// The Art. 28(2) information was given before consent (a `consent` basis needs it).
        public let foreignInfoGiven: Bool
        /// The day the contract or rules a `standard_conforming` basis rests on end; `nil`: the contract's end.
        public let transferBasisExpiresOn: Day?
        /// The last periodic check of the recipient (Rules Art. 18(1)).
        public let transferBasisCheckedOn: Day?
        public let contract: Contract
        /// `unknown`, `prohibited`, `prior_approval`, `prior_notice` or `allowed`.
        public let reentrustment: String
        public let subEntrustees: [SubEntrustee]
        /// Every recorded sub-entrustee, whatever its own valid time (`check` compares it with
        /// the entrustment's); `subEntrustees` holds those in force on the snapshot's day.
        public let recordedSubEntrustees: [SubEntrustee]
        public let validFrom: Day
        public let validTo: Day?

        public init(
            key: String, service: String, vendor: String, description: String? = nil, purposes: [String] = [],
            categories: [String], cloudException: Bool = false, cloudExceptionBasis: String? = nil,
            transferBasis: String? = nil, transferBasisNote: String? = nil, contract: Contract = Contract(), reentrustment: String = "unknown", subEntrustees: [SubEntrustee] = [],
            recordedSubEntrustees: [SubEntrustee]? = nil,
            validFrom: Day, validTo: Day? = nil, foreignInfoGiven: Bool = false, transferBasisExpiresOn: Day? = nil,
            transferBasisCheckedOn: Day? = nil
        ) {
            self.recordedSubEntrustees = recordedSubEntrustees ?? subEntrustees
            self.foreignInfoGiven = foreignInfoGiven
            self.transferBasisExpiresOn = transferBasisExpiresOn
            self.transferBasisCheckedOn = transferBasisCheckedOn

            self.key = key
            self.service = service
            self.vendor = vendor
            self.description = description
            self.purposes = purposes
            self.categories = categories
            self.cloudException = cloudException
            self.cloudExceptionBasis = cloudExceptionBasis
            self.transferBasis = transferBasis
            self.transferBasisNote = transferBasisNote
            self.contract = contract
            self.reentrustment = reentrustment
            self.subEntrustees = subEntrustees
            self.validFrom = validFrom
            self.validTo = validTo
        }
    }

    public struct ProvisionRecord: Sendable, Hashable {
        public let providedOn: Day
        public let dataSubjects: String
        public let items: String
        public let consentReference: String?
        public let retainUntil: Day
        /// `each`, `batch` or `contract` (PPC Rules Art. 19).
        public let method: String
        /// For a batch or contract record: the last provision it covers.
        public let lastProvidedOn: Day?

        public init(
            providedOn: Day, dataSubjects: String, items: String, consentReference: String? = nil, retainUntil: Day,
            method: String = "each", lastProvidedOn: Day? = nil
        ) {
            self.providedOn = providedOn
            self.dataSubjects = dataSubjects
            self.items = items
            self.consentReference = consentReference
            self.retainUntil = retainUntil
            self.method = method
            self.lastProvidedOn = lastProvidedOn
        }
    }

    public struct Provision: Sendable, Hashable {
        public let key: String
        public let service: String
        public let recipient: String
        /// `consent`, `legal_exception`, `opt_out` or `joint_use`.
        public let basis: String
        public let legalException: String?
        public let purpose: String
        public let categories: [String]
        public let recipientCountry: String
        public let foreignInfoGiven: Bool
        public let retentionYears: Int
        public let records: [ProvisionRecord]
        /// The opt-out notification to the PPC (APPI Art. 27(2)): its day, and the items it states.
        public let ppcNotifiedOn: Day?
        public let ppcNotificationItems: [String]
        public let ppcNotificationReference: String?
        public let validFrom: Day
        public let validTo: Day?
        public let purposeJa: String?

        public init(
            key: String, service: String, recipient: String, basis: String, legalException: String? = nil,
            purpose: String, categories: [String], recipientCountry: String, foreignInfoGiven: Bool = false,
            retentionYears: Int = 3, records: [ProvisionRecord] = [], ppcNotifiedOn: Day? = nil,
            ppcNotificationItems: [String] = [], ppcNotificationReference: String? = nil, validFrom: Day, validTo: Day? = nil,
            purposeJa: String? = nil
        ) {
            self.purposeJa = purposeJa
            self.ppcNotifiedOn = ppcNotifiedOn
            self.ppcNotificationItems = ppcNotificationItems
            self.ppcNotificationReference = ppcNotificationReference
            self.key = key
            self.service = service
            self.recipient = recipient
            self.basis = basis
            self.legalException = legalException
            self.purpose = purpose
            self.categories = categories
            self.recipientCountry = recipientCountry
            self.foreignInfoGiven = foreignInfoGiven
            self.retentionYears = retentionYears
            self.records = records
            self.validFrom = validFrom
            self.validTo = validTo
        }

        func asOf(_ day: Day) -> Provision {
            Provision(
                key: key, service: service, recipient: recipient, basis: basis, legalException: legalException,
                purpose: purpose, categories: categories, recipientCountry: recipientCountry,
                foreignInfoGiven: foreignInfoGiven, retentionYears: retentionYears,
                records: records.filter { $0.providedOn <= day }, ppcNotifiedOn: ppcNotifiedOn,
                ppcNotificationItems: ppcNotificationItems, ppcNotificationReference: ppcNotificationReference,
                validFrom: validFrom, validTo: validTo, purposeJa: purposeJa)
        }
    }

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

    public enum AnswerStatus: String, Sendable, Hashable, CaseIterable {
        case met, partial, unmet
        case notApplicable = "not_applicable"
    }

    public struct Answer: Sendable, Hashable {
        public let item: String
        public let status: AnswerStatus
        public let evidence: String?
        public let note: String?
        /// The sentence the privacy policy publishes for this measure (the organization's own words), in English and Japanese.
        public let publicStatement: String?
        public let publicStatementJa: String?

        public init(
            item: String, status: AnswerStatus, evidence: String? = nil, note: String? = nil, publicStatement: String? = nil,
            publicStatementJa: String? = nil
        ) {
            self.publicStatement = publicStatement
            self.publicStatementJa = publicStatementJa
            self.item = item
            self.status = status
            self.evidence = evidence
            self.note = note
        }
    }

    public struct Assessment: Sendable, Hashable {
        public let key: String
        public let template: String
        /// Exactly one of `organization` and `vendor` is set: who was assessed.
        public let organization: String?
        public let vendor: String?
        public let assessedOn: Day
        public let assessor: String
        public let nextReviewOn: Day
        public let notes: String?
        /// In the template's item order.
        public let answers: [Answer]

        public init(
            key: String, template: String, organization: String? = nil, vendor: String? = nil, assessedOn: Day,
            assessor: String, nextReviewOn: Day, notes: String? = nil, answers: [Answer] = []
        ) {
            self.key = key
            self.template = template
            self.organization = organization
            self.vendor = vendor
            self.assessedOn = assessedOn
            self.assessor = assessor
            self.nextReviewOn = nextReviewOn
            self.notes = notes
            self.answers = answers
        }
    }

    // MARK: Reference data

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

    /// A country's regime facts in force on the snapshot's day (seeds/country-regimes.csv).
    public struct CountryRegime: Sendable, Hashable {
        /// The latest start among the facts in force; `nil` when no source gave one.
        public let effectiveFrom: Day?
        public let euMember: Bool
        public let eeaMember: Bool
        /// `yes`, `partial`, `no` or `not_applicable`.
        public let euAdequacy: String
        public let euAdequacyNote: String?
        /// Japan's PPC: `yes` (designated as having an equivalent system), `no`, or `home` (Japan).
        public let ppcEquivalent: String
        public let apecCBPR: Bool
        /// Covered by the PPC's survey of foreign systems: `yes`, `no` or `not_applicable`.
        public let ppcSurvey: String
        /// `yes`, `partial`, `no` or `uncertain`.
        public let comprehensiveLaw: String
        public let lawName: String?
        /// `none`, `sectoral`, `broad` or `uncertain`.
        public let localization: String
        public let localizationNote: String?
        /// `verified`, `partial` or `general`.
        public let confidence: String
        public let confidenceNote: String?
        public let source: String
        public let verifiedOn: Day?

        public init(
            effectiveFrom: Day?, euMember: Bool = false, eeaMember: Bool = false, euAdequacy: String,
            euAdequacyNote: String? = nil, ppcEquivalent: String, apecCBPR: Bool, ppcSurvey: String,
            comprehensiveLaw: String, lawName: String? = nil, localization: String, localizationNote: String? = nil,
            confidence: String, confidenceNote: String? = nil, source: String, verifiedOn: Day?
        ) {
            self.effectiveFrom = effectiveFrom
            self.euMember = euMember
            self.eeaMember = eeaMember
            self.euAdequacy = euAdequacy
            self.euAdequacyNote = euAdequacyNote
            self.ppcEquivalent = ppcEquivalent
            self.apecCBPR = apecCBPR
            self.ppcSurvey = ppcSurvey
            self.comprehensiveLaw = comprehensiveLaw
            self.lawName = lawName
            self.localization = localization
            self.localizationNote = localizationNote
            self.confidence = confidence
            self.confidenceNote = confidenceNote
            self.source = source
            self.verifiedOn = verifiedOn
        }
    }

    public struct Country: Sendable, Hashable {
        public let code: String
        public let name: String
        public let nameJa: String?
        public let officialName: String?
        /// `nil` when no regime facts are recorded for the day.
        public let regime: CountryRegime?
        /// The dated facts in force on the day (seeds/country-regime-facts.csv), in
        /// Foreign-Provision GL 5-2 order (`RegimeFact.order`).
        public let facts: [RegimeFact]

        /// The name a policy uses: the official name ("United States of America") when there is
        /// one, else the ISO short name with an inverted form put right ("Korea, Republic of" →
        /// "Republic of Korea").
        public var displayName: String {
            if let officialName { return officialName }
            let parts = name.components(separatedBy: ", ")
            if parts.count == 2, parts[1].hasSuffix(" of") { return parts[1] + " " + parts[0] }
            return name
        }

        public init(
            code: String, name: String, nameJa: String? = nil, officialName: String? = nil, regime: CountryRegime? = nil,
            facts: [RegimeFact] = []
        ) {
            self.facts = facts.sorted { ($0.rank, $0.effectiveFrom ?? Day("0001-01-01")!) < ($1.rank, $1.effectiveFrom ?? Day("0001-01-01")!) }
            self.code = code
            self.name = name
            self.nameJa = nameJa
            self.officialName = officialName
            self.regime = regime
        }
    }
}

// MARK: From records

extension RegistrySnapshot {
    /// A snapshot of `document`'s records (validated: required fields present) with the
    /// given reference data. Absent fields take their schema default.
    public init(
        revision: Int64, asOf: Day, document: RegistryDocument, templates: [ChecklistTemplate], countries: [Country]
    ) {
        let never = Day("0001-01-01")!
        func text(_ record: Record, _ field: String) -> String { record.string(field) ?? "" }
        func day(_ record: Record, _ field: String) -> Day { record.day(field) ?? never }
        func flag(_ record: Record, _ field: String, _ schema: EntitySchema) -> Bool {
            record.bool(field) ?? schema.field(field)?.defaultValue?.bool ?? false
        }
        func choice(_ record: Record, _ field: String, _ schema: EntitySchema) -> String {
            record.string(field) ?? schema.field(field)?.defaultValue?.string ?? ""
        }

        let organizations = document[.organization].map { r in
            Organization(
                key: text(r, "key"), name: text(r, "name"), nameJa: r.string("name_ja"), country: text(r, "country"),
                address: r.string("address"), representative: r.string("representative"),
                privacyContactName: r.string("privacy_contact_name"),
                privacyContactEmail: r.string("privacy_contact_email"), privacyContactURL: r.string("privacy_contact_url"),
                addressJa: r.string("address_ja"), representativeJa: r.string("representative_ja"),
                privacyContactNameJa: r.string("privacy_contact_name_ja"))
        }
        let services = document[.service].map { r in
            Service(
                key: text(r, "key"), name: text(r, "name"), organization: text(r, "organization"),
                description: r.string("description"), url: r.string("url"), owner: r.string("owner"),
                validFrom: day(r, "valid_from"), validTo: r.day("valid_to"))
        }
        let categories = document[.category].map { r in
            DataCategory(
                key: text(r, "key"), name: text(r, "name"), nameJa: r.string("name_ja"),
                description: r.string("description"), sensitive: flag(r, "sensitive", EntitySchema.category))
        }
        let purposes = document[.purpose].map { r in
            Purpose(
                key: text(r, "key"), name: text(r, "name"), nameJa: r.string("name_ja"),
                description: r.string("description"), categories: r.list("categories"))
        }
        let vendors = document[.vendor].map { r in
            Vendor(
                key: text(r, "key"), legalName: text(r, "legal_name"), nameJa: r.string("name_ja"),
                aliases: r.list("aliases"), kinds: r.list("kinds").compactMap(VendorKind.init(rawValue:)),
                headquarters: text(r, "headquarters"), website: r.string("website"), trustURL: r.string("trust_url"),
                privacyURL: r.string("privacy_url"), dpaURL: r.string("dpa_url"),
                subprocessorsURL: r.string("subprocessors_url"), certifications: r.list("certifications"),
                riskTier: RiskTier(rawValue: text(r, "risk_tier")) ?? .medium, owner: r.string("owner"),
                contacts: r.records("contacts").map {
                    Contact(name: text($0, "name"), role: $0.string("role"), email: $0.string("email"))
                },
                notes: r.string("notes"), validFrom: day(r, "valid_from"), validTo: r.day("valid_to"),
                contractingCountry: r.string("contracting_country"))
        }
        let residencies = document[.residency].map { r in
            Residency(
                key: text(r, "key"), service: text(r, "service"), vendor: text(r, "vendor"),
                role: ResidencyRole(rawValue: text(r, "role")) ?? .storage, categories: r.list("categories"),
                country: r.string("country"), region: r.string("region"),
                undisclosed: r.object("undisclosed").map {
                    Undisclosed(reason: text($0, "reason"), candidates: $0.list("candidates"))
                },
                source: text(r, "source"), verifiedOn: day(r, "verified_on"), assertedBy: text(r, "asserted_by"),
                notes: r.string("notes"), validFrom: day(r, "valid_from"), validTo: r.day("valid_to"))
        }
        let entrustments = document[.entrustment].map { r in
            let vendor = text(r, "vendor")
            let contract = r.object("contract") ?? Record()
            let subs = r.records("sub_entrustees").map {
                SubEntrustee(
                    vendor: text($0, "vendor"), via: $0.string("via") ?? vendor, countries: $0.list("countries"),
                    work: $0.string("work"), approvedOn: $0.day("approved_on"), validFrom: $0.day("valid_from"),
                    validTo: $0.day("valid_to"))
            }
            return Entrustment(
                key: text(r, "key"), service: text(r, "service"), vendor: vendor, description: r.string("description"),
                purposes: r.list("purposes"), categories: r.list("categories"),
                cloudException: flag(r, "cloud_exception", EntitySchema.entrustment),
                cloudExceptionBasis: r.string("cloud_exception_basis"),
                transferBasis: r.string("transfer_basis"), transferBasisNote: r.string("transfer_basis_note"),
                contract: Contract(
                    reference: contract.string("reference"), signedOn: contract.day("signed_on"),
                    expiresOn: contract.day("expires_on"),
                    renewal: choice(contract, "renewal", EntitySchema.contract), noticeDays: contract.int("notice_days"),
                    dpaSignedOn: contract.day("dpa_signed_on"), dpaExpiresOn: contract.day("dpa_expires_on")),
                reentrustment: choice(r, "reentrustment", EntitySchema.entrustment),
                // only the sub-entrustees in force on the day (no valid_from: since the entrustment began)
                subEntrustees: subs.filter { sub in
                    (sub.validFrom.map { $0 <= asOf } ?? true) && (sub.validTo.map { asOf < $0 } ?? true)
                },
                recordedSubEntrustees: subs,
                validFrom: day(r, "valid_from"), validTo: r.day("valid_to"),
                foreignInfoGiven: flag(r, "foreign_info_given", EntitySchema.entrustment),
                transferBasisExpiresOn: r.day("transfer_basis_expires_on"),
                transferBasisCheckedOn: r.day("transfer_basis_checked_on"))
        }
        let provisions = document[.provision].map { r in
            Provision(
                key: text(r, "key"), service: text(r, "service"), recipient: text(r, "recipient"),
                basis: text(r, "basis"), legalException: r.string("legal_exception"), purpose: text(r, "purpose"),
                categories: r.list("categories"), recipientCountry: text(r, "recipient_country"),
                foreignInfoGiven: flag(r, "foreign_info_given", EntitySchema.provision),
                retentionYears: r.int("retention_years") ?? EntitySchema.provision.field("retention_years")?.defaultValue?.int ?? 3,
                records: r.records("records").map {
                    ProvisionRecord(
                        providedOn: day($0, "provided_on"), dataSubjects: text($0, "data_subjects"),
                        items: text($0, "items"), consentReference: $0.string("consent_reference"),
                        retainUntil: day($0, "retain_until"), method: $0.string("method") ?? "each",
                        lastProvidedOn: $0.day("last_provided_on"))
                },
                ppcNotifiedOn: r.object("ppc_notification")?.day("notified_on"),
                ppcNotificationItems: r.object("ppc_notification")?.list("items") ?? [],
                ppcNotificationReference: r.object("ppc_notification")?.string("reference"),
                validFrom: day(r, "valid_from"), validTo: r.day("valid_to"), purposeJa: r.string("purpose_ja"))
        }
        let transmissions = document[.transmission].map { r in
            Transmission(
                key: text(r, "key"), service: text(r, "service"), tool: text(r, "tool"),
                recipient: text(r, "recipient"), information: r.list("information"),
                informationJa: r.list("information_ja"), categories: r.list("categories"), purpose: text(r, "purpose"),
                purposeJa: r.string("purpose_ja"), basis: text(r, "basis"), optOutURL: r.string("opt_out_url"),
                recipientCountry: r.string("recipient_country"), validFrom: day(r, "valid_from"),
                validTo: r.day("valid_to"))
        }
        let assessments = document[.assessment].map { r in
            Assessment(
                key: text(r, "key"), template: text(r, "template"), organization: r.string("organization"),
                vendor: r.string("vendor"), assessedOn: day(r, "assessed_on"), assessor: text(r, "assessor"),
                nextReviewOn: day(r, "next_review_on"), notes: r.string("notes"),
                answers: r.records("answers").map {
                    Answer(
                        item: text($0, "item"), status: AnswerStatus(rawValue: text($0, "status")) ?? .unmet,
                        evidence: $0.string("evidence"), note: $0.string("note"),
                        publicStatement: $0.string("public_statement"), publicStatementJa: $0.string("public_statement_ja"))
                })
        }
        self.init(
            revision: revision, asOf: asOf, organizations: organizations, services: services, categories: categories,
            purposes: purposes, vendors: vendors, residencies: residencies, entrustments: entrustments,
            provisions: provisions, transmissions: transmissions, assessments: assessments, templates: templates,
            countries: countries)
    }
}
