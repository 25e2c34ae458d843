import DomicileAPI
import DomicileStore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Postgres
import Testing
import TestSupport

/// Runs blocking work (a process, a socket, a libpq call) on a thread of its own: never on
/// Swift's cooperative pool nor on Dispatch's width-limited global queues, which both have
/// as many threads as cores.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.start()
    }
}

/// Runs a bash script from the checkout with scripts/lib/postgres.sh sourced and returns its
/// output. Spawned and reaped directly (posix_spawn, waitpid) with output to a file: a server
/// the script starts keeps no pipe of ours open.
@discardableResult
func postgresScript(_ script: String) async throws -> String {
    try await offPool {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("domicile-script-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: output) }
        let command = "cd '\(TestDatabase.repositoryRoot.path)' && set -euo pipefail && source scripts/lib/postgres.sh && { \(script) ; } >'\(output.path)' 2>&1 </dev/null"
        let arguments = ["/bin/bash", "-c", command]
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, "/bin/bash", nil, nil, argv, environ)
        guard spawned == 0 else { throw TestDatabaseError("cannot run bash: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw TestDatabaseError("`\(script)` failed (\(status)): \(text)") }
        return text
    }
}

@Suite("API while the database goes away")
struct APIOutageTests {
    /// A cluster of its own (the shared test cluster is never stopped), migrated, with a token.
    @Test func databaseStoppedGives503WithRetryAfterAndTheAPIRecoversWhenItReturns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("domicile-outage-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        let cluster = directory.appendingPathComponent("pg").path
        let port = try await postgresScript("pg_free_port").trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            try await postgresScript("pg_start '\(cluster)' \(port)")
            let url = "postgresql://postgres@127.0.0.1:\(port)/postgres"
            let token = try await offPool {
                let connection = try Connection(conninfo: url, environment: [:])
                defer { connection.close() }
                try Migrator(migrations: try Migration.load(from: TestDatabase.schemaDirectory)).migrate(on: connection)
                return try Store(connection: connection).createToken(name: "outage", scope: .read, expires: nil, actor: "test")
            }
            try await APITest.with(url: url) { client in
                try await client.untilWatching()
                let first = try await client.get("/v1/services?as_of=2026-11-28", token: token)
                #expect(first.status == 200)
                // Asked again, the answer comes from memory: the database is not asked at all.
                let callsBefore = client.databaseCalls
                let again = try await client.get("/v1/services?as_of=2026-11-28", token: token)
                #expect(again.status == 200)
                #expect(again.body == first.body)
                #expect(client.databaseCalls == callsBefore, "the repeated answer needed the database")

                try await postgresScript("pg_stop '\(cluster)'")
                // The cached answer is not served once the server knows the database is gone.
                let down = try await client.eventually("/v1/services", token: token) { $0.status != 200 }
                #expect(down.status == 503)
                #expect(down.errorCode == "database.unavailable")
                #expect(down.headers["retry-after"] == "5")
                let notReady = try await client.get("/readyz")
                #expect(notReady.status == 503)
                #expect((notReady.json as? [String: Any])?["database"] as? String == "unreachable")
                #expect(try await client.get("/healthz").status == 200)

                try await postgresScript("pg_start '\(cluster)' \(port)")
                let back = try await client.get("/v1/services", token: token)
                #expect(back.status == 200)
                #expect(try await client.get("/readyz").status == 200)
            }
        } catch {
            _ = try? await postgresScript("pg_stop '\(cluster)'")
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        try await postgresScript("pg_stop '\(cluster)'")
        try? FileManager.default.removeItem(at: directory)
    }
}
