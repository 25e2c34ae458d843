import DomicileCore
import DomicileStore
import Foundation
import HTTPTypes
import NIOCore

extension Renderers {
    static let evidenceParameters = ["entrustment", "assessment", "item", "vendor"]

    /// `domicile evidence list --format json`: the attachments, of one record when asked.
    static func evidenceList(_ request: EndpointRequest) async throws -> Rendered {
        let query = request.query
        let named = [
            try query.text("entrustment").map { EvidenceSubject(.entrustment, $0) },
            try query.text("assessment").map { EvidenceSubject(.assessment, $0, item: try query.text("item")) },
            try query.text("vendor").map { EvidenceSubject(.vendor, $0) },
        ].compactMap { $0 }
        if named.count > 1 {
            throw APIError(.badRequest, code: "request.conflicting_parameters", message: "entrustment, assessment and vendor exclude each other", field: named[1].kind.rawValue)
        }
        if query["item"] != nil, query["assessment"] == nil {
            throw APIError(.badRequest, code: "input.missing_field", message: "item needs assessment", field: "assessment")
        }
        return try await request.read { store in
            var subject = named.first
            if let chosen = subject {
                let kind: EntityKind = chosen.kind == .entrustment ? .entrustment : chosen.kind == .assessment ? .assessment : .vendor
                do {
                    subject = EvidenceSubject(chosen.kind, try store.resolveKey(kind, chosen.key, field: chosen.kind.rawValue), item: chosen.item)
                } catch let error as InputError {
                    let issue = error.issues[0]
                    throw APIError(issue, status: issue.code.hasPrefix("input.unknown_") ? .notFound : .badRequest)
                }
            }
            return .json(EvidenceFile.json(try store.evidence(of: subject)))
        }
    }

    /// One evidence file's bytes, with its media type and its SHA-256 as the entity tag, read
    /// through `evidence_file()` (the reader role's only path to them) and checked against it.
    static func evidenceFile(_ request: EndpointRequest) async throws -> Rendered {
        let text = request.path["id"] ?? ""
        guard let id = Int64(text), id > 0 else {
            throw APIError(Issue.invalid("id", text, expected: "an evidence id (a positive number, from /v1/evidence)"))
        }
        return try await request.read { store in
            guard let (file, bytes) = try store.evidenceFile(id: id) else {
                throw APIError(.notFound, code: "input.unknown_evidence", message: "there is no evidence \(id); /v1/evidence lists them", field: "id", value: text)
            }
            return Rendered.Content(bytes: bytes, contentType: file.mediaType, eTag: "\"" + file.sha256 + "\"")
        }
    }
}

extension Rendered.Content {
    init(bytes: Data, contentType: String, eTag: String) {
        body = ByteBuffer(bytes: bytes)
        self.contentType = contentType
        self.eTag = eTag
    }
}
