import DomicileCore
import DomicileStore
import Foundation

/// `/services?as_of=D&compare=D2`: where each data category of each service lives on `as_of`
/// (default today), by country and role, and with `compare` what started, ended or changed
/// between the two days (`domicile diff`). The same queries as `GET /v1/services`,
/// `GET /v1/where?as_of=D` and `domicile diff --from … --to …`.
extension ConsolePages {
    static let services = ConsolePage(parameters: ServicesPageData.parameters) { request in
        let asOf = try ConsoleDates.day(request.query, "as_of") ?? request.today
        let compare = try ConsoleDates.day(request.query, "compare")
        let view = request.view
        return try await request.read { store in
            let data = try ServicesPageData.read(store, asOf: asOf, compare: compare)
            return ServicesPage.template.render(ServicesPage.model(data, view), title: ServicesPage.template.label("title", view.language), view)
        }
    }
}

/// Dates of the console's GET forms: a date field left empty submits `name=`, which is no date asked.
enum ConsoleDates {
    static func day(_ query: QueryParameters, _ name: String) throws -> Day? {
        query[name] == "" ? nil : try query.day(name)
    }
}

enum ServicesPage {
    struct Model {
        let asOf: String
        let compare: String
        let services: [Service]
        let hasServices: Bool
        let diff: [DiffSection]
        let hasDiff: Bool
        /// "What started, ended or changed after FROM, up to and including TO."
        let diffIntro: String
        let sameDay: Bool
    }

    struct Service {
        let key: String
        let name: String
        let anchor: String
        let whereHref: String
        let countries: [Column]
        let categories: [Category]
        let hasRows: Bool
        let rowCount: Int
    }

    struct Column {
        let name: String
        let code: String
        let href: String
        let isCountry: Bool
    }

    struct Category {
        let key: String
        let name: String
        let cells: [Cell]
    }

    struct Cell {
        let places: [Place]
    }

    struct Place {
        let role: String
        let vendor: String
        let vendorHref: String
        let region: String?
        let candidates: String?
    }

    struct DiffSection {
        let id: String
        let title: String
        let changes: [Change]
        let hasChanges: Bool
    }

    struct Change {
        let date: String
        let change: String
        let kind: String
        let key: String
        let previousKey: String?
        let service: String
        let detail: String
    }

    static func model(_ data: ServicesPageData, _ view: ConsoleView) -> Model {
        let ja = view.ja
        let names = data.names
        let services = data.services.map { service -> Service in
            // columns: the countries the rows name, by name in the page language, then undisclosed
            let codes = Set(service.rows.compactMap(\.country))
            var columns = codes.sorted { names.country($0, ja: ja) < names.country($1, ja: ja) }.map { code in
                Column(name: names.country(code, ja: ja), code: code, href: view.href("/countries/" + ConsoleView.percentEncoded(code), [("as_of", data.asOf.description)]), isCountry: true)
            }
            let undisclosed = service.rows.contains { $0.country == nil }
            if undisclosed {
                columns.append(Column(name: template.label("undisclosed", view.language), code: "", href: "", isCountry: false))
            }
            let byCategory = Dictionary(grouping: service.rows, by: \.category)
            let categories = byCategory.keys.sorted().map { key -> Category in
                let rows = byCategory[key]!
                let cells = columns.map { column in
                    Cell(
                        places: rows.filter { ($0.country ?? "") == column.code }.map { row in
                            Place(
                                role: PlaceWords.role(row.role, ja: ja), vendor: names.vendor(row.vendor, ja: ja),
                                vendorHref: ConsoleLinks.vendor(row.vendor, view), region: row.region,
                                candidates: row.undisclosed.flatMap { $0.candidates.isEmpty ? nil : $0.candidates.map { names.country($0, ja: ja) }.joined(separator: ja ? "、" : ", ") })
                        })
                }
                return Category(key: key, name: names.category(key, ja: ja), cells: cells)
            }
            return Service(
                key: service.key, name: names.service(service.key, ja: ja), anchor: "service-" + service.key,
                whereHref: view.href("/where", [("service", service.key), ("as_of", data.asOf.description)]),
                countries: columns, categories: categories, hasRows: !service.rows.isEmpty, rowCount: service.rows.count)
        }
        var sections: [DiffSection] = []
        if let diff = data.diff {
            let groups: [(String, String, Set<String>)] = [
                ("diff-started", "added", ["started"]), ("diff-ended", "removed", ["ended"]), ("diff-changed", "changed", ["changed"]),
                ("diff-events", "events", ["signed", "expired", "renewed", "term_ended", "assessed"]),
            ]
            sections = groups.map { id, label, kinds in
                let changes = diff.changes.filter { kinds.contains($0.change.rawValue) }.map { change in
                    Change(
                        date: change.date.description, change: PlaceWords.change(change.change.rawValue, ja: ja),
                        kind: PlaceWords.kind(change.kindName, ja: ja), key: change.key, previousKey: change.previousKey,
                        service: change.service.isEmpty ? "" : names.service(change.service, ja: ja), detail: diff.detail(change))
                }
                return DiffSection(id: id, title: template.label(label, view.language), changes: changes, hasChanges: !changes.isEmpty)
            }
        }
        let compare = data.compare
        return Model(
            asOf: data.asOf.description, compare: compare?.description ?? "", services: services, hasServices: !services.isEmpty,
            diff: sections, hasDiff: data.diff != nil, diffIntro: data.diff.map { diff in
                ja ? "\(diff.from) の翌日から \(diff.to) までに開始・終了・変更されたもの。"
                    : "What started, ended or changed after \(diff.from), up to and including \(diff.to)."
            } ?? "",
            sameDay: compare == data.asOf)
    }

    static let template = ConsoleTemplate(
        "services",
        labels: [
            "title": Bilingual("Services", "サービス"),
            "intro": Bilingual(
                "Where each category of personal data of each service lives, by country and role, as the registry stood on the day chosen.",
                "各サービスの個人データの項目ごとに、どの国でどの役割のもとに取り扱われているかを、指定した日の台帳のとおりに示します。"),
            "dates": Bilingual("Day shown and comparison", "表示する日と比較"),
            "asOfField": Bilingual("As of", "基準日"),
            "compareField": Bilingual("Compare with date (optional)", "比較する日（任意）"),
            "show": Bilingual("Show", "表示"),
            "category": Bilingual("Data category", "個人データの項目"),
            "undisclosed": Bilingual("Undisclosed", "非開示"),
            "candidates": Bilingual("candidates", "候補"),
            "noServices": Bilingual("No service was in force on this day.", "この日に提供されていたサービスはありません。"),
            "noRows": Bilingual("No residency of this service was in force on this day.", "この日に有効だったこのサービスのデータ所在の記録はありません。"),
            "rows": Bilingual("rows", "件"),
            "inWhere": Bilingual("Open in Where (filters, CSV and JSON)", "保存場所の検索で開く（絞り込み・CSV・JSON）"),
            "diffTitle": Bilingual("Changes", "変更点"),
            "sameDay": Bilingual("The two days are the same: nothing to compare.", "2つの日付が同じため、比較するものはありません。"),
            "added": Bilingual("Added (started)", "追加（開始）"),
            "removed": Bilingual("Removed (ended)", "削除（終了）"),
            "changed": Bilingual("Changed", "変更"),
            "events": Bilingual("Contracts and assessments", "契約・評価"),
            "date": Bilingual("Date", "日付"),
            "change": Bilingual("Change", "変更の種類"),
            "kind": Bilingual("Record", "記録の種類"),
            "key": Bilingual("Key", "キー"),
            "was": Bilingual("was", "変更前"),
            "service": Bilingual("Service", "サービス"),
            "detail": Bilingual("Detail", "内容"),
        ],
        """
        {{> head}}
        <p>{{labels.intro}}</p>
        <form method="get" action="/services" class="inline" aria-label="{{labels.dates}}">
        {{> lang_field}}
        <div><label for="services-as-of">{{labels.asOfField}}</label>
        <input type="date" id="services-as-of" name="as_of" value="{{page.asOf}}" required></div>
        <div><label for="services-compare">{{labels.compareField}}</label>
        <input type="date" id="services-compare" name="compare" value="{{page.compare}}"></div>
        <div><button type="submit" id="services-show">{{labels.show}}</button></div>
        </form>
        {{#page.sameDay}}<p class="notice" id="services-same-day">{{labels.sameDay}}</p>{{/page.sameDay}}
        {{#page.hasDiff}}
        <section id="services-diff" aria-labelledby="services-diff-title">
        <h2 id="services-diff-title">{{labels.diffTitle}}</h2>
        <p id="services-diff-range">{{page.diffIntro}}</p>
        {{#page.diff}}
        <h3 id="{{id}}-title">{{title}}</h3>
        {{#hasChanges}}
        <div class="table-wrap"><table id="{{id}}" aria-labelledby="{{id}}-title">
        <thead><tr><th scope="col">{{labels.date}}</th><th scope="col">{{labels.change}}</th><th scope="col">{{labels.kind}}</th><th scope="col">{{labels.key}}</th><th scope="col">{{labels.service}}</th><th scope="col">{{labels.detail}}</th></tr></thead>
        <tbody>
        {{#changes}}
        <tr><td><time datetime="{{date}}">{{date}}</time></td><td>{{change}}</td><td>{{kind}}</td><th scope="row"><code>{{key}}</code>{{#previousKey}} <span class="muted">({{labels.was}} <code>{{previousKey}}</code>)</span>{{/previousKey}}</th><td>{{service}}</td><td>{{detail}}</td></tr>
        {{/changes}}
        </tbody></table></div>
        {{/hasChanges}}
        {{^hasChanges}}<p class="muted">{{labels.none}}</p>{{/hasChanges}}
        {{/page.diff}}
        </section>
        {{/page.hasDiff}}
        {{^page.hasServices}}<p class="notice" id="services-none">{{labels.noServices}}</p>{{/page.hasServices}}
        {{#page.services}}
        <section id="{{anchor}}" aria-labelledby="{{anchor}}-title">
        <h2 id="{{anchor}}-title">{{name}} <code>{{key}}</code></h2>
        {{#hasRows}}
        <div class="table-wrap"><table class="services-matrix">
        <caption>{{name}}: {{labels.category}} × {{labels.asOfField}} {{page.asOf}} ({{rowCount}} {{labels.rows}})</caption>
        <thead><tr><th scope="col">{{labels.category}}</th>{{#countries}}<th scope="col">{{#isCountry}}<a href="{{href}}">{{name}}</a> <span class="muted">{{code}}</span>{{/isCountry}}{{^isCountry}}{{name}}{{/isCountry}}</th>{{/countries}}</tr></thead>
        <tbody>
        {{#categories}}
        <tr><th scope="row">{{name}} <code class="muted">{{key}}</code></th>{{#cells}}<td>{{#places}}<div class="place">{{role}} · <a href="{{vendorHref}}">{{vendor}}</a>{{#region}} <span class="muted">{{region}}</span>{{/region}}{{#candidates}} <span class="muted">({{labels.candidates}}: {{candidates}})</span>{{/candidates}}</div>{{/places}}</td>{{/cells}}</tr>
        {{/categories}}
        </tbody></table></div>
        {{/hasRows}}
        {{^hasRows}}<p class="muted">{{labels.noRows}}</p>{{/hasRows}}
        <p><a href="{{whereHref}}">{{labels.inWhere}}</a></p>
        </section>
        {{/page.services}}
        {{> foot}}
        """)
}
