import DomicileCore
import Postgres

/// What a name typed on the command line (or in a `where` filter) may stand for.
public enum NameTarget: Sendable, Hashable {
    case record(EntityKind)
    /// ISO 3166-1 alpha-2 code; English, Japanese, official and common names, alpha-3.
    case country
    /// `PROVIDER/CODE`; the code alone, the city.
    case region
    /// A checklist template key; its English or Japanese title.
    case template
    /// A checklist item id (of one template, or of all); its English or Japanese title.
    case checklistItem(template: String?)
}

extension Store {
    /// Finds the record a person means: its key, its English or Japanese name, an alias or an
    /// unambiguous prefix (`NameResolver`). Several matches are an error that lists them;
    /// none is an error with the nearest records suggested.
    public func resolveKey(_ kind: EntityKind, _ text: String, field: String? = nil) throws -> String {
        let table = Self.tables[kind]!
        if try connection.query("SELECT 1 FROM " + table + " WHERE key = $1", [text]).first != nil { return text }
        return try nameResolver(.record(kind)).resolve(text, field: field ?? kind.rawValue)
    }

    /// `resolveKey` for any target, reference data included.
    public func resolveName(_ target: NameTarget, _ text: String, field: String) throws -> String {
        try nameResolver(target).resolve(text, field: field)
    }

    /// What `text` names, without throwing: for callers that leave an unknown value to the
    /// validator's own message (a country code, a region).
    public func matchName(_ target: NameTarget, _ text: String) throws -> (match: NameMatch, resolver: NameResolver) {
        let resolver = try nameResolver(target)
        return (resolver.match(text), resolver)
    }

    /// For a value a validator checks after (a country, region, template, checklist item, a
    /// `where` category): the key `text` names; an `InputError` listing the candidates when
    /// it names several; `text` itself when it names nothing, so the validator's message (a
    /// code's usual confusion, `JA` → JP; a dotted key's segments) is kept, unless that
    /// message would suggest nothing and names come close (`Japn` → JP (Japan)).
    public func resolveOrKeep(_ target: NameTarget, _ text: String, field: String) throws -> String {
        let (match, resolver) = try matchName(target, text)
        switch match {
        case .found(let key): return key
        case .ambiguous: throw InputError(resolver.issue(for: text, field: field, match))
        case .unknown(let near):
            let validatorGuesses: Bool
            switch target {
            case .country:
                let names = Dictionary(resolver.candidates.map { ($0.key, $0.label ?? $0.key) }, uniquingKeysWith: { first, _ in first })
                validatorGuesses = CountryGuess.guess(text, countries: names) != nil
            case .record(.category): validatorGuesses = text.contains(".")
            default: validatorGuesses = true
            }
            if near.isEmpty || validatorGuesses { return text }
            throw InputError(resolver.issue(for: text, field: field, match))
        }
    }

    /// Every record of the target with its names, for resolution and shell completion.
    public func nameResolver(_ target: NameTarget) throws -> NameResolver {
        func rows(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> [NamedKey] {
            try connection.query(sql, parameters).rows.map { row in
                NamedKey(
                    key: try row.decode(String.self, "key"), label: row.text("label"),
                    names: (try row.decode([String].self, "names")).filter { !$0.isEmpty })
            }
        }
        switch target {
        case .record(let kind):
            let table = Self.tables[kind]!
            switch kind {
            case .vendor:
                return NameResolver(
                    noun: "vendor", forms: "key, legal name or alias", listCommand: "domicile vendor list",
                    candidates: try rows(
                        "SELECT key, legal_name::text AS label, array_remove(ARRAY[name_ja::text] || aliases::text[], NULL) AS names FROM vendor ORDER BY key"))
            case .organization, .service:
                return NameResolver(
                    noun: kind.rawValue, listCommand: "domicile \(kind.rawValue) list",
                    candidates: try rows(
                        "SELECT key, name::text AS label, array_remove(ARRAY[" + (kind == .organization ? "name_ja::text" : "NULL::text")
                            + "], NULL) AS names FROM " + table + " ORDER BY key"))
            case .category, .purpose:
                return NameResolver(
                    noun: kind == .category ? "data category" : "purpose", code: kind.rawValue,
                    listCommand: "domicile \(kind.rawValue) list",
                    candidates: try rows("SELECT key, name_en::text AS label, array_remove(ARRAY[name_ja::text], NULL) AS names FROM " + table + " ORDER BY key"))
            case .residency, .entrustment, .provision, .transmission, .assessment:
                let command = kind == .entrustment ? "entrust" : kind == .assessment ? "assess" : kind.rawValue
                return NameResolver(
                    noun: kind.rawValue, forms: "key", listCommand: "domicile \(command) list --all",
                    candidates: try rows("SELECT key, NULL::text AS label, '{}'::text[] AS names FROM " + table + " ORDER BY key"))
            }
        case .country:
            var entries: [CountryNames.Entry] = []
            var alpha3: [String: String] = [:]
            for row in try connection.query("SELECT code, alpha3, name_en, name_ja, official_name_en FROM country ORDER BY code").rows {
                let code = try row.decode(String.self, "code")
                entries.append(CountryNames.Entry(code: code, nameEN: try row.decode(String.self, "name_en"), nameJA: row.text("name_ja"), officialNameEN: row.text("official_name_en")))
                alpha3[code] = try row.decode(String.self, "alpha3")
            }
            let names = CountryNames.names(entries)
            return NameResolver(
                noun: "country", forms: "code (ISO 3166-1 alpha-2) or name", labelsKeys: true, listCommand: "domicile country list",
                candidates: entries.map { NamedKey(key: $0.code, label: $0.nameEN, names: (names[$0.code] ?? []) + [alpha3[$0.code]].compactMap { $0 }) })
        case .region:
            return NameResolver(
                noun: "cloud region", forms: "(PROVIDER/CODE, a code or a city)", code: "region", listCommand: "domicile region list",
                candidates: try rows(
                    """
                    SELECT provider || '/' || code AS key, coalesce(city || ', ', '') || country_code::text AS label,
                           array_remove(ARRAY[code::text, city::text], NULL) AS names
                    FROM cloud_region ORDER BY provider, code
                    """))
        case .template:
            return NameResolver(
                noun: "checklist template", forms: "key or title", code: "template", listCommand: "domicile checklist list",
                candidates: try rows("SELECT key, title_en::text AS label, array_remove(ARRAY[title_ja::text], NULL) AS names FROM checklist_template ORDER BY key"))
        case .checklistItem(let template):
            return NameResolver(
                noun: "checklist item", forms: "id or title", code: "item",
                listCommand: "domicile checklist show \(template ?? "TEMPLATE")",
                candidates: try rows(
                    """
                    SELECT DISTINCT ON (item_id) item_id AS key, title_en::text AS label, array_remove(ARRAY[title_ja::text], NULL) AS names
                    FROM checklist_item WHERE $1::text IS NULL OR template_key = $1 ORDER BY item_id, template_key
                    """, [template]))
        }
    }
}
