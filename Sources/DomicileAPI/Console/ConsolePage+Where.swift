import DomicileCore
import DomicileStore
import Foundation

/// `/where?service=…&category=…&country=…&vendor=…&role=…&region=…&as_of=…&transitive=true`:
/// the filters of `domicile where` and `GET /v1/where` as a form, under the API's parameter
/// names (names accepted as the API accepts them), the answer as a table, and CSV and JSON
/// links that are the API's own URL for the same question (`WhereForm.apiTarget`), which the
/// console's session authenticates. A value the API refuses is a 400 page with the API's
/// message, naming the parameter.
extension ConsolePages {
    static let `where` = ConsolePage(parameters: WhereForm.parameters) { request in
        let form = try WhereForm(query: request.query.values)
        // As the API reads its URL: a control character or an over-long value is refused here.
        let whereRequest = try form.whereRequest()
        // A first visit (no parameter) shows the form; a submitted form, even empty, is answered.
        let submitted = WhereForm.parameters.contains { request.query[$0] != nil }
        let today = request.today
        let view = request.view
        return try await request.read { store in
            let data = try WherePageData.read(store, form: form, request: submitted ? whereRequest : nil, today: today)
            if let first = data.issues.first {
                // The API's message for each refused filter; the API answers the first alone.
                throw APIError(
                    .badRequest, code: first.code, message: data.issues.map(\.message).joined(separator: "; "), field: first.field,
                    value: first.value)
            }
            return WherePage.template.render(WherePage.model(data, view), title: WherePage.template.label("title", view.language), view)
        }
    }
}

enum WherePage {
    struct Model {
        let service, category, country, vendor, region, asOf: String
        let transitive: Bool
        let roles: [Option]
        let services: [Option]
        let vendors: [Option]
        let categories: [Option]
        let submitted: Bool
        let rows: [Row]
        let hasRows: Bool
        let count: Int
        /// More rows than the page shows (`limit`): the downloads hold them all.
        let truncated: Bool
        let shown: Int
        let csvHref: String
        let jsonHref: String
        /// After the count: "rows as of D".
        let countText: String
        let cycles: [String]
        let hasCycles: Bool
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Row {
        let service: String
        let serviceName: String
        let category: String
        let categoryName: String
        let vendor: String
        let vendorName: String
        let vendorHref: String
        let role: String
        let regionName: String?
        let countryCode: String?
        let countryName: String?
        let countryHref: String?
        let undisclosedReason: String?
        let candidateNames: String?
        let pathText: String?
        let validFrom: String
        let source: String
        let record: String
    }

    /// The most rows a page shows (a page is kept in memory per revision); the CSV and JSON
    /// downloads, the API's own answer, hold every row.
    static let limit = 2000

    static func model(_ data: WherePageData, _ view: ConsoleView) -> Model {
        let ja = view.ja
        let names = data.names
        let form = data.form
        let role = form["role"].replacingOccurrences(of: "-", with: "_").lowercased()
        let all = data.answer?.rows ?? []
        let rows = all.prefix(limit).map { row in
            Row(
                service: row.service, serviceName: names.service(row.service, ja: ja), category: row.category,
                categoryName: names.category(row.category, ja: ja), vendor: row.vendor, vendorName: names.vendor(row.vendor, ja: ja),
                vendorHref: ConsoleLinks.vendor(row.vendor, view), role: PlaceWords.role(row.role, ja: ja),
                regionName: row.region, countryCode: row.country, countryName: row.country.map { names.country($0, ja: ja) },
                countryHref: row.country.map { ConsoleLinks.country($0, view) },
                undisclosedReason: row.undisclosed?.reason,
                candidateNames: row.undisclosed.flatMap { $0.candidates.isEmpty ? nil : $0.candidates.map { names.country($0, ja: ja) }.joined(separator: ja ? "、" : ", ") },
                pathText: data.answer?.query.transitive == true ? row.path.map { names.vendors[$0]?.text(ja: ja) ?? names.service($0, ja: ja) }.joined(separator: " → ") : nil,
                validFrom: row.validFrom.description, source: row.provenance.source, record: row.record)
        }
        return Model(
            service: form["service"], category: form["category"], country: form["country"], vendor: form["vendor"],
            region: form["region"], asOf: form["as_of"], transitive: form.transitive,
            roles: [Option(value: "", label: template.label("anyRole", view.language), selected: role.isEmpty)]
                + WhereQuery.roles.map { Option(value: $0, label: PlaceWords.role($0, ja: ja), selected: $0 == role) },
            services: data.services.map { Option(value: $0, label: names.service($0, ja: ja), selected: false) },
            vendors: names.vendors.keys.sorted().map { Option(value: $0, label: names.vendor($0, ja: ja), selected: false) },
            categories: names.categories.keys.sorted().map { Option(value: $0, label: names.category($0, ja: ja), selected: false) },
            submitted: data.answer != nil, rows: rows, hasRows: !rows.isEmpty, count: all.count, truncated: all.count > limit, shown: rows.count,
            csvHref: form.apiTarget(format: "csv"), jsonHref: form.apiTarget(format: "json"),
            countText: data.answer.map { ja ? "件（基準日 \($0.query.asOf)）" : "rows as of \($0.query.asOf)" } ?? "", cycles: data.answer?.cycleMessages ?? [],
            hasCycles: !(data.answer?.cycles.isEmpty ?? true))
    }

    static let template = ConsoleTemplate(
        "where",
        labels: [
            "title": Bilingual("Where data lives", "保存場所の検索"),
            "intro": Bilingual(
                "The questions of domicile where: every filter takes a key or a name (English or Japanese), as the API does; filters combine.",
                "domicile where と同じ検索です。各項目にはキーまたは名称（英語・日本語）を指定でき、組み合わせて絞り込めます。"),
            "filters": Bilingual("Filters", "検索条件"),
            "service": Bilingual("Service", "サービス"),
            "category": Bilingual("Data category", "個人データの項目"),
            "categoryHint": Bilingual("and the categories below it", "下位の項目を含む"),
            "country": Bilingual("Country (code or name)", "国・地域（コードまたは名称）"),
            "vendor": Bilingual("Vendor", "委託先・提供先"),
            "role": Bilingual("Role", "役割"),
            "anyRole": Bilingual("Any role", "すべての役割"),
            "region": Bilingual("Cloud region (provider/code)", "クラウドリージョン（事業者/コード）"),
            "asOfField": Bilingual("As of (default today)", "基準日（省略時は今日）"),
            "transitive": Bilingual("Follow entrustments to entrustees and sub-entrustees", "委託先・再委託先までたどる"),
            "search": Bilingual("Search", "検索"),
            "firstVisit": Bilingual(
                "Choose filters and search; searching with none lists where every category of every service lives today.",
                "条件を指定して検索してください。条件なしで検索すると、今日時点のすべての保存場所を表示します。"),
            "results": Bilingual("Results", "検索結果"),
            "download": Bilingual("Download the same answer from the API", "同じ結果を API からダウンロード"),
            "csv": Bilingual("CSV", "CSV"),
            "json": Bilingual("JSON", "JSON"),
            "truncated": Bilingual(
                "Too many rows to show here: the CSV and JSON downloads hold them all; rows shown:",
                "行数が多いため一部のみ表示しています。CSV・JSON にはすべての行が含まれます。表示した行数:"),
            "noRows": Bilingual("No row matches these filters on this day.", "この日に条件に一致する行はありません。"),
            "colService": Bilingual("Service", "サービス"),
            "colCategory": Bilingual("Data category", "個人データの項目"),
            "colVendor": Bilingual("Vendor", "委託先・提供先"),
            "colRole": Bilingual("Role", "役割"),
            "colRegion": Bilingual("Region", "リージョン"),
            "colCountry": Bilingual("Country", "国・地域"),
            "colPath": Bilingual("Path", "経路"),
            "colSince": Bilingual("Since", "開始日"),
            "colSource": Bilingual("Source", "根拠"),
            "colRecord": Bilingual("Record", "記録"),
            "undisclosed": Bilingual("Undisclosed", "非開示"),
            "candidates": Bilingual("candidates", "候補"),
            "cycles": Bilingual("Sub-entrustee cycles (followed once, not looped)", "再委託の循環（一度だけたどりました）"),
        ],
        """
        {{> head}}
        <p>{{labels.intro}}</p>
        <form method="get" action="/where" class="inline" id="where-form" aria-label="{{labels.filters}}">
        {{> lang_field}}
        <div><label for="where-service">{{labels.service}}</label>
        <input type="text" id="where-service" name="service" value="{{page.service}}" list="where-services" maxlength="200"></div>
        <div><label for="where-category">{{labels.category}} <span class="muted">({{labels.categoryHint}})</span></label>
        <input type="text" id="where-category" name="category" value="{{page.category}}" list="where-categories" maxlength="200"></div>
        <div><label for="where-country">{{labels.country}}</label>
        <input type="text" id="where-country" name="country" value="{{page.country}}" maxlength="200"></div>
        <div><label for="where-vendor">{{labels.vendor}}</label>
        <input type="text" id="where-vendor" name="vendor" value="{{page.vendor}}" list="where-vendors" maxlength="200"></div>
        <div><label for="where-role">{{labels.role}}</label>
        <select id="where-role" name="role">{{#page.roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/page.roles}}</select></div>
        <div><label for="where-region">{{labels.region}}</label>
        <input type="text" id="where-region" name="region" value="{{page.region}}" maxlength="200"></div>
        <div><label for="where-as-of">{{labels.asOfField}}</label>
        <input type="date" id="where-as-of" name="as_of" value="{{page.asOf}}"></div>
        <div><label for="where-transitive"><input type="checkbox" id="where-transitive" name="transitive" value="true"{{#page.transitive}} checked{{/page.transitive}}> {{labels.transitive}}</label></div>
        <div><button type="submit" id="where-search">{{labels.search}}</button></div>
        </form>
        <datalist id="where-services">{{#page.services}}<option value="{{value}}">{{label}}</option>{{/page.services}}</datalist>
        <datalist id="where-vendors">{{#page.vendors}}<option value="{{value}}">{{label}}</option>{{/page.vendors}}</datalist>
        <datalist id="where-categories">{{#page.categories}}<option value="{{value}}">{{label}}</option>{{/page.categories}}</datalist>
        {{^page.submitted}}<p class="notice" id="where-first-visit">{{labels.firstVisit}}</p>{{/page.submitted}}
        {{#page.submitted}}
        <section id="where-results" aria-labelledby="where-results-title">
        <h2 id="where-results-title">{{labels.results}}</h2>
        <p id="where-count"><strong>{{page.count}}</strong> {{page.countText}}</p>
        <p>{{labels.download}}: <a id="where-csv" href="{{page.csvHref}}" download>{{labels.csv}}</a> · <a id="where-json" href="{{page.jsonHref}}">{{labels.json}}</a></p>
        {{#page.truncated}}<p class="notice" id="where-truncated">{{labels.truncated}} {{page.shown}}.</p>{{/page.truncated}}
        {{#page.hasRows}}
        <div class="table-wrap"><table id="where-table">
        <caption class="muted">{{labels.results}}</caption>
        <thead><tr><th scope="col">{{labels.colService}}</th><th scope="col">{{labels.colCategory}}</th><th scope="col">{{labels.colVendor}}</th><th scope="col">{{labels.colRole}}</th><th scope="col">{{labels.colRegion}}</th><th scope="col">{{labels.colCountry}}</th>{{#page.transitive}}<th scope="col">{{labels.colPath}}</th>{{/page.transitive}}<th scope="col">{{labels.colSince}}</th><th scope="col">{{labels.colSource}}</th><th scope="col">{{labels.colRecord}}</th></tr></thead>
        <tbody>
        {{#page.rows}}
        <tr><td>{{serviceName}}</td><th scope="row">{{categoryName}} <code class="muted">{{category}}</code></th><td><a href="{{vendorHref}}">{{vendorName}}</a></td><td>{{role}}</td><td>{{#regionName}}{{regionName}}{{/regionName}}</td><td>{{#countryCode}}<a href="{{countryHref}}">{{countryName}}</a> <span class="muted">{{countryCode}}</span>{{/countryCode}}{{^countryCode}}{{labels.undisclosed}}{{#candidateNames}} <span class="muted">({{labels.candidates}}: {{candidateNames}})</span>{{/candidateNames}}{{#undisclosedReason}}<br><small>{{undisclosedReason}}</small>{{/undisclosedReason}}{{/countryCode}}</td>{{#page.transitive}}<td>{{pathText}}</td>{{/page.transitive}}<td><time datetime="{{validFrom}}">{{validFrom}}</time></td><td>{{source}}</td><td><code>{{record}}</code></td></tr>
        {{/page.rows}}
        </tbody></table></div>
        {{/page.hasRows}}
        {{^page.hasRows}}<p class="muted" id="where-none">{{labels.noRows}}</p>{{/page.hasRows}}
        {{#page.hasCycles}}<h3>{{labels.cycles}}</h3><ul id="where-cycles">{{#page.cycles}}<li>{{.}}</li>{{/page.cycles}}</ul>{{/page.hasCycles}}
        </section>
        {{/page.submitted}}
        {{> foot}}
        """)
}
