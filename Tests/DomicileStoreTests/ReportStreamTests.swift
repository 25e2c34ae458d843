@testable import DomicileCore
import DomicileStore
import Foundation
import TestSupport
import Testing

/// Reports rendered a piece at a time (`ReportRenderer.stream`) against the same reports
/// built whole (one template render, one `JSONEncoder` pass: `renderWhole`).
@Suite("Streamed reports")
struct ReportStreamTests {
    @Test("Every report, in every format and language, streams in pieces the bytes of the report built whole, with its fingerprint")
    func streamedIsWhole() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try SnapshotTests.persona(db)
            for asOf in [ReportTests.asOf, Day("2019-01-01")!] {
                let snapshot = try store.snapshot(asOf: asOf)
                for kind in ReportKind.allCases {
                    for format in kind.formats {
                        for lang in ReportLanguage.allCases {
                            let whole = try ReportRenderer.renderWhole(kind, snapshot, format: format, lang: lang, generatedAt: ReportTests.generatedAt)
                            var chunks = try ReportRenderer.stream(kind, snapshot, format: format, lang: lang, generatedAt: ReportTests.generatedAt)
                            chunks.chunkSize = 1  // one chunk per rendered piece
                            var pieces: [[UInt8]] = []
                            while let chunk = chunks.next() { pieces.append(chunk) }
                            let name = "\(kind.rawValue).\(format.rawValue) \(lang.rawValue) as of \(asOf)"
                            #expect(pieces.joined().elementsEqual(whole.bytes), "\(name) differs from the report built whole")
                            #expect(chunks.fingerprint == whole.fingerprint, "\(name): fingerprint")
                            if asOf == ReportTests.asOf && "\(kind.rawValue).\(format.rawValue)" != "disclosure.html" { #expect(pieces.count > 2, "\(name) came in \(pieces.count) pieces") }
                            // each piece is whole UTF-8 text
                            #expect(pieces.allSatisfy { String(validating: $0, as: UTF8.self) != nil }, "\(name): a piece splits a character")
                        }
                    }
                }
            }
        }
    }

    @Test("A report that leaves some records unread (the residency tables: no checklist answers) is the same report as from the whole registry")
    func unreadKindsChangeNothing() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try SnapshotTests.persona(db)
            let whole = try store.snapshot(asOf: ReportTests.asOf)
            #expect(!whole.assessments.isEmpty && !whole.transmissions.isEmpty, "the example has what is skipped")
            for kind in ReportKind.allCases {
                for format in kind.formats where !kind.unread(format).isEmpty {
                    let partial = try store.snapshot(asOf: ReportTests.asOf, skipping: kind.unread(format))
                    for lang in ReportLanguage.allCases {
                        let expected = try ReportRenderer.render(kind, whole, format: format, lang: lang, generatedAt: ReportTests.generatedAt)
                        let actual = try ReportRenderer.render(kind, partial, format: format, lang: lang, generatedAt: ReportTests.generatedAt)
                        #expect(actual.bytes == expected.bytes, "\(kind.rawValue).\(format.rawValue) \(lang.rawValue) differs without \(kind.unread(format))")
                    }
                }
            }
        }
    }

    @Test("The fingerprint is the SHA-256 of the content's canonical JSON, the same each time for the same revision and day")
    func fingerprintStable() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try SnapshotTests.persona(db)
            let first = try store.snapshot(asOf: ReportTests.asOf)
            let again = try store.snapshot(asOf: ReportTests.asOf)
            for kind in ReportKind.allCases {
                let data = ReportRenderer.model(kind, first)
                let streamed = ReportRenderer.fingerprint(kind: kind, lang: .en, snapshot: first, data: data)
                #expect(streamed == ReportRenderer.fingerprintWhole(kind: kind, lang: .en, snapshot: first, data: data))
                #expect(streamed == ReportRenderer.fingerprint(kind: kind, lang: .en, snapshot: again, data: ReportRenderer.model(kind, again)))
                // what a user recomputes from the JSON form: kind, lang, revision, as-of and data, keys sorted
                let json = try ReportRenderer.render(kind, first, format: .json, generatedAt: Date())
                let object = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any])
                let header = try #require(object["report"] as? [String: Any])
                #expect(header["fingerprint"] as? String == streamed)
            }
        }
    }
}
