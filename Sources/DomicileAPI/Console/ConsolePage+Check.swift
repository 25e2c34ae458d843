import DomicileCore
import DomicileStore
import Foundation

/// `/check`: `domicile check` (without `--policy`) as of a day, its findings grouped by rule,
/// each linking to the record at fault; every rule with its legal basis, as the rule states it
/// (`CheckRule`, the text docs/checks.md explains at length), at the anchor `#rule-ID` that
/// findings elsewhere link to.
extension ConsolePages {
    static let check = ConsolePage(parameters: ["as_of"]) { request in
        let view = request.view
        let asOf = try request.query.day("as_of")
        let day = asOf ?? request.today
        return try await request.read { store in
            let snapshot = try store.snapshot(asOf: day)
            let model = CheckPage(snapshot, asOf: asOf, view: view)
            return CheckPage.template.render(model, title: CheckPage.template.label("title", view.language), view)
        }
    }
}

/// `domicile check` for each organization of the snapshot (a check speaks for one), or for
/// the whole registry when it holds one organization or none.
enum ConsoleChecks {
    static func run(_ snapshot: RegistrySnapshot) -> [(organization: RegistrySnapshot.Organization?, report: CheckReport)] {
        guard snapshot.organizations.count > 1 else { return [(snapshot.organizations.first, CheckReport(snapshot: snapshot))] }
        return snapshot.organizations.map { ($0, CheckReport(snapshot: snapshot.restricted(toOrganization: $0.key))) }
    }
}

struct CheckPage {
    struct FindingRow {
        let organization: String?
        let subject: String
        let subjectHref: String?
        let message: String
    }

    struct RuleBlock {
        let anchor: String
        let id: String
        let title: String
        let severity: String
        let className: String
        let basis: String
        let count: Int
        let findings: [FindingRow]
        /// The registry holds several organizations: each finding names its own.
        let byOrganization: Bool
    }

    struct SeverityGroup {
        let anchor: String
        let label: String
        let className: String
        let count: Int
        let rules: [RuleBlock]
    }

    let asOf: String
    let revision: Int64
    let groups: [SeverityGroup]
    let passing: [RuleBlock]
    let policyRules: [RuleBlock]
    /// `/v1/check` for the same day (nil with several organizations: it checks one at a time).
    let jsonHref: String?

    init(_ snapshot: RegistrySnapshot, asOf: Day?, view: ConsoleView) {
        let language = view.language
        self.asOf = snapshot.asOf.description
        revision = snapshot.revision
        let runs = ConsoleChecks.run(snapshot)
        let several = runs.count > 1
        var byRule: [String: [FindingRow]] = [:]
        for run in runs {
            for finding in run.report.findings {
                byRule[finding.rule.id, default: []].append(
                    FindingRow(
                        organization: several ? run.organization.map { view.value($0.name, ja: $0.nameJa) } : nil,
                        subject: finding.subject,
                        subjectHref: ConsoleLinks.record(kind: finding.kind, key: finding.key, in: snapshot, view),
                        message: finding.message))
            }
        }
        func block(_ rule: CheckRule) -> RuleBlock {
            RuleBlock(
                anchor: "rule-" + rule.id, id: rule.id, title: ConsoleRules.title(rule, language),
                severity: ConsoleRules.severity(rule.severity, language), className: rule.severity.rawValue, basis: rule.basis,
                count: byRule[rule.id]?.count ?? 0, findings: byRule[rule.id] ?? [], byOrganization: several)
        }
        let rules = CheckRule.all.filter { !$0.needsPolicy }
        groups = [Severity.error, .warning].map { severity in
            let blocks = rules.filter { $0.severity == severity && byRule[$0.id] != nil }.map(block)
            return SeverityGroup(
                anchor: "severity-" + severity.rawValue,
                label: severity == .error ? Bilingual("Errors", "エラー")(language) : Bilingual("Warnings", "警告")(language),
                className: severity.rawValue, count: blocks.map(\.count).reduce(0, +), rules: blocks)
        }
        passing = rules.filter { byRule[$0.id] == nil }.map(block)
        policyRules = CheckRule.all.filter(\.needsPolicy).map(block)
        var query: [(String, String)] = []
        if let asOf { query.append(("as_of", asOf.description)) }
        jsonHref = several ? nil : ConsoleView.href("/v1/check", query, language: nil)
    }

    static let template = ConsoleTemplate(
        "check",
        labels: [
            "title": Bilingual("Check", "チェック"),
            "intro": Bilingual(
                "Every rule of domicile check, run on the registry as of the day below. Each finding links to the record at fault; each rule states its legal basis.",
                "domicile check のすべてのルールを、下記の基準日の台帳に対して実行した結果です。指摘事項は該当するレコードに、ルールは法的根拠にリンクしています。"),
            "asOfField": Bilingual("As of", "基準日"),
            "show": Bilingual("Show", "表示"),
            "json": Bilingual("The same findings as JSON (GET /v1/check)", "同じ結果の JSON（GET /v1/check）"),
            "record": Bilingual("Record", "レコード"),
            "message": Bilingual("Message", "内容"),
            "organization": Bilingual("Organization", "組織"),
            "basis": Bilingual("Basis", "根拠"),
            "findingsOf": Bilingual("findings", "件"),
            "noFindings": Bilingual("None.", "ありません。"),
            "passing": Bilingual("Rules without findings", "指摘事項のないルール"),
            "policy": Bilingual(
                "Rules that compare a privacy policy with the registry (run with domicile check --policy FILE)",
                "プライバシーポリシーと台帳を照合するルール（domicile check --policy FILE で実行）"),
            "rule": Bilingual("Rule", "ルール"),
            "severity": Bilingual("Severity", "重大度"),
            "source": Bilingual(
                "Rule texts and their legal reasoning: docs/checks.md in Domicile's source, one section per rule ID. References: APPI as in force from 1 April 2022; GL = PPC General Rules Guideline; Q&A = PPC APPI Q&A; Rules = PPC Enforcement Rules; TBA = Telecommunications Business Act.",
                "ルールの説明と法的な理由：Domicile のソースの docs/checks.md（ルール ID ごとの節）。参照：2022 年 4 月 1 日施行の個人情報保護法、GL＝個人情報保護委員会ガイドライン（通則編）、Q&A＝同 Q&A、Rules＝施行規則、TBA＝電気通信事業法。"),
        ],
        """
        {{> head}}
        <p>{{labels.intro}}</p>
        <form class="inline" method="get" action="/check">
        <div><label for="as_of">{{labels.asOfField}}</label><input id="as_of" name="as_of" type="date" value="{{page.asOf}}"></div>
        {{> lang_field}}
        <div><button type="submit">{{labels.show}}</button></div>
        </form>
        <dl class="facts">
        <dt>{{labels.revision}}</dt><dd>{{page.revision}}</dd>
        <dt>{{labels.asOf}}</dt><dd>{{page.asOf}}</dd>
        </dl>
        {{#page.jsonHref}}<p><a href="{{.}}">{{labels.json}}</a></p>{{/page.jsonHref}}
        {{#page.groups}}
        <section aria-labelledby="{{anchor}}">
        <h2 id="{{anchor}}"><span class="{{className}}">{{label}}</span> ({{count}})</h2>
        {{#empty(rules)}}<p>{{labels.noFindings}}</p>{{/empty(rules)}}
        {{#rules}}
        <section aria-labelledby="{{anchor}}">
        <h3 id="{{anchor}}">{{title}} <code>{{id}}</code> <span class="badge {{className}}">{{severity}}</span> — {{count}} {{labels.findingsOf}}</h3>
        <p class="muted">{{labels.basis}}: {{basis}}</p>
        <div class="table-wrap"><table>
        <thead><tr>{{#byOrganization}}<th scope="col">{{labels.organization}}</th>{{/byOrganization}}<th scope="col">{{labels.record}}</th><th scope="col">{{labels.message}}</th></tr></thead>
        <tbody>
        {{#findings}}
        <tr>{{#organization}}<td>{{.}}</td>{{/organization}}<td>{{#subjectHref}}<a href="{{.}}">{{subject}}</a>{{/subjectHref}}{{^subjectHref}}{{subject}}{{/subjectHref}}</td><td>{{message}}</td></tr>
        {{/findings}}
        </tbody>
        </table></div>
        </section>
        {{/rules}}
        </section>
        {{/page.groups}}
        <section aria-labelledby="passing">
        <h2 id="passing">{{labels.passing}}</h2>
        <div class="table-wrap"><table>
        <thead><tr><th scope="col">{{labels.rule}}</th><th scope="col">{{labels.severity}}</th><th scope="col">{{labels.basis}}</th></tr></thead>
        <tbody>
        {{#page.passing}}
        <tr id="{{anchor}}"><th scope="row">{{title}} <code>{{id}}</code></th><td>{{severity}}</td><td>{{basis}}</td></tr>
        {{/page.passing}}
        </tbody>
        </table></div>
        <h3>{{labels.policy}}</h3>
        <div class="table-wrap"><table>
        <thead><tr><th scope="col">{{labels.rule}}</th><th scope="col">{{labels.severity}}</th><th scope="col">{{labels.basis}}</th></tr></thead>
        <tbody>
        {{#page.policyRules}}
        <tr id="{{anchor}}"><th scope="row">{{title}} <code>{{id}}</code></th><td>{{severity}}</td><td>{{basis}}</td></tr>
        {{/page.policyRules}}
        </tbody>
        </table></div>
        <p class="muted">{{labels.source}}</p>
        </section>
        {{> foot}}
        """)
}
