/// A registry file's content: records of each kind, in file order.
public struct RegistryDocument: Sendable, Equatable {
    public var records: [EntityKind: [Record]]
    /// Problems found while reading the file that did not stop it being read (an unknown
    /// field, a value of the wrong shape); the importer reports them together with the
    /// validation issues, so one run names everything. Not part of equality.
    public var issues: [Issue] = []
    /// Reading problems found beyond `issues` (`IssueList.limit`): counted only.
    public var omittedIssues = 0
    /// Columns a CSV file left out because they were added after it was written
    /// (`RegistryCSV.columnsAddedLater`): the file says nothing about them, so the importer
    /// keeps what is stored rather than clearing it.
    public var absentColumns: Set<String> = []
    /// Kinds read from a nested table (`SheetSection.nested`): their records hold only `key`
    /// and this list field; the importer completes them from the stored records.
    public var nestedTables: [EntityKind: String] = [:]

    public init(records: [EntityKind: [Record]] = [:]) {
        self.records = records
    }

    public static func == (lhs: RegistryDocument, rhs: RegistryDocument) -> Bool { lhs.records == rhs.records }

    public subscript(kind: EntityKind) -> [Record] {
        get { records[kind] ?? [] }
        set { records[kind] = newValue.isEmpty ? nil : newValue }
    }

    public var count: Int { records.values.reduce(0) { $0 + $1.count } }

    /// The order in which kinds are written, so references point backwards.
    public static let order: [EntityKind] = [
        .organization, .category, .purpose, .service, .vendor, .residency, .entrustment, .provision, .transmission,
        .assessment,
    ]
}

/// Reading a registry from bytes: UTF-8 is checked before anything else.
public enum RegistryText {
    /// Decodes `data` as UTF-8, or reports the line and byte offset of the first invalid byte.
    public static func decode(_ data: [UInt8], file: String) throws(InputError) -> String {
        var offset = 0
        var line = 1
        while offset < data.count {
            let byte = data[offset]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            var valid = length > 0 && offset + length <= data.count
            if valid {
                for index in 1..<max(length, 1) where data[offset + index] & 0xC0 != 0x80 { valid = false }
            }
            if valid, length == 3 {
                let second = data[offset + 1]
                if (byte == 0xE0 && second < 0xA0) || (byte == 0xED && second > 0x9F) { valid = false }
            }
            if valid, length == 4 {
                let second = data[offset + 1]
                if (byte == 0xF0 && second < 0x90) || (byte == 0xF4 && second > 0x8F) { valid = false }
            }
            guard valid else {
                throw InputError(
                    Issue(
                        code: "input.invalid_utf8", field: "file", value: file,
                        message: "\(file) is not valid UTF-8: invalid byte 0x\(String(byte, radix: 16, uppercase: true)) at byte offset \(offset); save the file as UTF-8",
                        location: "\(file):\(line)"))
            }
            if byte == 0x0A { line += 1 }
            offset += length
        }
        // A leading byte-order mark (Excel's "CSV UTF-8", Notepad) is not part of the content.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        return String(decoding: data.starts(with: bom) ? data.dropFirst(3) : data[...], as: UTF8.self)
    }
}
