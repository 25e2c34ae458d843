@testable import DomicileCore
@testable import DomicileStore
import Foundation
import TestSupport
import Testing

/// A snapshot read from the database reads checklist answers only for the latest assessment
/// of each subject and checklist on its day (what every report, rule and console page
/// shows); superseded assessments come without them (`answersRead` false). In the large
/// registry superseded answers were two thirds of a million rows read for nothing.
@Suite("Latest answers only")
struct LatestAnswersTests {
    /// Older assessments of the same subjects and checklists as PERSONA's, with other answers,
    /// and one made after PERSONA's for aws (latest from 2026-12-01 on).
    static let older = """
        assessments:
          - key: aws-supervision-2025
            template: appi-entrustee-supervision
            vendor: aws
            assessed_on: 2025-11-20
            assessor: Older review
            next_review_on: 2026-11-20
            answers:
              - item: VEN-SEL-1
                status: unmet
                note: older answer, superseded
          - key: assign-security-2025
            template: appi-security-2022
            organization: assign
            assessed_on: 2025-11-01
            assessor: Older review
            next_review_on: 2026-11-01
            answers:
              - item: RUL-1
                status: unmet
                note: older answer, superseded
          - key: aws-supervision-2026b
            template: appi-entrustee-supervision
            vendor: aws
            assessed_on: 2026-12-01
            assessor: Newer review
            next_review_on: 2027-12-01
            answers:
              - item: VEN-SEL-1
                status: unmet
                note: newest answer
        """

    /// The snapshot as it was read before: every assessment with its answers.
    static func everything(_ store: Store, asOf: Day) throws -> RegistrySnapshot {
        try store.read { _ in
            try RegistrySnapshot(
                revision: try store.revision(), asOf: asOf, templates: try store.snapshotTemplates(),
                countries: try store.snapshotCountries(asOf: asOf)
            ) { kind in try store.records(kind, asOf: asOf) }
        }
    }

    @Test("Only the latest assessment of each subject and checklist has its answers read, and every report and the check are the same as with every answer")
    func latestOnly() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try SnapshotTests.persona(db)
            _ = try WritePath.importText(Self.older, file: "older.yaml", into: store, actor: "test")
            let cases: [(Day, Set<String>, Set<String>)] = [
                // (day, latest: answers read, superseded: not read)
                (Day("2026-01-01")!, ["aws-supervision-2025", "assign-security-2025"], []),
                (ReportTests.asOf, ["aws-supervision-2026", "assign-security-2026", "tsubame-support-supervision-2026"],
                 ["aws-supervision-2025", "assign-security-2025"]),
                (Day("2026-12-06")!, ["aws-supervision-2026b", "assign-security-2026", "tsubame-support-supervision-2026"],
                 ["aws-supervision-2025", "aws-supervision-2026", "assign-security-2025"]),
            ]
            for (day, latest, superseded) in cases {
                let snapshot = try store.snapshot(asOf: day)
                let whole = try Self.everything(store, asOf: day)
                #expect(Set(snapshot.assessments.filter(\.answersRead).map(\.key)) == latest, "as of \(day)")
                #expect(Set(snapshot.assessments.filter { !$0.answersRead }.map(\.key)) == superseded, "as of \(day)")
                #expect(snapshot.assessments.map(\.key) == whole.assessments.map(\.key), "the same assessments, as of \(day)")
                for assessment in snapshot.assessments where assessment.answersRead {
                    let same = whole.assessments.first { $0.key == assessment.key }
                    #expect(assessment.answers == same?.answers, "\(assessment.key) as of \(day)")
                    #expect(!assessment.answers.isEmpty, "\(assessment.key) has answers")
                }
                for kind in ReportKind.allCases {
                    for format in kind.formats {
                        for lang in ReportLanguage.allCases {
                            let expected = try ReportRenderer.render(kind, whole, format: format, lang: lang, generatedAt: ReportTests.generatedAt)
                            let actual = try ReportRenderer.render(kind, snapshot, format: format, lang: lang, generatedAt: ReportTests.generatedAt)
                            #expect(actual.bytes == expected.bytes, "\(kind.rawValue).\(format.rawValue) \(lang.rawValue) as of \(day)")
                        }
                    }
                }
                #expect(Checker.run(snapshot) == Checker.run(whole), "the check as of \(day)")
            }
        }
    }
}
