/// Compliance facts computed from a snapshot: contract and DPA state, the latest
/// assessment per checklist and its completion, review due dates, a vendor's countries and
/// its risk score. Pure functions: the vendor report and `domicile check` share them.
public enum Compliance {
    /// A contract or a DPA that expires within this many days is reported as expiring.
    public static let defaultExpiringWithinDays = 90

    // MARK: Contracts

    public enum AgreementState: Sendable, Hashable {
        /// Nothing is recorded.
        case missing
        /// Signed; `expiresOn` nil when it has no end date.
        case active(expiresOn: Day?)
        /// Expires on `on`, `inDays` days after the as-of day (0 = expires that day).
        case expiring(on: Day, inDays: Int)
        /// Expired on `on` (its last day was the day before), `daysAgo` days before the as-of day.
        case expired(on: Day, daysAgo: Int)

        /// `missing`, `active`, `expiring` or `expired`.
        public var code: String {
            switch self {
            case .missing: return "missing"
            case .active: return "active"
            case .expiring: return "expiring"
            case .expired: return "expired"
            }
        }

        public var summary: String {
            switch self {
            case .missing: return "missing"
            case .active(let expiresOn): return expiresOn.map { "active until \($0)" } ?? "active (no end date)"
            case .expiring(let on, let days): return "expiring on \(on) (in \(days) day\(days == 1 ? "" : "s"))"
            case .expired(let on, let days): return "expired on \(on) (\(days) day\(days == 1 ? "" : "s") ago)"
            }
        }
    }

    /// The state of an agreement signed on `signedOn` (or known by `reference`) that
    /// expires on `expiresOn`, as of `asOf`. The expiry day is the first day without cover.
    public static func agreementState(
        signed: Bool, expiresOn: Day?, asOf: Day, expiringWithin days: Int = defaultExpiringWithinDays
    ) -> AgreementState {
        guard signed || expiresOn != nil else { return .missing }
        guard let expiresOn else { return .active(expiresOn: nil) }
        let remaining = asOf.days(until: expiresOn)
        if remaining <= 0 { return .expired(on: expiresOn, daysAgo: -remaining) }
        if remaining <= days { return .expiring(on: expiresOn, inDays: remaining) }
        return .active(expiresOn: expiresOn)
    }

    public static func contractState(
        _ contract: RegistrySnapshot.Contract, asOf: Day, expiringWithin days: Int = defaultExpiringWithinDays
    ) -> AgreementState {
        agreementState(
            signed: contract.signedOn != nil || contract.reference != nil, expiresOn: contract.expiresOn, asOf: asOf,
            expiringWithin: days)
    }

    public static func dpaState(
        _ contract: RegistrySnapshot.Contract, asOf: Day, expiringWithin days: Int = defaultExpiringWithinDays
    ) -> AgreementState {
        agreementState(signed: contract.dpaSignedOn != nil, expiresOn: contract.dpaExpiresOn, asOf: asOf, expiringWithin: days)
    }

    /// The last day to give notice of non-renewal: `notice_days` before expiry.
    public static func noticeDeadline(_ contract: RegistrySnapshot.Contract) -> Day? {
        guard let expiresOn = contract.expiresOn, let notice = contract.noticeDays else { return nil }
        return expiresOn.adding(days: -notice)
    }

    // MARK: Assessments

    /// For each template, the most recent assessment of the vendor (`vendor`) or of the
    /// organization (`organization`), sorted by template key. Ties on the day go to the larger key.
    public static func latestAssessments(
        _ snapshot: RegistrySnapshot, vendor: String? = nil, organization: String? = nil
    ) -> [RegistrySnapshot.Assessment] {
        latestAssessments(
            of: (vendor.map { snapshot.assessments(ofVendor: $0) } ?? [])
                + (organization.map { snapshot.assessments(ofOrganization: $0) } ?? []))
    }

    /// For each template, the most recent of `assessments` (all of one subject), sorted by
    /// template key. For callers that group a large registry's assessments by subject once.
    public static func latestAssessments(of mine: [RegistrySnapshot.Assessment]) -> [RegistrySnapshot.Assessment] {
        let latest = Dictionary(grouping: mine, by: \.template).compactMapValues { list in
            list.max { ($0.assessedOn, $0.key) < ($1.assessedOn, $1.key) }
        }
        return latest.values.sorted { $0.template < $1.template }
    }

    /// Counts of one checklist group (or of the whole template) in one assessment.
    public struct GroupCompletion: Sendable, Hashable, Codable {
        public let group: String
        public let items: Int
        public let met: Int
        public let partial: Int
        public let unmet: Int
        public let notApplicable: Int
        /// Items of the template the assessment does not answer; they count as unmet.
        public let unanswered: Int

        /// Items that apply: all but the not-applicable ones.
        public var applicable: Int { items - notApplicable }

        /// Met counts 1, partial ½, unmet and unanswered 0, over the applicable items;
        /// 100 when nothing applies.
        public var percent: Double {
            applicable == 0 ? 100 : (Double(met) + Double(partial) / 2) * 100 / Double(applicable)
        }
    }

    /// An item that is not met, with what the assessment says about it.
    public struct Gap: Sendable, Hashable, Codable {
        public let item: String
        public let group: String
        public let title: String
        public let mandatory: Bool
        /// `partial`, `unmet` or `unanswered`.
        public let status: String
        public let evidence: String?
        public let note: String?
    }

    /// Completion of `assessment` against its template: per group in template order, the
    /// total, and every partial, unmet or unanswered item.
    public struct AssessmentResult: Sendable, Hashable {
        public let assessment: RegistrySnapshot.Assessment
        public let template: RegistrySnapshot.ChecklistTemplate?
        public let groups: [GroupCompletion]
        public let total: GroupCompletion
        public let gaps: [Gap]
    }

    public static func evaluate(_ assessment: RegistrySnapshot.Assessment, in snapshot: RegistrySnapshot) -> AssessmentResult {
        let template = snapshot.template(assessment.template)
        let answers = Dictionary(assessment.answers.map { ($0.item, $0) }, uniquingKeysWith: { first, _ in first })
        let items = template?.items ?? []
        var order: [String] = []
        for item in items where !order.contains(item.group) { order.append(item.group) }
        func completion(_ group: String, _ items: [RegistrySnapshot.ChecklistItem]) -> GroupCompletion {
            let statuses = items.map { answers[$0.id]?.status }
            return GroupCompletion(
                group: group, items: items.count, met: statuses.filter { $0 == .met }.count,
                partial: statuses.filter { $0 == .partial }.count, unmet: statuses.filter { $0 == .unmet }.count,
                notApplicable: statuses.filter { $0 == .notApplicable }.count,
                unanswered: statuses.filter { $0 == nil }.count)
        }
        let groups = order.map { group in completion(group, items.filter { $0.group == group }) }
        let gaps: [Gap] = items.compactMap { item in
            let answer = answers[item.id]
            let status: String
            switch answer?.status {
            case .met?, .notApplicable?: return nil
            case .partial?: status = "partial"
            case .unmet?: status = "unmet"
            case nil: status = "unanswered"
            }
            return Gap(
                item: item.id, group: item.group, title: item.title, mandatory: item.mandatory, status: status,
                evidence: answer?.evidence, note: answer?.note)
        }
        return AssessmentResult(
            assessment: assessment, template: template, groups: groups, total: completion("all", items), gaps: gaps)
    }

    // MARK: Reviews

    /// How often a vendor of each risk tier is reviewed, in months.
    public static func reviewCadenceMonths(_ tier: RegistrySnapshot.RiskTier) -> Int {
        switch tier {
        case .critical: return 6
        case .high: return 12
        case .medium: return 24
        case .low: return 36
        }
    }

    public enum ReviewState: Sendable, Hashable {
        /// No assessment of the vendor at all.
        case neverAssessed
        case due(on: Day, inDays: Int)
        case overdue(since: Day, daysAgo: Int)

        public var code: String {
            switch self {
            case .neverAssessed: return "never_assessed"
            case .due: return "due"
            case .overdue: return "overdue"
            }
        }

        public var summary: String {
            switch self {
            case .neverAssessed: return "never assessed"
            case .due(let on, let days): return "due on \(on) (in \(days) day\(days == 1 ? "" : "s"))"
            case .overdue(let since, let days): return "overdue since \(since) (\(days) day\(days == 1 ? "" : "s"))"
            }
        }
    }

    /// The next review of a vendor: the earlier of the date its latest assessment set and
    /// the latest assessment day plus the risk tier's cadence. Due on the day itself;
    /// overdue from the day after.
    public static func reviewState(
        latest: [RegistrySnapshot.Assessment], tier: RegistrySnapshot.RiskTier, asOf: Day
    ) -> ReviewState {
        guard let last = latest.max(by: { $0.assessedOn < $1.assessedOn }) else { return .neverAssessed }
        let byCadence = last.assessedOn.adding(months: reviewCadenceMonths(tier))
        let due = latest.map(\.nextReviewOn).min().map { min($0, byCadence) } ?? byCadence
        let days = asOf.days(until: due)
        return days >= 0 ? .due(on: due, inDays: days) : .overdue(since: due, daysAgo: -days)
    }

    // MARK: Countries

    /// Where a vendor's work for the registry takes place.
    public struct VendorCountries: Sendable, Hashable {
        /// Countries of its own residencies and of the sub-entrustments it performs.
        public let direct: [String]
        /// Countries its sub-entrustees (at any depth) reach.
        public let throughSubEntrustees: [String]
        /// Candidate countries of its undisclosed locations.
        public let undisclosedCandidates: [String]
        /// True when one of its locations is undisclosed.
        public let hasUndisclosed: Bool

        public var all: [String] { Array(Set(direct + throughSubEntrustees + undisclosedCandidates)).sorted() }
    }

    public static func countries(of vendor: String, in snapshot: RegistrySnapshot) -> VendorCountries {
        let own = snapshot.residencies(ofVendor: vendor)
        var direct = Set(own.compactMap(\.country))
        let undisclosed = own.filter { $0.undisclosed != nil }
        for entrustment in snapshot.entrustments(withSubEntrustee: vendor) {
            for sub in entrustment.subEntrustees where sub.vendor == vendor { direct.formUnion(sub.countries) }
        }
        var through = Set<String>()
        for entrustment in snapshot.entrustments(ofVendor: vendor) {
            for sub in entrustment.subEntrustees {
                through.formUnion(sub.countries)
                // only what the sub-entrustee holds for this entrustment: its service's data of
                // its categories, not every residency the sub-entrustee has for others
                through.formUnion(snapshot.residencies(ofVendor: sub.vendor).filter { residency in
                    residency.service == entrustment.service
                        && residency.categories.contains { category in
                            entrustment.categories.contains { overlaps(category, $0) }
                        }
                }.compactMap(\.country))
            }
        }
        return VendorCountries(
            direct: direct.sorted(), throughSubEntrustees: through.sorted(),
            undisclosedCandidates: Array(Set(undisclosed.flatMap { $0.undisclosed?.candidates ?? [] })).sorted(),
            hasUndisclosed: !undisclosed.isEmpty)
    }

    /// True when one dotted category contains the other (or they are the same).
    static func overlaps(_ a: String, _ b: String) -> Bool {
        a == b || a.hasPrefix(b + ".") || b.hasPrefix(a + ".")
    }

    /// True when transferring personal data to `code` needs a recorded basis under APPI
    /// Art. 28: the country is neither Japan nor designated by the PPC as equivalent.
    /// Unknown regime facts count as needing one.
    public static func needsTransferBasis(_ code: String, in snapshot: RegistrySnapshot) -> Bool {
        guard let regime = snapshot.country(code)?.regime else { return code != "JP" }
        return regime.ppcEquivalent != "home" && regime.ppcEquivalent != "yes"
    }

    // MARK: Risk

    public struct RiskFactor: Sendable, Hashable, Codable {
        public let factor: String
        public let points: Int

        public init(factor: String, points: Int) {
            self.factor = factor
            self.points = points
        }
    }

    public struct RiskScore: Sendable, Hashable {
        /// 0 (no risk found) to 100.
        public let score: Int
        /// `low` (< 25), `moderate` (< 50), `high` (< 75) or `severe`.
        public let level: String
        public let factors: [RiskFactor]
    }

    /// Certifications that lower a vendor's risk score.
    static let creditedCertifications: Set<String> = ["iso27001", "iso27701", "pmark", "soc2", "apec_cbpr"]

    /// A vendor's risk score: its tier's base, plus points for each gap found, minus credit
    /// for certifications, clamped to 0…100. Every factor is listed with its points.
    public static func riskScore(
        vendor: RegistrySnapshot.Vendor, in snapshot: RegistrySnapshot,
        expiringWithin days: Int = defaultExpiringWithinDays
    ) -> RiskScore {
        var factors: [RiskFactor] = []
        func add(_ factor: String, _ points: Int) { if points != 0 { factors.append(RiskFactor(factor: factor, points: points)) } }
        let base: [RegistrySnapshot.RiskTier: Int] = [.low: 10, .medium: 20, .high: 30, .critical: 40]
        add("risk tier \(vendor.riskTier.rawValue)", base[vendor.riskTier]!)

        for entrustment in snapshot.entrustments(ofVendor: vendor.key) {
            let contract = contractState(entrustment.contract, asOf: snapshot.asOf, expiringWithin: days)
            let dpa = dpaState(entrustment.contract, asOf: snapshot.asOf, expiringWithin: days)
            for (name, state) in [("contract", contract), ("DPA", dpa)] {
                switch state {
                case .missing: add("\(name) missing for \(entrustment.key)", 15)
                case .expired: add("\(name) expired for \(entrustment.key)", 15)
                case .expiring: add("\(name) expiring for \(entrustment.key)", 5)
                case .active: break
                }
            }
            let sensitive = entrustment.categories.filter { snapshot.category($0)?.sensitive == true }
            if !sensitive.isEmpty { add("special-care data entrusted (\(sensitive.joined(separator: ", ")))", 10) }
            if !entrustment.subEntrustees.isEmpty {
                add("\(entrustment.subEntrustees.count) sub-entrustee(s) in \(entrustment.key)", min(3 * entrustment.subEntrustees.count, 9))
            }
        }

        let latest = latestAssessments(snapshot, vendor: vendor.key)
        // as `entrustee.never_assessed`: a vendor entrusted directly (not under the cloud
        // exception); a sub-entrustee is supervised through its entrustee
        let entrusted = snapshot.entrustments(ofVendor: vendor.key).contains { !$0.cloudException }
        switch reviewState(latest: latest, tier: vendor.riskTier, asOf: snapshot.asOf) {
        case .neverAssessed: if entrusted { add("entrustee never assessed", 15) }
        case .overdue: add("review overdue", 10)
        case .due: break
        }
        let gaps = latest.flatMap { evaluate($0, in: snapshot).gaps }
        let mandatoryUnmet = gaps.filter { $0.mandatory && $0.status == "unmet" }.count
        let mandatoryUnanswered = gaps.filter { $0.mandatory && $0.status == "unanswered" }.count
        let mandatoryPartial = gaps.filter { $0.mandatory && $0.status == "partial" }.count
        // unmet and unanswered weigh the same (nobody showed the item is met), but are named apart
        let open = min(5 * mandatoryUnmet, 20)
        add("\(mandatoryUnmet) mandatory checklist item(s) unmet", open)
        add("\(mandatoryUnanswered) mandatory checklist item(s) unanswered", min(5 * mandatoryUnanswered, 20 - open))
        add("\(mandatoryPartial) mandatory checklist item(s) partial", min(2 * mandatoryPartial, 10))

        let countries = countries(of: vendor.key, in: snapshot)
        let foreign = (countries.direct + countries.throughSubEntrustees).filter { needsTransferBasis($0, in: snapshot) }
        if !foreign.isEmpty {
            add("data in a country without a PPC-designated equivalent system (\(Array(Set(foreign)).sorted().joined(separator: ", ")))", 10)
        }
        if countries.hasUndisclosed { add("undisclosed data location", 10) }

        let credited = vendor.certifications.filter(creditedCertifications.contains)
        if !credited.isEmpty { add("certifications (\(credited.joined(separator: ", ")))", -min(5 * credited.count, 10)) }

        let score = max(0, min(100, factors.reduce(0) { $0 + $1.points }))
        let level = score < 25 ? "low" : score < 50 ? "moderate" : score < 75 ? "high" : "severe"
        return RiskScore(score: score, level: level, factors: factors)
    }
}
