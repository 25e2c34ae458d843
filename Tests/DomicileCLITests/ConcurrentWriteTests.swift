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
            try await Task.sleep(for: .milliseconds(700))
            try blocker.unsafeExecuteScript("COMMIT")

            let results = [try await alice.value, try await bob.value]
            #expect(results.allSatisfy { $0.status == 0 }, "\(results)")
            let shown = try RegistryCLI.succeed(["vendor", "show", "aws", "--format", "json"], db)
            let vendor = try RegistryCLI.jsonObject(shown.stdout)
            #expect(vendor["notes"] as? String == "Reviewed by Alice")
            #expect(vendor["owner"] as? String == "Bob's team")
            // each audit row records only its own change
            let edits = try RegistryCLI.audit(db, entity: "vendor", key: "aws").filter { $0.action == "edit" }
            #expect(edits.count == 2)
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
            try await Task.sleep(for: .milliseconds(700))
            try blocker.unsafeExecuteScript("COMMIT")
            let statuses = [try await first.value.status, try await second.value.status].sorted()
            #expect(statuses == [0, 2])
        }
    }
}
