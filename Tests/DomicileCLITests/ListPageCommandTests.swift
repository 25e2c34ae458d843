import Foundation
import Testing
import TestSupport

/// Issue 17 point 2 on the command line: the list commands page with `--limit N` and
/// `--after KEY` (keyset on the key they sort by).
@Suite("List pages (--limit, --after)")
struct ListPageCommandTests {
    /// Walks `command` in pages of `limit`, passing the last key printed as the next `--after`.
    static func walk(_ command: [String], key: String, limit: Int, _ database: TestDatabase) throws -> [String] {
        var keys: [String] = []
        var after: [String] = []
        for _ in 0..<1000 {
            let result = try RegistryCLI.succeed(command + ["--format", "json", "--limit", String(limit)] + after, database)
            let page = try RegistryCLI.jsonArray(result.stdout).compactMap { $0[key] as? String }
            #expect(page.count <= limit)
            keys += page
            guard page.count == limit, let last = page.last else { break }
            after = ["--after", last]
        }
        return keys
    }

    @Test("Pages of 1, 7 and 100 walked with --after give every key of the whole list, in order")
    func pagesGiveTheWholeList() async throws {
        try await NameCommandTests.withPersona { database in
            let lists: [([String], String)] = [
                (["vendor", "list", "--all"], "key"), (["vendor", "list", "--as-of", "2026-11-28"], "key"), (["residency", "list", "--all"], "key"),
                (["service", "list"], "key"), (["entrust", "list", "--all"], "key"), (["country", "list"], "code"),
                (["category", "list"], "key"), (["purpose", "list"], "key"),
            ]
            for (command, key) in lists {
                let whole = try RegistryCLI.jsonArray(try RegistryCLI.succeed(command + ["--format", "json"], database).stdout).compactMap { $0[key] as? String }
                #expect(!whole.isEmpty, "\(command)")
                // (one process per page: pages of 1 only where that stays a few dozen runs)
                for limit in whole.count <= 40 ? [1, 7, 100] : [7, 100] {
                    #expect(try Self.walk(command, key: key, limit: limit, database) == whole, "\(command) --limit \(limit)")
                }
            }
            // The table and CSV formats page the same rows.
            let table = try RegistryCLI.succeed(["vendor", "list", "--all", "--limit", "2", "--after", "aws"], database)
            let json = try RegistryCLI.jsonArray(try RegistryCLI.succeed(["vendor", "list", "--all", "--format", "json", "--limit", "2", "--after", "aws"], database).stdout)
            let keys = json.compactMap { $0["key"] as? String }
            #expect(keys.count == 2)
            #expect(keys.allSatisfy { $0 > "aws" })
            for key in keys { #expect(table.stdout.contains(key)) }
            let csv = try RegistryCLI.succeed(["vendor", "list", "--all", "--format", "csv", "--limit", "2", "--after", "aws"], database)
            #expect(keys.allSatisfy { csv.stdout.contains($0) }, "\(csv.stdout)")
            #expect(!csv.stdout.contains("\naws,"), "\(csv.stdout)")
            // After the last key: nothing.
            let none = try RegistryCLI.succeed(["vendor", "list", "--all", "--format", "json", "--after", "zzzz"], database)
            #expect(try RegistryCLI.jsonArray(none.stdout).isEmpty)
        }
    }

    @Test("A bad --limit or --after exits 2 naming it and prints nothing", arguments: [
        (["vendor", "list", "--limit", "0"], "limit"), (["vendor", "list", "--limit", "1001"], "limit"),
        (["vendor", "list", "--limit", "many"], "--limit"), (["country", "list", "--limit", "-3"], "limit"),
        (["service", "list", "--after", ""], "after"), (["category", "list", "--after", "a\u{07}b"], "after"),
    ])
    func badValues(arguments: [String], names: String) async throws {
        try await NameCommandTests.withPersona { database in
            try NameCommandTests.expectInputError(arguments, database, containing: [names])
        }
    }
}
