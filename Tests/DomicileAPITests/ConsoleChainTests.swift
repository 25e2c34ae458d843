@testable import DomicileAPI
import DomicileCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The console's sub-entrustee drawing (`SubEntrusteeDiagram`): which vendors the chain
/// holds, where each handles the data, and that the SVG stays within the console's
/// Content-Security-Policy, names itself, and escapes what the registry holds.
@Suite("Console: the sub-entrustee chain")
struct ConsoleChainTests {
    typealias Snapshot = RegistrySnapshot
    static let day = Day("2026-06-01")!

    static func vendor(_ key: String, _ name: String, ja: String? = nil, hq: String = "JP") -> Snapshot.Vendor {
        Snapshot.Vendor(
            key: key, legalName: name, nameJa: ja, kinds: [.entrustee], headquarters: hq, riskTier: .medium, validFrom: Day("2020-01-01")!)
    }

    static func entrustment(_ key: String, to vendor: String, subs: [Snapshot.SubEntrustee]) -> Snapshot.Entrustment {
        Snapshot.Entrustment(
            key: key, service: "svc", vendor: vendor, categories: ["user.name"], subEntrustees: subs, validFrom: Day("2020-01-01")!)
    }

    /// tsubame → hikari (JP) → kumo (US, SG); tsubame → ame (no country); and, in another
    /// entrustment, hikari → tsubame (a loop back to the top); `other` works for nobody here.
    static func snapshot(tsubameName: String = "Tsubame Support") -> Snapshot {
        Snapshot(
            revision: 1, asOf: day,
            vendors: [
                vendor("tsubame", tsubameName, ja: "つばめサポート"), vendor("hikari", "Hikari Mail", ja: "ひかりメール"),
                vendor("kumo", "Kumo Cloud", hq: "US"), vendor("ame", "Ame Print"), vendor("other", "Other"),
            ],
            entrustments: [
                entrustment(
                    "support", to: "tsubame",
                    subs: [
                        .init(vendor: "hikari", via: "tsubame", countries: ["JP"]),
                        .init(vendor: "kumo", via: "hikari", countries: ["US", "SG"]),
                        .init(vendor: "ame", via: "tsubame"),
                        // ended before the day: not part of the chain
                        .init(vendor: "other", via: "tsubame", countries: ["FR"], validTo: Day("2025-01-01")!),
                    ]),
                entrustment("mail", to: "hikari", subs: [.init(vendor: "tsubame", via: "hikari", countries: ["JP"])]),
                entrustment("unrelated", to: "other", subs: [.init(vendor: "kumo", via: "other", countries: ["DE"])]),
            ],
            countries: [
                .init(code: "JP", name: "Japan", nameJa: "日本"), .init(code: "US", name: "United States", nameJa: "米国"),
                .init(code: "SG", name: "Singapore", nameJa: "シンガポール"), .init(code: "DE", name: "Germany", nameJa: "ドイツ"),
            ])
    }

    @Test func theChainFollowsEachSubEntrusteeDownWithItsCountriesAndStopsAtALoop() {
        let (root, truncated) = SubEntrusteeDiagram.tree(of: "tsubame", in: Self.snapshot())
        #expect(!truncated)
        let rows = SubEntrusteeDiagram.rows(root)
        #expect(rows.map(\.path) == [["ame"], ["hikari"], ["hikari", "kumo"], ["hikari", "tsubame"]])
        let byPath = Dictionary(uniqueKeysWithValues: rows.map { ($0.path.joined(separator: "/"), $0.node) })
        #expect(byPath["hikari"]?.countries == ["JP"])
        // kumo's work for `other` (Germany) is not tsubame's chain
        #expect(byPath["hikari/kumo"]?.countries == ["SG", "US"])
        #expect(byPath["ame"]?.countries == [])
        #expect(byPath["hikari/tsubame"]?.loop == true)
        #expect(byPath["hikari/tsubame"]?.children.isEmpty == true)
        #expect(byPath["hikari"]?.entrustments == ["support"])
    }

    @Test func aVendorThatIsItselfASubEntrusteeShowsWhoWorksForIt() {
        let (root, _) = SubEntrusteeDiagram.tree(of: "hikari", in: Self.snapshot())
        #expect(SubEntrusteeDiagram.rows(root).map(\.path) == [["kumo"], ["tsubame"], ["tsubame", "ame"], ["tsubame", "hikari"]])
        let (alone, _) = SubEntrusteeDiagram.tree(of: "ame", in: Self.snapshot())
        #expect(alone.children.isEmpty)
    }

    @Test func theDrawingNamesEveryVendorAndCountryInTheChosenLanguage() {
        let snapshot = Self.snapshot()
        let (root, _) = SubEntrusteeDiagram.tree(of: "tsubame", in: snapshot)
        let en = SubEntrusteeDiagram.svg(root, labels: .of(snapshot, .en))
        for text in ["Tsubame Support", "Hikari Mail", "Kumo Cloud", "Ame Print", "Japan (JP)", "Singapore (SG)", "no country recorded"] {
            #expect(en.contains(text), "\(text)")
        }
        #expect(!en.contains("Germany"))
        #expect(!en.contains(">Other<"))
        #expect(en.contains("<title id=\"chain-title\">Sub-entrustee chain of Tsubame Support</title>"))
        #expect(en.contains("has 4 sub-entrustees over 2 levels"))

        let ja = SubEntrusteeDiagram.svg(root, labels: .of(snapshot, .ja))
        for text in ["つばめサポート", "ひかりメール", "日本 (JP)", "米国 (US)", "国の記録なし", "つばめサポートの再委託先の連鎖"] {
            #expect(ja.contains(text), "\(text)")
        }
    }

    @Test func theDrawingNeedsNothingTheContentSecurityPolicyForbids() throws {
        let snapshot = Self.snapshot()
        let (root, _) = SubEntrusteeDiagram.tree(of: "tsubame", in: snapshot)
        let svg = SubEntrusteeDiagram.svg(root, labels: .of(snapshot, .en), id: "chain-tsubame")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chain-tsubame-title chain-tsubame-desc\""))
        for forbidden in ["style=", "<style", "<script", "href=", "url("] {
            #expect(!svg.lowercased().contains(forbidden), "\(forbidden)")
        }
        // no event handler attribute (` onload=`, ` onclick=` …)
        #expect(svg.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil)
        // well-formed XML
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    }

    @Test func markupInAVendorNameIsTextInTheDrawing() {
        let snapshot = Self.snapshot(tsubameName: "<script>alert(1)</script> & \"Co\"")
        let (root, _) = SubEntrusteeDiagram.tree(of: "tsubame", in: snapshot)
        let svg = SubEntrusteeDiagram.svg(root, labels: .of(snapshot, .en))
        #expect(!svg.contains("<script"))
        #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"))
        #expect(XMLParser(data: Data(svg.utf8)).parse())
    }

    @Test func anEndlessChainIsCutAndSaysSo() {
        // v0 → v1 → … → v299, each via the one before
        let keys = (0..<300).map { "v\($0)" }
        let snapshot = Snapshot(
            revision: 1, asOf: Self.day, vendors: keys.map { Self.vendor($0, $0.uppercased()) },
            entrustments: [
                Self.entrustment(
                    "long", to: "v0", subs: (1..<300).map { Snapshot.SubEntrustee(vendor: "v\($0)", via: "v\($0 - 1)", countries: ["JP"]) })
            ])
        let (root, truncated) = SubEntrusteeDiagram.tree(of: "v0", in: snapshot)
        #expect(truncated)
        let rows = SubEntrusteeDiagram.rows(root)
        #expect(rows.count < SubEntrusteeDiagram.maximumNodes)
        #expect(rows.map(\.depth).max() == SubEntrusteeDiagram.maximumDepth - 1)
        #expect(SubEntrusteeDiagram.svg(root, truncated: truncated, labels: .of(snapshot, .en)).contains("(cut short)"))
    }
}
