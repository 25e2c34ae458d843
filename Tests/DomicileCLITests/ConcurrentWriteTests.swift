import Foundation
import Postgres
import TestSupport
import Testing

/// Two people changing the registry at once do not undo each other's work.
@Suite("concurrent writes")
struct ConcurrentWriteTests {
    /// Runs the binary on a Dispatch thread: waiting for a process must not occupy one of
    /// the few cooperative threads the test itself needs.
    static func start(_ arguments: [String], url: String, environment: [String: String] = [:]) -> Task<CommandResult, any Error> {
        Task {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(with: Result { try DomicileProcess.run(arguments, databaseURL: url, environment: environment) })
                }
            }
        }
    }

    /// Suspends until both writers are seen blocked on a lock in the database (an event,
    /// not a guess at how long starting two processes takes).
    static func untilBlocked(_ count: Int, in db: TestDatabase, besides blocker: Connection) async throws {
        let blockerPID = try #require(try blocker.query("SELECT pg_backend_pid() AS pid").first?.decode(Int.self, "pid"))
        let observer = try db.connect()
        defer { observer.close() }
        var blocked = 0
        for _ in 0..<12_000 {
            blocked = try #require(
                try observer.query(
                    """
                    SELECT count(*)::int AS n FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> $1 AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'
                    """, [blockerPID]
                ).first?.decode(Int.self, "n"))
            if blocked == count { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("\(blocked) of \(count) writers were seen waiting on a lock")
    }

    @Test("Two edits of different fields of one vendor at the same moment both survive")
    func concurrentEditsBothSurvive() async throws {
        try await RegistryCLI.withRegistry { db in
            // Hold the vendor row so both edits are in flight together.
            let blocker = try db.connect()
            defer { blocker.close() }
            try blocker.unsafeExecuteScript("BEGIN")
            try blocker.query("SELECT 1 FROM vendor WHERE key = $1 FOR UPDATE", ["aws"])

            let url = db.url
            let alice = Self.start(["vendor", "edit", "aws", "--notes", "Reviewed by Alice"], url: url, environment: ["DOMICILE_ACTOR": "alice"])
            let bob = Self.start(["vendor", "edit", "aws", "--owner", "Bob's team"], url: url, environment: ["DOMICILE_ACTOR": "bob"])
            // Both edits are in flight: one waits for the row, the other for the write lock.
            try await Self.untilBlocked(2, in: db, besides: blocker)
            try blocker.unsafeExecuteScript("COMMIT")

            let results = [try await alice.value, try await bob.value]
            #expect(results.allSatisfy { $0.status == 0 }, "\(results)")
            let shown = try RegistryCLI.succeed(["vendor", "show", "aws", "--format", "json"], db)
            let vendor = try RegistryCLI.jsonObject(shown.stdout)
            #expect(vendor["notes"] as? String == "Reviewed by Alice")
            #expect(vendor["owner"] as? String == "Bob's team")
            // Each audit row records only its own change: its before and after differ in its
            // own field alone, and the later one starts from the earlier one's result.
            let reader = try db.connect()
            defer { reader.close() }
            let edits = try reader.query(
                """
                SELECT actor,
                       coalesce((SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(before || after) AS k
                                 WHERE before -> k IS DISTINCT FROM after -> k), '') AS changed,
                       before ->> 'notes' AS notes_before, after ->> 'notes' AS notes_after,
                       before ->> 'owner' AS owner_before, after ->> 'owner' AS owner_after
                FROM audit_log WHERE entity = 'vendor' AND entity_key = 'aws' AND action = 'edit' ORDER BY id
                """
            ).rows.map { row in
                (actor: try row.decode(String.self, "actor"), changed: try row.decode(String.self, "changed"),
                 notes: (try row.decode(String?.self, "notes_before"), try row.decode(String?.self, "notes_after")),
                 owner: (try row.decode(String?.self, "owner_before"), try row.decode(String?.self, "owner_after")))
            }
            #expect(edits.count == 2)
            #expect(Set(edits.map(\.actor)) == ["alice", "bob"])
            for edit in edits {
                if edit.actor == "alice" {
                    #expect(edit.changed == "notes", "alice's row changes \(edit.changed)")
                    #expect(edit.notes.1 == "Reviewed by Alice")
                } else {
                    #expect(edit.changed == "owner", "bob's row changes \(edit.changed)")
                    #expect(edit.owner.1 == "Bob's team")
                }
            }
            if edits.count == 2 {
                // The second writer saw the first one's result.
                #expect(edits[1].notes.0 == edits[0].notes.1)
                #expect(edits[1].owner.0 == edits[0].owner.1)
            }
        }
    }

    @Test("Two adds of the same key at the same moment: one is added, the other refused")
    func concurrentAddsOfOneKey() async throws {
        try await RegistryCLI.withRegistry { db in
            let blocker = try db.connect()
            defer { blocker.close() }
            try blocker.unsafeExecuteScript("BEGIN")
            try blocker.query("SELECT pg_advisory_xact_lock($1)", [Int64(0x444F_4D49_5752_4954)])
            let url = db.url
            let arguments = ["vendor", "add", "newco", "--legal-name", "NewCo K.K.", "--kinds", "entrustee", "--headquarters", "JP", "--risk-tier", "low"]
            let first = Self.start(arguments, url: url)
            let second = Self.start(arguments + ["--notes", "second"], url: url)
            // Both adds are in flight, waiting for the registry write lock the test holds.
            try await Self.untilBlocked(2, in: db, besides: blocker)
            try blocker.unsafeExecuteScript("COMMIT")
            let statuses = [try await first.value.status, try await second.value.status].sorted()
            #expect(statuses == [0, 2])
        }
    }
}
