import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

// MARK: - Fixture

/// Valid rows in every table of schema/0001_domain.sql, so each bad row below has real parents
/// and differs from a valid row in exactly one respect.
enum SchemaFixture {
    static let service = "(SELECT id FROM service WHERE key = 'portal')"
    static let organization = "(SELECT id FROM organization WHERE key = 'acme')"
    static let cloudco = "(SELECT id FROM vendor WHERE key = 'cloudco')"
    static let subco = "(SELECT id FROM vendor WHERE key = 'subco')"
    static let thirdco = "(SELECT id FROM vendor WHERE key = 'thirdco')"
    static let residency = "(SELECT id FROM residency WHERE key = 'portal-db')"
    static let entrustment = "(SELECT id FROM entrustment WHERE key = 'portal-hosting')"
    static let provision = "(SELECT id FROM provision WHERE key = 'partner-share')"
    static let transmission = "(SELECT id FROM transmission WHERE key = 'analytics')"
    static let assessment = "(SELECT id FROM assessment WHERE key = 'cloudco-2024')"
    static let missingID = "999999"

    /// The unseeded template has no countries: the fixture adds JP and US itself.
    static let sql = """
        INSERT INTO country (code, alpha3, numeric_code, name_en) VALUES
            ('JP', 'JPN', '392', 'Japan'), ('US', 'USA', '840', 'United States of America');
        INSERT INTO country_regime (country_code, effective_from, eu_member, eea_member, eu_adequacy, jp_ppc_equivalent,
            apec_cbpr, ppc_survey, comprehensive_law, localization, confidence, source, verified_on)
            VALUES ('JP', '2024-01-01', false, false, 'yes', 'home', true, 'not_applicable', 'yes', 'none', 'verified',
                    'PPC', '2024-06-01');
        INSERT INTO cloud_provider (key, name, headquarters) VALUES ('aws', 'Amazon Web Services', 'US');
        INSERT INTO cloud_region (provider, code, country_code, city, verified_on, source)
            VALUES ('aws', 'ap-northeast-1', 'JP', 'Tokyo', '2024-06-01', 'https://aws.amazon.com/about-aws/global-infrastructure/');
        INSERT INTO data_category (key, name_en) VALUES ('contact', 'Contact details');
        INSERT INTO data_category (key, parent_key, name_en) VALUES ('contact.email', 'contact', 'Email address');
        INSERT INTO purpose (key, name_en) VALUES ('support', 'Customer support'), ('billing', 'Billing');
        INSERT INTO purpose_category (purpose_key, category_key) VALUES ('support', 'contact.email');
        INSERT INTO checklist_template (key, version, title_en) VALUES ('ppc-guideline', '2024', 'PPC guideline');
        INSERT INTO checklist_item (template_key, item_id, group_code, title_en, description, mandatory, confidence, position)
            VALUES ('ppc-guideline', 'BP-1', 'BP', 'Basic policy', 'Adopt a basic policy', true, 'verified', 0),
                   ('ppc-guideline', 'BP-2', 'BP', 'Review', 'Review the policy', false, 'partial', 1);
        INSERT INTO organization (key, name, country_code, privacy_contact_email, privacy_contact_url)
            VALUES ('acme', '株式会社ASSIGN', 'JP', 'privacy@acme.example', 'https://acme.example/privacy');
        INSERT INTO service (key, name, organization_id, valid_from) VALUES ('portal', 'Portal', \(organization), '2024-01-01');
        INSERT INTO vendor (key, legal_name, kinds, headquarters, risk_tier, valid_from, certifications) VALUES
            ('cloudco', 'CloudCo Inc.', ARRAY['cloud_provider', 'entrustee'], 'US', 'medium', '2024-01-01', ARRAY['iso27001']),
            ('subco', 'SubCo LLC', ARRAY['entrustee'], 'US', 'low', '2024-01-01', '{}'),
            ('thirdco', 'ThirdCo K.K.', ARRAY['entrustee'], 'JP', 'low', '2024-01-01', '{}');
        INSERT INTO vendor_contact (vendor_id, position, name, email)
            VALUES (\(cloudco), 0, 'Account manager', 'am@cloudco.example');
        INSERT INTO residency (key, service_id, vendor_id, role, country_code, region_provider, region_code, source,
            verified_on, asserted_by, valid_from)
            VALUES ('portal-db', \(service), \(cloudco), 'storage', 'JP', 'aws', 'ap-northeast-1', 'contract',
                    '2024-06-01', 'dpo', '2024-01-01');
        INSERT INTO residency_category (residency_id, category_key) VALUES (\(residency), 'contact.email');
        INSERT INTO entrustment (key, service_id, vendor_id, valid_from)
            VALUES ('portal-hosting', \(service), \(cloudco), '2024-01-01');
        INSERT INTO entrustment_purpose (entrustment_id, purpose_key) VALUES (\(entrustment), 'support');
        INSERT INTO entrustment_category (entrustment_id, category_key) VALUES (\(entrustment), 'contact.email');
        INSERT INTO sub_entrustee (entrustment_id, vendor_id, via_vendor_id, countries)
            VALUES (\(entrustment), \(subco), \(cloudco), ARRAY['US']);
        INSERT INTO provision (key, service_id, recipient_id, basis, purpose, recipient_country, valid_from)
            VALUES ('partner-share', \(service), \(subco), 'consent', 'Joint campaign', 'US', '2024-01-01');
        INSERT INTO provision_category (provision_id, category_key) VALUES (\(provision), 'contact.email');
        INSERT INTO provision_record (provision_id, provided_on, data_subjects, items, retain_until)
            VALUES (\(provision), '2024-03-01', 'customers', 'email', '2027-03-01');
        INSERT INTO transmission (key, service_id, tool, recipient_id, information, purpose, basis, valid_from)
            VALUES ('analytics', \(service), 'Analytics tag', \(cloudco), ARRAY['page views'], 'Usage analytics', 'notice',
                    '2024-01-01');
        INSERT INTO transmission_category (transmission_id, category_key) VALUES (\(transmission), 'contact.email');
        INSERT INTO assessment (key, template_key, vendor_id, assessed_on, assessor, next_review_on)
            VALUES ('cloudco-2024', 'ppc-guideline', \(cloudco), '2024-06-01', 'dpo', '2025-06-01');
        INSERT INTO assessment_answer (assessment_id, template_key, item_id, status, evidence)
            VALUES (\(assessment), 'ppc-guideline', 'BP-1', 'met', 'Policy v3');
        INSERT INTO api_token (name, token_hash) VALUES ('reporting', repeat('ab', 32));
        """

    static func insert(into connection: Connection) throws {
        try connection.unsafeExecuteScript(sql)
    }
}

/// One new, valid row for a table (column → SQL expression), not clashing with the fixture.
struct RowTemplate: Sendable, CustomTestStringConvertible {
    let table: String
    let values: [(column: String, sql: String)]

    init(_ table: String, _ values: [(String, String)]) {
        self.table = table
        self.values = values.map { (column: $0.0, sql: $0.1) }
    }

    /// The same row with `changes` applied (an existing column is replaced, a new one added).
    func with(_ changes: (String, String)...) -> RowTemplate {
        var result = values.map { ($0.column, $0.sql) }
        for (column, sql) in changes {
            if let index = result.firstIndex(where: { $0.0 == column }) {
                result[index].1 = sql
            } else {
                result.append((column, sql))
            }
        }
        return RowTemplate(table, result)
    }

    var insertSQL: String {
        "INSERT INTO \(table) (\(values.map(\.column).joined(separator: ", "))) VALUES (\(values.map(\.sql).joined(separator: ", ")))"
    }

    var testDescription: String { table }
}

enum Valid {
    typealias F = SchemaFixture
    static let country = RowTemplate("country", [("code", "'FR'"), ("alpha3", "'FRA'"), ("numeric_code", "'250'"), ("name_en", "'France'")])
    static let countryRegime = RowTemplate("country_regime", [
        ("country_code", "'US'"), ("effective_from", "'2024-01-01'"), ("effective_to", "'2025-01-01'"), ("eu_member", "false"),
        ("eea_member", "false"), ("eu_adequacy", "'partial'"), ("jp_ppc_equivalent", "'no'"), ("apec_cbpr", "true"),
        ("ppc_survey", "'yes'"), ("comprehensive_law", "'partial'"), ("localization", "'sectoral'"),
        ("confidence", "'partial'"), ("source", "'PPC survey'"), ("verified_on", "'2024-06-01'"),
    ])
    static let countryRegimeFact = RowTemplate("country_regime_fact", [
        ("key", "'US#apec_cbpr#yes#2012-07-25'"), ("country_code", "'US'"), ("fact", "'apec_cbpr'"), ("value", "'yes'"),
        ("effective_from", "'2012-07-25'"), ("effective_to", "NULL"), ("public_en", "'The US participates.'"),
        ("public_ja", "'米国は参加しています。'"), ("source", "'FTC release'"), ("confidence", "'reported'"),
        ("verified_on", "'2026-12-06'"),
    ])
    static let cloudProvider = RowTemplate("cloud_provider", [("key", "'gcp'"), ("name", "'Google Cloud'"), ("headquarters", "'US'")])
    static let cloudRegion = RowTemplate("cloud_region", [
        ("provider", "'aws'"), ("code", "'us-east-1'"), ("country_code", "'US'"), ("city", "'Ashburn'"),
        ("verified_on", "'2024-06-01'"), ("source", "'aws docs'"),
    ])
    static let dataCategory = RowTemplate("data_category", [("key", "'contact.phone'"), ("parent_key", "'contact'"), ("name_en", "'Phone number'")])
    static let purpose = RowTemplate("purpose", [("key", "'marketing'"), ("name_en", "'Marketing'")])
    static let purposeCategory = RowTemplate("purpose_category", [("purpose_key", "'support'"), ("category_key", "'contact'")])
    static let checklistTemplate = RowTemplate("checklist_template", [("key", "'iso-27001'"), ("version", "'2022'"), ("title_en", "'ISO/IEC 27001'")])
    static let checklistItem = RowTemplate("checklist_item", [
        ("template_key", "'ppc-guideline'"), ("item_id", "'RUL-3a'"), ("group_code", "'RUL'"), ("title_en", "'Rules'"),
        ("description", "'Set handling rules'"), ("mandatory", "true"), ("confidence", "'general'"), ("position", "2"),
    ])
    static let organization = RowTemplate("organization", [
        ("key", "'acme-us'"), ("name", "'ACME Inc.'"), ("country_code", "'US'"),
        ("privacy_contact_email", "'privacy@acme-us.example'"), ("privacy_contact_url", "'https://acme-us.example/privacy'"),
    ])
    static let service = RowTemplate("service", [
        ("key", "'shop'"), ("name", "'Shop'"), ("organization_id", F.organization), ("url", "'https://shop.example'"),
        ("valid_from", "'2024-01-01'"), ("valid_to", "'2025-01-01'"),
    ])
    static let vendor = RowTemplate("vendor", [
        ("key", "'mailco'"), ("legal_name", "'MailCo Ltd.'"), ("aliases", "ARRAY['MailCo']"), ("kinds", "ARRAY['entrustee']"),
        ("headquarters", "'JP'"), ("website", "'https://mailco.example'"), ("certifications", "ARRAY['pmark', 'iso27001']"),
        ("risk_tier", "'high'"), ("valid_from", "'2024-01-01'"), ("valid_to", "'2026-01-01'"),
    ])
    static let vendorContact = RowTemplate("vendor_contact", [
        ("vendor_id", F.cloudco), ("position", "1"), ("name", "'Security desk'"), ("email", "'security@cloudco.example'"),
    ])
    /// Disclosed, without a region.
    static let residency = RowTemplate("residency", [
        ("key", "'portal-backup'"), ("service_id", F.service), ("vendor_id", F.cloudco), ("role", "'backup'"),
        ("country_code", "'JP'"), ("source", "'contract'"), ("verified_on", "'2024-06-01'"), ("asserted_by", "'dpo'"),
        ("valid_from", "'2024-01-01'"),
    ])
    static let residencyInRegion = residency.with(("region_provider", "'aws'"), ("region_code", "'ap-northeast-1'"))
    static let undisclosedResidency = residency.with(
        ("country_code", "NULL"), ("undisclosed_reason", "'vendor does not disclose'"), ("candidate_countries", "ARRAY['JP', 'US']"))
    static let residencyCategory = RowTemplate("residency_category", [("residency_id", F.residency), ("category_key", "'contact'")])
    static let entrustment = RowTemplate("entrustment", [
        ("key", "'portal-mail'"), ("service_id", F.service), ("vendor_id", F.cloudco), ("cloud_exception", "true"),
        ("cloud_exception_basis", "'no access to personal data'"), ("contract_signed_on", "'2024-01-01'"),
        ("contract_expires_on", "'2025-01-01'"), ("contract_renewal", "'automatic'"), ("contract_notice_days", "30"),
        ("dpa_signed_on", "'2024-01-01'"), ("dpa_expires_on", "'2025-01-01'"), ("reentrustment", "'prior_approval'"),
        ("valid_from", "'2024-01-01'"), ("valid_to", "'2025-01-01'"),
    ])
    static let entrustmentPurpose = RowTemplate("entrustment_purpose", [("entrustment_id", F.entrustment), ("purpose_key", "'billing'")])
    static let entrustmentCategory = RowTemplate("entrustment_category", [("entrustment_id", F.entrustment), ("category_key", "'contact'")])
    static let subEntrustee = RowTemplate("sub_entrustee", [
        ("entrustment_id", F.entrustment), ("vendor_id", F.thirdco), ("via_vendor_id", F.subco), ("countries", "ARRAY['JP']"),
        ("valid_from", "'2024-02-01'"), ("valid_to", "'2024-12-01'"),
    ])
    static let provision = RowTemplate("provision", [
        ("key", "'fraud-share'"), ("service_id", F.service), ("recipient_id", F.subco), ("basis", "'legal_exception'"),
        ("legal_exception", "'APPI Art. 27(1)(ii)'"), ("purpose", "'Fraud prevention'"), ("recipient_country", "'US'"),
        ("retention_years", "5"), ("valid_from", "'2024-01-01'"), ("valid_to", "'2025-01-01'"),
    ])
    static let provisionCategory = RowTemplate("provision_category", [("provision_id", F.provision), ("category_key", "'contact'")])
    static let provisionRecord = RowTemplate("provision_record", [
        ("provision_id", F.provision), ("provided_on", "'2024-04-01'"), ("data_subjects", "'customers'"), ("items", "'email'"),
        ("retain_until", "'2027-04-01'"),
    ])
    static let transmission = RowTemplate("transmission", [
        ("key", "'ads'"), ("service_id", F.service), ("tool", "'Ad tag'"), ("recipient_id", F.cloudco),
        ("information", "ARRAY['cookie id']"), ("purpose", "'Advertising'"), ("basis", "'opt_out'"),
        ("opt_out_url", "'https://cloudco.example/opt-out'"), ("recipient_country", "'US'"), ("valid_from", "'2024-01-01'"),
        ("valid_to", "'2025-01-01'"),
    ])
    static let transmissionCategory = RowTemplate("transmission_category", [("transmission_id", F.transmission), ("category_key", "'contact'")])
    static let assessment = RowTemplate("assessment", [
        ("key", "'acme-2024'"), ("template_key", "'ppc-guideline'"), ("organization_id", F.organization),
        ("assessed_on", "'2024-06-01'"), ("assessor", "'dpo'"), ("next_review_on", "'2025-06-01'"),
    ])
    static let assessmentAnswer = RowTemplate("assessment_answer", [
        ("assessment_id", F.assessment), ("template_key", "'ppc-guideline'"), ("item_id", "'BP-2'"), ("status", "'partial'"),
        ("evidence", "'Draft policy'"),
    ])
    static let apiToken = RowTemplate("api_token", [
        ("name", "'ci'"), ("token_hash", "repeat('cd', 32)"), ("scope", "'read'"), ("expires_at", "now() + interval '1 day'"),
    ])
    static let auditLog = RowTemplate("audit_log", [
        ("actor", "'tester'"), ("entity", "'vendor'"), ("entity_key", "'x'"), ("action", "'add'"), ("after", "'{}'"),
    ])

    static let all: [RowTemplate] = [
        country, countryRegime, cloudProvider, cloudRegion, dataCategory, purpose, purposeCategory, checklistTemplate,
        checklistItem, organization, service, vendor, vendorContact, residency, residencyInRegion, undisclosedResidency,
        residencyCategory, entrustment, entrustmentPurpose, entrustmentCategory, subEntrustee, provision,
        provisionCategory, provisionRecord, transmission, transmissionCategory, assessment, assessmentAnswer, apiToken,
        auditLog,
    ]
}

/// A bad row and the constraint that must refuse it.
struct Violation: Sendable, CustomTestStringConvertible {
    let constraint: String
    let sqlState: String
    let sql: String
    /// Run first in the same transaction (e.g. to get past a trigger that would refuse the row earlier).
    var setup: String? = nil
    var label: String? = nil

    static func check(_ constraint: String, _ row: RowTemplate, _ label: String? = nil) -> Violation {
        Violation(constraint: constraint, sqlState: PostgresError.Code.checkViolation, sql: row.insertSQL, label: label)
    }

    static func foreignKey(_ constraint: String, _ row: RowTemplate, setup: String? = nil) -> Violation {
        Violation(constraint: constraint, sqlState: PostgresError.Code.foreignKeyViolation, sql: row.insertSQL, setup: setup)
    }

    var testDescription: String { label.map { "\(constraint) (\($0))" } ?? constraint }
}

enum Violations {
    typealias F = SchemaFixture
    typealias V = Violation
    static let missing = F.missingID
    /// The region trigger runs before constraints; switch it off to reach the constraint behind it.
    static let withoutRegionTrigger = "ALTER TABLE residency DISABLE TRIGGER residency_region_in_country"

    static let domains: [Violation] = [
        .check("record_key_check", Valid.vendor.with(("key", "'Mail Co'")), "vendor.key with a space and capitals"),
        .check("record_key_check", Valid.purpose.with(("key", "'-leading-dash'")), "purpose.key"),
        .check("country_code_check", Valid.country.with(("code", "'fr'")), "lower-case country.code"),
        .check("country_code_check", Valid.vendor.with(("headquarters", "'USA'")), "three-letter vendor.headquarters"),
        .check("short_text_check", Valid.vendor.with(("legal_name", "''")), "empty vendor.legal_name"),
        .check("short_text_check", Valid.organization.with(("name", "repeat('x', 501)")), "501-character organization.name"),
        .check("long_text_check", Valid.purpose.with(("name_en", "''")), "empty purpose.name_en"),
        .check("long_text_check", Valid.entrustment.with(("cloud_exception_basis", "repeat('x', 10001)")), "10001-character text"),
        .check("web_url_check", Valid.vendor.with(("website", "'ftp://mailco.example'")), "ftp URL"),
        .check("web_url_check", Valid.organization.with(("privacy_contact_url", "'javascript:alert(1)'")), "javascript URL"),
        .check("web_url_check", Valid.transmission.with(("opt_out_url", "'https://x.example/has space'")), "URL with a space"),
    ]

    static let reference: [Violation] = [
        .check("country_alpha3_check", Valid.country.with(("alpha3", "'FR'"))),
        .check("country_numeric_code_check", Valid.country.with(("numeric_code", "'25'"))),
        .check("country_regime_eu_adequacy_check", Valid.countryRegime.with(("eu_adequacy", "'maybe'"))),
        .check("country_regime_jp_ppc_equivalent_check", Valid.countryRegime.with(("jp_ppc_equivalent", "'partial'"))),
        .check("country_regime_ppc_survey_check", Valid.countryRegime.with(("ppc_survey", "'pending'"))),
        .check("country_regime_comprehensive_law_check", Valid.countryRegime.with(("comprehensive_law", "'draft'"))),
        .check("country_regime_localization_check", Valid.countryRegime.with(("localization", "'total'"))),
        .check("country_regime_confidence_check", Valid.countryRegime.with(("confidence", "'rumour'"))),
        .check("country_regime_check", Valid.countryRegime.with(("effective_to", "'2024-01-01'")), "effective_to = effective_from"),
        .foreignKey("country_regime_country_code_fkey", Valid.countryRegime.with(("country_code", "'ZZ'"))),
        .check("country_regime_fact_fact_check", Valid.countryRegimeFact.with(("fact", "'weather'"))),
        .check("country_regime_fact_value_check", Valid.countryRegimeFact.with(("value", "''")), "empty value"),
        .check("country_regime_fact_public_en_check", Valid.countryRegimeFact.with(("public_en", "''")), "empty English sentence"),
        .check("country_regime_fact_public_ja_check", Valid.countryRegimeFact.with(("public_ja", "''")), "empty Japanese sentence"),
        .check("country_regime_fact_source_check", Valid.countryRegimeFact.with(("source", "''")), "no source"),
        .check("country_regime_fact_confidence_check", Valid.countryRegimeFact.with(("confidence", "'rumour'"))),
        .check("country_regime_fact_check", Valid.countryRegimeFact.with(("effective_to", "'2012-07-24'")), "effective_to before effective_from"),
        .foreignKey("country_regime_fact_country_code_fkey", Valid.countryRegimeFact.with(("country_code", "'ZZ'"))),
        .foreignKey("cloud_provider_headquarters_fkey", Valid.cloudProvider.with(("headquarters", "'ZZ'"))),
        .check("cloud_region_code_check", Valid.cloudRegion.with(("code", "'US_EAST'"))),
        .foreignKey("cloud_region_provider_fkey", Valid.cloudRegion.with(("provider", "'azure'"))),
        .foreignKey("cloud_region_country_code_fkey", Valid.cloudRegion.with(("country_code", "'ZZ'"))),
        .check("data_category_key_check", Valid.dataCategory.with(("key", "'contact.Phone'"))),
        .check("data_category_check", Valid.dataCategory.with(("parent_key", "NULL")), "dotted key without parent"),
        .check("data_category_check", Valid.dataCategory.with(("key", "'contact.email.work'")), "grandchild under wrong parent"),
        .check("data_category_check", Valid.dataCategory.with(("key", "'phone'")), "parent that is not a prefix"),
        .foreignKey("data_category_parent_key_fkey", Valid.dataCategory.with(("key", "'billing.card'"), ("parent_key", "'billing'"))),
        .foreignKey("purpose_category_purpose_key_fkey", Valid.purposeCategory.with(("purpose_key", "'nope'"))),
        .foreignKey("purpose_category_category_key_fkey", Valid.purposeCategory.with(("category_key", "'nope'"))),
        .foreignKey("checklist_item_template_key_fkey", Valid.checklistItem.with(("template_key", "'nope'"))),
        .check("checklist_item_item_id_check", Valid.checklistItem.with(("item_id", "'rul-3'"))),
        .check("checklist_item_group_code_check", Valid.checklistItem.with(("group_code", "'XYZ'"))),
        .check("checklist_item_confidence_check", Valid.checklistItem.with(("confidence", "'maybe'"))),
        .check("checklist_item_position_check", Valid.checklistItem.with(("position", "-1"))),
    ]

    static let registry: [Violation] = [
        .foreignKey("organization_country_code_fkey", Valid.organization.with(("country_code", "'ZZ'"))),
        .check("organization_privacy_contact_email_check", Valid.organization.with(("privacy_contact_email", "'privacy at acme'"))),
        .foreignKey("service_organization_id_fkey", Valid.service.with(("organization_id", missing))),
        .check("service_check", Valid.service.with(("valid_to", "'2024-01-01'")), "valid_to = valid_from"),
        .check("vendor_kinds_check", Valid.vendor.with(("kinds", "'{}'")), "no kinds"),
        .check("vendor_kinds_check", Valid.vendor.with(("kinds", "ARRAY['reseller']")), "unknown kind"),
        .check("vendor_certifications_check", Valid.vendor.with(("certifications", "ARRAY['iso9001']"))),
        .check("vendor_risk_tier_check", Valid.vendor.with(("risk_tier", "'extreme'"))),
        .check("vendor_check", Valid.vendor.with(("valid_to", "'2023-12-31'")), "valid_to before valid_from"),
        .check("vendor_check1", Valid.vendor.with(("aliases", "ARRAY['MailCo', NULL]")), "NULL alias"),
        .foreignKey("vendor_headquarters_fkey", Valid.vendor.with(("headquarters", "'ZZ'"))),
        .foreignKey("vendor_contracting_country_fkey", Valid.vendor.with(("contracting_country", "'ZZ'"))),
        .foreignKey("vendor_contact_vendor_id_fkey", Valid.vendorContact.with(("vendor_id", missing))),
        .check("vendor_contact_position_check", Valid.vendorContact.with(("position", "-1"))),
        .check("vendor_contact_email_check", Valid.vendorContact.with(("email", "'security@cloudco'"))),
        .foreignKey("residency_service_id_fkey", Valid.residency.with(("service_id", missing))),
        .foreignKey("residency_vendor_id_fkey", Valid.residency.with(("vendor_id", missing))),
        .foreignKey("residency_country_code_fkey", Valid.residency.with(("country_code", "'ZZ'"))),
        .foreignKey(
            "residency_region_provider_region_code_fkey", Valid.residencyInRegion.with(("region_code", "'ap-northeast-9'")),
            setup: withoutRegionTrigger),
        .check("residency_role_check", Valid.residency.with(("role", "'archive'"))),
        .check("residency_check", Valid.residency.with(("candidate_countries", "ARRAY['US']")), "disclosed with candidates"),
        .check("residency_check", Valid.residency.with(("undisclosed_reason", "'secret'")), "country and reason"),
        .check("residency_check", Valid.residency.with(("country_code", "NULL")), "neither country nor reason"),
        .check("residency_check1", Valid.residencyInRegion.with(("region_code", "NULL")), "provider without region code"),
        Violation(
            constraint: "residency_check2", sqlState: PostgresError.Code.checkViolation,
            sql: Valid.undisclosedResidency.with(("region_provider", "'aws'"), ("region_code", "'ap-northeast-1'")).insertSQL,
            setup: withoutRegionTrigger, label: "region without country"),
        .check("residency_check3", Valid.residency.with(("valid_to", "'2024-01-01'")), "valid_to = valid_from"),
        .foreignKey("residency_category_residency_id_fkey", Valid.residencyCategory.with(("residency_id", missing))),
        .foreignKey("residency_category_category_key_fkey", Valid.residencyCategory.with(("category_key", "'nope'"))),
        .foreignKey("entrustment_service_id_fkey", Valid.entrustment.with(("service_id", missing))),
        .foreignKey("entrustment_vendor_id_fkey", Valid.entrustment.with(("vendor_id", missing))),
        .check("entrustment_check", Valid.entrustment.with(("cloud_exception_basis", "NULL")), "cloud exception without basis"),
        .check("entrustment_check1", Valid.entrustment.with(("contract_expires_on", "'2023-12-31'")), "contract expires before signing"),
        .check("entrustment_check2", Valid.entrustment.with(("dpa_expires_on", "'2024-01-01'")), "DPA expires on signing day"),
        .check("entrustment_check3", Valid.entrustment.with(("valid_to", "'2023-01-01'")), "valid_to before valid_from"),
        .check("entrustment_contract_renewal_check", Valid.entrustment.with(("contract_renewal", "'sometimes'"))),
        .check("entrustment_contract_notice_days_check", Valid.entrustment.with(("contract_notice_days", "3651"))),
        .check("entrustment_contract_notice_days_check", Valid.entrustment.with(("contract_notice_days", "-1")), "negative"),
        .check("entrustment_reentrustment_check", Valid.entrustment.with(("reentrustment", "'whenever'"))),
        .check("entrustment_transfer_basis_check", Valid.entrustment.with(("transfer_basis", "'trust_me'"))),
        .foreignKey("entrustment_purpose_entrustment_id_fkey", Valid.entrustmentPurpose.with(("entrustment_id", missing))),
        .foreignKey("entrustment_purpose_purpose_key_fkey", Valid.entrustmentPurpose.with(("purpose_key", "'nope'"))),
        .foreignKey("entrustment_category_entrustment_id_fkey", Valid.entrustmentCategory.with(("entrustment_id", missing))),
        .foreignKey("entrustment_category_category_key_fkey", Valid.entrustmentCategory.with(("category_key", "'nope'"))),
        .foreignKey("sub_entrustee_entrustment_id_fkey", Valid.subEntrustee.with(("entrustment_id", missing))),
        .foreignKey("sub_entrustee_vendor_id_fkey", Valid.subEntrustee.with(("vendor_id", missing))),
        .foreignKey("sub_entrustee_via_vendor_id_fkey", Valid.subEntrustee.with(("via_vendor_id", missing))),
        .check("sub_entrustee_check", Valid.subEntrustee.with(("via_vendor_id", F.thirdco)), "works for itself"),
        .check("sub_entrustee_valid_time_check", Valid.subEntrustee.with(("valid_to", "'2024-02-01'")), "ends on its first day"),
        .foreignKey("provision_service_id_fkey", Valid.provision.with(("service_id", missing))),
        .foreignKey("provision_recipient_id_fkey", Valid.provision.with(("recipient_id", missing))),
        .foreignKey("provision_recipient_country_fkey", Valid.provision.with(("recipient_country", "'ZZ'"))),
        .check("provision_basis_check", Valid.provision.with(("basis", "'gift'"))),
        .check("provision_retention_years_check", Valid.provision.with(("retention_years", "0"))),
        .check("provision_retention_years_check", Valid.provision.with(("retention_years", "31")), "too long"),
        .check("provision_check", Valid.provision.with(("legal_exception", "NULL")), "legal exception not named"),
        .check("provision_ppc_notification_items_check", Valid.provision.with(("ppc_notification_items", "ARRAY['everything']")), "not an Art. 27(2) item"),
        .check("provision_record_method_check", Valid.provisionRecord.with(("method", "'oral'")), "not a Rules Art. 19 method"),
        .check("provision_record_last_provided_check", Valid.provisionRecord.with(("last_provided_on", "'2024-03-31'")), "last provision before the first"),
        .check("provision_check1", Valid.provision.with(("valid_to", "'2023-01-01'")), "valid_to before valid_from"),
        .foreignKey("provision_category_provision_id_fkey", Valid.provisionCategory.with(("provision_id", missing))),
        .foreignKey("provision_category_category_key_fkey", Valid.provisionCategory.with(("category_key", "'nope'"))),
        .foreignKey("provision_record_provision_id_fkey", Valid.provisionRecord.with(("provision_id", missing))),
        .check("provision_record_check", Valid.provisionRecord.with(("retain_until", "'2024-04-01'")), "retained until provision day"),
        .foreignKey("transmission_service_id_fkey", Valid.transmission.with(("service_id", missing))),
        .foreignKey("transmission_recipient_id_fkey", Valid.transmission.with(("recipient_id", missing))),
        .foreignKey("transmission_recipient_country_fkey", Valid.transmission.with(("recipient_country", "'ZZ'"))),
        .check("transmission_information_check", Valid.transmission.with(("information", "'{}'"))),
        .check("transmission_basis_check", Valid.transmission.with(("basis", "'whim'"))),
        .check("transmission_check", Valid.transmission.with(("opt_out_url", "NULL")), "opt-out without URL"),
        .check("transmission_check1", Valid.transmission.with(("valid_to", "'2024-01-01'")), "valid_to = valid_from"),
        .foreignKey("transmission_category_transmission_id_fkey", Valid.transmissionCategory.with(("transmission_id", missing))),
        .foreignKey("transmission_category_category_key_fkey", Valid.transmissionCategory.with(("category_key", "'nope'"))),
        .foreignKey("assessment_template_key_fkey", Valid.assessment.with(("template_key", "'nope'"))),
        .foreignKey("assessment_organization_id_fkey", Valid.assessment.with(("organization_id", missing))),
        .foreignKey("assessment_vendor_id_fkey", Valid.assessment.with(("organization_id", "NULL"), ("vendor_id", missing))),
        .check("assessment_check", Valid.assessment.with(("vendor_id", F.cloudco)), "both organization and vendor"),
        .check("assessment_check", Valid.assessment.with(("organization_id", "NULL")), "neither organization nor vendor"),
        .check("assessment_check1", Valid.assessment.with(("next_review_on", "'2024-06-01'")), "review on assessment day"),
        .foreignKey("assessment_answer_assessment_id_fkey", Valid.assessmentAnswer.with(("assessment_id", missing))),
        .foreignKey("assessment_answer_template_key_item_id_fkey", Valid.assessmentAnswer.with(("item_id", "'BP-99'"))),
        .check("assessment_answer_status_check", Valid.assessmentAnswer.with(("status", "'done'"))),
        .check("assessment_answer_check", Valid.assessmentAnswer.with(("evidence", "NULL")), "partial without evidence"),
        .check("api_token_token_hash_check", Valid.apiToken.with(("token_hash", "upper(repeat('cd', 32))"))),
        .check("api_token_scope_check", Valid.apiToken.with(("scope", "'write'"))),
        .check("api_token_check", Valid.apiToken.with(("expires_at", "now() - interval '1 second'")), "expired at creation"),
        .check("registry_revision_singleton_check", RowTemplate("registry_revision", [("singleton", "false"), ("revision", "0"), ("changed_at", "now()")])),
        .check("audit_log_actor_check", Valid.auditLog.with(("actor", "''"))),
        .check("audit_log_action_check", Valid.auditLog.with(("action", "'remove'"))),
        .check("audit_log_check", Valid.auditLog.with(("after", "NULL")), "neither before nor after"),
    ]

    static let all = domains + reference + registry + evidence
}

// MARK: - Constraints, one bad row each

/// Gives the suite one migrated database holding `SchemaFixture`; every case works inside a
/// transaction it rolls back, so cases cannot see each other's rows.
struct FixtureDatabase: SuiteTrait, TestScoping {
    @TaskLocal static var current: TestDatabase?

    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await TestDatabase.with(.migrated) { db in
            let connection = try db.connect()
            try SchemaFixture.insert(into: connection)
            connection.close()
            try await Self.$current.withValue(db) { try await function() }
        }
    }

    /// Runs `statements` in a transaction that is always rolled back; returns the last statement's error.
    static func attempt(_ statements: [String]) throws -> PostgresError? {
        let db = try #require(current, "the suite needs the .fixtureDatabase trait")
        let connection = try db.connect()
        defer { connection.close() }
        try connection.unsafeExecuteScript("BEGIN")
        defer { try? connection.unsafeExecuteScript("ROLLBACK") }
        for statement in statements.dropLast() { try connection.unsafeExecuteScript(statement) }
        do {
            try connection.query(statements.last ?? "")
            return nil
        } catch {
            return error
        }
    }
}

extension Trait where Self == FixtureDatabase {
    static var fixtureDatabase: FixtureDatabase { FixtureDatabase() }
}

@Suite("Schema constraints", .fixtureDatabase)
struct SchemaConstraintTests {
    @Test("Each template row is valid on its own", arguments: Valid.all)
    func templateIsValid(row: RowTemplate) throws {
        let error = try FixtureDatabase.attempt([row.insertSQL])
        #expect(error == nil, "\(error?.description ?? "")\n\(row.insertSQL)")
    }

    @Test("A bad row is refused by its constraint with the right SQLSTATE", arguments: Violations.all)
    func violation(_ violation: Violation) throws {
        let statements = (violation.setup.map { [$0] } ?? []) + [violation.sql]
        let error = try FixtureDatabase.attempt(statements)

        let refused = try #require(error, "accepted: \(violation.sql)")
        #expect(refused.kind == .server)
        #expect(refused.sqlState == violation.sqlState, "\(refused.message)")
        #expect(refused.constraint == violation.constraint, "\(refused.message)")
    }

    @Test("Every CHECK and foreign key in the schema has a bad-row case, and every case names a real constraint")
    func everyConstraintIsCovered() throws {
        let db = try #require(FixtureDatabase.current)
        let connection = try db.connect()
        let inSchema = Set(
            try connection.query(
                """
                SELECT c.conname FROM pg_constraint c
                LEFT JOIN pg_class t ON t.oid = c.conrelid
                WHERE c.connamespace = 'public'::regnamespace AND c.contype IN ('c', 'f')
                  AND coalesce(t.relname, '') <> 'schema_migrations'
                """
            ).rows.map { try $0.decode(String.self, "conname") })
        let covered = Set(Violations.all.map(\.constraint))

        #expect(inSchema.count >= 90, "found only \(inSchema.count) constraints")
        #expect(inSchema.subtracting(covered).sorted() == [], "constraints without a case")
        #expect(covered.subtracting(inSchema).sorted() == [], "cases naming no constraint")
    }
}

// MARK: - Triggers and privileges

@Suite("Schema triggers and privileges")
struct SchemaTriggerTests {
    /// A migrated database with the fixture committed.
    static func withFixture(_ body: (TestDatabase, Connection) async throws -> Void) async throws {
        try await TestDatabase.with(.migrated) { db in
            let connection = try db.connect()
            try SchemaFixture.insert(into: connection)
            try await body(db, connection)
        }
    }

    static func count(_ sql: String, _ connection: Connection, _ parameters: [(any PostgresEncodable)?] = []) throws -> Int {
        try connection.query(sql, parameters).first?.decode(Int.self, at: 0) ?? -1
    }

    static func revision(_ connection: Connection) throws -> Int64 {
        try connection.query("SELECT revision FROM registry_revision").first?.decode(Int64.self, "revision") ?? -1
    }

    @Test("An undisclosed residency with an unknown candidate country is refused")
    func unknownCandidateCountry() async throws {
        try await Self.withFixture { _, connection in
            let error = try #require(throws: PostgresError.self) {
                try connection.query(Valid.undisclosedResidency.with(("candidate_countries", "ARRAY['JP', 'ZZ']")).insertSQL)
            }
            #expect(error.sqlState == PostgresError.Code.foreignKeyViolation)
            #expect(error.constraint == "residency_candidate_countries_fkey")
            #expect(error.message.contains("ZZ"), "\(error.message)")

            // Known candidates are accepted; changing one to an unknown code later is refused too.
            try connection.query(Valid.undisclosedResidency.insertSQL)
            let update = try #require(throws: PostgresError.self) {
                try connection.query("UPDATE residency SET candidate_countries = ARRAY['XX'] WHERE key = 'portal-backup'")
            }
            #expect(update.constraint == "residency_candidate_countries_fkey")
        }
    }

    @Test("A sub-entrustee with an unknown country is refused")
    func unknownSubEntrusteeCountry() async throws {
        try await Self.withFixture { _, connection in
            let error = try #require(throws: PostgresError.self) {
                try connection.query(Valid.subEntrustee.with(("countries", "ARRAY['jp']")).insertSQL)
            }
            #expect(error.sqlState == PostgresError.Code.foreignKeyViolation)
            #expect(error.constraint == "sub_entrustee_countries_fkey")
        }
    }

    @Test(
        "A NULL in an array of country codes is refused like an unknown code",
        arguments: [
            (Valid.undisclosedResidency.with(("candidate_countries", "ARRAY['JP', NULL]")), "residency_candidate_countries_fkey"),
            (Valid.subEntrustee.with(("countries", "ARRAY[NULL, 'US']")), "sub_entrustee_countries_fkey"),
        ])
    func nullCountryInArray(row: RowTemplate, constraint: String) async throws {
        try await Self.withFixture { _, connection in
            let error = try #require(throws: PostgresError.self) { try connection.query(row.insertSQL) }
            #expect(error.sqlState == PostgresError.Code.foreignKeyViolation)
            #expect(error.constraint == constraint)
        }
    }

    @Test("A residency whose region lies in another country is refused")
    func regionNotInCountry() async throws {
        try await Self.withFixture { _, connection in
            let error = try #require(throws: PostgresError.self) {
                try connection.query(Valid.residencyInRegion.with(("country_code", "'US'")).insertSQL)
            }
            #expect(error.sqlState == PostgresError.Code.checkViolation)
            #expect(error.constraint == "residency_region_country_check")
            #expect(error.message.contains("ap-northeast-1"), "\(error.message)")

            // The same region with its own country is fine; moving it to another country later is not.
            try connection.query(Valid.residencyInRegion.insertSQL)
            let update = try #require(throws: PostgresError.self) {
                try connection.query("UPDATE residency SET country_code = 'US' WHERE key = 'portal-backup'")
            }
            #expect(update.constraint == "residency_region_country_check")
        }
    }

    @Test(
        "audit_log refuses UPDATE, DELETE and TRUNCATE even for its owner",
        arguments: ["UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log", "TRUNCATE audit_log"])
    func auditLogIsAppendOnly(statement: String) async throws {
        try await Self.withFixture { _, connection in
            let before = try Self.count("SELECT count(*) FROM audit_log WHERE actor <> 'mallory'", connection)
            #expect(before > 0, "the fixture wrote audit rows")
            let isOwner = try connection.query(
                "SELECT pg_get_userbyid(relowner) = current_user AS owner FROM pg_class WHERE relname = 'audit_log'"
            ).first?.decode(Bool.self, "owner")
            #expect(isOwner == true)

            let error = try #require(throws: PostgresError.self) { try connection.query(statement) }

            #expect(error.sqlState == PostgresError.Code.insufficientPrivilege)
            #expect(error.message.contains("append-only"), "\(error.message)")
            #expect(try Self.count("SELECT count(*) FROM audit_log WHERE actor <> 'mallory'", connection) == before)
        }
    }

    @Test("Inserting a vendor writes an audit row with the transaction's actor and bumps the revision")
    func insertIsAudited() async throws {
        try await Self.withFixture { _, connection in
            let revisionBefore = try Self.revision(connection)

            _ = try connection.transaction { tx in
                try tx.query("SELECT set_config('domicile.actor', $1, true)", ["alice@assign.example"])
                return try tx.query(Valid.vendor.insertSQL)
            }

            let rows = try connection.query(
                "SELECT actor, entity, entity_key, action, before, after ->> 'legal_name' AS legal_name FROM audit_log WHERE entity_key = 'mailco'"
            ).rows
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(try row.decode(String.self, "actor") == "alice@assign.example")
            #expect(try row.decode(String.self, "entity") == "vendor")
            #expect(try row.decode(String.self, "action") == "add")
            #expect(try row.decode(String?.self, "before") == nil)
            #expect(try row.decode(String.self, "legal_name") == "MailCo Ltd.")
            #expect(try Self.revision(connection) == revisionBefore + 1)
        }
    }

    @Test("The actor setting lasts one transaction; without it the session user is recorded")
    func actorIsTransactionLocal() async throws {
        try await Self.withFixture { _, connection in
            _ = try connection.transaction { tx in
                try tx.query("SELECT set_config('domicile.actor', 'alice', true)")
                return try tx.query("UPDATE vendor SET risk_tier = 'high' WHERE key = 'subco'")
            }
            try connection.query("UPDATE vendor SET valid_to = '2025-01-01' WHERE key = 'subco'")

            let actions = try connection.query(
                "SELECT actor, action, session_user AS me FROM audit_log WHERE entity_key = 'subco' AND action <> 'add' ORDER BY id"
            ).rows.map { (try $0.decode(String.self, "actor"), try $0.decode(String.self, "action"), try $0.decode(String.self, "me")) }
            #expect(actions.map(\.0) == ["alice", actions.last?.2 ?? "?"])
            #expect(actions.map(\.1) == ["edit", "end"])
        }
    }

    @Test("An update that changes nothing writes no audit row and keeps the revision")
    func noOpUpdateIsNotAudited() async throws {
        try await Self.withFixture { _, connection in
            let revision = try Self.revision(connection)
            let audits = try Self.count("SELECT count(*) FROM audit_log", connection)

            try connection.query("UPDATE vendor SET risk_tier = risk_tier WHERE key = 'subco'")

            #expect(try Self.revision(connection) == revision)
            #expect(try Self.count("SELECT count(*) FROM audit_log", connection) == audits)
        }
    }

    @Test("domicile_writer may insert and update but not delete a vendor or update the audit log")
    func writerPrivileges() async throws {
        try await Self.withFixture { _, connection in
            try connection.unsafeExecuteScript("SET ROLE domicile_writer")

            // What the CLI needs works (including the audit trigger's own writes).
            try connection.query(Valid.vendor.insertSQL)
            try connection.query("UPDATE vendor SET notes = 'checked' WHERE key = 'mailco'")

            let delete = try #require(throws: PostgresError.self) { try connection.query("DELETE FROM vendor WHERE key = 'mailco'") }
            #expect(delete.sqlState == PostgresError.Code.insufficientPrivilege)
            #expect(delete.message.contains("permission denied"), "\(delete.message)")

            let update = try #require(throws: PostgresError.self) { try connection.query("UPDATE audit_log SET actor = 'mallory'") }
            #expect(update.sqlState == PostgresError.Code.insufficientPrivilege)
            #expect(update.message.contains("permission denied"), "\(update.message)")

            let truncate = try #require(throws: PostgresError.self) { try connection.query("TRUNCATE vendor_contact") }
            #expect(truncate.sqlState == PostgresError.Code.insufficientPrivilege)

            try connection.unsafeExecuteScript("RESET ROLE")
            #expect(try Self.count("SELECT count(*) FROM vendor WHERE key = 'mailco'", connection) == 1)
        }
    }

    @Test("domicile_reader may read but not insert")
    func readerPrivileges() async throws {
        try await Self.withFixture { _, connection in
            try connection.unsafeExecuteScript("SET ROLE domicile_reader")

            #expect(try Self.count("SELECT count(*) FROM vendor", connection) == 3)
            let insert = try #require(throws: PostgresError.self) { try connection.query(Valid.vendor.insertSQL) }
            #expect(insert.sqlState == PostgresError.Code.insufficientPrivilege)
            let update = try #require(throws: PostgresError.self) { try connection.query("UPDATE vendor SET notes = 'x'") }
            #expect(update.sqlState == PostgresError.Code.insufficientPrivilege)
            // Token rows: only the columns authentication needs.
            #expect(throws: PostgresError.self) { try connection.query("SELECT created_at FROM api_token") }
            #expect(try Self.count("SELECT count(*) FROM api_token WHERE token_hash = repeat('ab', 32)", connection) == 1)
        }
    }
}
