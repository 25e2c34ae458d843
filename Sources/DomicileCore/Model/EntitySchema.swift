/// The kinds of registry record a file, the CLI or the database holds.
public enum EntityKind: String, CaseIterable, Sendable, Hashable {
    case organization, category, purpose, service, vendor, residency, entrustment, provision, transmission, assessment

    /// The YAML section and CSV file name (`vendors`, `residencies`, …).
    public var section: String {
        switch self {
        case .organization: return "organizations"
        case .category: return "data_categories"
        case .purpose: return "purposes"
        case .service: return "services"
        case .vendor: return "vendors"
        case .residency: return "residencies"
        case .entrustment: return "entrustments"
        case .provision: return "provisions"
        case .transmission: return "transmissions"
        case .assessment: return "assessments"
        }
    }

    public init?(section: String) {
        guard let kind = EntityKind.allCases.first(where: { $0.section == section }) else { return nil }
        self = kind
    }

    public var schema: EntitySchema { EntitySchema.of(self) }
}

/// What a field holds, which fixes how it is parsed, validated and written.
public indirect enum FieldType: Sendable, Hashable {
    /// A record key: `^[a-z0-9][a-z0-9._-]{0,79}$`.
    case key
    /// A dotted data-category key.
    case categoryKey
    /// Text of at most `max` characters.
    case text(max: Int)
    case date
    /// An ISO 3166-1 alpha-2 code that must exist in the country table.
    case country
    case countries
    case bool
    case int(ClosedRange<Int>)
    case enumeration([String])
    case enumerations([String])
    case texts(max: Int)
    case url
    case email
    /// `PROVIDER/CODE` of a seeded cloud region.
    case region
    /// The key of another record.
    case reference(EntityKind)
    case references(EntityKind)
    /// A checklist template key (reference data).
    case template
    /// A checklist item id of the record's template.
    case checklistItem
    /// A nested map.
    case object(EntitySchema)
    /// A nested list of maps.
    case records(EntitySchema)

    public var isList: Bool {
        switch self {
        case .countries, .enumerations, .texts, .references: return true
        default: return false
        }
    }
}

public struct FieldSpec: Sendable, Hashable {
    public let name: String
    public let type: FieldType
    public let required: Bool
    public let help: String
    /// What an absent field means; export omits a field equal to it.
    public let defaultValue: Value?
    /// The help of the field's `add`/`edit` option; `nil`: the field has no option (the key is
    /// the command's argument; nested lists have commands of their own, e.g. `entrust sub-add`).
    public let optionHelp: String?
    /// The option's name when it is not the default (`EntitySchema.commandLineOptions`).
    public let optionName: String?
    /// The database column (for a nested list, table) when it is not the default (`EntitySchema.databaseColumns`).
    public let column: String?

    public init(
        _ name: String, _ type: FieldType, required: Bool = false, default defaultValue: Value? = nil, help: String = "",
        option optionHelp: String? = nil, optionName: String? = nil, column: String? = nil
    ) {
        self.column = column
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.help = help
        self.optionHelp = optionHelp
        self.optionName = optionName
    }
}

/// One `add`/`edit` option of a kind, as its schema declares it.
public struct CommandLineOption: Sendable, Hashable {
    /// The long name without dashes, e.g. `legal-name`, `contract-reference`.
    public let name: String
    /// The top-level field, and for a field of a nested map (`contract`) the field in it.
    public let field: String
    public let nestedField: String?
    public let spec: FieldSpec
}

/// The fields of one kind of record (or nested map), in the order export writes them.
public struct EntitySchema: Sendable, Hashable {
    public let name: String
    public let fields: [FieldSpec]

    public init(name: String, fields: [FieldSpec]) {
        self.name = name
        self.fields = fields
    }

    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }

    /// `record` without fields equal to their default, nested maps and lists included,
    /// so "absent" and "the default" compare equal and export omits both.
    public func withoutDefaults(_ record: Record) -> Record {
        var result = record
        for field in fields {
            guard let value = record[field.name] else { continue }
            if let defaultValue = field.defaultValue, value == defaultValue {
                result[field.name] = nil
                continue
            }
            switch (field.type, value) {
            case (.object(let nested), .object(let inner)):
                let stripped = nested.withoutDefaults(inner)
                result[field.name] = stripped.values.isEmpty ? nil : .object(stripped)
            case (.records(let nested), .records(let items)):
                result[field.name] = .records(items.map { nested.withoutDefaults($0) })
            default:
                break
            }
        }
        return result
    }
    public var fieldNames: [String] { fields.map(\.name) }

    public static let shortText = 500
    public static let longText = 10_000

    /// `valid_from` and `valid_to`, with the help of their options (`from`, `to`).
    static func validity(from: String, to: String) -> [FieldSpec] {
        [
            FieldSpec("valid_from", .date, required: true, help: "first day the fact holds (inclusive)", option: from),
            FieldSpec("valid_to", .date, help: "day the fact stops holding (exclusive); empty while it holds", option: to),
        ]
    }

    /// The `add`/`edit` options of the kind, in field order: one per field with an option help,
    /// the fields of a nested map (`contract`, `undisclosed`) included. An option is named after
    /// its field with dashes (`legal-name`), a nested one after its map and field
    /// (`contract-reference`), unless the field declares `optionName`.
    public var commandLineOptions: [CommandLineOption] {
        fields.flatMap { field -> [CommandLineOption] in
            if case .object(let nested) = field.type {
                return nested.fields.compactMap { inner in
                    guard inner.optionHelp != nil else { return nil }
                    let name = inner.optionName ?? Self.dashed(field.name + "_" + inner.name)
                    return CommandLineOption(name: name, field: field.name, nestedField: inner.name, spec: inner)
                }
            }
            guard field.optionHelp != nil else { return [] }
            let name = field.optionName ?? Self.dashed(field.name)
            return [CommandLineOption(name: name, field: field.name, nestedField: nil, spec: field)]
        }
    }

    private static func dashed(_ name: String) -> String { String(name.map { $0 == "_" ? "-" : $0 }) }

    public static let residencyRoles = ["storage", "processing", "backup", "remote_access"]
    public static let vendorKinds = ["cloud_provider", "entrustee", "third_party_recipient", "transmission_recipient"]
    public static let certifications = [
        "iso27001", "iso27017", "iso27018", "iso27701", "pmark", "soc2", "apec_cbpr", "apec_prp", "dpf",
    ]
    public static let riskTiers = ["low", "medium", "high", "critical"]
    /// `unknown` (the default): no renewal term is recorded, which is not "none".
    public static let renewals = ["automatic", "manual", "none", "unknown"]
    /// Recorded bases for data in a country the PPC has not designated (APPI Art. 28; Rules Art. 16).
    public static let transferBases = ["consent", "standard_conforming", "cbpr"]
    /// `unknown` (the default): the contract's term is not recorded, which is not a prohibition.
    public static let reentrustmentTerms = ["unknown", "prohibited", "prior_approval", "prior_notice", "allowed"]
    public static let provisionBases = ["consent", "legal_exception", "opt_out", "joint_use"]
    public static let transmissionBases = ["notice", "consent", "opt_out", "necessary"]
    public static let answerStatuses = ["met", "partial", "unmet", "not_applicable"]

    /// Fields that say what a fact is (for a residency: whose data, held by whom, where).
    /// Changing one in place rewrites what the registry says about the past, so imports and
    /// `edit` ask for `--correction`; a change in the world is recorded by `end` and `add`.
    public static func factFields(of kind: EntityKind) -> [String] {
        switch kind {
        case .residency: return ["service", "vendor", "role", "categories", "country", "region", "undisclosed", "valid_from"]
        case .entrustment: return ["service", "vendor", "valid_from"]
        case .provision: return ["service", "recipient", "valid_from"]
        case .transmission: return ["service", "tool", "recipient", "valid_from"]
        case .service, .vendor: return ["valid_from"]
        default: return []
        }
    }

    public static func of(_ kind: EntityKind) -> EntitySchema {
        switch kind {
        case .organization: return organization
        case .category: return category
        case .purpose: return purpose
        case .service: return service
        case .vendor: return vendor
        case .residency: return residency
        case .entrustment: return entrustment
        case .provision: return provision
        case .transmission: return transmission
        case .assessment: return assessment
        }
    }

    public static let organization = EntitySchema(
        name: "organization",
        fields: [
            FieldSpec("key", .key, required: true, help: "short identifier, e.g. assign"),
            FieldSpec("name", .text(max: shortText), required: true, help: "legal name as published", option: "Legal name as published."),
            FieldSpec("name_ja", .text(max: shortText), help: "Japanese name", option: "Japanese name."),
            FieldSpec("country", .country, required: true, help: "country of establishment", option: "Country of establishment (ISO 3166-1 alpha-2, e.g. JP).", column: "country_code"),
            FieldSpec("address", .text(max: longText), option: "Postal address."),
            FieldSpec("representative", .text(max: shortText), option: "Representative's name and title."),
            FieldSpec("privacy_contact_name", .text(max: shortText), help: "complaints and consultations desk", option: "Name of the complaints and consultations desk."),
            FieldSpec("privacy_contact_email", .email, option: "Its e-mail address."),
            FieldSpec("privacy_contact_url", .url, option: "Its web page."),
            FieldSpec("address_ja", .text(max: longText), help: "Japanese address (APPI Art. 32(1)(i))", option: "Postal address in Japanese (the Japanese disclosure states it)."),
            FieldSpec("representative_ja", .text(max: shortText), help: "representative in Japanese", option: "Representative's name and title in Japanese."),
            FieldSpec("privacy_contact_name_ja", .text(max: shortText), help: "complaints and consultations desk in Japanese", option: "Name of the desk in Japanese."),
        ])

    public static let category = EntitySchema(
        name: "data_category",
        fields: [
            FieldSpec("key", .categoryKey, required: true, help: "dotted key, e.g. user.contact.email"),
            FieldSpec("name", .text(max: shortText), required: true, column: "name_en"),
            FieldSpec("name_ja", .text(max: shortText)),
            FieldSpec("description", .text(max: longText)),
            FieldSpec("sensitive", .bool, default: .bool(false), help: "special-care personal information"),
        ])

    public static let purpose = EntitySchema(
        name: "purpose",
        fields: [
            FieldSpec("key", .key, required: true),
            FieldSpec("name", .text(max: longText), required: true, help: "the purpose as the policy words it", column: "name_en"),
            FieldSpec("name_ja", .text(max: longText)),
            FieldSpec("description", .text(max: longText)),
            FieldSpec("categories", .references(.category), help: "data categories the purpose needs"),
        ])

    public static let service = EntitySchema(
        name: "service",
        fields: [
            FieldSpec("key", .key, required: true, help: "e.g. persona"),
            FieldSpec("name", .text(max: shortText), required: true, option: "Service name, e.g. PERSONA."),
            FieldSpec("organization", .reference(.organization), required: true, help: "operating organization", option: "Operating organization (key or name)."),
            FieldSpec("description", .text(max: longText), option: "What the service does."),
            FieldSpec("url", .url, option: "Public URL."),
            FieldSpec("owner", .text(max: shortText), option: "Who owns the service internally."),
        ] + validity(from: "First day it handled personal information (default today).", to: "Day it stopped (use `end` instead to retire it)."))

    static let contact = EntitySchema(
        name: "contact",
        fields: [
            FieldSpec("name", .text(max: shortText), required: true),
            FieldSpec("role", .text(max: shortText)),
            FieldSpec("email", .email),
        ])

    public static let vendor = EntitySchema(
        name: "vendor",
        fields: [
            FieldSpec("key", .key, required: true, help: "e.g. aws"),
            FieldSpec("legal_name", .text(max: shortText), required: true, option: "Legal name (unique)."),
            FieldSpec("name_ja", .text(max: shortText), option: "Japanese name."),
            FieldSpec("aliases", .texts(max: shortText), help: "other names used to find the vendor", option: "Other names, comma-separated (AWS,Amazon)."),
            FieldSpec("kinds", .enumerations(vendorKinds), required: true, option: "Comma-separated: \(EntitySchema.vendorKinds.joined(separator: ", "))."),
            FieldSpec("headquarters", .country, required: true, option: "Headquarters country (ISO 3166-1 alpha-2, e.g. US)."),
            FieldSpec("contracting_country", .country, help: "country of the entity contracted with (the recipient, APPI Art. 28), when it differs from the headquarters' group, e.g. JP for a Japanese subsidiary", option: "Country of the entity you contract with, when not the headquarters (e.g. JP for a Japanese subsidiary of a US group); APPI Art. 28 turns on it (PPC Q&A 12-4)."),
            FieldSpec("website", .url, option: "Website URL."),
            FieldSpec("trust_url", .url, option: "Trust or security page URL."),
            FieldSpec("privacy_url", .url, option: "Privacy policy URL."),
            FieldSpec("dpa_url", .url, option: "Data processing agreement URL."),
            FieldSpec("subprocessors_url", .url, option: "Sub-processor list URL."),
            FieldSpec("certifications", .enumerations(certifications), option: "Comma-separated: \(EntitySchema.certifications.joined(separator: ", "))."),
            FieldSpec("risk_tier", .enumeration(riskTiers), required: true, option: "One of: \(EntitySchema.riskTiers.joined(separator: ", "))."),
            FieldSpec("owner", .text(max: shortText), option: "Who owns the relationship."),
            FieldSpec("contacts", .records(contact)),
            FieldSpec("notes", .text(max: longText), option: "Free notes."),
        ] + validity(from: "Relationship start (default today).", to: "Relationship end (use `end` to retire the vendor)."))

    static let undisclosed = EntitySchema(
        name: "undisclosed",
        fields: [
            FieldSpec("reason", .text(max: longText), required: true, help: "why the country is not known", option: "When the provider does not disclose the country: why."),
            FieldSpec("candidates", .countries, help: "countries the data may be in", option: "With --undisclosed-reason: candidate countries, comma-separated.", optionName: "candidates", column: "candidate_countries"),
        ])

    public static let residency = EntitySchema(
        name: "residency",
        fields: [
            FieldSpec("key", .key, required: true),
            FieldSpec("service", .reference(.service), required: true, option: "Service (key or name)."),
            FieldSpec("vendor", .reference(.vendor), required: true, option: "Vendor holding the data (key, legal name or alias)."),
            FieldSpec("role", .enumeration(residencyRoles), required: true, option: "One of: \(EntitySchema.residencyRoles.joined(separator: ", "))."),
            FieldSpec("categories", .references(.category), required: true, option: "Data categories, comma-separated (see `domicile category list`)."),
            FieldSpec("country", .country, option: "Country where the data is (ISO 3166-1 alpha-2).", column: "country_code"),
            FieldSpec("region", .region, help: "PROVIDER/CODE, e.g. aws/ap-northeast-1", option: "Cloud region as PROVIDER/CODE, e.g. aws/ap-northeast-1 (see `domicile region list`)."),
            FieldSpec("undisclosed", .object(undisclosed)),
            FieldSpec("source", .text(max: longText), required: true, help: "URL or document the claim rests on", option: "Provenance: the URL or document the claim rests on."),
            FieldSpec("verified_on", .date, required: true, option: "Day the source was checked."),
            FieldSpec("asserted_by", .text(max: shortText), required: true, option: "Who records the claim."),
            FieldSpec("notes", .text(max: longText), option: "Free notes."),
        ] + validity(from: "First day the fact holds (default today).", to: "Day it stops holding."))

    static let contract = EntitySchema(
        name: "contract",
        fields: [
            FieldSpec("reference", .text(max: shortText), option: "Contract number or title."),
            FieldSpec("signed_on", .date, option: "Day the contract was signed."),
            FieldSpec("expires_on", .date, option: "Day the contract expires."),
            FieldSpec("renewal", .enumeration(renewals), default: .string("unknown"), option: "One of: \(EntitySchema.renewals.joined(separator: ", "))."),
            FieldSpec("notice_days", .int(0...3650), option: "Notice period in days."),
            FieldSpec("dpa_signed_on", .date, option: "Day the data-processing agreement was signed.", optionName: "dpa-signed-on", column: "dpa_signed_on"),
            FieldSpec("dpa_expires_on", .date, option: "Day it expires.", optionName: "dpa-expires-on", column: "dpa_expires_on"),
        ])

    static let subEntrustee = EntitySchema(
        name: "sub_entrustee",
        fields: [
            FieldSpec("vendor", .reference(.vendor), required: true),
            FieldSpec("via", .reference(.vendor), help: "the vendor it works for (default: the entrustee)", column: "via_vendor_id"),
            FieldSpec("countries", .countries),
            FieldSpec("work", .text(max: longText)),
            FieldSpec("approved_on", .date),
            FieldSpec("valid_from", .date, help: "first day it handles the data (inclusive); empty: since the entrustment began"),
            FieldSpec("valid_to", .date, help: "day it stops (exclusive); empty while it holds"),
        ])

    public static let entrustment = EntitySchema(
        name: "entrustment",
        fields: [
            FieldSpec("key", .key, required: true),
            FieldSpec("service", .reference(.service), required: true, option: "Service (key or name)."),
            FieldSpec("vendor", .reference(.vendor), required: true, option: "Entrusted vendor (key, legal name or alias)."),
            FieldSpec("description", .text(max: longText), option: "The entrusted work."),
            FieldSpec("purposes", .references(.purpose), option: "Purposes, comma-separated keys."),
            FieldSpec("categories", .references(.category), required: true, option: "Data categories, comma-separated."),
            FieldSpec("cloud_exception", .bool, default: .bool(false), option: "true when the provider does not handle the data (APPI Q&A 7-53)."),
            FieldSpec("cloud_exception_basis", .text(max: longText), option: "Contract clause and access control supporting the cloud exception."),
            FieldSpec("transfer_basis", .enumeration(transferBases), option: "Basis for a country the PPC has not designated: \(EntitySchema.transferBases.joined(separator: ", ")) (APPI Art. 28)."),
            FieldSpec("transfer_basis_note", .text(max: longText), option: "Where the basis is recorded: the consent wording, the contract clause, the certificate."),
            FieldSpec("foreign_info_given", .bool, default: .bool(false), help: "the APPI Art. 28(2) information was given before consent", option: "true when the APPI Art. 28(2) information (country, its system, the recipient's measures) was given before consent."),
            FieldSpec("transfer_basis_expires_on", .date, help: "day the contract or rules a standard_conforming basis rests on end (default: the contract's end)", option: "Day the contract or rules a standard_conforming basis rest on end (default: the contract's end)."),
            FieldSpec("transfer_basis_checked_on", .date, help: "last periodic check of the recipient's measures (Rules Art. 18(1), at least yearly)", option: "Last periodic check of the recipient's measures (Rules Art. 18(1), at least yearly)."),
            FieldSpec("contract", .object(contract)),
            FieldSpec("reentrustment", .enumeration(reentrustmentTerms), default: .string("unknown"), option: "Re-entrustment terms: \(EntitySchema.reentrustmentTerms.joined(separator: ", "))."),
            FieldSpec("sub_entrustees", .records(subEntrustee), column: "sub_entrustee"),
        ] + validity(from: "First day (default today).", to: "Day it stops."))

    static let provisionRecord = EntitySchema(
        name: "record",
        fields: [
            FieldSpec("provided_on", .date, required: true),
            FieldSpec("data_subjects", .text(max: shortText), required: true, help: "who the data is about, e.g. \"1 member (ID 4711)\""),
            FieldSpec("items", .text(max: longText), required: true),
            FieldSpec("consent_reference", .text(max: shortText)),
            FieldSpec("retain_until", .date, required: true),
            FieldSpec("method", .enumeration(recordMethods), default: .string("each"), help: "how the record was made (PPC Rules Art. 19): each, batch or contract"),
            FieldSpec("last_provided_on", .date, help: "batch or contract: the last provision the record covers (default provided_on)"),
        ])

    /// How a provision record is made (PPC Rules Art. 19): promptly for `each` provision
    /// (19(2)), one `batch` record of continuous or repeated provision (19(2) proviso; not for
    /// opt-out), or a `contract` that substitutes for the record (19(3); provision on consent
    /// tied to goods or services supplied to the person). The retention period follows (Rules Art. 21).
    public static let recordMethods = ["each", "batch", "contract"]

    /// The items an opt-out notification to the PPC states (APPI Art. 27(2)(i)-(viii); the
    /// last two are the matters PPC Rules Art. 11(4) adds under Art. 27(2)(viii)).
    public static let optOutNotificationItems = [
        "operator", "provision_purpose", "data_items", "acquisition_method", "provision_method", "stop_on_request",
        "request_method", "update_method", "start_date",
    ]

    static let ppcNotification = EntitySchema(
        name: "ppc_notification",
        fields: [
            FieldSpec("notified_on", .date, help: "day the opt-out notification reached the PPC (APPI Art. 27(2))", option: "Basis opt_out: day the notification reached the PPC (APPI Art. 27(2)).", optionName: "ppc-notified-on", column: "ppc_notified_on"),
            FieldSpec("items", .enumerations(optOutNotificationItems), help: "the Art. 27(2) items it states", option: "The Art. 27(2) items it states, comma-separated: \(EntitySchema.optOutNotificationItems.joined(separator: ", "))."),
            FieldSpec("reference", .text(max: shortText), help: "the PPC's publication number or URL", option: "The PPC's publication number or URL of the notification."),
        ])

    public static let provision = EntitySchema(
        name: "provision",
        fields: [
            FieldSpec("key", .key, required: true),
            FieldSpec("service", .reference(.service), required: true, option: "Service (key or name)."),
            FieldSpec("recipient", .reference(.vendor), required: true, option: "Recipient vendor (key, legal name or alias)."),
            FieldSpec("basis", .enumeration(provisionBases), required: true, option: "One of: \(EntitySchema.provisionBases.joined(separator: ", "))."),
            FieldSpec("legal_exception", .text(max: longText), option: "With basis legal_exception: which APPI Art. 27(1) item."),
            FieldSpec("purpose", .text(max: longText), required: true, option: "The recipient's purpose."),
            FieldSpec("purpose_ja", .text(max: longText), help: "the purpose in Japanese", option: "The purpose in Japanese."),
            FieldSpec("categories", .references(.category), required: true, option: "Data categories, comma-separated."),
            FieldSpec("recipient_country", .country, required: true, option: "Recipient's country."),
            FieldSpec("foreign_info_given", .bool, default: .bool(false), option: "true when the Art. 28(2) information was given before consent."),
            FieldSpec("retention_years", .int(1...30), default: .int(3), option: "How long provision records are kept (default 3)."),
            FieldSpec("ppc_notification", .object(ppcNotification), help: "basis opt_out: the notification to the PPC"),
            FieldSpec("records", .records(provisionRecord)),
        ] + validity(from: "First day (default today).", to: "Day it stops."))

    public static let transmission = EntitySchema(
        name: "transmission",
        fields: [
            FieldSpec("key", .key, required: true),
            FieldSpec("service", .reference(.service), required: true, option: "Service (key or name)."),
            FieldSpec("tool", .text(max: shortText), required: true, help: "tag, SDK or module, e.g. Google Analytics", option: "Tag, SDK or module, e.g. \"Google Analytics\"."),
            FieldSpec("recipient", .reference(.vendor), required: true, option: "Recipient vendor (key, legal name or alias)."),
            FieldSpec("information", .texts(max: shortText), required: true, help: "information sent", option: "Information sent, comma-separated."),
            FieldSpec("information_ja", .texts(max: shortText), option: "The same in Japanese, comma-separated."),
            FieldSpec("categories", .references(.category), option: "Data categories, comma-separated."),
            FieldSpec("purpose", .text(max: longText), required: true, option: "Purpose of use by the recipient."),
            FieldSpec("purpose_ja", .text(max: longText), option: "The purpose in Japanese."),
            FieldSpec("basis", .enumeration(transmissionBases), required: true, option: "One of: \(EntitySchema.transmissionBases.joined(separator: ", "))."),
            FieldSpec("opt_out_url", .url, option: "Where users opt out (required for basis opt_out)."),
            FieldSpec("recipient_country", .country, option: "Recipient's country."),
        ] + validity(from: "First day (default today).", to: "Day it stops."))

    static let answer = EntitySchema(
        name: "answer",
        fields: [
            FieldSpec("item", .checklistItem, required: true),
            FieldSpec("status", .enumeration(answerStatuses), required: true),
            FieldSpec("evidence", .text(max: longText)),
            FieldSpec("note", .text(max: longText)),
            FieldSpec("public_statement", .text(max: longText), help: "the sentence the privacy policy publishes for this measure"),
            FieldSpec("public_statement_ja", .text(max: longText), help: "the same sentence in Japanese"),
        ])

    public static let assessment = EntitySchema(
        name: "assessment",
        fields: [
            FieldSpec("key", .key, required: true),
            FieldSpec("template", .template, required: true, option: "Checklist template key (see `domicile checklist list`)."),
            FieldSpec("organization", .reference(.organization), option: "Subject when assessing the company itself (organization key or name)."),
            FieldSpec("vendor", .reference(.vendor), option: "Subject when assessing a vendor (key, legal name or alias)."),
            FieldSpec("assessed_on", .date, required: true, option: "Day of the assessment."),
            FieldSpec("assessor", .text(max: shortText), required: true, option: "Who assessed."),
            FieldSpec("next_review_on", .date, required: true, option: "Day the next review is due."),
            FieldSpec("notes", .text(max: longText), option: "Free notes."),
            FieldSpec("answers", .records(answer)),
        ])
}
