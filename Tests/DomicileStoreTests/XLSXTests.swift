import DomicileCore
import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing
import ZIPFoundation

/// The registry as one workbook (docs/decisions/0003-xlsx.md).
@Suite("Workbook")
struct XLSXTests {
    @discardableResult
    static func importWorkbook(_ bytes: [UInt8], into store: Store, dryRun: Bool = false) throws -> ImportPlan {
        let (document, partial) = try RegistryXLSX.parse(bytes, file: "registry.xlsx")
        return try Importer(store: store).run(document, partialKinds: partial, actor: "tester", dryRun: dryRun)
    }

    @Test("Export → import into an empty registry → export: the same workbook, byte for byte, in English and Japanese", arguments: ["persona", "kaede"])
    func workbookRoundTrips(example: String) async throws {
        let (english, japanese, yaml) = try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            _ = try Seeder(directory: TestDatabase.seedsDirectory).loadExample(example, into: store, actor: "setup")
            let english = try RegistryXLSX.emit(try store.document(), language: .en)
            #expect(try Self.importWorkbook(english, into: store, dryRun: true).isEmpty, "its own workbook changes nothing")
            return (english, try RegistryXLSX.emit(try store.document(), language: .ja), try WritePath.export(store))
        }
        #expect(english != japanese, "the headers differ")
        for workbook in [english, japanese] {
            try await TestDatabase.with(.seeded) { db in
                let store = try db.store()
                let plan = try Self.importWorkbook(workbook, into: store)
                #expect(!plan.added.isEmpty)
                #expect(try WritePath.export(store) == yaml)
                #expect(try RegistryXLSX.emit(try store.document(), language: workbook == english ? .en : .ja) == workbook)
            }
        }
    }

    @Test("Sheets, human headers, date cells, numbers and drop-downs are where a spreadsheet looks for them")
    func workbookShape() async throws {
        try await WritePath.withPersona { _, store in
            let workbook = try RegistryXLSX.emit(try store.document(), language: .ja)
            let sheets = try XLSX.read(workbook, file: "registry.xlsx")
            #expect(sheets.map(\.name) == SheetSection.names + [RegistryXLSX.listsSheet])
            let vendors = try #require(sheets.first { $0.name == "vendors" })
            #expect(vendors.rows.first?.cells.prefix(3) == ["キー", "ベンダー名", "名称（日本語）"])
            let entrustments = try #require(sheets.first { $0.name == "entrustments" })
            let header = try #require(entrustments.rows.first?.cells)
            let signed = try #require(header.firstIndex(of: "契約締結日"))
            // Read back, a date cell is its ISO day, as the registry has it.
            let stored = try store.records(.entrustment).sorted { ($0.key ?? "") < ($1.key ?? "") }
            #expect(entrustments.rows.dropFirst().map { $0.cells.count > signed ? $0.cells[signed] : "" } == stored.map { $0.object("contract")?.string("signed_on") ?? "" })
            #expect(stored.contains { $0.object("contract")?.string("signed_on") != nil })
            // Drop-downs: an enumeration offers its values; a reference, the keys on the hidden sheet.
            let document = try store.document()
            let written = RegistryXLSX.sheets(document, language: .ja)
            let residencies = try #require(written.first { $0.name == "residencies" })
            let columns = SheetSection(.residency).columns
            #expect(residencies.choices[try #require(columns.firstIndex(of: "role"))] == .values(EntitySchema.residencyRoles))
            guard case .range(let sheetName, let listColumn, let count)? = residencies.choices[try #require(columns.firstIndex(of: "vendor"))] else {
                Testing.Issue.record("no drop-down on residencies.vendor")
                return
            }
            let lists = try #require(written.last)
            #expect(sheetName == RegistryXLSX.listsSheet && lists.name == sheetName && lists.hidden)
            #expect(lists.header[listColumn] == "vendors")
            #expect(count == document[.vendor].count)
            #expect(lists.rows.prefix(count).map { $0[listColumn] } == document[.vendor].compactMap(\.key).sorted().map { XLSX.Cell.text($0) })

            // The worksheet XML: dates are numbers with the date style, enumerations have drop-downs.
            let sheet = XLSX.worksheet(
                XLSX.Sheet(name: "t", header: ["a", "b"], rows: [[.date(Day("2024-01-01")!), .number(30)]], choices: [0: .values(["low", "high"])]))
            #expect(sheet.contains("<c r=\"A2\" s=\"1\"><v>45292</v></c>"), "2024-01-01 is day 45292")
            #expect(sheet.contains("<c r=\"B2\"><v>30</v></c>"))
            #expect(sheet.contains("<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" sqref=\"A2:A1002\"><formula1>&quot;low,high&quot;</formula1></dataValidation>"))
        }
    }

    @Test("Text a spreadsheet could misread survives the workbook: quotes, line breaks, tabs, formulas, _x000D_ literally")
    func trickyTextSurvives() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            var document = ExportRoundTripTests.trickyDocument
            var vendor = document[.vendor][0]
            // List items in a cell are separated by `;` and trimmed (as in CSV): no item keeps a space at an end.
            vendor["aliases"] = .list(vendor.list("aliases").map { $0.trimmingCharacters(in: .whitespaces) })
            vendor["owner"] = .string("=HYPERLINK(\"x\") _x000D_ literally")
            vendor["notes"] = .string("line one\r\nline two\twith a tab & <angle> \"quotes\"")
            document[.vendor][0] = vendor
            try Importer(store: store).run(document, actor: "tester")
            let yaml = try WritePath.export(store)
            let workbook = try RegistryXLSX.emit(try store.document())
            try await TestDatabase.with(.seeded) { other in
                let again = try other.store()
                try Self.importWorkbook(workbook, into: again)
                let exported = try WritePath.export(again)
                #expect(exported == yaml, "\(ExportRoundTripTests.firstDifference(yaml, exported))")
            }
        }
    }

    @Test("What is not a workbook is refused naming the file; a sheet that is no table is named with the nearest table")
    func brokenWorkbooksAreRefused() throws {
        #expect(throws: InputError.self) { try RegistryXLSX.parse(Array("PK\u{3}\u{4}garbage".utf8), file: "broken.xlsx") }
        do {
            _ = try RegistryXLSX.parse(Array("plain text".utf8), file: "broken.xlsx")
        } catch {
            #expect(error.issues.first?.code == "input.invalid_xlsx")
            #expect(error.issues.first?.message.contains("broken.xlsx") == true)
        }
        let workbook = try XLSX.write([XLSX.Sheet(name: "vendor", header: ["key"], rows: [[.text("x")]])])
        do {
            _ = try RegistryXLSX.parse(workbook, file: "mine.xlsx")
            Testing.Issue.record("a workbook with no table was read")
        } catch {
            #expect(error.issues.first?.code == "input.unknown_sheet")
            #expect(error.issues.first?.message.contains("did you mean vendors?") == true)
        }
    }

    @Test("A damaged XML part (styles, shared strings, workbook) is refused naming it, never read as partly empty", arguments: ["xl/styles.xml", "xl/workbook.xml"])
    func damagedPartsAreRefused(part: String) throws {
        let workbook = try XLSX.write([XLSX.Sheet(name: "vendors", header: ["key"], rows: [[.text("x")]])])
        let source = try Archive(data: Data(workbook), accessMode: .read)
        let damaged = try Archive(data: Data(), accessMode: .create)
        for entry in source {
            var bytes = Data()
            _ = try source.extract(entry) { bytes.append($0) }
            if entry.path == part { bytes = Data("<styleSheet><cellXfs><xf numFmtId=\"14\"></cellXfs>".utf8) }
            try damaged.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(bytes.count)) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let damagedBytes = try #require(damaged.data)
        do {
            _ = try RegistryXLSX.parse([UInt8](damagedBytes), file: "damaged.xlsx")
            Testing.Issue.record("a workbook with a damaged \(part) was read")
        } catch {
            #expect(error.issues.first?.code == "input.invalid_xlsx")
            #expect(error.issues.first?.message.contains("\(part) is not well-formed XML") == true)
        }
    }
}
