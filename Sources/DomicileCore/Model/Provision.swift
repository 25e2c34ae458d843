import Foundation

extension RegistrySnapshot {
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
}

extension RegistrySnapshot.Provision {
    init(_ r: FieldReader) {
        let notification = r.object("ppc_notification")
        self.init(
            key: r.text("key"), service: r.text("service"), recipient: r.text("recipient"),
            basis: r.text("basis"), legalException: r.string("legal_exception"), purpose: r.text("purpose"),
            categories: r.list("categories"), recipientCountry: r.text("recipient_country"),
            foreignInfoGiven: r.flag("foreign_info_given"),
            retentionYears: r.int("retention_years") ?? EntitySchema.provision.field("retention_years")?.defaultValue?.int ?? 3,
            records: r.records("records").map {
                RegistrySnapshot.ProvisionRecord(
                    providedOn: $0.day("provided_on"), dataSubjects: $0.text("data_subjects"),
                    items: $0.text("items"), consentReference: $0.string("consent_reference"),
                    retainUntil: $0.day("retain_until"), method: $0.string("method") ?? "each",
                    lastProvidedOn: $0.optionalDay("last_provided_on"))
            },
            ppcNotifiedOn: notification?.optionalDay("notified_on"),
            ppcNotificationItems: notification?.list("items") ?? [],
            ppcNotificationReference: notification?.string("reference"),
            validFrom: r.day("valid_from"), validTo: r.optionalDay("valid_to"), purposeJa: r.string("purpose_ja"))
    }
}
