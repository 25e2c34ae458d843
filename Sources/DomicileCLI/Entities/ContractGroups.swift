import ArgumentParser
import DomicileCore
import DomicileStore

// Entrustments, provisions and assessments: records with nested lists (sub-entrustees,
// provision records, checklist answers), each with a command to add to that list.

// MARK: entrust

enum EntrustmentGroup: EntityGroup {
    static let kind = EntityKind.entrustment
    static let name = "entrust"
    static let listColumns = ["key", "service", "vendor", "categories", "reentrustment", "valid_to"]
    static let addExample = #"domicile entrust add persona-support --service persona --vendor tsubame-support --categories user.name,user.contact.email --purposes customer-support --contract-reference SSA-2021-014 --contract-signed-on 2021-03-15 --contract-expires-on 2027-03-31 --dpa-signed-on 2021-03-15 --reentrustment prior_approval --valid-from 2021-04-01"#
    static let editExample = #"domicile entrust edit persona-support --contract-expires-on 2028-03-31 --dpa-expires-on 2028-03-31"#
}

struct EntrustSubAdd: RecordChangeCommand {
    static let configuration = CommandConfiguration(
        commandName: "sub-add",
        abstract: "Add or update a sub-entrustee of an entrustment (any depth, via --via).",
        discussion: """
            Without --valid-from it holds since the entrustment began; with it,
            `where --as-of` follows it from that day and `diff` lists its start.
            `entrust sub-end` ends it.

            Examples:
            \(wrapExample("domicile entrust sub-add persona-support-desk --vendor hikari-mail --countries JP --work \"Bulk email delivery\" --approved-on 2021-03-25"))
            \(wrapExample("domicile entrust sub-add persona-support-desk --vendor sendgrid --via hikari-mail --countries US --valid-from 2026-09-01"))
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: ArgumentHelp("The entrustment.", valueName: "key")) var key: String
    @Option(help: "Sub-entrustee vendor (key, legal name or alias).") var vendor: String
    @Option(help: "The vendor it works for (default: the entrustee).") var via: String?
    @Option(help: "Countries where it handles the data, comma-separated.") var countries: String?
    @Option(help: "The re-entrusted work.") var work: String?
    @Option(name: .customLong("approved-on"), help: "Day it was approved.") var approvedOn: String?
    @Option(name: .customLong("valid-from"), help: "First day it handles the data (default: since the entrustment began).") var validFrom: String?

    func change(_ store: Store) throws -> String {
        var (key, record) = try store.existingRecord(.entrustment, self.key)
        let vendorKey = try store.resolveKey(.vendor, vendor, field: "vendor")
        let existing = record.records("sub_entrustees").first { $0.string("vendor") == vendorKey }
        if let ended = existing?.string("valid_to") {
            throw InputError(Issue(code: "input.already_ended", field: "sub_entrustees.valid_to", value: ended, message: "sub-entrustee '\(vendorKey)' of entrustment '\(key)' ended on \(ended) and cannot be added again to the same entrustment; to correct its dates, change valid_from/valid_to in a registry file and import it"))
        }
        var sub = FieldValues()
        sub["vendor"] = vendorKey
        sub["via"] = try via.map { try store.resolveKey(.vendor, $0, field: "via") }
        sub.list("countries", countries)
        sub["work"] = work
        sub["approved_on"] = approvedOn
        sub["valid_from"] = validFrom ?? existing?.string("valid_from")
        var subs = record.records("sub_entrustees").filter { $0.string("vendor") != vendorKey }
        subs.append(Record(sub.values))
        record["sub_entrustees"] = .records(subs)
        _ = try saveRecord(record, kind: .entrustment, store: store, actor: actor.resolved)
        return "sub-entrustee \(vendorKey) recorded on entrustment \(key)"
    }
}

struct EntrustSubEnd: RecordChangeCommand {
    static let configuration = CommandConfiguration(
        commandName: "sub-end",
        abstract: "End a sub-entrustee of an entrustment (sets its valid_to; nothing is deleted).",
        discussion: """
            The sub-entrustee stays on the entrustment, and `where --transitive
            --as-of` answers with it for the days it was in force; `diff` lists
            its end.

            Examples:
              domicile entrust sub-end persona-support-desk --vendor hikari-mail
            \(wrapExample("domicile entrust sub-end persona-support-desk --vendor hikari-mail --on 2026-06-30"))
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: ArgumentHelp("The entrustment.", valueName: "key")) var key: String
    @Option(help: "The sub-entrustee's vendor (key, legal name or alias).") var vendor: String
    @Option(help: ArgumentHelp("First day it no longer holds (default: today).", valueName: "date")) var on: String?

    func change(_ store: Store) throws -> String {
        var (key, record) = try store.existingRecord(.entrustment, self.key)
        let vendorKey = try store.resolveKey(.vendor, vendor, field: "vendor")
        var subs = record.records("sub_entrustees")
        guard let index = subs.firstIndex(where: { $0.string("vendor") == vendorKey }) else {
            let listed = subs.compactMap { $0.string("vendor") }
            throw InputError(Issue(code: "input.unknown_vendor", field: "vendor", value: vendorKey, message: "vendor '\(vendorKey)' is not a sub-entrustee of entrustment '\(key)'" + (listed.isEmpty ? "; it has none" : "; its sub-entrustees are: " + listed.joined(separator: ", "))))
        }
        if let ended = subs[index].string("valid_to") {
            throw InputError(Issue(code: "input.already_ended", field: "sub_entrustees.valid_to", value: ended, message: "sub-entrustee '\(vendorKey)' of entrustment '\(key)' already ended on \(ended); to correct it, change its valid_to in a registry file and import it"))
        }
        let day = on ?? Day.today.description
        subs[index]["valid_to"] = .string(day)
        record["sub_entrustees"] = .records(subs)
        _ = try saveRecord(record, kind: .entrustment, store: store, actor: actor.resolved)
        return "ended sub-entrustee \(vendorKey) of entrustment \(key) on \(day)"
    }
}

struct EntrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entrust",
        abstract: "Entrustments (APPI Art. 25): service → vendor, purposes, categories, contract/DPA, sub-entrustees.",
        subcommands: [AddCommand<EntrustmentGroup>.self, EditCommand<EntrustmentGroup>.self, ShowCommand<EntrustmentGroup>.self, ListCommand<EntrustmentGroup>.self, EntrustEnd.self, EntrustSubAdd.self, EntrustSubEnd.self])
}

// MARK: provision

enum ProvisionGroup: EntityGroup {
    static let kind = EntityKind.provision
    static let name = "provision"
    static let listColumns = ["key", "service", "recipient", "basis", "recipient_country", "valid_to"]
    static let addExample = #"domicile provision add persona-police --service persona --recipient tokyo-police --basis legal_exception --legal-exception "Art. 27(1)(i): required by law" --purpose "Criminal investigation" --categories user.name,user.contact.email --recipient-country JP"#
    static let editExample = #"domicile provision edit persona-police --retention-years 5"#
}

struct ProvisionRecordAdd: RecordChangeCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-add",
        abstract: "Record one provision (APPI Art. 29 record) on a provision.",
        discussion: """
            Example:
            \(wrapExample("domicile provision record-add persona-police --provided-on 2025-06-02 --data-subjects \"1 member (ID 4711)\" --items \"name, email\" --retain-until 2028-06-02"))
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: ArgumentHelp("The provision.", valueName: "key")) var key: String
    @Option(name: .customLong("provided-on"), help: "Day of provision.") var providedOn: String
    @Option(name: .customLong("data-subjects"), help: "Who the data is about.") var dataSubjects: String
    @Option(help: "Data items provided.") var items: String
    @Option(name: .customLong("consent-reference"), help: "Where the consent is recorded.") var consentReference: String?
    @Option(name: .customLong("retain-until"), help: "Keep the record until (default: the day PPC Rules Art. 21 and the provision's retention years require).") var retainUntil: String?
    @Option(help: "How the record is made (PPC Rules Art. 19): each (each provision, default), batch (continuous or repeated provision) or contract (a contract substitutes for the record).") var method: String?
    @Option(name: .customLong("last-provided-on"), help: "batch or contract: the last provision the record covers (default provided-on).") var lastProvidedOn: String?

    func change(_ store: Store) throws -> String {
        var (key, record) = try store.existingRecord(.provision, self.key)
        var item = FieldValues()
        item["provided_on"] = providedOn
        item["data_subjects"] = dataSubjects
        item["items"] = items
        item["consent_reference"] = consentReference
        item["method"] = method
        item["last_provided_on"] = lastProvidedOn
        let years = record.int("retention_years") ?? 3
        let required = Day(providedOn).map {
            Compliance.requiredRetention(method: method ?? "each", providedOn: $0, lastProvidedOn: lastProvidedOn.flatMap(Day.init), retentionYears: years)
        }
        if retainUntil == nil, let required, required.until == nil {
            throw InputError(Issue(code: "input.invalid_provided_on", field: "provided-on", value: providedOn, message: "provided-on \(providedOn) leaves no room for \(years) year(s) of retention; give --retain-until or check the date"))
        }
        item["retain_until"] = retainUntil ?? required?.until?.description
        if record.records("records").contains(where: { $0.string("provided_on") == providedOn && $0.string("data_subjects") == dataSubjects }) {
            throw InputError(Issue(code: "input.duplicate_value", field: "provided-on", value: providedOn, message: "a provision record of \(providedOn) for '\(dataSubjects)' already exists on \(key); records are kept as made (see `domicile provision show \(key)`)"))
        }
        record["records"] = .records(record.records("records") + [Record(item.values)])
        _ = try saveRecord(record, kind: .provision, store: store, actor: actor.resolved)
        var line = "provision record of \(providedOn) added to \(key)"
        if let required, let until = required.until {
            line += "; it must be kept until \(until): \(required.reason)"
        }
        return line
    }
}

struct ProvisionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision",
        abstract: "Third-party provisions (APPI Arts. 27-30) with their provision records.",
        subcommands: [AddCommand<ProvisionGroup>.self, EditCommand<ProvisionGroup>.self, ShowCommand<ProvisionGroup>.self, ListCommand<ProvisionGroup>.self, EndCommand<ProvisionGroup>.self, ProvisionRecordAdd.self])
}

// MARK: assess

enum AssessmentGroup: EntityGroup {
    static let kind = EntityKind.assessment
    static let name = "assess"
    static let listColumns = ["key", "template", "organization", "vendor", "assessed_on", "next_review_on"]
    static let addExample = #"domicile assess add assign-security-2026 --template appi-security-2022 --organization assign --assessed-on 2026-11-20 --assessor "Privacy office" --next-review-on 2027-11-20"#
    static let editExample = #"domicile assess edit assign-security-2026 --next-review-on 2027-05-20"#
}

struct AssessAnswer: RecordChangeCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer",
        abstract: "Record the answer to one checklist item, with evidence.",
        discussion: """
            met and partial need --evidence. --public-statement and --public-statement-ja
            are the sentences the privacy policy publishes for a met measure (report
            disclosure); without them the measure is not published.

            Example:
            \(wrapExample("domicile assess answer assign-security-2026 --item HUM-1 --status met --evidence \"Annual training records 2026 (LMS export)\""))
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: ArgumentHelp("The assessment.", valueName: "key")) var key: String
    @Option(help: "Checklist item id, e.g. TEC-1.") var item: String
    @Option(help: "One of: \(EntitySchema.answerStatuses.joined(separator: ", ")).") var status: String
    @Option(help: "Evidence: document, record or URL.") var evidence: String?
    @Option(help: "Free note.") var note: String?
    @Option(name: .customLong("public-statement"), help: "The sentence the privacy policy publishes for this measure.") var publicStatement: String?
    @Option(name: .customLong("public-statement-ja"), help: "The same sentence in Japanese.") var publicStatementJa: String?

    func change(_ store: Store) throws -> String {
        var (key, record) = try store.existingRecord(.assessment, self.key)
        let item = try store.resolveOrKeep(.checklistItem(template: record.string("template")), self.item, field: "item")
        var answer = FieldValues()
        answer["item"] = item
        answer["status"] = status
        answer["evidence"] = evidence
        answer["note"] = note
        // The published sentences stay when an answer is re-recorded without them.
        let previous = record.records("answers").first { $0.string("item") == item }
        answer["public_statement"] = publicStatement ?? previous?.string("public_statement")
        answer["public_statement_ja"] = publicStatementJa ?? previous?.string("public_statement_ja")
        record["answers"] = .records(record.records("answers").filter { $0.string("item") != item } + [Record(answer.values)])
        _ = try saveRecord(record, kind: .assessment, store: store, actor: actor.resolved)
        return "\(item) answered \(status) on \(key)"
    }
}

struct AssessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess",
        abstract: "Checklist assessments of the company or a vendor, with evidence and review dates.",
        subcommands: [AddCommand<AssessmentGroup>.self, EditCommand<AssessmentGroup>.self, AssessShow.self, ListCommand<AssessmentGroup>.self, AssessAnswer.self, AssessTemplate.self])
}

