import Foundation

/// `diff --from D1 --to D2` as typed; `to` defaults to today.
public struct DiffRequest: Sendable, Equatable {
    public var from: String?
    public var to: String?

    public init(from: String?, to: String? = nil) {
        self.from = from
        self.to = to
    }

    /// The two days, checked: real dates, `from` given and before `to`. Issues name `from` and `to`.
    public func validated(today: Day) throws -> (from: Day, to: Day) {
        var issues: [Issue] = []
        var fromDay: Day?
        var toDay: Day? = today
        if let from {
            fromDay = Day(from)
            if fromDay == nil { issues.append(Issue.invalidDate("from", from)) }
        } else {
            issues.append(Issue.missing("from"))
        }
        if let to {
            toDay = Day(to)
            if toDay == nil { issues.append(Issue.invalidDate("to", to)) }
        }
        if let fromDay, let toDay, toDay <= fromDay {
            issues.append(
                Issue(
                    code: "input.invalid_range", field: "to", value: toDay.description,
                    message: "to \(toDay) is not after from \(fromDay); an end must come after the start"))
        }
        guard issues.isEmpty, let fromDay, let toDay else { throw InputError(issues) }
        return (fromDay, toDay)
    }
}

/// What changed in the registry's valid time between two days: the vendors, residencies,
/// entrustments, provisions and transmissions in force on `to` but not on `from` (started), on `from`
/// but not on `to` (ended), and the ones that ended the day another with the same identity
/// started (changed: residency service + vendor + role, entrustment service + vendor,
/// transmission service + recipient + tool), with the fields that differ.
///
/// Sub-entrustees with a valid time of their own are listed as they start or end (kind
/// `sub_entrustee`, the key of their entrustment); one without is in force as long as its
/// entrustment, whose start or end the diff lists.
///
/// Contract events (kind `contract`: signed, renewed, expired) and assessments made (kind
/// `assessment`, change `assessed`) are listed on their day too.
///
/// A record that both started and ended in between is listed twice (started, then ended).
/// In-place edits (`--correction`) are not changes in the world; the audit trail has them.
public struct RegistryDiff: Sendable {
    public enum ChangeKind: String, Sendable {
        case started, ended, changed
        /// Contract events of an entrustment (kind `contract`): signed, expired, renewed (the
        /// recorded term of an automatically renewing contract ended), or `term_ended` when
        /// whether it renews is not recorded (renewal `unknown`: neither is claimed).
        case signed, expired, renewed
        case termEnded = "term_ended"
        /// An assessment made (kind `assessment`).
        case assessed
    }

    public struct FieldChange: Sendable, Hashable {
        public var field: String
        public var before: String
        public var after: String
    }

    public struct Change: Sendable {
        public var date: Day
        public var change: ChangeKind
        public var kind: EntityKind
        /// The record in force after the change (for `ended`, the record that ended).
        public var key: String
        /// For `changed`: the record it replaced.
        public var previousKey: String?
        public var service: String
        /// For a sub-entrustee: the sub-entrustee (of entrustment `key`); `kind` is `.entrustment`.
        public var record: Record
        public var previous: Record?
        public var fields: [FieldChange]
        /// The sub-entrustee's vendor when the change is a sub-entrustee's start or end.
        public var subEntrustee: String?
        /// Its one-line description (`hikari via tsubame JP [user.name]`).
        var subDetail: String?

        /// `vendor`, `residency`, `entrustment`, `sub_entrustee`, `contract`, `provision`,
        /// `transmission` or `assessment`.
        public var kindName: String {
            if subEntrustee != nil { return "sub_entrustee" }
            return [.signed, .expired, .renewed, .termEnded].contains(change) ? "contract" : kind.rawValue
        }
    }

    /// The kinds whose valid time a diff covers, in the order it lists them on one day.
    public static let kinds: [EntityKind] = [.vendor, .residency, .entrustment, .provision, .transmission]

    public var from: Day
    public var to: Day
    public var changes: [Change]

    /// Builds the diff from every record of `kinds` that started or ended in (`from`, `to`],
    /// and the sub-entrustees of `subEntrustments` whose own valid time starts or ends then.
    /// `contracts`: entrustments whose contract was signed or whose term ended in between;
    /// `assessments`: the assessments made in between.
    public init(
        from: Day, to: Day, records: [EntityKind: [Record]], subEntrustments: [Record] = [], contracts: [Record] = [],
        assessments: [Record] = []
    ) {
        self.from = from
        self.to = to
        func inWindow(_ day: Day?) -> Bool { day.map { from < $0 && $0 <= to } ?? false }
        var changes: [Change] = []
        for kind in Self.kinds {
            let records = records[kind] ?? []
            let starts = records.filter { inWindow($0.day("valid_from")) }
            let ends = records.filter { inWindow($0.day("valid_to")) }
            // Pair an end with a start of the same identity on the same day: the first start,
            // in order, not yet paired and not the same record. Starts are found through an
            // index by identity and day (a scan of every start per end was quadratic: 20 s
            // for a year of the large registry).
            func pairingKey(_ record: Record, day field: String) -> [String] {
                Self.identity(record, kind: kind) + [record.string(field) ?? ""]
            }
            var startsByKey: [[String]: [Int]] = [:]
            for (position, record) in starts.enumerated() { startsByKey[pairingKey(record, day: "valid_from"), default: []].append(position) }
            var paired = Set<Int>()
            var ended: [Record] = []
            for old in ends {
                let candidates = startsByKey[pairingKey(old, day: "valid_to")] ?? []
                guard let match = candidates.first(where: { !paired.contains($0) && starts[$0].key != old.key }) else {
                    ended.append(old)
                    continue
                }
                paired.insert(match)
                let new = starts[match]
                changes.append(
                    Change(
                        date: new.day("valid_from")!, change: .changed, kind: kind, key: new.key ?? "", previousKey: old.key,
                        service: new.string("service") ?? "", record: new, previous: old,
                        fields: Self.fieldChanges(old, new, kind: kind)))
            }
            let started = starts.enumerated().filter { !paired.contains($0.offset) }.map(\.element)
            changes += started.map {
                Change(date: $0.day("valid_from")!, change: .started, kind: kind, key: $0.key ?? "", service: $0.string("service") ?? "", record: $0, fields: [])
            }
            changes += ended.map {
                Change(date: $0.day("valid_to")!, change: .ended, kind: kind, key: $0.key ?? "", service: $0.string("service") ?? "", record: $0, fields: [])
            }
        }
        for entrustment in subEntrustments {
            for sub in entrustment.records("sub_entrustees") {
                for (field, change) in [("valid_from", ChangeKind.started), ("valid_to", .ended)] {
                    guard let day = sub.day(field), inWindow(day) else { continue }
                    let countries = sub.list("countries")
                    let categories = entrustment.list("categories")
                    let vendor: String = sub.string("vendor") ?? ""
                    let via: String = sub.string("via") ?? entrustment.string("vendor") ?? ""
                    let place: String = countries.isEmpty ? "(no country)" : countries.joined(separator: "/")
                    let suffix: String = categories.isEmpty ? "" : " [" + categories.joined(separator: ", ") + "]"
                    let detail = "\(vendor) via \(via) \(place)\(suffix)"
                    changes.append(
                        Change(
                            date: day, change: change, kind: .entrustment, key: entrustment.key ?? "",
                            service: entrustment.string("service") ?? "", record: sub, fields: [],
                            subEntrustee: sub.string("vendor") ?? "", subDetail: detail))
                }
            }
        }
        for entrustment in contracts {
            let contract = entrustment.object("contract") ?? Record()
            let name = contract.string("reference").map { "contract \($0)" } ?? "contract"
            let vendor = entrustment.string("vendor") ?? ""
            var events: [(Day, ChangeKind, String)] = []
            if let signed = contract.day("signed_on"), inWindow(signed) {
                events.append((signed, .signed, "\(name) with \(vendor) signed" + (contract.string("expires_on").map { ", term to \($0)" } ?? "")))
            }
            if let expires = contract.day("expires_on"), inWindow(expires) {
                if contract.string("renewal") == "automatic" {
                    events.append((expires, .renewed, "\(name) with \(vendor) renews automatically at the end of its recorded term; record the new contract.expires_on"))
                } else if ["manual", "none"].contains(contract.string("renewal") ?? "") == false {
                    events.append((expires, .termEnded, "\(name) with \(vendor): its recorded term ended, and whether it renews is not recorded (renewal: \(contract.string("renewal") ?? "unknown"))"))
                } else {
                    events.append((expires, .expired, "\(name) with \(vendor) expired (renewal: \(contract.string("renewal") ?? "none"))"))
                }
            }
            for (day, change, detail) in events {
                changes.append(
                    Change(
                        date: day, change: change, kind: .entrustment, key: entrustment.key ?? "",
                        service: entrustment.string("service") ?? "", record: entrustment, fields: [], subDetail: detail))
            }
        }
        for assessment in assessments {
            guard let day = assessment.day("assessed_on"), inWindow(day) else { continue }
            let subject = assessment.string("organization").map { "organization " + $0 } ?? "vendor " + (assessment.string("vendor") ?? "")
            let detail = "\(assessment.string("template") ?? "") of \(subject) by \(assessment.string("assessor") ?? ""), next review \(assessment.string("next_review_on") ?? "")"
            changes.append(
                Change(
                    date: day, change: .assessed, kind: .assessment, key: assessment.key ?? "", service: "",
                    record: assessment, fields: [], subDetail: detail))
        }
        // a sub-entrustee right after its entrustment on the same day, then its contract events
        let order = Dictionary(uniqueKeysWithValues: Self.kinds.enumerated().map { ($1, 3 * $0) })
        func rank(_ change: Change) -> Int {
            guard let base = order[change.kind] else { return 3 * Self.kinds.count }
            return base + (change.subEntrustee != nil ? 1 : change.kindName == "contract" ? 2 : 0)
        }
        self.changes = changes.sorted {
            ($0.date, rank($0), $0.key, $0.subEntrustee ?? "", $0.change.rawValue)
                < ($1.date, rank($1), $1.key, $1.subEntrustee ?? "", $1.change.rawValue)
        }
    }

    static func identity(_ record: Record, kind: EntityKind) -> [String] {
        let fields: [String]
        switch kind {
        case .residency: fields = ["service", "vendor", "role"]
        case .entrustment: fields = ["service", "vendor"]
        // a vendor is itself: an end and a start of two vendors are not one change
        case .vendor: fields = ["key"]
        case .provision: fields = ["service", "recipient"]
        default: fields = ["service", "recipient", "tool"]
        }
        return fields.map { record.string($0) ?? "" }
    }

    static func fieldChanges(_ old: Record, _ new: Record, kind: EntityKind) -> [FieldChange] {
        kind.schema.fields.compactMap { field in
            guard !["key", "valid_from", "valid_to"].contains(field.name) else { return nil }
            let before = Self.text(old[field.name])
            let after = Self.text(new[field.name])
            return before == after ? nil : FieldChange(field: field.name, before: before, after: after)
        }
    }

    static func text(_ value: Value?) -> String {
        switch value {
        case .object(let record):
            return record.values.keys.sorted().map { "\($0)=\(text(record[$0]))" }.joined(separator: " ")
        case .list(let list): return list.joined(separator: ", ")
        default: return Listing.cell(value)
        }
    }

    /// One line saying what a record is: `persona aws storage JP aws/ap-northeast-1 [user.name, …]`.
    static func describe(_ record: Record, kind: EntityKind) -> String {
        let categories = record.list("categories")
        let suffix = categories.isEmpty ? "" : " [" + categories.joined(separator: ", ") + "]"
        switch kind {
        case .residency:
            let place: String
            if let country = record.string("country") {
                place = country + (record.string("region").map { " " + $0 } ?? "")
            } else {
                let candidates = record.object("undisclosed")?.list("candidates") ?? []
                place = candidates.isEmpty ? "undisclosed" : "undisclosed (" + candidates.joined(separator: "/") + "?)"
            }
            return "\(record.string("vendor") ?? "") \(record.string("role") ?? "") \(place)" + suffix
        case .entrustment:
            return "entrusted to \(record.string("vendor") ?? "")" + suffix
        case .vendor:
            return "\(record.string("legal_name") ?? "") (\(record.string("headquarters") ?? "")) \(record.list("kinds").joined(separator: ", "))"
        case .provision:
            return "provided to \(record.string("recipient") ?? "") (\(record.string("recipient_country") ?? "")) on \(record.string("basis") ?? "")" + suffix
        default:
            return "\(record.string("tool") ?? "") → \(record.string("recipient") ?? "")"
                + (record.string("recipient_country").map { " (\($0))" } ?? "") + suffix
        }
    }

    /// What the change is, in one line, as `diff` prints it (the table's and the CSV's `detail`).
    public func detail(_ change: Change) -> String {
        switch change.change {
        case .started, .ended: return change.subDetail ?? Self.describe(change.record, kind: change.kind)
        case .changed: return change.fields.map(Self.fieldText).joined(separator: "; ")
        case .signed, .expired, .renewed, .termEnded, .assessed: return change.subDetail ?? ""
        }
    }

    static func fieldText(_ field: FieldChange) -> String {
        "\(field.field): \(field.before.isEmpty ? "(none)" : field.before) → \(field.after.isEmpty ? "(none)" : field.after)"
    }

    // MARK: Rendering

    public func render(_ format: ListingFormat) -> String {
        switch format {
        case .csv:
            let columns = ["date", "change", "kind", "key", "previous_key", "service", "detail"]
            let rows = changes.map { [$0.date.description, $0.change.rawValue, $0.kindName, $0.key, $0.previousKey ?? "", $0.service, detail($0)] }
            return Listing(columns: columns, rows: rows).csv()
        case .table:
            if changes.isEmpty { return "no vendor, residency, entrustment, sub-entrustee, provision or transmission started, ended or changed, no contract signed, renewed or expired, and no assessment made after \(from) up to \(to)\n" }
            // a change shows one line per field, so no detail is cut off
            let columns = ["date", "change", "kind", "key", "service", "detail"]
            let rows = changes.flatMap { change -> [[String]] in
                let key = change.previousKey.map { "\(change.key) (was \($0))" } ?? change.key
                let first = [change.date.description, change.change.rawValue, change.kindName, key, change.service]
                guard change.change == .changed, !change.fields.isEmpty else { return [first + [detail(change)]] }
                return change.fields.enumerated().map { index, field in
                    (index == 0 ? first : ["", "", "", "", ""]) + [Self.fieldText(field)]
                }
            }
            return Listing(columns: columns, rows: rows).table()
        case .json:
            return JSONOutput.text(output)
        }
    }
}
