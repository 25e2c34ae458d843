import DomicileCore
import Foundation
import Postgres

/// Read-only queries over reference data and the audit log.
extension Store {
    /// Countries with their current regime facts (if any), as listing rows.
    public func countries(code: String? = nil) throws -> Listing {
        Self.listing(try connection.query(Self.countriesQuery, [code]))
    }

    /// Every country, or only `$1` when it is not NULL (`countries(code:)`, `countryAtRevision`).
    static let countriesQuery =
            """
            SELECT c.code, c.alpha3, c.name_en, coalesce(c.name_ja, '') AS name_ja,
                   coalesce(r.eu_adequacy, '') AS eu_adequacy, coalesce(r.jp_ppc_equivalent, '') AS jp_ppc_equivalent,
                   coalesce(CASE WHEN r.apec_cbpr THEN 'yes' WHEN NOT r.apec_cbpr THEN 'no' END, '') AS apec_cbpr,
                   coalesce(r.comprehensive_law, '') AS comprehensive_law, coalesce(r.law_name, '') AS law_name,
                   coalesce(r.localization, '') AS localization, coalesce(r.confidence, '') AS confidence,
                   coalesce(r.confidence_note, '') AS confidence_note, coalesce(r.source, '') AS source,
                   coalesce(r.verified_on::text, '') AS verified_on
            FROM country c
            LEFT JOIN LATERAL (SELECT * FROM country_regime WHERE country_code = c.code AND effective_from <= current_date
                                 AND (effective_to IS NULL OR current_date < effective_to)
                               ORDER BY effective_from DESC LIMIT 1) r ON true
            WHERE $1::text IS NULL OR c.code = $1
            ORDER BY c.code
            """

    /// One country's dated regime facts (country_regime_fact, docs/seeds.md): those in force
    /// on `asOf`, or every one when `asOf` is nil, in Foreign-Provision GL 5-2 order.
    public func regimeFacts(code: String, asOf: Day?) throws -> Listing {
        let result = try connection.query(
            """
            SELECT fact, value, coalesce(effective_from::text, '') AS effective_from,
                   coalesce(effective_to::text, '') AS effective_to, confidence,
                   coalesce(verified_on::text, '') AS verified_on, source, public_en, public_ja
            FROM country_regime_fact
            WHERE country_code = $1
              AND ($2::date IS NULL OR ((effective_from IS NULL OR effective_from <= $2::date)
                                        AND (effective_to IS NULL OR $2::date <= effective_to)))
            ORDER BY array_position($3::text[], fact), effective_from NULLS FIRST, key
            """, [code, asOf?.description, RegistrySnapshot.RegimeFact.order])
        return Self.listing(result)
    }

    public func cloudRegions(provider: String? = nil, country: String? = nil) throws -> Listing {
        Self.listing(
            try connection.query(
                """
                SELECT provider, code, country_code AS country, coalesce(city, '') AS city, verified_on::text AS verified_on, source
                FROM cloud_region
                WHERE ($1::text IS NULL OR provider = $1) AND ($2::text IS NULL OR country_code = $2)
                ORDER BY provider, code
                """, [provider, country]))
    }

    public func checklistTemplates() throws -> Listing {
        Self.listing(
            try connection.query(
                """
                SELECT t.key, t.version, t.title_en, coalesce(t.title_ja, '') AS title_ja, count(i.item_id)::text AS items
                FROM checklist_template t LEFT JOIN checklist_item i ON i.template_key = t.key
                GROUP BY t.key ORDER BY t.key
                """))
    }

    /// The items of one template, in order; `nil` when there is no such template.
    public func checklistItems(template: String) throws -> Listing? {
        guard try connection.query("SELECT 1 FROM checklist_template WHERE key = $1", [template]).first != nil else {
            return nil
        }
        return Self.listing(
            try connection.query(
                """
                SELECT item_id AS id, group_code AS "group", coalesce(section, '') AS section, title_en,
                       coalesce(title_ja, '') AS title_ja, CASE WHEN mandatory THEN 'yes' ELSE 'no' END AS mandatory,
                       confidence, coalesce(evidence_hint, '') AS evidence_hint
                FROM checklist_item WHERE template_key = $1 ORDER BY position
                """, [template]))
    }

    public func templateKeys() throws -> [String] {
        try connection.query("SELECT key FROM checklist_template ORDER BY key").rows.map { try $0.decode(String.self, "key") }
    }

    /// The newest `limit` audit rows, filtered by day, entity kind (and key) and actor:
    /// newest last, or newest first with `newestFirst`.
    public func audit(since: Day?, entity: String?, key: String?, actor: String?, limit: Int, newestFirst: Bool = false) throws -> Listing {
        Self.listing(
            try connection.query(
                """
                SELECT * FROM (
                    SELECT id::text AS id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at, actor,
                           db_user AS login, action,
                           entity, entity_key AS key, coalesce(before::text, '') AS before, coalesce(after::text, '') AS after
                    FROM audit_log
                    WHERE ($1::date IS NULL OR at >= $1::date)
                      AND ($2::text IS NULL OR entity = $2)
                      AND ($3::text IS NULL OR entity_key = $3 OR starts_with(entity_key, $3 || '#'))
                      AND ($4::text IS NULL OR actor = $4)
                    ORDER BY audit_log.id DESC LIMIT $5) newest
                ORDER BY CASE WHEN $6 THEN -id::bigint ELSE id::bigint END
                """, [since?.description, entity, key, actor, limit, newestFirst]))
    }

    static func listing(_ result: QueryResult) -> Listing {
        Listing(
            columns: result.columns.map(\.name),
            rows: result.rows.map { row in row.columnNames.map { row.text($0) ?? "" } })
    }
}
