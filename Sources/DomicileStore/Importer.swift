import DomicileCore
import Foundation
import Postgres

/// What an import adds and changes; unchanged records are only counted.
public struct ImportPlan: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public let kind: EntityKind
        public let key: String
        /// Empty for an added record; the differing fields for a changed one.
        public let fields: [String]
    }

    public var added: [Change] = []
    public var changed: [Change] = []
    public var unchanged = 0
    /// Records that differ from the file but were left as they are (an add-only load, such
    /// as `domicile seed`, keeps what people have edited since).
    public var kept: [Change] = []

    public var isEmpty: Bool { added.isEmpty && changed.isEmpty }

    public var summary: String {
        "\(added.count) added, \(changed.count) changed, \(unchanged) unchanged"
            + (kept.isEmpty ? "" : ", \(kept.count) kept as edited")
    }
}

/// Loads a registry file all-or-nothing: every record is validated against the
/// reference data, the registry and the rest of the file; any issue stops the import
/// before anything is written, and every issue is reported.
public struct Importer {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Parses `data` as YAML, or as CSV when `file` ends in `.csv` (the section from `kind`
    /// or the file name). Throws `InputError` when nothing could be read (not UTF-8, malformed
    /// YAML, a bad CSV header); problems of single records travel in `document.issues` and
    /// `plan` reports them with the validation issues.
    public static func parse(_ data: [UInt8], file: String, kind: EntityKind? = nil) throws -> (RegistryDocument, Set<EntityKind>) {
        if file.lowercased().hasSuffix(".csv") { return try parseCSV(data, file: file, section: kind.map { SheetSection($0) }) }
        let text = try RegistryText.decode(data, file: file)
        var (document, issues) = RegistryYAML.parse(text, file: file)
        if !issues.isEmpty, document.count == 0 { throw InputError(issues) }
        if document.count == 0 {
            throw InputError(Issue(code: "input.no_records", field: "file", value: file, message: "\(file) holds no records (it is empty, or only comments or empty sections); nothing to import", location: file))
        }
        document.issues = issues
        return (document, [])
    }

    /// Validates `document` and works out what it would add and change. Throws `InputError`
    /// with every issue found.
    /// - Parameter partialKinds: kinds read from a format that omits some fields (CSV); those
    ///   fields keep their stored values.
    /// - Parameter addOnly: add missing records but leave differing stored ones as they are.
    /// - Parameter allowFactChanges: accept changes to what a fact is (`EntitySchema.factFields`),
    ///   which rewrite the past; without it they are refused.
    public func plan(
        _ document: RegistryDocument, partialKinds: Set<EntityKind> = [], addOnly: Bool = false, allowFactChanges: Bool = false
    ) throws -> (ImportPlan, [(EntityKind, Record)]) {
        var document = try completingPartial(try completingNested(document), partialKinds: partialKinds)
        var index = try store.referenceIndex()
        index.add(document)
        let validator = Validator(index: index)
        var issues = IssueList(document.issues)
        issues += try resolveNames(in: &document, index: index)
        var plan = ImportPlan()
        var writes: [(EntityKind, Record)] = []
        for kind in RegistryDocument.order {
            var records = document[kind]
            guard !records.isEmpty else { continue }
            if kind == .category {
                // parents before children, whatever the file's order
                records = records.enumerated().sorted { lhs, rhs in
                    let depths = ((lhs.element.key ?? "").filter { $0 == "." }.count, (rhs.element.key ?? "").filter { $0 == "." }.count)
                    return depths.0 != depths.1 ? depths.0 < depths.1 : lhs.offset < rhs.offset
                }.map(\.element)
            }
            // Only the stored records the file names: the plan's memory follows the file.
            let existing = try store.recordsByKey(kind, keys: records.compactMap(\.key))
            if kind == .vendor {
                // an add-only load writes only vendors that do not exist yet
                let written = addOnly ? records.filter { existing[$0.key ?? ""] == nil } : records
                issues += Self.duplicateLegalNames(written, existing: try store.vendorLegalNames())
            }
            var seen: [String: String] = [:]
            for original in records {
                var record = validator.normalize(original, kind: kind)
                var recordIssues = validator.validate(record, kind: kind)
                if kind == .provision {
                    recordIssues += Self.retentionIssues(record, stored: record.key.flatMap { existing[$0] })
                }
                issues += recordIssues
                guard let key = record.key, recordIssues.isEmpty else { continue }
                if let first = seen[key] {
                    issues.append(Issue(code: "input.duplicate_key", field: "key", value: key, message: "\(kind.rawValue) '\(key)' appears twice in the file (first at \(first))", location: original.location(of: "key")))
                    continue
                }
                seen[key] = original.location ?? "?"
                let stored = existing[key]
                if partialKinds.contains(kind), let stored {
                    for field in RegistryCSV.uncoveredFields(for: kind) + document.absentColumns.sorted() { record[field] = stored[field] }
                }
                switch stored {
                case nil:
                    plan.added.append(.init(kind: kind, key: key, fields: []))
                    writes.append((kind, record))
                case let stored? where addOnly:
                    // An add-only load (seed) leaves stored records exactly as they are.
                    if stored == record {
                        plan.unchanged += 1
                    } else {
                        plan.kept.append(.init(kind: kind, key: key, fields: kind.schema.fieldNames.filter { stored[$0] != record[$0] }))
                    }
                case let stored? where kind == .assessment && !Self.keepsAnswers(of: stored, in: record):
                    let lost = Set(stored.records("answers").compactMap { $0.string("item") }).subtracting(record.records("answers").compactMap { $0.string("item") })
                    issues.append(Issue(code: "input.answer_removed", field: "answers", value: key, message: "assessment '\(key)' would lose its answers to \(lost.sorted().joined(separator: ", ")); answers are evidence and are not removed: give them in the file, or change an answer's status (e.g. not_applicable with a note)", location: original.location(of: "answers") ?? original.location))
                case let stored? where kind == .provision && !Self.keepsRecords(of: stored, in: record):
                    issues.append(Issue(code: "input.provision_record_removed", field: "records", value: key, message: "provision '\(key)' would lose provision records; records are kept for their retention period (APPI Art. 29) and cannot be removed, only corrected", location: original.location(of: "records") ?? original.location))
                case let stored? where stored != record:
                    let fields = kind.schema.fieldNames.filter { stored[$0] != record[$0] }
                    let rewritten = EntitySchema.factFields(of: kind).filter(fields.contains)
                    if !allowFactChanges, !rewritten.isEmpty {
                        let since = stored.string("valid_from").map { " since \($0)" } ?? ""
                        let command = kind == .entrustment ? "entrust" : kind.rawValue
                        issues.append(
                            Issue(
                                code: "input.rewrites_history", field: rewritten.joined(separator: ", "), value: key,
                                message: "changing \(rewritten.joined(separator: ", ")) of \(kind.rawValue) '\(key)' would rewrite what the registry says held\(since); to record a change, end it (`domicile \(command) end \(key) --on DATE`, or valid_to in a file) and add a new \(kind.rawValue); if the recorded value was wrong from the start, repeat with --correction",
                                location: original.location))
                        continue
                    }
                    plan.changed.append(.init(kind: kind, key: key, fields: fields))
                    writes.append((kind, record))
                default:
                    plan.unchanged += 1
                }
            }
        }
        // An ambiguous name is reported once, not again as unknown.
        let ambiguous = Set(issues.kept.filter { $0.code.hasPrefix("input.ambiguous_") }.map { "\($0.location ?? "")|\($0.value ?? "")" })
        issues.removeAll { $0.code.hasPrefix("input.unknown_") && ambiguous.contains("\($0.location ?? "")|\($0.value ?? "")") }
        if !issues.isEmpty {
            var error = InputError(issues)
            error.omitted += document.omittedIssues
            throw error
        }
        return (plan, writes)
    }

    /// Lets a file name a vendor or service the way the command line does: by key, or
    /// case-insensitively by key, legal name (name) or alias, of the registry or of the file.
    /// A name that fits several is reported with the candidates; one that fits none is left
    /// for validation to report with a suggestion.
    func resolveNames(in document: inout RegistryDocument, index: ReferenceIndex) throws -> [Issue] {
        var names: [EntityKind: [String: Set<String>]] = [:]
        for (kind, nameFields) in [(EntityKind.vendor, ["legal_name"]), (.service, ["name"])] {
            let fileKeys = Set(document[kind].compactMap(\.key))
            for (key, labels) in try store.nameLabels(kind) where !fileKeys.contains(key) {
                for label in labels { names[kind, default: [:]][label.lowercased(), default: []].insert(key) }
            }
            for record in document[kind] {
                guard let key = record.key else { continue }
                let labels = [key] + nameFields.compactMap { record.string($0) } + (kind == .vendor ? record.list("aliases") : [])
                for label in labels { names[kind, default: [:]][label.lowercased(), default: []].insert(key) }
            }
        }
        var issues: [Issue] = []
        func resolve(_ record: Record, schema: EntitySchema) -> Record {
            var record = record
            for field in schema.fields {
                switch (field.type, record[field.name]) {
                case (.reference(let kind), .string(let text)?) where names[kind] != nil:
                    record[field.name] = .string(key(text, kind: kind, field: field.name, record: record))
                case (.references(let kind), .list(let texts)?) where names[kind] != nil:
                    record[field.name] = .list(texts.map { key($0, kind: kind, field: field.name, record: record) })
                case (.records(let nested), .records(let items)?):
                    record[field.name] = .records(items.map { resolve($0, schema: nested) })
                default:
                    break
                }
            }
            return record
        }
        func key(_ text: String, kind: EntityKind, field: String, record: Record) -> String {
            if index.contains(kind, text) { return text }
            let matches = names[kind]?[text.lowercased()] ?? []
            if matches.count > 1 {
                issues.append(Issue(code: "input.ambiguous_\(kind.rawValue)", field: field, value: text, message: "\(field) '\(text)' is ambiguous: it names \(kind.rawValue)s \(matches.sorted().joined(separator: ", ")); use the key", location: record.location(of: field)))
                return text
            }
            return matches.first ?? text
        }
        for kind in RegistryDocument.order {
            document[kind] = document[kind].map { resolve($0, schema: kind.schema) }
        }
        return issues
    }

    /// Vendors' legal names are unique ignoring case (the database enforces it too): report
    /// every clash, with the file's own records and the stored ones, before anything is written.
    /// - Parameter existing: every stored vendor's key and legal name.
    static func duplicateLegalNames(_ records: [Record], existing: [(key: String, legalName: String?)]) -> [Issue] {
        var owner: [String: String] = [:]  // lower-cased legal name → vendor key
        let incomingKeys = Set(records.compactMap(\.key))
        for (key, legalName) in existing where !incomingKeys.contains(key) {
            if let name = legalName { owner[name.lowercased()] = key }
        }
        var issues: [Issue] = []
        for record in records {
            guard let key = record.key, let name = record.string("legal_name") else { continue }
            if let other = owner[name.lowercased()], other != key {
                issues.append(Issue(code: "input.duplicate_legal_name", field: "legal_name", value: name, message: "vendor '\(key)': legal_name '\(name)' is already the legal name of vendor '\(other)'; legal names are unique (ignoring case): use that vendor, or add the name as one of its aliases", location: record.location(of: "legal_name")))
            } else {
                owner[name.lowercased()] = key
            }
        }
        return issues
    }

    /// A provision record must be kept at least `retention_years` after it was made, and at
    /// least the period of PPC Rules Art. 21 for the way it was made (`Compliance.requiredRetention`). Checked for records that are new or whose `retain_until` changes, so
    /// raising `retention_years` later does not make older records invalid.
    static func retentionIssues(_ record: Record, stored: Record?) -> [Issue] {
        let years = record.int("retention_years") ?? 3
        let before = Dictionary(
            (stored?.records("records") ?? []).map { ("\($0.string("provided_on") ?? "")|\($0.string("data_subjects") ?? "")", $0.string("retain_until")) },
            uniquingKeysWith: { first, _ in first })
        var issues: [Issue] = []
        for item in record.records("records") {
            let identity = "\(item.string("provided_on") ?? "")|\(item.string("data_subjects") ?? "")"
            if let old = before[identity], old == item.string("retain_until") { continue }
            guard let provided = item.day("provided_on"), let until = item.day("retain_until") else { continue }
            let required = Compliance.requiredRetention(
                method: item.string("method") ?? "each", providedOn: provided, lastProvidedOn: item.day("last_provided_on"),
                retentionYears: years)
            guard let minimum = required.until else {
                issues.append(Issue(code: "input.invalid_provided_on", field: "records.provided_on", value: provided.description, message: "records.provided_on \(provided) leaves no room for \(years) year(s) of retention before 9999-12-31", location: item.location(of: "provided_on")))
                continue
            }
            if until < minimum {
                issues.append(Issue(code: "input.retention_too_short", field: "records.retain_until", value: until.description, message: "records.retain_until \(until) is before \(minimum): the record must be kept \(required.reason) (APPI Art. 29(2))", location: item.location(of: "retain_until")))
            }
        }
        return issues
    }

    /// Whether every stored answer (by item) is still in `record`.
    static func keepsAnswers(of stored: Record, in record: Record) -> Bool {
        Set(stored.records("answers").compactMap { $0.string("item") }).isSubset(of: Set(record.records("answers").compactMap { $0.string("item") }))
    }

    /// Whether every stored provision record (by day and data subjects) is still in `record`.
    static func keepsRecords(of stored: Record, in record: Record) -> Bool {
        func identity(_ item: Record) -> String { (item.string("provided_on") ?? "") + "\u{1F}" + (item.string("data_subjects") ?? "") }
        return Set(stored.records("records").map(identity)).isSubset(of: Set(record.records("records").map(identity)))
    }

    /// Validates and, unless `dryRun`, writes the document in one transaction attributed to
    /// `actor`. `progress` is called after each record written (done, total).
    @discardableResult
    public func run(
        _ document: RegistryDocument, partialKinds: Set<EntityKind> = [], actor: String, dryRun: Bool = false,
        addOnly: Bool = false, allowFactChanges: Bool = false, progress: ((Int, Int) -> Void)? = nil
    ) throws -> ImportPlan {
        if dryRun { return try plan(document, partialKinds: partialKinds, addOnly: addOnly, allowFactChanges: allowFactChanges).0 }
        // Planned under the write lock, so the comparison with stored records still holds
        // when they are written.
        return try store.write(actor: actor) { _ in
            let (plan, writes) = try plan(document, partialKinds: partialKinds, addOnly: addOnly, allowFactChanges: allowFactChanges)
            let added = Set(plan.added.map { "\($0.kind.rawValue)/\($0.key)" })
            func isAdded(_ write: (EntityKind, Record)) -> Bool {
                Store.batchKinds.contains(write.0) && added.contains("\(write.0.rawValue)/\(write.1.key ?? "")")
            }
            var done = 0
            var index = 0
            while index < writes.count {
                let kind = writes[index].0
                if isAdded(writes[index]) {
                    // New records of a kind go in batches of a few statements each.
                    var batch: [Record] = []
                    while index < writes.count, batch.count < Self.batchSize, writes[index].0 == kind, isAdded(writes[index]) {
                        batch.append(writes[index].1)
                        index += 1
                    }
                    try insert(batch, kind: kind)
                    done += batch.count
                } else {
                    try save(writes[index].1, kind: kind)
                    index += 1
                    done += 1
                }
                progress?(done, writes.count)
            }
            return plan
        }
    }

    /// Records per batch of new records.
    static let batchSize = 500

    /// Inserts new records in one batch; when the database refuses the batch, writes them one by
    /// one instead, so the refusal names the record.
    func insert(_ batch: [Record], kind: EntityKind) throws {
        do {
            try store.connection.transaction { _ in try store.insertNew(batch, kind: kind) }
        } catch let error as PostgresError where error.kind == .server && error.isIntegrityViolation {
            for record in batch { try save(record, kind: kind) }
            throw error
        }
    }

    func save(_ record: Record, kind: EntityKind) throws {
        do {
            try store.save(record, kind: kind)
        } catch let error as PostgresError where error.kind == .server && error.isIntegrityViolation {
            // The schema caught what validation did not: report it against the record.
            throw InputError(Issue(code: "input.rejected_by_database", field: error.column ?? error.constraint ?? kind.rawValue, value: record.key, message: "\(kind.rawValue) '\(record.key ?? "")' was refused: \(error.message)" + (error.detail.map { ": \($0)" } ?? "") + (error.constraint.map { " (constraint \($0))" } ?? ""), location: record.location))
        }
    }
}
