import Foundation
import Testing
import TestSupport

/// Listings, `where`, `diff` and `check` answer in JSON that scripts and dashboards read, so
/// their bytes must not change when the code that writes them does (issue 14: they became
/// typed `Encodable` values written by `JSONEncoder` instead of `[String: Any]` written by a
/// hand-written writer). Every case of Tests/Fixtures/json/cases.tsv, on the command line or
/// through the API, must print exactly the bytes of Tests/Fixtures/json/EXAMPLE/NAME.json.
///
/// Those files are golden files: they were written once by `scripts/generate-json-goldens`
/// from the code before the change (commit a1a2bc8, the hand-written `JSONText`), which is
/// acceptable here because the point is byte identity with that code. The test never writes
/// them; after a deliberate change of output, run `scripts/generate-json-goldens` and review
/// `git diff Tests/Fixtures/json`.
@Suite("JSON answers, byte for byte")
struct JSONGoldenTests {
    static let directory = TestDatabase.repositoryRoot.appendingPathComponent("Tests/Fixtures/json")

    struct Case: Sendable {
        var name: String
        var command: String
    }

    /// The example's lines of cases.tsv: its `setup` commands and its cases, in order.
    static func cases(_ example: String) throws -> (setup: [Case], cases: [Case]) {
        let all = try String(contentsOf: directory.appendingPathComponent("cases.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
            .filter { $0.count == 3 && $0[0] == example }
            .map { Case(name: $0[1], command: $0[2]) }
        return (all.filter { $0.name == "setup" }, all.filter { $0.name != "setup" })
    }

    static func arguments(_ command: String) -> [String] {
        command.split(separator: " ").dropFirst().map(String.init)
    }

    /// The first line where `actual` and `expected` part, to make a failure readable.
    static func firstDifference(_ actual: String, _ expected: String) -> String {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(a.count, e.count) where index >= a.count || index >= e.count || Array(a[index].utf8) != Array(e[index].utf8) {
            let got = index < a.count ? String(a[index]) : "(end)"
            let want = index < e.count ? String(e[index]) : "(end)"
            return "line \(index + 1): got \(got.debugDescription), the golden file has \(want.debugDescription)"
        }
        return "(identical lines)"
    }

    @Test(
        "PERSONA, Kaede and PERSONA with changes in time: every listed JSON answer is byte-identical to its golden file",
        arguments: ["persona", "kaede", "persona-changes"])
    func answersAreTheGoldenBytes(example: String) async throws {
        let (setup, cases) = try Self.cases(example)
        #expect(cases.count >= 10, "Tests/Fixtures/json/cases.tsv lists the \(example) cases")
        try await TestDatabase.with(.seeded) { database in
            // As scripts/generate-json-goldens builds the registry.
            for step in setup.isEmpty ? [Case(name: "setup", command: "domicile seed --example \(example)")] : setup {
                let result = try await APITest.cli(Self.arguments(step.command), database)
                try #require(result.status == 0, "\(step.command): \(result)")
            }
            let created = try await APITest.cli(["token", "create", "--name", "golden"], database)
            #expect(created.status == 0, "\(created)")
            let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try await APITest.with(url: database.url) { client in
                for item in cases {
                    let file = Self.directory.appendingPathComponent("\(example)/\(item.name).json")
                    let expected = try String(contentsOf: file, encoding: .utf8)
                    let actual: String
                    if item.command.hasPrefix("domicile ") {
                        let result = try await APITest.cli(Self.arguments(item.command), database)
                        #expect([0, 1].contains(result.status), "\(item.command): \(result)")
                        actual = result.stdout
                    } else {
                        let target = String(item.command.dropFirst("GET ".count))
                        let answer = try await client.get(target, token: token)
                        #expect(answer.status == 200, "\(item.command): \(answer.body)")
                        #expect(answer.headers["content-type"] == "application/json; charset=utf-8", "\(item.command)")
                        actual = answer.body
                    }
                    #expect(
                        Array(actual.utf8) == Array(expected.utf8),
                        "\(example)/\(item.name).json (`\(item.command)`): \(Self.firstDifference(actual, expected))")
                }
            }
        }
    }
}
