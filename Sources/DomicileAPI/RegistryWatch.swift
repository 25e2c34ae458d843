import DomicileStore
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import Postgres
import ServiceLifecycle

/// Keeps the registry revision and the tokens already checked in memory, so that a cached
/// answer (or a 304) needs no database round trip at all.
///
/// One connection of its own `LISTEN`s on `registry_revision` (migration 0007): every
/// writing transaction, token changes included, bumps the revision and notifies it at
/// commit. On each notification the revision is updated and every remembered token is
/// forgotten, so a revoked token is refused from the next request after the notification
/// (milliseconds after the commit).
///
/// A notification only says "look again": the revision is then read from the database on
/// the watch's own connection, never taken from the payload, which any login could forge
/// with `NOTIFY registry_revision, '…'`.
///
/// While that connection is down — the database stopped, a failover — nothing is answered
/// from memory: `generation` and `token(hash:now:)` answer `nil`, and once a connection
/// attempt has failed (`databaseDown`) requests answer 503 at once without a connection
/// attempt of their own. The watch is then the only one to reconnect, in one loop with
/// backoff: `retryInterval`, doubled after each failure up to `maximumRetryInterval`.
///
/// On a hot standby, which refuses `LISTEN` during recovery, the watch asks
/// `pg_is_in_recovery()` first and then polls the replayed revision every
/// `standbyPollInterval` instead (one statement that also says whether recovery goes on);
/// once the standby is promoted it switches to notifications on the same connection.
///
/// A `Service` (swift-service-lifecycle): the application's service group runs it beside
/// the server and ends it at graceful shutdown.
final class RegistryWatch: Service, Sendable {
    /// A token that passed `Store.checkToken`, remembered until the next notification.
    struct KnownToken: Sendable {
        let id: Int64
        let name: String
        let scope: TokenScope
        let expiresAt: Date?
        /// When this server last recorded the token's use (`Store.recordTokenUse`).
        var recordedUseAt: Date
    }

    private struct State {
        var live = false
        /// A connection attempt failed (or the connection broke) and none has succeeded since.
        var down = false
        /// Connection attempts made, successful or not.
        var attempts = 0
        var revision: Int64 = 0
        /// Bumped with every notification and every (re)connection, so a token checked in
        /// the database is remembered only if nothing changed while it was checked.
        var generation: UInt64 = 0
        var tokens: [String: KnownToken] = [:]
        var stopped = false
        /// The database is a standby in recovery: the revision is polled, not notified.
        var polling = false
    }

    private let conninfo: String?
    private let environment: [String: String]
    private let retryInterval: Duration
    private let maximumRetryInterval: Duration
    /// How often the revision is read while the database is a standby in recovery: there a
    /// write (or a revocation) is seen this long after it is replayed, at most.
    private let standbyPollInterval: Duration
    private let logger: Logger
    private let state = NIOLockedValueBox(State())
    /// How often the watch looks for notifications: a revocation is seen this long after its
    /// commit at most.
    static let pollInterval: Duration = .milliseconds(20)

    init(
        conninfo: String?, environment: [String: String], logger: Logger, retryInterval: Duration = .milliseconds(100),
        maximumRetryInterval: Duration = .seconds(2), standbyPollInterval: Duration = APIConfiguration.defaultStandbyPollInterval
    ) {
        self.standbyPollInterval = standbyPollInterval
        self.conninfo = conninfo
        self.environment = environment
        self.logger = logger
        self.retryInterval = retryInterval
        self.maximumRetryInterval = maximumRetryInterval
    }

    /// Whether the database is known to be unreachable: requests then answer 503 at once.
    var databaseDown: Bool {
        state.withLockedValue { $0.down && !$0.stopped }
    }

    /// Whether the watch follows the revision by polling (the database is a standby in recovery).
    var followsByPolling: Bool {
        state.withLockedValue { $0.live && $0.polling }
    }

    /// Connection attempts the watch has made (for tests).
    var connectionAttempts: Int {
        state.withLockedValue { $0.attempts }
    }

    /// The generation to remember a token under, or `nil` while the watch is down.
    var generation: UInt64? {
        state.withLockedValue { $0.live ? $0.generation : nil }
    }

    /// A remembered token by the SHA-256 of what was presented, with the revision to answer
    /// at and whether its use is due to be recorded (once a minute; then marked recorded);
    /// `nil` when unknown or while the watch is down.
    func token(hash: String, now: Date) -> (token: KnownToken, revision: Int64, recordUse: Bool)? {
        state.withLockedValue { state in
            guard state.live, var token = state.tokens[hash] else { return nil }
            let due = now.timeIntervalSince(token.recordedUseAt) >= 60
            if due {
                token.recordedUseAt = now
                state.tokens[hash] = token
            }
            return (token, state.revision, due)
        }
    }

    /// Remembers a token the database found valid, unless a notification (or a reconnection)
    /// came in since `generation` was read.
    func remember(hash: String, _ token: KnownToken, ifStill generation: UInt64) {
        state.withLockedValue { state in
            guard state.live, state.generation == generation else { return }
            // Bounded: a flood of distinct valid tokens cannot grow memory without end.
            if state.tokens.count >= 10_000 { state.tokens.removeAll(keepingCapacity: true) }
            state.tokens[hash] = token
        }
    }

    /// Watches until cancelled or, under a service group, until graceful shutdown; then
    /// forgets everything, so nothing more is answered from memory.
    ///
    /// No thread of its own: the blocking libpq steps (connecting, reading the revision) run
    /// on NIO's shared thread pool; notifications are looked for without waiting every
    /// `pollInterval` (a `Task.sleep` in between, as the backoff is), so no thread is held
    /// while nothing happens.
    func run() async throws {
        await cancelWhenGracefulShutdown { await self.watch() }
        state.withLockedValue { $0.stopped = true; $0.live = false; $0.tokens = [:] }
    }

    /// Runs `body` (blocking libpq calls) on NIO's shared thread pool.
    private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }

    /// On a standby in recovery: reads the revision (and whether recovery goes on, in one
    /// statement) every `standbyPollInterval`; a new revision forgets the remembered tokens
    /// as a notification does. Returns once the database is promoted (or on cancellation);
    /// throws when the connection is lost.
    private func followByPolling(_ store: Store, wasLive: inout Bool) async throws {
        var (revision, inRecovery) = try await blocking { try store.revisionInRecovery() }
        guard inRecovery else { return }
        state.withLockedValue { state in
            state.live = !state.stopped
            state.down = false
            state.polling = true
            state.revision = revision
            state.generation &+= 1
            state.tokens = [:]
        }
        logger.info(
            "the database is a standby in recovery (it cannot LISTEN); following the registry revision by polling",
            metadata: ["revision": "\(revision)", "interval": "\(standbyPollInterval)"])
        wasLive = true
        while !Task.isCancelled {
            try? await Task.sleep(for: standbyPollInterval)
            if Task.isCancelled { return }
            (revision, inRecovery) = try await blocking { try store.revisionInRecovery() }
            state.withLockedValue { state in
                guard state.revision != revision || !inRecovery else { return }
                state.revision = revision
                state.generation &+= 1
                state.tokens = [:]
            }
            if !inRecovery { return }
        }
    }

    private func watch() async {
        var wasLive = false
        var delay = retryInterval
        while !Task.isCancelled {
            do {
                state.withLockedValue { $0.attempts += 1 }
                let (conninfo, environment) = (self.conninfo, self.environment)
                let store = try await blocking { try Store.connect(conninfo: conninfo, environment: environment) }
                defer { store.close() }
                let standby = try await blocking {
                    try store.actAsReader()
                    return try store.isInRecovery()
                }
                if standby {
                    delay = retryInterval
                    // A hot standby refuses LISTEN: follow the replayed revision by polling it,
                    // until the connection is lost or the standby is promoted.
                    try await followByPolling(store, wasLive: &wasLive)
                    if Task.isCancelled { break }
                    logger.info("the database is out of recovery (promoted); following the registry revision by notifications")
                }
                let revision = try await blocking {
                    // Subscribe first, then read: a commit in between is both seen and notified.
                    try store.listenForRevisions()
                    return try store.revision()
                }
                state.withLockedValue { state in
                    state.live = !state.stopped
                    state.down = false
                    state.polling = false
                    state.revision = revision
                    state.generation &+= 1
                    state.tokens = [:]
                }
                if !wasLive { logger.info("watching registry revision", metadata: ["revision": "\(revision)"]) }
                wasLive = true
                delay = retryInterval
                while !Task.isCancelled {
                    // A look without waiting (libpq reads what the socket holds), then a sleep:
                    // no thread is held between notifications.
                    guard try store.revisionChanged(waitingAtMost: .zero) else {
                        try? await Task.sleep(for: Self.pollInterval)
                        continue
                    }
                    // "Look again": the payload is not trusted, the database is asked. Tokens are
                    // forgotten first, so a revoked one is not served while the read runs.
                    state.withLockedValue { state in
                        state.generation &+= 1
                        state.tokens = [:]
                    }
                    let current = try await blocking { try store.revision() }
                    state.withLockedValue { state in
                        state.revision = current
                        state.generation &+= 1
                        state.tokens = [:]
                    }
                }
            } catch {
                // Only a failure to reach the server means "down": any other failure (say, a
                // login that cannot act as the reader) leaves every request to the database.
                let unreachable = (error as? PostgresError)?.kind == .connection
                state.withLockedValue { state in
                    state.live = false
                    state.polling = false
                    state.down = unreachable && !Task.isCancelled
                    state.generation &+= 1
                    state.tokens = [:]
                }
                if wasLive, !Task.isCancelled {
                    logger.warning("registry watch lost the database; answering from the database until it returns", metadata: ["error": "\(error)"])
                }
                wasLive = false
            }
            // Wait before reconnecting (longer after each failure); cancellation ends the wait.
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, maximumRetryInterval)
        }
    }
}
