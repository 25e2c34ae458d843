import Foundation
import Postgres
import Testing

/// Valid rows and one bad row per constraint of schema/0015_evidence_files.sql, for the
/// schema-constraint suite (`Violations.all` must name every constraint of the schema).
extension Valid {
    static let hash = "encode(sha256('evidence'::bytea), 'hex')"
    static let evidenceContent = RowTemplate("evidence_content", [("sha256", hash), ("size_bytes", "8"), ("content", "'evidence'::bytea")])
    static let evidence = RowTemplate("evidence", [
        ("entrustment_id", F.entrustment), ("file_name", "'contract.pdf'"), ("media_type", "'application/pdf'"),
        ("sha256", hash), ("size_bytes", "8"),
    ])
}

extension Violations {
    /// The evidence row needs its bytes first.
    static func evidenceCheck(_ constraint: String, _ row: RowTemplate, _ label: String? = nil) -> Violation {
        Violation(constraint: constraint, sqlState: PostgresError.Code.checkViolation, sql: row.insertSQL, setup: Valid.evidenceContent.insertSQL, label: label)
    }

    static let evidence: [Violation] = [
        .check("evidence_content_size_matches", Valid.evidenceContent.with(("size_bytes", "9"))),
        .check("evidence_content_hash_matches", Valid.evidenceContent.with(("sha256", "repeat('0', 64)"))),
        .foreignKey("evidence_content_fkey", Valid.evidence),
        .foreignKey("evidence_content_fkey", Valid.evidence.with(("size_bytes", "9")), setup: Valid.evidenceContent.insertSQL),
        .foreignKey("evidence_entrustment_id_fkey", Valid.evidence.with(("entrustment_id", missing)), setup: Valid.evidenceContent.insertSQL),
        .foreignKey("evidence_assessment_id_fkey", Valid.evidence.with(("entrustment_id", "NULL"), ("assessment_id", missing), ("item_id", "'BP-1'")), setup: Valid.evidenceContent.insertSQL),
        .foreignKey("evidence_vendor_id_fkey", Valid.evidence.with(("entrustment_id", "NULL"), ("vendor_id", missing)), setup: Valid.evidenceContent.insertSQL),
        evidenceCheck("evidence_item_id_length", Valid.evidence.with(("entrustment_id", "NULL"), ("assessment_id", F.assessment), ("item_id", "''"))),
        evidenceCheck("evidence_file_name_plain", Valid.evidence.with(("file_name", "'../contract.pdf'")), "a path"),
        evidenceCheck("evidence_file_name_plain", Valid.evidence.with(("file_name", "'..'")), ".."),
        evidenceCheck("evidence_file_name_plain", Valid.evidence.with(("file_name", "E'a\\nb.pdf'")), "a line break"),
        evidenceCheck("evidence_media_type_form", Valid.evidence.with(("media_type", "'application/pdf; charset=x'")), "parameters"),
        evidenceCheck("evidence_one_subject", Valid.evidence.with(("vendor_id", F.cloudco)), "two subjects"),
        evidenceCheck("evidence_one_subject", Valid.evidence.with(("entrustment_id", "NULL")), "no subject"),
        evidenceCheck("evidence_item_with_assessment", Valid.evidence.with(("item_id", "'BP-1'")), "an item without its assessment"),
    ]
}

@Suite("Evidence schema rows", .fixtureDatabase)
struct EvidenceSchemaRowTests {
    @Test func validRowsAreAccepted() throws {
        let error = try FixtureDatabase.attempt([Valid.evidenceContent.insertSQL, Valid.evidence.insertSQL])
        #expect(error == nil, "\(error?.description ?? "")")
        let answer = Valid.evidence.with(("entrustment_id", "NULL"), ("assessment_id", Valid.F.assessment), ("item_id", "'BP-1'"))
        #expect(try FixtureDatabase.attempt([Valid.evidenceContent.insertSQL, answer.insertSQL]) == nil)
    }
}
