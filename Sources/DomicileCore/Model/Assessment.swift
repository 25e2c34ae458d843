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
        /// In the template's item order.
        public let answers: [Answer]

        public init(
            key: String, template: String, organization: String? = nil, vendor: String? = nil, assessedOn: Day,
            assessor: String, nextReviewOn: Day, notes: String? = nil, answers: [Answer] = []
        ) {
            self.key = key
            self.template = template
            self.organization = organization
            self.vendor = vendor
            self.assessedOn = assessedOn
            self.assessor = assessor
            self.nextReviewOn = nextReviewOn
            self.notes = notes
            self.answers = answers
        }
    }
}
