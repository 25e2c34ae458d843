import NIOConcurrencyHelpers
import NIOPosix

/// A bounded pool of libpq connections for async code.
///
/// libpq blocks, so every call made through the pool runs on a dedicated
/// `NIOThreadPool`: never on Swift's cooperative pool, never on an event loop.
/// At most `maximumConnections` connections exist; further callers wait (suspended,
/// not blocking a thread) until one is returned.
public final class ConnectionPool: Sendable {
    private struct State {
        var idle: [Connection] = []
        var open = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Connection?, any Error>)] = []
        var nextWaiterID: UInt64 = 0
        var isShutDown = false
    }

    private let conninfo: String
    private let setup: (@Sendable (Connection) throws -> Void)?
    private let maximumConnections: Int
    private let threadPool: NIOThreadPool
    private let ownsThreadPool: Bool
    private let state = NIOLockedValueBox(State())

    /// - Parameters:
    ///   - conninfo: as for `Connection.init`; resolved once, here.
    ///   - maximumConnections: the bound; also the number of threads when the pool makes its own.
    ///   - threadPool: a started thread pool to share, or `nil` to start a private one.
    ///   - setup: run on each new connection before its first use (e.g. `SET ROLE`); when it
    ///     throws, the connection is closed and the caller gets the error.
    public init(
        conninfo: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        maximumConnections: Int = 4,
        threadPool: NIOThreadPool? = nil,
        setup: (@Sendable (Connection) throws -> Void)? = nil
    ) {
        precondition(maximumConnections > 0, "a pool needs at least one connection")
        self.conninfo = Connection.resolveConninfo(conninfo, environment: environment)
        self.setup = setup
        self.maximumConnections = maximumConnections
        if let threadPool {
            self.threadPool = threadPool
            ownsThreadPool = false
        } else {
            let pool = NIOThreadPool(numberOfThreads: maximumConnections)
            pool.start()
            self.threadPool = pool
            ownsThreadPool = true
        }
    }

    /// Leases a connection, runs `body` with it on the thread pool, and returns the connection.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let leased = try await acquire()
        let conninfo = self.conninfo
        let setup = self.setup
        let connection: Connection
        if let leased {
            // An idle connection is used as it is: only opening one needs a hop to the threads.
            connection = leased
        } else {
            do {
                connection = try await threadPool.runIfActive {
                    let connection = try Connection(conninfo: conninfo, environment: [:])
                    do {
                        try setup?(connection)
                    } catch {
                        connection.close()
                        throw error
                    }
                    return connection
                }
            } catch {
                release(nil)
                throw error
            }
        }
        do {
            let value = try await threadPool.runIfActive { try body(connection) }
            release(connection)
            return value
        } catch {
            release(connection)
            throw error
        }
    }

    /// Number of connections currently open (idle or leased).
    public var openConnections: Int { state.withLockedValue { $0.open } }

    /// Number of callers suspended right now, waiting for a connection to be returned.
    public var waitingCallers: Int { state.withLockedValue { $0.waiters.count } }

    /// Closes idle connections, fails waiters, and stops a private thread pool.
    public func shutdown() async throws {
        let (idle, waiters) = state.withLockedValue { state in
            state.isShutDown = true
            defer {
                state.open -= state.idle.count
                state.idle = []
                state.waiters = []
            }
            return (state.idle, state.waiters)
        }
        idle.forEach { $0.close() }
        let error = PostgresError(kind: .client, message: "the connection pool is shut down")
        waiters.forEach { $0.continuation.resume(throwing: error) }
        if ownsThreadPool { try await threadPool.shutdownGracefully() }
    }

    /// Returns an idle connection, or `nil` when the caller may open a new one.
    private func acquire() async throws -> Connection? {
        enum Decision { case reuse(Connection), open, wait, shutDown }
        let decision: Decision = state.withLockedValue { state in
            if state.isShutDown { return .shutDown }
            if let connection = state.idle.popLast() { return .reuse(connection) }
            if state.open < maximumConnections {
                state.open += 1
                return .open
            }
            return .wait
        }
        switch decision {
        case .reuse(let connection): return connection
        case .open: return nil
        case .shutDown: throw PostgresError(kind: .client, message: "the connection pool is shut down")
        case .wait:
            // A caller that is cancelled while it waits stops waiting (CancellationError).
            let id = state.withLockedValue { state in
                state.nextWaiterID += 1
                return state.nextWaiterID
            }
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    enum Immediate { case reuse(Connection), open, shutDown, cancelled }
                    let immediate: Immediate? = state.withLockedValue { state in
                        if state.isShutDown { return .shutDown }
                        if Task.isCancelled { return .cancelled }
                        if let connection = state.idle.popLast() { return .reuse(connection) }
                        if state.open < maximumConnections {
                            state.open += 1
                            return .open
                        }
                        state.waiters.append((id, continuation))
                        return nil
                    }
                    switch immediate {
                    case .reuse(let connection): continuation.resume(returning: connection)
                    case .open: continuation.resume(returning: nil)
                    case .shutDown:
                        continuation.resume(throwing: PostgresError(kind: .client, message: "the connection pool is shut down"))
                    case .cancelled: continuation.resume(throwing: CancellationError())
                    case nil: break
                    }
                }
            } onCancel: {
                let waiter = state.withLockedValue { state -> CheckedContinuation<Connection?, any Error>? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index).continuation
                }
                waiter?.resume(throwing: CancellationError())
            }
        }
    }

    /// Hands a connection to the next waiter or back to the idle list. A broken or
    /// missing connection frees its slot so a waiter can open a fresh one.
    private func release(_ connection: Connection?) {
        let usable = connection?.isUsable ?? false
        if let connection, !usable { connection.close() }
        enum Handoff { case give(CheckedContinuation<Connection?, any Error>, Connection?), none, close(Connection) }
        let handoff: Handoff = state.withLockedValue { state in
            if !state.waiters.isEmpty {
                let waiter = state.waiters.removeFirst().continuation
                return .give(waiter, usable ? connection : nil)
            }
            if usable, let connection {
                if state.isShutDown {
                    state.open -= 1
                    return .close(connection)
                }
                state.idle.append(connection)
            } else {
                state.open -= 1
            }
            return .none
        }
        switch handoff {
        case .give(let waiter, let connection): waiter.resume(returning: connection)
        case .close(let connection): connection.close()
        case .none: break
        }
    }
}

import Foundation
