import Foundation
import ArgumentParser
import DomicileCore
import DomicileStore

// Read-only views of reference data: countries, cloud regions, checklists, data categories.

/// A read-only listing: connect, build the listing, print it in the chosen format.
protocol ListingCommand: ParsableCommand {
    var database: DatabaseOptions { get }
    var output: ListingOptions { get }
    /// The text to print (a listing rendered in `output.format`, or a special form).
    func render(_ store: Store) throws -> String
}

extension ListingCommand {
    func run() throws {
        let store = try database.migratedStore()
        print(try render(store), terminator: "")
    }
}

struct CountryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "country",
        abstract: "ISO 3166-1 countries with English and Japanese names and regime facts.",
        subcommands: [CountryList.self, CountryShow.self, CountryFacts.self])
}

struct CountryList: ListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List every country with its current regime facts.",
        discussion: """
            Sorted by code; --limit N prints the first N, --after CODE those after it.

            Examples:
              domicile country list --format csv > countries.csv
              domicile country list --limit 50 --after JP
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: ListingOptions
    @OptionGroup var page: PageOptions

    func render(_ store: Store) throws -> String {
        var listing = page.page(try store.countries(), column: "code")
        if output.format == .table {
            let keep = ["code", "name_en", "name_ja", "eu_adequacy", "jp_ppc_equivalent", "apec_cbpr", "localization", "confidence"]
            let indexes = keep.compactMap { listing.columns.firstIndex(of: $0) }
            listing = Listing(columns: indexes.map { listing.columns[$0] }, rows: listing.rows.map { row in indexes.map { row[$0] } })
        }
        return listing.render(output.format)
    }
}

struct CountryShow: ListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one country's names, regime facts, source and confidence.",
        discussion: "Example:\n  domicile country show JP")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: ListingOptions
    @Argument(help: ArgumentHelp("ISO 3166-1 alpha-2 code, or the country's name.", valueName: "code"), completion: Completions.names(.country)) var code: String

    func render(_ store: Store) throws -> String {
        let listing = try store.countries(code: try store.resolveReference(.country, code, field: "country").uppercased())
        guard let row = listing.rows.first else {
            let index = try store.referenceIndex()
            var message = "country '\(code)' is not an ISO 3166-1 alpha-2 code"
            if let guess = CountryGuess.guess(code, countries: index.countries) { message += "; did you mean \(guess) (\(index.countries[guess] ?? guess))?" }
            throw InputError(Issue(code: "input.unknown_country", field: "code", value: code, message: message))
        }
        guard output.format == .table else { return listing.render(output.format) }
        let width = listing.columns.map(\.count).max() ?? 0
        return zip(listing.columns, row).filter { !$0.1.isEmpty }
            .map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 + "\n" }.joined()
    }
}

struct CountryFacts: ListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "facts", abstract: "One country's dated regime facts, as reports and check read them.",
        discussion: """
            Each fact of seeds/country-regime-facts.csv with its own dates (an empty
            effective_from: no source gave the day), confidence, source and the public
            sentences the disclosure uses (docs/seeds.md). Without --all, only the facts
            in force on --as-of (default today).

            Examples:
              domicile country facts US
              domicile country facts GB --as-of 2019-06-01
              domicile country facts US --all --format csv
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: ListingOptions
    @Argument(help: ArgumentHelp("ISO 3166-1 alpha-2 code, or the country's name.", valueName: "code"), completion: Completions.names(.country)) var code: String
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The facts in force on this day (YYYY-MM-DD; default today).", valueName: "date"))
    var asOf: String?
    @Flag(help: "Every fact of the country, whatever its dates.") var all = false

    func render(_ store: Store) throws -> String {
        if all, let asOf {
            // as the API's as_of and all: one asks for a day, the other for every day
            throw InputError(Issue(code: "input.conflicting_options", field: "as-of", value: asOf, message: "--as-of \(asOf) and --all cannot be combined: --all lists every fact whatever its dates; give one of them"))
        }
        var day: Day? = Day.today
        if let asOf {
            guard let parsed = Day(asOf) else {
                throw InputError(Issue.invalid("as-of", asOf, expected: "an ISO 8601 date YYYY-MM-DD, e.g. 2025-04-01"))
            }
            day = parsed
        }
        if all { day = nil }
        let upper = try store.resolveReference(.country, code, field: "country").uppercased()
        guard try store.countries(code: upper).rows.first != nil else {
            let index = try store.referenceIndex()
            var message = "country '\(code)' is not an ISO 3166-1 alpha-2 code"
            if let guess = CountryGuess.guess(code, countries: index.countries) { message += "; did you mean \(guess) (\(index.countries[guess] ?? guess))?" }
            throw InputError(Issue(code: "input.unknown_country", field: "code", value: code, message: message))
        }
        var listing = try store.regimeFacts(code: upper, asOf: day)
        if output.format == .table {
            let keep = ["fact", "value", "effective_from", "effective_to", "confidence", "verified_on"]
            let indexes = keep.compactMap { listing.columns.firstIndex(of: $0) }
            listing = Listing(columns: indexes.map { listing.columns[$0] }, rows: listing.rows.map { row in indexes.map { row[$0] } })
        }
        return listing.render(output.format)
    }
}

struct RegionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "region",
        abstract: "Cloud regions and the country (and city) each is in.",
        subcommands: [RegionList.self])
}

struct RegionList: ListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List cloud regions.",
        discussion: """
            Sorted by provider and code; --limit N prints the first N, --after PROVIDER/CODE
            those after that region.

            Examples:
              domicile region list --provider aws
              domicile region list --country JP --format json
              domicile region list --limit 20 --after aws/ap-northeast-1
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: ListingOptions
    @OptionGroup var page: PageOptions
    @Option(help: "Only this provider (aws, gcp, azure, oci, sakura).") var provider: String?
    @Option(help: "Only regions in this country (code or name).", completion: Completions.names(.country)) var country: String?

    func render(_ store: Store) throws -> String {
        let regions = try store.cloudRegions(provider: provider, country: try country.map { try store.resolveReference(.country, $0, field: "country").uppercased() })
        let (provider, code) = (regions.columns.firstIndex(of: "provider")!, regions.columns.firstIndex(of: "code")!)
        return page.page(regions, key: { $0[provider] + "/" + $0[code] }).render(output.format)
    }
}

struct ChecklistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checklist",
        abstract: "Checklist templates (appi-security-2022, appi-entrustee-supervision) and their items.",
        subcommands: [ChecklistList.self, ChecklistShow.self])
}

struct ChecklistList: ListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List checklist templates.",
        discussion: """
            Sorted by key; --limit N prints the first N, --after KEY those after it.

            Examples:
              domicile checklist list
              domicile checklist list --limit 1 --after appi-entrustee-supervision
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: ListingOptions
    @OptionGroup var page: PageOptions

    func render(_ store: Store) throws -> String {
        page.page(try store.checklistTemplates(), column: "key").render(output.format)
    }
}

struct ChecklistShow: ListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "List the items of a template, in order.",
        discussion: "Example:\n  domicile checklist show appi-security-2022 --format csv")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: ListingOptions
    @Argument(help: ArgumentHelp("Template key or title.", valueName: "template"), completion: Completions.names(.template)) var template: String

    func render(_ store: Store) throws -> String {
        let template = (try? store.resolveName(.template, self.template, field: "template")) ?? self.template
        guard let listing = try store.checklistItems(template: template) else {
            throw InputError(Issue.notAllowed("template", template, allowed: try store.templateKeys(), code: "input.unknown_template"))
        }
        return listing.render(output.format)
    }
}

struct CategoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "category",
        abstract: "The data-category taxonomy.",
        subcommands: [CategoryList.self])
}

struct CategoryList: ListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List data categories (dotted keys).",
        discussion: """
            A category may be named by its key, its English or Japanese name, its last
            key segment or an unambiguous prefix wherever a command takes one (where
            --category, residency add --categories). Add your own in a registry file's
            data_categories section.

            Examples:
              domicile category list --lang ja
              domicile category list --format csv
              domicile category list --limit 20 --after user.contact
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: ListingOptions
    @OptionGroup var language: NameLanguageOption
    @OptionGroup var page: PageOptions

    func render(_ store: Store) throws -> String {
        let records = page.page(try store.records(.category))
        let listing = nameListing(records, kind: .category, lang: language.lang, extra: ["sensitive"])
        return output.format == .csv ? RegistryCSV.emit(records, kind: .category) : listing.render(output.format)
    }
}

struct Audit: ListingCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the audit trail: who changed what, when, with before and after.",
        discussion: """
            Every write (by a command, an import or a seed) is recorded in the same transaction
            by the database itself, with the named actor and the database login; audit rows
            cannot be changed or deleted.

            The newest change comes first; --limit (default 50) keeps that many of the
            newest, and --reverse prints those oldest first. --entity KIND/KEY takes a
            key, a name or an unambiguous prefix (vendor/sakura, vendor/"Amazon Web
            Services"); an unknown one exits 2 with the nearest. JSON gives before and
            after as objects (null for an insert's before).

            Examples:
              domicile audit --since 2026-01-01
              domicile audit --entity vendor/aws --reverse
              domicile audit --actor alice --limit 10 --format json
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: ListingOptions
    @Option(help: ArgumentHelp("Only changes on or after this day (YYYY-MM-DD).", valueName: "date")) var since: String?
    @Option(help: ArgumentHelp("Only this kind, or KIND/KEY: \(Audit.entities.joined(separator: ", ")).", valueName: "kind[/key]"), completion: Completions.auditEntity) var entity: String?
    @Option(help: ArgumentHelp("Only changes by this actor.", valueName: "name")) var actor: String?
    @Option(help: "At most this many rows (the newest).") var limit: Int = 50
    @Flag(help: "Oldest first (of the newest --limit rows).") var reverse = false

    static let entities = ["organization", "category", "purpose", "service", "vendor", "residency", "entrustment", "provision", "transmission", "assessment", "token", "country", "region", "checklist", "evidence"]

    func render(_ store: Store) throws -> String {
        var day: Day?
        if let since {
            guard let parsed = Day(since) else { throw InputError(Issue.invalid("since", since, expected: "an ISO 8601 date YYYY-MM-DD")) }
            day = parsed
        }
        var kind: String?
        var key: String?
        if let entity {
            let parts = entity.split(separator: "/", maxSplits: 1).map(String.init)
            kind = parts.first
            key = parts.count > 1 ? parts[1] : nil
            if let kind, !Audit.entities.contains(kind) {
                throw InputError(Issue.notAllowed("entity", kind, allowed: Audit.entities))
            }
            if let kind, let given = key { key = try store.auditKey(entity: kind, given) }
        }
        guard limit > 0 else { throw InputError(Issue.invalid("limit", String(limit), expected: "a positive number")) }
        var listing = try store.audit(since: day, entity: kind, key: key, actor: actor, limit: limit, newestFirst: !reverse)
        if output.format == .json { return Audit.json(listing) }
        if output.format == .table {
            // before/after JSON is for json and csv; the table shows which fields changed
            let shown = ["id", "at", "actor", "login", "action", "entity", "key"]
            let index = Dictionary(uniqueKeysWithValues: listing.columns.enumerated().map { ($1, $0) })
            let rows = listing.rows.map { row -> [String] in
                let before = row[index["before"]!]
                let after = row[index["after"]!]
                let changed = before.isEmpty ? "(new)" : after.isEmpty ? "(removed)" : Audit.changedFields(before: before, after: after)
                return shown.map { row[index[$0]!] } + [changed]
            }
            listing = Listing(columns: shown + ["changed"], rows: rows)
        }
        return listing.render(output.format)
    }

    static func changedFields(before: String, after: String) -> String {
        func object(_ text: String) -> [String: String] {
            guard let data = text.data(using: .utf8), let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
            return json.mapValues { "\($0)" }
        }
        let old = object(before)
        let new = object(after)
        // the *_key beside each *_id says the same thing; show the id's name once
        let keys = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] && $0 != "id" && !$0.hasSuffix("_key") }
        return keys.sorted().joined(separator: ", ")
    }
}
