import CSV
import DomicileCore
import Foundation
import Postgres
import Yams

/// Loads `seeds/`: reference data (countries, regime facts, cloud providers and regions,
/// checklist templates), brought up to date with the files, and the common data categories
/// and purposes and, on request, an example registry, added where missing (what people have
/// edited since is kept). Running it again changes nothing.
public struct Seeder {
    /// The seed files: a `seeds/` directory, or the ones built into `domicile`.
    public let files: FileSource

    public init(files: FileSource) {
        self.files = files
    }

    public init(directory: URL) {
        self.init(files: .directory(directory))
    }

    public struct Summary: Sendable {
        /// Reference table → (rows in the seed files, rows added or changed now).
        public var reference: [String: (rows: Int, changed: Int)] = [:]
        public var registry = ImportPlan()
    }

    /// Loads the reference seeds in one transaction.
    @discardableResult
    public func loadReference(into store: Store, actor: String) throws -> Summary {
        // Everything in one transaction: a failure leaves the registry as it was.
        try store.write(actor: actor) { _ in try loadReferenceData(into: store, actor: actor) }
    }

    /// Loads the reference seeds and, when `example` is given, that example registry, all in
    /// one transaction: interrupted or refused at any point, nothing of it is kept.
    public func load(example: String?, into store: Store, actor: String) throws -> (Summary, ImportPlan?) {
        try store.write(actor: actor) { _ in
            let summary = try loadReferenceData(into: store, actor: actor)
            let plan = try example.map { try loadExample($0, into: store, actor: actor) }
            return (summary, plan)
        }
    }

    private func loadReferenceData(into store: Store, actor: String) throws -> Summary {
        var summary = Summary()
        let countries = try table("countries.csv")
        let regimes = try table("country-regimes.csv")
        // Dated facts: the key names the fact and the day it started ("" when no source gave it).
        let facts = try table("country-regime-facts.csv").map { row -> [String: String] in
            var row = row
            row["key"] = ["country_code", "fact", "value", "effective_from"].map { row[$0] ?? "" }.joined(separator: "#")
            return row
        }
        let providers = try table("cloud-providers.csv")
        let regions = try table("cloud-regions.csv")
        let templates = try checklists()
        try store.write(actor: actor) { connection in
            summary.reference["countries"] = (countries.count, try upsert(
                connection, "country", conflict: ["code"], rows: countries,
                columns: ["code", "alpha3", "numeric_code", "name_en", "name_ja", "official_name_en"]))
            summary.reference["country regimes"] = (regimes.count, try upsert(
                connection, "country_regime", conflict: ["country_code", "effective_from"], rows: regimes,
                columns: [
                    "country_code", "effective_from", "eu_member", "eea_member", "eu_adequacy", "eu_adequacy_note",
                    "jp_ppc_equivalent", "apec_cbpr", "ppc_survey", "comprehensive_law", "law_name", "localization",
                    "localization_note", "confidence", "confidence_note", "source", "verified_on",
                ]))
            let factChanges = try upsert(
                connection, "country_regime_fact", conflict: ["key"], rows: facts,
                columns: [
                    "key", "country_code", "fact", "value", "effective_from", "effective_to", "public_en", "public_ja",
                    "source", "confidence", "verified_on",
                ])
            // The key holds the value and the start, the very things a correction changes: a row
            // no longer in the file would otherwise stay in force beside its correction (audited).
            let factsRemoved = try connection.query(
                "DELETE FROM country_regime_fact WHERE NOT (key = ANY($1::text[]))", [facts.map { $0["key"] ?? "" }]
            ).affectedRows
            summary.reference["country regime facts"] = (facts.count, factChanges + factsRemoved)
            summary.reference["cloud providers"] = (providers.count, try upsert(
                connection, "cloud_provider", conflict: ["key"], rows: providers, columns: ["key", "name", "headquarters"]))
            summary.reference["cloud regions"] = (regions.count, try upsert(
                connection, "cloud_region", conflict: ["provider", "code"], rows: regions,
                columns: ["provider", "code", "country_code", "city", "verified_on", "source"]))
            var items = (rows: 0, changed: 0)
            var templateChanges = 0
            for template in templates {
                templateChanges += try upsert(
                    connection, "checklist_template", conflict: ["key"],
                    rows: [["key": template.key, "version": template.version, "title_en": template.title_en, "title_ja": template.title_ja ?? "", "source": template.source ?? ""]],
                    columns: ["key", "version", "title_en", "title_ja", "source"])
                let rows = template.items.enumerated().map { position, item in
                    [
                        "template_key": template.key, "item_id": item.id, "group_code": item.group, "section": item.section ?? "",
                        "title_en": item.title_en, "title_ja": item.title_ja ?? "", "description": item.description,
                        "evidence_hint": item.evidence_hint ?? "", "mandatory": item.mandatory ? "true" : "false",
                        "confidence": item.confidence, "source": item.source ?? "", "position": String(position),
                    ]
                }
                let changed = try upsert(
                    connection, "checklist_item", conflict: ["template_key", "item_id"], rows: rows,
                    columns: [
                        "template_key", "item_id", "group_code", "section", "title_en", "title_ja", "description",
                        "evidence_hint", "mandatory", "confidence", "source", "position",
                    ])
                items = (items.rows + rows.count, items.changed + changed)
            }
            summary.reference["checklist templates"] = (templates.count, templateChanges)
            summary.reference["checklist items"] = items
        }
        // Common categories and purposes are registry records: imported (and audited) like any file.
        var document = RegistryDocument()
        var partial = Set<EntityKind>()
        for (file, kind) in [("data-categories.csv", EntityKind.category), ("purposes.csv", .purpose)] {
            let (part, kinds) = try Importer.parse(try bytes(file), file: "seeds/" + file, kind: kind)
            document[kind] = part[kind]
            document.issues += part.issues
            partial.formUnion(kinds)
        }
        // Add what is missing; a category or purpose someone has edited since keeps the edit.
        summary.registry = try Importer(store: store).run(document, partialKinds: partial, actor: actor, addOnly: true)
        return summary
    }

    /// Loads `seeds/examples/NAME.yaml` through the importer.
    public func loadExample(_ name: String, into store: Store, actor: String) throws -> ImportPlan {
        let file = "examples/" + name + ".yaml"
        guard files.contents(file) != nil else {
            let available = (try? files.names(in: "examples"))?
                .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted() ?? []
            throw InputError(Issue.notAllowed("example", name, allowed: available))
        }
        let (document, _) = try Importer.parse(try bytes(file), file: "seeds/" + file)
        // Loading the example again adds what is missing and keeps what people have edited.
        return try Importer(store: store).run(document, actor: actor, addOnly: true)
    }

    // MARK: Files

    struct Checklist: Decodable {
        struct Item: Decodable {
            let id: String
            let group: String
            let section: String?
            let title_en: String
            let title_ja: String?
            let description: String
            let evidence_hint: String?
            let mandatory: Bool
            let confidence: String
            let source: String?
        }
        let key: String
        let version: String
        let title_en: String
        let title_ja: String?
        let source: String?
        let items: [Item]
    }

    func bytes(_ file: String) throws -> [UInt8] {
        guard let bytes = files.contents(file) else {
            let path = files.describe(file)
            throw InputError(Issue(code: "input.missing_seed", field: "file", value: path, message: "seed file \(path) is missing"))
        }
        return bytes
    }

    func checklists() throws -> [Checklist] {
        return try files.names(in: "checklists").filter { $0.hasSuffix(".yaml") }.sorted().map { file in
            let text = try RegistryText.decode(try bytes("checklists/" + file), file: file)
            do {
                return try YAMLDecoder().decode(Checklist.self, from: text)
            } catch {
                throw InputError(Issue(code: "input.invalid_seed", field: "file", value: file, message: "seeds/checklists/\(file) is not a valid checklist: \(error)"))
            }
        }
    }

    /// A CSV seed as one dictionary per row.
    func table(_ file: String) throws -> [[String: String]] {
        let text = try RegistryText.decode(try bytes(file), file: file)
        let reader = try CSVReader(string: text, hasHeaderRow: true)
        let header = reader.headerRow ?? []
        var rows: [[String: String]] = []
        while let row = reader.next() {
            if row.allSatisfy(\.isEmpty) { continue }
            rows.append(Dictionary(zip(header, row), uniquingKeysWith: { first, _ in first }))
        }
        return rows
    }

    /// Inserts or updates reference rows; empty cells are NULL. Returns how many rows were
    /// added or changed (unchanged rows are not touched, so they are not audited).
    @discardableResult
    func upsert(_ connection: Connection, _ table: String, conflict: [String], rows: [[String: String]], columns: [String]) throws -> Int {
        precondition(([table] + columns + conflict).allSatisfy(Store.isIdentifier), "identifiers are constants")
        let placeholders = (1...columns.count).map { "$" + String($0) }.joined(separator: ", ")
        let updates = columns.filter { !conflict.contains($0) }.map { $0 + " = EXCLUDED." + $0 }
        let differs = columns.filter { !conflict.contains($0) }.map { table + "." + $0 + " IS DISTINCT FROM EXCLUDED." + $0 }
        let sql = "INSERT INTO " + table + " (" + columns.joined(separator: ", ") + ") VALUES (" + placeholders
            + ") ON CONFLICT (" + conflict.joined(separator: ", ") + ") DO UPDATE SET " + updates.joined(separator: ", ")
            + " WHERE " + differs.joined(separator: " OR ")
        var changed = 0
        for row in rows {
            let values: [(any PostgresEncodable)?] = columns.map { column in
                guard let value = row[column], !value.isEmpty else { return nil }
                return value
            }
            changed += try connection.query(sql, values).affectedRows
        }
        return changed
    }
}
