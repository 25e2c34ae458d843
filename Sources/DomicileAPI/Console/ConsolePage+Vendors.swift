import DomicileCore
import DomicileStore
import Foundation

/// `/vendors`: every vendor, searchable and filtered by kind, country, risk tier and status
/// (a GET form: works without script); `/vendors/{key}`: one vendor — its details,
/// residencies, entrustments and contracts, the sub-entrustee chain (drawn, and as a list),
/// assessments with completion and open items, findings, and its audit history.
///
/// The data comes from `ConsoleVendorData` (store snapshot, `Compliance`, `CheckReport`,
/// `Store.audit`); a vendor is named as `/v1/vendors/{id}` names it (`NameResolver`).
extension ConsolePages {
    static let vendors = ConsolePage(parameters: ["q", "kind", "country", "risk_tier", "status", "as_of"]) { request in
        let view = request.view
        let lang = ReportLanguage(rawValue: request.language.rawValue) ?? .en
        let query = request.query
        var filter = ConsoleVendorData.ListFilter()
        filter.text = try ConsoleVendorData.Form.text(query, "q")
        filter.kind = try ConsoleVendorData.Form.choice(query, "kind", RegistrySnapshot.VendorKind.allCases.map(\.rawValue))
            .flatMap(RegistrySnapshot.VendorKind.init(rawValue:))
        filter.riskTier = try ConsoleVendorData.Form.choice(query, "risk_tier", RegistrySnapshot.RiskTier.allCases.map(\.rawValue))
            .flatMap(RegistrySnapshot.RiskTier.init(rawValue:))
        let status = try ConsoleVendorData.Form.choice(query, "status", ConsoleVendorData.Status.allCases.map(\.rawValue) + ["all"])
        filter.status = status == "all" ? nil : status.flatMap(ConsoleVendorData.Status.init(rawValue:)) ?? .active
        let country = try ConsoleVendorData.Form.text(query, "country")
        let asOf = try ConsoleVendorData.Form.day(query, "as_of")
        let day = asOf ?? request.today
        let given = filter
        return try await request.read { store in
            var filter = given
            if let country {
                filter.country = try store.nameResolver(.country).resolve(country, field: "country")
            }
            let list = try ConsoleVendorData.list(store, filter: filter, day: day, lang: lang, link: { ConsoleLinks.vendor($0, view) })
            let model = VendorListView(
                list: list, q: filter.text ?? "", asOf: asOf?.description ?? "",
                count: VendorListView.count(list.rows.count, of: list.total, view.language),
                resetHref: view.href("/vendors"))
            return VendorListView.template.render(model, title: VendorListView.template.label("title", view.language), view)
        }
    }

    static let vendor = ConsolePage(parameters: ["as_of"]) { request in
        let view = request.view
        let lang = ReportLanguage(rawValue: request.language.rawValue) ?? .en
        let id = request.endpoint.path["key"] ?? ""
        let asOf = try ConsoleVendorData.Form.day(request.query, "as_of")
        let day = asOf ?? request.today
        return try await request.read { store in
            guard let key = try ConsoleVendorData.resolveVendor(store, id),
                let page = try ConsoleVendorData.vendor(
                    store, key: key, day: day, lang: lang, link: { ConsoleLinks.vendor($0, view) },
                    ruleLink: { ConsoleLinks.rule($0, view) })
            else {
                throw APIError(
                    .notFound, code: "input.unknown_vendor",
                    message: Bilingual("No vendor is named “\(id)”.", "「\(id)」という委託先・提供先は登録されていません。")(view.language),
                    field: "key", value: id)
            }
            let model = VendorView(
                page: page, asOf: asOf?.description ?? "", hasAssessments: !page.assessments.isEmpty,
                findingsNote: view.ja ? "指摘の本文（内容）は英語で記述されています。" : nil,
                auditHref: view.href("/audit", [("entity", "vendor"), ("key", page.key)]),
                listHref: view.href("/vendors"), formAction: ConsoleLinks.vendor(page.key, view).split(separator: "?").first.map(String.init) ?? "")
            return VendorView.template.render(model, title: page.name, view)
        }
    }
}

/// Reading a GET form's fields: an empty field (the form sends `name=`) is no filter.
extension ConsoleVendorData {
    enum Form {
        static func text(_ query: QueryParameters, _ name: String, maximum: Int = 200) throws -> String? {
            guard let value = query[name], !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            return try query.text(name, maximum: maximum)?.trimmingCharacters(in: .whitespaces)
        }

        static func choice(_ query: QueryParameters, _ name: String, _ allowed: [String]) throws -> String? {
            guard let value = query[name], !value.isEmpty else { return nil }
            return try query.choice(name, allowed)
        }

        static func day(_ query: QueryParameters, _ name: String) throws -> Day? {
            guard let value = query[name], !value.isEmpty else { return nil }
            return try query.day(name)
        }
    }
}

struct VendorListView {
    let list: ConsoleVendorData.ListPage
    let q: String
    let asOf: String
    let count: String
    let resetHref: String

    static func count(_ shown: Int, of total: Int, _ language: ConsoleLanguage) -> String {
        language == .ja ? "\(total)件中\(shown)件" : "\(shown) of \(total) vendor\(total == 1 ? "" : "s")"
    }

    static let template = ConsoleTemplate(
        "vendors",
        labels: [
            "title": Bilingual("Vendors", "委託先・提供先"),
            "filters": Bilingual("Filter vendors", "絞り込み"),
            "search": Bilingual("Name, key or alias", "名称・キー・別名"),
            "kind": Bilingual("Kind", "種別"),
            "anyKind": Bilingual("Any kind", "すべての種別"),
            "country": Bilingual("Country", "国・地域"),
            "anyCountry": Bilingual("Any country", "すべての国・地域"),
            "riskTier": Bilingual("Risk tier", "リスク区分"),
            "anyTier": Bilingual("Any tier", "すべての区分"),
            "status": Bilingual("Status", "状況"),
            "apply": Bilingual("Show", "表示"),
            "reset": Bilingual("Clear filters", "条件をクリア"),
            "name": Bilingual("Name", "名称"),
            "kinds": Bilingual("Kinds", "種別"),
            "headquarters": Bilingual("Headquarters", "本社所在国"),
            "countries": Bilingual("Where its data is", "データの所在国"),
            "noneFound": Bilingual("No vendor matches these filters.", "条件に合う委託先・提供先はありません。"),
            "countryHint": Bilingual(
                "A country matches the headquarters, the contracting entity's country, and every country the vendor's data reaches.",
                "国・地域は、本社所在国・契約相手の所在国・データが所在するすべての国に一致します。"),
        ],
        """
        {{> head}}
        <form class="inline" method="get" action="/vendors" id="vendor-filters" role="search" aria-label="{{labels.filters}}">
        {{> lang_field}}
        <div><label for="vendor-q">{{labels.search}}</label><input type="search" id="vendor-q" name="q" value="{{page.q}}"></div>
        <div><label for="vendor-kind">{{labels.kind}}</label><select id="vendor-kind" name="kind">
        <option value="">{{labels.anyKind}}</option>
        {{#page.list.kinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/page.list.kinds}}
        </select></div>
        <div><label for="vendor-country">{{labels.country}}</label><select id="vendor-country" name="country" aria-describedby="vendor-country-hint">
        <option value="">{{labels.anyCountry}}</option>
        {{#page.list.countries}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/page.list.countries}}
        </select></div>
        <div><label for="vendor-risk">{{labels.riskTier}}</label><select id="vendor-risk" name="risk_tier">
        <option value="">{{labels.anyTier}}</option>
        {{#page.list.riskTiers}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/page.list.riskTiers}}
        </select></div>
        <div><label for="vendor-status">{{labels.status}}</label><select id="vendor-status" name="status">
        {{#page.list.statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/page.list.statuses}}
        </select></div>
        <div><label for="vendor-as-of">{{labels.asOf}}</label><input type="date" id="vendor-as-of" name="as_of" value="{{page.asOf}}"></div>
        <div><button type="submit" id="vendor-apply">{{labels.apply}}</button></div>
        <div><a href="{{page.resetHref}}" id="vendor-reset">{{labels.reset}}</a></div>
        </form>
        <p class="muted" id="vendor-country-hint">{{labels.countryHint}}</p>
        <p id="vendor-count" role="status">{{page.count}} · {{labels.asOf}} {{page.list.asOf}}</p>
        {{^empty(page.list.rows)}}
        <div class="table-wrap">
        <table id="vendor-table">
        <caption>{{labels.title}}</caption>
        <thead><tr><th scope="col">{{labels.name}}</th><th scope="col">{{labels.kinds}}</th><th scope="col">{{labels.headquarters}}</th><th scope="col">{{labels.countries}}</th><th scope="col">{{labels.riskTier}}</th><th scope="col">{{labels.status}}</th></tr></thead>
        <tbody>
        {{/empty(page.list.rows)}}
        {{#page.list.rows}}
        <tr id="vendor-{{key}}"><th scope="row"><a href="{{href}}">{{name}}</a>{{#legalName}}<br><span class="muted" lang="en">{{.}}</span>{{/legalName}}</th><td>{{kinds}}</td><td>{{headquarters}}</td><td>{{countries}}</td><td data-value="{{riskTierValue}}">{{riskTier}}</td><td data-value="{{statusValue}}">{{status}}</td></tr>
        {{/page.list.rows}}
        {{^empty(page.list.rows)}}
        </tbody>
        </table>
        </div>
        {{/empty(page.list.rows)}}
        {{^page.list.rows}}<p class="notice" id="vendor-none">{{labels.noneFound}}</p>{{/page.list.rows}}
        {{> foot}}
        """)
}

struct VendorView {
    let page: ConsoleVendorData.VendorPage
    let asOf: String
    let hasAssessments: Bool
    /// In Japanese: that the findings' text is English (the rules are written in English).
    let findingsNote: String?
    let auditHref: String
    let listHref: String
    /// The as-of form's action: this page's path.
    let formAction: String

    static let template = ConsoleTemplate(
        "vendor",
        labels: [
            "backToList": Bilingual("All vendors", "委託先・提供先の一覧"),
            "status": Bilingual("Status", "状況"),
            "show": Bilingual("Show", "表示"),
            "details": Bilingual("Details", "基本情報"),
            "residencies": Bilingual("Where it keeps data", "データの保管場所"),
            "noResidencies": Bilingual("No residency is recorded for this vendor.", "この委託先・提供先の保管場所は記録されていません。"),
            "service": Bilingual("Service", "サービス"),
            "role": Bilingual("Role", "役割"),
            "place": Bilingual("Country", "国・地域"),
            "region": Bilingual("Region", "リージョン"),
            "categories": Bilingual("Data categories", "データ項目"),
            "verifiedOn": Bilingual("Verified on", "確認日"),
            "source": Bilingual("Source", "根拠資料"),
            "entrustments": Bilingual("Entrustments and contracts", "委託と契約"),
            "noEntrustments": Bilingual("No entrustment to this vendor is in force.", "この委託先への委託はありません。"),
            "description": Bilingual("Work", "業務内容"),
            "purposes": Bilingual("Purposes", "利用目的"),
            "reference": Bilingual("Contract", "契約"),
            "contractDates": Bilingual("Contract dates", "契約期間"),
            "contractState": Bilingual("Contract status", "契約の状況"),
            "dpa": Bilingual("DPA dates", "DPAの期間"),
            "dpaState": Bilingual("DPA status", "DPAの状況"),
            "renewal": Bilingual("Renewal", "契約更新"),
            "noticeDeadline": Bilingual("Last day to give notice", "解約予告の期限"),
            "reentrustment": Bilingual("Re-entrustment", "再委託"),
            "transferBasis": Bilingual("Transfer basis (APPI Art. 28)", "越境移転の根拠（個人情報保護法28条）"),
            "subEntrustees": Bilingual("Sub-entrustees", "再委託先"),
            "subEntrustments": Bilingual("Works as a sub-entrustee", "再委託先としての業務"),
            "entrustment": Bilingual("Entrustment", "委託"),
            "entrustee": Bilingual("Entrustee", "委託先"),
            "via": Bilingual("Works for", "委託元"),
            "countries": Bilingual("Countries", "国・地域"),
            "work": Bilingual("Work", "業務"),
            "approvedOn": Bilingual("Approved on", "承認日"),
            "received": Bilingual("Provisions and transmissions it receives", "受け取る第三者提供・外部送信"),
            "kind": Bilingual("Kind", "種別"),
            "what": Bilingual("Purpose or tool", "目的・ツール"),
            "basis": Bilingual("Basis", "根拠"),
            "chain": Bilingual("Sub-entrustee chain", "再委託の連鎖"),
            "chainList": Bilingual("The chain as a list", "連鎖の一覧"),
            "noChain": Bilingual("No sub-entrustee works for this vendor.", "この委託先の再委託先は記録されていません。"),
            "path": Bilingual("Chain", "連鎖"),
            "recordedIn": Bilingual("Recorded in", "記録している委託"),
            "loop": Bilingual("loop: already above", "循環: 上位に同じ委託先"),
            "assessments": Bilingual("Assessments", "評価"),
            "review": Bilingual("Next review", "次回の見直し"),
            "noAssessments": Bilingual("This vendor has not been assessed.", "この委託先・提供先の評価は記録されていません。"),
            "assessedOn": Bilingual("Assessed on", "評価日"),
            "assessor": Bilingual("Assessor", "評価者"),
            "nextReviewOn": Bilingual("Next review on", "次回見直し日"),
            "completion": Bilingual("Completion", "達成率"),
            "counts": Bilingual("met / partial / unmet / unanswered / not applicable", "実施済み / 一部実施 / 未実施 / 未回答 / 対象外"),
            "openItems": Bilingual("Open items", "未完了の項目"),
            "noOpenItems": Bilingual("Every item is met or not applicable.", "すべての項目が実施済みまたは対象外です。"),
            "item": Bilingual("Item", "項目"),
            "itemTitle": Bilingual("Measure", "措置"),
            "answer": Bilingual("Answer", "回答"),
            "mandatory": Bilingual("Mandatory", "必須"),
            "yes": Bilingual("yes", "必須"),
            "note": Bilingual("Note", "メモ"),
            "findings": Bilingual("Findings", "チェック結果"),
            "noFindings": Bilingual("No finding about this vendor.", "この委託先・提供先に関する指摘はありません。"),
            "severity": Bilingual("Severity", "重要度"),
            "rule": Bilingual("Rule", "ルール"),
            "record": Bilingual("Record", "対象"),
            "message": Bilingual("Finding", "内容"),
            "history": Bilingual("History", "変更履歴"),
            "noHistory": Bilingual("No change is recorded.", "変更の記録はありません。"),
            "allHistory": Bilingual("All changes to this vendor", "この委託先・提供先のすべての変更"),
            "at": Bilingual("When (UTC)", "日時（UTC）"),
            "actor": Bilingual("Who", "実行者"),
            "action": Bilingual("Change", "操作"),
            "changes": Bilingual("What changed", "変更内容"),
        ],
        """
        {{> head}}
        <p><a href="{{page.listHref}}">{{labels.backToList}}</a></p>
        <form class="inline" method="get" action="{{page.formAction}}" id="vendor-as-of-form">
        {{> lang_field}}
        <div><label for="vendor-as-of">{{labels.asOf}}</label><input type="date" id="vendor-as-of" name="as_of" value="{{page.asOf}}"></div>
        <div><button type="submit">{{labels.show}}</button></div>
        </form>
        <p id="vendor-status">{{labels.status}}: <strong data-value="{{page.page.statusValue}}">{{page.page.status}}</strong> · {{labels.asOf}} {{page.page.asOf}}</p>

        <h2 id="details">{{labels.details}}</h2>
        <dl class="facts">
        {{#page.page.facts}}<dt>{{label}}</dt><dd>{{#href}}<a href="{{.}}" rel="noopener noreferrer">{{value}}</a>{{/href}}{{^href}}{{value}}{{/href}}</dd>
        {{/page.page.facts}}
        </dl>

        <h2 id="residencies">{{labels.residencies}}</h2>
        {{^empty(page.page.residencies)}}
        <div class="table-wrap"><table id="residency-table">
        <caption>{{labels.residencies}}</caption>
        <thead><tr><th scope="col">{{labels.service}}</th><th scope="col">{{labels.role}}</th><th scope="col">{{labels.place}}</th><th scope="col">{{labels.region}}</th><th scope="col">{{labels.categories}}</th><th scope="col">{{labels.verifiedOn}}</th><th scope="col">{{labels.source}}</th></tr></thead>
        <tbody>
        {{/empty(page.page.residencies)}}
        {{#page.page.residencies}}
        <tr id="{{anchor}}"><th scope="row">{{service}}<br><span class="muted">{{key}}</span></th><td>{{role}}</td><td>{{place}}</td><td>{{region}}</td><td>{{categories}}</td><td>{{verifiedOn}}</td><td>{{source}}</td></tr>
        {{/page.page.residencies}}
        {{^empty(page.page.residencies)}}
        </tbody></table></div>
        {{/empty(page.page.residencies)}}
        {{^page.page.residencies}}<p>{{labels.noResidencies}}</p>{{/page.page.residencies}}

        <h2 id="entrustments">{{labels.entrustments}}</h2>
        {{#page.page.entrustments}}
        <section id="{{anchor}}" aria-labelledby="{{anchor}}-heading">
        <h3 id="{{anchor}}-heading">{{key}} — {{service}}</h3>
        <dl class="facts">
        <dt>{{labels.description}}</dt><dd>{{description}}</dd>
        <dt>{{labels.purposes}}</dt><dd>{{purposes}}</dd>
        <dt>{{labels.categories}}</dt><dd>{{categories}}</dd>
        <dt>{{labels.reference}}</dt><dd>{{reference}}</dd>
        <dt>{{labels.contractDates}}</dt><dd>{{contract}}</dd>
        <dt>{{labels.contractState}}</dt><dd>{{contractState}}</dd>
        <dt>{{labels.dpa}}</dt><dd>{{dpa}}</dd>
        <dt>{{labels.dpaState}}</dt><dd>{{dpaState}}</dd>
        <dt>{{labels.renewal}}</dt><dd>{{renewal}}</dd>
        {{#noticeDeadline}}<dt>{{labels.noticeDeadline}}</dt><dd>{{.}}</dd>{{/noticeDeadline}}
        <dt>{{labels.reentrustment}}</dt><dd>{{reentrustment}}</dd>
        {{#transferBasis}}<dt>{{labels.transferBasis}}</dt><dd>{{.}}</dd>{{/transferBasis}}
        {{#subEntrustees}}<dt>{{labels.subEntrustees}}</dt><dd>{{.}}</dd>{{/subEntrustees}}
        </dl>
        </section>
        {{/page.page.entrustments}}
        {{^page.page.entrustments}}<p>{{labels.noEntrustments}}</p>{{/page.page.entrustments}}

        {{^empty(page.page.subEntrustments)}}
        <h2 id="sub-entrustments">{{labels.subEntrustments}}</h2>
        <div class="table-wrap"><table id="sub-entrustment-table">
        <caption>{{labels.subEntrustments}}</caption>
        <thead><tr><th scope="col">{{labels.entrustment}}</th><th scope="col">{{labels.entrustee}}</th><th scope="col">{{labels.via}}</th><th scope="col">{{labels.countries}}</th><th scope="col">{{labels.work}}</th><th scope="col">{{labels.approvedOn}}</th></tr></thead>
        <tbody>
        {{/empty(page.page.subEntrustments)}}
        {{#page.page.subEntrustments}}
        <tr><th scope="row">{{entrustment}}</th><td>{{#entrusteeHref}}<a href="{{.}}">{{entrustee}}</a>{{/entrusteeHref}}{{^entrusteeHref}}{{entrustee}}{{/entrusteeHref}}</td><td>{{#viaHref}}<a href="{{.}}">{{via}}</a>{{/viaHref}}{{^viaHref}}{{via}}{{/viaHref}}</td><td>{{countries}}</td><td>{{work}}</td><td>{{approvedOn}}</td></tr>
        {{/page.page.subEntrustments}}
        {{^empty(page.page.subEntrustments)}}
        </tbody></table></div>
        {{/empty(page.page.subEntrustments)}}

        {{^empty(page.page.received)}}
        <h2 id="received">{{labels.received}}</h2>
        <div class="table-wrap"><table id="received-table">
        <caption>{{labels.received}}</caption>
        <thead><tr><th scope="col">{{labels.kind}}</th><th scope="col">{{labels.service}}</th><th scope="col">{{labels.what}}</th><th scope="col">{{labels.categories}}</th><th scope="col">{{labels.basis}}</th><th scope="col">{{labels.place}}</th></tr></thead>
        <tbody>
        {{/empty(page.page.received)}}
        {{#page.page.received}}
        <tr id="{{anchor}}"><th scope="row">{{kind}}<br><span class="muted">{{key}}</span></th><td>{{service}}</td><td>{{what}}</td><td>{{categories}}</td><td>{{basis}}</td><td>{{country}}</td></tr>
        {{/page.page.received}}
        {{^empty(page.page.received)}}
        </tbody></table></div>
        {{/empty(page.page.received)}}

        <h2 id="chain">{{labels.chain}}</h2>
        {{^empty(page.page.chain)}}
        <figure class="chain">
        {{{page.page.chainSVG}}}
        <figcaption>
        <h3 id="chain-list-heading">{{labels.chainList}}</h3>
        <div class="table-wrap"><table id="chain-table" aria-labelledby="chain-list-heading">
        <thead><tr><th scope="col">{{labels.path}}</th><th scope="col">{{labels.countries}}</th><th scope="col">{{labels.recordedIn}}</th></tr></thead>
        <tbody>
        {{/empty(page.page.chain)}}
        {{#page.page.chain}}
        <tr><th scope="row">{{path}}{{#href}} (<a href="{{.}}">{{name}}</a>){{/href}}{{#loop}} <span class="warning">({{labels.loop}})</span>{{/loop}}</th><td>{{countries}}</td><td>{{entrustments}}</td></tr>
        {{/page.page.chain}}
        {{^empty(page.page.chain)}}
        </tbody></table></div>
        </figcaption>
        </figure>
        {{/empty(page.page.chain)}}
        {{^page.page.chain}}<p id="chain-none">{{labels.noChain}}</p>{{/page.page.chain}}

        <h2 id="assessments">{{labels.assessments}}</h2>
        {{#page.page.review}}<p id="review">{{labels.review}}: {{.}}</p>{{/page.page.review}}
        {{#page.page.assessments}}
        <section id="{{anchor}}" aria-labelledby="{{anchor}}-heading">
        <h3 id="{{anchor}}-heading">{{template}} ({{assessedOn}})</h3>
        <dl class="facts">
        <dt>{{labels.assessedOn}}</dt><dd>{{assessedOn}}</dd>
        <dt>{{labels.assessor}}</dt><dd>{{assessor}}</dd>
        <dt>{{labels.nextReviewOn}}</dt><dd>{{nextReviewOn}}</dd>
        <dt>{{labels.completion}}</dt><dd><strong class="completion">{{percent}}%</strong> ({{labels.counts}}: {{met}} / {{partial}} / {{unmet}} / {{unanswered}} / {{notApplicable}})</dd>
        </dl>
        {{^empty(openItems)}}
        <div class="table-wrap"><table class="open-items">
        <caption>{{labels.openItems}}</caption>
        <thead><tr><th scope="col">{{labels.item}}</th><th scope="col">{{labels.itemTitle}}</th><th scope="col">{{labels.answer}}</th><th scope="col">{{labels.mandatory}}</th><th scope="col">{{labels.note}}</th></tr></thead>
        <tbody>
        {{/empty(openItems)}}
        {{#openItems}}
        <tr><th scope="row">{{item}}</th><td>{{title}}</td><td data-value="{{statusValue}}">{{status}}</td><td>{{#mandatory}}{{labels.yes}}{{/mandatory}}</td><td>{{note}}</td></tr>
        {{/openItems}}
        {{^empty(openItems)}}
        </tbody></table></div>
        {{/empty(openItems)}}
        {{^openItems}}<p>{{labels.noOpenItems}}</p>{{/openItems}}
        </section>
        {{/page.page.assessments}}
        {{^page.hasAssessments}}<p>{{labels.noAssessments}}</p>{{/page.hasAssessments}}

        <h2 id="findings">{{labels.findings}}</h2>
        {{^empty(page.page.findings)}}
        {{#page.findingsNote}}<p class="muted">{{.}}</p>{{/page.findingsNote}}
        <div class="table-wrap"><table id="finding-table">
        <caption>{{labels.findings}}</caption>
        <thead><tr><th scope="col">{{labels.severity}}</th><th scope="col">{{labels.rule}}</th><th scope="col">{{labels.record}}</th><th scope="col">{{labels.message}}</th></tr></thead>
        <tbody>
        {{/empty(page.page.findings)}}
        {{#page.page.findings}}
        <tr><td><span class="badge {{severityValue}}">{{severity}}</span></td><th scope="row"><a href="{{ruleHref}}">{{rule}}</a><br>{{title}}</th><td><a href="{{subjectHref}}">{{subject}}</a></td><td lang="en">{{message}}</td></tr>
        {{/page.page.findings}}
        {{^empty(page.page.findings)}}
        </tbody></table></div>
        {{/empty(page.page.findings)}}
        {{^page.page.findings}}<p id="findings-none">{{labels.noFindings}}</p>{{/page.page.findings}}

        <h2 id="history">{{labels.history}}</h2>
        {{^empty(page.page.audit)}}
        <div class="table-wrap"><table id="history-table">
        <caption>{{labels.history}}</caption>
        <thead><tr><th scope="col">{{labels.at}}</th><th scope="col">{{labels.actor}}</th><th scope="col">{{labels.action}}</th><th scope="col">{{labels.record}}</th><th scope="col">{{labels.changes}}</th></tr></thead>
        <tbody>
        {{/empty(page.page.audit)}}
        {{#page.page.audit}}
        <tr><th scope="row"><time datetime="{{at}}">{{at}}</time></th><td>{{actor}}</td><td data-value="{{actionValue}}">{{action}}</td><td>{{key}}</td><td>{{changes}}</td></tr>
        {{/page.page.audit}}
        {{^empty(page.page.audit)}}
        </tbody></table></div>
        {{/empty(page.page.audit)}}
        {{^page.page.audit}}<p>{{labels.noHistory}}</p>{{/page.page.audit}}
        <p><a href="{{page.auditHref}}" id="vendor-all-history">{{labels.allHistory}}</a></p>
        {{> foot}}
        """)
}
