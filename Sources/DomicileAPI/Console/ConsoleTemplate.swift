import DomicileStore
import Foundation
import Mustache

/// A console page's template (Mustache), compiled once, with the layout's partials:
/// a page template starts with `{{> head}}` and ends with `{{> foot}}`.
///
/// Every `{{value}}` is HTML-escaped (`&<>"'`) by swift-mustache; never use a triple
/// mustache (`{{{…}}}`) on anything read from the registry or the request.
///
/// The template sees `labels` (the page's and the layout's, in the page language),
/// `layout` (`ConsoleLayout`: title, navigation, language switch) and `page` (the page's
/// own model: any struct, whose stored properties Mustache reads by name).
struct ConsoleTemplate: Sendable {
    let name: String
    let labels: ConsoleLabels
    private let library: MustacheLibrary

    /// `text` is the template; `partials` more templates it may include by name.
    init(_ name: String, labels: ConsoleLabels, _ text: String, partials: [String: String] = [:]) {
        self.name = name
        self.labels = ConsoleLayout.labels.merging(labels) { _, page in page }
        var library = MustacheLibrary()
        for (partial, text) in ConsoleLayout.partials.merging(partials, uniquingKeysWith: { _, page in page }) {
            // swift-format-ignore: NeverUseForceTry
            try! library.register(text, named: partial)
        }
        // swift-format-ignore: NeverUseForceTry
        try! library.register(text, named: name)
        self.library = library
    }

    /// The page as HTML: `page` rendered in the layout, titled `title`.
    func render(_ page: Any, title: String, _ request: ConsoleRequest) -> String {
        render(page, title: title, request.view)
    }

    func render(_ page: Any, title: String, _ view: ConsoleView) -> String {
        let context: [String: Any] = [
            "labels": labels.mapValues { $0(view.language) },
            "layout": ConsoleLayout(title: title, view: view),
            "page": page,
        ]
        return library.render(context, withTemplate: name) ?? ""
    }

    /// The page's label `name` in the page language.
    func label(_ name: String, _ language: ConsoleLanguage) -> String {
        labels[name].map { $0(language) } ?? name
    }
}

/// What every page shows around its content: the header with the navigation (each page the
/// token's scope may open), the language switch and sign-out.
struct ConsoleLayout {
    struct Link {
        let href: String
        let label: String
        let current: Bool
    }

    let lang: String
    let title: String
    let nav: [Link]
    let homeHref: String
    /// The same page in the other language.
    let switchHref: String
    let switchLang: String
    let switchLabel: String
    /// `lang` for the forms' hidden field, when the page language was chosen explicitly.
    let explicitLang: String?
    let styleHref: String
    let signedIn: Bool

    /// The navigation: path, label, the scope a token needs to see it.
    static let pages: [(path: String, label: Bilingual, scope: TokenScope)] = [
        ("/", Bilingual("Overview", "概要"), .read),
        ("/vendors", Bilingual("Vendors", "委託先・提供先"), .read),
        ("/services", Bilingual("Services", "サービス"), .read),
        ("/where", Bilingual("Where", "保存場所の検索"), .read),
        ("/countries", Bilingual("Countries", "国・地域"), .read),
        ("/reports", Bilingual("Reports", "レポート"), .reports),
        ("/check", Bilingual("Check", "チェック"), .read),
        ("/audit", Bilingual("Audit", "変更履歴"), .read),
    ]

    init(title: String, view: ConsoleView) {
        lang = view.language.rawValue
        self.title = title
        let section = "/" + (view.path.split(separator: "/").first.map(String.init) ?? "")
        nav = Self.pages.filter { view.scope.allows($0.scope) }.map { page in
            Link(href: view.href(page.path), label: page.label(view.language), current: page.path == section)
        }
        homeHref = view.scope.allows(.read) ? view.href("/") : view.href("/reports")
        let other = view.language.other
        // The same page and query in the other language.
        let query = view.query.filter { $0.key != "lang" }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        switchHref = ConsoleView.href(view.path, query, language: other)
        switchLang = other.rawValue
        switchLabel = other == .ja ? "日本語" : "English"
        explicitLang = view.explicitLanguage ? view.language.rawValue : nil
        styleHref = ConsoleStyle.href
        signedIn = view.signedIn
    }

    /// Labels every page may use.
    static let labels: ConsoleLabels = [
        "skip": Bilingual("Skip to content", "本文へ移動"),
        "navigation": Bilingual("Pages", "ページ"),
        "signOut": Bilingual("Sign out", "サインアウト"),
        "language": Bilingual("Language", "言語"),
        "readOnly": Bilingual(
            "Read-only console: changes are made with the domicile command line.",
            "閲覧専用のコンソールです。変更は domicile コマンドで行います。"),
        "revision": Bilingual("Registry revision", "台帳リビジョン"),
        "asOf": Bilingual("As of", "基準日"),
        "none": Bilingual("None.", "ありません。"),
    ]

    /// `head` opens the page (document head, header, `<main>`, the title), `foot` closes it;
    /// `lang_field` is the hidden `lang` field a GET form needs to keep the language.
    static let partials: [String: String] = [
        "head": """
            <!doctype html>
            <html lang="{{layout.lang}}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{layout.title}} · Domicile</title>
            <link rel="stylesheet" href="{{layout.styleHref}}">
            <link rel="icon" href="data:,">
            </head>
            <body>
            <a class="skip" href="#main">{{labels.skip}}</a>
            <header class="site">
            <p class="brand"><a href="{{layout.homeHref}}">Domicile</a></p>
            {{#layout.signedIn}}
            <nav aria-label="{{labels.navigation}}"><ul>
            {{#layout.nav}}
            <li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>
            {{/layout.nav}}
            </ul></nav>
            {{/layout.signedIn}}
            <div class="session">
            <a class="switch" href="{{layout.switchHref}}" lang="{{layout.switchLang}}" hreflang="{{layout.switchLang}}">{{layout.switchLabel}}</a>
            {{#layout.signedIn}}
            <form method="post" action="/sign-out">{{> lang_field}}<button type="submit">{{labels.signOut}}</button></form>
            {{/layout.signedIn}}
            </div>
            </header>
            <main id="main">
            <h1>{{layout.title}}</h1>

            """,
        "foot": """
            </main>
            <footer class="site"><p>{{labels.readOnly}}</p></footer>
            </body>
            </html>

            """,
        "lang_field": """
            {{#layout.explicitLang}}<input type="hidden" name="lang" value="{{.}}">{{/layout.explicitLang}}
            """,
    ]
}
