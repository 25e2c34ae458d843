import DomicileCore
import Foundation
import Postgres

/// `where`: where each data category of each service is, as of a day.
extension Store {
    /// Turns a request as typed into a validated query: services and vendors named by key,
    /// name or alias become keys; countries, categories, regions, roles, dates and the
    /// grouping are checked against the reference data. Every bad value is reported at
    /// once as an `InputError` whose issues name the parameter (`Issue.field`).
    /// The CLI and the HTTP API both call this.
    public func whereQuery(_ request: WhereRequest, today: Day = .today) throws -> WhereQuery {
        var issues: [Issue] = []
        var request = request
        func resolve(_ kind: EntityKind, _ text: String?, field: String) -> String? {
            guard let text else { return nil }
            do { return try resolveKey(kind, text, field: field) } catch let error as InputError {
                issues += error.issues
            } catch {
                issues.append(Issue(code: "input.unknown_\(kind.rawValue)", field: field, value: text, message: "\(error)"))
            }
            return nil
        }
        request.service = resolve(.service, request.service, field: "service")
        request.vendor = resolve(.vendor, request.vendor, field: "vendor")
        let index = try whereIndex(request)
        // a category, country or region named by name or prefix becomes its key; an unknown
        // one is mostly left to the validator, whose message suggests the nearest
        func lookUp(_ target: NameTarget, _ text: String, field: String) throws -> String? {
            do { return try resolveOrKeep(target, text, field: field) } catch let error as InputError {
                issues += error.issues
                return nil
            }
        }
        if let category = request.category, index.keys[.category]?.contains(category) != true {
            request.category = try lookUp(.record(.category), category, field: "category")
        }
        if let country = request.country, index.countries[country.uppercased()] == nil {
            request.country = try lookUp(.country, country, field: "country")
        }
        if let region = request.region, !index.regions.keys.contains(where: { $0 == region || $0.hasSuffix("/" + region) }) {
            request.region = try lookUp(.region, region, field: "region")
        }
        do {
            let query = try request.validated(index: index, today: today)
            if issues.isEmpty { return query }
        } catch let error as InputError {
            issues += error.issues
        }
        throw InputError(issues)
    }

    /// The reference data the request's filters need, and only that: at most three statements.
    func whereIndex(_ request: WhereRequest) throws -> ReferenceIndex {
        var index = ReferenceIndex()
        if request.country != nil {
            for row in try connection.query("SELECT code, name_en FROM country").rows {
                index.countries[try row.decode(String.self, "code")] = try row.decode(String.self, "name_en")
            }
        }
        if request.region != nil {
            for row in try connection.query("SELECT provider || '/' || code AS region, country_code FROM cloud_region").rows {
                index.regions[try row.decode(String.self, "region")] = try row.decode(String.self, "country_code")
            }
        }
        if request.category != nil {
            index.keys[.category] = Set(try connection.query("SELECT key FROM data_category").rows.map { try $0.decode(String.self, "key") })
        }
        return index
    }

    /// Answers a validated query in one statement (plus one that lists the categories below
    /// `--category`, and one for the countries' regimes when grouping by country): residency rows, and with `transitive` the entrustees and
    /// sub-entrustees at any depth, with the cycles met.
    public func `where`(_ query: WhereQuery) throws -> WhereAnswer {
        let region = query.regionParts
        // the category and the keys below it, so the statement matches keys the planner can see
        let categories = try query.category.map { category in
            try connection.query(
                "SELECT key FROM data_category WHERE key = $1 OR starts_with(key, $1 || '.') ORDER BY key", [category]
            ).rows.map { try $0.decode(String.self, "key") }
        }
        let result = try connection.query(
            Self.whereSQL,
            [query.service, categories, query.country, query.vendor, query.role, region?.provider, region?.code,
             query.asOf.description, query.transitive])
        var rows: [WhereRow] = []
        var cycles: [WhereCycle] = []
        for row in result.rows {
            let kind = try row.decode(String.self, "kind")
            let record = try row.decode(String.self, "record")
            let service = try row.decode(String.self, "service")
            let path = try row.decode([String].self, "path")
            if kind == "cycle" {
                // walked upward (who each works for); shown the way the data flows
                cycles.append(WhereCycle(entrustment: record, service: service, path: path.reversed()))
                continue
            }
            guard let rowKind = WhereRow.Kind(rawValue: kind), let validFrom = Day(try row.decode(String.self, "valid_from")) else {
                continue
            }
            let vendor = try row.decode(String.self, "vendor")
            let country = try row.decode(String?.self, "country")
            var undisclosed: WhereRow.Undisclosed?
            if country == nil {
                let candidates = try row.decode([String].self, "candidates")
                let reason = try row.decode(String?.self, "undisclosed_reason")
                    ?? WhereRow.unrecordedReason(kind: rowKind, vendor: vendor, entrustment: record, headquarters: candidates.first)
                undisclosed = WhereRow.Undisclosed(reason: reason, candidates: candidates)
            }
            rows.append(
                WhereRow(
                    kind: rowKind, record: record, service: service, category: try row.decode(String.self, "category"),
                    vendor: vendor, role: try row.decode(String.self, "role"), region: try row.decode(String?.self, "region"),
                    country: country, undisclosed: undisclosed, validFrom: validFrom,
                    provenance: WhereRow.Provenance(
                        source: try row.decode(String.self, "source"),
                        verifiedOn: try row.decode(String?.self, "verified_on").flatMap(Day.init),
                        assertedBy: try row.decode(String?.self, "asserted_by")),
                    path: [service] + path))
        }
        var answer = WhereAnswer(query: query, rows: WhereRow.orderingTies(rows), cycles: cycles)
        if query.grouping == .country {
            answer.regimes = try countryRegimes(Set(rows.compactMap(\.country)).sorted(), asOf: query.asOf)
        }
        return answer
    }

    /// Names and regime flags on `day` of the countries `codes`, in one statement: the flags
    /// are derived from the dated facts in force that day (country_regime_fact, as reports and
    /// `check` read them); a fact no source asserts is `not_asserted`, never `no`.
    public func countryRegimes(_ codes: [String], asOf day: Day) throws -> [String: CountryRegime] {
        let result = try connection.query(
            """
            SELECT c.code::text AS code, c.name_en::text AS name_en, c.name_ja::text AS name_ja,
                   f.fact, f.value, f.effective_from::text AS effective_from, f.confidence
            FROM country c
            LEFT JOIN country_regime_fact f
                   ON f.country_code = c.code AND (f.effective_from IS NULL OR f.effective_from <= $2::date)
                  AND (f.effective_to IS NULL OR $2::date <= f.effective_to)
            WHERE c.code = ANY($1::text[])
            ORDER BY c.code, f.key
            """, [codes, day.description])
        var names: [String: (String, String?)] = [:]
        var facts: [String: [RegistrySnapshot.RegimeFact]] = [:]
        for row in result.rows {
            let code = try row.decode(String.self, "code")
            names[code] = (try row.decode(String.self, "name_en"), try row.decode(String?.self, "name_ja"))
            guard let fact = try row.decode(String?.self, "fact") else { continue }
            facts[code, default: []].append(
                RegistrySnapshot.RegimeFact(
                    country: code, fact: fact, value: try row.decode(String.self, "value"),
                    effectiveFrom: row.text("effective_from").flatMap(Day.init), publicEn: "", publicJa: "", source: "",
                    confidence: try row.decode(String.self, "confidence")))
        }
        var regimes: [String: CountryRegime] = [:]
        for (code, name) in names {
            let flags = RegistrySnapshot.CountryRegime(facts: facts[code] ?? [], ppcSurvey: nil).map { regime in
                CountryRegime.Flags(
                    euMember: regime.euMember, eeaMember: regime.eeaMember, euAdequacy: regime.euAdequacy,
                    jpPpcEquivalent: regime.ppcEquivalent, apecCbpr: regime.apecCBPR, comprehensiveLaw: regime.comprehensiveLaw,
                    localization: regime.localization, confidence: regime.confidence)
            }
            regimes[code] = CountryRegime(code: code, nameEn: name.0, nameJa: name.1, flags: flags)
        }
        return regimes
    }

    /// The `where` statement. Parameters: $1 service key, $2 category keys, $3 country,
    /// $4 vendor key, $5 role, $6 region provider, $7 region code, $8 as-of day, $9 transitive.
    /// An absent filter is NULL; the server plans each call with its values, so `$n IS NULL`
    /// folds away and the indexes of 0002_where_indexes serve the filters that remain.
    ///
    /// Rows of kind `cycle` are not rows: they report a sub-entrustee chain that loops.
    /// Chains are walked downward from the entrustee (never revisiting a vendor), and cycles
    /// found by walking upward from every sub-entrustee (so a loop cut off from the
    /// entrustee is reported too), once per cycle, starting from the entrustee when it is on the loop.
    static let whereSQL = """
        WITH RECURSIVE
        live_residency AS (
            SELECT r.* FROM residency r
            WHERE r.valid_from <= $8::date AND (r.valid_to IS NULL OR $8::date < r.valid_to)
              AND ($1::text IS NULL OR r.service_id = (SELECT id FROM service WHERE key = $1::text))
              AND ($4::text IS NULL OR r.vendor_id = (SELECT id FROM vendor WHERE key = $4::text))
              AND ($5::text IS NULL OR r.role = $5::text)
              AND ($3::text IS NULL OR r.country_code = $3::text
                   OR (r.country_code IS NULL AND r.candidate_countries @> ARRAY[$3::text]))
              AND ($6::text IS NULL OR (r.region_provider = $6::text AND r.region_code = $7::text))
        ),
        live_entrustment AS (
            SELECT e.* FROM entrustment e
            WHERE $9::boolean AND e.valid_from <= $8::date AND (e.valid_to IS NULL OR $8::date < e.valid_to)
              AND ($1::text IS NULL OR e.service_id = (SELECT id FROM service WHERE key = $1::text))
        ),
        -- a sub-entrustee without valid_from holds since its entrustment began
        live_sub_entrustee AS NOT MATERIALIZED (
            SELECT se.* FROM sub_entrustee se
            WHERE (se.valid_from IS NULL OR se.valid_from <= $8::date) AND (se.valid_to IS NULL OR $8::date < se.valid_to)
        ),
        walk (entrustment_id, vendor_id, path_ids, path_keys) AS (
            SELECT e.id, se.vendor_id, ARRAY[e.vendor_id, se.vendor_id], ARRAY[ev.key::text, sv.key::text]
            FROM live_entrustment e
            JOIN live_sub_entrustee se ON se.entrustment_id = e.id AND se.via_vendor_id = e.vendor_id
            JOIN vendor ev ON ev.id = e.vendor_id JOIN vendor sv ON sv.id = se.vendor_id
            UNION ALL
            SELECT w.entrustment_id, se.vendor_id, w.path_ids || se.vendor_id, w.path_keys || sv.key::text
            FROM walk w
            JOIN live_sub_entrustee se ON se.entrustment_id = w.entrustment_id AND se.via_vendor_id = w.vendor_id
            JOIN vendor sv ON sv.id = se.vendor_id
            WHERE NOT se.vendor_id = ANY(w.path_ids)
        ),
        upward (entrustment_id, start_id, current_id, path_ids, closed) AS (
            SELECT se.entrustment_id, se.vendor_id, se.via_vendor_id, ARRAY[se.vendor_id, se.via_vendor_id], false
            FROM live_entrustment e JOIN live_sub_entrustee se ON se.entrustment_id = e.id
            UNION ALL
            SELECT u.entrustment_id, u.start_id, p.via_vendor_id, u.path_ids || p.via_vendor_id, p.via_vendor_id = ANY(u.path_ids)
            FROM upward u JOIN live_sub_entrustee p ON p.entrustment_id = u.entrustment_id AND p.vendor_id = u.current_id
            WHERE NOT u.closed
        )
        SELECT * FROM (
            SELECT 'residency' AS kind, r.key::text AS record, s.key::text AS service, rc.category_key AS category,
                   v.key::text AS vendor, r.role,
                   CASE WHEN r.region_code IS NOT NULL THEN r.region_provider || '/' || r.region_code END AS region,
                   r.country_code::text AS country, r.undisclosed_reason::text AS undisclosed_reason,
                   r.candidate_countries AS candidates, r.valid_from::text AS valid_from, r.source::text AS source,
                   r.verified_on::text AS verified_on, r.asserted_by::text AS asserted_by, ARRAY[v.key::text] AS path
            FROM live_residency r
            JOIN residency_category rc ON rc.residency_id = r.id
            JOIN service s ON s.id = r.service_id JOIN vendor v ON v.id = r.vendor_id
            WHERE $2::text[] IS NULL OR rc.category_key = ANY($2::text[])

            UNION ALL
            -- an entrustee with no residency of the service in force: where it keeps the data is not recorded
            SELECT 'entrustee', e.key::text, s.key::text, ec.category_key, v.key::text, 'entrusted', NULL,
                   NULL, NULL, ARRAY[v.headquarters::text], e.valid_from::text, 'entrustment ' || e.key,
                   NULL, NULL, ARRAY[v.key::text]
            FROM live_entrustment e
            JOIN entrustment_category ec ON ec.entrustment_id = e.id
            JOIN service s ON s.id = e.service_id JOIN vendor v ON v.id = e.vendor_id
            WHERE NOT EXISTS (SELECT 1 FROM residency r
                              WHERE r.service_id = e.service_id AND r.vendor_id = e.vendor_id
                                AND r.valid_from <= $8::date AND (r.valid_to IS NULL OR $8::date < r.valid_to))
              AND ($2::text[] IS NULL OR ec.category_key = ANY($2::text[]))
              AND ($3::text IS NULL OR v.headquarters = $3::text)
              AND ($4::text IS NULL OR v.key = $4::text)
              AND ($5::text IS NULL OR $5::text = 'entrusted')
              AND $6::text IS NULL

            UNION ALL
            -- each sub-entrustee reached from the entrustee, once per country it names
            SELECT 'sub_entrustee', e.key::text, s.key::text, ec.category_key, v.key::text, 'entrusted', NULL,
                   c.country, NULL, CASE WHEN c.country IS NULL THEN ARRAY[v.headquarters::text] ELSE '{}'::text[] END,
                   coalesce(se.valid_from, e.valid_from)::text, 'entrustment ' || e.key, se.approved_on::text, NULL, w.path_keys
            FROM walk w
            JOIN live_entrustment e ON e.id = w.entrustment_id
            JOIN live_sub_entrustee se ON se.entrustment_id = w.entrustment_id AND se.vendor_id = w.vendor_id
            JOIN entrustment_category ec ON ec.entrustment_id = e.id
            JOIN service s ON s.id = e.service_id JOIN vendor v ON v.id = w.vendor_id
            LEFT JOIN LATERAL unnest(CASE WHEN cardinality(se.countries) = 0 THEN ARRAY[NULL]::text[] ELSE se.countries END)
                AS c(country) ON true
            WHERE ($2::text[] IS NULL OR ec.category_key = ANY($2::text[]))
              AND ($3::text IS NULL OR c.country = $3::text OR (c.country IS NULL AND v.headquarters = $3::text))
              AND ($4::text IS NULL OR $4::text = ANY(w.path_keys))
              AND ($5::text IS NULL OR $5::text = 'entrusted')
              AND $6::text IS NULL

            UNION ALL
            SELECT 'cycle', e.key::text, s.key::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                   ARRAY(SELECT pv.key::text FROM unnest(u.path_ids) WITH ORDINALITY AS p(id, n)
                         JOIN vendor pv ON pv.id = p.id ORDER BY p.n)
            FROM upward u JOIN live_entrustment e ON e.id = u.entrustment_id JOIN service s ON s.id = e.service_id
            WHERE u.closed AND u.current_id = u.start_id
              -- once per cycle: from the entrustee when it is on the loop, else from the lowest id
              AND u.start_id = CASE WHEN e.vendor_id = ANY(u.path_ids) THEN e.vendor_id
                                    ELSE (SELECT min(x) FROM unnest(u.path_ids) AS x) END
        ) answer
        ORDER BY kind = 'cycle', service COLLATE "C", category COLLATE "C", country COLLATE "C" NULLS LAST,
                 vendor COLLATE "C", role, record COLLATE "C"
        """
}
