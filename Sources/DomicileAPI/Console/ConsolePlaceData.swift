import DomicileCore
import DomicileStore
import Foundation

// What the Services, Where and Countries pages read: the store queries of the API and the
// command line (`service list`, `where`, `diff`, `country show`, `country facts`), each run
// in the page's one read-only transaction.

/// `/services?as_of=D[&compare=D2]`: each service in force on `as_of`, where each of its data
/// categories lives (the residency rows of `where --service S --as-of D`), and, with `compare`,
/// what started, ended or changed between the two days (`diff`, earlier day first).
struct ServicesPageData: Sendable {
    struct Service: Sendable {
        var key: String
        var rows: [WhereRow]
    }

    var asOf: Day
    var compare: Day?
    var services: [Service]
    /// `nil` without `compare`, or when `compare` is `asOf`.
    var diff: RegistryDiff?
    var names: PlaceNames

    static let parameters = ["as_of", "compare"]

    static func read(_ store: Store, asOf: Day, compare: Day?) throws -> ServicesPageData {
        let services = try store.records(.service, asOf: asOf).compactMap(\.key)
        let answer = try store.where(WhereQuery(asOf: asOf))
        let byService = Dictionary(grouping: answer.rows, by: \.service)
        var diff: RegistryDiff?
        if let compare, compare != asOf {
            diff = try store.diff(from: min(asOf, compare), to: max(asOf, compare))
        }
        return ServicesPageData(
            asOf: asOf, compare: compare,
            services: services.map { Service(key: $0, rows: byService[$0] ?? []) },
            diff: diff, names: try PlaceNames.read(store))
    }
}

/// `/where?…`: the answer of `GET /v1/where` for the same filters, or the issues that refuse them.
struct WherePageData: Sendable {
    var form: WhereForm
    /// `nil` when the form is empty or refused.
    var answer: WhereAnswer?
    /// What the API would refuse the question with, every issue (the API answers the first).
    var issues: [Issue]
    /// The services in force today, for the form's list.
    var services: [String]
    var names: PlaceNames

    /// Reads the answer, or the issues; `request` is `form.whereRequest()`, already parsed
    /// (`nil`: nothing asked yet, only the form is shown).
    static func read(_ store: Store, form: WhereForm, request: WhereRequest?, today: Day) throws -> WherePageData {
        var answer: WhereAnswer?
        var issues: [Issue] = []
        if let request {
            do {
                answer = try store.where(try store.whereQuery(request, today: today))
            } catch let error as InputError {
                issues = error.issues
            }
        }
        return WherePageData(
            form: form, answer: answer, issues: issues, services: try store.records(.service, asOf: today).compactMap(\.key),
            names: try PlaceNames.read(store))
    }
}

/// `/countries?as_of=D`: every country where data lives on `as_of` (`where --transitive --by
/// country`), with its regime flags that day, and the rows whose country is undisclosed.
struct CountriesPageData: Sendable {
    var asOf: Day
    var countries: [CountrySummary]
    var names: PlaceNames

    static let parameters = ["as_of"]

    static func read(_ store: Store, asOf: Day) throws -> CountriesPageData {
        let answer = try store.where(WhereQuery(asOf: asOf, transitive: true, grouping: .country))
        return CountriesPageData(asOf: asOf, countries: answer.byCountry(), names: try PlaceNames.read(store))
    }
}

/// `/countries/{code}?as_of=D`: one country's names, every dated regime fact (those in force
/// on `as_of` apart), and what lives there that day (`where --country CC --transitive`,
/// undisclosed rows naming it as a candidate included).
struct CountryPageData: Sendable {
    struct Fact: Sendable {
        var fact: String
        var value: String
        var effectiveFrom: Day?
        var effectiveTo: Day?
        var confidence: String
        var verifiedOn: String
        var source: String
        var publicEn: String
        var publicJa: String

        /// As `country facts --as-of` and reports read it: from its start through the day of
        /// the event that ended it; no known start holds until its end.
        func inForce(on day: Day) -> Bool {
            (effectiveFrom.map { $0 <= day } ?? true) && (effectiveTo.map { day <= $0 } ?? true)
        }
    }

    var code: String
    var alpha3: String
    var asOf: Day
    var facts: [Fact]
    var rows: [WhereRow]
    var names: PlaceNames

    static let parameters = ["as_of"]

    /// `nil` when `code` is no ISO 3166-1 alpha-2 code the registry knows; the caller answers
    /// as `/v1/countries/{code}` does (`CountryPageData.unknown`).
    static func read(_ store: Store, code: String, asOf: Day) throws -> CountryPageData? {
        let code = code.uppercased()
        let listing = try store.countries(code: code)
        guard let row = listing.rows.first else { return nil }
        func cell(_ row: [String], _ columns: [String], _ name: String) -> String {
            columns.firstIndex(of: name).map { row[$0] } ?? ""
        }
        let facts = try store.regimeFacts(code: code, asOf: nil)
        let answer = try store.where(WhereQuery(country: code, asOf: asOf, transitive: true))
        return CountryPageData(
            code: code, alpha3: cell(row, listing.columns, "alpha3"), asOf: asOf,
            facts: facts.rows.map { fact in
                Fact(
                    fact: cell(fact, facts.columns, "fact"), value: cell(fact, facts.columns, "value"),
                    effectiveFrom: Day(cell(fact, facts.columns, "effective_from")),
                    effectiveTo: Day(cell(fact, facts.columns, "effective_to")),
                    confidence: cell(fact, facts.columns, "confidence"), verifiedOn: cell(fact, facts.columns, "verified_on"),
                    source: cell(fact, facts.columns, "source"), publicEn: cell(fact, facts.columns, "public_en"),
                    publicJa: cell(fact, facts.columns, "public_ja"))
            },
            rows: answer.rows, names: try PlaceNames.read(store))
    }

    /// The 404 `/v1/countries/{code}` answers for a code that is none, with its suggestion.
    static func unknown(_ store: Store, code: String) throws -> APIError {
        let index = try store.referenceIndex()
        var message = "country '\(code)' is not an ISO 3166-1 alpha-2 code"
        if let guess = CountryGuess.guess(code, countries: index.countries) {
            message += "; did you mean \(guess) (\(index.countries[guess] ?? guess))?"
        }
        return APIError(.notFound, code: "input.unknown_country", message: message, field: "code", value: code)
    }
}
