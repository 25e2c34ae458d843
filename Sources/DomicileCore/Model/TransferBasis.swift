/// APPI Art. 28 turns on the recipient: a business operator located in a foreign country
/// needs a recorded basis, wherever its servers are (PPC Q&A 12-4); a Japanese recipient with
/// servers abroad needs none, and the server country is part of the external environment
/// (GL 10-7; Q&A 10-24). Shared by `domicile check` and the reports.
extension Compliance {
    /// A recorded Art. 28 basis and, when it does not hold on the day, why.
    public struct RecordedBasis: Sendable, Hashable {
        /// "standard-conforming system (entrustment persona-support)".
        public let description: String
        /// `nil` when the basis holds; else what is wrong ("lapsed on 2026-03-31 …").
        public let problem: String?

        public var isValid: Bool { problem == nil }
        /// What a report prints: never a lapsed basis as a valid one.
        public var summary: String { problem.map { "\(description): \($0)" } ?? description }
    }

    /// The country of the recipient `vendor` for Art. 28: its contracting entity's country,
    /// else its headquarters. `nil` for a vendor not in force.
    public static func recipientCountry(_ vendor: String, in snapshot: RegistrySnapshot) -> String? {
        snapshot.vendor(vendor)?.recipientCountry
    }

    /// "the contracting entity" or "headquarters (no contracting_country recorded)": where
    /// `recipientCountry` came from, for messages.
    public static func recipientCountrySource(_ vendor: RegistrySnapshot.Vendor) -> String {
        vendor.contractingCountry != nil ? "contracting entity" : "headquarters; no contracting_country recorded"
    }

    /// The day a `standard_conforming` basis of `entrustment` lapsed, when it has by `asOf`:
    /// `transfer_basis_expires_on` when recorded, else the end of the entrustment's contract
    /// (unless it renews automatically). A basis that rests on a contract ends with it (Rules Art. 16(i)).
    public static func basisLapse(_ entrustment: RegistrySnapshot.Entrustment, asOf: Day) -> Day? {
        guard entrustment.transferBasis == "standard_conforming" else { return nil }
        if let end = entrustment.transferBasisExpiresOn { return end <= asOf ? end : nil }
        guard entrustment.contract.renewal != "automatic", let end = entrustment.contract.expiresOn, end <= asOf else {
            return nil
        }
        return end
    }

    static let basisNames = ["consent": "consent", "standard_conforming": "standard-conforming system", "cbpr": "APEC CBPR"]

    /// The basis recorded on `entrustment` itself, with its problem on `asOf`; `nil` when none.
    public static func recordedBasis(_ entrustment: RegistrySnapshot.Entrustment, asOf: Day) -> RecordedBasis? {
        guard let basis = entrustment.transferBasis else { return nil }
        let description = "\(basisNames[basis] ?? basis) (entrustment \(entrustment.key))"
        if let lapsed = basisLapse(entrustment, asOf: asOf) {
            let what = entrustment.transferBasisExpiresOn != nil ? "transfer_basis_expires_on" : "the contract's end"
            return RecordedBasis(description: description, problem: "lapsed on \(lapsed) (\(what))")
        }
        if basis == "consent" && !entrustment.foreignInfoGiven {
            return RecordedBasis(description: description, problem: "the Art. 28(2) information is not recorded as given")
        }
        return RecordedBasis(description: description, problem: nil)
    }

    /// The recorded basis for `service`'s data received by `vendor`, when the vendor is a
    /// recipient in a country with no PPC-designated equivalent system (`needsTransferBasis`
    /// of its `recipientCountry`); `nil` when none is recorded or none is needed. A valid
    /// basis wins over one with a problem: the cloud exception (no provision at all, Q&A
    /// 7-53, 12-3), an entrustment's `transfer_basis` (the vendor's own, or one it works in
    /// as a sub-entrustee), the vendor's APEC CBPR certification, or a provision on consent
    /// given with the Art. 28(2) information.
    public static func transferBasis(service: String, vendor: String, in snapshot: RegistrySnapshot) -> RecordedBasis? {
        guard let country = recipientCountry(vendor, in: snapshot), needsTransferBasis(country, in: snapshot) else { return nil }
        let entrustments = snapshot.entrustments(ofService: service)
        if let cloud = entrustments.first(where: { $0.vendor == vendor && $0.cloudException }) {
            return RecordedBasis(description: "cloud exception (entrustment \(cloud.key))", problem: nil)
        }
        let recorded = entrustments.filter { entrustment in
            entrustment.vendor == vendor || entrustment.subEntrustees.contains { $0.vendor == vendor }
        }.compactMap { recordedBasis($0, asOf: snapshot.asOf) }
        if let valid = recorded.first(where: \.isValid) { return valid }
        if snapshot.vendor(vendor)?.certifications.contains("apec_cbpr") == true {
            return RecordedBasis(description: "APEC CBPR certification", problem: nil)
        }
        if let provision = snapshot.provisions(ofService: service).first(where: {
            $0.recipient == vendor && $0.basis == "consent" && $0.foreignInfoGiven
        }) {
            return RecordedBasis(description: "consent with information on the foreign country (provision \(provision.key))", problem: nil)
        }
        return recorded.first
    }

    /// The periodic check of a standard-conforming recipient (Rules Art. 18(1)) is due at
    /// least yearly (Foreign-Provision GL 6-1).
    public static let basisCheckMaxAgeDays = 365
}
