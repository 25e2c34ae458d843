import DomicileCore
import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Export → import into another registry → export gives the same bytes, and every text
/// survives the trip unchanged.
@Suite("Export round trip")
struct ExportRoundTripTests {
    /// Imports `text` (an export) into a fresh seeded registry and returns that registry's export.
    static func reexport(_ text: String) async throws -> (plan: ImportPlan, export: String, document: RegistryDocument) {
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            let plan = try WritePath.importText(text, file: "export.yaml", into: store)
            #expect(try WritePath.importText(text, file: "export.yaml", into: store).isEmpty, "importing an export twice changes nothing")
            return (plan, try WritePath.export(store), try store.document())
        }
    }

    @Test("The PERSONA registry exports, imports into an empty registry and exports byte-identically")
    func personaRoundTripsByteIdentically() async throws {
        let first = try await WritePath.withPersona { _, store in try WritePath.export(store) }
        #expect(first.contains("persona-privacy@a-ssign.com"))
        #expect(first.contains("株式会社ASSIGN"))
        #expect(first.contains("persona-support-desk"))
        #expect(first.contains("EXT-1d"))

        let (plan, second, _) = try await Self.reexport(first)

        #expect(plan.changed.isEmpty, "only the example's records are new: \(plan.changed.map { "\($0.key) \($0.fields)" })")
        #expect(plan.added.contains { $0.kind == .assessment && $0.key == "assign-security-2026" })
        #expect(second == first, "first difference: \(Self.firstDifference(first, second))")
    }

    static let trickyVendor = Record([
        "key": .string("tricky"),
        "legal_name": .string("Tricky: \"Quoted\" & 'Single' K.K."),
        "name_ja": .string("株式会社トリッキー「引用」：全角コロン"),
        "aliases": .list([
            "true", "null", "yes", "No", "~", "2025-01-01", "0x1F", "1e3", "123", "1:30", "- dash", "# hash",
            "key: value", "[not a list]", "{not: a map}", "&anchor", "*alias", "!tag", "%percent", "@at", "`tick`",
            "| pipe", "> fold", "trailing space ", " leading space", "'single'", "\"double\"", "日本語",
        ]),
        "kinds": .list(["entrustee"]),
        "headquarters": .string("JP"),
        "website": .string("https://example.jp/パス?q=a:b#frag"),
        "risk_tier": .string("low"),
        "owner": .string("NULL"),
        "contacts": .records([
            Record(["name": .string("false"), "role": .string("2025-04-01"), "email": .string("a.b+c@example.jp")]),
            Record(["name": .string("窓口: 個人情報"), "role": .string("off")]),
        ]),
        "notes": .string("""
            First line: with a colon.
              Indented "second" line — 日本語のメモ。
            'Third' line # not a comment
            \tA tab-indented line (a note may hold tabs; a name may not)

            After a blank line, ending without a newline
            """),
        "valid_from": .string("2024-02-29"),
    ])

    static let trickyDocument: RegistryDocument = {
        var document = RegistryDocument()
        document[.organization] = [Record([
            "key": .string("kabushiki"), "name": .string("Kabushiki Kaisha \"K\": Holdings"), "name_ja": .string("株式会社ケー・ホールディングス"),
            "country": .string("JP"), "address": .string("東京都千代田区1-1-1\nビル 10F"), "representative": .string("yes"),
        ])]
        document[.vendor] = [
            trickyVendor,
            Record([
                "key": .string("trailing"), "legal_name": .string("Trailing Newline Inc."), "kinds": .list(["entrustee"]),
                "headquarters": .string("US"), "risk_tier": .string("medium"),
                "notes": .string("ends with a newline\n"), "valid_from": .string("2024-01-01"),
            ]),
        ]
        document[.service] = [Record([
            "key": .string("svc"), "name": .string("true"), "organization": .string("kabushiki"),
            "description": .string("1.0"), "valid_from": .string("2024-01-01"),
        ])]
        document[.transmission] = [Record([
            "key": .string("svc-tag"), "service": .string("svc"), "tool": .string("Tag: \"GA4\""), "recipient": .string("tricky"),
            "information": .list(["IP address", "null", "on"]), "information_ja": .list(["IPアドレス", "閲覧履歴：ページ"]),
            "purpose": .string("2025-01-01"), "purpose_ja": .string("利用状況の把握\n（改善のため）"), "basis": .string("notice"),
            "valid_from": .string("2024-01-01"),
        ])]
        return document
    }()

    @Test("Japanese text, quotes, colons, 'true'/'null'/date-like text and multi-line notes survive export and import")
    func trickyTextRoundTrips() async throws {
        let text = RegistryYAML.emit(Self.trickyDocument)

        let (plan, export, document) = try await Self.reexport(text)

        #expect(plan.added.count == Self.trickyDocument.count)
        for kind in [EntityKind.organization, .vendor, .service, .transmission] {
            for original in Self.trickyDocument[kind] {
                let stored = document[kind].first { $0.key == original.key }
                #expect(stored == original, "\(kind) \(original.key ?? "")")
                if let stored, stored != original {
                    for (field, value) in original.values where stored[field] != value {
                        Testing.Issue.record("\(field): wrote \(value), read back \(String(describing: stored[field]))")
                    }
                }
            }
        }
        let expected = RegistryYAML.emit(Self.trickyDocument)
        let exportedPart = Self.section(export, keys: ["organizations:", "services:", "vendors:", "transmissions:"])
        #expect(exportedPart == Self.section(expected, keys: ["organizations:", "services:", "vendors:", "transmissions:"]))

        let (_, again, _) = try await Self.reexport(export)
        #expect(again == export, "first difference: \(Self.firstDifference(export, again))")
    }

    /// The lines of `text` from the first of `keys` to the next top-level section not in `keys`.
    static func section(_ text: String, keys: [String]) -> String {
        var keep = false
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first != " ", first != "-" { keep = keys.contains(String(line)) }
            if keep { lines.append(line) }
        }
        return lines.joined(separator: "\n")
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let left = a.split(separator: "\n", omittingEmptySubsequences: false)
        let right = b.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? String(left[index]) : "<end>"
            let r = index < right.count ? String(right[index]) : "<end>"
            if l != r { return "line \(index + 1): \(l.debugDescription) vs \(r.debugDescription)" }
        }
        return "none"
    }
}
