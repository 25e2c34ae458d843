import DomicileCore
import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Every section and nested list as CSV (docs/registry-format.md, "CSV"), and CSV as
/// spreadsheets write it (Shift_JIS, CRLF, Japanese headers, dates and labels).
@Suite("Spreadsheet CSV")
struct SheetCSVTests {
    /// Every table of the registry as `export --format csv --kind TABLE` writes it.
    static func tables(_ store: Store) throws -> [String: String] {
        var tables: [String: String] = [:]
        for section in SheetSection.all { tables[section.name] = RegistryCSV.emit(try store.records(section.kind), section: section) }
        return tables
    }

    @discardableResult
    static func importCSV(
        _ text: String, file: String, into store: Store, options: SheetOptions = SheetOptions(), dryRun: Bool = false
    ) throws -> ImportPlan {
        let (document, partial) = try Importer.parseCSV(Array(text.utf8), file: file, options: options)
        return try Importer(store: store).run(document, partialKinds: partial, actor: "tester", dryRun: dryRun)
    }

    static func hasRows(_ csv: String) -> Bool { csv.split(separator: "\n").count > 1 }

    @Test(
        "Every section and nested list exports as CSV, imports table by table into an empty registry and exports identically",
        arguments: ["persona", "kaede"])
    func everyTableRoundTrips(example: String) async throws {
        let (tables, yaml) = try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            _ = try Seeder(directory: TestDatabase.seedsDirectory).loadExample(example, into: store, actor: "setup")
            return (try Self.tables(store), try WritePath.export(store))
        }
        for name in ["entrustments", "assessments", "assessment_answers"] + (example == "persona" ? ["entrustment_sub_entrustees", "vendor_contacts"] : []) {
            #expect(Self.hasRows(tables[name] ?? ""), "\(example): \(name) has no rows")
        }
        if example == "kaede" { #expect(Self.hasRows(tables["provision_records"] ?? "")) }
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            for section in SheetSection.all {
                let text = try #require(tables[section.name])
                guard Self.hasRows(text) else { continue }
                try Self.importCSV(text, file: "\(section.name).csv", into: store)
            }
            let again = try Self.tables(store)
            for section in SheetSection.all {
                #expect(again[section.name] == tables[section.name], "\(example): \(section.name) differs after the round trip")
            }
            #expect(try WritePath.export(store) == yaml, "\(example): the registry differs after importing its CSV tables")
            // Importing the same tables again changes nothing.
            for section in SheetSection.all where Self.hasRows(tables[section.name] ?? "") {
                #expect(try Self.importCSV(tables[section.name]!, file: "\(section.name).csv", into: store).isEmpty, "\(section.name)")
            }
        }
    }

    @Test("A nested table replaces the list of the records it names and leaves the others; an unknown record is refused by key")
    func nestedTableReplacesNamedLists() async throws {
        try await WritePath.withPersona { _, store in
            let before = try store.records(.entrustment)
            let named = try #require(before.first { !$0.records("sub_entrustees").isEmpty })
            let key = try #require(named.key)
            let sub = try #require(named.records("sub_entrustees").first?.string("vendor"))
            let text = "entrustment,vendor,via,countries,work,approved_on,valid_from,valid_to\n\(key),\(sub),,jp;us,Mail delivery,2025/4/1,,\n"
            let plan = try Self.importCSV(text, file: "entrustment_sub_entrustees.csv", into: store)
            #expect(plan.changed.map(\.key) == [key])
            #expect(plan.changed.first?.fields == ["sub_entrustees"])
            let after = try #require(try store.records(.entrustment).first { $0.key == key })
            let stored = after.records("sub_entrustees")
            #expect(stored.count == 1)
            #expect(stored.first?.list("countries") == ["JP", "US"])
            #expect(stored.first?.string("approved_on") == "2025-04-01")
            for other in before where other.key != key {
                #expect(try store.records(.entrustment).first { $0.key == other.key } == other)
            }

            let unknown = "entrustment,vendor,via,countries,work,approved_on,valid_from,valid_to\n\(key)x,\(sub),,,,,,\n"
            let issues = try WritePath.rejectedIssues(unknown, file: "entrustment_sub_entrustees.csv", into: store)
            #expect(issues.map(\.code) == ["input.unknown_entrustment"])
            #expect(issues.first?.message.contains("did you mean \(key)?") == true)
            #expect(issues.first?.location == "entrustment_sub_entrustees.csv:2 (entrustment)")
        }
    }

    @Test("An entrustments CSV keeps the stored sub-entrustees and checks them against the file's dates")
    func sectionTableKeepsAndChecksNestedLists() async throws {
        try await WritePath.withPersona { _, store in
            let entrustments = try store.records(.entrustment)
            let named = try #require(entrustments.first { $0.records("sub_entrustees").count > 0 && $0.string("valid_to") == nil })
            let key = try #require(named.key)
            let csv = RegistryCSV.emit([named], section: SheetSection(.entrustment))
            // The same row again: nothing changes, the sub-entrustees stay.
            #expect(try Self.importCSV(csv, file: "entrustments.csv", into: store).isEmpty)
            #expect(try store.records(.entrustment).first { $0.key == key }?.records("sub_entrustees") == named.records("sub_entrustees"))
            // A sub-entrustee that starts a month in; then ending the entrustment the day after it
            // began would leave that sub-entrustee outside it: refused.
            let start = try #require(named.day("valid_from"))
            let sub = try #require(named.records("sub_entrustees").first?.string("vendor"))
            try Self.importCSV(
                "entrustment,vendor,via,countries,work,approved_on,valid_from,valid_to\n\(key),\(sub),,,,,\(start.adding(days: 30)),\n", file: "entrustment_sub_entrustees.csv", into: store,
                options: SheetOptions())
            let ended = try #require(csv.split(separator: "\n").last).replacingOccurrences(of: ",\(start)," , with: ",\(start),\(start.adding(days: 1))")
            let header = try #require(csv.split(separator: "\n").first)
            #expect(ended.hasSuffix(",\(start),\(start.adding(days: 1))"), "\(ended)")
            let issues = try WritePath.rejectedIssues("\(header)\n\(ended)\n", file: "entrustments.csv", into: store)
            #expect(issues.contains { $0.field.hasPrefix("sub_entrustees") }, "\(issues)")
        }
    }

    static let fixture = TestDatabase.repositoryRoot.appendingPathComponent("Tests/Fixtures/sheets/vendors-excel-sjis.csv")

    @Test("A vendors CSV saved by Excel on Japanese Windows (Shift_JIS, CRLF, Japanese headers, dates and labels) imports")
    func excelShiftJISFixtureImports() async throws {
        let bytes = try [UInt8](Data(contentsOf: Self.fixture))
        #expect(String(data: Data(bytes), encoding: .utf8) == nil, "the fixture is not UTF-8")
        #expect(bytes.contains(0x0D), "the fixture has CRLF line ends")
        try await WritePath.withBase { _, store in
            // Without saying what 取引先コード is, the import names the column and how to map it.
            let error = #expect(throws: InputError.self) { try Importer.parseCSV(bytes, file: "vendors-excel-sjis.csv") }
            let issues = error?.issues ?? []
            #expect(issues.map(\.code).sorted() == ["input.missing_column", "input.unknown_column"])
            let unknown = try #require(issues.first { $0.code == "input.unknown_column" })
            #expect(unknown.field == "取引先コード")
            #expect(unknown.message.contains("--columns \"取引先コード=key\""), "\(unknown.message)")

            for encoding: SheetText.Encoding? in [nil, .shiftJIS] {
                let (document, partial) = try Importer.parseCSV(
                    bytes, file: "vendors-excel-sjis.csv", encoding: encoding, options: SheetOptions(renames: ["取引先コード": "key"]))
                let plan = try Importer(store: store).run(document, partialKinds: partial, actor: "tester", dryRun: encoding == nil)
                #expect(plan.added.map(\.key).sorted() == ["kaigai-ads", "mailer-kk", "sakura-jp"])
            }
            let vendors = Dictionary(uniqueKeysWithValues: try store.records(.vendor).map { ($0.key ?? "", $0) })
            let sakura = try #require(vendors["sakura-jp"])
            #expect(sakura.string("legal_name") == "さくらインターネット株式会社")
            #expect(sakura.list("aliases") == ["さくら", "SAKURA"])
            #expect(sakura.list("kinds").sorted() == ["cloud_provider", "entrustee"])
            #expect(sakura.string("headquarters") == "JP")
            #expect(sakura.list("certifications").sorted() == ["iso27001", "pmark"])
            #expect(sakura.string("risk_tier") == "medium")
            #expect(sakura.string("owner") == "法務部　山田")
            #expect(sakura.string("notes") == "石狩DC、東京DC（①②を確認済み）")
            #expect(sakura.string("valid_from") == "2024-01-01")
            let mailer = try #require(vendors["mailer-kk"])
            #expect(mailer.string("risk_tier") == "medium")
            #expect(mailer.list("kinds") == ["entrustee"])
            #expect(mailer.string("notes") == "契約書は\"共有フォルダ\"にあり, 原本は金庫")
            #expect(mailer.string("valid_from") == "2024-04-01")
            let ads = try #require(vendors["kaigai-ads"])
            #expect(ads.string("risk_tier") == "high")
            #expect(ads.list("kinds") == ["transmission_recipient"])
            #expect(ads.string("valid_from") == "2023-12-05")
            #expect(ads.string("valid_to") == "2026-03-31")
        }
    }

    @Test("A label or date no spelling can save is refused naming the cell and what is allowed, writing nothing")
    func badSpreadsheetValuesAreRefused() async throws {
        try await WritePath.withBase { _, store in
            let header = SheetSection(.vendor).columns.map { SheetLabels.column($0, .ja) }.joined(separator: ",")
            let row = "bad,Bad K.K.,,,委託先,JP,,,,,,,,とても高い,,,2024/2/30,"
            let issues = try WritePath.rejectedIssues("\u{FEFF}\(header)\r\n\(row)\r\n", file: "vendors.csv", into: store)
            #expect(Set(issues.map(\.field)) == ["risk_tier", "valid_from"], "\(issues)")
            #expect(issues.contains { $0.field == "risk_tier" && $0.message.contains("とても高い") && $0.message.contains("medium") })
            #expect(issues.allSatisfy { $0.location?.hasPrefix("vendors.csv:2") == true })
        }
    }
}
