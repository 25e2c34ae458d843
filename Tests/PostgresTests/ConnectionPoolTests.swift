import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import Postgres
import TestSupport
import Testing

@Suite("Connection pool")
struct ConnectionPoolTests {
    /// Number of server backends connected to `db` right now.
    static func backends(_ db: TestDatabase) throws -> Int {
        let admin = try Connection(conninfo: try TestDatabase.adminURL(), environment: [:])
        defer { admin.close() }
        return try admin.query("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1", [db.name]).first?
            .decode(Int.self, "n") ?? -1
    }

    /// Suspends until `condition` holds: waits for an event, never measures time. Gives up
    /// (failing the test) only after a bound far beyond any machine's slowness.
    static func until(
        _ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () throws -> Bool
    ) async throws {
        for _ in 0..<12_000 {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("never happened: \(what)", sourceLocation: sourceLocation)
        throw TestDatabaseError("never happened: \(what)")
    }

    /// A gate that pool bodies block on (on the pool's own threads) until the test opens it.
    final class Gate: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        private let opened = NIOLockedValueBox(false)
        /// Blocks until the test opens the gate; `false` if it was never opened.
        func pass() -> Bool {
            guard semaphore.wait(timeout: .now() + 120) == .success else { return false }
            semaphore.signal()
            return true
        }
        func open() {
            opened.withLockedValue { $0 = true }
            semaphore.signal()
        }
        var isOpen: Bool { opened.withLockedValue { $0 } }
    }

    @Test("50 concurrent callers all succeed on at most 3 connections")
    func boundedUnderLoad() async throws {
        try await TestDatabase.withEmpty { db in
            let pool = ConnectionPool(conninfo: db.url, environment: [:], maximumConnections: 3)
            let inBody = NIOLockedValueBox((now: 0, peak: 0))

            let results = try await withThrowingTaskGroup(of: (Int, Int, Int).self) { group in
                for index in 0..<50 {
                    group.addTask {
                        try await pool.withConnection { connection in
                            inBody.withLockedValue { state in
                                state.now += 1
                                state.peak = max(state.peak, state.now)
                            }
                            defer { inBody.withLockedValue { $0.now -= 1 } }
                            // The first bodies wait (on the pool's threads) until three are
                            // inside at once: parallelism is shown, not hoped for.
                            var spins = 0
                            while inBody.withLockedValue({ $0.peak }) < 3, spins < 60_000 {
                                usleep(2_000)
                                spins += 1
                            }
                            let row = try #require(
                                try connection.query(
                                    """
                                    SELECT $1::int AS echo, pg_sleep(0.01)::text AS slept,
                                           (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()) AS backends
                                    """, [index]
                                ).first)
                            return (index, try row.decode(Int.self, "echo"), try row.decode(Int.self, "backends"))
                        }
                    }
                }
                var collected: [(Int, Int, Int)] = []
                for try await result in group { collected.append(result) }
                return collected
            }

            #expect(results.count == 50)
            #expect(results.allSatisfy { $0.0 == $0.1 }, "every caller got its own answer")
            let maxBackends = results.map(\.2).max() ?? 0
            #expect(maxBackends <= 3, "server saw \(maxBackends) connections")
            #expect(maxBackends >= 1)
            let peak = inBody.withLockedValue { $0.peak }
            #expect(peak <= 3, "\(peak) bodies ran at once")
            #expect(peak == 3, "the pool runs three callers at once")
            #expect(pool.openConnections <= 3)
            #expect(pool.openConnections >= 1)
            try await pool.shutdown()
        }
    }

    @Test("Bodies run on the pool's own threads, so the cooperative pool keeps making progress")
    func bodiesRunOffTheCooperativePool() async throws {
        try await TestDatabase.withEmpty { db in
            // More blocking bodies than the cooperative pool has threads.
            let blockers = ProcessInfo.processInfo.activeProcessorCount + 2
            let pool = ConnectionPool(conninfo: db.url, environment: [:], maximumConnections: blockers)
            let started = NIOLockedValueBox(0)
            let gate = Gate()

            try await withThrowingTaskGroup(of: (offTask: Bool, released: Bool).self) { group in
                for _ in 0..<blockers {
                    group.addTask {
                        try await pool.withConnection { connection in
                            _ = try connection.query("SELECT 1")
                            started.withLockedValue { $0 += 1 }
                            // Blocks this thread until the test opens the gate. Were bodies on
                            // the cooperative pool, the probes below could not run, the gate
                            // would never open, and the body would see it closed.
                            let released = gate.pass()
                            // No Swift task is running on this thread.
                            return (withUnsafeCurrentTask { $0 == nil }, released)
                        }
                    }
                }
                try await Self.until("all \(blockers) bodies blocked at once") { started.withLockedValue { $0 } == blockers }

                // While all of them block, plain tasks on the cooperative pool still run.
                let probes = try await withThrowingTaskGroup(of: Int.self) { probes in
                    for value in 0..<(blockers * 2) { probes.addTask { await Task.yield(); return value } }
                    return try await probes.reduce(0, +)
                }
                #expect(probes == (0..<(blockers * 2)).reduce(0, +))
                gate.open()

                for try await body in group {
                    #expect(body.offTask)
                    #expect(body.released, "the body was still blocked when the probes finished")
                }
            }
            try await pool.shutdown()
        }
    }

    @Test("A throwing body returns its connection to the pool")
    func throwingBodyReleasesConnection() async throws {
        try await TestDatabase.withEmpty { db in
            let pool = ConnectionPool(conninfo: db.url, environment: [:], maximumConnections: 1)

            let error = await #expect(throws: PostgresError.self) {
                try await pool.withConnection { try $0.query("SELECT 1 / 0") }
            }
            #expect(error?.sqlState == "22012")

            let pid1 = try await pool.withConnection { try $0.query("SELECT pg_backend_pid() AS pid").first?.decode(Int.self, "pid") }
            let pid2 = try await pool.withConnection { try $0.query("SELECT pg_backend_pid() AS pid").first?.decode(Int.self, "pid") }
            #expect(pid1 != nil && pid1 == pid2, "the one connection is reused")
            #expect(pool.openConnections == 1)
            try await pool.shutdown()
        }
    }

    @Test("A connection lost during a call frees its slot for a fresh one")
    func lostConnectionIsReplaced() async throws {
        try await TestDatabase.withEmpty { db in
            let pool = ConnectionPool(conninfo: db.url, environment: [:], maximumConnections: 1)

            let error = await #expect(throws: PostgresError.self) {
                try await pool.withConnection { try $0.query("SELECT pg_terminate_backend(pg_backend_pid())") }
            }
            #expect(error?.kind == .connection)

            let answer = try await pool.withConnection { try $0.query("SELECT 41 + 1 AS n").first?.decode(Int.self, "n") }
            #expect(answer == 42)
            #expect(pool.openConnections == 1)
            try await pool.shutdown()
        }
    }

    @Test("An unreachable server fails the call and does not use up the pool")
    func unreachableServerFreesSlot() async throws {
        let pool = ConnectionPool(conninfo: "postgresql://postgres@127.0.0.1:1/x", environment: [:], maximumConnections: 1)

        for _ in 0..<3 {
            let error = await #expect(throws: PostgresError.self) { try await pool.withConnection { _ in 1 } }
            #expect(error?.kind == .connection)
        }
        #expect(pool.openConnections == 0)
        try await pool.shutdown()
    }

    @Test("After shutdown, calls fail and every connection is closed on the server")
    func shutdownFailsLaterCalls() async throws {
        try await TestDatabase.withEmpty { db in
            let pool = ConnectionPool(conninfo: db.url, environment: [:], maximumConnections: 2)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await pool.withConnection { _ = try $0.query("SELECT pg_sleep(0.05)") } }
                }
                try await group.waitForAll()
            }
            let open = pool.openConnections
            #expect((1...2).contains(open))
            #expect(try Self.backends(db) == open)

            try await pool.shutdown()

            #expect(pool.openConnections == 0)
            let error = await #expect(throws: PostgresError.self) { try await pool.withConnection { _ in 1 } }
            #expect(error?.kind == .client)
            // Backends exit asynchronously after the client's terminate message.
            try await Self.until("every backend of the pool exited") { try Self.backends(db) == 0 }
        }
    }

    @Test("Shutdown fails callers waiting for a connection; the busy one finishes and is closed")
    func shutdownFailsWaiters() async throws {
        try await TestDatabase.withEmpty { db in
            let pool = ConnectionPool(conninfo: db.url, environment: [:], maximumConnections: 1)
            let gate = Gate()
            let busyInside = NIOLockedValueBox(false)
            let busy = Task {
                try await pool.withConnection { connection in
                    busyInside.withLockedValue { $0 = true }
                    _ = gate.pass()
                    return try connection.query("SELECT 'done' AS result").first?.decode(String.self, "result")
                }
            }
            try await Self.until("the busy caller runs on the only connection") { busyInside.withLockedValue { $0 } }
            let waiterRan = NIOLockedValueBox(false)
            let waiter = Task { try await pool.withConnection { _ in waiterRan.withLockedValue { $0 = true } } }
            try await Self.until("the second caller is suspended, waiting") { pool.waitingCallers == 1 }

            // Shutdown fails the waiter at once; it then waits for the busy body.
            let shutdown = Task { try await pool.shutdown() }
            let waiterResult = await waiter.result
            let error = #expect(throws: PostgresError.self) { try waiterResult.get() }
            #expect(error?.kind == .client)
            #expect(!waiterRan.withLockedValue { $0 })
            #expect(pool.waitingCallers == 0)
            #expect(!gate.isOpen, "the waiter was failed while the busy caller still held the connection")

            gate.open()
            #expect(try await busy.value == "done")
            try await shutdown.value
            #expect(pool.openConnections == 0)
        }
    }

    @Test("A caller cancelled while waiting stops waiting, and the pool keeps serving")
    func cancelledWaiterStopsWaiting() async throws {
        try await TestDatabase.withEmpty { db in
            let pool = ConnectionPool(conninfo: db.url, environment: [:], maximumConnections: 1)
            let gate = Gate()
            let busyInside = NIOLockedValueBox(false)
            let busy = Task {
                try await pool.withConnection { connection in
                    busyInside.withLockedValue { $0 = true }
                    _ = gate.pass()
                    return try connection.query("SELECT 'done' AS result").first?.decode(String.self, "result")
                }
            }
            try await Self.until("the busy caller runs on the only connection") { busyInside.withLockedValue { $0 } }
            let waiterRan = NIOLockedValueBox(false)
            let waiter = Task { try await pool.withConnection { _ in waiterRan.withLockedValue { $0 = true } } }
            try await Self.until("the second caller is suspended, waiting") { pool.waitingCallers == 1 }

            waiter.cancel()
            let waiterResult = await waiter.result

            #expect(throws: CancellationError.self) { try waiterResult.get() }
            #expect(!waiterRan.withLockedValue { $0 })
            #expect(pool.waitingCallers == 0)
            #expect(!gate.isOpen, "the waiter stopped because it was cancelled, not because a connection came back")
            gate.open()
            #expect(try await busy.value == "done")
            let after = try await pool.withConnection { connection in
                try connection.query("SELECT 'again' AS result").first?.decode(String.self, "result")
            }
            #expect(after == "again")
            #expect(pool.openConnections == 1)
            try await pool.shutdown()
        }
    }
}
