import DomicileCore
import Foundation

/// Reading spreadsheets: a CSV table of any section or nested list (docs/registry-format.md,
/// "CSV"), in the encodings and with the headers spreadsheets write.
extension Importer {
    /// Parses one CSV table: `section`, else the one the file name says. Throws `InputError`
    /// when nothing could be read; problems of single rows travel in `document.issues`.
    /// Returns the kinds read with fields the table does not carry (kept as stored).
    public static func parseCSV(
        _ data: [UInt8], file: String, section: SheetSection? = nil, encoding: SheetText.Encoding? = nil, options: SheetOptions = SheetOptions()
    ) throws -> (RegistryDocument, Set<EntityKind>) {
        let text = try SheetText.decode(data, file: file, encoding: encoding)
        guard let section = section ?? SheetSection.forFile(file) ?? sectionNamed(byHeaderOf: text, options: options) else {
            throw InputError(Issue(code: "input.unknown_section", field: "file", value: file, message: "cannot tell which section \(file) holds from its name or its header; name it after one (\(SheetSection.names.map { $0 + ".csv" }.joined(separator: ", "))) or pass --kind", location: file))
        }
        let result = RegistryCSV.parse(text, file: file, section: section, options: options)
        return try document(result, section: section)
    }

    /// The one table whose columns the header of `text` names exactly (an answer sheet saved
    /// under another name); nil when none or several do.
    static func sectionNamed(byHeaderOf text: String, options: SheetOptions) -> SheetSection? {
        var reader = CSVText(text)
        guard let header = try? reader.next()?.cells else { return nil }
        let fitting = SheetSection.all.filter { SheetReader.columns(header: header, section: $0, options: options, location: "").1.isEmpty }
        return fitting.count == 1 ? fitting[0] : nil
    }

    /// The document one table's rows make; throws when no row could be read.
    static func document(_ result: SheetReader.Result, section: SheetSection) throws -> (RegistryDocument, Set<EntityKind>) {
        // Nothing readable (a bad header, no records): stop here. Otherwise the issues of
        // some rows are reported by `plan` together with the validation issues of all rows.
        if !result.issues.isEmpty, result.records.isEmpty {
            var error = InputError(result.issues)
            error.omitted = result.omitted
            throw error
        }
        var document = RegistryDocument(records: [section.kind: result.records])
        document.issues = result.issues
        document.omittedIssues = result.omitted
        document.absentColumns = result.absentColumns
        if let nested = section.nested {
            document.nestedTables[section.kind] = nested
            return (document, [])
        }
        return (document, [section.kind])
    }

    /// `document` with the fields a table does not carry (`partialKinds`: nested lists, columns
    /// added later) taken from the stored records before validation, so they are checked with
    /// the file's values (a sub-entrustee against an entrustment's new end).
    func completingPartial(_ document: RegistryDocument, partialKinds: Set<EntityKind>) throws -> RegistryDocument {
        var document = document
        for kind in partialKinds.sorted(by: { $0.rawValue < $1.rawValue }) where !document[kind].isEmpty {
            let fields = RegistryCSV.uncoveredFields(for: kind) + document.absentColumns.sorted()
            let stored = try store.recordsByKey(kind, keys: document[kind].compactMap(\.key))
            document[kind] = document[kind].map { record in
                guard let key = record.key, let stored = stored[key] else { return record }
                var record = record
                for field in fields { record[field] = stored[field] }
                return record
            }
        }
        return document
    }

    /// `document` with the records of nested tables completed from the stored ones: each
    /// holds the stored record with the table's list in place of the stored list. A row of a
    /// record that is not stored is an error naming it.
    func completingNested(_ document: RegistryDocument) throws -> RegistryDocument {
        guard !document.nestedTables.isEmpty else { return document }
        var document = document
        var issues = IssueList(document.issues)
        for (kind, field) in document.nestedTables.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let stored = try store.recordsByKey(kind, keys: document[kind].compactMap(\.key))
            var storedKeys: [String]?  // read once, for suggestions
            document[kind] = try document[kind].compactMap { partial in
                // The first column names the record by key. (Seam for the shared name resolver
                // of issue 16.1: resolve `partial.key` by name or alias here.)
                guard let key = partial.key, var record = stored[key] else {
                    let key = partial.key ?? ""
                    var message = "\(kind.rawValue) '\(key)' is not in the registry; add it first (import \(kind.section).csv), then its \(field)"
                    if let guess = Suggest.closest(to: key, in: try storedKeys ?? { storedKeys = try store.keys(kind); return storedKeys ?? [] }()) { message += " (did you mean \(guess)?)" }
                    issues.append(Issue(code: "input.unknown_\(kind.rawValue)", field: kind.rawValue, value: key, message: message, location: partial.location(of: "key")))
                    return nil
                }
                record[field] = partial[field]
                record.location = partial.location
                record.fieldLocations = partial.fieldLocations
                return record
            }
        }
        document.issues = issues.kept
        document.omittedIssues += issues.omitted
        document.nestedTables = [:]
        return document
    }
}
