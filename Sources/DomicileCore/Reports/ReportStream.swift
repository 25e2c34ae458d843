import Crypto
import Foundation
import Mustache

#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// A report rendered piece by piece: the header (with the fingerprint) first, then each
/// service, vendor, country or activity in turn, so the whole document is never held in
/// memory. `ReportRenderer.stream` makes one; `next()` renders the following piece.
///
/// The bytes are exactly `ReportRenderer.render`'s (which concatenates them). Each chunk
/// ends on a boundary between whole rendered pieces, so it is valid UTF-8 by itself.
public struct ReportChunks: Sendable {
    /// What is left to render, in order: a piece rendered once, or one per element.
    enum Piece: Sendable {
        case once(@Sendable () -> [UInt8])
        case each(count: Int, @Sendable (Int) -> [UInt8])
    }

    public let contentType: String
    /// SHA-256 (hex) of the report's content, as `RenderedReport.fingerprint`.
    public let fingerprint: String
    var pieces: [Piece]
    private var piece = 0
    private var element = 0
    /// A chunk is returned once it holds at least this many bytes (or the report ends).
    var chunkSize = 64 * 1024

    init(contentType: String, fingerprint: String, pieces: [Piece]) {
        self.contentType = contentType
        self.fingerprint = fingerprint
        self.pieces = pieces
    }

    /// The next bytes of the report, or `nil` at its end.
    public mutating func next() -> [UInt8]? {
        var chunk: [UInt8] = []
        while chunk.count < chunkSize, piece < pieces.count {
            switch pieces[piece] {
            case .once(let render):
                chunk += render()
                piece += 1
            case .each(let count, let render):
                if element < count {
                    chunk += render(element)
                    element += 1
                } else {
                    piece += 1
                    element = 0
                }
            }
        }
        return chunk.isEmpty && piece >= pieces.count ? nil : chunk
    }

    /// Every remaining chunk, concatenated.
    public mutating func collect() -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = next() { bytes += chunk }
        return bytes
    }
}

extension ReportRenderer {
    /// The report as chunks rendered on demand (`ReportChunks.next()`): the same bytes as
    /// `render`, whose fingerprint is computed first (it is printed in the header), from the
    /// report's data one element at a time (`fingerprint(kind:lang:snapshot:data:)`).
    public static func stream(
        _ kind: ReportKind, _ snapshot: RegistrySnapshot, format: ReportFormat, lang: ReportLanguage = .en,
        generatedAt: Date, options: ReportOptions = ReportOptions()
    ) throws(InputError) -> ReportChunks {
        try kind.check(format)
        let data = model(kind, snapshot, lang: lang, options: options)
        let fingerprint = Self.fingerprint(kind: kind, lang: lang, snapshot: snapshot, data: data)
        let header = ReportHeader(
            kind: kind.rawValue, title: kind.title(lang), lang: lang.rawValue,
            organization: snapshot.organizations.map { (lang == .ja ? $0.nameJa : nil) ?? $0.name }.joined(separator: ", "),
            revision: snapshot.revision, asOf: snapshot.asOf.description, generatedAt: timestamp(generatedAt),
            fingerprint: fingerprint)
        let pieces: [ReportChunks.Piece]
        switch format {
        case .json:
            pieces = StreamedJSON.document(header: header, data: data)
        case .csv:
            let line = "# \(header.title); registry revision \(header.revision); as of \(header.asOf); generated at \(header.generatedAt); sha256 \(fingerprint)\n"
            let listing = listing(data) ?? Listing(columns: [], rows: [])
            @Sendable func row(_ cells: [String]) -> [UInt8] {
                Array((cells.map { RegistryCSV.quoted(SpreadsheetCell.escape($0)) }.joined(separator: ",") + "\n").utf8)
            }
            let rows = listing.rows
            pieces = [.once { Array(line.utf8) + row(listing.columns) }, .each(count: rows.count) { row(rows[$0]) }]
        case .md, .html:
            // The public disclosure has no chart, diagram or visible provenance (issue 12).
            let isInternal = kind != .disclosure
            let context: [String: Any] = [
                "header": header, "data": data, "labels": kind == .disclosure ? disclosureLabels(lang) : labels(lang),
                "ja": lang == .ja, "colon": lang == .ja ? "：" : ": ",
                "frontMatter": kind == .disclosure && format == .md ? frontMatter(header) : "",
                "completionChart": format == .html && isInternal ? ReportCharts.completionChart(snapshot, lang: lang) : "",
                "dataFlow": format == .html && isInternal ? ReportCharts.dataFlow(snapshot, lang: lang) : "",
            ]
            pieces = StreamedTemplate.pieces("\(kind.rawValue).\(format.rawValue)", context: context)
        }
        return ReportChunks(contentType: format.contentType, fingerprint: fingerprint, pieces: pieces)
    }

    /// The fingerprint: SHA-256 of the content's canonical JSON, `{"as_of":…,"data":…,
    /// "kind":…,"lang":…,"revision":…}` with sorted keys, fed to the hash field by field and,
    /// for a list, element by element (each encoded by `JSONEncoder` as it would be in place),
    /// so the whole JSON is never held in memory. The bytes hashed are exactly those of
    /// encoding the whole content at once (ReportStreamTests compares them).
    static func fingerprint(kind: ReportKind, lang: ReportLanguage, snapshot: RegistrySnapshot, data: any Encodable) -> String {
        var hasher = SHA256()
        let compact = encoder(pretty: false)
        func raw(_ text: String) { hasher.update(data: Array(text.utf8)) }
        func json(_ value: any Encodable) { hasher.update(data: try! compact.encode(value)) }
        raw("{\"as_of\":")
        json(snapshot.asOf.description)
        raw(",\"data\":{")
        for (index, field) in StreamedJSON.fields(of: data).enumerated() {
            if index > 0 { raw(",") }
            raw(field.compactKey)
            if let elements = field.elements, !elements.isEmpty {
                raw("[")
                for (position, element) in elements.enumerated() {
                    if position > 0 { raw(",") }
                    json(element)
                }
                raw("]")
            } else {
                json(field.value)
            }
        }
        raw("},\"kind\":")
        json(kind.rawValue)
        raw(",\"lang\":")
        json(lang.rawValue)
        raw(",\"revision\":")
        json(snapshot.revision)
        raw("}")
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// A value the chunks' closures share: the report's model, template context or encoder,
/// built before the first chunk and never changed after (template contexts are `Any`).
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// The report's JSON form and its fingerprint, written a field and an element at a time.
enum StreamedJSON {
    struct Field {
        /// `"name":` as the compact (canonical) encoding writes it.
        let compactKey: String
        /// `"name" : ` as the pretty encoding writes it.
        let prettyKey: String
        let value: any Encodable
        /// The elements when the value is a list.
        let elements: [any Encodable]?
    }

    /// The stored properties of `data` as its synthesized `Encodable` conformance encodes
    /// them: each present one (an absent optional is left out, as `encodeIfPresent` does),
    /// keys converted to snake case and in the encoder's sorted order.
    static func fields(of data: any Encodable) -> [Field] {
        var values: [String: any Encodable] = [:]
        var names: [String] = []
        for child in Mirror(reflecting: data).children {
            guard let label = child.label, let value = child.value as? any Encodable else { continue }
            let mirror = Mirror(reflecting: child.value)
            if mirror.displayStyle == .optional, mirror.children.isEmpty { continue }
            values[label] = value
            names.append(label)
        }
        return keys(names).map { key in
            let value = values[key.name]!
            return Field(compactKey: key.compact, prettyKey: key.pretty, value: value, elements: value as? [any Encodable])
        }
    }

    /// Property names as the report encoder writes them (converted, sorted), asked of the
    /// encoder itself by encoding an object with those keys.
    static func keys(_ names: [String]) -> [(name: String, compact: String, pretty: String)] {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        struct Skeleton: Encodable {
            let names: [String]
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                for (index, name) in names.enumerated() { try container.encode(index, forKey: Key(stringValue: name)) }
            }
        }
        // {"as_of":3,"data":0} and, pretty, `  "as_of" : 3`: each key with the index of its name
        let pretty = String(decoding: try! ReportRenderer.encoder(pretty: true).encode(Skeleton(names: names)), as: UTF8.self)
        return pretty.split(separator: "\n").dropFirst().dropLast().map { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            let separator = text.range(of: " : ", options: .backwards)!
            let index = Int(text[separator.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: ",")))!
            let quoted = String(text[..<separator.lowerBound])
            return (names[index], quoted + ":", quoted + " : ")
        }
    }

    /// The JSON form, `{"data": …, "report": header}` pretty-printed with sorted keys and a
    /// final line break: the header, then each field of the data, a list element by element.
    static func document(header: ReportHeader, data: any Encodable) -> [ReportChunks.Piece] {
        let pretty = Unchecked(ReportRenderer.encoder(pretty: true))
        let top = keys(["data", "report"])
        let fields = fields(of: data)
        var pieces: [ReportChunks.Piece] = [.once { Array(("{\n  " + top[0].pretty + "{\n").utf8) }]
        for (index, field) in fields.enumerated() {
            let end = index == fields.count - 1 ? "\n" : ",\n"
            let key = field.prettyKey
            if let elements = field.elements, !elements.isEmpty {
                let shared = Unchecked(elements)
                pieces.append(.once { Array(("    " + key + "[\n").utf8) })
                pieces.append(.each(count: elements.count) { position in
                    let text = indented(try! pretty.value.encode(shared.value[position]), by: "      ")
                    return Array(("      " + text + (position == shared.value.count - 1 ? "\n" : ",\n")).utf8)
                })
                pieces.append(.once { Array(("    ]" + end).utf8) })
            } else {
                let value = Unchecked(field.value)
                pieces.append(.once { Array(("    " + key + indented(try! pretty.value.encode(value.value), by: "    ") + end).utf8) })
            }
        }
        let report = indented(try! pretty.value.encode(header), by: "  ")
        pieces.append(.once { Array(("  },\n  " + top[1].pretty + report + "\n}\n").utf8) })
        return pieces
    }

    /// `json` with every line after the first indented by `indent` (an empty line stays empty).
    static func indented(_ json: Data, by indent: String) -> String {
        let text = String(decoding: json, as: UTF8.self)
        guard text.contains("\n") else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 || $0.element.isEmpty ? String($0.element) : indent + $0.element }
            .joined(separator: "\n")
    }
}


/// A report template rendered a piece at a time: the text between the lists of the report's
/// data (`{{#services}}` … `{{/services}}` directly inside `{{#data}}`) once, and each list
/// element by element, through sub-templates cut from the report's own template. A cut keeps
/// the sections it is nested in (`{{#data}}`, an inverted `{{^empty(warnings)}}`) around the
/// piece, and is made only at tags standing on lines of their own (which Mustache removes
/// with their line), so the pieces put together are the template's whole output
/// (ReportStreamTests compares them for every report, format and language).
enum StreamedTemplate {
    enum Part: Sendable {
        case segment(String)
        /// `list` of the report's data, rendered one element at a time with `template`.
        case each(list: String, template: String)
    }

    /// Each report template's parts, its sub-templates registered in `library`.
    static let plans: (library: MustacheLibrary, parts: [String: [Part]]) = {
        var library = ReportTemplates.library
        var parts: [String: [Part]] = [:]
        // The disclosure's HTML (a few pages, no tables that grow with the registry) is rendered
        // whole: its sections' partial does not cut cleanly (ReportStreamTests found it).
        for (name, text) in ReportTemplates.sources where !name.contains("_") && name != "disclosure.html" {
            let (templates, plan) = split(text, name: name)
            for (templateName, templateText) in templates {
                // swift-format-ignore: NeverUseForceTry
                try! library.register(templateText, named: templateName)
            }
            parts[name] = plan
        }
        return (library, parts)
    }()

    struct Section {
        let sigil: Character
        let name: String
    }

    /// Cuts a template into sub-templates (name → text) and the plan that renders them in order.
    static func split(_ text: String, name: String) -> (templates: [(String, String)], parts: [Part]) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
        if !text.hasSuffix("\n"), let last = lines.indices.last { lines[last].removeLast() }
        guard let pragma = lines.first, pragma.hasPrefix("{{%") else { return ([(name + "#0", text)], [.segment(name + "#0")]) }
        var templates: [(String, String)] = []
        var parts: [Part] = []
        var stack: [Section] = []
        var segment = ""
        var segmentStack: [Section] = []
        func opening(_ sections: [Section]) -> String { sections.map { "{{\($0.sigil)\($0.name)}}\n" }.joined() }
        func closing(_ sections: [Section]) -> String { sections.reversed().map { "{{/\($0.name)}}\n" }.joined() }
        func flush() {
            guard !segment.isEmpty else { return }
            let templateName = "\(name)#\(templates.count)"
            let prefix = templates.isEmpty ? "" : pragma + opening(segmentStack)
            templates.append((templateName, prefix + segment + closing(stack)))
            parts.append(.segment(templateName))
            segment = ""
        }
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let streamable = stack.first?.name == "data" && stack.first?.sigil == "#" && stack.dropFirst().allSatisfy { $0.sigil == "^" }
            if streamable, let list = standalone(line, sigil: "#"), let end = closingLine(lines, from: index, name: list) {
                flush()
                let templateName = "\(name)#\(templates.count)"
                let body = lines[(index + 1)..<end].joined()
                templates.append((templateName, pragma + opening(stack) + line + body + lines[end].trimmingCharacters(in: .newlines) + "\n" + closing(stack)))
                parts.append(.each(list: list, template: templateName))
                index = end + 1
                segmentStack = stack
                continue
            }
            for tag in tags(line) {
                if tag.sigil == "/" {
                    if stack.last?.name == tag.name { stack.removeLast() }
                } else {
                    stack.append(Section(sigil: tag.sigil, name: tag.name))
                }
            }
            segment += line
            index += 1
        }
        flush()
        return (templates, parts)
    }

    /// The section tags of a line, in order: `{{#x}}`, `{{^x}}`, `{{/x}}`.
    static func tags(_ line: String) -> [(sigil: Character, name: String)] {
        var found: [(Character, String)] = []
        var rest = Substring(line)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            let tag = rest[..<close.lowerBound]
            if let sigil = tag.first, sigil == "#" || sigil == "^" || sigil == "/" {
                found.append((sigil, tag.dropFirst().trimmingCharacters(in: .whitespaces)))
            }
            rest = rest[close.upperBound...]
        }
        return found
    }

    /// The section's name when `line` holds nothing but one `{{<sigil>name}}` tag.
    static func standalone(_ line: String, sigil: Character) -> String? {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("{{\(sigil)"), text.hasSuffix("}}"), tags(text).count == 1 else { return nil }
        return String(text.dropFirst(3).dropLast(2)).trimmingCharacters(in: .whitespaces)
    }

    /// The index of the line closing the section `name` opened on line `start`, when that
    /// line holds only the closing tag.
    static func closingLine(_ lines: [String], from start: Int, name: String) -> Int? {
        var depth = 0
        for index in start..<lines.count {
            for tag in tags(lines[index]) where tag.name == name {
                depth += tag.sigil == "/" ? -1 : 1
                if depth == 0 { return standalone(lines[index], sigil: "/") == name ? index : nil }
            }
        }
        return nil
    }

    /// The pieces of template `name` rendered with `context`: a list of the report's data
    /// (`data` in the context) element by element.
    static func pieces(_ name: String, context: [String: Any]) -> [ReportChunks.Piece] {
        let library = Unchecked(plans.library)
        let shared = Unchecked(context)
        @Sendable func render(_ values: [String: Any], _ template: String) -> [UInt8] {
            Array((library.value.render(values, withTemplate: template) ?? "").utf8)
        }
        guard let parts = plans.parts[name] else { return [.once { render(shared.value, name) }] }
        return parts.map { part in
            switch part {
            case .segment(let template):
                return .once { render(shared.value, template) }
            case .each(let list, let template):
                guard let data = context["data"] as? MustacheParent, let elements = data.child(named: list) as? [Any] else {
                    return .once { render(shared.value, template) }
                }
                let list = Unchecked((data: data, name: list, elements: elements))
                return .each(count: elements.count) { position in
                    var values = shared.value
                    values["data"] = Overriding(base: list.value.data, name: list.value.name, value: [list.value.elements[position]])
                    return render(values, template)
                }
            }
        }
    }

    /// The report's data with one list replaced (by one of its elements).
    struct Overriding: MustacheParent {
        let base: MustacheParent
        let name: String
        let value: [Any]

        func child(named name: String) -> Any? {
            name == self.name ? value : base.child(named: name)
        }
    }
}


/// Writing a file so that a reader never sees part of it: the bytes go to a temporary file
/// in the same directory, renamed over the destination once the last one is written. If
/// anything fails before that (the bytes' source, the disk), the temporary file is removed,
/// the destination is left as it was, and the error is thrown.
public enum AtomicFile {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes what `next` returns, chunk by chunk, until it returns `nil`.
    public static func write(to path: String, _ next: () throws -> [UInt8]?) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp").path
        // 0666 less the umask, as any new file
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw Failure(description: String(cString: strerror(errno))) }
        var renamed = false
        var isOpen = true
        defer {
            if isOpen { close(descriptor) }
            if !renamed { unlink(temporary) }
        }
        while let chunk = try next() {
            try writeAll(descriptor, chunk)
        }
        isOpen = false
        guard close(descriptor) == 0 else { throw Failure(description: String(cString: strerror(errno))) }
        guard rename(temporary, path) == 0 else { throw Failure(description: String(cString: strerror(errno))) }
        renamed = true
    }

    /// Writes every byte of `bytes` to `descriptor` (a file, or standard output).
    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure(description: String(cString: strerror(errno)))
            }
            offset += written
        }
    }
}
