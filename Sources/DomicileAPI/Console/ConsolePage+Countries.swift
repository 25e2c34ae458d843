import DomicileCore
import DomicileStore
import Foundation

/// `/countries?as_of=D`: the countries where data lives on `as_of` (`where --transitive --by
/// country`), each with its regime flags that day; `/countries/{code}?as_of=D`: one country's
/// dated regime facts with their sources (`country facts --all`) and what lives there that
/// day (`where --country CC --transitive`). Regime sentences, country and category names in
/// Japanese on the Japanese page, where the registry has them.
extension ConsolePages {
    static let countries = ConsolePage(parameters: CountriesPageData.parameters) { request in
        let asOf = try ConsoleDates.day(request.query, "as_of") ?? request.today
        let view = request.view
        return try await request.read { store in
            let data = try CountriesPageData.read(store, asOf: asOf)
            return CountriesPage.template.render(CountriesPage.model(data, view), title: CountriesPage.template.label("title", view.language), view)
        }
    }

    static let country = ConsolePage(parameters: CountryPageData.parameters) { request in
        let code = request.endpoint.path["code"] ?? ""
        let asOf = try ConsoleDates.day(request.query, "as_of") ?? request.today
        let view = request.view
        return try await request.read { store in
            guard let data = try CountryPageData.read(store, code: code, asOf: asOf) else {
                throw try CountryPageData.unknown(store, code: code)
            }
            let model = CountryPage.model(data, view)
            return CountryPage.template.render(model, title: model.name, view)
        }
    }
}

enum CountriesPage {
    struct Model {
        let asOf: String
        let countries: [Country]
        let hasCountries: Bool
        let undisclosed: Undisclosed?
    }

    struct Country {
        let code: String
        let name: String
        let href: String
        let services: String
        let categories: Int
        let vendors: String
        let rows: Int
        let law: String
        let ppc: String
        let adequacy: String
        let cbpr: String
        let localization: String
        let confidence: String
    }

    struct Undisclosed {
        let rows: Int
        let services: String
        let vendors: String
        let href: String
    }

    static func model(_ data: CountriesPageData, _ view: ConsoleView) -> Model {
        let ja = view.ja
        let names = data.names
        func words(_ value: String?) -> String { value.map { PlaceWords.value($0, ja: ja) } ?? PlaceWords.value("not_asserted", ja: ja) }
        let countries = data.countries.compactMap { summary -> Country? in
            guard let code = summary.country else { return nil }
            let flags = summary.regime?.flags
            return Country(
                code: code, name: names.country(code, ja: ja),
                href: view.href("/countries/" + ConsoleView.percentEncoded(code), [("as_of", data.asOf.description)]),
                services: summary.services.map { names.service($0, ja: ja) }.joined(separator: ja ? "、" : ", "), categories: summary.categories.count,
                vendors: summary.vendors.map { names.vendor($0, ja: ja) }.joined(separator: ja ? "、" : ", "), rows: summary.rows,
                law: words(flags?.comprehensiveLaw), ppc: words(flags?.jpPpcEquivalent), adequacy: words(flags?.euAdequacy),
                cbpr: words(flags.map { $0.apecCbpr ? "yes" : "not_asserted" }), localization: words(flags?.localization),
                confidence: words(flags?.confidence))
        }
        let undisclosed = data.countries.first { $0.country == nil }.map { summary in
            Undisclosed(
                rows: summary.rows, services: summary.services.map { names.service($0, ja: ja) }.joined(separator: ja ? "、" : ", "),
                vendors: summary.vendors.map { names.vendor($0, ja: ja) }.joined(separator: ja ? "、" : ", "),
                href: view.href("/where", [("as_of", data.asOf.description), ("transitive", "true")]))
        }
        return Model(asOf: data.asOf.description, countries: countries, hasCountries: !countries.isEmpty, undisclosed: undisclosed)
    }

    static let template = ConsoleTemplate(
        "countries",
        labels: [
            "title": Bilingual("Countries", "国・地域"),
            "intro": Bilingual(
                "The countries where personal data lives on the day chosen, through vendors, entrustees and sub-entrustees, with what each country's regime was that day. A fact no source asserts is shown as such, never as \"no\".",
                "指定した日に、委託先・再委託先を含めて個人データが取り扱われている国と、その日の各国の制度です。情報源で確認できない事項は「なし」ではなく、確認なしとして示します。"),
            "day": Bilingual("Day shown", "表示する日"),
            "asOfField": Bilingual("As of", "基準日"),
            "show": Bilingual("Show", "表示"),
            "country": Bilingual("Country", "国・地域"),
            "services": Bilingual("Services", "サービス"),
            "categories": Bilingual("Categories", "項目数"),
            "vendors": Bilingual("Vendors", "委託先・提供先"),
            "rows": Bilingual("Rows", "行数"),
            "law": Bilingual("Comprehensive law", "包括的な制度"),
            "ppc": Bilingual("PPC equivalent", "個情委の同等性認定"),
            "adequacy": Bilingual("EU adequacy", "EUの十分性認定"),
            "cbpr": Bilingual("APEC CBPR", "APEC CBPR"),
            "localization": Bilingual("Localization", "ローカライゼーション"),
            "confidence": Bilingual("Confidence", "確度"),
            "noCountries": Bilingual("No personal data lived in any country on this day.", "この日に個人データが取り扱われていた国はありません。"),
            "undisclosedTitle": Bilingual("Country undisclosed or not recorded", "国が非開示・未記録のもの"),
            "undisclosedText": Bilingual("rows whose country is not disclosed or not recorded", "行は国が非開示または未記録です"),
            "undisclosedLink": Bilingual("See them in Where", "保存場所の検索で見る"),
        ],
        """
        {{> head}}
        <p>{{labels.intro}}</p>
        <form method="get" action="/countries" class="inline" aria-label="{{labels.day}}">
        {{> lang_field}}
        <div><label for="countries-as-of">{{labels.asOfField}}</label>
        <input type="date" id="countries-as-of" name="as_of" value="{{page.asOf}}" required></div>
        <div><button type="submit" id="countries-show">{{labels.show}}</button></div>
        </form>
        {{#page.hasCountries}}
        <div class="table-wrap"><table id="countries-table">
        <caption>{{labels.title}} · {{labels.asOfField}} <time datetime="{{page.asOf}}">{{page.asOf}}</time></caption>
        <thead><tr><th scope="col">{{labels.country}}</th><th scope="col">{{labels.services}}</th><th scope="col">{{labels.categories}}</th><th scope="col">{{labels.vendors}}</th><th scope="col">{{labels.rows}}</th><th scope="col">{{labels.law}}</th><th scope="col">{{labels.ppc}}</th><th scope="col">{{labels.adequacy}}</th><th scope="col">{{labels.cbpr}}</th><th scope="col">{{labels.localization}}</th><th scope="col">{{labels.confidence}}</th></tr></thead>
        <tbody>
        {{#page.countries}}
        <tr id="country-{{code}}"><th scope="row"><a href="{{href}}">{{name}}</a> <span class="muted">{{code}}</span></th><td>{{services}}</td><td>{{categories}}</td><td>{{vendors}}</td><td>{{rows}}</td><td>{{law}}</td><td>{{ppc}}</td><td>{{adequacy}}</td><td>{{cbpr}}</td><td>{{localization}}</td><td>{{confidence}}</td></tr>
        {{/page.countries}}
        </tbody></table></div>
        {{/page.hasCountries}}
        {{^page.hasCountries}}<p class="notice" id="countries-none">{{labels.noCountries}}</p>{{/page.hasCountries}}
        {{#page.undisclosed}}
        <h2 id="countries-undisclosed">{{labels.undisclosedTitle}}</h2>
        <p>{{rows}} {{labels.undisclosedText}}: {{services}} · {{vendors}} — <a href="{{href}}">{{labels.undisclosedLink}}</a></p>
        {{/page.undisclosed}}
        {{> foot}}
        """)
}

enum CountryPage {
    struct Model {
        let code: String
        let alpha3: String
        let name: String
        let nameEn: String
        let nameJa: String?
        let asOf: String
        let formAction: String
        let inForce: [Fact]
        let hasInForce: Bool
        let other: [Fact]
        let hasOther: Bool
        let services: String
        let categories: String
        let vendors: String
        let rows: [Row]
        let hasRows: Bool
        let whereHref: String
    }

    struct Fact {
        let fact: String
        let value: String
        let statement: String
        let effectiveFrom: String
        let effectiveTo: String
        let confidence: String
        let verifiedOn: String
        let sources: [Source]
    }

    struct Source {
        let text: String
        let url: String?
    }

    struct Row {
        let serviceName: String
        let categoryName: String
        let category: String
        let vendorName: String
        let vendorHref: String
        let role: String
        let regionName: String?
        let candidate: Bool
        let validFrom: String
        let source: String
        let record: String
    }

    static func model(_ data: CountryPageData, _ view: ConsoleView) -> Model {
        let ja = view.ja
        let names = data.names
        let unknownStart = template.label("unknownStart", view.language)
        let stillHolds = template.label("stillHolds", view.language)
        let facts = data.facts.map { fact -> (Bool, Fact) in
            // a law's name is a value of its own; the flags are words
            let value = fact.fact == "comprehensive_law" && !["yes", "no", "partial"].contains(fact.value) ? fact.value : PlaceWords.value(fact.value, ja: ja)
            return (
                fact.inForce(on: data.asOf),
                Fact(
                    fact: PlaceWords.fact(fact.fact, ja: ja), value: value, statement: ja && !fact.publicJa.isEmpty ? fact.publicJa : fact.publicEn,
                    effectiveFrom: fact.effectiveFrom?.description ?? unknownStart, effectiveTo: fact.effectiveTo?.description ?? stillHolds,
                    confidence: PlaceWords.value(fact.confidence, ja: ja), verifiedOn: fact.verifiedOn,
                    sources: PlaceWords.sources(fact.source).map { Source(text: $0.text, url: $0.url) }))
        }
        let rows = data.rows.map { row in
            Row(
                serviceName: names.service(row.service, ja: ja), categoryName: names.category(row.category, ja: ja), category: row.category,
                vendorName: names.vendor(row.vendor, ja: ja), vendorHref: ConsoleLinks.vendor(row.vendor, view),
                role: PlaceWords.role(row.role, ja: ja), regionName: row.region, candidate: row.country == nil,
                validFrom: row.validFrom.description, source: row.provenance.source, record: row.record)
        }
        let inForce = facts.filter(\.0).map(\.1)
        let other = facts.filter { !$0.0 }.map(\.1)
        func list(_ values: [String]) -> String { values.isEmpty ? "—" : values.joined(separator: ja ? "、" : ", ") }
        func distinct(_ values: [String]) -> [String] { Array(Set(values)).sorted() }
        let name = names.countries[data.code]
        return Model(
            code: data.code, alpha3: data.alpha3, name: names.country(data.code, ja: ja), nameEn: name?.en ?? data.code, nameJa: name?.ja,
            asOf: data.asOf.description, formAction: "/countries/" + ConsoleView.percentEncoded(data.code),
            inForce: inForce, hasInForce: !inForce.isEmpty, other: other, hasOther: !other.isEmpty,
            services: list(distinct(data.rows.map(\.service)).map { names.service($0, ja: ja) }),
            categories: list(distinct(data.rows.map(\.category)).map { names.category($0, ja: ja) }),
            vendors: list(distinct(data.rows.map(\.vendor)).map { names.vendor($0, ja: ja) }),
            rows: rows, hasRows: !rows.isEmpty,
            whereHref: view.href("/where", [("country", data.code), ("as_of", data.asOf.description), ("transitive", "true")]))
    }

    static let template = ConsoleTemplate(
        "country",
        labels: [
            "day": Bilingual("Day shown", "表示する日"),
            "asOfField": Bilingual("As of", "基準日"),
            "show": Bilingual("Show", "表示"),
            "names": Bilingual("Names and codes", "名称とコード"),
            "nameEn": Bilingual("English name", "英語名"),
            "nameJa": Bilingual("Japanese name", "日本語名"),
            "codes": Bilingual("ISO 3166-1 codes", "ISO 3166-1 コード"),
            "factsTitle": Bilingual("Regime facts in force on", "次の日に有効な制度に関する事実:"),
            "otherTitle": Bilingual("Other recorded facts (not in force on that day)", "その他の記録（その日には有効でないもの）"),
            "noFacts": Bilingual("No regime fact is recorded for this day: nothing is asserted, which is not \"no\".", "この日について記録された制度の事実はありません（確認なしであり、「なし」ではありません）。"),
            "fact": Bilingual("Fact", "事項"),
            "value": Bilingual("Value", "値"),
            "statement": Bilingual("Statement", "説明"),
            "from": Bilingual("From", "開始"),
            "to": Bilingual("Until (inclusive)", "終了（当日を含む）"),
            "confidence": Bilingual("Confidence", "確度"),
            "verifiedOn": Bilingual("Verified on", "確認日"),
            "sources": Bilingual("Sources", "情報源"),
            "unknownStart": Bilingual("no date given", "日付不明"),
            "stillHolds": Bilingual("still holds", "継続中"),
            "livesTitle": Bilingual("What lives here", "この国で取り扱われているもの"),
            "services": Bilingual("Services", "サービス"),
            "categories": Bilingual("Data categories", "個人データの項目"),
            "vendors": Bilingual("Vendors", "委託先・提供先"),
            "noRows": Bilingual("No personal data lived here on this day.", "この日にこの国で取り扱われていた個人データはありません。"),
            "colService": Bilingual("Service", "サービス"),
            "colCategory": Bilingual("Data category", "個人データの項目"),
            "colVendor": Bilingual("Vendor", "委託先・提供先"),
            "colRole": Bilingual("Role", "役割"),
            "colRegion": Bilingual("Region", "リージョン"),
            "colSince": Bilingual("Since", "開始日"),
            "colSource": Bilingual("Source", "根拠"),
            "colRecord": Bilingual("Record", "記録"),
            "candidate": Bilingual("a candidate: the country is not disclosed or not recorded", "候補（国は非開示または未記録）"),
            "inWhere": Bilingual("Open in Where (filters, CSV and JSON)", "保存場所の検索で開く（絞り込み・CSV・JSON）"),
        ],
        """
        {{> head}}
        <form method="get" action="{{page.formAction}}" class="inline" aria-label="{{labels.day}}">
        {{> lang_field}}
        <div><label for="country-as-of">{{labels.asOfField}}</label>
        <input type="date" id="country-as-of" name="as_of" value="{{page.asOf}}" required></div>
        <div><button type="submit" id="country-show">{{labels.show}}</button></div>
        </form>
        <h2 id="country-names">{{labels.names}}</h2>
        <dl class="facts">
        <dt>{{labels.nameEn}}</dt><dd lang="en">{{page.nameEn}}</dd>
        {{#page.nameJa}}<dt>{{labels.nameJa}}</dt><dd lang="ja">{{page.nameJa}}</dd>{{/page.nameJa}}
        <dt>{{labels.codes}}</dt><dd><code>{{page.code}}</code> · <code>{{page.alpha3}}</code></dd>
        </dl>
        <h2 id="country-facts">{{labels.factsTitle}} <time datetime="{{page.asOf}}">{{page.asOf}}</time></h2>
        {{#page.hasInForce}}
        <div class="table-wrap"><table id="facts-in-force">
        <thead><tr><th scope="col">{{labels.fact}}</th><th scope="col">{{labels.value}}</th><th scope="col">{{labels.statement}}</th><th scope="col">{{labels.from}}</th><th scope="col">{{labels.to}}</th><th scope="col">{{labels.confidence}}</th><th scope="col">{{labels.verifiedOn}}</th><th scope="col">{{labels.sources}}</th></tr></thead>
        <tbody>
        {{#page.inForce}}{{> fact_row}}{{/page.inForce}}
        </tbody></table></div>
        {{/page.hasInForce}}
        {{^page.hasInForce}}<p class="notice" id="facts-none">{{labels.noFacts}}</p>{{/page.hasInForce}}
        {{#page.hasOther}}
        <h3 id="country-other-facts">{{labels.otherTitle}}</h3>
        <div class="table-wrap"><table id="facts-other">
        <thead><tr><th scope="col">{{labels.fact}}</th><th scope="col">{{labels.value}}</th><th scope="col">{{labels.statement}}</th><th scope="col">{{labels.from}}</th><th scope="col">{{labels.to}}</th><th scope="col">{{labels.confidence}}</th><th scope="col">{{labels.verifiedOn}}</th><th scope="col">{{labels.sources}}</th></tr></thead>
        <tbody>
        {{#page.other}}{{> fact_row}}{{/page.other}}
        </tbody></table></div>
        {{/page.hasOther}}
        <h2 id="country-lives">{{labels.livesTitle}} · <time datetime="{{page.asOf}}">{{page.asOf}}</time></h2>
        {{#page.hasRows}}
        <dl class="facts">
        <dt>{{labels.services}}</dt><dd id="country-services">{{page.services}}</dd>
        <dt>{{labels.categories}}</dt><dd id="country-categories">{{page.categories}}</dd>
        <dt>{{labels.vendors}}</dt><dd id="country-vendors">{{page.vendors}}</dd>
        </dl>
        <div class="table-wrap"><table id="country-rows">
        <thead><tr><th scope="col">{{labels.colService}}</th><th scope="col">{{labels.colCategory}}</th><th scope="col">{{labels.colVendor}}</th><th scope="col">{{labels.colRole}}</th><th scope="col">{{labels.colRegion}}</th><th scope="col">{{labels.colSince}}</th><th scope="col">{{labels.colSource}}</th><th scope="col">{{labels.colRecord}}</th></tr></thead>
        <tbody>
        {{#page.rows}}
        <tr><td>{{serviceName}}</td><th scope="row">{{categoryName}} <code class="muted">{{category}}</code></th><td><a href="{{vendorHref}}">{{vendorName}}</a>{{#candidate}} <span class="badge warning">{{labels.candidate}}</span>{{/candidate}}</td><td>{{role}}</td><td>{{#regionName}}{{regionName}}{{/regionName}}</td><td><time datetime="{{validFrom}}">{{validFrom}}</time></td><td>{{source}}</td><td><code>{{record}}</code></td></tr>
        {{/page.rows}}
        </tbody></table></div>
        {{/page.hasRows}}
        {{^page.hasRows}}<p class="muted" id="country-none">{{labels.noRows}}</p>{{/page.hasRows}}
        <p><a href="{{page.whereHref}}">{{labels.inWhere}}</a></p>
        {{> foot}}
        """,
        partials: [
            "fact_row": """
                <tr><th scope="row">{{fact}}</th><td>{{value}}</td><td>{{statement}}</td><td>{{effectiveFrom}}</td><td>{{effectiveTo}}</td><td>{{confidence}}</td><td>{{verifiedOn}}</td><td><ul class="sources">{{#sources}}<li>{{#url}}<a href="{{url}}" rel="noreferrer">{{text}}</a>{{/url}}{{^url}}{{text}}{{/url}}</li>{{/sources}}</ul></td></tr>

                """
        ])
}
