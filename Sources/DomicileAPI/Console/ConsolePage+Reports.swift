import DomicileCore
import DomicileStore
import Foundation

/// `/reports`: every report kind in every format and language, as links to the API's own
/// `/v1/reports/{kind}` URLs (which the session cookie authenticates): HTML to view, the
/// others to download. The one page a `reports` token may open.
///
/// The public disclosure is refused by the API while a disclosed fact is to be completed
/// (422): the page says so, lists what to complete, and offers the marked draft instead.
extension ConsolePages {
    static let reports = ConsolePage(parameters: ["as_of"], scope: .reports) { request in
        let view = request.view
        let asOf = try request.query.day("as_of")
        let day = asOf ?? request.today
        return try await request.read { store in
            let snapshot = try store.snapshot(asOf: day)
            let model = ReportsPage(snapshot, asOf: asOf, view: view)
            return ReportsPage.template.render(model, title: ReportsPage.template.label("title", view.language), view)
        }
    }
}

struct ReportsPage {
    struct Link {
        let href: String
        let label: String
        /// The file name to save it under (nil: the browser shows it).
        let download: String?
    }

    struct Row {
        let title: String
        let kind: String
        let language: String
        let links: [Link]
        /// For the disclosure: what keeps it from being published (empty: ready).
        let blockers: [String]
        let drafts: [Link]
    }

    struct Section {
        let organization: String?
        let rows: [Row]
    }

    let asOf: String
    let explicitAsOf: String?
    let sections: [Section]

    init(_ snapshot: RegistrySnapshot, asOf: Day?, view: ConsoleView) {
        self.asOf = snapshot.asOf.description
        explicitAsOf = asOf?.description
        // A report speaks for one organization: with several, one set of links each.
        let organizations: [RegistrySnapshot.Organization?] = snapshot.organizations.count > 1 ? snapshot.organizations.map { $0 } : [nil]
        sections = organizations.map { organization in
            let scoped = organization.map { snapshot.restricted(toOrganization: $0.key) } ?? snapshot
            var rows: [Row] = []
            for kind in ReportKind.allCases {
                for language in ReportLanguage.allCases {
                    var query: [(String, String)] = [("lang", language.rawValue)]
                    if let asOf { query.append(("as_of", asOf.description)) }
                    if let organization { query.append(("organization", organization.key)) }
                    let links = { (extra: [(String, String)], suffix: String) in
                        kind.formats.map { format in
                            Link(
                                href: ConsoleView.href("/v1/reports/" + kind.rawValue, [("format", format.rawValue)] + query + extra, language: nil),
                                label: format.rawValue.uppercased(),
                                download: format == .html ? nil : "\(kind.rawValue)-\(language.rawValue)\(suffix).\(format.rawValue)")
                        }
                    }
                    var blockers: [String] = []
                    var drafts: [Link] = []
                    if kind == .disclosure {
                        blockers = DisclosureReport.blockers(scoped, lang: language, allowFindings: false, allowMissingTranslations: false)
                        if !blockers.isEmpty {
                            drafts = links([("allow_findings", "true"), ("allow_missing_translations", "true")], "-draft")
                        }
                    }
                    rows.append(
                        Row(
                            title: kind.title(language), kind: kind.rawValue, language: language == .ja ? "日本語" : "English",
                            links: blockers.isEmpty ? links([], "") : [], blockers: blockers, drafts: drafts))
                }
            }
            return Section(organization: organization.map { view.value($0.name, ja: $0.nameJa) }, rows: rows)
        }
    }

    static let template = ConsoleTemplate(
        "reports",
        labels: [
            "title": Bilingual("Reports", "レポート"),
            "intro": Bilingual(
                "Each report as domicile report writes it, read from the registry as of the day below. HTML opens in the browser; the other formats download.",
                "domicile report と同じレポートを、下記の基準日の台帳から作成します。HTML はブラウザで開き、その他の形式はダウンロードされます。"),
            "report": Bilingual("Report", "レポート"),
            "language": Bilingual("Language", "言語"),
            "formats": Bilingual("Formats", "形式"),
            "notReady": Bilingual(
                "Not ready to publish; complete first:", "公表の準備ができていません。次を完了してください："),
            "draft": Bilingual("Draft with each gap marked:", "不足箇所を明示した下書き："),
            "show": Bilingual("Show", "表示"),
            "asOfField": Bilingual("As of", "基準日"),
        ],
        """
        {{> head}}
        <p>{{labels.intro}}</p>
        <form class="inline" method="get" action="/reports">
        <div><label for="as_of">{{labels.asOfField}}</label><input id="as_of" name="as_of" type="date" value="{{page.asOf}}"></div>
        {{> lang_field}}
        <div><button type="submit">{{labels.show}}</button></div>
        </form>
        {{#page.sections}}
        {{#organization}}<h2>{{.}}</h2>{{/organization}}
        <div class="table-wrap"><table>
        <thead><tr><th scope="col">{{labels.report}}</th><th scope="col">{{labels.language}}</th><th scope="col">{{labels.formats}}</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr><th scope="row">{{title}}</th><td>{{language}}</td><td>
        {{#links}}<a class="button" href="{{href}}"{{#download}} download="{{.}}"{{/download}}>{{label}}</a> {{/links}}
        {{^empty(blockers)}}
        <p class="warning">{{labels.notReady}}</p>
        <ul>{{#blockers}}<li>{{.}}</li>{{/blockers}}</ul>
        <p>{{labels.draft}} {{#drafts}}<a href="{{href}}"{{#download}} download="{{.}}"{{/download}}>{{label}}</a> {{/drafts}}</p>
        {{/empty(blockers)}}
        </td></tr>
        {{/rows}}
        </tbody>
        </table></div>
        {{/page.sections}}
        {{> foot}}
        """)
}
