import DomicileCore
import DomicileStore
import Foundation

/// Evidence files carried by `export` and `import`: a directory beside the registry file
/// (`registry.evidence/` for `registry.yaml`) holding `manifest.csv`, which names each
/// attachment's record, file name, media type, size and SHA-256, and one `sha256-<hex>` file
/// per content (docs/evidence.md).
enum EvidenceTransfer {
    /// Writes the evidence directory for a registry exported to `registryPath` (or to
    /// `directory`). With nothing attached, writes nothing; exported to standard output
    /// without `directory`, says on standard error what was left out.
    static func export(store: Store, registryPath: String?, directory: String?) throws {
        let files = try store.evidence()
        let target = directory ?? registryPath.flatMap { $0 == "-" ? nil : Evidence.directory(besideRegistry: $0) }
        guard let target else {
            if !files.isEmpty {
                printError("note: \(files.count) evidence file(s) not exported; give -o FILE or --evidence-dir DIR to write them")
            }
            return
        }
        guard !files.isEmpty || FileManager.default.fileExists(atPath: target) else { return }
        do {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        } catch {
            throw InputError(Issue(code: "input.unwritable_file", field: "evidence-dir", value: target, message: "cannot create \(target): \(error.localizedDescription)"))
        }
        var written = Set<String>()
        for file in files where written.insert(file.entry.storedName).inserted {
            let path = URL(fileURLWithPath: target).appendingPathComponent(file.entry.storedName).path
            // Already there with the right bytes (a second export): leave it.
            if let existing = FileManager.default.contents(atPath: path), Evidence.sha256(existing) == file.sha256 { continue }
            guard let (_, bytes) = try store.read({ _ in try store.evidenceFile(id: file.id) }) else { continue }
            try Output.write([UInt8](bytes), to: path)
        }
        // Files of attachments no longer in the registry go, so the directory matches it.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
        where name.hasPrefix("sha256-") && name.count == 71 && !written.contains(name) {
            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: target).appendingPathComponent(name).path)
        }
        try Output.write(Evidence.manifest(files.map(\.entry)), to: URL(fileURLWithPath: target).appendingPathComponent(Evidence.manifestName).path)
    }

    /// The manifest's entries of the evidence directory for `registryPath` (or `directory`);
    /// empty when there is none (and no directory was named).
    static func entries(registryPath: String, directory: String?) throws -> (directory: String, entries: [Evidence.Entry])? {
        let target = directory ?? Evidence.directory(besideRegistry: registryPath)
        let manifest = URL(fileURLWithPath: target).appendingPathComponent(Evidence.manifestName).path
        guard let data = FileManager.default.contents(atPath: manifest) else {
            if directory != nil {
                throw InputError(Issue(code: "input.unreadable_file", field: "evidence-dir", value: target, message: "cannot read \(manifest): no such file, or not readable"))
            }
            return nil
        }
        let text = try RegistryText.decode([UInt8](data), file: manifest)
        return (target, try Evidence.parseManifest(text, file: manifest))
    }

    /// The bytes of `entry` in `directory`, checked against its size, SHA-256 and the limit.
    static func bytes(_ entry: Evidence.Entry, in directory: String, limit: Int) throws -> Data {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(entry.storedName).path
        let bytes = try EvidenceLimit.read(path, field: "evidence", limit: limit)
        let actual = Evidence.sha256(bytes)
        guard actual == entry.sha256, bytes.count == entry.size else {
            throw InputError(Issue(
                code: "input.evidence_mismatch", field: "evidence", value: path,
                message: "\(path) has \(bytes.count) bytes hashing to \(actual), but the manifest names \(entry.size) bytes with SHA-256 \(entry.sha256) (\(entry.subject) \(entry.fileName)); the file was changed or damaged"))
        }
        return bytes
    }

    /// Runs `importRecords` and attaches the evidence of `registryPath`'s directory in the same
    /// transaction: all or nothing. Returns its result and the attachments added (or, in a dry
    /// run, that would be).
    static func importing<T>(
        store: Store, registryPath: String, directory: String?, document: RegistryDocument, dryRun: Bool, actor: String,
        skip: Bool = false, _ importRecords: () throws -> T
    ) throws -> (T, [Evidence.Entry]) {
        guard !skip, let (folder, entries) = try entries(registryPath: registryPath, directory: directory), !entries.isEmpty else {
            return (try importRecords(), [])
        }
        let limit = try EvidenceLimit.resolve(nil)
        // Every file is read and checked before anything is written.
        for entry in entries { _ = try bytes(entry, in: folder, limit: limit) }
        if dryRun {
            let pending = Set(document.records.flatMap { kind, records in records.compactMap { $0.key.map { "\(kind.rawValue)/\($0)" } } })
            let result = try importRecords()
            return (result, try store.plannedEvidence(entries, pending: pending))
        }
        return try store.write(actor: actor) { _ in
            let result = try importRecords()
            let planned = try store.plannedEvidence(entries)
            try store.attachEvidence(planned) { try bytes($0, in: folder, limit: limit) }
            return (result, planned)
        }
    }
}
