import Foundation
import Postgres
import TestSupport
import Testing

@Suite("LISTEN and NOTIFY")
struct NotificationTests {
    @Test("A committed NOTIFY reaches the listener with its payload; a rolled-back one never does")
    func committedNotificationArrives() async throws {
        try await TestDatabase.with { db in
            let listener = try db.connect()
            defer { listener.close() }
            try listener.listen("registry_test")
            #expect(try listener.notifications(waitingAtMost: .milliseconds(20)).isEmpty)

            let writer = try db.connect()
            defer { writer.close() }
            try? writer.transaction { connection in
                try connection.query("SELECT pg_notify('registry_test', 'rolled back')")
                throw PostgresError(kind: .client, message: "undo")
            }
            try writer.query("SELECT pg_notify('registry_test', $1)", ["42 日本"])

            // Waits for the event (bounded by a count, far beyond any machine's slowness).
            var arrived: [Postgres.Notification] = []
            for _ in 0..<300 where arrived.isEmpty {
                arrived += try listener.notifications(waitingAtMost: .milliseconds(200))
            }
            #expect(arrived == [Postgres.Notification(channel: "registry_test", payload: "42 日本")])
        }
    }

    @Test("A channel name is an identifier: anything else is refused before it reaches the server")
    func channelMustBeAnIdentifier() async throws {
        try await TestDatabase.with { db in
            let connection = try db.connect()
            defer { connection.close() }
            for bad in ["", "Registry", "x; DROP TABLE t", "a-b", "1abc", String(repeating: "a", count: 64)] {
                #expect(throws: PostgresError.self, "\(bad)") { try connection.listen(bad) }
            }
            try connection.listen("ok_channel_1")
        }
    }

    @Test("Waiting on a connection the server ends throws a connection error at once")
    func lostConnectionEndsTheWait() async throws {
        try await TestDatabase.with { db in
            let listener = try db.connect()
            defer { listener.close() }
            try listener.listen("registry_test")
            let pid = try listener.query("SELECT pg_backend_pid() AS pid").first!.decode(Int32.self, "pid")
            let admin = try db.connect()
            defer { admin.close() }
            try admin.query("SELECT pg_terminate_backend($1)", [pid])
            // Once the backend has exited (an event seen in pg_stat_activity), waiting fails
            // instead of waiting out its time: the first wait may wake for the server's
            // goodbye message, the next finds the socket closed.
            var gone = false
            for _ in 0..<12_000 where !gone {
                gone = try admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1", [pid])
                    .first?.decode(Int.self, "n") == 0
                if !gone { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(gone, "the terminated backend never exited")
            let error = #expect(throws: PostgresError.self) {
                for _ in 0..<3 { _ = try listener.notifications(waitingAtMost: .seconds(60)) }
            }
            #expect(error?.kind == .connection)
        }
    }
}
