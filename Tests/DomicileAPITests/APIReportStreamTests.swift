import DomicileAPI
import Foundation
import Testing
import TestSupport

@Suite("API reports, streamed")
struct APIReportStreamTests {
    /// The report with its generation time (the one thing the command and the server state
    /// differently: SOURCE_DATE_EPOCH against now) replaced.
    static func withoutGenerationTime(_ text: String) -> String {
        text.replacing(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/, with: "(generated)")
    }

    /// A report that fits the cache's budget is rendered whole once and kept (a burst shares
    /// the one render: APIHardeningTests); its bytes are the command's file.
    @Test func reportIsTheCommandsFileAndThenCached() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db, scope: .reports)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let url = db.url
            var files: [String: String] = [:]
            for (kind, format) in [("residency", "md"), ("vendors", "html"), ("ropa", "csv"), ("residency", "json")] {
                let path = directory.appendingPathComponent("\(kind).\(format)").path
                let command = try await offPool {
                    try DomicileProcess.run(
                        ["report", kind, "--format", format, "--as-of", "2026-11-28", "-o", path], databaseURL: url,
                        environment: ["SOURCE_DATE_EPOCH": "1795000000"])
                }
                #expect(command.status == 0, "\(command)")
                files["\(kind).\(format)"] = try String(contentsOfFile: path, encoding: .utf8)
            }
            let expected = files
            try await APITest.with(url: db.url) { client in
                try await client.untilWatching()
                for (name, file) in expected.sorted(by: { $0.key < $1.key }) {
                    let parts = name.split(separator: ".")
                    let target = "/v1/reports/\(parts[0])?format=\(parts[1])&as_of=2026-11-28"
                    let answer = try await client.raw("GET", target, headers: ["Authorization": "Bearer \(token)"])
                    #expect(answer.status == 200, "\(target): \(answer.body)")
                    #expect(answer.headers["etag"] != nil)
                    #expect(Self.withoutGenerationTime(answer.body) == Self.withoutGenerationTime(file), "\(target) is not the command's file")

                    // It was kept: asked again, the same bytes without the database.
                    let calls = client.databaseCalls
                    let again = try await client.get(target, token: token)
                    #expect(again.body == answer.body, "\(target): the cached answer differs from the streamed one")
                    #expect(client.databaseCalls == calls, "\(target): the repeated answer needed the database")
                    #expect(again.headers["etag"] == answer.headers["etag"])
                }
            }
        }
    }

    @Test func aReportLargerThanTheCacheBudgetIsStreamedEachTime() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db, scope: .reports)
            let cache = ResponseCache(capacityBytes: 4096)
            try await APITest.with(url: db.url, cache: cache) { client in
                try await client.untilWatching()
                let target = "/v1/reports/residency?format=html&as_of=2026-11-28"
                let first = try await client.raw("GET", target, headers: ["Authorization": "Bearer \(token)"])
                #expect(first.headers["transfer-encoding"]?.lowercased() == "chunked", "\(first.headers)")
                #expect(first.headers["content-length"] == nil)
                let second = try await client.get(target, token: token)
                #expect(first.status == 200 && second.status == 200)
                #expect(first.body.utf8.count > 4096 && first.body.contains("</html>"))
                #expect(cache.statistics.renders == 2, "\(cache.statistics)")
                #expect(cache.statistics.entries == 0 || cache.statistics.bytes <= 4096)
            }
        }
    }
}
