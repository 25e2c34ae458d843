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

    public init(_ name: String, _ type: FieldType, required: Bool = false, default defaultValue: Value? = nil, help: String = "") {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.help = help
    }
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

    static let validity: [FieldSpec] = [
        FieldSpec("valid_from", .date, required: true, help: "first day the fact holds (inclusive)"),
        FieldSpec("valid_to", .date, help: "day the fact stops holding (exclusive); empty while it holds"),
    ]

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
            FieldSpec("name", .text(max: shortText), required: true, help: "legal name as published"),
            FieldSpec("name_ja", .text(max: shortText), help: "Japanese name"),
            FieldSpec("country", .country, required: true, help: "country of establishment"),
            FieldSpec("address", .text(max: longText)),
            FieldSpec("representative", .text(max: shortText)),
            FieldSpec("privacy_contact_name", .text(max: shortText), help: "complaints and consultations desk"),
            FieldSpec("privacy_contact_email", .email),
            FieldSpec("privacy_contact_url", .url),
            FieldSpec("address_ja", .text(max: longText), help: "Japanese address (APPI Art. 32(1)(i))"),
            FieldSpec("representative_ja", .text(max: shortText), help: "representative in Japanese"),
            FieldSpec("privacy_contact_name_ja", .text(max: shortText), help: "complaints and consultations desk in Japanese"),
        ])

    public static let category = EntitySchema(
        name: "data_category",
        fields: [
            FieldSpec("key", .categoryKey, required: true, help: "dotted key, e.g. user.contact.email"),
            FieldSpec("name", .text(max: shortText), required: true),
            FieldSpec("name_ja", .text(max: shortText)),
            FieldSpec("description", .text(max: longText)),
            FieldSpec("sensitive", .bool, default: .bool(false), help: "special-care personal information"),
        ])

    public static let purpose = EntitySchema(
        name: "purpose",
        fields: [
            FieldSpec("key", .key, required: true),
            FieldSpec("name", .text(max: longText), required: true, help: "the purpose as the policy words it"),
            FieldSpec("name_ja", .text(max: longText)),
            FieldSpec("description", .text(max: longText)),
            FieldSpec("categories", .references(.category), help: "data categories the purpose needs"),
        ])

    public static let service = EntitySchema(
        name: "service",
        fields: [
            FieldSpec("key", .key, required: true, help: "e.g. persona"),
            FieldSpec("name", .text(max: shortText), required: true),
            FieldSpec("organization", .reference(.organization), required: true, help: "operating organization"),
            FieldSpec("description", .text(max: longText)),
            FieldSpec("url", .url),
            FieldSpec("owner", .text(max: shortText)),
        ] + validity)

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
            FieldSpec("legal_name", .text(max: shortText), required: true),
            FieldSpec("name_ja", .text(max: shortText)),
            FieldSpec("aliases", .texts(max: shortText), help: "other names used to find the vendor"),
            FieldSpec("kinds", .enumerations(vendorKinds), required: true),
            FieldSpec("headquarters", .country, required: true),
            FieldSpec("contracting_country", .country, help: "country of the entity contracted with (the recipient, APPI Art. 28), when it differs from the headquarters' group, e.g. JP for a Japanese subsidiary"),
            FieldSpec("website", .url),
            FieldSpec("trust_url", .url),
            FieldSpec("privacy_url", .url),
            FieldSpec("dpa_url", .url),
            FieldSpec("subprocessors_url", .url),
            FieldSpec("certifications", .enumerations(certifications)),
            FieldSpec("risk_tier", .enumeration(riskTiers), required: true),
            FieldSpec("owner", .text(max: shortText)),
            FieldSpec("contacts", .records(contact)),
            FieldSpec("notes", .text(max: longText)),
        ] + validity)

    static let undisclosed = EntitySchema(
        name: "undisclosed",
        fields: [
            FieldSpec("reason", .text(max: longText), required: true, help: "why the country is not known"),
            FieldSpec("candidates", .countries, help: "countries the data may be in"),
        ])

    public static let residency = EntitySchema(
        name: "residency",
        fields: [
            FieldSpec("key", .key, required: true),
            FieldSpec("service", .reference(.service), required: true),
            FieldSpec("vendor", .reference(.vendor), required: true),
            FieldSpec("role", .enumeration(residencyRoles), required: true),
            FieldSpec("categories", .references(.category), required: true),
            FieldSpec("country", .country),
            FieldSpec("region", .region, help: "PROVIDER/CODE, e.g. aws/ap-northeast-1"),
            FieldSpec("undisclosed", .object(undisclosed)),
            FieldSpec("source", .text(max: longText), required: true, help: "URL or document the claim rests on"),
            FieldSpec("verified_on", .date, required: true),
            FieldSpec("asserted_by", .text(max: shortText), required: true),
            FieldSpec("notes", .text(max: longText)),
        ] + validity)

    static let contract = EntitySchema(
        name: "contract",
        fields: [
            FieldSpec("reference", .text(max: shortText)),
            FieldSpec("signed_on", .date),
            FieldSpec("expires_on", .date),
            FieldSpec("renewal", .enumeration(renewals), default: .string("unknown")),
            FieldSpec("notice_days", .int(0...3650)),
            FieldSpec("dpa_signed_on", .date),
            FieldSpec("dpa_expires_on", .date),
        ])

    static let subEntrustee = EntitySchema(
        name: "sub_entrustee",
        fields: [
            FieldSpec("vendor", .reference(.vendor), required: true),
            FieldSpec("via", .reference(.vendor), help: "the vendor it works for (default: the entrustee)"),
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
            FieldSpec("service", .reference(.service), required: true),
            FieldSpec("vendor", .reference(.vendor), required: true),
            FieldSpec("description", .text(max: longText)),
            FieldSpec("purposes", .references(.purpose)),
            FieldSpec("categories", .references(.category), required: true),
            FieldSpec("cloud_exception", .bool, default: .bool(false)),
            FieldSpec("cloud_exception_basis", .text(max: longText)),
            FieldSpec("transfer_basis", .enumeration(transferBases)),
            FieldSpec("transfer_basis_note", .text(max: longText)),
            FieldSpec("foreign_info_given", .bool, default: .bool(false), help: "the APPI Art. 28(2) information was given before consent"),
            FieldSpec("transfer_basis_expires_on", .date, help: "day the contract or rules a standard_conforming basis rests on end (default: the contract's end)"),
            FieldSpec("transfer_basis_checked_on", .date, help: "last periodic check of the recipient's measures (Rules Art. 18(1), at least yearly)"),
            FieldSpec("contract", .object(contract)),
            FieldSpec("reentrustment", .enumeration(reentrustmentTerms), default: .string("unknown")),
            FieldSpec("sub_entrustees", .records(subEntrustee)),
        ] + validity)

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
            FieldSpec("notified_on", .date, help: "day the opt-out notification reached the PPC (APPI Art. 27(2))"),
            FieldSpec("items", .enumerations(optOutNotificationItems), help: "the Art. 27(2) items it states"),
            FieldSpec("reference", .text(max: shortText), help: "the PPC's publication number or URL"),
        ])

    public static let provision = EntitySchema(
        name: "provision",
        fields: [
            FieldSpec("key", .key, required: true),
            FieldSpec("service", .reference(.service), required: true),
            FieldSpec("recipient", .reference(.vendor), required: true),
            FieldSpec("basis", .enumeration(provisionBases), required: true),
            FieldSpec("legal_exception", .text(max: longText)),
            FieldSpec("purpose", .text(max: longText), required: true),
            FieldSpec("purpose_ja", .text(max: longText), help: "the purpose in Japanese"),
            FieldSpec("categories", .references(.category), required: true),
            FieldSpec("recipient_country", .country, required: true),
            FieldSpec("foreign_info_given", .bool, default: .bool(false)),
            FieldSpec("retention_years", .int(1...30), default: .int(3)),
            FieldSpec("ppc_notification", .object(ppcNotification), help: "basis opt_out: the notification to the PPC"),
            FieldSpec("records", .records(provisionRecord)),
        ] + validity)

    public static let transmission = EntitySchema(
        name: "transmission",
        fields: [
            FieldSpec("key", .key, required: true),
            FieldSpec("service", .reference(.service), required: true),
            FieldSpec("tool", .text(max: shortText), required: true, help: "tag, SDK or module, e.g. Google Analytics"),
            FieldSpec("recipient", .reference(.vendor), required: true),
            FieldSpec("information", .texts(max: shortText), required: true, help: "information sent"),
            FieldSpec("information_ja", .texts(max: shortText)),
            FieldSpec("categories", .references(.category)),
            FieldSpec("purpose", .text(max: longText), required: true),
            FieldSpec("purpose_ja", .text(max: longText)),
            FieldSpec("basis", .enumeration(transmissionBases), required: true),
            FieldSpec("opt_out_url", .url),
            FieldSpec("recipient_country", .country),
        ] + validity)

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
            FieldSpec("template", .template, required: true),
            FieldSpec("organization", .reference(.organization)),
            FieldSpec("vendor", .reference(.vendor)),
            FieldSpec("assessed_on", .date, required: true),
            FieldSpec("assessor", .text(max: shortText), required: true),
            FieldSpec("next_review_on", .date, required: true),
            FieldSpec("notes", .text(max: longText)),
            FieldSpec("answers", .records(answer)),
        ])
}
