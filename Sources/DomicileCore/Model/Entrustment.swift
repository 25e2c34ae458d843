import Foundation

extension RegistrySnapshot {
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
}

extension RegistrySnapshot.Entrustment {
    /// `subEntrustees` holds those in force on `asOf`; `recordedSubEntrustees` all.
    init(_ r: FieldReader, asOf: Day) {
        let vendor = r.text("vendor")
        let contract = r.object("contract") ?? FieldReader(Record(), EntitySchema.contract)
        let subs = r.records("sub_entrustees").map {
            RegistrySnapshot.SubEntrustee(
                vendor: $0.text("vendor"), via: $0.string("via") ?? vendor, countries: $0.list("countries"),
                work: $0.string("work"), approvedOn: $0.optionalDay("approved_on"), validFrom: $0.optionalDay("valid_from"),
                validTo: $0.optionalDay("valid_to"))
        }
        self.init(
            key: r.text("key"), service: r.text("service"), vendor: vendor, description: r.string("description"),
            purposes: r.list("purposes"), categories: r.list("categories"),
            cloudException: r.flag("cloud_exception"),
            cloudExceptionBasis: r.string("cloud_exception_basis"),
            transferBasis: r.string("transfer_basis"), transferBasisNote: r.string("transfer_basis_note"),
            contract: RegistrySnapshot.Contract(
                reference: contract.string("reference"), signedOn: contract.optionalDay("signed_on"),
                expiresOn: contract.optionalDay("expires_on"),
                renewal: contract.choice("renewal"), noticeDays: contract.int("notice_days"),
                dpaSignedOn: contract.optionalDay("dpa_signed_on"), dpaExpiresOn: contract.optionalDay("dpa_expires_on")),
            reentrustment: r.choice("reentrustment"),
            // only the sub-entrustees in force on the day (no valid_from: since the entrustment began)
            subEntrustees: subs.filter { sub in
                (sub.validFrom.map { $0 <= asOf } ?? true) && (sub.validTo.map { asOf < $0 } ?? true)
            },
            recordedSubEntrustees: subs,
            validFrom: r.day("valid_from"), validTo: r.optionalDay("valid_to"),
            foreignInfoGiven: r.flag("foreign_info_given"),
            transferBasisExpiresOn: r.optionalDay("transfer_basis_expires_on"),
            transferBasisCheckedOn: r.optionalDay("transfer_basis_checked_on"))
    }
}
