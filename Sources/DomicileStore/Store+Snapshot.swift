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
    /// Kinds in `skipping` are not read (left empty): for a report that never shows them
    /// (`ReportKind.unread(_:)`).
    public func snapshot(asOf: Day? = nil, skipping: Set<EntityKind> = []) throws -> RegistrySnapshot {
        let day = asOf ?? Day.today
        let body = { () throws -> RegistrySnapshot in
            let revision = try self.revision()
            // Kind by kind, each typed before the next is read (not the whole document at once).
            // Assessments first without their answers, then the answers of the latest of each
            // subject and checklist only: superseded assessments' answers are never shown.
            return try RegistrySnapshot(
                revision: revision, asOf: day, templates: try self.snapshotTemplates(),
                countries: try self.snapshotCountries(asOf: day),
                reading: { kind in
                    if skipping.contains(kind) { return [] }
                    if kind == .assessment { return try self.assessmentRecords(answers: false) }
                    return try self.records(kind, asOf: day)
                },
                answers: { keys in try self.assessmentRecords(answers: true, keys: keys) })
        }
        if connection.isInTransaction { return try body() }
        return try read { _ in try body() }
    }

    /// Assessment records, with or without their answers, all or those of `keys`.
    func assessmentRecords(answers: Bool, keys: [String]? = nil) throws -> [Record] {
        let filter = keys == nil ? "" : " WHERE key = ANY($1::text[])"
        let sql = "SELECT * FROM (" + Self.assessmentQuery(answers: answers) + ") AS record" + filter + " ORDER BY key COLLATE \"C\""
        let parameters: [(any PostgresEncodable)?] = keys.map { [$0] } ?? []
        return try connection.query(sql, parameters).rows.map { row in
            EntityKind.assessment.schema.withoutDefaults(try Self.record(from: row, schema: EntityKind.assessment.schema))
        }
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

    /// Every country with the dated facts in force on `day` (country_regime_fact) and the
    /// regime flags derived from them; the PPC survey's coverage comes from country_regime.
    func snapshotCountries(asOf day: Day) throws -> [RegistrySnapshot.Country] {
        var facts: [String: [RegistrySnapshot.RegimeFact]] = [:]
        for row in try connection.query(
            """
            SELECT country_code::text AS country_code, fact, value, effective_from::text AS effective_from,
                   effective_to::text AS effective_to, public_en, public_ja, source, confidence,
                   verified_on::text AS verified_on
            FROM country_regime_fact
            WHERE (effective_from IS NULL OR effective_from <= $1::date) AND (effective_to IS NULL OR $1::date <= effective_to)
            ORDER BY key
            """, [day.description]
        ).rows {
            let code = try row.decode(String.self, "country_code")
            facts[code, default: []].append(
                RegistrySnapshot.RegimeFact(
                    country: code, fact: try row.decode(String.self, "fact"), value: try row.decode(String.self, "value"),
                    effectiveFrom: row.text("effective_from").flatMap(Day.init), effectiveTo: row.text("effective_to").flatMap(Day.init),
                    publicEn: try row.decode(String.self, "public_en"), publicJa: try row.decode(String.self, "public_ja"),
                    source: try row.decode(String.self, "source"), confidence: try row.decode(String.self, "confidence"),
                    verifiedOn: row.text("verified_on").flatMap(Day.init)))
        }
        return try connection.query(
            """
            SELECT c.code, c.name_en, c.name_ja, c.official_name_en,
                   (SELECT ppc_survey FROM country_regime WHERE country_code = c.code
                    ORDER BY effective_from DESC LIMIT 1) AS ppc_survey
            FROM country c
            ORDER BY c.code
            """
        ).rows.map { row in
            let code = try row.decode(String.self, "code")
            let mine = facts[code] ?? []
            return RegistrySnapshot.Country(
                code: code, name: try row.decode(String.self, "name_en"),
                nameJa: row.text("name_ja"), officialName: row.text("official_name_en"),
                regime: RegistrySnapshot.CountryRegime(facts: mine, ppcSurvey: row.text("ppc_survey")), facts: mine)
        }
    }
}
