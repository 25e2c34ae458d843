import ArgumentParser
import DomicileCore
import DomicileStore
import Foundation

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Bearer tokens for the HTTP API (`domicile serve`): create, list, revoke.",
        subcommands: [TokenCreate.self, TokenList.self, TokenRevoke.self])
}

struct TokenCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an API token and print it once.",
        discussion: """
            The token is printed once, on standard output; only its SHA-256 hash is stored,
            so it cannot be shown again (revoke it and create another if it is lost).
            Scopes: read (every API route) or reports (/v1/reports/… only).
            --expires is the first day (UTC) the token no longer works.

            Example:
            \(wrapExample("domicile token create --name dashboard --scope read --expires 2027-04-01"))
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions

    @Option(help: ArgumentHelp("A name for the token (who or what uses it): lower-case letters, digits, '.', '_' or '-'.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("What the token may read: read (every route) or reports (reports only).", valueName: "scope"))
    var scope = "read"

    @Option(help: ArgumentHelp("First day (YYYY-MM-DD, UTC) the token no longer works (default: never expires).", valueName: "date"))
    var expires: String?

    func run() throws {
        guard let scope = TokenScope(rawValue: scope) else {
            throw InputError(Issue.notAllowed("scope", self.scope, allowed: TokenScope.allCases.map(\.rawValue)))
        }
        var day: Day?
        if let expires {
            guard let parsed = Day(expires) else {
                throw InputError(Issue.invalid("expires", expires, expected: "an ISO 8601 date YYYY-MM-DD, e.g. 2027-04-01"))
            }
            day = parsed
        }
        let store = try database.migratedStore()
        let token = try store.createToken(name: name, scope: scope, expires: day, actor: actor.resolved)
        print(token)
        printError("created token '\(name)' (scope \(scope.rawValue)\(day.map { ", expires \($0)" } ?? "")); it is shown only this once")
    }
}

struct TokenList: ListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List API tokens: name, scope, dates and status (never the token).",
        discussion: """
            Oldest first. With --limit N or --after NAME the list is paged by name instead
            (code-point order): --after takes the last name of the previous page.

            Examples:
              domicile token list --format json
              domicile token list --limit 50 --after dashboard
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: ListingOptions
    @OptionGroup var page: PageOptions

    func render(_ store: Store) throws -> String {
        let tokens = try store.tokens()
        let name = tokens.columns.firstIndex(of: "name")!
        return page.page(tokens, key: { $0[name] }).render(output.format)
    }
}

struct TokenRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke an API token: the API refuses it from now on.",
        discussion: "Example:\n  domicile token revoke dashboard")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: ArgumentHelp("The token's name.", valueName: "name")) var name: String

    func run() throws {
        let store = try database.migratedStore()
        try store.revokeToken(name: name, actor: actor.resolved)
        print("revoked token \(name)")
    }
}
