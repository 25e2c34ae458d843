import Foundation
import Testing
import TestSupport

/// `domicile import` of a registry split into many files: one import, all or nothing, in the
/// order given, each file checked against the ones before it.
@Suite("Import of many files")
struct ImportManyFilesTests {
    static let sections = ["organizations", "services", "vendors", "residencies"]

    /// The PERSONA example's sections as CSV, one file per record (`vendors-003.csv`, …), in
    /// dependency order; and each section's export, to compare with.
    static func splitExample(into directory: URL) async throws -> (files: [String], exports: [String: String]) {
        try await TestDatabase.with(.seeded) { source in
            try RegistryCLI.succeed(["seed", "--example", "persona"], source)
            var files: [String] = []
            var exports: [String: String] = [:]
            for section in sections {
                let text = try RegistryCLI.succeed(["export", "--format", "csv", "--kind", section], source).stdout
                exports[section] = text
                let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
                for (index, row) in lines.dropFirst().enumerated() {
                    let path = directory.appendingPathComponent(String(format: "%@-%03d.csv", section, index + 1)).path
                    try Data((String(lines[0]) + "\n" + String(row) + "\n").utf8).write(to: URL(fileURLWithPath: path))
                    files.append(path)
                }
            }
            return (files, exports)
        }
    }

    @Test("Many files import as one: a bad last file writes nothing; a dry run checks each against the ones before; then every record arrives")
    func manyFilesInOneTransaction() async throws {
        let directory = try RegistryCLI.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (files, exports) = try await Self.splitExample(into: directory)
        #expect(files.count >= 8, "the example split into \(files.count) files")
        // Last, a vendor with nothing but its key: refused (no legal name, no kinds).
        let broken = directory.appendingPathComponent("vendors-999.csv").path
        let header = String(try #require(exports["vendors"]?.split(separator: "\n").first))
        let cells = ["broken-vendor"] + Array(repeating: "", count: header.split(separator: ",", omittingEmptySubsequences: false).count - 1)
        try Data((header + "\n" + cells.joined(separator: ",") + "\n").utf8).write(to: URL(fileURLWithPath: broken))

        try await TestDatabase.with(.seeded) { database in
            let before = try RegistryCLI.rowCounts(database)
            let refused = try RegistryCLI.run(["import"] + files + [broken], database)
            #expect(refused.status == 2, "\(RegistryCLI.describe(refused))")
            #expect(refused.stderr.contains("vendors-999.csv"))
            #expect(refused.stderr.contains("nothing was written"))
            #expect(try RegistryCLI.rowCounts(database) == before, "the files before the bad one were written")

            // A residency file alone names vendors that are not there yet.
            let alone = try RegistryCLI.run(["import", files.last!], database)
            #expect(alone.status == 2)
            // After the vendors' files, in the same dry run, it is valid.
            let dryRun = try RegistryCLI.succeed(["import", "--dry-run"] + files, database)
            #expect(dryRun.stdout.contains("would add     vendor "))
            #expect(dryRun.stdout.contains("would add     residency "))
            #expect(dryRun.stdout.contains("nothing was written"))
            #expect(try RegistryCLI.rowCounts(database) == before)

            let imported = try RegistryCLI.succeed(["import"] + files, database)
            #expect(imported.stdout.contains("imported \(files.count) files in one transaction"))
            for section in Self.sections {
                let again = try RegistryCLI.succeed(["export", "--format", "csv", "--kind", section], database).stdout
                #expect(again == exports[section], "\(section) differs after the import")
            }
            // Everything is there: importing the files again changes nothing.
            let twice = try RegistryCLI.succeed(["import"] + files, database)
            #expect(!twice.stdout.contains("added "))
            #expect(!twice.stdout.contains("changed "))
        }
    }

    @Test("Several files and --evidence-dir, or no file at all: exit 2 naming the option")
    func refusedCombinations() async throws {
        try await TestDatabase.with(.seeded) { database in
            let both = try RegistryCLI.run(["import", "a.yaml", "b.yaml", "--evidence-dir", "/tmp"], database)
            #expect(both.status == 2)
            #expect(both.stderr.contains("evidence-dir"))
            let none = try RegistryCLI.run(["import"], database)
            #expect(none.status == 2)
            #expect(none.stderr.contains("file"))
        }
    }
}
