import DomicileCore
import DomicileStore

extension EndpointRequest {
    /// Runs `body` on a pooled connection outside any transaction, for an answer read in one
    /// statement that returns the registry revision beside its rows (`Store.recordAtRevision`,
    /// `Store.countryAtRevision`): a single statement sees one snapshot by itself, so the
    /// answer costs one round trip where `read` (a read-only, repeatable-read transaction)
    /// costs seven. What `body` returns is turned into bytes after the connection is back in
    /// the pool.
    func readOne<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        try await database.withStore(body)
    }
}
