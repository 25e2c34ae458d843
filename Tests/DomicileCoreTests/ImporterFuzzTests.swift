import DomicileCore
import Foundation
import Testing
import TestSupport

/// A seeded, structure-aware fuzzer for the YAML and CSV readers (issue 13): it starts from
/// the corpus kept in Tests/Fixtures/fuzz/ (and the PERSONA example), mutates it with the
/// tokens that matter to each syntax, and generates nested documents of known depth. A crash
/// ends the test process, so reaching the end is the first property; the others are below.
///
/// Bounded: `DOMICILE_FUZZ_CASES` cases per target (default 1500, a few seconds), from seed
/// `DOMICILE_FUZZ_SEED` (default fixed, so a failure replays). CI runs the default.
@Suite("Importer fuzzing")
struct ImporterFuzzTests {
    static let cases = ProcessInfo.processInfo.environment["DOMICILE_FUZZ_CASES"].flatMap(Int.init) ?? 1500
    static let seed = ProcessInfo.processInfo.environment["DOMICILE_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_206

    static let corpusDirectory = TestDatabase.repositoryRoot.appendingPathComponent("Tests/Fixtures/fuzz")

    static func corpus(_ folder: String) throws -> [String] {
        let directory = corpusDirectory.appendingPathComponent(folder)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return try files.map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
    }

    static let yamlTokens = ["[", "]", "{", "}", ",", ": ", "- ", "? ", "&a ", "*a", "&b ", "*b", "!!str ", "\"", "'", "''", "\\\"", "#", " #", "\n", "\n  ", "\n    - ", "|\n  ", ">-\n  ", "---\n", "...\n", "\t", "<<: *a\n", "%YAML 1.1\n", "\u{FEFF}", "\r\n", "null", "~", "é", "日本"]
    static let csvTokens = ["\"", "\"\"", ",", "\n", "\r\n", "\r", "'", "'=", "=", "+", "-", "@", "\t", ";", " ", "\u{FEFF}", "é", "key", "2024-01-01"]

    /// `text` changed a few times: a token inserted, a slice deleted, duplicated or cut.
    static func mutate(_ text: String, tokens: [String], using generator: inout SeededGenerator) -> String {
        var characters = Array(text)
        for _ in 0..<Int.random(in: 1...6, using: &generator) {
            let position = characters.isEmpty ? 0 : Int.random(in: 0...characters.count, using: &generator)
            switch Int.random(in: 0..<6, using: &generator) {
            case 0, 1:
                let token = tokens.randomElement(using: &generator)!
                characters.insert(contentsOf: Array(String(repeating: token, count: Int.random(in: 1...4, using: &generator))), at: position)
            case 2 where !characters.isEmpty:
                let end = min(characters.count, position + Int.random(in: 1...20, using: &generator))
                characters.removeSubrange(position..<end)
            case 3 where !characters.isEmpty:
                let end = min(characters.count, position + Int.random(in: 1...40, using: &generator))
                let slice = characters[position..<end]
                characters.insert(contentsOf: slice, at: Int.random(in: 0...characters.count, using: &generator))
            case 4:
                characters = Array(characters.prefix(position))
            default:
                let token = tokens.randomElement(using: &generator)!
                characters.append(contentsOf: Array(token))
            }
        }
        return String(characters)
    }

    /// A YAML value nested `depth` levels deep, mixing flow and block styles and anchors.
    static func nested(depth: Int, indent: Int, using generator: inout SeededGenerator) -> String {
        var text = ""
        var closers: [String] = []
        var column = indent
        for level in 0..<depth {
            switch Int.random(in: 0..<4, using: &generator) {
            case 0:
                text += "["
                closers.append("]")
            case 1:
                text += "{k\(level): "
                closers.append("}")
            case 2 where closers.isEmpty:
                text += "\n" + String(repeating: " ", count: column) + "- "
                column += 2
            default:
                if closers.isEmpty {
                    text += "\n" + String(repeating: " ", count: column) + "k\(level): "
                    column += 1
                } else {
                    text += "["
                    closers.append("]")
                }
            }
        }
        return text + "x" + closers.reversed().joined()
    }

    @Test func yamlReaderNeverCrashesOnMutatedCorpus() throws {
        var generator = SeededGenerator(seed: Self.seed)
        let persona = try String(contentsOf: TestDatabase.seedsDirectory.appendingPathComponent("examples/persona.yaml"), encoding: .utf8)
        let corpus = try Self.corpus("yaml") + [persona]
        #expect(corpus.count >= 6)
        var refused = 0
        for index in 0..<Self.cases {
            let base = corpus[index % corpus.count]
            let text = Self.mutate(base, tokens: Self.yamlTokens, using: &generator)
            let (_, issues) = RegistryYAML.parse(text, file: "fuzz.yaml")
            if !issues.isEmpty { refused += 1 }
            for issue in issues {
                #expect(!issue.message.isEmpty && issue.code.hasPrefix("input."), "case \(index): \(issue)")
            }
        }
        // The mutations do reach the error paths (not all cases are read unchanged).
        #expect(refused > 0)
    }

    @Test func yamlNestingBeyondTheLimitIsAlwaysRefusedAndShallowNestingRead() throws {
        var generator = SeededGenerator(seed: Self.seed &+ 1)
        for index in 0..<max(50, Self.cases / 10) {
            let deep = Int.random(in: 200...800, using: &generator)
            let text = "vendors: " + Self.nested(depth: deep, indent: 2, using: &generator) + "\n"
            let (_, issues) = RegistryYAML.parse(text, file: "deep.yaml")
            #expect(issues.map(\.code) == ["input.too_deep"], "case \(index), depth \(deep): \(issues.prefix(2))")

            let shallow = Int.random(in: 1...20, using: &generator)
            let small = "vendors: " + Self.nested(depth: shallow, indent: 2, using: &generator) + "\n"
            let (_, smallIssues) = RegistryYAML.parse(small, file: "shallow.yaml")
            #expect(!smallIssues.contains { $0.code == "input.too_deep" }, "case \(index), depth \(shallow):\n\(small)")
        }
    }

    @Test func yamlAliasExpansionIsBoundedWhateverTheShape() throws {
        var generator = SeededGenerator(seed: Self.seed &+ 2)
        for index in 0..<20 {
            let width = Int.random(in: 4...12, using: &generator)
            let levels = Int.random(in: 8...14, using: &generator)
            var text = "l0: &l0 [" + Array(repeating: "x", count: width).joined(separator: ", ") + "]\n"
            for level in 1..<levels {
                let block = Bool.random(using: &generator)
                if block {
                    text += "l\(level): &l\(level)\n" + Array(repeating: "  - *l\(level - 1)", count: width).joined(separator: "\n") + "\n"
                } else {
                    text += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: width).joined(separator: ", ") + "]\n"
                }
            }
            let (_, issues) = RegistryYAML.parse(text, file: "laughs.yaml")
            let expanded = (0..<levels).reduce(0.0) { total, level in total + pow(Double(width), Double(level + 1)) }
            if expanded > 1_100_000 {
                #expect(issues.map(\.code) == ["input.too_many_values"], "case \(index): \(issues.prefix(2))")
            }
        }
    }

    @Test func csvReaderNeverCrashesOnMutatedCorpus() throws {
        var generator = SeededGenerator(seed: Self.seed &+ 3)
        let corpus = try Self.corpus("csv")
        #expect(corpus.count >= 4)
        let kinds: [EntityKind] = [.vendor, .category, .service, .residency]
        var syntaxErrors = 0
        for index in 0..<Self.cases {
            let text = Self.mutate(corpus[index % corpus.count], tokens: Self.csvTokens, using: &generator)
            let kind = kinds[index % kinds.count]
            let (_, issues, omitted) = RegistryCSV.parseCounting(text, file: "fuzz.csv", kind: kind)
            #expect(issues.count <= IssueList.limit && omitted >= 0)
            for issue in issues where issue.code == "input.malformed_csv" && issue.field == "file" {
                syntaxErrors += 1
                #expect(issue.message.contains("line ") && issue.message.contains("column "), "case \(index): \(issue)")
            }
        }
        #expect(syntaxErrors > 0)
    }

    /// Any cells, written as export writes them and read back, are the same cells.
    @Test func csvCellsSurviveWriteAndReadExactly() throws {
        var generator = SeededGenerator(seed: Self.seed &+ 4)
        let alphabet = Array("ab =+-@'\"\t\r\n,;.0123456789é日")
        for index in 0..<Self.cases {
            let rows = (0..<Int.random(in: 1...4, using: &generator)).map { _ in
                (0..<3).map { _ in String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }) }
            }
            let text = rows.map { $0.map { RegistryCSV.quoted(SpreadsheetCell.escape($0)) }.joined(separator: ",") }.joined(separator: "\n") + "\n"
            var reader = CSVText(text)
            var read: [[String]] = []
            while let row = try reader.next() { read.append(row.cells.map(SpreadsheetCell.unescape)) }
            #expect(read == rows, "case \(index): \(text.debugDescription)")
            for cell in rows.joined() {
                let written = SpreadsheetCell.escape(cell)
                if let first = written.first, "=@\t\r".contains(first) || ("+-".contains(first) && Double(written) == nil) {
                    Testing.Issue.record("case \(index): \(written.debugDescription) would run in a spreadsheet")
                }
            }
        }
    }
}
