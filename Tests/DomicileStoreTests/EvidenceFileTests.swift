import DomicileCore
@testable import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Evidence files (schema/0015_evidence_files.sql) on the PERSONA example: stored with their
/// hash, audited without their bytes, read back checked, and readable by the API's role only
/// through `evidence_file()`.
@Suite struct EvidenceFileTests {
    /// Bytes of every value, so a text round trip would show.
    static let bytes = Data((0...255).map(UInt8.init) + Array("%PDF-1.7 signed contract\n".utf8) + [0, 0, 0xFF])

    @Test func attachedBytesComeBackIdenticalWithTheirHash() async throws {
        try await WritePath.withPersona { _, store in
            let (file, added) = try store.addEvidence(
                EvidenceSubject(.entrustment, "persona-support-desk"), fileName: "契約書 2025.pdf", mediaType: "application/pdf",
                description: "Outsourcing contract", bytes: Self.bytes, actor: "alice")
            #expect(added)
            #expect(file.sha256 == Evidence.sha256(Self.bytes))
            #expect(file.size == Self.bytes.count)
            #expect(file.subject.description == "entrustment/persona-support-desk")
            let (read, bytes) = try #require(try store.evidenceFile(id: file.id))
            #expect(bytes == Self.bytes)
            #expect(read == file)
            #expect(try store.evidenceFile(id: file.id + 1000) == nil)

            // the same bytes under the same name again: nothing new
            let again = try store.addEvidence(
                EvidenceSubject(.entrustment, "persona-support-desk"), fileName: "契約書 2025.pdf", mediaType: "application/pdf",
                description: nil, bytes: Self.bytes, actor: "alice")
            #expect(!again.added && again.file.id == file.id)
            // the same bytes on a vendor, named by its legal name: stored once, attached twice
            let vendor = try store.addEvidence(
                EvidenceSubject(.vendor, "Amazon Web Services, Inc."), fileName: "soc2.pdf", mediaType: "application/pdf",
                description: nil, bytes: Self.bytes, actor: "alice")
            #expect(vendor.file.subject == EvidenceSubject(.vendor, "aws"))
            #expect(try WritePath.count(store.connection, "SELECT 1 FROM evidence_content") == 1)
            #expect(try store.evidence().count == 2)
            #expect(try store.evidence(of: EvidenceSubject(.vendor, "aws")).map(\.fileName) == ["soc2.pdf"])
        }
    }

    @Test func theAuditRowHoldsTheHashAndMetadataNotTheBytes() async throws {
        try await WritePath.withPersona { _, store in
            let big = Data(repeating: 0x41, count: 200_000)
            let (file, _) = try store.addEvidence(
                EvidenceSubject(.vendor, "aws"), fileName: "audit-report.txt", mediaType: "text/plain", description: nil, bytes: big,
                actor: "auditor")
            let row = try #require(try store.connection.query(
                "SELECT actor, action, entity_key, after::text AS after, octet_length(after::text) AS size FROM audit_log WHERE entity = 'evidence'"
            ).first)
            #expect(try row.decode(String.self, "actor") == "auditor")
            #expect(try row.decode(String.self, "action") == "add")
            #expect(try row.decode(String.self, "entity_key") == String(file.id))
            let after = try row.decode(String.self, "after")
            #expect(after.contains(file.sha256) && after.contains("audit-report.txt") && after.contains("\"vendor_key\": \"aws\""))
            #expect(try row.decode(Int.self, "size") < 2000, "the bytes are not in the audit row")

            let removed = try #require(try store.removeEvidence(id: file.id, actor: "auditor"))
            #expect(removed.sha256 == file.sha256)
            #expect(try store.evidence().isEmpty)
            #expect(try WritePath.count(store.connection, "SELECT 1 FROM evidence_content") == 0, "unreferenced bytes go")
            #expect(try WritePath.count(store.connection, "SELECT 1 FROM audit_log WHERE entity = 'evidence' AND action = 'delete' AND before->>'sha256' = $1", [file.sha256]) == 1)
            #expect(try store.removeEvidence(id: file.id, actor: "auditor") == nil)
        }
    }

    @Test func anUnknownSubjectOrItemIsRefusedNamingIt() async throws {
        try await WritePath.withPersona { _, store in
            let items = try store.connection.query(
                "SELECT a.key, i.item_id FROM assessment a JOIN checklist_item i ON i.template_key = a.template_key ORDER BY a.key, i.position LIMIT 1")
            let assessment = try items.first!.decode(String.self, "key")
            let item = try items.first!.decode(String.self, "item_id")
            let answer = try store.addEvidence(
                EvidenceSubject(.assessment, assessment, item: item), fileName: "policy.pdf", mediaType: "application/pdf",
                description: nil, bytes: Self.bytes, actor: "alice")
            #expect(answer.file.subject.item == item)

            let unknownItem = #expect(throws: InputError.self) {
                try store.addEvidence(
                    EvidenceSubject(.assessment, assessment, item: item + "X"), fileName: "x.pdf", mediaType: "application/pdf",
                    description: nil, bytes: Self.bytes, actor: "alice")
            }
            #expect(unknownItem?.issues.first?.field == "item")
            #expect(unknownItem?.issues.first?.message.contains("did you mean \(item)") == true)
            let unknownVendor = #expect(throws: InputError.self) {
                try store.addEvidence(
                    EvidenceSubject(.vendor, "awz"), fileName: "x.pdf", mediaType: "application/pdf", description: nil,
                    bytes: Self.bytes, actor: "alice")
            }
            #expect(unknownVendor?.issues.first?.message.contains("did you mean aws") == true)
            let badName = #expect(throws: InputError.self) {
                try store.addEvidence(
                    EvidenceSubject(.vendor, "aws"), fileName: "../etc/passwd", mediaType: "Application/PDF; x=1",
                    description: nil, bytes: Self.bytes, actor: "alice")
            }
            #expect(Set(badName?.issues.map(\.field) ?? []) == ["name", "media-type"])
            #expect(try store.evidence().count == 1, "nothing else was written")
        }
    }

    /// The API's role lists attachments and reads one file's bytes by id through
    /// `evidence_file()`, but cannot read evidence_content, nor write anything.
    @Test func theReaderRoleReadsBytesOnlyThroughTheGrantedFunction() async throws {
        try await WritePath.withPersona { _, store in
            let (file, _) = try store.addEvidence(
                EvidenceSubject(.vendor, "aws"), fileName: "iso.pdf", mediaType: "application/pdf", description: nil, bytes: Self.bytes,
                actor: "alice")
            let connection = store.connection
            try connection.unsafeExecuteScript("SET ROLE domicile_reader")
            defer { try? connection.unsafeExecuteScript("RESET ROLE") }
            #expect(try store.evidence().map(\.id) == [file.id])
            let (_, bytes) = try #require(try store.evidenceFile(id: file.id))
            #expect(bytes == Self.bytes)
            for sql in [
                "SELECT content FROM evidence_content", "SELECT count(*) FROM evidence_content",
                "DELETE FROM evidence", "INSERT INTO evidence_content (sha256, size_bytes, content) VALUES (repeat('a', 64), 0, '')",
            ] {
                let error = #expect(throws: PostgresError.self, "\(sql)") { try connection.query(sql) }
                #expect(error?.sqlState == PostgresError.Code.insufficientPrivilege, "\(sql): \(String(describing: error))")
            }
        }
    }

    @Test func storedBytesCannotBeChangedAndMustMatchTheirHash() async throws {
        try await WritePath.withPersona { _, store in
            let (file, _) = try store.addEvidence(
                EvidenceSubject(.vendor, "aws"), fileName: "iso.pdf", mediaType: "application/pdf", description: nil, bytes: Self.bytes,
                actor: "alice")
            let connection = store.connection
            try connection.unsafeExecuteScript("SET ROLE domicile_writer")
            defer { try? connection.unsafeExecuteScript("RESET ROLE") }
            let update = #expect(throws: PostgresError.self) {
                try connection.query("UPDATE evidence_content SET content = 'x' WHERE sha256 = $1", [file.sha256])
            }
            #expect(update?.sqlState == PostgresError.Code.insufficientPrivilege)
        }
    }
}
