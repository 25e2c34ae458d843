import Foundation

/// `domicile due` and `/v1/due`: what falls due, computed from a snapshot with the dates
/// `domicile check` uses (`Compliance`): contract ends and notice deadlines, reviews, the
/// periodic checks of foreign recipients (PPC Rules Art. 18(1)) and the ends of the
/// retention of records of provision (PPC Rules Art. 21). Pure: the same snapshot gives the
/// same list in the same order.
public struct DueList: Sendable {
    /// What an item is about; the raw value is what JSON, CSV and the calendar carry.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case contractExpiry = "contract_expiry"
        case contractNotice = "contract_notice"
        case dpaExpiry = "dpa_expiry"
        case review
        case transferCheck = "transfer_check"
        case retentionEnd = "retention_end"
    }

    public struct Item: Sendable, Hashable {
        public let date: Day
        public let kind: Kind
        /// The record the item belongs to: `entrustment`, `assessment`, `vendor` or `provision`.
        public let entity: String
        public let key: String
        /// What is due, in one sentence.
        public let what: String
        public let owner: String?
        /// The provision the date comes from, when there is one.
        public let source: String?
        /// The date is before the as-of day and nothing recorded since has moved it.
        public let overdue: Bool
        /// Stable across runs and days: the same obligation keeps its UID when its date moves.
        public let uid: String
    }

    public let asOf: Day
    /// The last day included; everything overdue is included too.
    public let until: Day
    public let items: [Item]

    /// `--within` when not given.
    public static let defaultWindow = "90d"
    /// The last day a window may reach; a longer one stops there.
    static let lastDay = Day("9999-12-31")!

    /// The end of a window such as `90d`, `12w`, `6m` or `1y` (one to four digits; a bare
    /// number is days) from `asOf`, at most 9999-12-31; `nil` when `text` is not a window.
    public static func windowEnd(_ text: String, from asOf: Day) -> Day? {
        let trimmed = text.lowercased()
        guard let unit = trimmed.last else { return nil }
        let digits = unit.isNumber ? trimmed : String(trimmed.dropLast())
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else { return nil }
        // beyond year 9999 nothing can fall due: stop there rather than compute a day that cannot be written
        let room = asOf.days(until: lastDay)
        let end: Day
        switch unit.isNumber ? "d" : unit {
        case "d": end = n >= room ? lastDay : asOf.adding(days: n)
        case "w": end = 7 * n >= room ? lastDay : asOf.adding(days: 7 * n)
        case "m": end = n >= 12 * (10_000 - asOf.year) ? lastDay : asOf.adding(months: n)
        case "y": end = n >= 10_000 - asOf.year ? lastDay : asOf.adding(months: 12 * n)
        default: return nil
        }
        return min(end, lastDay)
    }

    /// What `windowEnd` accepts, for messages.
    public static let windowExpected = "a number (1 to 4 digits) of days, weeks, months or years such as 90d, 12w, 6m or 1y; a bare number is days"

    /// The items of `snapshot` due by `until` (overdue ones whatever their date), of `owner`
    /// when given (compared ignoring case), ordered by date, kind and record.
    public init(_ snapshot: RegistrySnapshot, until: Day, owner: String? = nil) {
        asOf = snapshot.asOf
        self.until = until
        let wanted = owner?.trimmingCharacters(in: .whitespaces).lowercased()
        items = Self.all(snapshot).filter { item in
            (item.overdue || item.date <= until)
                && (wanted.map { item.owner?.trimmingCharacters(in: .whitespaces).lowercased() == $0 } ?? true)
        }.sorted { ($0.date, $0.kind.rawValue, $0.entity, $0.key, $0.uid) < ($1.date, $1.kind.rawValue, $1.entity, $1.key, $1.uid) }
    }

    /// Every dated obligation of the snapshot, before the window and the owner are applied.
    static func all(_ s: RegistrySnapshot) -> [Item] {
        let today = s.asOf
        var items: [Item] = []
        func add(_ date: Day, _ kind: Kind, _ entity: String, _ key: String, _ what: String, owner: String?, source: String?,
                 overdue: Bool? = nil, uid: String) {
            items.append(Item(
                date: date, kind: kind, entity: entity, key: key, what: what, owner: owner, source: source,
                overdue: overdue ?? (date < today), uid: uid + "@domicile"))
        }
        func owner(service: String, vendor: String) -> String? {
            s.vendor(vendor)?.owner ?? s.service(service)?.owner
        }

        // Contracts (APPI Art. 25): the end, the notice deadline and a DPA's own end.
        let contractSource = CheckRule.contractExpiring.basis
        for e in s.entrustments {
            let c = e.contract
            let who = owner(service: e.service, vendor: e.vendor)
            let name = c.reference.map { "contract '\($0)'" } ?? "the contract"
            if let end = c.expiresOn {
                let what: String
                switch (c.renewal, end <= today) {
                case ("automatic", true):
                    what = "\(name) with \(e.vendor) (\(e.service)) renews automatically; its recorded term ended on \(end): record the current term (contract.expires_on)"
                case ("automatic", false):
                    what = "\(name) with \(e.vendor) (\(e.service)) renews automatically at the end of its term unless notice is given; record the new term"
                default:
                    what = "\(name) with \(e.vendor) (\(e.service)) ends (renewal: \(c.renewal)): renew it and record the new contract.expires_on, or end the entrustment"
                }
                // the expiry day is the first day without cover: expired (overdue) on the day itself, as `contract.expired`
                let expired: Bool
                if case .expired = Compliance.contractState(c, asOf: today) { expired = true } else { expired = false }
                add(end, .contractExpiry, "entrustment", e.key, what, owner: who, source: contractSource, overdue: expired,
                    uid: "contract-expiry/\(e.key)")
                if let notice = Compliance.noticeDeadline(c), let days = c.noticeDays, days > 0, today < end {
                    add(notice, .contractNotice, "entrustment", e.key,
                        "last day to give notice on \(name) with \(e.vendor) (\(days) days before its end on \(end))",
                        owner: who, source: contractSource, uid: "contract-notice/\(e.key)")
                }
            }
            // A DPA that ends with its contract is the contract's date; one that renews with an
            // automatically renewing contract is not due (as `dpa.expired`).
            if let end = c.dpaExpiresOn, end != c.expiresOn {
                let expired: Bool
                if case .expired = Compliance.dpaState(c, asOf: today) { expired = true } else { expired = false }
                add(end, .dpaExpiry, "entrustment", e.key,
                    "the data-processing agreement with \(e.vendor) (\(e.service)) ends: renew it and record contract.dpa_expires_on",
                    owner: who, source: CheckRule.dpaExpired.basis, overdue: expired, uid: "dpa-expiry/\(e.key)")
            }
        }

        // Reviews (APPI Arts. 23, 25): an organization's per checklist, a vendor's as the
        // vendor report and `check` compute it.
        let reviewSource = CheckRule.reviewOverdue.basis
        for organization in s.organizations {
            for assessment in Compliance.latestAssessments(s, organization: organization.key) {
                add(assessment.nextReviewOn, .review, "assessment", assessment.key,
                    "review the \(assessment.template) assessment of organization \(organization.key) (last assessed on \(assessment.assessedOn))",
                    owner: assessment.assessor, source: reviewSource, uid: "review/organization/\(organization.key)/\(assessment.template)")
            }
        }
        for vendor in s.vendors {
            let latest = Compliance.latestAssessments(s, vendor: vendor.key)
            let date: Day
            switch Compliance.reviewState(latest: latest, tier: vendor.riskTier, asOf: today) {
            case .neverAssessed: continue
            case .due(let on, _): date = on
            case .overdue(let since, _): date = since
            }
            let last = latest.map(\.assessedOn).max().map { " (last assessed on \($0))" } ?? ""
            add(date, .review, "vendor", vendor.key,
                "review vendor \(vendor.key)\(last): the earlier of next_review_on and every \(Compliance.reviewCadenceMonths(vendor.riskTier)) months for risk tier \(vendor.riskTier.rawValue)",
                owner: vendor.owner ?? latest.last?.assessor, source: reviewSource, uid: "review/vendor/\(vendor.key)")
        }

        // Periodic checks of foreign recipients (APPI Art. 28(3); Rules Art. 18(1)).
        for check in Compliance.periodicChecks(in: s) {
            let e = check.entrustment
            let what: String
            let date: Day
            if let due = check.dueOn, let last = check.lastCheckedOn {
                date = due
                what = "periodic check of \(check.role) \(check.recipient.key)'s measures and of the laws of \(s.countryName(check.recipient.recipientCountry)) (last checked on \(last)): record transfer_basis_checked_on"
            } else {
                // Never checked: owed since the entrustment began.
                date = e.validFrom
                what = "periodic check of \(check.role) \(check.recipient.key)'s measures and of the laws of \(s.countryName(check.recipient.recipientCountry)): none is recorded; check it and record transfer_basis_checked_on"
            }
            add(date, .transferCheck, "entrustment", e.key, what,
                owner: check.recipient.owner ?? s.service(e.service)?.owner,
                source: CheckRule.transferBasisCheckOverdue.basis, overdue: check.dueOn.map { $0 < today } ?? true,
                uid: "transfer-check/\(e.key)/\(check.recipient.key)")
        }

        // Records of provision (APPI Art. 29(2); PPC Rules Art. 21): the end of their retention.
        for p in s.provisions {
            for record in p.records {
                let required = Compliance.requiredRetention(
                    method: record.method, providedOn: record.providedOn, lastProvidedOn: record.lastProvidedOn,
                    retentionYears: p.retentionYears)
                let short = required.until.map { record.retainUntil < $0 } ?? false
                let what = short
                    ? "the record of \(record.providedOn) for '\(Self.oneLine(record.dataSubjects))' is kept until \(record.retainUntil), but must be kept until \(required.until.map(\.description) ?? "")"
                    : "retention of the record of \(record.providedOn) for '\(Self.oneLine(record.dataSubjects))' ends; erase it once it is no longer needed (APPI Art. 22)"
                add(record.retainUntil, .retentionEnd, "provision", p.key, what,
                    owner: s.service(p.service)?.owner ?? s.vendor(p.recipient)?.owner,
                    source: CheckRule.provisionRecordRetentionShort.basis,
                    uid: "retention-end/\(p.key)/\(record.providedOn)/\(Self.digest(record.dataSubjects))")
            }
        }
        return items
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isNewline }).joined(separator: " ")
    }

    /// A short stable digest of free text for a UID (FNV-1a, 64 bits, hex).
    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

// MARK: Rendering

extension DueList {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, csv, ics
    }

    public static let columns = ["date", "status", "kind", "entity", "key", "owner", "what", "source"]

    func cells(_ item: Item) -> [String] {
        [
            item.date.description, item.overdue ? "overdue" : "in \(asOf.days(until: item.date)) days", item.kind.rawValue,
            item.entity, item.key, item.owner ?? "", item.what, item.source ?? "",
        ]
    }

    /// The list as text (a table with a heading line), JSON, CSV or an iCalendar file.
    public func render(_ format: Format, generatedAt: Date = Date()) -> String {
        switch format {
        case .text:
            let overdue = items.filter(\.overdue).count
            var text = "What falls due by \(until) (as of \(asOf)): \(items.count) item\(items.count == 1 ? "" : "s"), \(overdue) overdue\n"
            if items.isEmpty { return text + "(none)\n" }
            text += "\n" + Listing(columns: Self.columns, rows: items.map(cells)).table()
            return text
        case .csv:
            return Listing(columns: Self.columns, rows: items.map(cells)).csv()
        case .json:
            return JSONOutput.text(DueOutput(self))
        case .ics:
            return ICalendar.render(self, generatedAt: generatedAt)
        }
    }
}

/// `due --format json` and `/v1/due`: the window and its items, each with its owner and
/// legal source (`null` when none is recorded).
struct DueOutput: Encodable {
    let asOf: String
    let until: String
    let items: [Item]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case asOf = "as_of", until, items
    }

    struct Item: Encodable {
        let date: String
        let kind: String
        let entity: String
        let key: String
        let what: String
        let overdue: Bool
        let days: Int
        let uid: String
        @NullWhenAbsent var owner: String?
        @NullWhenAbsent var source: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case date, kind, entity, key, what, overdue, days, uid, owner, source
        }
    }

    init(_ list: DueList) {
        asOf = list.asOf.description
        until = list.until.description
        items = list.items.map { item in
            Item(
                date: item.date.description, kind: item.kind.rawValue, entity: item.entity, key: item.key, what: item.what,
                overdue: item.overdue, days: list.asOf.days(until: item.date), uid: item.uid, owner: item.owner, source: item.source)
        }
    }
}
