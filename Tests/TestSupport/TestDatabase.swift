import DomicileStore
import Foundation
import Postgres

/// A database of its own for one test, cloned from a template that was migrated
/// (and optionally seeded) once per test process.
///
/// The server comes from `DATABASE_URL` (scripts/test starts a throwaway cluster and
/// sets it). Any host that is not local is refused before anything is created or dropped.
public struct TestDatabase: Sendable {
    public enum Template: String, Sendable {
        /// Schema only.
        case migrated
        /// Schema plus `domicile seed` reference data (countries, regions, checklists, categories, purposes).
        case seeded
    }

    public let name: String
    /// Connection URL of this test's database.
    public let url: String

    /// Opens a new connection to this test's database.
    public func connect() throws -> Connection {
        try Connection(conninfo: url, environment: [:])
    }

    public func store() throws -> Store { Store(connection: try connect()) }

    /// Creates a database from `template`, runs `body`, and drops the database even when `body` throws.
    public static func with<T>(
        _ template: Template = .migrated, _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        try await run(from: template, body)
    }

    /// An empty database (not even migrated), for migration tests.
    public static func withEmpty<T>(_ body: (TestDatabase) async throws -> T) async throws -> T {
        try await run(from: nil, body)
    }

    private static func run<T>(from template: Template?, _ body: (TestDatabase) async throws -> T) async throws -> T {
        let database = try await TemplateRegistry.shared.makeDatabase(from: template)
        do {
            let value = try await body(database)
            try await TemplateRegistry.shared.drop(database)
            return value
        } catch {
            try? await TemplateRegistry.shared.drop(database)
            throw error
        }
    }

    /// The checkout's top directory (where Package.swift, schema/ and seeds/ live).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var schemaDirectory: URL { repositoryRoot.appendingPathComponent("schema") }
    public static var seedsDirectory: URL { repositoryRoot.appendingPathComponent("seeds") }

    /// The admin URL (DATABASE_URL), refused unless it points at this machine.
    public static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            throw TestDatabaseError("DATABASE_URL is not set: run the tests with scripts/test, which starts a throwaway PostgreSQL")
        }
        guard let (host, _) = Connection.parsedHost(of: url) else {
            throw TestDatabaseError("DATABASE_URL cannot be parsed")
        }
        let local = host == nil || host == "" || host == "localhost" || host == "127.0.0.1" || host == "::1"
            || host!.hasPrefix("/")
        guard local else {
            throw TestDatabaseError("refusing to create and drop test databases on non-local host '\(host!)'")
        }
        return url
    }

    /// `url` with its database name replaced by `database`.
    public static func url(_ url: String, database: String) -> String {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            var components = URLComponents(string: url)!
            components.path = "/" + database
            return components.string!
        }
        return url + " dbname=" + database
    }
}

public struct TestDatabaseError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Creates the templates once per process and serializes CREATE DATABASE (two clones of
/// one template at the same moment make PostgreSQL report the template as busy).
actor TemplateRegistry {
    static let shared = TemplateRegistry()

    private var templates: [TestDatabase.Template: String] = [:]
    private let processTag = String(ProcessInfo.processInfo.processIdentifier)

    func makeDatabase(from template: TestDatabase.Template?) throws -> TestDatabase {
        let admin = try Connection(conninfo: try TestDatabase.adminURL(), environment: [:])
        defer { admin.close() }
        let name = "domicile_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        if let template {
            let templateName = try templateDatabase(template, admin: admin)
            try admin.unsafeExecuteScript("CREATE DATABASE \(name) TEMPLATE \(templateName) STRATEGY FILE_COPY")
        } else {
            try admin.unsafeExecuteScript("CREATE DATABASE \(name)")
        }
        return TestDatabase(name: name, url: TestDatabase.url(try TestDatabase.adminURL(), database: name))
    }

    func drop(_ database: TestDatabase) throws {
        precondition(database.name.hasPrefix("domicile_test_"), "only test databases are dropped")
        let admin = try Connection(conninfo: try TestDatabase.adminURL(), environment: [:])
        defer { admin.close() }
        try admin.unsafeExecuteScript("DROP DATABASE IF EXISTS \(database.name) WITH (FORCE)")
    }

    private func templateDatabase(_ template: TestDatabase.Template, admin: Connection) throws -> String {
        if let name = templates[template] { return name }
        let name = "domicile_tpl_\(template.rawValue)_\(processTag)"
        try admin.unsafeExecuteScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try admin.unsafeExecuteScript("CREATE DATABASE \(name)")
        let url = TestDatabase.url(try TestDatabase.adminURL(), database: name)
        do {
            let connection = try Connection(conninfo: url, environment: [:])
            defer { connection.close() }
            try Migrator(migrations: try Migration.load(from: TestDatabase.schemaDirectory)).migrate(on: connection)
            if template == .seeded {
                try TestSeeds.load(into: Store(connection: connection))
            }
        }
        templates[template] = name
        return name
    }
}
