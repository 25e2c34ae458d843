import Crypto
import Foundation

/// What an evidence file is attached to: an entrustment, an answer of an assessment, or a vendor.
public struct EvidenceSubject: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case entrustment, assessment, vendor
    }

    public let kind: Kind
    public let key: String
    /// The checklist item, for an assessment answer.
    public let item: String?

    public init(_ kind: Kind, _ key: String, item: String? = nil) {
        self.kind = kind
        self.key = key
        self.item = kind == .assessment ? item : nil
    }

    /// `entrustment/persona-support`, `assessment/aws-2025#AC-1`, `vendor/aws`.
    public var description: String { "\(kind.rawValue)/\(key)" + (item.map { "#\($0)" } ?? "") }

    /// Parses `description`'s form; `nil` when it is not one.
    public init?(_ text: String) {
        guard let slash = text.firstIndex(of: "/"), let kind = Kind(rawValue: String(text[..<slash])) else { return nil }
        var rest = String(text[text.index(after: slash)...])
        var item: String?
        if kind == .assessment {
            guard let hash = rest.firstIndex(of: "#") else { return nil }
            item = String(rest[rest.index(after: hash)...])
            rest = String(rest[..<hash])
            if item?.isEmpty ?? true { return nil }
        }
        guard !rest.isEmpty, !rest.contains("#") || kind == .assessment else { return nil }
        self.init(kind, rest, item: item)
    }

    public static func < (a: EvidenceSubject, b: EvidenceSubject) -> Bool {
        (a.kind.rawValue, a.key, a.item ?? "") < (b.kind.rawValue, b.key, b.item ?? "")
    }
}

/// Evidence files: the rules for their names, media types and sizes, their SHA-256, and the
/// manifest `export` writes beside the registry file (docs/evidence.md). Pure.
public enum Evidence {
    /// The default largest file: 20 MiB.
    public static let defaultMaximumBytes = 20 * 1_048_576
    /// No limit may be set above this (the bytes travel base64-encoded in one statement).
    public static let ceilingBytes = 256 * 1_048_576

    /// Lower-case hex SHA-256 of `bytes`.
    public static func sha256(_ bytes: Data) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// `20MiB`, `512KiB`, `1048576`, `5MB` → bytes; `nil` when not a size, or above the ceiling.
    public static func parseSize(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Int)] = [
            ("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824), ("kb", 1000), ("mb", 1_000_000), ("gb", 1_000_000_000),
            ("k", 1024), ("m", 1_048_576), ("b", 1),
        ]
        let lower = trimmed.lowercased()
        var multiplier = 1
        var digits = lower
        for (suffix, factor) in units where lower.hasSuffix(suffix) {
            multiplier = factor
            digits = String(lower.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else { return nil }
        let (bytes, overflow) = n.multipliedReportingOverflow(by: multiplier)
        return overflow || bytes > ceilingBytes || bytes < 1 ? nil : bytes
    }

    public static let sizeExpected = "a size in bytes, KiB or MiB such as 20MiB, 512KiB or 1048576 (at most 256 MiB)"

    /// "20 MiB", "512 KiB" or "1000 bytes".
    public static func describeSize(_ bytes: Int) -> String {
        if bytes >= 1_048_576, bytes % 1_048_576 == 0 { return "\(bytes / 1_048_576) MiB" }
        if bytes >= 1_048_576 { return String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        if bytes >= 1024, bytes % 1024 == 0 { return "\(bytes / 1024) KiB" }
        return "\(bytes) bytes"
    }

    /// A file name as stored: 1 to 255 characters, no slash, backslash or control character,
    /// not `.` or `..`.
    public static func isValidFileName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 255 && name != "." && name != ".."
            && !name.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }
    }

    public static let fileNameExpected = "a file name of 1 to 255 characters without '/', '\\' or control characters"

    /// A media type as stored: `type/subtype`, lower case, no parameters.
    public static func isValidMediaType(_ text: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789!#$&^_.+-")
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return text.count <= 127 && parts.count == 2
            && parts.allSatisfy { part in
                guard let first = part.first, first.isASCII, first.isLetter || first.isNumber else { return false }
                return part.allSatisfy(allowed.contains)
            }
    }

    public static let mediaTypeExpected = "a media type such as application/pdf or text/plain (type/subtype, lower case, no parameters)"

    static let byExtension: [String: String] = [
        "pdf": "application/pdf", "doc": "application/msword", "xls": "application/vnd.ms-excel",
        "ppt": "application/vnd.ms-powerpoint",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt": "application/vnd.oasis.opendocument.text", "ods": "application/vnd.oasis.opendocument.spreadsheet",
        "zip": "application/zip", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp", "tif": "image/tiff", "tiff": "image/tiff", "txt": "text/plain", "md": "text/markdown",
        "csv": "text/csv", "html": "text/html", "htm": "text/html", "json": "application/json", "xml": "application/xml",
        "yaml": "application/yaml", "yml": "application/yaml", "eml": "message/rfc822", "msg": "application/vnd.ms-outlook",
        "p7s": "application/pkcs7-signature", "cer": "application/pkix-cert", "crt": "application/pkix-cert",
    ]

    /// The media type of `bytes` named `fileName`: by their first bytes where they say
    /// (PDF, PNG, JPEG, GIF, ZIP-based office files), else by the name's extension, else
    /// `text/plain` for UTF-8 text without NUL, else `application/octet-stream`.
    public static func detectMediaType(_ bytes: Data, fileName: String) -> String {
        let ext = fileName.split(separator: ".").count > 1 ? fileName.split(separator: ".").last.map { $0.lowercased() } ?? "" : ""
        let head = [UInt8](bytes.prefix(8))
        func starts(_ magic: [UInt8]) -> Bool { head.starts(with: magic) }
        if starts(Array("%PDF-".utf8)) { return "application/pdf" }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "image/gif" }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            // a ZIP container: an office document says which by its extension
            if let known = byExtension[ext], ["docx", "xlsx", "pptx", "odt", "ods", "zip"].contains(ext) { return known }
            return "application/zip"
        }
        if let known = byExtension[ext] { return known }
        if !bytes.contains(0), String(data: bytes, encoding: .utf8) != nil { return "text/plain" }
        return "application/octet-stream"
    }

    // MARK: Manifest

    /// One attachment as the manifest beside an exported registry lists it.
    public struct Entry: Sendable, Hashable {
        public let subject: EvidenceSubject
        public let fileName: String
        public let mediaType: String
        public let sha256: String
        public let size: Int
        public let description: String?

        public init(subject: EvidenceSubject, fileName: String, mediaType: String, sha256: String, size: Int, description: String?) {
            self.subject = subject
            self.fileName = fileName
            self.mediaType = mediaType
            self.sha256 = sha256
            self.size = size
            self.description = description
        }

        /// The file in the evidence directory holding its bytes: `sha256-<hex>`, one per content.
        public var storedName: String { "sha256-" + sha256 }
    }

    /// The manifest's name inside the evidence directory.
    public static let manifestName = "manifest.csv"
    static let manifestColumns = ["subject", "file_name", "media_type", "sha256", "size", "description", "file"]

    /// `registry.evidence` for `registry.yaml` (its extension replaced), beside it.
    public static func directory(besideRegistry path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingPathExtension().path + ".evidence"
    }

    /// The manifest: one line per attachment, sorted, so the same registry gives the same bytes.
    public static func manifest(_ entries: [Entry]) -> String {
        func cell(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        let sorted = entries.sorted { ($0.subject, $0.fileName, $0.sha256) < ($1.subject, $1.fileName, $1.sha256) }
        let lines = [manifestColumns] + sorted.map {
            [$0.subject.description, $0.fileName, $0.mediaType, $0.sha256, String($0.size), $0.description ?? "", $0.storedName]
        }
        return lines.map { $0.map(cell).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// Reads a manifest; every problem is an issue naming `file:line` and the column.
    public static func parseManifest(_ text: String, file: String) throws -> [Entry] {
        var csv = CSVText(text)
        var issues: [Issue] = []
        var entries: [Entry] = []
        do {
            guard let header = try csv.next() else { return [] }
            guard header.cells == manifestColumns else {
                throw InputError(Issue(
                    code: "input.bad_manifest", field: "header", value: header.cells.joined(separator: ","),
                    message: "\(file): the header must be \(manifestColumns.joined(separator: ","))", location: "\(file):1"))
            }
            while let row = try csv.next() {
                let at = "\(file):\(row.line)"
                guard row.cells.count == manifestColumns.count else {
                    issues.append(Issue(code: "input.bad_manifest", field: "row", value: nil, message: "\(at): \(row.cells.count) cells, expected \(manifestColumns.count)", location: at))
                    continue
                }
                let c = row.cells
                var bad: [Issue] = []
                let subject = EvidenceSubject(c[0])
                if subject == nil { bad.append(Issue.invalid("subject", c[0], expected: "entrustment/KEY, assessment/KEY#ITEM or vendor/KEY")) }
                if !isValidFileName(c[1]) { bad.append(Issue.invalid("file_name", c[1], expected: fileNameExpected)) }
                if !isValidMediaType(c[2]) { bad.append(Issue.invalid("media_type", c[2], expected: mediaTypeExpected)) }
                if c[3].count != 64 || !c[3].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
                    bad.append(Issue.invalid("sha256", c[3], expected: "64 lower-case hex digits"))
                }
                let size = Int(c[4])
                if size == nil || size! < 0 { bad.append(Issue.invalid("size", c[4], expected: "a number of bytes")) }
                if c[6] != "sha256-" + c[3] { bad.append(Issue.invalid("file", c[6], expected: "sha256-<the sha256 column>")) }
                if bad.isEmpty, let subject, let size {
                    entries.append(Entry(subject: subject, fileName: c[1], mediaType: c[2], sha256: c[3], size: size, description: c[5].isEmpty ? nil : c[5]))
                } else {
                    issues += bad.map { Issue(code: $0.code, field: $0.field, value: $0.value, message: "\(at): " + $0.message, location: at) }
                }
            }
        } catch let error as CSVText.SyntaxError {
            issues.append(Issue(code: "input.bad_csv", field: "file", value: file, message: "\(file): \(error)", location: file))
        }
        if !issues.isEmpty { throw InputError(issues) }
        return entries
    }
}
