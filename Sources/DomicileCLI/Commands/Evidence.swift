import ArgumentParser
import DomicileCore
import DomicileStore
import Foundation

/// `domicile evidence add|list|get|remove`: files attached to an entrustment, an assessment
/// answer or a vendor, stored in PostgreSQL with their SHA-256 (docs/evidence.md).
struct EvidenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "Attach, list, fetch and remove evidence files (contracts, DPAs, audit reports, certificates).",
        discussion: """
            A file is attached to an entrustment, an assessment's answer to a checklist
            item, or a vendor, and stored in the database with its SHA-256, size, media
            type and name. Every change is audited (the audit row holds the hash and the
            metadata, never the bytes). `export -o registry.yaml` writes the files to
            registry.evidence/ beside it, and `import registry.yaml` reads them back.

            Examples:
              domicile evidence add contracts/aws-dpa.pdf --entrustment persona-hosting
              domicile evidence list --vendor aws
              domicile evidence get 3 -o aws-dpa.pdf
            """,
        subcommands: [EvidenceAdd.self, EvidenceList.self, EvidenceGet.self, EvidenceRemove.self])
}

/// Exactly one subject: `--entrustment`, `--assessment` with `--item`, or `--vendor`.
struct EvidenceSubjectOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The entrustment (key).", valueName: "key"))
    var entrustment: String?

    @Option(help: ArgumentHelp("The assessment (key); with --item, the answer to that checklist item.", valueName: "key"))
    var assessment: String?

    @Option(help: ArgumentHelp("The checklist item of --assessment, e.g. VEN-CON-1.", valueName: "item"))
    var item: String?

    @Option(help: ArgumentHelp("The vendor (key, legal name or alias).", valueName: "vendor"))
    var vendor: String?

    /// The subject named, `nil` when none is; an `InputError` when more than one is, or an
    /// item without its assessment (or, when `needsItem`, an assessment without its item).
    func subject(needsItem: Bool) throws -> EvidenceSubject? {
        let named = [entrustment.map { EvidenceSubject(.entrustment, $0) }, assessment.map { EvidenceSubject(.assessment, $0, item: item) },
                     vendor.map { EvidenceSubject(.vendor, $0) }].compactMap { $0 }
        if named.count > 1 {
            throw InputError(Issue(code: "input.several_subjects", field: "subject", value: named.map(\.description).joined(separator: ", "),
                message: "name one of --entrustment, --assessment (with --item) or --vendor, not \(named.count)"))
        }
        if item != nil, assessment == nil {
            throw InputError(Issue(code: "input.missing_field", field: "assessment", value: nil, message: "--item \(item ?? "") needs --assessment: the item is answered in an assessment"))
        }
        if needsItem, assessment != nil, item == nil {
            throw InputError(Issue(code: "input.missing_field", field: "item", value: nil, message: "--assessment needs --item: evidence is attached to the answer to one checklist item"))
        }
        return named.first
    }
}

struct EvidenceAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Attach a file to an entrustment, an assessment answer or a vendor.",
        discussion: """
            The media type is detected from the file's first bytes and its extension
            (application/pdf, …) unless --media-type gives it. A file larger than
            --max-size (default 20 MiB, or DOMICILE_EVIDENCE_MAX_SIZE) is refused (exit 2).
            Attaching the same bytes under the same name to the same record again
            changes nothing.

            Examples:
              domicile evidence add aws-dpa.pdf --entrustment persona-hosting --description "DPA 2025"
              domicile evidence add soc2.pdf --vendor "Amazon Web Services"
              domicile evidence add policy.pdf --assessment persona-2025 --item VEN-CON-1
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var subject: EvidenceSubjectOptions

    @Argument(help: ArgumentHelp("The file to attach.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The file name to store (default: the file's own name).", valueName: "name"))
    var name: String?

    @Option(name: .customLong("media-type"), help: ArgumentHelp("The media type (default: detected), e.g. application/pdf.", valueName: "type"))
    var mediaType: String?

    @Option(help: ArgumentHelp("What the file is, in a few words.", valueName: "text"))
    var description: String?

    @Option(name: .customLong("max-size"), help: ArgumentHelp("The largest file accepted: 20MiB (default), 512KiB, bytes.", valueName: "size"))
    var maxSize: String?

    func run() throws {
        guard let subject = try subject.subject(needsItem: true) else {
            throw InputError(Issue(code: "input.missing_field", field: "subject", value: nil, message: "name what the file is evidence for: --entrustment KEY, --assessment KEY --item ITEM, or --vendor VENDOR"))
        }
        let limit = try EvidenceLimit.resolve(maxSize)
        let bytes = try EvidenceLimit.read(file, field: "file", limit: limit)
        let fileName = name ?? URL(fileURLWithPath: file).lastPathComponent
        let type = mediaType?.lowercased() ?? Evidence.detectMediaType(bytes, fileName: fileName)
        if let description, description.isEmpty || description.count > 500 {
            throw InputError(Issue.invalid("description", description, expected: "1 to 500 characters"))
        }
        let store = try database.migratedStore()
        let (attached, added) = try store.addEvidence(
            subject, fileName: fileName, mediaType: type, description: description, bytes: bytes, actor: actor.resolved)
        print("\(added ? "attached" : "already attached") evidence \(attached.id): \(attached.fileName) (\(attached.mediaType), \(Evidence.describeSize(attached.size)), sha256 \(attached.sha256)) to \(attached.subject)")
    }
}

struct EvidenceList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List attached evidence files, all or one record's.",
        discussion: """
            Sorted by subject, then file name. With --limit N or --after ID the list is
            paged by id instead: --after takes the last id of the previous page.

            Examples:
              domicile evidence list
              domicile evidence list --entrustment persona-hosting --format json
              domicile evidence list --assessment persona-2025
              domicile evidence list --limit 100 --after 250
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var subject: EvidenceSubjectOptions

    @Option(help: "Output format: table, json or csv.")
    var format: ListingFormat = .table

    @Option(help: ArgumentHelp("Print at most this many files (1 to \(PageOptions.maximumLimit)).", valueName: "n"))
    var limit: Int?

    @Option(help: ArgumentHelp("Only files whose id is greater than this one: the last id of the previous page.", valueName: "id"))
    var after: String?

    func validate() throws {
        if let limit, !(1...PageOptions.maximumLimit).contains(limit) {
            throw InputError(Issue.invalid("limit", String(limit), expected: "a whole number from 1 to \(PageOptions.maximumLimit)"))
        }
        if let after, Int64(after).map({ $0 < 0 }) ?? true {
            throw InputError(Issue.invalid("after", String(after.prefix(40)), expected: "an evidence id, a whole number such as 250 (evidence list shows them)"))
        }
    }

    /// `files` paged by id when a page is asked for; otherwise unchanged.
    func paged(_ files: [EvidenceFile]) -> [EvidenceFile] {
        guard limit != nil || after != nil else { return files }
        var files = files.sorted { $0.id < $1.id }
        if let after = after.flatMap({ Int64($0) }) { files = files.filter { $0.id > after } }
        if let limit { files = Array(files.prefix(limit)) }
        return files
    }

    func run() throws {
        let store = try database.migratedStore()
        var chosen = try subject.subject(needsItem: false)
        if let named = chosen {
            let kind: EntityKind = named.kind == .entrustment ? .entrustment : named.kind == .assessment ? .assessment : .vendor
            chosen = EvidenceSubject(named.kind, try store.resolveKey(kind, named.key, field: named.kind.rawValue), item: named.item)
        }
        let files = paged(try store.evidence(of: chosen))
        if format == .table, files.isEmpty {
            print("(none)")
            return
        }
        printForTerminal(format == .json ? EvidenceFile.json(files) : EvidenceFile.listing(files).render(format))
    }
}

struct EvidenceGet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Write an evidence file's bytes to a file or standard output, checked against its SHA-256.",
        discussion: """
            With -o DIR (an existing directory) the file is written there under its stored
            name. Standard output must not be a terminal. The bytes are hashed on the way
            out; a mismatch with the stored SHA-256 writes nothing and exits 1.

            Examples:
              domicile evidence get 3 -o aws-dpa.pdf
              domicile evidence get 3 > aws-dpa.pdf
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("The evidence id (from `evidence list`).", valueName: "id"))
    var id: Int64

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file (or into this directory).", valueName: "path"))
    var output: String?

    func run() throws {
        if output == nil || output == "-", isatty(STDOUT_FILENO) == 1 {
            throw InputError(Issue(code: "input.terminal_output", field: "output", value: nil, message: "standard output is a terminal; pass -o FILE or redirect it to a file"))
        }
        let store = try database.migratedStore()
        guard let (file, bytes) = try store.read({ _ in try store.evidenceFile(id: id) }) else {
            throw InputError(Issue(code: "input.unknown_evidence", field: "id", value: String(id), message: "there is no evidence \(id); `domicile evidence list` shows the ids"))
        }
        var path = output
        var isDirectory: ObjCBool = false
        if let target = output, target != "-", FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
            path = URL(fileURLWithPath: target).appendingPathComponent(file.fileName).path
        }
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(bytes)
            return
        }
        try Output.write([UInt8](bytes), to: path)
        FileHandle.standardError.write(Data("wrote \(path): \(file.fileName) (\(file.mediaType), \(Evidence.describeSize(file.size)), sha256 \(file.sha256) verified)\n".utf8))
    }
}

struct EvidenceRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Detach an evidence file and delete its bytes (the audit log keeps its hash and metadata).",
        discussion: """
            Examples:
              domicile evidence remove 3
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: ArgumentHelp("The evidence id (from `evidence list`).", valueName: "id"))
    var id: Int64

    func run() throws {
        let store = try database.migratedStore()
        guard let file = try store.removeEvidence(id: id, actor: actor.resolved) else {
            throw InputError(Issue(code: "input.unknown_evidence", field: "id", value: String(id), message: "there is no evidence \(id); `domicile evidence list` shows the ids"))
        }
        print("removed evidence \(file.id): \(file.fileName) (sha256 \(file.sha256)) from \(file.subject)")
    }
}

/// The size limit of evidence files and reading a file within it.
enum EvidenceLimit {
    static func resolve(_ option: String?) throws -> Int {
        if let option {
            guard let size = Evidence.parseSize(option) else { throw InputError(Issue.invalid("max-size", option, expected: Evidence.sizeExpected)) }
            return size
        }
        if let text = ProcessInfo.processInfo.environment["DOMICILE_EVIDENCE_MAX_SIZE"], !text.isEmpty {
            guard let size = Evidence.parseSize(text) else {
                throw InputError(Issue.invalid("DOMICILE_EVIDENCE_MAX_SIZE", text, expected: Evidence.sizeExpected))
            }
            return size
        }
        return Evidence.defaultMaximumBytes
    }

    /// The bytes of `path`, refused before reading when larger than `limit`.
    static func read(_ path: String, field: String, limit: Int) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            let handle = FileHandle(forReadingAtPath: path)
        else {
            throw InputError(Issue(code: "input.unreadable_file", field: field, value: path, message: "cannot read \(path): no such file, or not a readable file"))
        }
        defer { try? handle.close() }
        // Read at most one byte past the limit: a file that grows or lies about its size is still refused.
        let bytes = (try? handle.read(upToCount: limit + 1)) ?? nil ?? Data()
        if bytes.count > limit {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            throw InputError(Issue(
                code: "input.file_too_large", field: field, value: path,
                message: "\(path) is \(size.map(Evidence.describeSize) ?? "larger than the limit"); evidence files may be at most \(Evidence.describeSize(limit)) (--max-size or DOMICILE_EVIDENCE_MAX_SIZE)"))
        }
        return bytes
    }
}

