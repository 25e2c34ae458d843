import DomicileCore
import Foundation

/// Ending records with what depends on them (issue 11 point 4): a vendor is not ended while
/// records naming it are still in force, unless they are ended with it (`cascade`), and an
/// entrustment ends its sub-entrustees. Every record is written through the importer (the
/// same validation and audit as any write) inside one `write` transaction.
extension Store {
    /// A record that holds on or after a day: `residency/persona-aws-tokyo`,
    /// `sub_entrustee/hikari-mail of persona-support-desk`.
    public struct Dependent: Sendable, Hashable, CustomStringConvertible {
        public let kind: String
        public let key: String
        /// For a sub-entrustee: its entrustment.
        public let entrustment: String?
        public let validFrom: String?

        public var description: String {
            entrustment.map { "sub-entrustee \(key) of entrustment \($0)" } ?? "\(kind) \(key)"
        }
    }

    /// True when a record with this valid time still holds on `day` or later.
    static func holds(on day: Day, validTo: Day?) -> Bool { validTo.map { $0 > day } ?? true }

    /// The records naming vendor `key` that hold on `day` or later: residencies, entrustments,
    /// provisions and transmissions, and its sub-entrusteeships (an entrustment's sub-entrustee
    /// holds at most as long as its entrustment).
    public func dependents(ofVendor key: String, on day: Day) throws -> [Dependent] {
        var found: [Dependent] = []
        for (kind, field) in [(EntityKind.residency, "vendor"), (.entrustment, "vendor"), (.provision, "recipient"), (.transmission, "recipient")] {
            for record in try records(kind) where record.string(field) == key && Self.holds(on: day, validTo: record.day("valid_to")) {
                found.append(Dependent(kind: kind.rawValue, key: record.key ?? "", entrustment: nil, validFrom: record.string("valid_from")))
            }
        }
        for entrustment in try records(.entrustment) where Self.holds(on: day, validTo: entrustment.day("valid_to")) {
            for sub in entrustment.records("sub_entrustees") where sub.string("vendor") == key {
                guard Self.holds(on: day, validTo: sub.day("valid_to")) else { continue }
                found.append(Dependent(kind: "sub_entrustee", key: key, entrustment: entrustment.key, validFrom: sub.string("valid_from")))
            }
        }
        return found
    }

    /// Ends vendor `key` on `day`. Without `cascade`, refuses (exit 2) while records naming it
    /// hold on or after the day, listing them; with it, ends them all on the same day, in the
    /// same transaction, then the vendor. Returns what was ended besides the vendor.
    @discardableResult
    public func endVendor(_ key: String, on day: Day, cascade: Bool, actor: String) throws -> [Dependent] {
        try write(actor: actor) { _ in
            guard var vendor = try record(.vendor, key: key) else {
                throw InputError(Issue(code: "input.unknown_vendor", field: "key", value: key, message: "vendor '\(key)' does not exist"))
            }
            if let ended = vendor.string("valid_to") {
                throw InputError(Issue(code: "input.already_ended", field: "valid_to", value: ended, message: "vendor '\(key)' already ended on \(ended); use `domicile vendor edit \(key) --valid-to DATE` to correct it"))
            }
            let dependents = try dependents(ofVendor: key, on: day)
            if !dependents.isEmpty, !cascade {
                throw InputError(Issue(code: "input.vendor_in_use", field: "key", value: key, message: "vendor '\(key)' cannot end on \(day): \(dependents.count == 1 ? "this record still holds" : "these records still hold") then: \(dependents.map(\.description).joined(separator: ", ")); end \(dependents.count == 1 ? "it" : "them") first, or repeat with --cascade to end \(dependents.count == 1 ? "it" : "them") on the same day"))
            }
            // a record starting on or after the day cannot end then: it must be corrected by hand
            let later = dependents.filter { $0.validFrom.flatMap(Day.init).map { $0 >= day } ?? false }
            if !later.isEmpty {
                throw InputError(Issue(code: "input.starts_after_end", field: "on", value: day.description, message: "vendor '\(key)' cannot end on \(day) with --cascade: \(later.map { "\($0) starts on \($0.validFrom ?? "?")" }.joined(separator: ", ")), not before; end or correct \(later.count == 1 ? "it" : "them") first"))
            }
            let importer = Importer(store: self)
            func save(_ record: Record, _ kind: EntityKind) throws {
                try importer.run(RegistryDocument(records: [kind: [record]]), actor: actor)
            }
            var entrustmentsDone = Set<String>()
            for dependent in dependents where dependent.kind != "sub_entrustee" {
                let kind = EntityKind(rawValue: dependent.kind)!
                guard var record = try record(kind, key: dependent.key) else { continue }
                record["valid_to"] = .string(day.description)
                if kind == .entrustment {
                    record = try Self.endingSubEntrustees(of: record, on: day)
                    entrustmentsDone.insert(dependent.key)
                }
                try save(record, kind)
            }
            for dependent in dependents where dependent.kind == "sub_entrustee" {
                guard let entrustmentKey = dependent.entrustment, !entrustmentsDone.contains(entrustmentKey),
                    var entrustment = try record(.entrustment, key: entrustmentKey)
                else { continue }
                entrustment["sub_entrustees"] = .records(entrustment.records("sub_entrustees").map { sub in
                    var sub = sub
                    if sub.string("vendor") == key { sub["valid_to"] = .string(day.description) }
                    return sub
                })
                try save(entrustment, .entrustment)
            }
            vendor["valid_to"] = .string(day.description)
            try save(vendor, .vendor)
            return dependents
        }
    }

    /// Ends entrustment `key` on `day` with every sub-entrustee that would hold on or after it.
    /// Returns the sub-entrustees ended.
    @discardableResult
    public func endEntrustment(_ key: String, on day: Day, actor: String) throws -> [String] {
        try write(actor: actor) { _ in
            guard var entrustment = try record(.entrustment, key: key) else {
                throw InputError(Issue(code: "input.unknown_entrustment", field: "key", value: key, message: "entrustment '\(key)' does not exist"))
            }
            if let ended = entrustment.string("valid_to") {
                throw InputError(Issue(code: "input.already_ended", field: "valid_to", value: ended, message: "entrustment '\(key)' already ended on \(ended); use `domicile entrust edit \(key) --valid-to DATE` to correct it"))
            }
            let before = entrustment.records("sub_entrustees")
            entrustment["valid_to"] = .string(day.description)
            entrustment = try Self.endingSubEntrustees(of: entrustment, on: day)
            try Importer(store: self).run(RegistryDocument(records: [.entrustment: [entrustment]]), actor: actor)
            return zip(before, entrustment.records("sub_entrustees")).compactMap { old, new in
                old.string("valid_to") == new.string("valid_to") ? nil : new.string("vendor")
            }
        }
    }

    /// `entrustment` with each sub-entrustee that holds on or after `day` ended on `day`;
    /// refuses one that only starts on or after it (it cannot end before it starts).
    static func endingSubEntrustees(of entrustment: Record, on day: Day) throws -> Record {
        var entrustment = entrustment
        var later: [String] = []
        entrustment["sub_entrustees"] = .records(entrustment.records("sub_entrustees").map { sub in
            var sub = sub
            guard holds(on: day, validTo: sub.day("valid_to")) else { return sub }
            if let from = sub.day("valid_from"), from >= day {
                later.append("\(sub.string("vendor") ?? "?") (from \(from))")
                return sub
            }
            sub["valid_to"] = .string(day.description)
            return sub
        })
        if !later.isEmpty {
            throw InputError(Issue(code: "input.starts_after_end", field: "on", value: day.description, message: "entrustment '\(entrustment.key ?? "")' cannot end on \(day): its sub-entrustee\(later.count == 1 ? "" : "s") \(later.joined(separator: ", ")) would start after it ended; correct \(later.count == 1 ? "it" : "them") first"))
        }
        return entrustment
    }
}
