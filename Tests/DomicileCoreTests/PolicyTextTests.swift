import DomicileCore
import Foundation
import Testing

/// Reading a privacy policy for the countries, recipients and tools it names.
@Suite struct PolicyTextTests {
    static let names = CountryNames.names(CheckFixture.countries.map {
        CountryNames.Entry(code: $0.code, nameEN: $0.name, nameJA: $0.nameJa, officialNameEN: $0.officialName)
    })

    static func codes(_ text: String) -> Set<String> {
        Set(PolicyText(text).countries(named: names).keys)
    }

    @Test func englishNamesOfficialNamesAndCommonShortForms() {
        #expect(Self.codes("Data storage countries: Japan, United States of America") == ["JP", "US"])
        #expect(Self.codes("stored in the USA and the U.K.") == ["US", "GB"])
        #expect(Self.codes("Servers in the Republic of Korea and in South Korea") == ["KR"])
        #expect(Self.codes("Korea, Democratic People's Republic of") == ["KP"])
        #expect(Self.codes("Federal Republic of Germany") == ["DE"])
    }

    @Test func japaneseNamesIncludingParenthesizedAndCommonForms() {
        #expect(Self.codes("データの保存国：日本、米国") == ["JP", "US"])
        #expect(Self.codes("委託先の所在国：韓国、アメリカ合衆国") == ["KR", "US"])
        #expect(Self.codes("日本国内のサーバー") == ["JP"])
    }

    @Test func theLongestNameWinsWhereNamesOverlap() {
        #expect(Self.codes("Papua New Guinea") == ["PG"])
        #expect(Self.codes("Guinea") == ["GN"])
        #expect(Self.codes("インドネシアのデータセンター") == ["ID"])
        #expect(Self.codes("インドのデータセンター") == ["IN"])
    }

    @Test func wordsThatContainACountryNameAreNotThatCountry() {
        #expect(Self.codes("a woman from New Mexico; Omani food; Indian ink; turkey sandwiches; CONTACT US") == [])
        #expect(Self.codes("ブラウザのウインドウを閉じる") == [], "インド is not in ウインドウ")
        #expect(Self.codes("OMAN and TÜRKIYE in capitals") == ["OM", "TR"])
    }

    @Test func fullWidthLettersMarkdownAndLineBreaksAreNormalized() {
        #expect(Self.codes("ＪＡＰＡＮ") == ["JP"])
        #expect(Self.codes("**United\nStates** of America") == ["US"])
        #expect(PolicyText("| Google Analytics | Google LCC |").mentions(anyOf: ["google lcc"]))
    }

    @Test func recipientsAndToolsMatchWholeWordsIgnoringCase() {
        let policy = PolicyText("Recipient: GOOGLE LCC. Tool: Google Analytics 4.")
        #expect(policy.mentions(anyOf: ["Google LLC", "Google LCC"]))
        #expect(policy.mentions(anyOf: ["google analytics"]))
        #expect(!policy.mentions(anyOf: ["Goog"]))
        #expect(!policy.mentions(anyOf: ["Analytics 40"]))
        #expect(!policy.mentions(anyOf: [""]))
    }

    @Test func theUndisclosedLocationNoteIsRecognisedInEnglishAndJapanese() {
        #expect(PolicyText("the location of data storage may not be disclosed").mentionsUndisclosedLocation)
        #expect(PolicyText("保存国を特定できない場合があります").mentionsUndisclosedLocation)
        #expect(!PolicyText("Data storage countries: Japan").mentionsUndisclosedLocation)
    }

    @Test func thePersonaPolicyNamesJapanAndTheUnitedStatesOnly() throws {
        let root = CheckFixture.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("seeds/examples/persona-privacy-policy.txt"), encoding: .utf8)
        let policy = PolicyText(text)
        #expect(Set(policy.countries(named: Self.names).keys) == ["JP", "US"])
        #expect(policy.mentionsUndisclosedLocation)
        #expect(policy.mentions(anyOf: ["Google LLC", "Google", "Google LCC"]))
    }
}
