import Foundation

extension RegistrySnapshot {
    public enum AnswerStatus: String, Sendable, Hashable, CaseIterable {
        case met, partial, unmet
        case notApplicable = "not_applicable"
    }

    public struct Answer: Sendable, Hashable {
        public let item: String
        public let status: AnswerStatus
        public let evidence: String?
        public let note: String?
        /// The sentence the privacy policy publishes for this measure (the organization's own words), in English and Japanese.
        public let publicStatement: String?
        public let publicStatementJa: String?

        public init(
            item: String, status: AnswerStatus, evidence: String? = nil, note: String? = nil, publicStatement: String? = nil,
            publicStatementJa: String? = nil
        ) {
            self.publicStatement = publicStatement
            self.publicStatementJa = publicStatementJa
            self.item = item
            self.status = status
            self.evidence = evidence
            self.note = note
        }
    }

    public struct Assessment: Sendable, Hashable {
        public let key: String
        public let template: String
        /// Exactly one of `organization` and `vendor` is set: who was assessed.
        public let organization: String?
        public let vendor: String?
        public let assessedOn: Day
        public let assessor: String
        public let nextReviewOn: Day
        public let notes: String?
        /// Whether `answers` were read. A snapshot read from the database reads them only for
        /// the latest assessment of each subject and checklist (`Compliance.latestAssessments`,
        /// the only ones a report, a rule or a page shows): a superseded one's answers are a
        /// third to a half of a large registry's reading time and memory.
        public let answersRead: Bool
        private let readAnswers: [Answer]
        /// In the template's item order. Asking a superseded assessment of a snapshot for its
        /// answers stops a debug build (tests), so nothing reads an empty list for "not read".
        public var answers: [Answer] {
            assert(answersRead, "the answers of superseded assessment \(key) were not read: read the latest (Compliance.latestAssessments)")
            return readAnswers
        }

        public init(
            key: String, template: String, organization: String? = nil, vendor: String? = nil, assessedOn: Day,
            assessor: String, nextReviewOn: Day, notes: String? = nil, answers: [Answer] = [], answersRead: Bool = true
        ) {
            self.key = key
            self.template = template
            self.organization = organization
            self.vendor = vendor
            self.assessedOn = assessedOn
            self.assessor = assessor
            self.nextReviewOn = nextReviewOn
            self.notes = notes
            self.readAnswers = answers
            self.answersRead = answersRead
        }
    }
}

extension RegistrySnapshot.Assessment {
    init(_ r: FieldReader) { self.init(r, answersRead: true) }

    /// With `answersRead` false the record was read without its answers.
    init(_ r: FieldReader, answersRead: Bool) {
        self.init(
            key: r.text("key"), template: r.text("template"), organization: r.string("organization"),
            vendor: r.string("vendor"), assessedOn: r.day("assessed_on"), assessor: r.text("assessor"),
            nextReviewOn: r.day("next_review_on"), notes: r.string("notes"),
            answers: r.records("answers").map {
                RegistrySnapshot.Answer(
                    item: $0.text("item"), status: RegistrySnapshot.AnswerStatus(rawValue: $0.text("status")) ?? .unmet,
                    evidence: $0.string("evidence"), note: $0.string("note"),
                    publicStatement: $0.string("public_statement"), publicStatementJa: $0.string("public_statement_ja"))
            }, answersRead: answersRead)
    }
}
