import ArgumentParser
import DomicileCore
import DomicileStore
import Foundation

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a YAML registry file, an xlsx workbook or a CSV table, all or nothing.",
        discussion: """
            YAML may hold a whole registry or any part of it; CSV holds one section, named by
            the file (vendors.csv, services.csv, residencies.csv, …) or by --kind, or one
            nested list (entrustment_sub_entrustees.csv, assessment_answers.csv, …: a row per
            item, the record's key first; the list of each record named replaces its stored
            list). CSV may be UTF-8 (with or without a BOM) or Shift_JIS (detected, or
            --encoding), with headers as export writes them or their English or Japanese
            labels (or renamed with --columns), dates as 2024/1/1 and values as labels
            (Medium, 中). An xlsx workbook (as `export --format xlsx` writes it) holds a
            sheet per table, named as the CSV files; a workbook with only an answer sheet
            (`assess template`) updates those answers. Records are
            matched by key: new ones are added; a stored one is replaced by the file's version
            as a whole (fields left out are cleared: check with --dry-run). No record is
            deleted, and answers and provision records are never dropped.
            Every error is reported at once with file:line and the field; any error means
            nothing is written (exit 2). Importing the same file twice changes nothing.
            The format is described in docs/registry-format.md.
            Several files (a registry split by section, a table split in parts) are loaded
            in the order given as one import: all or nothing, each file parsed, checked and
            written in turn, so memory holds one file at a time whatever their number.

            Examples:
              domicile import registry.yaml --dry-run
              domicile import vendors.csv services.csv residencies.csv
              domicile import registry.yaml --actor "legal@example.com"
              domicile import vendors.csv
              domicile import 2025-q1.csv --kind residencies
              domicile import vendors-excel.csv --encoding shift_jis --columns "ベンダー名=legal_name"
              domicile import answers.csv --kind assessment_answers
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: ArgumentHelp("The .yaml/.yml, .xlsx or .csv file to load; several are loaded in the order given, in one transaction, one file in memory at a time.", valueName: "file"))
    var files: [String] = []

    @Flag(name: .customLong("dry-run"), help: "Validate and print what would be added and changed; write nothing.")
    var dryRun = false

    @Flag(help: "Accept changes to what a fact is (a residency's place, an entrustment's parties) because the stored values were wrong from the start; a change in the world is an end plus a new record instead.")
    var correction = false

    @Option(help: ArgumentHelp("For CSV: the table the file holds (\(SheetSection.names.joined(separator: ", "))); default: the one its name or header says.", valueName: "section"))
    var kind: String?

    @Option(name: .customLong("evidence-dir"), help: ArgumentHelp("With YAML or xlsx: the evidence files to attach (default: FILE.evidence/ beside it, when there).", valueName: "dir"))
    var evidenceDir: String?

    @Option(help: ArgumentHelp("For CSV: the file's encoding, utf-8 or shift_jis (cp932); default: UTF-8 if it is valid UTF-8, else Shift_JIS.", valueName: "encoding"))
    var encoding: String?

    @Option(help: ArgumentHelp("For CSV and xlsx: headers to read as columns, e.g. \"ベンダー名=legal_name,リスク=risk_tier\".", valueName: "renames"))
    var columns: String?

    /// Registry files are small; a bigger one is a mistake (a database dump, a binary).
    static let maximumFileSize = 32 * 1_048_576

    func validate() throws {
        guard !files.isEmpty else {
            throw InputError(Issue(code: "input.missing_file", field: "file", value: nil, message: "name the file to import, e.g. `domicile import registry.yaml`"))
        }
        if files.count > 1, let evidenceDir {
            throw InputError(Issue(code: "input.conflicting_options", field: "evidence-dir", value: evidenceDir, message: "--evidence-dir names the evidence of one file; with \(files.count) files each file's own FILE.evidence/ directory is read"))
        }
    }

    func run() throws {
        var section: SheetSection?
        if let kind {
            guard let parsed = SheetSection(name: kind) else {
                throw InputError(Issue.notAllowed("kind", kind, allowed: SheetSection.names))
            }
            section = parsed
        }
        var textEncoding: SheetText.Encoding?
        if let encoding {
            guard let parsed = SheetText.Encoding(name: encoding) else {
                throw InputError(Issue.notAllowed("encoding", encoding, allowed: SheetText.Encoding.allCases.map(\.rawValue)))
            }
            textEncoding = parsed
        }
        let options = SheetOptions(renames: try columns.map(SheetOptions.renames) ?? [:])
        // Every file is there and small enough before anything is read or written.
        for file in files { try Self.checkFile(file) }
        let store = try database.migratedStore()
        let reading = Reading(section: section, encoding: textEncoding, options: options)
        guard files.count > 1 else {
            try load(files[0], reading: reading, store: store, dryRun: dryRun)
            return
        }
        // One transaction for all the files (each file's import is a savepoint in it), and one
        // file's records in memory at a time. A dry run writes them too, so each file is checked
        // against the ones before it, and rolls everything back at the end.
        do {
            try store.write(actor: actor.resolved) { _ in
                for file in files { try load(file, reading: reading, store: store, dryRun: false, wording: dryRun ? .dryRun : .done) }
                if dryRun { throw DryRunRollback() }
            }
            print("imported \(files.count) files in one transaction")
        } catch is DryRunRollback {
            print("dry run: \(files.count) files checked together; nothing was written")
        } catch {
            printError("note: nothing was written: the \(files.count) files are imported together or not at all")
            throw error
        }
    }

    /// How a file is read: the options given for every file.
    struct Reading {
        var section: SheetSection?
        var encoding: SheetText.Encoding?
        var options: SheetOptions
    }

    /// Thrown to roll back a dry run of several files.
    struct DryRunRollback: Error {}

    enum Wording { case done, dryRun }

    /// Refuses a file that is not there, not readable or too large, before anything is read.
    static func checkFile(_ file: String) throws {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw InputError(Issue(code: "input.unreadable_file", field: "file", value: file, message: "cannot read \(file): no such file or not readable"))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
        if let size, size > Self.maximumFileSize {
            throw InputError(Issue(code: "input.file_too_large", field: "file", value: file, message: "\(file) is \(size / 1_048_576) MiB; at most \(Self.maximumFileSize / 1_048_576) MiB can be imported at once: split it by section (several files are imported together in one transaction)"))
        }
    }

    /// Reads, checks and (unless `dryRun`) writes one file; prints what it added and changed.
    /// What it read is released when it returns.
    func load(_ file: String, reading: Reading, store: Store, dryRun: Bool, wording: Wording? = nil) throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw InputError(Issue(code: "input.unreadable_file", field: "file", value: file, message: "cannot read \(file): no such file or not readable"))
        }
        let (document, partial) =
            file.lowercased().hasSuffix(".csv")
            ? try Importer.parseCSV([UInt8](data), file: file, section: reading.section, encoding: reading.encoding, options: reading.options)
            : file.lowercased().hasSuffix(".xlsx")
                ? try RegistryXLSX.parse([UInt8](data), file: file, options: reading.options)
                : try Importer.parse([UInt8](data), file: file, kind: reading.section?.kind)
        let progress = Progress(enabled: !dryRun && isatty(STDERR_FILENO) == 1)
        let (plan, evidence) = try EvidenceTransfer.importing(
            store: store, registryPath: file, directory: evidenceDir, document: document, dryRun: dryRun, actor: actor.resolved,
            skip: file.lowercased().hasSuffix(".csv")
        ) {
            try Importer(store: store).run(
                document, partialKinds: partial, actor: actor.resolved, dryRun: dryRun, allowFactChanges: correction,
                progress: progress.update)
        }
        progress.finish()
        if (wording ?? (dryRun ? .dryRun : .done)) == .dryRun {
            for change in plan.added { print("would add     \(change.kind.rawValue) \(change.key)") }
            for change in plan.changed {
                print("would change  \(change.kind.rawValue) \(change.key): \(change.fields.joined(separator: ", "))")
            }
            for entry in evidence { print("would attach evidence \(entry.fileName) to \(entry.subject)") }
            print(wording == nil ? "dry run: \(plan.summary); nothing was written" : "dry run: \(file): \(plan.summary)")
        } else {
            for change in plan.added { print("added    \(change.kind.rawValue) \(change.key)") }
            for change in plan.changed { print("changed  \(change.kind.rawValue) \(change.key): \(change.fields.joined(separator: ", "))") }
            for entry in evidence { print("attached evidence \(entry.fileName) to \(entry.subject)") }
            print("imported \(file): \(plan.summary)")
        }
    }
}

/// A one-line progress counter on a terminal's standard error; silent when piped.
final class Progress {
    let enabled: Bool
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ done: Int, _ total: Int) {
        guard enabled, total >= 20, done == total || done % 10 == 0 else { return }
        FileHandle.standardError.write(Data("\rwriting \(done)/\(total)".utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
