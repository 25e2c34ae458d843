import ArgumentParser
import DomicileCore
import DomicileStore
import Foundation

/// `domicile where`: where each data category of each service is, as of a day.
struct Where: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "where",
        abstract: "Answer where data lives: by service, category, country, vendor, role or region, as of a day.",
        discussion: """
            Each row is one data category of one service at one vendor in one
            role: its region and country (or "undisclosed" with the reason and
            candidate countries), since when, and who says so (source, verified
            on, asserted by). Filters combine.

            --category matches the taxonomy below it (user.contact matches
            user.contact.email); --country also matches undisclosed rows that
            name the country as a candidate. --transitive follows entrustments
            to the entrustee and its sub-entrustees at any depth (role
            "entrusted") and shows each path; a cycle of sub-entrustees is
            reported, not followed twice. --by country counts services,
            categories and vendors per country with its regime flags; --by
            service does the same per service. The JSON shape is documented in
            docs/cli.md. Every filter naming a record takes its key, its English
            or Japanese name, an alias or an unambiguous prefix; an ambiguous or
            unknown one exits 2 with the nearest candidates.

            Examples:
              domicile where --service persona --category user.contact
              domicile where --country US --as-of 2025-04-01 --format csv
              domicile where --service persona --transitive --by country
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: ListingOptions

    @Option(help: ArgumentHelp("Only this service (key or name).", valueName: "service"), completion: Completions.names(.record(.service))) var service: String?
    @Option(help: ArgumentHelp("Only this data category and those below it: key or name (user.contact, email, メールアドレス).", valueName: "category"), completion: Completions.names(.record(.category))) var category: String?
    @Option(help: ArgumentHelp("Only this country: ISO 3166-1 alpha-2 code or name (US, Japan, 米国).", valueName: "code"), completion: Completions.names(.country)) var country: String?
    @Option(help: ArgumentHelp("Only this vendor (key, legal name or alias); with --transitive, any path through it.", valueName: "vendor"), completion: Completions.names(.record(.vendor))) var vendor: String?
    @Option(help: ArgumentHelp("Only this role: storage, processing, backup, remote-access, or entrusted (with --transitive).", valueName: "role"), completion: .list(["storage", "processing", "backup", "remote-access", "entrusted"])) var role: String?
    @Option(help: ArgumentHelp("Only this cloud region: aws/ap-northeast-1, a code alone or a city.", valueName: "provider/code"), completion: Completions.names(.region)) var region: String?
    @Option(name: .customLong("as-of"), help: ArgumentHelp("As the registry stood on this day (YYYY-MM-DD; default today).", valueName: "date")) var asOf: String?
    @Flag(help: "Follow entrustments through entrustees and sub-entrustees at any depth.") var transitive = false
    @Option(help: ArgumentHelp("Summarize by country (with regime flags) or by service.", valueName: "country|service"), completion: .list(WhereGrouping.allCases.map(\.rawValue))) var by: String?

    func run() throws {
        let store = try database.migratedStore()
        let request = WhereRequest(
            service: service, category: category, country: country, vendor: vendor, role: role, region: region,
            asOf: asOf, transitive: transitive, by: by)
        let answer = try store.read { _ in try store.where(try store.whereQuery(request)) }
        printForTerminal(answer.render(output.format))
        if output.format == .csv {
            for message in answer.cycleMessages { printError("warning: " + message) }
        }
    }
}

/// `domicile diff`: what started, ended or changed between two days.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "List what started, ended or changed between two days: vendors, residencies, entrustments, sub-entrustees, provisions, transmissions, contracts, assessments.",
        discussion: """
            Compares the registry as it stood on --from with how it stood on
            --to (default today): what was in force on --to but not on --from
            started, the reverse ended, and a record that ended the day another
            with the same identity started changed (residency: service, vendor
            and role; entrustment: service and vendor; transmission: service,
            recipient and tool), with the fields that differ. Contract events
            (signed, renewed, expired, term_ended) and assessments made are
            listed on their day too.

            Examples:
              domicile diff --from 2025-04-01
              domicile diff --from 2025-04-01 --to 2026-04-01 --format json
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: ListingOptions

    @Option(help: ArgumentHelp("The earlier day (YYYY-MM-DD).", valueName: "date")) var from: String
    @Option(help: ArgumentHelp("The later day (YYYY-MM-DD; default today).", valueName: "date")) var to: String?

    func run() throws {
        let store = try database.migratedStore()
        let diff = try store.read { _ in try store.diff(DiffRequest(from: from, to: to)) }
        printForTerminal(diff.render(output.format))
    }
}
