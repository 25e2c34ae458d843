import NIOConcurrencyHelpers
import DomicileStore

/// Concurrent checks of one token in the database share one round trip.
///
/// After a write the watch forgets every remembered token, so a burst of requests with the
/// same token (64 connections of a dashboard on the same report) would otherwise each check it
/// in the database, queueing behind one another in the pool. A check is shared only by
/// requests that read the same watch generation: a request that starts after a notification
/// (a revocation, say) never takes the answer of a check begun before it.
final class TokenCheckFlights: Sendable {
    private struct Key: Hashable {
        let hash: String
        let generation: UInt64?
    }

    private struct State {
        var flights: [Key: Task<TokenCheck, any Error>] = [:]
        var checks = 0
    }

    private let state = NIOLockedValueBox(State())

    /// Checks run in the database so far (for tests: shared checks count once).
    var checks: Int { state.withLockedValue { $0.checks } }

    /// The check of the token with `hash`: the one already running for it in `generation`,
    /// else `run` (given `limit`). Each caller waits at most until `deadline`.
    func check(
        hash: String, generation: UInt64?, deadline: ContinuousClock.Instant, limit: Duration,
        run: @escaping @Sendable () async throws -> TokenCheck
    ) async throws -> TokenCheck {
        let key = Key(hash: hash, generation: generation)
        let task: Task<TokenCheck, any Error> = state.withLockedValue { state in
            if let running = state.flights[key] { return running }
            state.checks += 1
            let task = Task<TokenCheck, any Error> { [self] in
                defer { _ = self.state.withLockedValue { $0.flights.removeValue(forKey: key) } }
                return try await withTimeout(limit) { try await run() }
            }
            state.flights[key] = task
            return task
        }
        return try await withTimeout(deadline - .now, limit: limit) { try await task.value }
    }
}
