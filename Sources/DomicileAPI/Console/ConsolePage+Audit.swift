import DomicileCore
import DomicileStore
import Foundation

/// `/audit`: the audit log's newest changes first, as `domicile audit` lists them, filtered
/// by entity (a kind, and a record of it by key or name) and actor with a GET form, and
/// paged by a limit (50 by default, at most 500; "show more" raises it).
extension ConsolePages {
    static let audit = ConsolePage(parameters: ["entity", "key", "actor", "limit"]) { request in
        let view = request.view
        let lang = ReportLanguage(rawValue: request.language.rawValue) ?? .en
        let query = request.query
        var filter = ConsoleVendorData.AuditFilter()
        filter.entity = try ConsoleVendorData.Form.choice(query, "entity", ConsoleVendorData.auditEntities)
        filter.key = try ConsoleVendorData.Form.text(query, "key")
        filter.actor = try ConsoleVendorData.Form.text(query, "actor")
        if let text = try ConsoleVendorData.Form.text(query, "limit") {
            guard let limit = Int(text), (1...ConsoleVendorData.auditMaximumLimit).contains(limit) else {
                throw APIError(Issue.invalid("limit", text, expected: "a whole number from 1 to \(ConsoleVendorData.auditMaximumLimit)"))
            }
            filter.limit = limit
        }
        if filter.key != nil, filter.entity == nil {
            throw APIError(
                .badRequest, code: "input.missing_entity",
                message: Bilingual("Choose the kind of record the key belongs to.", "キーを指定するときは、記録の種類も選んでください。")(view.language),
                field: "entity")
        }
        let given = filter
        return try await request.read { store in
            let page: ConsoleVendorData.AuditPage
            do {
                page = try ConsoleVendorData.audit(store, filter: given, lang: lang, link: { ConsoleLinks.vendor($0, view) })
            } catch let error as InputError {
                // A record no kind holds by that name: not found, as an unknown `where` filter is.
                let issue = error.issues[0]
                throw APIError(issue, status: issue.code.hasPrefix("input.unknown") ? .notFound : .badRequest)
            }
            var moreQuery: [(String, String)] = []
            if let entity = given.entity { moreQuery.append(("entity", entity)) }
            if let key = given.key { moreQuery.append(("key", key)) }
            if let actor = given.actor { moreQuery.append(("actor", actor)) }
            let nextLimit = min(given.limit + ConsoleVendorData.auditDefaultLimit, ConsoleVendorData.auditMaximumLimit)
            let model = AuditView(
                page: page, key: given.key ?? "", actor: given.actor ?? "", limit: given.limit,
                count: AuditView.count(page.rows.count, view.language),
                resolved: page.key.flatMap { $0 == given.key ? nil : $0 },
                moreHref: page.more && nextLimit > given.limit ? view.href("/audit", moreQuery + [("limit", String(nextLimit))]) : nil,
                resetHref: view.href("/audit"))
            return AuditView.template.render(model, title: AuditView.template.label("title", view.language), view)
        }
    }
}

struct AuditView {
    let page: ConsoleVendorData.AuditPage
    let key: String
    let actor: String
    let limit: Int
    let count: String
    /// The key a name resolved to, when it differs from what was typed.
    let resolved: String?
    let moreHref: String?
    let resetHref: String

    static func count(_ shown: Int, _ language: ConsoleLanguage) -> String {
        language == .ja ? "新しい順に\(shown)件" : "\(shown) change\(shown == 1 ? "" : "s"), newest first"
    }

    static let template = ConsoleTemplate(
        "audit",
        labels: [
            "title": Bilingual("Audit", "変更履歴"),
            "filters": Bilingual("Filter changes", "絞り込み"),
            "entity": Bilingual("Kind of record", "記録の種類"),
            "anyEntity": Bilingual("Any kind", "すべての種類"),
            "key": Bilingual("Record (key or name)", "記録（キーまたは名称）"),
            "actor": Bilingual("Who", "実行者"),
            "limit": Bilingual("At most", "表示件数"),
            "apply": Bilingual("Show", "表示"),
            "reset": Bilingual("Clear filters", "条件をクリア"),
            "resolvedTo": Bilingual("Showing the record with key", "表示している記録のキー"),
            "at": Bilingual("When (UTC)", "日時（UTC）"),
            "action": Bilingual("Change", "操作"),
            "record": Bilingual("Record", "対象"),
            "changes": Bilingual("What changed", "変更内容"),
            "more": Bilingual("Show more", "さらに表示"),
            "noChanges": Bilingual("No change matches these filters.", "条件に合う変更はありません。"),
            "immutable": Bilingual(
                "Every write is recorded by the database in the same transaction; these rows cannot be changed or deleted.",
                "すべての書き込みは同じトランザクションの中でデータベースが記録します。この記録は変更・削除できません。"),
        ],
        """
        {{> head}}
        <p class="muted">{{labels.immutable}}</p>
        <form class="inline" method="get" action="/audit" id="audit-filters" role="search" aria-label="{{labels.filters}}">
        {{> lang_field}}
        <div><label for="audit-entity">{{labels.entity}}</label><select id="audit-entity" name="entity">
        <option value="">{{labels.anyEntity}}</option>
        {{#page.page.entities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/page.page.entities}}
        </select></div>
        <div><label for="audit-key">{{labels.key}}</label><input type="text" id="audit-key" name="key" value="{{page.key}}"></div>
        <div><label for="audit-actor">{{labels.actor}}</label><input type="text" id="audit-actor" name="actor" value="{{page.actor}}"></div>
        <div><label for="audit-limit">{{labels.limit}}</label><input type="number" id="audit-limit" name="limit" min="1" max="500" value="{{page.limit}}"></div>
        <div><button type="submit" id="audit-apply">{{labels.apply}}</button></div>
        <div><a href="{{page.resetHref}}" id="audit-reset">{{labels.reset}}</a></div>
        </form>
        {{#page.resolved}}<p id="audit-resolved">{{labels.resolvedTo}}: <code>{{.}}</code></p>{{/page.resolved}}
        <p id="audit-count" role="status">{{page.count}}</p>
        {{^empty(page.page.rows)}}
        <div class="table-wrap"><table id="audit-table">
        <caption>{{labels.title}}</caption>
        <thead><tr><th scope="col">{{labels.at}}</th><th scope="col">{{labels.actor}}</th><th scope="col">{{labels.action}}</th><th scope="col">{{labels.entity}}</th><th scope="col">{{labels.record}}</th><th scope="col">{{labels.changes}}</th></tr></thead>
        <tbody>
        {{#page.page.rows}}
        <tr id="audit-{{id}}"><th scope="row"><time datetime="{{at}}">{{at}}</time></th><td>{{actor}}</td><td data-value="{{actionValue}}">{{action}}</td><td>{{entity}}</td><td>{{#href}}<a href="{{.}}">{{key}}</a>{{/href}}{{^href}}{{key}}{{/href}}</td><td>{{changes}}</td></tr>
        {{/page.page.rows}}
        </tbody></table></div>
        {{/empty(page.page.rows)}}
        {{#empty(page.page.rows)}}<p class="notice" id="audit-none">{{labels.noChanges}}</p>{{/empty(page.page.rows)}}
        {{#page.moreHref}}<p><a href="{{.}}" id="audit-more">{{labels.more}}</a></p>{{/page.moreHref}}
        {{> foot}}
        """)
}
