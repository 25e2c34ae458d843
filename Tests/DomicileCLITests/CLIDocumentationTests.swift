import Foundation
import Testing
import TestSupport

/// docs/cli.md is executable: every `$ domicile …` line of its console blocks runs, in order,
/// against a fresh seeded registry, and its output must be what the page shows. A step that
/// shows an error on purpose ends its lines with `[exit N]` and must exit N; every other step
/// must exit 0. This test only checks: `scripts/generate-cli-docs` refreshes the page.
@Suite struct CLIDocumentationTests {
    struct Step {
        var command: String
        var expected: [String]
        /// Line indexes in the file: the command line, and the expected lines after it.
        var lineIndex: Int

        /// The exit status the page shows: N for a trailing `[exit N]` line, else 0.
        var expectedStatus: Int32 {
            guard let last = expected.last, last.hasPrefix("[exit "), last.hasSuffix("]"),
                  let status = Int32(last.dropFirst(6).dropLast()) else { return 0 }
            return status
        }
    }

    static let page = TestDatabase.repositoryRoot.appendingPathComponent("docs/cli.md")

    @Test func everyExampleInCliMdProducesTheOutputShown() async throws {
        let text = try String(contentsOf: Self.page, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let steps = Self.steps(in: lines)
        #expect(steps.count > 30, "docs/cli.md should hold worked examples")
        try await TestDatabase.with(.seeded) { database in
            for step in steps {
                let arguments = try Self.split(step.command)
                #expect(arguments.first == "domicile", "\(step.command)")
                let result = try DomicileProcess.run(
                    Array(arguments.dropFirst()), databaseURL: database.url,
                    environment: ["DOMICILE_ACTOR": "legal@a-ssign.example", "COLUMNS": "200"])
                var actual = result.output.components(separatedBy: "\n")
                if actual.last == "" { actual.removeLast() }
                #expect(
                    result.status == step.expectedStatus,
                    "docs/cli.md:\(step.lineIndex + 1) `\(step.command)` exited \(result.status), the page shows exit \(step.expectedStatus):\n\(result.output)")
                if result.status != 0 { actual.append("[exit \(result.status)]") }
                #expect(
                    Self.matches(expected: step.expected, actual: actual),
                    "docs/cli.md:\(step.lineIndex + 1) `\(step.command)` printed:\n\(actual.joined(separator: "\n"))\nbut the page shows:\n\(step.expected.joined(separator: "\n"))")
            }
        }
    }

    /// Commands and the lines after them, up to the next command or the end of the block.
    static func steps(in lines: [String]) -> [Step] {
        var steps: [Step] = []
        var inBlock = false
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("```") {
                inBlock = line == "```console"
                continue
            }
            guard inBlock else { continue }
            if line.hasPrefix("$ ") {
                steps.append(Step(command: String(line.dropFirst(2)), expected: [], lineIndex: index))
            } else if !steps.isEmpty {
                steps[steps.count - 1].expected.append(line)
            }
        }
        return steps
    }

    /// Line by line; `[...]` in an expected line matches any text.
    static func matches(expected: [String], actual: [String]) -> Bool {
        guard expected.count == actual.count else { return false }
        return zip(expected, actual).allSatisfy { expected, actual in
            guard expected.contains("[...]") else { return expected == actual }
            let pattern = "^" + expected.components(separatedBy: "[...]").map(NSRegularExpression.escapedPattern(for:)).joined(separator: ".*") + "$"
            return actual.range(of: pattern, options: .regularExpression) != nil
        }
    }

    /// Splits a command line as a shell would for plain words and quoted strings.
    static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if quote != nil { throw TestDatabaseError("unbalanced quote in: \(line)") }
        if inWord { words.append(current) }
        return words
    }
}
