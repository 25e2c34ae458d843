import DomicileCore
import Foundation
import Postgres

/// Adding many new records at once, as an import of a large registry does: each batch is a
/// few multi-row statements (`INSERT … SELECT … FROM jsonb_to_recordset($1)`), one for the
/// records and one for each nested list, instead of a handful of round trips per record.
/// The rows, and so the audit trigger's rows, are the ones `save` writes; records must be
/// validated first and must not exist yet. Call inside `Store.write`.
extension Store {
    /// The kinds `insertNew` writes in batches; the others are saved one by one.
    public static let batchKinds: Set<EntityKind> = [
        .organization, .service, .vendor, .residency, .entrustment, .provision, .transmission, .assessment,
    ]

    /// Inserts `records` (all of `kind`, none stored yet) with a fixed number of statements.
    public func insertNew(_ records: [Record], kind: EntityKind) throws {
        precondition(Self.batchKinds.contains(kind), "\(kind) is saved one by one")
        guard !records.isEmpty else { return }
        let records = records.map { Self.withDefaults($0, schema: kind.schema) }
        let rows = records.map { Self.batchRow($0, kind: kind) }
        let batch = BatchJSON.array(rows)
        for statement in Self.batchStatements[kind]! {
            try connection.query(statement, [batch])
        }
    }

    /// One record as the JSON object the batch statements read.
    static func batchRow(_ record: Record, kind: EntityKind) -> [(String, BatchJSON)] {
        let text = { (field: String) in (field, BatchJSON.string(record.string(field))) }
        let list = { (field: String) in (field, BatchJSON.strings(record.list(field))) }
        switch kind {
        case .organization:
            return ["key", "name", "name_ja", "country", "address", "representative", "privacy_contact_name",
                    "privacy_contact_email", "privacy_contact_url", "address_ja", "representative_ja", "privacy_contact_name_ja"].map(text)
        case .service:
            return ["key", "name", "organization", "description", "url", "owner", "valid_from", "valid_to"].map(text)
        case .vendor:
            let contacts = record.records("contacts").map { contact in
                ["name", "role", "email"].map { ($0, BatchJSON.string(contact.string($0))) }
            }
            return ["key", "legal_name", "name_ja", "headquarters", "contracting_country", "website", "trust_url", "privacy_url", "dpa_url",
                    "subprocessors_url", "risk_tier", "owner", "notes", "valid_from", "valid_to"].map(text)
                + ["aliases", "kinds", "certifications"].map(list) + [("contacts", .objects(contacts))]
        case .residency:
            let region = record.string("region")?.split(separator: "/", maxSplits: 1).map(String.init)
            let undisclosed = record.object("undisclosed")
            return ["key", "service", "vendor", "role", "country", "source", "verified_on", "asserted_by", "notes",
                    "valid_from", "valid_to"].map(text)
                + [list("categories"),
                   ("undisclosed_reason", .string(undisclosed?.string("reason"))),
                   ("candidates", .strings(undisclosed?.list("candidates") ?? [])),
                   ("region_provider", .string(region?.first)), ("region_code", .string(region?.last))]
        case .entrustment:
            let contract = record.object("contract") ?? Record()
            let subs = record.records("sub_entrustees").map { sub in
                ["vendor", "via", "work", "approved_on", "valid_from", "valid_to"].map { ($0, BatchJSON.string(sub.string($0))) }
                    + [("countries", .strings(sub.list("countries")))]
            }
            return ["key", "service", "vendor", "description", "cloud_exception_basis", "transfer_basis", "transfer_basis_note",
                    "transfer_basis_expires_on", "transfer_basis_checked_on", "reentrustment", "valid_from", "valid_to"].map(text)
                + ["purposes", "categories"].map(list)
                + [("cloud_exception", .bool(record.bool("cloud_exception"))),
                   ("foreign_info_given", .bool(record.bool("foreign_info_given"))),
                   ("contract_reference", .string(contract.string("reference"))),
                   ("contract_signed_on", .string(contract.string("signed_on"))),
                   ("contract_expires_on", .string(contract.string("expires_on"))),
                   ("contract_renewal", .string(contract.string("renewal") ?? "unknown")),
                   ("contract_notice_days", .int(contract.int("notice_days"))),
                   ("dpa_signed_on", .string(contract.string("dpa_signed_on"))),
                   ("dpa_expires_on", .string(contract.string("dpa_expires_on"))),
                   ("subs", .objects(subs))]
        case .provision:
            let items = record.records("records").map { item in
                ["provided_on", "data_subjects", "items", "consent_reference", "retain_until", "last_provided_on"].map { ($0, BatchJSON.string(item.string($0))) }
                    + [("method", BatchJSON.string(item.string("method") ?? "each"))]
            }
            let notification = record.object("ppc_notification")
            return ["key", "service", "recipient", "basis", "legal_exception", "purpose", "purpose_ja", "recipient_country", "valid_from",
                    "valid_to"].map(text)
                + [list("categories"), ("foreign_info_given", .bool(record.bool("foreign_info_given"))),
                   ("retention_years", .int(record.int("retention_years"))), ("records", .objects(items)),
                   ("ppc_notified_on", .string(notification?.string("notified_on"))),
                   ("ppc_notification_items", .strings(notification?.list("items") ?? [])),
                   ("ppc_notification_reference", .string(notification?.string("reference")))]
        case .transmission:
            return ["key", "service", "tool", "recipient", "purpose", "purpose_ja", "basis", "opt_out_url",
                    "recipient_country", "valid_from", "valid_to"].map(text)
                + ["information", "information_ja", "categories"].map(list)
        case .assessment:
            let answers = record.records("answers").map { answer in
                ["item", "status", "evidence", "note", "public_statement", "public_statement_ja"].map { ($0, BatchJSON.string(answer.string($0))) }
            }
            return ["key", "template", "organization", "vendor", "assessed_on", "assessor", "next_review_on", "notes"].map(text)
                + [("answers", .objects(answers))]
        case .category, .purpose:
            preconditionFailure("\(kind) is saved one by one")
        }
    }

    /// A join table's rows for the batch's records: (owner id, each value of a list field).
    /// The identifiers are compile-time literals (`StaticString`: no runtime string, let alone
    /// input, can be passed); every value is bound as `$1`.
    private static func children(
        _ table: StaticString, owner: StaticString, ownerColumn: StaticString, column: StaticString, field: StaticString
    ) -> String {
        """
        INSERT INTO \(table) (\(ownerColumn), \(column))
        SELECT o.id, v FROM jsonb_to_recordset($1::jsonb) AS r(key text, \(field) text[])
        JOIN \(owner) o ON o.key = r.key CROSS JOIN LATERAL unnest(r.\(field)) AS v
        """
    }

    /// The statements that insert a batch of each kind, run in order with the batch as $1.
    /// Keys are resolved to ids in SQL; an unknown key gives NULL, which the NOT NULL and
    /// CHECK constraints refuse.
    static let batchStatements: [EntityKind: [String]] = [
        .organization: [
            """
            INSERT INTO organization (key, name, name_ja, country_code, address, representative, privacy_contact_name,
                privacy_contact_email, privacy_contact_url, address_ja, representative_ja, privacy_contact_name_ja)
            SELECT key, name, name_ja, country, address, representative, privacy_contact_name, privacy_contact_email, privacy_contact_url,
                address_ja, representative_ja, privacy_contact_name_ja
            FROM jsonb_to_recordset($1::jsonb) AS r(key text, name text, name_ja text, country text, address text,
                representative text, privacy_contact_name text, privacy_contact_email text, privacy_contact_url text,
                address_ja text, representative_ja text, privacy_contact_name_ja text)
            """
        ],
        .service: [
            """
            INSERT INTO service (key, name, organization_id, description, url, owner, valid_from, valid_to)
            SELECT r.key, r.name, (SELECT id FROM organization WHERE key = r.organization), r.description, r.url, r.owner,
                r.valid_from, r.valid_to
            FROM jsonb_to_recordset($1::jsonb) AS r(key text, name text, organization text, description text, url text,
                owner text, valid_from date, valid_to date)
            """
        ],
        .vendor: [
            """
            INSERT INTO vendor (key, legal_name, name_ja, aliases, kinds, headquarters, contracting_country, website, trust_url,
                privacy_url, dpa_url, subprocessors_url, certifications, risk_tier, owner, notes, valid_from, valid_to)
            SELECT key, legal_name, name_ja, aliases, kinds, headquarters, contracting_country, website, trust_url, privacy_url,
                dpa_url, subprocessors_url, certifications, risk_tier, owner, notes, valid_from, valid_to
            FROM jsonb_to_recordset($1::jsonb) AS r(key text, legal_name text, name_ja text, aliases text[], kinds text[],
                headquarters text, contracting_country text, website text, trust_url text, privacy_url text, dpa_url text, subprocessors_url text,
                certifications text[], risk_tier text, owner text, notes text, valid_from date, valid_to date)
            """,
            """
            INSERT INTO vendor_contact (vendor_id, position, name, role, email)
            SELECT v.id, c.n - 1, c.name, c.role, c.email
            FROM jsonb_to_recordset($1::jsonb) AS r(key text, contacts jsonb) JOIN vendor v ON v.key = r.key
            CROSS JOIN LATERAL ROWS FROM (jsonb_to_recordset(r.contacts) AS (name text, role text, email text))
                WITH ORDINALITY AS c(name, role, email, n)
            """,
        ],
        .residency: [
            """
            INSERT INTO residency (key, service_id, vendor_id, role, country_code, undisclosed_reason, candidate_countries,
                region_provider, region_code, source, verified_on, asserted_by, notes, valid_from, valid_to)
            SELECT r.key, (SELECT id FROM service WHERE key = r.service), (SELECT id FROM vendor WHERE key = r.vendor), r.role,
                r.country, r.undisclosed_reason, r.candidates, r.region_provider, r.region_code, r.source, r.verified_on,
                r.asserted_by, r.notes, r.valid_from, r.valid_to
            FROM jsonb_to_recordset($1::jsonb) AS r(key text, service text, vendor text, role text, country text,
                undisclosed_reason text, candidates text[], region_provider text, region_code text, source text,
                verified_on date, asserted_by text, notes text, valid_from date, valid_to date)
            """,
            children("residency_category", owner: "residency", ownerColumn: "residency_id", column: "category_key", field: "categories"),
        ],
        .entrustment: [
            """
            INSERT INTO entrustment (key, service_id, vendor_id, description, cloud_exception, cloud_exception_basis,
                transfer_basis, transfer_basis_note, foreign_info_given, transfer_basis_expires_on, transfer_basis_checked_on,
                contract_reference, contract_signed_on, contract_expires_on, contract_renewal, contract_notice_days,
                dpa_signed_on, dpa_expires_on, reentrustment, valid_from, valid_to)
            SELECT r.key, (SELECT id FROM service WHERE key = r.service), (SELECT id FROM vendor WHERE key = r.vendor),
                r.description, r.cloud_exception, r.cloud_exception_basis, r.transfer_basis, r.transfer_basis_note,
                r.foreign_info_given, r.transfer_basis_expires_on, r.transfer_basis_checked_on, r.contract_reference, r.contract_signed_on,
                r.contract_expires_on, r.contract_renewal, r.contract_notice_days, r.dpa_signed_on, r.dpa_expires_on,
                r.reentrustment, r.valid_from, r.valid_to
            FROM jsonb_to_recordset($1::jsonb) AS r(key text, service text, vendor text, description text,
                cloud_exception boolean, cloud_exception_basis text, transfer_basis text, transfer_basis_note text,
                foreign_info_given boolean, transfer_basis_expires_on date, transfer_basis_checked_on date, contract_reference text, contract_signed_on date,
                contract_expires_on date, contract_renewal text, contract_notice_days integer, dpa_signed_on date,
                dpa_expires_on date, reentrustment text, valid_from date, valid_to date)
            """,
            children("entrustment_purpose", owner: "entrustment", ownerColumn: "entrustment_id", column: "purpose_key", field: "purposes"),
            children("entrustment_category", owner: "entrustment", ownerColumn: "entrustment_id", column: "category_key", field: "categories"),
            """
            INSERT INTO sub_entrustee (entrustment_id, vendor_id, via_vendor_id, countries, work, approved_on, valid_from, valid_to)
            SELECT e.id, (SELECT id FROM vendor WHERE key = s.vendor),
                CASE WHEN s.via IS NULL THEN e.vendor_id ELSE (SELECT id FROM vendor WHERE key = s.via) END,
                s.countries, s.work, s.approved_on, s.valid_from, s.valid_to
            FROM jsonb_to_recordset($1::jsonb) AS r(key text, subs jsonb) JOIN entrustment e ON e.key = r.key
            CROSS JOIN LATERAL jsonb_to_recordset(r.subs) AS s(vendor text, via text, countries text[], work text, approved_on date,
                valid_from date, valid_to date)
            """,
        ],
        .provision: [
            """
            INSERT INTO provision (key, service_id, recipient_id, basis, legal_exception, purpose, purpose_ja, recipient_country,
                foreign_info_given, retention_years, ppc_notified_on, ppc_notification_items, ppc_notification_reference,
                valid_from, valid_to)
            SELECT r.key, (SELECT id FROM service WHERE key = r.service), (SELECT id FROM vendor WHERE key = r.recipient),
                r.basis, r.legal_exception, r.purpose, r.purpose_ja, r.recipient_country, r.foreign_info_given, r.retention_years,
                r.ppc_notified_on, r.ppc_notification_items, r.ppc_notification_reference, r.valid_from, r.valid_to
            FROM jsonb_to_recordset($1::jsonb) AS r(key text, service text, recipient text, basis text, legal_exception text,
                purpose text, purpose_ja text, recipient_country text, foreign_info_given boolean, retention_years integer,
                ppc_notified_on date, ppc_notification_items text[], ppc_notification_reference text, valid_from date,
                valid_to date)
            """,
            children("provision_category", owner: "provision", ownerColumn: "provision_id", column: "category_key", field: "categories"),
            """
            INSERT INTO provision_record (provision_id, provided_on, data_subjects, items, consent_reference, retain_until,
                method, last_provided_on)
            SELECT p.id, x.provided_on, x.data_subjects, x.items, x.consent_reference, x.retain_until, x.method,
                x.last_provided_on
            FROM jsonb_to_recordset($1::jsonb) AS r(key text, records jsonb) JOIN provision p ON p.key = r.key
            CROSS JOIN LATERAL jsonb_to_recordset(r.records) AS x(provided_on date, data_subjects text, items text,
                consent_reference text, retain_until date, method text, last_provided_on date)
            """,
        ],
        .transmission: [
            """
            INSERT INTO transmission (key, service_id, tool, recipient_id, information, information_ja, purpose, purpose_ja,
                basis, opt_out_url, recipient_country, valid_from, valid_to)
            SELECT r.key, (SELECT id FROM service WHERE key = r.service), r.tool, (SELECT id FROM vendor WHERE key = r.recipient),
                r.information, r.information_ja, r.purpose, r.purpose_ja, r.basis, r.opt_out_url, r.recipient_country,
                r.valid_from, r.valid_to
            FROM jsonb_to_recordset($1::jsonb) AS r(key text, service text, tool text, recipient text, information text[],
                information_ja text[], purpose text, purpose_ja text, basis text, opt_out_url text, recipient_country text,
                valid_from date, valid_to date)
            """,
            children("transmission_category", owner: "transmission", ownerColumn: "transmission_id", column: "category_key", field: "categories"),
        ],
        .assessment: [
            """
            INSERT INTO assessment (key, template_key, organization_id, vendor_id, assessed_on, assessor, next_review_on, notes)
            SELECT r.key, r.template, (SELECT id FROM organization WHERE key = r.organization),
                (SELECT id FROM vendor WHERE key = r.vendor), r.assessed_on, r.assessor, r.next_review_on, r.notes
            FROM jsonb_to_recordset($1::jsonb) AS r(key text, template text, organization text, vendor text, assessed_on date,
                assessor text, next_review_on date, notes text)
            """,
            """
            INSERT INTO assessment_answer (assessment_id, template_key, item_id, status, evidence, note, public_statement,
                public_statement_ja)
            SELECT a.id, a.template_key, x.item, x.status, x.evidence, x.note, x.public_statement, x.public_statement_ja
            FROM jsonb_to_recordset($1::jsonb) AS r(key text, answers jsonb) JOIN assessment a ON a.key = r.key
            CROSS JOIN LATERAL jsonb_to_recordset(r.answers) AS x(item text, status text, evidence text, note text,
                public_statement text, public_statement_ja text)
            """,
        ],
    ]
}

/// The JSON of a batch parameter, written by hand: a few value shapes, escaped as RFC 8259 asks.
///
/// Kept hand-written (issue 14) because the import writes one of these per 500 records and
/// `JSONEncoder` took 1.6–1.8× as long for the same batches (976 ms against 532 ms for 10,000
/// residencies, the two in turn on the same input: `scripts/bench --only codecs --scale 0.1
/// --runs 7`, 2026-12-06, docs/benchmarks.md); that would take most of the import's margin to
/// its target (≤ 2× `\copy`; it measured 1.63–1.74×).
enum BatchJSON: PostgresEncodable {
    case string(String?)
    case int(Int?)
    case bool(Bool?)
    case strings([String])
    case objects([[(String, BatchJSON)]])
    case array([[(String, BatchJSON)]])

    var postgresText: String? {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .string(let text?): Self.quote(text, into: &out)
        case .int(let number?): out += String(number)
        case .bool(let flag?): out += flag ? "true" : "false"
        case .string(nil), .int(nil), .bool(nil): out += "null"
        case .strings(let texts):
            out += "["
            for (index, text) in texts.enumerated() {
                if index > 0 { out += "," }
                Self.quote(text, into: &out)
            }
            out += "]"
        case .objects(let objects), .array(let objects):
            out += "["
            for (index, object) in objects.enumerated() {
                if index > 0 { out += "," }
                out += "{"
                for (position, (name, value)) in object.enumerated() {
                    if position > 0 { out += "," }
                    Self.quote(name, into: &out)
                    out += ":"
                    value.write(into: &out)
                }
                out += "}"
            }
            out += "]"
        }
    }

    static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
