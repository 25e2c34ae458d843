import Crypto
import Foundation
import Mustache

/// Turns a snapshot into a report: the one entry point of `domicile report` and
/// `GET /v1/reports/{kind}`.
///
/// The fingerprint is the SHA-256 of the report's content: its kind, language, registry
/// revision, as-of day and data, as canonical JSON (sorted keys, no generation time).
/// The same registry revision and as-of day give the same fingerprint in every format
/// and at any time; the JSON form's `data` is that content.
public enum ReportRenderer {
    /// The whole report in memory: `stream`'s chunks put together.
    public static func render(
        _ kind: ReportKind, _ snapshot: RegistrySnapshot, format: ReportFormat, lang: ReportLanguage = .en,
        generatedAt: Date, options: ReportOptions = ReportOptions()
    ) throws(InputError) -> RenderedReport {
        var chunks = try stream(kind, snapshot, format: format, lang: lang, generatedAt: generatedAt, options: options)
        return RenderedReport(bytes: chunks.collect(), contentType: chunks.contentType, fingerprint: chunks.fingerprint)
    }

    /// The report built whole, as it was before it was streamed (one template render, one
    /// `JSONEncoder` pass): what ReportStreamTests compares the streamed bytes with.
    static func renderWhole(
        _ kind: ReportKind, _ snapshot: RegistrySnapshot, format: ReportFormat, lang: ReportLanguage = .en,
        generatedAt: Date, options: ReportOptions = ReportOptions()
    ) throws(InputError) -> RenderedReport {
        try kind.check(format)
        let data = model(kind, snapshot, lang: lang, options: options)
        let fingerprint = Self.fingerprintWhole(kind: kind, lang: lang, snapshot: snapshot, data: data)
        let header = ReportHeader(
            kind: kind.rawValue, title: kind.title(lang), lang: lang.rawValue,
            organization: snapshot.organizations.map { (lang == .ja ? $0.nameJa : nil) ?? $0.name }.joined(separator: ", "),
            revision: snapshot.revision, asOf: snapshot.asOf.description, generatedAt: timestamp(generatedAt),
            fingerprint: fingerprint)
        let text: String
        switch format {
        case .json:
            text = String(decoding: try! encoder(pretty: true).encode(Document(report: header, data: data)), as: UTF8.self) + "\n"
        case .csv:
            text = "# \(header.title); registry revision \(header.revision); as of \(header.asOf); generated at \(header.generatedAt); sha256 \(fingerprint)\n"
                + (listing(data)?.csv() ?? "")
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
            let name = "\(kind.rawValue).\(format.rawValue)"
            text = ReportTemplates.library.render(context, withTemplate: name) ?? ""
        }
        return RenderedReport(bytes: Array(text.utf8), contentType: format.contentType, fingerprint: fingerprint)
    }

    /// The report's data, as the JSON form's `data` holds it.
    public static func model(
        _ kind: ReportKind, _ snapshot: RegistrySnapshot, lang: ReportLanguage = .en, options: ReportOptions = ReportOptions()
    ) -> any Encodable & Sendable {
        switch kind {
        case .residency: return ResidencyReport(snapshot)
        case .vendors: return VendorReport(snapshot, options: options)
        case .disclosure: return DisclosureReport(snapshot, lang: lang)
        case .ropa: return RopaReport(snapshot)
        }
    }

    static func listing(_ data: any Encodable) -> Listing? {
        switch data {
        case let report as ResidencyReport: return report.listing
        case let report as VendorReport: return report.listing
        case let report as RopaReport: return report.listing
        default: return nil
        }
    }

    struct Document: Encodable {
        let report: ReportHeader
        let data: any Encodable

        enum CodingKeys: String, CodingKey { case report, data }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(report, forKey: .report)
            try container.encode(data, forKey: .data)
        }
    }

    struct Content: Encodable {
        let kind: String
        let lang: String
        let revision: Int64
        let asOf: String
        let data: any Encodable

        enum CodingKeys: String, CodingKey { case kind, lang, revision, asOf, data }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try container.encode(lang, forKey: .lang)
            try container.encode(revision, forKey: .revision)
            try container.encode(asOf, forKey: .asOf)
            try container.encode(data, forKey: .data)
        }
    }

    /// The fingerprint's definition: the content encoded at once (`fingerprint` streams it).
    static func fingerprintWhole(kind: ReportKind, lang: ReportLanguage, snapshot: RegistrySnapshot, data: any Encodable) -> String {
        let content = Content(
            kind: kind.rawValue, lang: lang.rawValue, revision: snapshot.revision, asOf: snapshot.asOf.description, data: data)
        let bytes = try! encoder(pretty: false).encode(content)
        return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `2026-11-28T09:30:00Z`: generation times are stated in UTC, to the second.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// The disclosure's provenance as YAML front matter (JSON strings are YAML scalars): read
    /// by static-site generators, never shown.
    static func frontMatter(_ header: ReportHeader) -> String {
        func quoted(_ text: String) -> String {
            String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
        }
        return """
            ---
            title: \(quoted(header.title))
            lang: \(header.lang)
            organization: \(quoted(header.organization))
            generator: Domicile
            registry_revision: \(header.revision)
            as_of: \(quoted(header.asOf))
            generated_at: \(quoted(header.generatedAt))
            sha256: \(quoted(header.fingerprint))
            ---

            """
    }

    /// Column names the narrow (375 px) layout of the disclosure's table repeats in each cell.
    static func disclosureLabels(_ lang: ReportLanguage) -> [String: String] {
        lang == .ja
            ? ["recipient": "送信先の名称", "information": "送信される情報", "purpose": "利用目的", "optOut": "オプトアウトの方法"]
            : ["recipient": "Name of the Recipient", "information": "Information to be Sent", "purpose": "Purpose of Information Use", "optOut": "How to Opt Out"]
    }

    static func labels(_ lang: ReportLanguage) -> [String: String] {
        lang == .ja
            ? [
                "organization": "事業者", "revision": "登録簿リビジョン", "asOf": "基準日", "generatedAt": "作成日時",
                "fingerprint": "SHA-256 フィンガープリント", "completion": "チェックリスト達成状況", "dataFlow": "データの流れ",
                "generatedBy": "Domicile が登録簿から生成しました。手で編集しないでください。",
            ]
            : [
                "organization": "Organization", "revision": "Registry revision", "asOf": "As of", "generatedAt": "Generated at",
                "fingerprint": "SHA-256 fingerprint", "completion": "Checklist completion", "dataFlow": "Data flow: service → vendor → country",
                "generatedBy": "Generated by Domicile from the registry; do not edit by hand.",
            ]
    }
}

/// Markdown text: characters that would start markup are escaped, and line breaks
/// become spaces so a value stays in its table cell.
struct MarkdownContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        // Most values have nothing to escape: returned as they are, without walking their
        // characters. A value holding any of these bytes takes the character loop below.
        guard text.utf8.contains(where: Self.special) else { return text }
        var result = ""
        for character in text {
            switch character {
            case "\\", "|", "*", "`", "[", "]", "<", ">": result += "\\" + String(character)
            case "\n", "\r": result += " "
            default: result.append(character)
            }
        }
        return result
    }

    static func special(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\\"), UInt8(ascii: "|"), UInt8(ascii: "*"), UInt8(ascii: "`"), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            return true
        default:
            return false
        }
    }
}

/// HTML text, escaped exactly as swift-mustache's own HTML content type does it (`<`, `>`,
/// `&`, `"` and `'`, character by character), with a fast path for the values, most of
/// them, that hold none of these: those are returned as they are.
struct HTMLTextContentType: MustacheContentType {
    static let replacements: [Character: String] = ["<": "&lt;", ">": "&gt;", "&": "&amp;", "\"": "&quot;", "'": "&#39;"]

    func escapeText(_ text: String) -> String {
        guard text.utf8.contains(where: Self.special) else { return text }
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            if let replacement = Self.replacements[character] {
                result += replacement
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func special(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "\""), UInt8(ascii: "'"): return true
        default: return false
        }
    }
}
