/// The dates `domicile check` and `domicile due` share: when the periodic check of a foreign
/// recipient's measures (PPC Rules Art. 18(1)) is owed and when it falls due. One definition,
/// so the calendar and the check never disagree about a day.
extension Compliance {
    /// Whether `entrustment`'s recipient must be checked periodically (Rules Art. 18(1)): its
    /// recorded basis is `standard_conforming` or `cbpr`, or none is recorded and the
    /// recipient's APEC CBPR certification is the basis (Rules Art. 16(ii)).
    public static func needsPeriodicCheck(_ entrustment: RegistrySnapshot.Entrustment, recipientCertifiedCBPR: Bool) -> Bool {
        entrustment.transferBasis == "standard_conforming" || entrustment.transferBasis == "cbpr"
            || (recipientCertifiedCBPR && entrustment.transferBasis == nil)
    }

    /// The last day the next periodic check may be made, `basisCheckMaxAgeDays` after the last
    /// one; from the day after, `transfer.basis_check_overdue` fires.
    public static func basisCheckDue(lastCheckedOn: Day) -> Day {
        lastCheckedOn.adding(days: basisCheckMaxAgeDays)
    }

    /// A periodic check owed for one recipient of an entrustment.
    public struct PeriodicCheck: Sendable, Hashable {
        public let entrustment: RegistrySnapshot.Entrustment
        public let recipient: RegistrySnapshot.Vendor
        /// `entrustee` or `sub-entrustee`.
        public let role: String
        public let lastCheckedOn: Day?
        /// `nil` when no check is recorded: it is owed now.
        public var dueOn: Day? { lastCheckedOn.map { basisCheckDue(lastCheckedOn: $0) } }
    }

    /// Every periodic check owed on the snapshot's day, as `check` judges them: recipients
    /// (entrustees and sub-entrustees, outside the cloud exception) in a country the PPC has
    /// not designated, whose basis calls for a check (`needsPeriodicCheck`) and has not lapsed.
    public static func periodicChecks(in snapshot: RegistrySnapshot) -> [PeriodicCheck] {
        var checks: [PeriodicCheck] = []
        for e in snapshot.entrustments where !e.cloudException && basisLapse(e, asOf: snapshot.asOf) == nil {
            let recipients = [(e.vendor, "entrustee")] + e.subEntrustees.map { ($0.vendor, "sub-entrustee") }
            var seen = Set<String>()
            for (key, role) in recipients where seen.insert(key).inserted {
                guard let vendor = snapshot.vendor(key), needsTransferBasis(vendor.recipientCountry, in: snapshot),
                    needsPeriodicCheck(e, recipientCertifiedCBPR: vendor.certifications.contains("apec_cbpr"))
                else { continue }
                checks.append(PeriodicCheck(entrustment: e, recipient: vendor, role: role, lastCheckedOn: e.transferBasisCheckedOn))
            }
        }
        return checks
    }
}
