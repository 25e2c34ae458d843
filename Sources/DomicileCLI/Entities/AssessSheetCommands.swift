import ArgumentParser
import DomicileCore
import DomicileStore
import Foundation

/// `--lang en|ja` for sheets: the language of headers (and of an answer sheet's wording).
func sheetLanguage(_ text: String) throws -> SheetLabels.Language {
    guard let language = SheetLabels.Language(rawValue: text) else {
        throw InputError(Issue.notAllowed("lang", text, allowed: SheetLabels.Language.allCases.map(\.rawValue)))
    }
    return language
}

extension Store {
    /// The assessment `subject` names: its key, or a vendor or organization (key, legal name or
    /// alias), whose latest assessment (by `assessed_on`, then key) is meant.
    func assessment(for subject: String) throws -> (key: String, record: Record) {
        if let record = try record(.assessment, key: subject) { return (subject, record) }
        var owner: (field: String, key: String)?
        for kind in [EntityKind.vendor, .organization] {
            if let key = try? resolveKey(kind, subject) { owner = (kind.rawValue, key); break }
        }
        guard let owner else {
            let keys = try records(.assessment).compactMap(\.key)
            var message = "'\(subject)' is not an assessment, a vendor or an organization"
            if let guess = Suggest.closest(to: subject, in: keys) { message += " (did you mean \(guess)?)" }
            throw InputError(Issue(code: "input.unknown_assessment", field: "subject", value: subject, message: message))
        }
        let latest = try records(.assessment).filter { $0.string(owner.field) == owner.key }
            .max { ($0.string("assessed_on") ?? "", $0.key ?? "") < ($1.string("assessed_on") ?? "", $1.key ?? "") }
        guard let latest, let key = latest.key else {
            throw InputError(Issue(code: "input.no_assessment", field: "subject", value: subject, message: "\(owner.field) '\(owner.key)' has no assessment yet; add one first, e.g. domicile assess add \(owner.key)-security --template appi-security-2022 --\(owner.field) \(owner.key) --assessed-on 2026-12-01 --assessor \"Privacy office\" --next-review-on 2027-12-01"))
        }
        return (key, latest)
    }

    /// The items of `template` in order: id, mandatory, title in `language` (English when no Japanese).
    func checklist(_ template: String, language: SheetLabels.Language) throws -> [(id: String, mandatory: String, title: String)] {
        guard let listing = try checklistItems(template: template) else { return [] }
        let column = Dictionary(uniqueKeysWithValues: listing.columns.enumerated().map { ($1, $0) })
        return listing.rows.map { row in
            let english = row[column["title_en"]!]
            let japanese = row[column["title_ja"]!]
            return (row[column["id"]!], row[column["mandatory"]!], language == .ja && !japanese.isEmpty ? japanese : english)
        }
    }
}

struct AssessTemplate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Write an assessment's checklist as an answer sheet (CSV or xlsx) to fill in and import.",
        discussion: """
            SUBJECT is an assessment's key, or a vendor or organization (key, legal name or
            alias), whose latest assessment is meant. The sheet has a row per checklist item:
            the assessment, the item, its requirement (in --lang), and the answer columns
            status, evidence, note, public_statement and public_statement_ja, filled in where
            an answer is recorded. Fill in status (met, partial, unmet, not_applicable, or
            their labels such as Met or 実施済み; met and partial need evidence), then import
            the file: every answer in one transaction, and any bad row writes nothing. A row
            left without a status or anything else is an item not answered yet. The CSV is
            UTF-8 with a byte-order mark (so Excel opens it as UTF-8); the xlsx has a
            drop-down for status. `assess show KEY --unanswered` lists what is left.

            Examples:
              domicile assess template sakura --format xlsx --lang ja -o sakura-assessment_answers.xlsx
              domicile assess template assign-security-2026 -o assessment_answers.csv
              domicile import assessment_answers.csv --dry-run
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, xlsx }

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("An assessment's key, or a vendor or organization (its latest assessment).", valueName: "subject"))
    var subject: String

    @Option(help: "csv or xlsx.")
    var format: Format = .csv

    @Option(help: ArgumentHelp("en or ja: the headers, the requirements and the status labels.", valueName: "lang"))
    var lang: String = "en"

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        let language = try sheetLanguage(lang)
        if format == .xlsx, output == nil || output == "-", isatty(STDOUT_FILENO) == 1 {
            throw InputError(Issue(code: "input.binary_to_terminal", field: "output", value: nil, message: "an xlsx workbook is not written to a terminal; give -o FILE.xlsx"))
        }
        let store = try database.migratedStore()
        let (key, record) = try store.assessment(for: subject)
        let items = try store.checklist(record.string("template") ?? "", language: language)
        let bytes = try AnswerSheet.write(assessment: key, record: record, items: items, language: language, xlsx: format == .xlsx)
        try Output.write(bytes, to: output)
    }
}

/// The answer sheet of `assess template`.
enum AnswerSheet {
    static let section = SheetSection(.assessment, nested: "answers")

    /// Columns: the answers table's, with `requirement` after `item`.
    static var columns: [String] {
        var columns = section.columns
        columns.insert("requirement", at: (columns.firstIndex(of: "item") ?? 1) + 1)
        return columns
    }

    static func write(
        assessment key: String, record: Record, items: [(id: String, mandatory: String, title: String)], language: SheetLabels.Language, xlsx: Bool
    ) throws -> [UInt8] {
        let answers = Dictionary(record.records("answers").compactMap { answer in answer.string("item").map { ($0, answer) } }, uniquingKeysWith: { first, _ in first })
        let header = columns.map { SheetLabels.column($0, language) }
        let rows: [[String]] = items.map { item in
            let answer = answers[item.id]
            return columns.map { column in
                switch column {
                case "assessment": return key
                case "item": return item.id
                case "requirement": return item.title
                case "status":
                    return answer?.string("status").map { language == .ja ? SheetLabels.value($0, .ja) : $0 } ?? ""
                default: return answer?.string(column) ?? ""
                }
            }
        }
        if xlsx {
            let statuses = EntitySchema.answerStatuses.map { language == .ja ? SheetLabels.value($0, .ja) : $0 }
            let sheet = XLSX.Sheet(
                name: section.name, header: header, rows: rows.map { $0.map { XLSX.Cell.text($0) } },
                choices: [columns.firstIndex(of: "status")!: .values(statuses)])
            return try XLSX.write([sheet])
        }
        let lines = ([header] + rows).map { $0.map { RegistryCSV.quoted(SpreadsheetCell.escape($0)) }.joined(separator: ",") }
        return [0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }
}

struct AssessShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one assessment with every field, or the checklist items it has not answered yet.",
        discussion: """
            --unanswered lists the items of the assessment's checklist that have no answer
            recorded (an unmet answer is an answer), mandatory ones marked, and how many are
            left: fill them in with `assess answer` or an answer sheet (`assess template`).

            Examples:
              domicile assess show assign-security-2026 --format json
              domicile assess show sakura-security --unanswered --lang ja
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("The assessment's key.", valueName: "key"))
    var key: String

    @Option(help: "Output format (with --unanswered: yaml prints a table).")
    var format: Format = .yaml

    @Flag(help: "List the checklist items without an answer.")
    var unanswered = false

    @Option(help: ArgumentHelp("With --unanswered: en or ja, the language of the items' titles.", valueName: "lang"))
    var lang: String = "en"

    func run() throws {
        let language = try sheetLanguage(lang)
        let store = try database.migratedStore()
        let (key, record) = try store.existingRecord(.assessment, self.key)
        guard unanswered else {
            switch format {
            case .yaml: print(RegistryYAML.emit(record, kind: .assessment), terminator: "")
            case .json: print(Listing.json(record, schema: EntitySchema.assessment), terminator: "")
            }
            return
        }
        let answered = Set(record.records("answers").compactMap { $0.string("item") })
        let items = try store.checklist(record.string("template") ?? "", language: language)
        let left = items.filter { !answered.contains($0.id) }
        let listing = Listing(columns: ["item", "mandatory", "title"], rows: left.map { [$0.id, $0.mandatory, $0.title] })
        switch format {
        case .json: printForTerminal(listing.render(.json))
        case .yaml:
            if !left.isEmpty { printForTerminal(listing.render(.table)) }
            print("\(left.count) of \(items.count) items of \(record.string("template") ?? "?") unanswered on \(key)")
        }
    }
}
