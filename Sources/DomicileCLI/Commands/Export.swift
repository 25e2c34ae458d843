import ArgumentParser
import DomicileCore
import DomicileStore
import Foundation

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the whole registry as YAML or an xlsx workbook (or one table as CSV).",
        discussion: """
            The output re-imports to the same registry: export, import into an empty
            registry, export again, and the two files are byte-identical. Reference data
            (countries, regions, checklists) is not exported; `domicile seed` provides it.
            xlsx is one workbook with a sheet per table (as the CSV tables are named),
            headers in --lang (en or ja), dates as date cells and drop-downs for
            enumerations and references; `domicile import FILE.xlsx` reads it back.

            Examples:
              domicile export > registry.yaml
              domicile export -o registry.yaml        # evidence files go to registry.evidence/
              domicile export --format csv --kind vendors > vendors.csv
              domicile export --format csv --kind assessment_answers -o answers.csv
              domicile export --format xlsx --lang ja -o registry.xlsx
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, csv, xlsx }

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Output format.")
    var format: Format = .yaml

    @Option(help: ArgumentHelp("With --format csv: the section to write (\(SheetSection.names.joined(separator: ", "))).", valueName: "section"))
    var kind: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("evidence-dir"), help: ArgumentHelp("With YAML or xlsx: where to write the evidence files (default: FILE.evidence/ beside -o FILE).", valueName: "dir"))
    var evidenceDir: String?

    @Option(help: ArgumentHelp("With --format xlsx: en or ja, the language of the sheets' headers.", valueName: "lang"))
    var lang: String = "en"

    func validate() throws {
        if format == .csv, kind == nil {
            throw ValidationError("--format csv needs --kind (one of \(SheetSection.names.joined(separator: ", ")))")
        }
    }

    func run() throws {
        let store = try database.migratedStore()
        let text: String
        switch format {
        case .yaml:
            text = try store.read { _ in RegistryYAML.emit(try store.document()) }
        case .csv:
            guard let section = kind.flatMap(SheetSection.init(name:)) else {
                throw InputError(Issue.notAllowed("kind", kind ?? "", allowed: SheetSection.names))
            }
            text = RegistryCSV.emit(try store.records(section.kind), section: section)
        case .xlsx:
            let language = try sheetLanguage(lang)
            if output == nil || output == "-", isatty(STDOUT_FILENO) == 1 {
                throw InputError(Issue(code: "input.binary_to_terminal", field: "output", value: nil, message: "an xlsx workbook is not written to a terminal; give -o FILE.xlsx"))
            }
            let bytes = try store.read { _ in try RegistryXLSX.emit(try store.document(), language: language) }
            try Output.write(bytes, to: output)
            try EvidenceTransfer.export(store: store, registryPath: output, directory: evidenceDir)
            return
        }
        try Output.write(text, to: output)
        if format == .yaml { try EvidenceTransfer.export(store: store, registryPath: output, directory: evidenceDir) }
    }
}

/// Prints `text` as `print(text, terminator: "")` does; on a terminal, control characters
/// other than line breaks and tabs are shown escaped (`TerminalText`).
func printForTerminal(_ text: String) {
    print(isatty(STDOUT_FILENO) == 1 ? TerminalText.escaped(text, keepingNewlines: true) : text, terminator: "")
}

enum Output {
    /// Writes `text` to `path`, or to standard output when `path` is nil or "-".
    static func write(_ text: String, to path: String?) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Writes `bytes` to `path` atomically (a temporary file renamed over it), or to standard output.
    static func write(_ bytes: [UInt8], to path: String?) throws {
        guard let path, path != "-" else {
            // On a terminal, a control character from stored text is shown escaped, not obeyed.
            if isatty(STDOUT_FILENO) == 1 {
                FileHandle.standardOutput.write(Data(TerminalText.escaped(String(decoding: bytes, as: UTF8.self), keepingNewlines: true).utf8))
            } else {
                FileHandle.standardOutput.write(Data(bytes))
            }
            return
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError(Issue(code: "input.unwritable_file", field: "output", value: path, message: "cannot write \(path): \(error.localizedDescription)"))
        }
    }
}
