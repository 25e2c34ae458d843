import Foundation

/// The four reports `domicile report` and `GET /v1/reports/{kind}` produce.
public enum ReportKind: String, CaseIterable, Sendable {
    case residency, vendors, disclosure, ropa

    /// Formats the report can be written in: CSV only where the report is one table.
    public var formats: [ReportFormat] {
        self == .disclosure ? [.md, .html, .json] : ReportFormat.allCases
    }

    /// Kinds of records the report never shows in `format`, so they need not be read: the
    /// residency report's tables, JSON and CSV use no checklist answers (a million of them in
    /// the large registry, most of its reading time) and no transmissions; its HTML does (the
    /// completion chart). ReportStreamTests checks the report is the same without them.
    public func unread(_ format: ReportFormat) -> Set<EntityKind> {
        self == .residency && format != .html ? [.assessment, .transmission] : []
    }

    public func title(_ lang: ReportLanguage) -> String {
        switch (self, lang) {
        case (.residency, .en): return "Data residency report"
        case (.residency, .ja): return "データ所在地レポート"
        case (.vendors, .en): return "Vendor compliance report"
        case (.vendors, .ja): return "委託先・取引先コンプライアンスレポート"
        case (.disclosure, _): return DisclosureReport.title(lang)
        case (.ropa, .en): return "Record of processing activities (GDPR Art. 30)"
        case (.ropa, .ja): return "処理活動の記録（GDPR第30条）"
        }
    }
}

public enum ReportFormat: String, CaseIterable, Sendable {
    case md, html, json, csv

    public var contentType: String {
        switch self {
        case .md: return "text/markdown; charset=utf-8"
        case .html: return "text/html; charset=utf-8"
        case .json: return "application/json"
        case .csv: return "text/csv; charset=utf-8"
        }
    }
}

public enum ReportLanguage: String, CaseIterable, Sendable {
    case en, ja
}

/// Settings of a report beyond kind, format and language.
public struct ReportOptions: Sendable, Hashable {
    /// A contract or DPA expiring within this many days of the as-of day is "expiring".
    public var expiringWithinDays: Int

    public init(expiringWithinDays: Int = Compliance.defaultExpiringWithinDays) {
        self.expiringWithinDays = expiringWithinDays
    }
}

/// A report as bytes, ready to write to a file or an HTTP response.
public struct RenderedReport: Sendable {
    public let bytes: [UInt8]
    public let contentType: String
    /// SHA-256 (hex) of the report's content: see `ReportRenderer`.
    public let fingerprint: String

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// What every report states about itself.
public struct ReportHeader: Encodable, Sendable {
    public let kind: String
    public let title: String
    public let lang: String
    public let organization: String
    public let revision: Int64
    public let asOf: String
    public let generatedAt: String
    public let fingerprint: String
}

/// Input errors of report requests, shared by the CLI and the HTTP API.
extension ReportKind {
    public static func parse(_ text: String) throws(InputError) -> ReportKind {
        guard let kind = ReportKind(rawValue: text) else {
            throw InputError(Issue.notAllowed("report", text, allowed: allCases.map(\.rawValue)))
        }
        return kind
    }

    /// `format` if the report can be written in it, else an input error naming the allowed ones.
    public func check(_ format: ReportFormat) throws(InputError) {
        guard formats.contains(format) else {
            var issue = Issue.notAllowed("format", format.rawValue, allowed: formats.map(\.rawValue))
            issue.message += " (the \(rawValue) report is not a single table)"
            throw InputError(issue)
        }
    }
}

/// A report request as the CLI and the HTTP API receive it (strings), checked: each bad
/// value is an input error naming the field, the value and what is allowed. The one parser
/// of `domicile report` and `GET /v1/reports/…`; each names the fields its own way
/// (`ReportRequest.Spelling`).
public struct ReportRequest: Sendable, Hashable {
    public let kind: ReportKind
    public let format: ReportFormat
    public let lang: ReportLanguage
    /// `nil`: today.
    public let asOf: Day?
    public let options: ReportOptions
    /// The organization the report speaks for (key or name), as given; `nil`: the only one.
    public let organization: String?
    /// Disclosure: written even with gaps, each marked to be completed.
    public let allowFindings: Bool
    /// Disclosure in Japanese: written even where a value has no Japanese text.
    public let allowMissingTranslations: Bool

    /// The request's values as text, as received (`nil`: not given, the default applies).
    public struct Input: Sendable, Hashable {
        public var kind: String
        public var format: String?
        public var lang: String?
        public var asOf: String?
        public var expiringWithin: String?
        public var organization: String?
        public var allowFindings: String?
        public var allowMissingTranslations: String?

        public init(
            kind: String, format: String? = nil, lang: String? = nil, asOf: String? = nil, expiringWithin: String? = nil,
            organization: String? = nil, allowFindings: String? = nil, allowMissingTranslations: String? = nil
        ) {
            self.kind = kind
            self.format = format
            self.lang = lang
            self.asOf = asOf
            self.expiringWithin = expiringWithin
            self.organization = organization
            self.allowFindings = allowFindings
            self.allowMissingTranslations = allowMissingTranslations
        }
    }

    /// How a surface names the fields in its errors.
    public struct Spelling: Sendable, Hashable {
        /// The command line: `report`, `as-of`, `expiring-within` (the option names).
        public static let commandLine = Spelling(query: false)
        /// An HTTP query: `kind` (a path segment: unknown is `input.unknown_report`),
        /// `as_of`, `expiring_within`; `organization` must be 1 to 200 printable characters.
        public static let query = Spelling(query: true)

        let query: Bool

        func name(_ option: String) -> String {
            query ? option.replacingOccurrences(of: "-", with: "_") : option
        }
    }

    /// Every issue of `input`, in the order kind, format, lang, as-of, expiring-within,
    /// organization, allow-findings, allow-missing-translations.
    public static func parse(_ input: Input, spelling: Spelling = .commandLine) throws(InputError) -> ReportRequest {
        var issues: [Issue] = []
        let kind = input.kind
        let parsedKind = ReportKind(rawValue: kind)
        if parsedKind == nil {
            let kinds = ReportKind.allCases.map(\.rawValue)
            if spelling.query {
                var message = "no report is called '\(kind)'; use one of: \(kinds.joined(separator: ", "))"
                if let guess = Suggest.closest(to: kind, in: kinds) { message += " (did you mean \(guess)?)" }
                issues.append(Issue(code: "input.unknown_report", field: "kind", value: kind, message: message))
            } else {
                issues.append(Issue.notAllowed("report", kind, allowed: kinds))
            }
        }
        let format = input.format
        let parsedFormat = ReportFormat(rawValue: format ?? "md")
        if parsedFormat == nil {
            issues.append(Issue.notAllowed("format", format ?? "", allowed: (parsedKind?.formats ?? ReportFormat.allCases).map(\.rawValue)))
        }
        let lang = input.lang
        let parsedLang = ReportLanguage(rawValue: lang ?? "en")
        if parsedLang == nil { issues.append(Issue.notAllowed("lang", lang ?? "", allowed: ReportLanguage.allCases.map(\.rawValue))) }
        var day: Day?
        if let asOf = input.asOf {
            day = Day(asOf)
            if day == nil { issues.append(Issue.invalid(spelling.name("as-of"), asOf, expected: "an ISO 8601 date YYYY-MM-DD, e.g. 2025-04-01")) }
        }
        if let parsedKind, let parsedFormat {
            do { try parsedKind.check(parsedFormat) } catch { issues += error.issues }
        }
        var options = ReportOptions()
        if let text = input.expiringWithin {
            if let days = Int(text), (0...3650).contains(days) {
                options.expiringWithinDays = days
            } else {
                issues.append(Issue.invalid(spelling.name("expiring-within"), text, expected: "a number of days from 0 to 3650"))
            }
        }
        if spelling.query, let text = input.organization,
            text.isEmpty || text.count > 200 || text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            issues.append(Issue.invalid("organization", String(text.prefix(40)), expected: "1 to 200 printable characters"))
        }
        func flag(_ option: String, _ text: String?) -> Bool {
            switch text {
            case nil, "false": return false
            case "true": return true
            case let text?:
                issues.append(Issue.notAllowed(spelling.name(option), text, allowed: ["true", "false"]))
                return false
            }
        }
        let allowFindings = flag("allow-findings", input.allowFindings)
        let allowMissingTranslations = flag("allow-missing-translations", input.allowMissingTranslations)
        guard issues.isEmpty, let parsedKind, let parsedFormat, let parsedLang else { throw InputError(issues) }
        return ReportRequest(
            kind: parsedKind, format: parsedFormat, lang: parsedLang, asOf: day, options: options, organization: input.organization,
            allowFindings: allowFindings, allowMissingTranslations: allowMissingTranslations)
    }

    /// Kind, format, language and day only (the command line's spelling).
    public static func parse(kind: String, format: String?, lang: String?, asOf: String?) throws(InputError) -> ReportRequest {
        try parse(Input(kind: kind, format: format, lang: lang, asOf: asOf))
    }
}
