import DomicileCore
import DomicileStore
import Foundation
import Hummingbird

/// The console's languages. A page's language is its `?lang=` when given (the switch in the
/// header sets it, and every console link then carries it), else the best of the request's
/// `Accept-Language`, else English.
enum ConsoleLanguage: String, Sendable, CaseIterable {
    case en, ja

    /// The other one: what the switch offers.
    var other: ConsoleLanguage { self == .en ? .ja : .en }

    /// `Accept-Language` (RFC 9110 §12.5.4): the console language with the highest weight;
    /// English when neither is asked for.
    static func preferred(_ header: String?) -> ConsoleLanguage {
        guard let header else { return .en }
        var best: (language: ConsoleLanguage, weight: Double)?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let range = parts.first?.lowercased() else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)) ?? 0
            }
            let primary = range.split(separator: "-").first.map(String.init) ?? range
            guard weight > 0, let language = ConsoleLanguage(rawValue: primary) else { continue }
            if best == nil || weight > best!.weight { best = (language, weight) }
        }
        return best?.language ?? .en
    }
}

/// A label in both console languages.
struct Bilingual: Sendable {
    let en: String
    let ja: String

    init(_ en: String, _ ja: String) {
        self.en = en
        self.ja = ja
    }

    func callAsFunction(_ language: ConsoleLanguage) -> String { language == .ja ? ja : en }
}

/// A page's labels by name, each in both languages: templates read them as `{{labels.NAME}}`.
typealias ConsoleLabels = [String: Bilingual]

/// How a page is shown: its language, who signed in, and its address. Enough to draw the
/// layout (and an error or sign-in page, which read nothing from the registry).
struct ConsoleView: Sendable {
    let language: ConsoleLanguage
    /// Whether the language was chosen with `?lang=` (then every link carries it).
    let explicitLanguage: Bool
    /// The signed-in token's scope (`reports` sees the reports page only).
    let scope: TokenScope
    /// The path the request asked for (`/vendors/acme`), for the language switch.
    let path: String
    /// Its query parameters, decoded.
    let query: [String: String]
    /// Whether to show the navigation and sign-out (not on the sign-in page).
    var signedIn = true

    var ja: Bool { language == .ja }

    /// A registry value in the page language: its Japanese form when it has one.
    func value(_ english: String, ja japanese: String?) -> String {
        ja ? (japanese.flatMap { $0.isEmpty ? nil : $0 } ?? english) : english
    }

    /// A console link: `path` with `query` percent-encoded, and `lang` when the page
    /// language was chosen explicitly (so it is kept from page to page).
    func href(_ path: String, _ query: [(String, String)] = []) -> String {
        Self.href(path, query, language: explicitLanguage ? language : nil)
    }

    /// A link in `language` (nil: none named, the reader's `Accept-Language` decides; `query`
    /// is then written as given, so this also writes API URLs whose own `lang` it holds).
    static func href(_ path: String, _ query: [(String, String)], language: ConsoleLanguage?) -> String {
        var items = language == nil ? query : query.filter { $0.0 != "lang" }
        if let language { items.append(("lang", language.rawValue)) }
        guard !items.isEmpty else { return path }
        return path + "?" + items.map { percentEncoded($0.0) + "=" + percentEncoded($0.1) }.joined(separator: "&")
    }

    /// A path segment or query value, percent-encoded (everything but unreserved characters).
    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

/// What a console page's renderer is given: the request as the API's renderers see it
/// (`endpoint`: query, path parameters, database, today) and how the page is shown (`view`:
/// language, scope, links).
struct ConsoleRequest: Sendable {
    let endpoint: EndpointRequest
    let view: ConsoleView

    var query: QueryParameters { endpoint.query }
    var today: Day { endpoint.today }
    var language: ConsoleLanguage { view.language }
    var ja: Bool { view.ja }

    /// A registry value in the page language: its Japanese form when it has one.
    func value(_ english: String, ja japanese: String?) -> String { view.value(english, ja: japanese) }

    /// A console link, keeping the page language (see `ConsoleView.href`).
    func href(_ path: String, _ query: [(String, String)] = []) -> String { view.href(path, query) }

    /// Runs `body` in one read-only, repeatable-read transaction (`Store.readSnapshot`), as
    /// the API's renderers do, and returns the page it built as HTML.
    func read(_ body: @escaping @Sendable (Store) throws -> String) async throws -> Rendered {
        try await endpoint.read { store in
            Rendered.Content(body: try body(store), contentType: "text/html; charset=utf-8")
        }
    }
}
