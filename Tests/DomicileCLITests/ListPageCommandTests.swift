import Foundation
import Testing
import TestSupport

/// Issue 17 point 2 on the command line: the list commands page with `--limit N` and
/// `--after KEY` (keyset on the key they sort by).
@Suite("List pages (--limit, --after)")
struct ListPageCommandTests {
    /// Walks `command` in pages of `limit`, passing the last key printed as the next `--after`.
    static func walk(_ command: [String], key: String, limit: Int, _ database: TestDatabase) throws -> [String] {
        try walk(command, key: { $0[key] as? String }, limit: limit, database)
    }

    /// The same, for a key made from each JSON row (`provider/code`, an id).
    static func walk(_ command: [String], key: ([String: Any]) -> String?, limit: Int, _ database: TestDatabase) throws -> [String] {
        var keys: [String] = []
        var after: [String] = []
        for _ in 0..<1000 {
            let result = try RegistryCLI.succeed(command + ["--format", "json", "--limit", String(limit)] + after, database)
            let page = try RegistryCLI.jsonArray(result.stdout).compactMap(key)
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

    @Test("Regions (by provider/code), checklists (by key), tokens (by name) and evidence (by id) page too")
    func referenceListsPage() async throws {
        try await NameCommandTests.withPersona { database in
            func whole(_ command: [String], _ key: ([String: Any]) -> String?) throws -> [String] {
                try RegistryCLI.jsonArray(try RegistryCLI.succeed(command + ["--format", "json"], database).stdout).compactMap(key)
            }
            let region: ([String: Any]) -> String? = { row in (row["provider"] as? String).flatMap { p in (row["code"] as? String).map { p + "/" + $0 } } }
            let regions = try whole(["region", "list"], region)
            #expect(regions.count > 20)
            #expect(regions == regions.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) })
            for limit in [7, 100] {
                #expect(try Self.walk(["region", "list"], key: region, limit: limit, database) == regions, "region list --limit \(limit)")
            }
            let japan = try whole(["region", "list", "--country", "JP"], region)
            #expect(try Self.walk(["region", "list", "--country", "JP"], key: region, limit: 1, database) == japan)

            let templates = try whole(["checklist", "list"], { $0["key"] as? String })
            #expect(templates.count >= 2)
            #expect(try Self.walk(["checklist", "list"], key: "key", limit: 1, database) == templates)

            // Tokens list oldest first; a page is by name.
            for name in ["zulu", "alpha", "mike"] { try RegistryCLI.succeed(["token", "create", "--name", name], database) }
            #expect(try whole(["token", "list"], { $0["name"] as? String }) == ["zulu", "alpha", "mike"])
            #expect(try Self.walk(["token", "list"], key: "name", limit: 1, database) == ["alpha", "mike", "zulu"])
            #expect(try whole(["token", "list", "--after", "mike"], { $0["name"] as? String }) == ["zulu"])

            // Evidence pages by id: the ids of the whole list, ascending, none twice.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("domicile-evidence-pages-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            for (index, entrustment) in ["persona-support-desk", "persona-aws-hosting", "persona-support-desk"].enumerated() {
                let file = directory.appendingPathComponent("dpa-\(index).pdf")
                try Data("%PDF-1.4 page test \(index)\n".utf8).write(to: file)
                try RegistryCLI.succeed(["evidence", "add", file.path, "--entrustment", entrustment], database)
            }
            let id: ([String: Any]) -> String? = { ($0["id"] as? Int).map(String.init) }
            let ids = try whole(["evidence", "list"], id)
            #expect(ids.count == 3)
            let walked = try Self.walk(["evidence", "list"], key: id, limit: 2, database)
            #expect(walked == ids.sorted { Int($0)! < Int($1)! })
            try NameCommandTests.expectInputError(["evidence", "list", "--after", "aws"], database, containing: ["after", "aws", "evidence id"])
            try NameCommandTests.expectInputError(["evidence", "list", "--limit", "0"], database, containing: ["limit"])
        }
    }

    @Test("A bad --limit or --after exits 2 naming it and prints nothing", arguments: [
        (["vendor", "list", "--limit", "0"], "limit"), (["vendor", "list", "--limit", "1001"], "limit"),
        (["vendor", "list", "--limit", "many"], "--limit"), (["country", "list", "--limit", "-3"], "limit"),
        (["service", "list", "--after", ""], "after"), (["category", "list", "--after", "a\u{07}b"], "after"),
        (["region", "list", "--limit", "1001"], "limit"), (["token", "list", "--after", ""], "after"),
    ])
    func badValues(arguments: [String], names: String) async throws {
        try await NameCommandTests.withPersona { database in
            try NameCommandTests.expectInputError(arguments, database, containing: [names])
        }
    }
}
