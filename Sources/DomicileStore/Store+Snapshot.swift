import DomicileCore
import Foundation
import Postgres

/// Reading the whole registry at once, for reports and checks.
extension Store {
    /// The registry as of `asOf` (default: today where the user is), read in one read-only
    /// transaction so every part comes from the same revision.
    ///
    /// A fixed number of statements whatever the registry's size: the revision, one per
    /// kind of record (the same read queries as `records(_:asOf:)`), the checklist templates,
    /// their items, and the countries with the regime facts in force on the day.
    /// Inside a transaction already open on this connection it reads in that transaction.
    public func snapshot(asOf: Day? = nil) throws -> RegistrySnapshot {
        let day = asOf ?? Day.today
        let body = { () throws -> RegistrySnapshot in
            let revision = try self.revision()
            var document = RegistryDocument()
            for kind in RegistryDocument.order { document[kind] = try self.records(kind, asOf: day) }
            return RegistrySnapshot(
                revision: revision, asOf: day, document: document, templates: try self.snapshotTemplates(),
                countries: try self.snapshotCountries(asOf: day))
        }
        if connection.isInTransaction { return try body() }
        return try read { _ in try body() }
    }

    func snapshotTemplates() throws -> [RegistrySnapshot.ChecklistTemplate] {
        var items: [String: [RegistrySnapshot.ChecklistItem]] = [:]
        for row in try connection.query(
            """
            SELECT template_key, item_id, group_code, section, title_en, title_ja, description, evidence_hint,
                   mandatory, confidence, source
            FROM checklist_item ORDER BY template_key, position
            """
        ).rows {
            items[try row.decode(String.self, "template_key"), default: []].append(
                RegistrySnapshot.ChecklistItem(
                    id: try row.decode(String.self, "item_id"), group: try row.decode(String.self, "group_code"),
                    section: row.text("section"), title: try row.decode(String.self, "title_en"),
                    titleJa: row.text("title_ja"), description: try row.decode(String.self, "description"),
                    evidenceHint: row.text("evidence_hint"), mandatory: try row.decode(Bool.self, "mandatory"),
                    confidence: try row.decode(String.self, "confidence"), source: row.text("source")))
        }
        return try connection.query("SELECT key, version, title_en, title_ja, source FROM checklist_template ORDER BY key")
            .rows.map { row in
                let key = try row.decode(String.self, "key")
                return RegistrySnapshot.ChecklistTemplate(
                    key: key, version: try row.decode(String.self, "version"),
                    title: try row.decode(String.self, "title_en"), titleJa: row.text("title_ja"),
                    source: row.text("source"), items: items[key] ?? [])
            }
    }

    func snapshotCountries(asOf day: Day) throws -> [RegistrySnapshot.Country] {
        try connection.query(
            """
            SELECT c.code, c.name_en, c.name_ja, c.official_name_en,
                   r.effective_from::text AS effective_from, r.eu_member, r.eea_member, r.eu_adequacy,
                   r.eu_adequacy_note, r.jp_ppc_equivalent, r.apec_cbpr, r.ppc_survey, r.comprehensive_law,
                   r.law_name, r.localization, r.localization_note, r.confidence, r.confidence_note, r.source,
                   r.verified_on::text AS verified_on
            FROM country c
            LEFT JOIN LATERAL (SELECT * FROM country_regime WHERE country_code = c.code AND effective_from <= $1::date
                                 AND (effective_to IS NULL OR $1::date < effective_to)
                               ORDER BY effective_from DESC LIMIT 1) r ON true
            ORDER BY c.code
            """, [day.description]
        ).rows.map { row in
            var regime: RegistrySnapshot.CountryRegime?
            if let from = row.text("effective_from").flatMap(Day.init), let verified = row.text("verified_on").flatMap(Day.init) {
                regime = RegistrySnapshot.CountryRegime(
                    effectiveFrom: from, euMember: try row.decode(Bool.self, "eu_member"),
                    eeaMember: try row.decode(Bool.self, "eea_member"), euAdequacy: row.text("eu_adequacy") ?? "",
                    euAdequacyNote: row.text("eu_adequacy_note"), ppcEquivalent: row.text("jp_ppc_equivalent") ?? "",
                    apecCBPR: try row.decode(Bool.self, "apec_cbpr"), ppcSurvey: row.text("ppc_survey") ?? "",
                    comprehensiveLaw: row.text("comprehensive_law") ?? "", lawName: row.text("law_name"),
                    localization: row.text("localization") ?? "", localizationNote: row.text("localization_note"),
                    confidence: row.text("confidence") ?? "", confidenceNote: row.text("confidence_note"),
                    source: row.text("source") ?? "", verifiedOn: verified)
            }
            return RegistrySnapshot.Country(
                code: try row.decode(String.self, "code"), name: try row.decode(String.self, "name_en"),
                nameJa: row.text("name_ja"), officialName: row.text("official_name_en"), regime: regime)
        }
    }
}
