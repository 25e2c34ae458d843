import DomicileCore
@testable import DomicileStore
import Testing

/// The batch writer of new records (`Store.insertNew`) must carry every field the schema has,
/// as `Store.save` does: a field added to a kind later must be added to the batch too, or an
/// import would silently drop it.
@Suite("Batch import fields")
struct BatchFieldsTests {
    /// A record with every field of `schema` set to a value of its own (`token(n)`), nested
    /// maps and lists included; `tokens` collects the values to look for.
    static func filled(_ schema: EntitySchema, tokens: inout [String: String], prefix: String = "") -> Record {
        var record = Record()
        for field in schema.fields {
            let name = prefix + field.name
            let token = "tok\(tokens.count)x"
            switch field.type {
            case .bool:
                record[field.name] = .bool(true)
                tokens[name] = "\"" + field.name + "\":true"
            case .int:
                let number = 40_000 + tokens.count
                record[field.name] = .int(number)
                tokens[name] = String(number)
            case .region:
                record[field.name] = .string(token + "p/" + token + "c")
                tokens[name] = token + "c"
            case .object(let nested):
                record[field.name] = .object(filled(nested, tokens: &tokens, prefix: name + "."))
            case .records(let nested):
                record[field.name] = .records([filled(nested, tokens: &tokens, prefix: name + ".")])
            case let type where type.isList:
                record[field.name] = .list([token])
                tokens[name] = token
            default:
                record[field.name] = .string(token)
                tokens[name] = token
            }
        }
        return record
    }

    @Test("Every field of every batched kind reaches the batch", arguments: Array(Store.batchKinds).sorted { $0.rawValue < $1.rawValue })
    func everyFieldIsCarried(kind: EntityKind) throws {
        var tokens: [String: String] = [:]
        let record = Self.filled(kind.schema, tokens: &tokens)
        let json = try #require(BatchJSON.array([Store.batchRow(record, kind: kind)]).postgresText)
        for (field, token) in tokens.sorted(by: { $0.key < $1.key }) {
            #expect(json.contains(token), "\(kind.rawValue).\(field) is not in the batch")
        }
    }

    @Test("Every key of a batch row is read by the kind's statements", arguments: Array(Store.batchKinds).sorted { $0.rawValue < $1.rawValue })
    func everyKeyIsRead(kind: EntityKind) throws {
        var tokens: [String: String] = [:]
        let row = Store.batchRow(Self.filled(kind.schema, tokens: &tokens), kind: kind)
        // the identifiers the statements name
        let words = Set(Store.batchStatements[kind]!.joined(separator: "\n").split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
        for (name, value) in row {
            #expect(words.contains(name), "\(kind.rawValue): \(name) is sent but no statement reads it")
            if case .objects(let items) = value, let first = items.first {
                for (nested, _) in first {
                    #expect(words.contains(nested), "\(kind.rawValue): \(name).\(nested) is sent but no statement reads it")
                }
            }
        }
    }
}
