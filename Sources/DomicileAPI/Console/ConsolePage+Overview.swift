import DomicileCore
import DomicileStore
import Foundation

/// `/`: the organization(s), the registry revision and day; findings by severity; what falls
/// due in the next 90 days (`DueList`, as `domicile due`); the countries where data lives.
///
/// The pattern every page follows: a model (plain structs of display strings and links),
/// built from one store snapshot inside `request.read`, drawn by the page's template.
extension ConsolePages {
    static let overview = ConsolePage { request in
        let view = request.view
        let today = request.today
        return try await request.read { store in
            let snapshot = try store.snapshot(asOf: today)
            let model = Overview(snapshot, view: view)
            return Overview.template.render(model, title: Overview.template.label("title", view.language), view)
        }
    }
}

struct Overview {
    struct OrganizationRow {
        let anchor: String
        let name: String
        let key: String
        let country: String
    }

    struct SeverityCard {
        let label: String
        let className: String
        let count: Int
        let href: String
    }

    struct FindingRow {
        let severity: String
        let className: String
        let rule: String
        let ruleHref: String
        let subject: String
        let subjectHref: String?
        let message: String
    }

    struct DueRow {
        let date: String
        let overdue: Bool
        let kind: String
        let subject: String
        let subjectHref: String?
        let what: String
        let owner: String
    }

    struct CountryRow {
        let code: String
        let name: String
        let href: String
        let records: Int
        let ppcEquivalent: String
        let euAdequacy: String
        let law: String
        let localization: String
        let confidence: String
    }

    let organizations: [OrganizationRow]
    let revision: Int64
    let asOf: String
    let severities: [SeverityCard]
    let findings: [FindingRow]
    /// How many findings are not listed here (nil: none).
    let moreFindings: Int?
    let checkHref: String
    let due: [DueRow]
    let dueUntil: String
    let countries: [CountryRow]

    /// Findings listed here at most (all are on the check page).
    static let findingLimit = 20

    init(_ snapshot: RegistrySnapshot, view: ConsoleView) {
        let language = view.language
        organizations = snapshot.organizations.map { organization in
            OrganizationRow(
                anchor: "organization-" + organization.key, name: view.value(organization.name, ja: organization.nameJa),
                key: organization.key, country: Self.countryName(organization.country, snapshot, view))
        }
        revision = snapshot.revision
        asOf = snapshot.asOf.description
        checkHref = view.href("/check")

        let allFindings = ConsoleChecks.run(snapshot).flatMap(\.report.findings)
        let ordered = allFindings.sorted { ($0.severity, $1.rule.id, $1.subject) > ($1.severity, $0.rule.id, $0.subject) }
        severities = [Severity.error, .warning].map { severity in
            SeverityCard(
                label: (severity == .error ? Bilingual("errors", "件のエラー") : Bilingual("warnings", "件の警告"))(language), className: severity.rawValue,
                count: allFindings.filter { $0.severity == severity }.count,
                href: view.href("/check") + "#severity-" + severity.rawValue)
        }
        findings = ordered.prefix(Self.findingLimit).map { finding in
            FindingRow(
                severity: ConsoleRules.severity(finding.severity, language), className: finding.severity.rawValue,
                rule: ConsoleRules.title(finding.rule, language), ruleHref: ConsoleLinks.rule(finding.rule.id, view),
                subject: finding.subject, subjectHref: ConsoleLinks.record(kind: finding.kind, key: finding.key, in: snapshot, view),
                message: finding.message)
        }
        moreFindings = ordered.count > Self.findingLimit ? ordered.count - Self.findingLimit : nil

        let until = snapshot.asOf.adding(days: 90)
        dueUntil = until.description
        due = DueList(snapshot, until: until).items.map { item in
            DueRow(
                date: item.date.description, overdue: item.overdue, kind: Self.dueKinds[item.kind].map { $0(language) } ?? item.kind.rawValue,
                subject: item.entity + "/" + item.key,
                subjectHref: ConsoleLinks.record(kind: item.entity, key: item.key, in: snapshot, view),
                what: item.what, owner: item.owner ?? "")
        }

        // Every country a residency (or a sub-entrustee) names, with how many records name it.
        var counts: [String: Int] = [:]
        for residency in snapshot.residencies {
            for code in Set([residency.country].compactMap { $0 } + (residency.undisclosed?.candidates ?? [])) { counts[code, default: 0] += 1 }
        }
        for entrustment in snapshot.entrustments {
            for code in Set(entrustment.subEntrustees.flatMap(\.countries)) { counts[code, default: 0] += 1 }
        }
        countries = counts.keys.sorted().map { code in
            let regime = snapshot.country(code)?.regime
            let value = { (text: String?) in ConsoleRules.regimeValue(text ?? "not_asserted", language) }
            return CountryRow(
                code: code, name: Self.countryName(code, snapshot, view), href: ConsoleLinks.country(code, view),
                records: counts[code] ?? 0, ppcEquivalent: value(regime?.ppcEquivalent), euAdequacy: value(regime?.euAdequacy),
                law: value(regime?.comprehensiveLaw), localization: value(regime?.localization),
                confidence: value(regime?.confidence ?? "not_recorded"))
        }
    }

    static func countryName(_ code: String, _ snapshot: RegistrySnapshot, _ view: ConsoleView) -> String {
        view.ja ? snapshot.countryNameJa(code) : snapshot.countryName(code)
    }

    static let dueKinds: [DueList.Kind: Bilingual] = [
        .contractExpiry: Bilingual("Contract ends", "契約終了"),
        .contractNotice: Bilingual("Notice deadline", "解約通知期限"),
        .dpaExpiry: Bilingual("DPA ends", "DPA 終了"),
        .review: Bilingual("Review due", "見直し期限"),
        .transferCheck: Bilingual("Art. 18 check due", "規則 18 条の確認期限"),
        .retentionEnd: Bilingual("Record retention ends", "記録の保存期間満了"),
    ]

    static let template = ConsoleTemplate(
        "overview",
        labels: [
            "title": Bilingual("Overview", "概要"),
            "organizations": Bilingual("Organizations", "組織"),
            "organization": Bilingual("Organization", "組織"),
            "key": Bilingual("Key", "キー"),
            "country": Bilingual("Country", "国・地域"),
            "findings": Bilingual("Findings", "指摘事項"),
            "severity": Bilingual("Severity", "重大度"),
            "rule": Bilingual("Rule", "ルール"),
            "record": Bilingual("Record", "レコード"),
            "message": Bilingual("Message", "内容"),
            "noFindings": Bilingual("No findings: every rule passes.", "指摘事項はありません。すべてのルールを満たしています。"),
            "allFindings": Bilingual("All findings on the check page", "すべての指摘事項はチェックのページへ"),
            "more": Bilingual("more", "件ほか"),
            "due": Bilingual("Falling due", "期限が近いもの"),
            "dueIntro": Bilingual(
                "Contracts, reviews, Art. 18 checks and record retention falling due until",
                "契約、見直し、規則 18 条の確認、記録の保存期間で期限が次の日までに来るもの："),
            "date": Bilingual("Date", "期日"),
            "what": Bilingual("What", "内容"),
            "kind": Bilingual("Kind", "種類"),
            "owner": Bilingual("Owner", "担当"),
            "overdue": Bilingual("overdue", "期限超過"),
            "nothingDue": Bilingual("Nothing falls due in the next 90 days.", "今後 90 日以内に期限が来るものはありません。"),
            "countries": Bilingual("Where data lives", "データの所在国"),
            "countriesIntro": Bilingual(
                "Countries named by a location or a sub-entrustee, with their regime as recorded (\"not asserted\" means no source says).",
                "保存場所または再委託先が示す国と、その制度の記録（「記録なし」は出典がないことを示します）。"),
            "records": Bilingual("Records", "件数"),
            "ppcEquivalent": Bilingual("PPC-designated equivalent", "個人情報保護委員会の認定"),
            "euAdequacy": Bilingual("EU adequacy", "EU 十分性認定"),
            "law": Bilingual("Comprehensive law", "包括的な法律"),
            "localization": Bilingual("Localization", "国内保存義務"),
            "confidence": Bilingual("Confidence", "確度"),
        ],
        """
        {{> head}}
        <dl class="facts">
        <dt>{{labels.revision}}</dt><dd>{{page.revision}}</dd>
        <dt>{{labels.asOf}}</dt><dd>{{page.asOf}}</dd>
        </dl>
        <section aria-labelledby="organizations">
        <h2 id="organizations">{{labels.organizations}}</h2>
        <div class="table-wrap"><table>
        <thead><tr><th scope="col">{{labels.organization}}</th><th scope="col">{{labels.key}}</th><th scope="col">{{labels.country}}</th></tr></thead>
        <tbody>
        {{#page.organizations}}
        <tr id="{{anchor}}"><th scope="row">{{name}}</th><td>{{key}}</td><td>{{country}}</td></tr>
        {{/page.organizations}}
        </tbody>
        </table></div>
        </section>
        <section aria-labelledby="findings">
        <h2 id="findings">{{labels.findings}}</h2>
        <ul class="cards">
        {{#page.severities}}
        <li class="card"><a href="{{href}}"><span class="count {{className}}">{{count}}</span> {{label}}</a></li>
        {{/page.severities}}
        </ul>
        {{^empty(page.findings)}}
        <div class="table-wrap"><table>
        <thead><tr><th scope="col">{{labels.severity}}</th><th scope="col">{{labels.rule}}</th><th scope="col">{{labels.record}}</th><th scope="col">{{labels.message}}</th></tr></thead>
        <tbody>
        {{#page.findings}}
        <tr><td><span class="badge {{className}}">{{severity}}</span></td><td><a href="{{ruleHref}}">{{rule}}</a></td>
        <td>{{#subjectHref}}<a href="{{.}}">{{subject}}</a>{{/subjectHref}}{{^subjectHref}}{{subject}}{{/subjectHref}}</td><td>{{message}}</td></tr>
        {{/page.findings}}
        </tbody>
        </table></div>
        {{/empty(page.findings)}}
        {{#empty(page.findings)}}<p class="ok">{{labels.noFindings}}</p>{{/empty(page.findings)}}
        <p><a href="{{page.checkHref}}">{{labels.allFindings}}</a>{{#page.moreFindings}} (+{{page.moreFindings}} {{labels.more}}){{/page.moreFindings}}</p>
        </section>
        <section aria-labelledby="due">
        <h2 id="due">{{labels.due}}</h2>
        <p>{{labels.dueIntro}} {{page.dueUntil}}.</p>
        {{^empty(page.due)}}
        <div class="table-wrap"><table>
        <thead><tr><th scope="col">{{labels.date}}</th><th scope="col">{{labels.kind}}</th><th scope="col">{{labels.record}}</th><th scope="col">{{labels.what}}</th><th scope="col">{{labels.owner}}</th></tr></thead>
        <tbody>
        {{#page.due}}
        <tr><td>{{date}}{{#overdue}} <span class="badge error">{{labels.overdue}}</span>{{/overdue}}</td><td>{{kind}}</td>
        <td>{{#subjectHref}}<a href="{{.}}">{{subject}}</a>{{/subjectHref}}{{^subjectHref}}{{subject}}{{/subjectHref}}</td><td>{{what}}</td><td>{{owner}}</td></tr>
        {{/page.due}}
        </tbody>
        </table></div>
        {{/empty(page.due)}}
        {{#empty(page.due)}}<p>{{labels.nothingDue}}</p>{{/empty(page.due)}}
        </section>
        <section aria-labelledby="countries">
        <h2 id="countries">{{labels.countries}}</h2>
        <p>{{labels.countriesIntro}}</p>
        <div class="table-wrap"><table>
        <thead><tr><th scope="col">{{labels.country}}</th><th scope="col">{{labels.records}}</th><th scope="col">{{labels.ppcEquivalent}}</th><th scope="col">{{labels.euAdequacy}}</th><th scope="col">{{labels.law}}</th><th scope="col">{{labels.localization}}</th><th scope="col">{{labels.confidence}}</th></tr></thead>
        <tbody>
        {{#page.countries}}
        <tr><th scope="row"><a href="{{href}}">{{name}}</a> ({{code}})</th><td>{{records}}</td><td>{{ppcEquivalent}}</td><td>{{euAdequacy}}</td><td>{{law}}</td><td>{{localization}}</td><td>{{confidence}}</td></tr>
        {{/page.countries}}
        </tbody>
        </table></div>
        </section>
        {{> foot}}
        """)
}
