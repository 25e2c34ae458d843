@testable import DomicileAPI
import DomicileCore
import Foundation
import Hummingbird
import HummingbirdCore
import Testing

/// The where page's download links must ask the API exactly the page's question: the same
/// parameters, each value reaching the server as typed, however it is spelled.
@Suite("Console where form: the API URL of the page's question")
struct ConsoleWhereFormTests {
    /// Values a person may type that URL syntax would otherwise change.
    static let awkward = ["日本", "a&b=c", "50% off", "x+y z", "#frag", "メールアドレス", "aws/ap-northeast-1", "semi;colon", "quote\"'<>"]

    @Test func theLinkCarriesEachFilledFilterInTheFormsOrderThenTransitiveThenFormat() throws {
        let form = WhereForm(
            values: ["country": "JP", "service": "persona", "as_of": "2025-04-01", "vendor": "", "role": "  ", "region": "aws/ap-northeast-1"],
            transitive: true)
        #expect(form.apiTarget(format: "csv") == "/v1/where?service=persona&country=JP&region=aws%2Fap-northeast-1&as_of=2025-04-01&transitive=true&format=csv")
        #expect(form.apiTarget(format: "json") == "/v1/where?service=persona&country=JP&region=aws%2Fap-northeast-1&as_of=2025-04-01&transitive=true&format=json")
        #expect(form.pageTarget == "/where?service=persona&country=JP&region=aws%2Fap-northeast-1&as_of=2025-04-01&transitive=true")
        // An empty form still links to the API's whole answer, and asks nothing of the page yet.
        #expect(WhereForm().apiTarget(format: "csv") == "/v1/where?format=csv")
        #expect(WhereForm().isEmpty)
        #expect(WhereForm(values: ["vendor": " "]).isEmpty)
        #expect(!WhereForm(transitive: true).isEmpty)
    }

    @Test(arguments: ConsoleWhereFormTests.awkward)
    func everyValueReachesTheAPIsParserAsTyped(value: String) throws {
        let form = WhereForm(values: Dictionary(uniqueKeysWithValues: WhereForm.filters.map { ($0, value) }))
        let target = form.apiTarget(format: "csv")
        // Read back by the API's own parser, with the API's allowed parameters.
        let query = try QueryParameters(URI(target), allowed: Renderers.whereParameters)
        for name in WhereForm.filters { #expect(query[name] == value, "\(name) in \(target)") }
        #expect(query["format"] == "csv")
        #expect(query["transitive"] == nil)
        // Nothing but unreserved characters and escapes in the values.
        let values = target.split(separator: "?")[1].split(separator: "&").map { $0.split(separator: "=", maxSplits: 1)[1] }
        for part in values {
            #expect(part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._~%".contains($0)) }, "\(part)")
        }
    }

    @Test func theRequestIsTheOneTheAPIBuildsFromTheSameURL() throws {
        let form = WhereForm(
            values: ["service": "PERSONA", "category": "メールアドレス", "country": "日本", "vendor": "AWS", "role": "remote-access",
                     "region": "ap-northeast-1", "as_of": "2026-11-28"],
            transitive: true)
        let request = try form.whereRequest()
        #expect(
            request
                == WhereRequest(
                    service: "PERSONA", category: "メールアドレス", country: "日本", vendor: "AWS", role: "remote-access",
                    region: "ap-northeast-1", asOf: "2026-11-28", transitive: true))
        let viaAPI = try WhereForm.whereRequest(
            QueryParameters(URI(form.apiTarget(format: "json")), allowed: Renderers.whereParameters))
        #expect(request == viaAPI)
    }

    @Test func theFormReadsThePagesParametersAndRefusesWhatTheAPIRefuses() throws {
        let form = try WhereForm(query: ["service": "persona", "transitive": "true", "country": ""])
        #expect(form["service"] == "persona")
        #expect(form["country"] == "")
        #expect(form.transitive)
        #expect(try WhereForm(query: ["transitive": "on"]).transitive)
        #expect(try !WhereForm(query: [:]).transitive)

        let badTransitive = #expect(throws: APIError.self) { try WhereForm(query: ["transitive": "maybe"]) }
        #expect(badTransitive?.field == "transitive")
        #expect(badTransitive?.status == .badRequest)

        // A control character or an over-long value: the API's 400, naming the parameter.
        let control = #expect(throws: APIError.self) { try WhereForm(values: ["vendor": "aws\u{7}"]).whereRequest() }
        #expect(control?.field == "vendor")
        let long = #expect(throws: APIError.self) { try WhereForm(values: ["category": String(repeating: "x", count: 201)]).whereRequest() }
        #expect(long?.field == "category")
        #expect(long?.message.contains("1 to 200 printable characters") == true)
    }

    @Test func everyLabelAndRegistryCodeOfThePlacePagesHasBothLanguages() {
        for template in [ServicesPage.template, WherePage.template, CountriesPage.template, CountryPage.template] {
            for (name, label) in template.labels {
                #expect(!label.en.isEmpty && !label.ja.isEmpty, "\(template.name).\(name)")
            }
        }
        // Each code the pages show has its words: none falls through as the raw code.
        for role in WhereQuery.roles {
            #expect(PlaceWords.role(role, ja: true) != role && PlaceWords.role(role, ja: false) != "", "\(role)")
        }
        for fact in RegistrySnapshot.RegimeFact.order {
            #expect(PlaceWords.fact(fact, ja: true) != fact && PlaceWords.fact(fact, ja: false) != fact, "\(fact)")
        }
        for change in ["started", "ended", "changed", "signed", "expired", "renewed", "term_ended", "assessed"] {
            #expect(PlaceWords.change(change, ja: true) != change, "\(change)")
        }
        for kind in ["vendor", "residency", "entrustment", "sub_entrustee", "contract", "provision", "transmission", "assessment"] {
            #expect(PlaceWords.kind(kind, ja: true) != kind, "\(kind)")
        }
        for value in ["yes", "no", "partial", "home", "not_asserted", "not_applicable", "none", "sectoral", "broad", "verified", "reported", "general"] {
            #expect(PlaceWords.value(value, ja: true) != value, "\(value)")
        }
        // Sources: URLs become links, anything else stays text.
        let sources = PlaceWords.sources("https://a.example/x (copy) ; APPI Art. 28 ; javascript:alert(1) ; http://b.example")
        #expect(sources.map(\.url) == ["https://a.example/x", nil, nil, "http://b.example"])
        #expect(sources.map(\.text) == ["https://a.example/x (copy)", "APPI Art. 28", "javascript:alert(1)", "http://b.example"])
    }
}
