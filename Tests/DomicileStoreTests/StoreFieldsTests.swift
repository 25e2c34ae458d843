import DomicileCore
import Foundation
@testable import DomicileStore
import Postgres
import TestSupport
import Testing

/// The store's hand-written statements carry every field `EntitySchema` declares: a record of
/// each kind with every field set (nested maps and lists included) is written by `save` and by
/// `insertNew`, read back, and must come back field for field. A field the upsert, the batch or
/// the read query forgets comes back missing and is named here.
@Suite("Store against the schema")
struct StoreFieldsTests {
    /// A record of `schema` with every field set to a valid value of its type (`template` and
    /// `item` are reference data of the seeded database); `overrides` set what the database's
    /// constraints tie to other fields.
    static func filled(
        _ schema: EntitySchema, key: String, item: String, without: Set<String> = [], counter: inout Int, nested: Bool = false
    ) -> Record {
        var record = Record()
        for field in schema.fields {
            counter += 1
            let value: Value?
            switch field.type {
            case .key: value = .string(key)
            case .categoryKey: value = .string(key.replacingOccurrences(of: "-", with: "_"))
            case .text, .url, .email:
                let text = "Full \(field.name) \(key) \(counter)"
                if case .url = field.type { value = .string("https://example.com/\(field.name)/\(counter)") }
                else if case .email = field.type { value = .string("\(field.name)-\(counter)@example.com") }
                else { value = .string(text) }
            case .texts: value = .list(["Full \(field.name) \(key) \(counter)"])
            case .date:
                // in field order from 2024-05-01, so a start comes before its end; a record holds
                // from 2024-04-01 (as the base's service and vendor) to 2030-04-01
                func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
                value = .string(
                    field.name == "valid_to" ? "2030-04-01"
                        : field.name == "valid_from" && !nested ? "2024-04-01" : "2024-\(two(5 + counter / 28))-\(two(1 + counter % 28))")
            case .country: value = .string("JP")
            case .countries: value = .list(["JP"])
            case .bool: value = .bool(true)
            case .int(let range): value = .int(range.lowerBound + 1 == field.defaultValue?.int ? range.lowerBound + 2 : range.lowerBound + 1)
            case .enumeration(let values): value = .string(values.last { .string($0) != field.defaultValue } ?? values[0])
            case .enumerations(let values): value = .list([values.last!])
            case .region: value = .string("aws/ap-northeast-1")
            case .reference(let kind), .references(let kind):
                let target: String = switch kind {
                case .organization: "acme"
                case .service: "shop"
                case .vendor: "cloudco"
                case .category: "user.contact.email"
                case .purpose: "service-provision"
                default: "missing-\(kind.rawValue)"
                }
                value = field.type.isList ? .list([target]) : .string(target)
            case .template: value = .string("appi-security-2022")
            case .checklistItem: value = .string(item)
            case .object(let inner): value = .object(filled(inner, key: key, item: item, counter: &counter, nested: true))
            case .records(let inner): value = .records([filled(inner, key: key, item: item, counter: &counter, nested: true)])
            }
            if !without.contains(field.name) { record[field.name] = value }
        }
        return record
    }

    /// The records of `kind` to write: every field set between them, each still valid.
    static func records(_ kind: EntityKind, key: String, item: String) -> [Record] {
        var counter = 0
        func make(_ key: String, without: Set<String> = []) -> Record {
            filled(kind.schema, key: key, item: item, without: without, counter: &counter)
        }
        switch kind {
        case .residency:
            // a country (and region), or an undisclosed location
            return [make(key, without: ["undisclosed"]), make(key + "-undisclosed", without: ["country", "region"])]
        case .assessment:
            // of the organization, or of a vendor
            return [make(key, without: ["vendor"]), make(key + "-vendor", without: ["organization"])]
        case .entrustment:
            // a sub-entrustee working for the entrustee, and one working for it (`via`)
            var record = make(key)
            var first = record.records("sub_entrustees")[0]
            var second = first
            first["vendor"] = .string("sub-one")
            first["via"] = nil
            second["vendor"] = .string("sub-two")
            second["via"] = .string("sub-one")
            record["sub_entrustees"] = .records([first, second])
            return [record]
        default:
            return [make(key)]
        }
    }

    static let order: [EntityKind] = [.organization, .category, .purpose, .service, .vendor, .residency, .entrustment, .provision, .transmission, .assessment]

    @Test("A record with every field comes back field for field, through save and through the batch insert")
    func everyFieldComesBack() async throws {
        try await WritePath.withBase { _, store in
            let item = try #require(try store.connection.query(
                "SELECT item_id FROM checklist_item WHERE template_key = 'appi-security-2022' ORDER BY position LIMIT 1"
            ).first?.decode(String.self, "item_id"))
            // two more vendors to be sub-entrustees
            try WritePath.importText(
                "vendors:\n" + ["sub-one", "sub-two"].map {
                    "  - {key: \($0), legal_name: \($0) K.K., kinds: [entrustee], headquarters: JP, risk_tier: low, valid_from: 2024-04-01}\n"
                }.joined(), into: store)
            for kind in Self.order {
                for (way, key) in [("save", "full-" + kind.rawValue), ("insertNew", "batch-" + kind.rawValue)] {
                    if way == "insertNew", !Store.batchKinds.contains(kind) { continue }
                    let records = Self.records(kind, key: key, item: item)
                    try store.write(actor: "tester") { _ in
                        if way == "save" {
                            for record in records { try store.save(record, kind: kind) }
                        } else {
                            try store.insertNew(records, kind: kind)
                        }
                    }
                    for record in records {
                        let expected = kind.schema.withoutDefaults(record)
                        let stored = try #require(try store.record(kind, key: record.key ?? ""), "\(way): no \(kind.rawValue) \(record.key ?? "")")
                        for field in kind.schema.fieldNames where stored[field] != expected[field] {
                            Issue.record("\(way) \(kind.rawValue).\(field): wrote \(String(describing: expected[field])), read \(String(describing: stored[field]))")
                        }
                    }
                }
            }
        }
    }
}
