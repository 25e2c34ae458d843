import ArgumentParser
import DomicileCore
import DomicileStore
import Foundation
import Postgres

/// How to reach the database; shared by every command that needs it.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "PostgreSQL URL or conninfo string (default: DATABASE_URL, else libpq's PG* variables).",
            valueName: "url"))
    var databaseURL: String?

    func connect() throws -> Connection {
        try Connection(conninfo: databaseURL)
    }

    /// A store on a database that is fully migrated; anything else is an error.
    func migratedStore(schema: SchemaOptions) throws -> Store {
        let store = Store(connection: try connect())
        try store.requireMigrated(Migrator(migrations: try schema.migrations()))
        return store
    }
}

/// Who is writing, for the audit log.
struct ActorOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Who is making the change, for the audit log (default: DOMICILE_ACTOR, else your login name).", valueName: "name"))
    var actor: String?

    var resolved: String {
        if let actor, !actor.isEmpty { return actor }
        let environment = ProcessInfo.processInfo.environment
        if let actor = environment["DOMICILE_ACTOR"], !actor.isEmpty { return actor }
        if let user = environment["USER"] ?? environment["LOGNAME"], !user.isEmpty { return user }
        return NSUserName().isEmpty ? "unknown" : NSUserName()
    }
}

/// Where `schema/` lives.
struct SchemaOptions: ParsableArguments {
    @Option(
        name: .customLong("schema-dir"),
        help: ArgumentHelp("Directory of NNNN_name.sql migrations (default: schema/ of the Domicile checkout).", valueName: "dir"))
    var schemaDirectory: String?

    func migrations() throws -> [Migration] {
        let directory = try schemaDirectory.map { URL(fileURLWithPath: $0) } ?? ResourceLocator.directory("schema")
        return try Migration.load(from: directory)
    }
}

/// Finds the checkout's `schema/` and `seeds/`: `DOMICILE_HOME`, else the current
/// directory or one above it, else the directories above the executable.
enum ResourceLocator {
    static func directory(_ name: String) throws -> URL {
        let fileManager = FileManager.default
        var roots: [URL] = []
        if let home = ProcessInfo.processInfo.environment["DOMICILE_HOME"], !home.isEmpty {
            roots.append(URL(fileURLWithPath: home))
        }
        var current = URL(fileURLWithPath: fileManager.currentDirectoryPath)
        var executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            roots.append(current)
            roots.append(executable)
            current = current.deletingLastPathComponent()
            executable = executable.deletingLastPathComponent()
        }
        for root in roots {
            let candidate = root.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue,
                fileManager.fileExists(atPath: root.appendingPathComponent("Package.swift").path)
                    || ProcessInfo.processInfo.environment["DOMICILE_HOME"] != nil
            {
                return candidate
            }
        }
        throw InputError(Issue(code: "setup.missing_directory", field: "DOMICILE_HOME", value: name, message: "cannot find the \(name)/ directory; run from the Domicile checkout or set DOMICILE_HOME to it"))
    }
}
