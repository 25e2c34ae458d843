import DomicileCore
import Foundation
import Postgres

/// Reading registry records: each query names its columns after the record's fields,
/// so one converter turns every row into a `Record`.
extension Store {
    /// Every record of `kind`, sorted by key; with `asOf`, only those valid on that day.
    /// Lists come back in code-point order (`COLLATE "C"`), the order `Validator.normalize`
    /// gives a file's lists, whatever the database's collation: otherwise a re-import would
    /// see changes that are not there.
    public func records(_ kind: EntityKind, asOf: Day? = nil, key: String? = nil) throws -> [Record] {
        let query = Self.readQueries[kind]!
        var conditions: [String] = []
        var parameters: [(any PostgresEncodable)?] = []
        if let key {
            parameters.append(key)
            conditions.append("key = $\(parameters.count)")
        }
        if let asOf, kind.schema.field("valid_from") != nil {
            parameters.append(asOf.description)
            conditions.append("valid_from::date <= $\(parameters.count)::date AND (valid_to IS NULL OR $\(parameters.count)::date < valid_to::date)")
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM (" + query + ") AS record" + filter + " ORDER BY key COLLATE \"C\""
        return try connection.query(sql, parameters).rows.map { row in
            kind.schema.withoutDefaults(try Self.record(from: row, schema: kind.schema))
        }
    }

    /// One record by key, or `nil`.
    public func record(_ kind: EntityKind, key: String) throws -> Record? {
        try records(kind, key: key).first
    }

    /// The whole registry, as export writes it.
    public func document() throws -> RegistryDocument {
        var document = RegistryDocument()
        for kind in RegistryDocument.order { document[kind] = try records(kind) }
        return document
    }

    /// Reference data and existing keys, for validation.
    public func referenceIndex() throws -> ReferenceIndex {
        var index = ReferenceIndex()
        for row in try connection.query("SELECT code, name_en FROM country").rows {
            index.countries[try row.decode(String.self, "code")] = try row.decode(String.self, "name_en")
        }
        for row in try connection.query("SELECT provider || '/' || code AS region, country_code FROM cloud_region").rows {
            index.regions[try row.decode(String.self, "region")] = try row.decode(String.self, "country_code")
        }
        for row in try connection.query(
            "SELECT t.key, coalesce(array_agg(i.item_id ORDER BY i.position) FILTER (WHERE i.item_id IS NOT NULL), '{}') AS items FROM checklist_template t LEFT JOIN checklist_item i ON i.template_key = t.key GROUP BY t.key"
        ).rows {
            index.templates[try row.decode(String.self, "key")] = try row.decode([String].self, "items")
        }
        index.sensitiveCategories = Set(try connection.query("SELECT key FROM data_category WHERE sensitive").rows.map { try $0.decode(String.self, "key") })
        for kind in EntityKind.allCases {
            let table = Self.tables[kind]!
            let keys = try connection.query("SELECT key FROM " + table).rows.map { try $0.decode(String.self, "key") }
            index.keys[kind] = Set(keys)
        }
        return index
    }

    // MARK: Row → Record

    static func record(from row: Row, schema: EntitySchema) throws -> Record {
        var record = Record()
        for field in schema.fields {
            guard row.columnNames.contains(field.name) else { continue }
            switch field.type {
            case .bool:
                record[field.name] = try row.decode(Bool?.self, field.name).map(Value.bool)
            case .int:
                record[field.name] = try row.decode(Int?.self, field.name).map(Value.int)
            case let type where type.isList:
                record[field.name] = try row.decode([String]?.self, field.name).map(Value.list)
            case .object(let nested):
                let json = try JSONFieldParser.record(in: row, field.name)
                record[field.name] = json.map { .object(Self.record(from: $0, schema: nested)) }
            case .records(let nested):
                let json = try JSONFieldParser.records(in: row, field.name)
                record[field.name] = json.map { .records($0.map { Self.record(from: $0, schema: nested) }) }
            default:
                record[field.name] = row.text(field.name).map(Value.string)
            }
        }
        return record
    }

    static func record(from json: [String: JSONField], schema: EntitySchema) -> Record {
        var record = Record()
        for field in schema.fields {
            guard let value = json[field.name] else { continue }
            switch value {
            case .string(let string): record[field.name] = .string(string)
            case .bool(let bool): record[field.name] = .bool(bool)
            case .int(let int): record[field.name] = .int(int)
            case .list(let list): record[field.name] = .list(list)
            case .null: break
            }
        }
        return record
    }

    // MARK: Queries

    static let tables: [EntityKind: String] = [
        .organization: "organization", .category: "data_category", .purpose: "purpose", .service: "service",
        .vendor: "vendor", .residency: "residency", .entrustment: "entrustment", .provision: "provision",
        .transmission: "transmission", .assessment: "assessment",
    ]

    static let readQueries: [EntityKind: String] = [
        .organization: """
            SELECT key, name, name_ja, country_code AS country, address, representative,
                   privacy_contact_name, privacy_contact_email, privacy_contact_url,
                   address_ja, representative_ja, privacy_contact_name_ja
            FROM organization
            """,
        .category: """
            SELECT key, name_en AS name, name_ja, description, sensitive FROM data_category
            """,
        .purpose: """
            SELECT p.key, p.name_en AS name, p.name_ja, p.description,
                   ARRAY(SELECT category_key FROM purpose_category WHERE purpose_key = p.key ORDER BY category_key COLLATE "C")::text[] AS categories
            FROM purpose p
            """,
        .service: """
            SELECT s.key, s.name, o.key AS organization, s.description, s.url, s.owner,
                   s.valid_from::text AS valid_from, s.valid_to::text AS valid_to
            FROM service s JOIN organization o ON o.id = s.organization_id
            """,
        .vendor: """
            SELECT v.key, v.legal_name, v.name_ja, v.aliases, v.kinds, v.headquarters, v.contracting_country, v.website, v.trust_url,
                   v.privacy_url, v.dpa_url, v.subprocessors_url, v.certifications, v.risk_tier, v.owner,
                   (SELECT json_agg(json_strip_nulls(json_build_object('name', c.name, 'role', c.role, 'email', c.email)) ORDER BY c.position)
                      FROM vendor_contact c WHERE c.vendor_id = v.id) AS contacts,
                   v.notes, v.valid_from::text AS valid_from, v.valid_to::text AS valid_to
            FROM vendor v
            """,
        .residency: """
            SELECT r.key, s.key AS service, v.key AS vendor, r.role,
                   ARRAY(SELECT category_key FROM residency_category WHERE residency_id = r.id ORDER BY category_key COLLATE "C")::text[] AS categories,
                   r.country_code AS country,
                   CASE WHEN r.region_code IS NOT NULL THEN r.region_provider || '/' || r.region_code END AS region,
                   CASE WHEN r.undisclosed_reason IS NOT NULL THEN
                       json_build_object('reason', r.undisclosed_reason, 'candidates', to_json(r.candidate_countries)) END AS undisclosed,
                   r.source, r.verified_on::text AS verified_on, r.asserted_by, r.notes,
                   r.valid_from::text AS valid_from, r.valid_to::text AS valid_to
            FROM residency r JOIN service s ON s.id = r.service_id JOIN vendor v ON v.id = r.vendor_id
            """,
        .entrustment: """
            SELECT e.key, s.key AS service, v.key AS vendor, e.description,
                   ARRAY(SELECT purpose_key FROM entrustment_purpose WHERE entrustment_id = e.id ORDER BY purpose_key COLLATE "C")::text[] AS purposes,
                   ARRAY(SELECT category_key FROM entrustment_category WHERE entrustment_id = e.id ORDER BY category_key COLLATE "C")::text[] AS categories,
                   e.cloud_exception, e.cloud_exception_basis, e.transfer_basis, e.transfer_basis_note,
                   e.foreign_info_given, e.transfer_basis_expires_on::text AS transfer_basis_expires_on,
                   e.transfer_basis_checked_on::text AS transfer_basis_checked_on,
                   json_strip_nulls(json_build_object(
                       'reference', e.contract_reference, 'signed_on', e.contract_signed_on::text,
                       'expires_on', e.contract_expires_on::text, 'renewal', e.contract_renewal,
                       'notice_days', e.contract_notice_days, 'dpa_signed_on', e.dpa_signed_on::text,
                       'dpa_expires_on', e.dpa_expires_on::text)) AS contract,
                   e.reentrustment,
                   (SELECT json_agg(json_strip_nulls(json_build_object(
                               'vendor', sv.key, 'via', NULLIF(vv.key, v.key), 'countries', to_json(se.countries),
                               'work', se.work, 'approved_on', se.approved_on::text,
                               'valid_from', se.valid_from::text, 'valid_to', se.valid_to::text)) ORDER BY sv.key COLLATE "C")
                      FROM sub_entrustee se JOIN vendor sv ON sv.id = se.vendor_id JOIN vendor vv ON vv.id = se.via_vendor_id
                      WHERE se.entrustment_id = e.id) AS sub_entrustees,
                   e.valid_from::text AS valid_from, e.valid_to::text AS valid_to
            FROM entrustment e JOIN service s ON s.id = e.service_id JOIN vendor v ON v.id = e.vendor_id
            """,
        .provision: """
            SELECT p.key, s.key AS service, v.key AS recipient, p.basis, p.legal_exception, p.purpose, p.purpose_ja,
                   ARRAY(SELECT category_key FROM provision_category WHERE provision_id = p.id ORDER BY category_key COLLATE "C")::text[] AS categories,
                   p.recipient_country, p.foreign_info_given, p.retention_years,
                   CASE WHEN p.ppc_notified_on IS NOT NULL OR p.ppc_notification_reference IS NOT NULL
                             OR cardinality(p.ppc_notification_items) > 0 THEN
                       json_strip_nulls(json_build_object(
                           'notified_on', p.ppc_notified_on::text,
                           'items', CASE WHEN cardinality(p.ppc_notification_items) > 0 THEN
                               to_json(ARRAY(SELECT i FROM unnest(p.ppc_notification_items) AS i ORDER BY i COLLATE "C")) END,
                           'reference', p.ppc_notification_reference)) END AS ppc_notification,
                   (SELECT json_agg(json_strip_nulls(json_build_object(
                               'provided_on', r.provided_on::text, 'data_subjects', r.data_subjects, 'items', r.items,
                               'consent_reference', r.consent_reference, 'retain_until', r.retain_until::text,
                               'method', r.method, 'last_provided_on', r.last_provided_on::text))
                           ORDER BY r.provided_on, r.data_subjects COLLATE "C")
                      FROM provision_record r WHERE r.provision_id = p.id) AS records,
                   p.valid_from::text AS valid_from, p.valid_to::text AS valid_to
            FROM provision p JOIN service s ON s.id = p.service_id JOIN vendor v ON v.id = p.recipient_id
            """,
        .transmission: """
            SELECT t.key, s.key AS service, t.tool, v.key AS recipient, t.information, t.information_ja,
                   ARRAY(SELECT category_key FROM transmission_category WHERE transmission_id = t.id ORDER BY category_key COLLATE "C")::text[] AS categories,
                   t.purpose, t.purpose_ja, t.basis, t.opt_out_url, t.recipient_country,
                   t.valid_from::text AS valid_from, t.valid_to::text AS valid_to
            FROM transmission t JOIN service s ON s.id = t.service_id JOIN vendor v ON v.id = t.recipient_id
            """,
        .assessment: assessmentQuery(answers: true),
    ]

    /// The read query of assessments; without `answers`, its answers column is NULL (the
    /// snapshot reads answers only for the latest assessments: `Store.snapshot`).
    static func assessmentQuery(answers: Bool) -> String {
        let column = answers ? """
            (SELECT json_agg(json_strip_nulls(json_build_object(
                        'item', x.item_id, 'status', x.status, 'evidence', x.evidence, 'note', x.note,
                        'public_statement', x.public_statement, 'public_statement_ja', x.public_statement_ja)) ORDER BY i.position)
               FROM assessment_answer x JOIN checklist_item i ON i.template_key = x.template_key AND i.item_id = x.item_id
               WHERE x.assessment_id = a.id)
            """ : "NULL::json"
        return """
            SELECT a.key, a.template_key AS template, o.key AS organization, v.key AS vendor,
                   a.assessed_on::text AS assessed_on, a.assessor, a.next_review_on::text AS next_review_on, a.notes,
                   \(column) AS answers
            FROM assessment a LEFT JOIN organization o ON o.id = a.organization_id LEFT JOIN vendor v ON v.id = a.vendor_id
            """
    }
}

/// A JSON value inside a nested record read from the database.
enum JSONField: Codable {
    case string(String), bool(Bool), int(Int), list([String]), null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let int = try? container.decode(Int.self) {
            self = .int(int)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else {
            self = .list(try container.decode([String].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .list(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}
