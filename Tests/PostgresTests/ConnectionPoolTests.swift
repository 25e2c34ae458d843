import Foundation
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
            #expect(peak >= 2, "the pool should run callers in parallel")
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
            let sleepSeconds = 2.0

            try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<blockers {
                    group.addTask {
                        try await pool.withConnection { connection in
                            started.withLockedValue { $0 += 1 }
                            try connection.query("SELECT pg_sleep($1)", [sleepSeconds])
                            // No Swift task is running on this thread.
                            return withUnsafeCurrentTask { $0 == nil }
                        }
                    }
                }
                let clock = ContinuousClock()
                let start = clock.now
                // Suspend (not block) until every body is inside its sleep.
                while started.withLockedValue({ $0 }) < blockers, clock.now - start < .seconds(sleepSeconds) {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(started.withLockedValue { $0 } == blockers, "all bodies started concurrently")

                // While all of them block, plain tasks on the cooperative pool still run.
                let probes = try await withThrowingTaskGroup(of: Int.self) { probes in
                    for value in 0..<(blockers * 2) { probes.addTask { await Task.yield(); return value } }
                    return try await probes.reduce(0, +)
                }
                #expect(probes == (0..<(blockers * 2)).reduce(0, +))
                #expect(clock.now - start < .seconds(sleepSeconds), "probes finished while the bodies were still blocked")

                for try await ranOffTask in group { #expect(ranOffTask) }
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
            var remaining = try Self.backends(db)
            for _ in 0..<100 where remaining > 0 {
                try await Task.sleep(for: .milliseconds(20))
                remaining = try Self.backends(db)
            }
            #expect(remaining == 0)
        }
    }

    @Test("Shutdown fails callers waiting for a connection; the busy one finishes and is closed")
    func shutdownFailsWaiters() async throws {
        try await TestDatabase.withEmpty { db in
            let pool = ConnectionPool(conninfo: db.url, environment: [:], maximumConnections: 1)
            let busyStarted = NIOLockedValueBox(false)

            let busy = Task {
                try await pool.withConnection { connection in
                    busyStarted.withLockedValue { $0 = true }
                    return try connection.query("SELECT pg_sleep(0.5), 'done' AS result").first?.decode(String.self, "result")
                }
            }
            while !busyStarted.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            let waiter = Task { try await pool.withConnection { _ in "should not run" } }
            try await Task.sleep(for: .milliseconds(100))

            try await pool.shutdown()

            let waiterResult = await waiter.result
            #expect(throws: PostgresError.self) { try waiterResult.get() }
            #expect(try await busy.value == "done")
            #expect(pool.openConnections == 0)
        }
    }

    @Test("A caller cancelled while waiting stops waiting, and the pool keeps serving")
    func cancelledWaiterStopsWaiting() async throws {
        try await TestDatabase.withEmpty { db in
            let pool = ConnectionPool(conninfo: db.url, environment: [:], maximumConnections: 1)
            let busyStarted = NIOLockedValueBox(false)
            let busy = Task {
                try await pool.withConnection { connection in
                    busyStarted.withLockedValue { $0 = true }
                    return try connection.query("SELECT pg_sleep(0.5), 'done' AS result").first?.decode(String.self, "result")
                }
            }
            while !busyStarted.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            let waiter = Task { try await pool.withConnection { _ in "should not run" } }
            try await Task.sleep(for: .milliseconds(50))

            waiter.cancel()
            let waiterResult = await waiter.result

            #expect(throws: CancellationError.self) { try waiterResult.get() }
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
