import DomicileCore
import Foundation
import Postgres

/// One attached file, without its bytes.
public struct EvidenceFile: Sendable, Hashable {
    public let id: Int64
    public let subject: EvidenceSubject
    public let fileName: String
    public let mediaType: String
    public let sha256: String
    public let size: Int
    public let description: String?
    /// When it was attached, UTC, `2026-12-06T10:15:00Z`.
    public let addedAt: String

    public var entry: Evidence.Entry {
        Evidence.Entry(subject: subject, fileName: fileName, mediaType: mediaType, sha256: sha256, size: size, description: description)
    }
}

/// The bytes read back did not hash to the stored SHA-256.
public struct EvidenceCorrupted: Error, CustomStringConvertible {
    public let id: Int64
    public let expected: String
    public let actual: String
    public var description: String {
        "evidence \(id): the bytes read back hash to \(actual), not to the stored SHA-256 \(expected); nothing was written"
    }
}

/// Evidence files (schema/0015_evidence_files.sql): bytes in evidence_content once per SHA-256,
/// attachments in evidence, audited without the bytes.
extension Store {
    static let evidenceColumns = """
        SELECT e.id,
               CASE WHEN e.entrustment_id IS NOT NULL THEN 'entrustment'
                    WHEN e.assessment_id IS NOT NULL THEN 'assessment' ELSE 'vendor' END AS subject_kind,
               coalesce(en.key, a.key, v.key) AS subject_key, e.item_id, e.file_name, e.media_type, e.sha256,
               e.size_bytes, e.description,
               to_char(e.added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS added_at
        FROM evidence e
        LEFT JOIN entrustment en ON en.id = e.entrustment_id
        LEFT JOIN assessment a ON a.id = e.assessment_id
        LEFT JOIN vendor v ON v.id = e.vendor_id
        """

    static func evidenceFile(_ row: Row) throws -> EvidenceFile {
        let kind = EvidenceSubject.Kind(rawValue: try row.decode(String.self, "subject_kind")) ?? .vendor
        return EvidenceFile(
            id: try row.decode(Int64.self, "id"),
            subject: EvidenceSubject(kind, try row.decode(String.self, "subject_key"), item: try row.decode(String?.self, "item_id")),
            fileName: try row.decode(String.self, "file_name"), mediaType: try row.decode(String.self, "media_type"),
            sha256: try row.decode(String.self, "sha256"), size: try row.decode(Int.self, "size_bytes"),
            description: try row.decode(String?.self, "description"), addedAt: try row.decode(String.self, "added_at"))
    }

    /// The attachments, of `subject` when given (an assessment without an item: all its
    /// answers'), ordered by subject, file name and id.
    public func evidence(of subject: EvidenceSubject? = nil) throws -> [EvidenceFile] {
        let sql = "SELECT * FROM (" + Self.evidenceColumns + ") x"
            + " WHERE ($1::text IS NULL OR (subject_kind = $1 AND subject_key = $2 AND ($3::text IS NULL OR item_id = $3)))"
            + " ORDER BY subject_kind, subject_key, coalesce(item_id, ''), file_name, id"
        return try connection.query(sql, [subject?.kind.rawValue, subject?.key, subject?.item]).rows.map(Self.evidenceFile)
    }

    /// One attachment's metadata and bytes, through `evidence_file()` (the API's role may read
    /// the bytes no other way); the bytes are checked against the stored SHA-256. `nil` when
    /// there is no attachment `id`.
    public func evidenceFile(id: Int64) throws -> (file: EvidenceFile, bytes: Data)? {
        guard let file = try connection.query("SELECT * FROM (" + Self.evidenceColumns + ") x WHERE id = $1", [id]).first.map(Self.evidenceFile)
        else { return nil }
        guard let row = try connection.query("SELECT sha256, content_base64 FROM evidence_file($1)", [id]).first else { return nil }
        let encoded = try row.decode(String.self, "content_base64")
        let bytes = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) ?? Data()
        let actual = Evidence.sha256(bytes)
        guard actual == file.sha256, bytes.count == file.size else { throw EvidenceCorrupted(id: id, expected: file.sha256, actual: actual) }
        return (file, bytes)
    }

    /// The record id of `subject`, or an `InputError` naming the field and the closest key.
    /// An assessment's item must be one of its checklist's items.
    func evidenceSubjectID(_ subject: EvidenceSubject, field: String? = nil) throws -> Int64 {
        let kind: EntityKind
        switch subject.kind {
        case .entrustment: kind = .entrustment
        case .assessment: kind = .assessment
        case .vendor: kind = .vendor
        }
        let key = try resolveKey(kind, subject.key, field: field ?? subject.kind.rawValue)
        let table = Self.tables[kind]!
        guard let id = try connection.query("SELECT id FROM " + table + " WHERE key = $1", [key]).first?.decode(Int64.self, "id") else {
            throw InputError(Issue(code: "input.unknown_\(kind.rawValue)", field: field ?? subject.kind.rawValue, value: subject.key, message: "\(subject.kind.rawValue) '\(subject.key)' does not exist"))
        }
        if subject.kind == .assessment {
            let item = subject.item ?? ""
            let items = try connection.query(
                "SELECT i.item_id FROM assessment a JOIN checklist_item i ON i.template_key = a.template_key WHERE a.id = $1 ORDER BY i.position",
                [id]
            ).rows.map { try $0.decode(String.self, "item_id") }
            if !items.contains(item) {
                var message = "item '\(item)' is not an item of assessment \(key)'s checklist"
                if let guess = Suggest.closest(to: item, in: items) { message += "; did you mean \(guess)?" }
                throw InputError(Issue(code: "input.unknown_item", field: "item", value: item, message: message))
            }
        }
        return id
    }

    /// The subject with its key resolved (a vendor named by its legal name or alias).
    func resolvedSubject(_ subject: EvidenceSubject) throws -> EvidenceSubject {
        let kind: EntityKind = subject.kind == .entrustment ? .entrustment : subject.kind == .assessment ? .assessment : .vendor
        return EvidenceSubject(subject.kind, try resolveKey(kind, subject.key, field: subject.kind.rawValue), item: subject.item)
    }

    /// Attaches `bytes` to `subject` in the current transaction (call inside `write`). The same
    /// bytes under the same name on the same subject are attached once: `nil` then.
    func insertEvidence(
        _ subject: EvidenceSubject, fileName: String, mediaType: String, description: String?, bytes: Data
    ) throws -> Int64? {
        let subjectID = try evidenceSubjectID(subject)
        let sha = Evidence.sha256(bytes)
        try connection.query(
            "INSERT INTO evidence_content (sha256, size_bytes, content) VALUES ($1, $2, decode($3, 'base64')) ON CONFLICT (sha256) DO NOTHING",
            [sha, bytes.count, bytes.base64EncodedString()])
        let column: String
        switch subject.kind {
        case .entrustment: column = "entrustment_id"
        case .assessment: column = "assessment_id"
        case .vendor: column = "vendor_id"
        }
        precondition(Self.isIdentifier(column))
        return try connection.query(
            "INSERT INTO evidence (" + column + ", item_id, file_name, media_type, sha256, size_bytes, description)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id",
            [subjectID, subject.item, fileName, mediaType, sha, bytes.count, description]
        ).first?.decode(Int64.self, "id")
    }

    /// Attaches a file in one audited transaction and returns it (or the attachment that
    /// already held the same bytes under the same name).
    public func addEvidence(
        _ subject: EvidenceSubject, fileName: String, mediaType: String, description: String?, bytes: Data, actor: String
    ) throws -> (file: EvidenceFile, added: Bool) {
        try Self.checkEvidence(fileName: fileName, mediaType: mediaType)
        return try write(actor: actor) { _ in
            let resolved = try resolvedSubject(subject)
            let id = try insertEvidence(resolved, fileName: fileName, mediaType: mediaType, description: description, bytes: bytes)
            let sha = Evidence.sha256(bytes)
            // the new attachment, or the one that already held these bytes under this name
            let file = try evidence(of: resolved).first { file in
                id.map { file.id == $0 } ?? (file.sha256 == sha && file.fileName == fileName)
            }
            guard let file else { throw EvidenceCorrupted(id: id ?? 0, expected: sha, actual: "nothing") }
            return (file, id != nil)
        }
    }

    static func checkEvidence(fileName: String, mediaType: String) throws {
        var issues: [Issue] = []
        if !Evidence.isValidFileName(fileName) { issues.append(Issue.invalid("name", fileName, expected: Evidence.fileNameExpected)) }
        if !Evidence.isValidMediaType(mediaType) { issues.append(Issue.invalid("media-type", mediaType, expected: Evidence.mediaTypeExpected)) }
        if !issues.isEmpty { throw InputError(issues) }
    }

    /// Removes attachment `id` (audited: the audit row keeps its hash and metadata) and its
    /// bytes when no other attachment names them. `nil` when there is none.
    public func removeEvidence(id: Int64, actor: String) throws -> EvidenceFile? {
        try write(actor: actor) { connection in
            guard let file = try connection.query("SELECT * FROM (" + Self.evidenceColumns + ") x WHERE id = $1", [id]).first.map(Self.evidenceFile)
            else { return nil }
            try connection.query("DELETE FROM evidence WHERE id = $1", [id])
            try connection.query(
                "DELETE FROM evidence_content c WHERE sha256 = $1 AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.sha256 = c.sha256)",
                [file.sha256])
            return file
        }
    }

    /// What importing `entries` would attach: those not attached yet (same subject, name and
    /// bytes). Subjects and items are checked, so an unknown one stops the import.
    /// `pending` holds subjects (`entrustment/KEY`) the same import adds but has not written
    /// yet (a dry run): their attachments are planned without looking them up.
    public func plannedEvidence(_ entries: [Evidence.Entry], pending: Set<String> = []) throws -> [Evidence.Entry] {
        var issues: [Issue] = []
        var planned: [Evidence.Entry] = []
        for entry in entries {
            do {
                let subject = try resolvedSubject(entry.subject)
                _ = try evidenceSubjectID(subject)
                let column = subject.kind == .entrustment ? "entrustment_id" : subject.kind == .assessment ? "assessment_id" : "vendor_id"
                let table = subject.kind == .entrustment ? "entrustment" : subject.kind == .assessment ? "assessment" : "vendor"
                precondition(Self.isIdentifier(column) && Self.isIdentifier(table))
                let exists = try connection.query(
                    "SELECT 1 FROM evidence e JOIN " + table + " s ON s.id = e." + column
                        + " WHERE s.key = $1 AND e.item_id IS NOT DISTINCT FROM $2 AND e.file_name = $3 AND e.sha256 = $4",
                    [subject.key, subject.item, entry.fileName, entry.sha256]).first != nil
                if !exists { planned.append(entry) }
            } catch let error as InputError {
                if pending.contains("\(entry.subject.kind.rawValue)/\(entry.subject.key)") {
                    planned.append(entry)
                    continue
                }
                issues += error.issues.map { $0.located("evidence \(entry.subject) \(entry.fileName)") }
            }
        }
        if !issues.isEmpty { throw InputError(issues) }
        return planned
    }

    /// Attaches the planned `entries` in the current transaction, reading each one's bytes
    /// with `bytes` (which checks them against the entry's hash and size).
    public func attachEvidence(_ entries: [Evidence.Entry], bytes: (Evidence.Entry) throws -> Data) throws {
        for entry in entries {
            _ = try insertEvidence(
                entry.subject, fileName: entry.fileName, mediaType: entry.mediaType, description: entry.description, bytes: try bytes(entry))
        }
    }
}

extension EvidenceFile {
    /// The columns `evidence list` shows.
    public static func listing(_ files: [EvidenceFile]) -> Listing {
        Listing(
            columns: ["id", "subject", "file_name", "media_type", "size", "sha256", "description", "added_at"],
            rows: files.map {
                [String($0.id), $0.subject.description, $0.fileName, $0.mediaType, String($0.size), $0.sha256, $0.description ?? "", $0.addedAt]
            })
    }

    /// The attachments as a JSON array (`evidence list --format json`, `/v1/evidence`).
    public static func json(_ files: [EvidenceFile]) -> String {
        JSONOutput.text(files.map(EvidenceOutput.init))
    }
}

/// One attachment in `evidence list --format json` and `/v1/evidence` (`item` and
/// `description` are `null` when absent).
struct EvidenceOutput: Encodable {
    let id: Int64
    let subject: String
    let subjectKind: String
    let subjectKey: String
    @NullWhenAbsent var item: String?
    let fileName: String
    let mediaType: String
    let size: Int
    let sha256: String
    @NullWhenAbsent var description: String?
    let addedAt: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, subject, subjectKind = "subject_kind", subjectKey = "subject_key", item, fileName = "file_name"
        case mediaType = "media_type", size, sha256, description, addedAt = "added_at"
    }

    init(_ file: EvidenceFile) {
        id = file.id
        subject = file.subject.description
        subjectKind = file.subject.kind.rawValue
        subjectKey = file.subject.key
        item = file.subject.item
        fileName = file.fileName
        mediaType = file.mediaType
        size = file.size
        sha256 = file.sha256
        description = file.description
        addedAt = file.addedAt
    }
}
