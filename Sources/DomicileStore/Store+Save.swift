import DomicileCore
import Foundation
import Postgres

/// Writing registry records. Call inside `Store.write` so the whole change is one
/// transaction and the audit trigger knows the actor. Records must be validated first;
/// the database's constraints are the last line, not the first.
extension Store {
    /// Adds `record` or updates the record with its key, including its nested lists.
    public func save(_ record: Record, kind: EntityKind) throws {
        let record = Self.withDefaults(record, schema: kind.schema)
        guard let key = record.key else { throw InputError(Issue.missing("key")) }
        switch kind {
        case .organization:
            try upsert(
                "organization",
                [
                    ("key", key), ("name", record.string("name")), ("name_ja", record.string("name_ja")),
                    ("country_code", record.string("country")), ("address", record.string("address")),
                    ("representative", record.string("representative")),
                    ("privacy_contact_name", record.string("privacy_contact_name")),
                    ("privacy_contact_email", record.string("privacy_contact_email")),
                    ("privacy_contact_url", record.string("privacy_contact_url")),
                    ("address_ja", record.string("address_ja")), ("representative_ja", record.string("representative_ja")),
                    ("privacy_contact_name_ja", record.string("privacy_contact_name_ja")),
                ])
        case .category:
            let parent = key.lastIndex(of: ".").map { String(key[..<$0]) }
            try upsert(
                "data_category",
                [
                    ("key", key), ("parent_key", parent), ("name_en", record.string("name")),
                    ("name_ja", record.string("name_ja")), ("description", record.string("description")),
                    ("sensitive", record.bool("sensitive")),
                ], returning: nil)
        case .purpose:
            try upsert(
                "purpose",
                [
                    ("key", key), ("name_en", record.string("name")), ("name_ja", record.string("name_ja")),
                    ("description", record.string("description")),
                ], returning: nil)
            try syncSet("purpose_category", owner: ("purpose_key", key, "text"), column: "category_key", record.list("categories"))
        case .service:
            try upsert(
                "service",
                [
                    ("key", key), ("name", record.string("name")),
                    ("organization_id", try id(.organization, record.string("organization"))),
                    ("description", record.string("description")), ("url", record.string("url")),
                    ("owner", record.string("owner")),
                    ("valid_from", record.string("valid_from")), ("valid_to", record.string("valid_to")),
                ])
        case .vendor:
            let id = try upsert(
                "vendor",
                [
                    ("key", key), ("legal_name", record.string("legal_name")), ("name_ja", record.string("name_ja")),
                    ("aliases", record.list("aliases")), ("kinds", record.list("kinds")),
                    ("headquarters", record.string("headquarters")),
                    ("contracting_country", record.string("contracting_country")), ("website", record.string("website")),
                    ("trust_url", record.string("trust_url")), ("privacy_url", record.string("privacy_url")),
                    ("dpa_url", record.string("dpa_url")), ("subprocessors_url", record.string("subprocessors_url")),
                    ("certifications", record.list("certifications")), ("risk_tier", record.string("risk_tier")),
                    ("owner", record.string("owner")), ("notes", record.string("notes")),
                    ("valid_from", record.string("valid_from")), ("valid_to", record.string("valid_to")),
                ])!
            let contacts = record.records("contacts")
            for (position, contact) in contacts.enumerated() {
                try connection.query(
                    """
                    INSERT INTO vendor_contact (vendor_id, position, name, role, email) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (vendor_id, position) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role, email = EXCLUDED.email
                    """, [id, position, contact.string("name"), contact.string("role"), contact.string("email")])
            }
            try connection.query("DELETE FROM vendor_contact WHERE vendor_id = $1 AND position >= $2", [id, contacts.count])
        case .residency:
            let region = record.string("region")?.split(separator: "/", maxSplits: 1).map(String.init)
            let undisclosed = record.object("undisclosed")
            let id = try upsert(
                "residency",
                [
                    ("key", key), ("service_id", try self.id(.service, record.string("service"))),
                    ("vendor_id", try self.id(.vendor, record.string("vendor"))), ("role", record.string("role")),
                    ("country_code", record.string("country")), ("undisclosed_reason", undisclosed?.string("reason")),
                    ("candidate_countries", undisclosed?.list("candidates") ?? []),
                    ("region_provider", region?.first), ("region_code", region?.last),
                    ("source", record.string("source")), ("verified_on", record.string("verified_on")),
                    ("asserted_by", record.string("asserted_by")), ("notes", record.string("notes")),
                    ("valid_from", record.string("valid_from")), ("valid_to", record.string("valid_to")),
                ])!
            try syncSet("residency_category", owner: ("residency_id", id, "bigint"), column: "category_key", record.list("categories"))
        case .entrustment:
            let contract = record.object("contract") ?? Record()
            let vendorID = try self.id(.vendor, record.string("vendor"))
            let id = try upsert(
                "entrustment",
                [
                    ("key", key), ("service_id", try self.id(.service, record.string("service"))),
                    ("vendor_id", vendorID), ("description", record.string("description")),
                    ("cloud_exception", record.bool("cloud_exception")),
                    ("cloud_exception_basis", record.string("cloud_exception_basis")),
                    ("transfer_basis", record.string("transfer_basis")),
                    ("transfer_basis_note", record.string("transfer_basis_note")),
                    ("foreign_info_given", record.bool("foreign_info_given")),
                    ("transfer_basis_expires_on", record.string("transfer_basis_expires_on")),
                    ("transfer_basis_checked_on", record.string("transfer_basis_checked_on")),
                    ("contract_reference", contract.string("reference")),
                    ("contract_signed_on", contract.string("signed_on")),
                    ("contract_expires_on", contract.string("expires_on")),
                    ("contract_renewal", contract.string("renewal") ?? "unknown"),
                    ("contract_notice_days", contract.int("notice_days")),
                    ("dpa_signed_on", contract.string("dpa_signed_on")),
                    ("dpa_expires_on", contract.string("dpa_expires_on")),
                    ("reentrustment", record.string("reentrustment")),
                    ("valid_from", record.string("valid_from")), ("valid_to", record.string("valid_to")),
                ])!
            try syncSet("entrustment_purpose", owner: ("entrustment_id", id, "bigint"), column: "purpose_key", record.list("purposes"))
            try syncSet("entrustment_category", owner: ("entrustment_id", id, "bigint"), column: "category_key", record.list("categories"))
            var kept: [Int64] = []
            for sub in record.records("sub_entrustees") {
                let subID = try self.id(.vendor, sub.string("vendor"))
                let viaID = try sub.string("via").map { try self.id(.vendor, $0) } ?? vendorID
                kept.append(subID)
                try connection.query(
                    """
                    INSERT INTO sub_entrustee (entrustment_id, vendor_id, via_vendor_id, countries, work, approved_on, valid_from, valid_to)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    ON CONFLICT (entrustment_id, vendor_id) DO UPDATE SET via_vendor_id = EXCLUDED.via_vendor_id,
                        countries = EXCLUDED.countries, work = EXCLUDED.work, approved_on = EXCLUDED.approved_on,
                        valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to
                    """,
                    [id, subID, viaID, sub.list("countries"), sub.string("work"), sub.string("approved_on"),
                     sub.string("valid_from"), sub.string("valid_to")])
            }
            try connection.query(
                "DELETE FROM sub_entrustee WHERE entrustment_id = $1 AND NOT (vendor_id = ANY($2::bigint[]))",
                [id, kept.map(String.init)])
        case .provision:
            let id = try upsert(
                "provision",
                [
                    ("key", key), ("service_id", try self.id(.service, record.string("service"))),
                    ("recipient_id", try self.id(.vendor, record.string("recipient"))), ("basis", record.string("basis")),
                    ("legal_exception", record.string("legal_exception")), ("purpose", record.string("purpose")),
                    ("purpose_ja", record.string("purpose_ja")),
                    ("recipient_country", record.string("recipient_country")),
                    ("foreign_info_given", record.bool("foreign_info_given")),
                    ("retention_years", record.int("retention_years")),
                    ("ppc_notified_on", record.object("ppc_notification")?.string("notified_on")),
                    ("ppc_notification_items", record.object("ppc_notification")?.list("items") ?? []),
                    ("ppc_notification_reference", record.object("ppc_notification")?.string("reference")),
                    ("valid_from", record.string("valid_from")), ("valid_to", record.string("valid_to")),
                ])!
            try syncSet("provision_category", owner: ("provision_id", id, "bigint"), column: "category_key", record.list("categories"))
            // Provision records are kept for their retention period: added or corrected, never removed.
            for item in record.records("records") {
                try connection.query(
                    """
                    INSERT INTO provision_record (provision_id, provided_on, data_subjects, items, consent_reference, retain_until,
                        method, last_provided_on)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    ON CONFLICT (provision_id, provided_on, data_subjects) DO UPDATE SET items = EXCLUDED.items,
                        consent_reference = EXCLUDED.consent_reference, retain_until = EXCLUDED.retain_until,
                        method = EXCLUDED.method, last_provided_on = EXCLUDED.last_provided_on
                    """,
                    [id, item.string("provided_on"), item.string("data_subjects"), item.string("items"),
                     item.string("consent_reference"), item.string("retain_until"), item.string("method") ?? "each",
                     item.string("last_provided_on")])
            }
        case .transmission:
            let id = try upsert(
                "transmission",
                [
                    ("key", key), ("service_id", try self.id(.service, record.string("service"))),
                    ("tool", record.string("tool")), ("recipient_id", try self.id(.vendor, record.string("recipient"))),
                    ("information", record.list("information")), ("information_ja", record.list("information_ja")),
                    ("purpose", record.string("purpose")), ("purpose_ja", record.string("purpose_ja")),
                    ("basis", record.string("basis")), ("opt_out_url", record.string("opt_out_url")),
                    ("recipient_country", record.string("recipient_country")),
                    ("valid_from", record.string("valid_from")), ("valid_to", record.string("valid_to")),
                ])!
            try syncSet("transmission_category", owner: ("transmission_id", id, "bigint"), column: "category_key", record.list("categories"))
        case .assessment:
            let template = record.string("template")
            let id = try upsert(
                "assessment",
                [
                    ("key", key), ("template_key", template),
                    ("organization_id", try record.string("organization").map { try self.id(.organization, $0) }),
                    ("vendor_id", try record.string("vendor").map { try self.id(.vendor, $0) }),
                    ("assessed_on", record.string("assessed_on")), ("assessor", record.string("assessor")),
                    ("next_review_on", record.string("next_review_on")), ("notes", record.string("notes")),
                ])!
            var items: [String] = []
            for answer in record.records("answers") {
                items.append(answer.string("item") ?? "")
                try connection.query(
                    """
                    INSERT INTO assessment_answer (assessment_id, template_key, item_id, status, evidence, note,
                        public_statement, public_statement_ja)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    ON CONFLICT (assessment_id, item_id) DO UPDATE SET template_key = EXCLUDED.template_key,
                        status = EXCLUDED.status, evidence = EXCLUDED.evidence, note = EXCLUDED.note,
                        public_statement = EXCLUDED.public_statement, public_statement_ja = EXCLUDED.public_statement_ja
                    """,
                    [id, template, answer.string("item"), answer.string("status"), answer.string("evidence"), answer.string("note"),
                     answer.string("public_statement"), answer.string("public_statement_ja")])
            }
            try connection.query(
                "DELETE FROM assessment_answer WHERE assessment_id = $1 AND NOT (item_id = ANY($2))", [id, items])
        }
    }

    /// The internal id of the record `key` of `kind`.
    func id(_ kind: EntityKind, _ key: String?) throws -> Int64 {
        guard let key else { throw InputError(Issue.missing(kind.rawValue)) }
        let table = Self.tables[kind]!
        guard let row = try connection.query("SELECT id FROM " + table + " WHERE key = $1", [key]).first else {
            throw InputError(Issue(code: "input.unknown_\(kind.rawValue)", field: kind.rawValue, value: key, message: "\(kind.rawValue) '\(key)' does not exist"))
        }
        return try row.decode(Int64.self, "id")
    }

    /// INSERT … ON CONFLICT (key) DO UPDATE, returning the row's id. Table and column
    /// names are compile-time constants of this file (checked below); every value is bound.
    @discardableResult
    func upsert(_ table: String, _ columns: [(String, (any PostgresEncodable)?)], returning: String? = "id") throws -> Int64? {
        precondition(([table] + columns.map(\.0)).allSatisfy(Self.isIdentifier), "identifiers are constants")
        let names = columns.map(\.0)
        let placeholders = (1...columns.count).map { "$" + String($0) }
        let updates = names.filter { $0 != "key" }.map { $0 + " = EXCLUDED." + $0 }
        var sql = "INSERT INTO " + table + " (" + names.joined(separator: ", ") + ") VALUES ("
        sql += placeholders.joined(separator: ", ") + ") ON CONFLICT (key) DO UPDATE SET " + updates.joined(separator: ", ")
        if let returning { sql += " RETURNING " + returning }
        let result = try connection.query(sql, columns.map(\.1))
        guard returning != nil else { return nil }
        return try result.first?.decode(Int64.self, at: 0)
    }

    /// Makes the join table hold exactly `values` for the owner: removes the others and adds the missing.
    func syncSet(_ table: String, owner: (column: String, value: any PostgresEncodable, type: String), column: String, _ values: [String]) throws {
        precondition([table, owner.column, owner.type, column].allSatisfy(Self.isIdentifier), "identifiers are constants")
        try connection.query(
            "DELETE FROM " + table + " WHERE " + owner.column + " = $1::" + owner.type + " AND NOT (" + column + " = ANY($2::text[]))",
            [owner.value, values])
        try connection.query(
            "INSERT INTO " + table + " (" + owner.column + ", " + column + ") SELECT $1::" + owner.type
                + ", unnest($2::text[]) ON CONFLICT DO NOTHING",
            [owner.value, values])
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter else { return false }
        return name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
    }

    /// `record` with defaults filled in, so absent fields get the schema's default.
    static func withDefaults(_ record: Record, schema: EntitySchema) -> Record {
        var record = record
        for field in schema.fields where record[field.name] == nil {
            if let value = field.defaultValue { record[field.name] = value }
        }
        return record
    }
}
