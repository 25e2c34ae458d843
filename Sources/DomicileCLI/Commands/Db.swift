import ArgumentParser
import DomicileStore
import Foundation

struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Database administration: roles for least privilege.",
        subcommands: [GrantReader.self])
}

struct GrantReader: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant-reader",
        abstract: "Let a database role act as domicile_reader, the read-only role `serve` uses.",
        discussion: """
            `domicile serve` switches every connection to domicile_reader, which can only
            read (and record when a token was last used). Give the server a login of its own
            that is a member of domicile_reader and nothing else. Run this as the database
            owner or a role that may grant domicile_reader.

            Example:
              psql -c "CREATE ROLE domicile_api LOGIN PASSWORD 'secret'"
              domicile db grant-reader domicile_api
            """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp("An existing database role (usually a login).", valueName: "role")) var role: String

    func run() throws {
        let store = try database.migratedStore()
        try store.grantReader(to: role)
        print("granted domicile_reader to \(role)")
    }
}
