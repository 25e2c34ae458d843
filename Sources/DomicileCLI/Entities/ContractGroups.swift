import ArgumentParser
import DomicileCore
import DomicileStore

// Entrustments, provisions and assessments: records with nested lists (sub-entrustees,
// provision records, checklist answers), each with a command to add to that list.

// MARK: entrust

struct EntrustmentFields: EntityFields {
    @Option(help: "Service (key or name).") var service: String?
    @Option(help: "Entrusted vendor (key, legal name or alias).") var vendor: String?
    @Option(help: "The entrusted work.") var description: String?
    @Option(help: "Purposes, comma-separated keys.") var purposes: String?
    @Option(help: "Data categories, comma-separated.") var categories: String?
    @Option(name: .customLong("cloud-exception"), help: "true when the provider does not handle the data (APPI Q&A 7-53).") var cloudException: Bool?
    @Option(name: .customLong("cloud-exception-basis"), help: "Contract clause and access control supporting the cloud exception.") var cloudExceptionBasis: String?
    @Option(name: .customLong("transfer-basis"), help: "Basis for a country the PPC has not designated: \(EntitySchema.transferBases.joined(separator: ", ")) (APPI Art. 28).") var transferBasis: String?
    @Option(name: .customLong("transfer-basis-note"), help: "Where the basis is recorded: the consent wording, the contract clause, the certificate.") var transferBasisNote: String?
    @Option(name: .customLong("foreign-info-given"), help: "true when the APPI Art. 28(2) information (country, its system, the recipient's measures) was given before consent.") var foreignInfoGiven: Bool?
    @Option(name: .customLong("transfer-basis-expires-on"), help: "Day the contract or rules a standard_conforming basis rest on end (default: the contract's end).") var transferBasisExpiresOn: String?
    @Option(name: .customLong("transfer-basis-checked-on"), help: "Last periodic check of the recipient's measures (Rules Art. 18(1), at least yearly).") var transferBasisCheckedOn: String?
    @Option(name: .customLong("contract-reference"), help: "Contract number or title.") var contractReference: String?
    @Option(name: .customLong("contract-signed-on"), help: "Day the contract was signed.") var contractSignedOn: String?
    @Option(name: .customLong("contract-expires-on"), help: "Day the contract expires.") var contractExpiresOn: String?
    @Option(name: .customLong("contract-renewal"), help: "One of: \(EntitySchema.renewals.joined(separator: ", ")).") var contractRenewal: String?
    @Option(name: .customLong("contract-notice-days"), help: "Notice period in days.") var contractNoticeDays: Int?
    @Option(name: .customLong("dpa-signed-on"), help: "Day the data-processing agreement was signed.") var dpaSignedOn: String?
    @Option(name: .customLong("dpa-expires-on"), help: "Day it expires.") var dpaExpiresOn: String?
    @Option(help: "Re-entrustment terms: \(EntitySchema.reentrustmentTerms.joined(separator: ", ")).") var reentrustment: String?
    @Option(name: .customLong("valid-from"), help: "First day (default today).") var validFrom: String?
    @Option(name: .customLong("valid-to"), help: "Day it stops.") var validTo: String?

    func values() -> [String: Value] {
        var values = FieldValues()
        values["service"] = service
        values["vendor"] = vendor
        values["description"] = description
        values.list("purposes", purposes)
        values.list("categories", categories)
        values.bool("cloud_exception", cloudException)
        values["cloud_exception_basis"] = cloudExceptionBasis
        values["transfer_basis"] = transferBasis
        values["transfer_basis_note"] = transferBasisNote
        values.bool("foreign_info_given", foreignInfoGiven)
        values["transfer_basis_expires_on"] = transferBasisExpiresOn
        values["transfer_basis_checked_on"] = transferBasisCheckedOn
        var contract = FieldValues()
        contract["reference"] = contractReference
        contract["signed_on"] = contractSignedOn
        contract["expires_on"] = contractExpiresOn
        contract["renewal"] = contractRenewal
        contract.int("notice_days", contractNoticeDays)
        contract["dpa_signed_on"] = dpaSignedOn
        contract["dpa_expires_on"] = dpaExpiresOn
        values.object("contract", contract.values)
        values["reentrustment"] = reentrustment
        values["valid_from"] = validFrom
        values["valid_to"] = validTo
        return values.values
    }
}

enum EntrustmentGroup: EntityGroup {
    typealias Fields = EntrustmentFields
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

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var schema: SchemaOptions
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

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var schema: SchemaOptions
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

struct ProvisionFields: EntityFields {
    @Option(help: "Service (key or name).") var service: String?
    @Option(help: "Recipient vendor (key, legal name or alias).") var recipient: String?
    @Option(help: "One of: \(EntitySchema.provisionBases.joined(separator: ", ")).") var basis: String?
    @Option(name: .customLong("legal-exception"), help: "With basis legal_exception: which APPI Art. 27(1) item.") var legalException: String?
    @Option(help: "The recipient's purpose.") var purpose: String?
    @Option(name: .customLong("purpose-ja"), help: "The purpose in Japanese.") var purposeJa: String?
    @Option(help: "Data categories, comma-separated.") var categories: String?
    @Option(name: .customLong("recipient-country"), help: "Recipient's country.") var recipientCountry: String?
    @Option(name: .customLong("foreign-info-given"), help: "true when the Art. 28(2) information was given before consent.") var foreignInfoGiven: Bool?
    @Option(name: .customLong("retention-years"), help: "How long provision records are kept (default 3).") var retentionYears: Int?
    @Option(name: .customLong("ppc-notified-on"), help: "Basis opt_out: day the notification reached the PPC (APPI Art. 27(2)).") var ppcNotifiedOn: String?
    @Option(name: .customLong("ppc-notification-items"), help: "The Art. 27(2) items it states, comma-separated: \(EntitySchema.optOutNotificationItems.joined(separator: ", ")).") var ppcNotificationItems: String?
    @Option(name: .customLong("ppc-notification-reference"), help: "The PPC's publication number or URL of the notification.") var ppcNotificationReference: String?
    @Option(name: .customLong("valid-from"), help: "First day (default today).") var validFrom: String?
    @Option(name: .customLong("valid-to"), help: "Day it stops.") var validTo: String?

    func values() -> [String: Value] {
        var values = FieldValues()
        var notification = FieldValues()
        notification["notified_on"] = ppcNotifiedOn
        notification.list("items", ppcNotificationItems)
        notification["reference"] = ppcNotificationReference
        values.object("ppc_notification", notification.values)
        values["service"] = service
        values["recipient"] = recipient
        values["basis"] = basis
        values["legal_exception"] = legalException
        values["purpose"] = purpose
        values["purpose_ja"] = purposeJa
        values.list("categories", categories)
        values["recipient_country"] = recipientCountry
        values.bool("foreign_info_given", foreignInfoGiven)
        values.int("retention_years", retentionYears)
        values["valid_from"] = validFrom
        values["valid_to"] = validTo
        return values.values
    }
}

enum ProvisionGroup: EntityGroup {
    typealias Fields = ProvisionFields
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

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var schema: SchemaOptions
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

struct AssessmentFields: EntityFields {
    @Option(help: "Checklist template key (see `domicile checklist list`).") var template: String?
    @Option(help: "Subject when assessing the company itself (organization key or name).") var organization: String?
    @Option(help: "Subject when assessing a vendor (key, legal name or alias).") var vendor: String?
    @Option(name: .customLong("assessed-on"), help: "Day of the assessment.") var assessedOn: String?
    @Option(help: "Who assessed.") var assessor: String?
    @Option(name: .customLong("next-review-on"), help: "Day the next review is due.") var nextReviewOn: String?
    @Option(help: "Free notes.") var notes: String?

    func values() -> [String: Value] {
        var values = FieldValues()
        values["template"] = template
        values["organization"] = organization
        values["vendor"] = vendor
        values["assessed_on"] = assessedOn
        values["assessor"] = assessor
        values["next_review_on"] = nextReviewOn
        values["notes"] = notes
        return values.values
    }
}

enum AssessmentGroup: EntityGroup {
    typealias Fields = AssessmentFields
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

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var schema: SchemaOptions
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

