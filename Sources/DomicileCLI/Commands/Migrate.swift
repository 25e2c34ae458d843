import ArgumentParser
import DomicileStore
import Foundation

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending schema migrations, or list them with --status.",
        discussion: """
            Applies schema/NNNN_name.sql files that are not yet applied, in order, each in its
            own transaction, under an advisory lock (concurrent runs wait for each other).
            Refuses to run (exit 2) when an applied file has changed. Running it again is a no-op.

            Examples:
              domicile migrate
              domicile migrate --status
              DATABASE_URL=postgresql://localhost/domicile domicile migrate
            """)

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "List applied and pending migrations instead of applying them.")
    var status = false

    func run() throws {
        let migrator = Migrator(migrations: try database.migrations())
        let db = try database.connect()
        if status {
            let status = try migrator.status(on: db)
            let formatter = ISO8601DateFormatter()
            for applied in status.applied {
                let file = migrator.migrations.first { $0.version == applied.version }
                let state = file == nil ? "missing" : (file?.sha256 == applied.sha256 ? "applied" : "CHANGED")
                print("\(state)  \(String(format: "%04d", applied.version))_\(applied.name).sql  \(formatter.string(from: applied.appliedAt))  sha256:\(applied.sha256.prefix(12))")
            }
            for pending in status.pending {
                print("pending  \(String(format: "%04d", pending.version))_\(pending.name).sql")
            }
            try migrator.verify(status.applied)
            return
        }
        let applied = try migrator.migrate(on: db)
        if applied.isEmpty {
            print("schema is up to date (\(migrator.migrations.count) migration(s) applied)")
        } else {
            for migration in applied {
                print("applied  \(String(format: "%04d", migration.version))_\(migration.name).sql")
            }
        }
    }
}
