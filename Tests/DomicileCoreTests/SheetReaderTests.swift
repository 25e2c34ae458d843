import DomicileCore
import Foundation
import Testing

/// What a spreadsheet writes, read as the registry means it.
@Suite("Spreadsheet reading")
struct SheetReaderTests {
    @Test("Dates as spreadsheets write them read as ISO dates; a day that does not exist is left for validation")
    func spreadsheetDates() {
        let cases: [(String, String?)] = [
            ("2024/01/01", "2024-01-01"), ("2024/1/1", "2024-01-01"), ("2024-1-5", "2024-01-05"), ("2024-01-05", "2024-01-05"),
            ("2024.12.31", "2024-12-31"), ("2024年4月1日", "2024-04-01"), ("2024/4/1 0:00", "2024-04-01"),
            ("2024/2/30", nil), ("24/1/1", nil), ("2024/13/1", nil), ("1/1/2024", nil), ("2024/1/1 9:30", nil), ("", nil),
        ]
        for (text, expected) in cases {
            #expect(SheetReader.spreadsheetDate(text) == expected, "\(text)")
        }
    }

    @Test("Enumeration values in any case, with spaces, or as their English or Japanese labels")
    func enumerationLabels() {
        #expect(SheetLabels.enumeration("Medium", allowed: EntitySchema.riskTiers) == "medium")
        #expect(SheetLabels.enumeration("MEDIUM", allowed: EntitySchema.riskTiers) == "medium")
        #expect(SheetLabels.enumeration("中", allowed: EntitySchema.riskTiers) == "medium")
        #expect(SheetLabels.enumeration("重大", allowed: EntitySchema.riskTiers) == "critical")
        #expect(SheetLabels.enumeration("Remote access", allowed: EntitySchema.residencyRoles) == "remote_access")
        #expect(SheetLabels.enumeration("実施済み", allowed: EntitySchema.answerStatuses) == "met")
        #expect(SheetLabels.enumeration("Not applicable", allowed: EntitySchema.answerStatuses) == "not_applicable")
        #expect(SheetLabels.enumeration("mid", allowed: EntitySchema.riskTiers) == nil)
        // Every value of every enumeration has a label that reads back to it, in both languages.
        for section in SheetSection.all {
            for column in section.columnSpecs {
                let allowed: [String]
                switch column.type {
                case .enumeration(let values), .enumerations(let values): allowed = values
                default: continue
                }
                for value in allowed {
                    for language in SheetLabels.Language.allCases {
                        #expect(SheetLabels.enumeration(SheetLabels.value(value, language), allowed: allowed) == value, "\(column.name) \(value) \(language)")
                    }
                }
            }
        }
    }

    @Test("Every table's headers are distinct in English and in Japanese and read back to their columns")
    func headersReadBack() {
        for section in SheetSection.all {
            for language in SheetLabels.Language.allCases {
                let headers = section.columns.map { SheetLabels.column($0, language) }
                #expect(Set(headers).count == headers.count, "\(section.name) \(language): \(headers)")
                #expect(headers.map { SheetLabels.columnNamed($0, in: section.columns) } == section.columns, "\(section.name) \(language)")
            }
        }
    }

    @Test("Shift_JIS (code page 932, with its NEC and IBM extensions) is detected and decoded; UTF-8 with a BOM too")
    func encodings() throws {
        // ベンダー名,①ⅰ～ as Windows writes them (checked against Python's cp932 codec).
        let shiftJIS: [UInt8] = [0x83, 0x78, 0x83, 0x93, 0x83, 0x5F, 0x81, 0x5B, 0x96, 0xBC, 0x2C, 0x87, 0x40, 0xFA, 0x40, 0x81, 0x60]
        #expect(try SheetText.decode(shiftJIS, file: "a.csv") == "ベンダー名,①ⅰ～")
        #expect(try SheetText.decode(shiftJIS, file: "a.csv", encoding: .shiftJIS) == "ベンダー名,①ⅰ～")
        let utf8 = [0xEF, 0xBB, 0xBF] + Array("ベンダー名\r\n".utf8)
        #expect(try SheetText.decode(utf8, file: "a.csv") == "ベンダー名\r\n")
        #expect(throws: InputError.self) { try SheetText.decode(shiftJIS, file: "a.csv", encoding: .utf8) }
        #expect(SheetText.Encoding(name: "CP932") == .shiftJIS)
        #expect(SheetText.Encoding(name: "Windows-31J") == .shiftJIS)
        #expect(SheetText.Encoding(name: "latin1") == nil)
    }

    @Test("An unknown column is refused with the column it most likely means and how to rename it")
    func unknownColumnSuggests() throws {
        let header = SheetSection(.vendor).columns.map { $0 == "legal_name" ? "legal_nme" : $0 }.joined(separator: ",")
        let result = RegistryCSV.parse("\(header)\r\n", file: "vendors.csv", section: SheetSection(.vendor))
        let unknown = result.issues.first { $0.code == "input.unknown_column" }
        #expect(unknown?.message.contains("did you mean legal_name?") == true, "\(result.issues)")
        #expect(unknown?.message.contains("--columns \"legal_nme=legal_name\"") == true)
        #expect(unknown?.location == "vendors.csv:1")

        let renamed = RegistryCSV.parse(
            "\(header)\r\nv1,V One,,,entrustee,JP,,,,,,,,High,,,2024/1/1,\r\n", file: "vendors.csv", section: SheetSection(.vendor),
            options: SheetOptions(renames: ["legal_nme": "legal_name"]))
        #expect(renamed.issues.isEmpty, "\(renamed.issues)")
        #expect(renamed.records.first?.string("legal_name") == "V One")
        #expect(renamed.records.first?.string("risk_tier") == "high")
        #expect(renamed.records.first?.string("valid_from") == "2024-01-01")

        #expect(throws: InputError.self) { try SheetOptions.renames("ベンダー名") }
        #expect(try SheetOptions.renames("ベンダー名=legal_name, リスク = risk_tier") == ["ベンダー名": "legal_name", "リスク": "risk_tier"])
    }

    @Test("Nested tables: a row per item, grouped under the record named in the first column")
    func nestedTables() {
        let section = SheetSection(.assessment, nested: "answers")
        #expect(section.name == "assessment_answers")
        #expect(section.columns.first == "assessment")
        #expect(SheetSection.forFile("2026-assessment_answers.csv") == section)
        #expect(SheetSection.forFile("assessments.csv") == SheetSection(.assessment))
        #expect(SheetSection.names.contains("entrustment_sub_entrustees"))
        let text = """
            assessment,item,requirement,status,evidence,note,public_statement,public_statement_ja
            a1,BP-1,Basic policy,Met,policy.pdf,,,
            a2,BP-1,Basic policy,,,,,
            a1,RUL-1,Rules,一部実施,rules.pdf,,,

            """
        let result = RegistryCSV.parse(text, file: "assessment_answers.csv", section: section)
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.records.map(\.key) == ["a1"], "a row with nothing but its item is not an answer")
        #expect(result.records.first?.records("answers").map { $0.string("status") } == ["met", "partial"])
    }
}
