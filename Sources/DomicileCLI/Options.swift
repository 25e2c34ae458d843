import ArgumentParser
import DomicileCore
import DomicileFiles
import DomicileStore
import Foundation
import Postgres

/// How to reach the database and which migrations it must have: the options every command
/// that touches the registry shares (`@OptionGroup var database: DatabaseOptions`).
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "PostgreSQL URL or conninfo string (default: DATABASE_URL, else libpq's PG* variables).",
            valueName: "url"))
    var databaseURL: String?

    @Option(
        name: .customLong("schema-dir"),
        help: ArgumentHelp("Directory of NNNN_name.sql migrations (default: the schema/ built into domicile).", valueName: "dir"))
    var schemaDirectory: String?

    func connect() throws -> Connection {
        try Connection(conninfo: databaseURL)
    }

    /// The migrations: `--schema-dir`, else `DOMICILE_HOME`'s schema/, else the built-in ones.
    func migrations() throws -> [Migration] {
        try Migration.load(from: ResourceLocator.tree("schema", override: schemaDirectory))
    }

    /// A store on a database that is fully migrated; anything else is an error.
    func migratedStore() throws -> Store {
        let store = Store(connection: try connect())
        try store.requireMigrated(Migrator(migrations: try migrations()))
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

/// The files `domicile` reads at run time: the ones built into it (`BuiltInFiles`: schema/,
/// seeds/, docs/openapi.yaml of the checkout it was built from), unless `--schema-dir` or
/// `--seeds-dir` names a directory, or `DOMICILE_HOME` a checkout to read them from instead.
enum ResourceLocator {
    /// `override` when given, else `DOMICILE_HOME`'s `name/` when that is set, else the built-in tree.
    static func tree(_ name: String, override: String?) throws -> FileSource {
        if let override { return .directory(URL(fileURLWithPath: override)) }
        if let home = try home(name) { return .directory(home) }
        return .memory(BuiltInFiles.files(under: name), label: name + "/ built into domicile")
    }

    /// The bytes of `path` (e.g. `docs/openapi.yaml`): from `DOMICILE_HOME` when set, else built in.
    static func file(_ path: String) throws -> [UInt8] {
        guard let home = ProcessInfo.processInfo.environment["DOMICILE_HOME"], !home.isEmpty else {
            guard let bytes = BuiltInFiles.all[path] else { preconditionFailure("\(path) is built into domicile") }
            return bytes
        }
        let url = URL(fileURLWithPath: home).appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError(Issue(code: "setup.missing_file", field: "DOMICILE_HOME", value: url.path, message: "cannot read \(url.path); set DOMICILE_HOME to a Domicile checkout, or unset it to use the files built into domicile"))
        }
        return [UInt8](data)
    }

    /// `DOMICILE_HOME/name` when `DOMICILE_HOME` is set (an error when it has no such directory), else `nil`.
    static func home(_ name: String) throws -> URL? {
        guard let home = ProcessInfo.processInfo.environment["DOMICILE_HOME"], !home.isEmpty else { return nil }
        let candidate = URL(fileURLWithPath: home).appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(Issue(code: "setup.missing_directory", field: "DOMICILE_HOME", value: candidate.path, message: "cannot find \(candidate.path); set DOMICILE_HOME to a Domicile checkout, or unset it to use the files built into domicile"))
        }
        return candidate
    }
}
