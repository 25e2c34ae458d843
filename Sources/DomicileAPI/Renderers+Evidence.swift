import DomicileCore
import DomicileStore
import Foundation
import HTTPTypes
import NIOCore

extension Renderers {
    static let evidenceParameters = ["entrustment", "assessment", "item", "vendor"]

    /// `domicile evidence list --format json`: the attachments, narrowed by each filter given
    /// (an entrustment, an assessment, a checklist item, a vendor: all must hold). A record
    /// named that does not exist is a 404.
    static func evidenceList(_ request: EndpointRequest) async throws -> Rendered {
        let query = request.query
        let filters: [(EvidenceSubject.Kind, String)] = try [
            query.text("entrustment").map { (.entrustment, $0) }, query.text("assessment").map { (.assessment, $0) },
            query.text("vendor").map { (.vendor, $0) },
        ].compactMap { $0 }
        let item = try query.text("item")
        return try await request.read { store in
            var files = try store.evidence()
            for (kind, name) in filters {
                let entity: EntityKind = kind == .entrustment ? .entrustment : kind == .assessment ? .assessment : .vendor
                let key: String
                do {
                    key = try store.resolveKey(entity, name, field: kind.rawValue)
                } catch let error as InputError {
                    let issue = error.issues[0]
                    throw APIError(issue, status: issue.code.hasPrefix("input.unknown_") ? .notFound : .badRequest)
                }
                files = files.filter { $0.subject.kind == kind && $0.subject.key == key }
            }
            if let item { files = files.filter { $0.subject.item == item } }
            return .json(EvidenceFile.json(files))
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
