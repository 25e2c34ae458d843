import DomicileCore

/// Failures of the store that are not a single bad field.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// An applied migration file was edited afterwards; migrations are forward-only.
    case migrationChanged(version: Int, name: String, applied: String, current: String)
    /// The database has a migration this checkout does not know (newer code ran against it).
    case migrationMissing(version: Int, name: String)
    /// The database has not been migrated (or is behind this build).
    case notMigrated(pending: Int)

    public var description: String {
        switch self {
        case .migrationChanged(let version, let name, let applied, let current):
            return String(format: "%04d", version)
                + "_\(name).sql has changed since it was applied (applied sha256 \(applied.prefix(12))…, file now \(current.prefix(12))…); migrations are forward-only: restore the file and add a new migration instead"
        case .migrationMissing(let version, let name):
            return "the database has migration " + String(format: "%04d", version)
                + "_\(name).sql, which is not in schema/; this checkout is older than the database"
        case .notMigrated(let pending):
            return "the database is not up to date (\(pending) migration(s) pending); run `domicile migrate`"
        }
    }
}
