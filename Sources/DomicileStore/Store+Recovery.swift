import Foundation
import Postgres

/// What a server on a hot standby asks: whether the database is in recovery, and (in one
/// round trip) the revision replay has reached. A standby refuses `LISTEN`, so there the
/// registry watch polls `revisionInRecovery()` instead of waiting for notifications.
extension Store {
    /// Whether the server is a standby replaying WAL (`pg_is_in_recovery()`); `false` on a
    /// primary and on a standby once it has been promoted.
    public func isInRecovery() throws -> Bool {
        try connection.query("SELECT pg_is_in_recovery() AS in_recovery").first?.decode(Bool.self, "in_recovery") ?? false
    }

    /// The registry revision this server has (on a standby: has replayed) and whether it is
    /// still in recovery, in one statement: a standby's watch polls this, and switches to
    /// notifications once `inRecovery` turns `false` (after a promotion).
    public func revisionInRecovery() throws -> (revision: Int64, inRecovery: Bool) {
        guard let row = try connection.query(
            "SELECT (SELECT revision FROM registry_revision) AS revision, pg_is_in_recovery() AS in_recovery").first
        else { return (0, false) }
        return (try row.decode(Int64?.self, "revision") ?? 0, try row.decode(Bool.self, "in_recovery"))
    }
}
