import DomicileCore
import Testing

/// The typed model (`RegistrySnapshot.Vendor`, …, one file each under Model/) holds every
/// field `EntitySchema` declares, and nothing else but what it derives: a field added to the
/// schema but not to the model or its decoding (`RegistrySnapshot+Records.swift`) fails here.
@Suite("Typed model against the schema")
struct EntityModelTests {
    /// What a filled record's fields should show in the typed model.
    enum Expected {
        /// A value of its own (text, key, date, number): some leaf of the model equals it.
        case token(String)
        /// A choice (the model may hold it as an enum case): some leaf spells it.
        case choice(String)
        /// A flag set to true: the property of that name is true.
        case flag
    }

    static let asOf = Day("2500-01-01")!

    /// A record with every field of `schema` set (nested maps and lists included), each to a
    /// value of its own where the type allows; `expected` collects what to look for.
    static func filled(_ schema: EntitySchema, _ expected: inout [(path: String, Expected)], prefix: String = "") -> Record {
        var record = Record()
        for field in schema.fields {
            let path = prefix + field.name
            let n = expected.count
            let token = "tok\(n)x"
            switch field.type {
            case .bool:
                record[field.name] = .bool(true)
                expected.append((path, .flag))
            case .int(let range):
                let number = range.lowerBound + 1 + n % (range.upperBound - range.lowerBound)
                record[field.name] = .int(number)
                expected.append((path, .token(String(number))))
            case .date:
                // valid_to far ahead, every other day before `asOf`, each its own
                func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
                let day = field.name == "valid_to" ? "2999-01-\(10 + n % 18)" : "1990-\(two(1 + n / 28))-\(two(1 + n % 28))"
                record[field.name] = .string(day)
                expected.append((path, .token(day)))
            case .enumeration(let values):
                let value = values.last { .string($0) != field.defaultValue } ?? values[0]
                record[field.name] = .string(value)
                expected.append((path, .choice(value)))
            case .enumerations(let values):
                record[field.name] = .list([values.last!])
                expected.append((path, .choice(values.last!)))
            case .object(let nested):
                record[field.name] = .object(filled(nested, &expected, prefix: path + "."))
            case .records(let nested):
                record[field.name] = .records([filled(nested, &expected, prefix: path + ".")])
            case let type where type.isList:
                record[field.name] = .list([token])
                expected.append((path, .token(token)))
            default:
                record[field.name] = .string(token)
                expected.append((path, .token(token)))
            }
        }
        return record
    }

    /// Every scalar in `value`: its property path (labels) and its text.
    static func leaves(_ value: Any, path: [String] = []) -> [(path: [String], text: String)] {
        if let day = value as? Day { return [(path, day.description)] }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.map { leaves($0.value, path: path) } ?? []
        case .collection, .set:
            return mirror.children.flatMap { leaves($0.value, path: path) }
        case .struct, .class:
            return mirror.children.flatMap { leaves($0.value, path: path + [$0.label ?? ""]) }
        default:
            return [(path, String(describing: value))]
        }
    }

    /// `trustURL` → `trust_url`, `nameJa` → `name_ja`.
    static func snakeCase(_ name: String) -> String {
        var result = ""
        let characters = Array(name)
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0,
               characters[index - 1].isLowercase || (index + 1 < characters.count && characters[index + 1].isLowercase) {
                result += "_"
            }
            result += character.lowercased()
        }
        return result
    }

    /// The typed record of `kind` built from `record`.
    static func typed(_ kind: EntityKind, _ record: Record) -> Any? {
        let snapshot = RegistrySnapshot(
            revision: 1, asOf: asOf, document: RegistryDocument(records: [kind: [record]]), templates: [], countries: [])
        switch kind {
        case .organization: return snapshot.organizations.first
        case .category: return snapshot.categories.first
        case .purpose: return snapshot.purposes.first
        case .service: return snapshot.services.first
        case .vendor: return snapshot.vendors.first
        case .residency: return snapshot.residencies.first
        case .entrustment: return snapshot.entrustments.first
        case .provision: return snapshot.provisions.first
        case .transmission: return snapshot.transmissions.first
        case .assessment: return snapshot.assessments.first
        }
    }

    /// Properties of the model that are no field of the schema, and why.
    static let derived: [EntityKind: Set<String>] = [
        // every recorded sub-entrustee, beside those in force on the day (`sub_entrustees`)
        .entrustment: ["recorded_sub_entrustees"],
        // the fields of `ppc_notification`, flattened
        .provision: ["ppc_notified_on", "ppc_notification_items", "ppc_notification_reference"],
        // `answers` is kept as `readAnswers`, behind an accessor that checks `answersRead`
        // (whether a snapshot read them: only the latest assessments' are)
        .assessment: ["read_answers", "answers_read"],
    ]

    @Test("Every field of every kind reaches its typed model", arguments: EntityKind.allCases)
    func everyFieldReachesTheModel(kind: EntityKind) throws {
        var expected: [(path: String, Expected)] = []
        let record = Self.filled(kind.schema, &expected)
        let model = try #require(Self.typed(kind, record), "the filled \(kind.rawValue) is not in the snapshot")
        let leaves = Self.leaves(model)
        func squeezed(_ text: String) -> String { text.lowercased().filter { $0 != "_" } }
        for (path, expectation) in expected {
            let found: Bool
            switch expectation {
            case .token(let token):
                found = leaves.contains { $0.text == token }
            case .choice(let value):
                found = leaves.contains { squeezed($0.text) == squeezed(value) }
            case .flag:
                let name = path.split(separator: ".").last.map(String.init)
                found = leaves.contains { $0.text == "true" && $0.path.last.map(Self.snakeCase) == name }
            }
            #expect(found, "\(kind.rawValue).\(path) does not reach RegistrySnapshot's typed \(kind.rawValue)")
        }
    }

    @Test("Every property of a typed model is a field of the schema, or derived from one", arguments: EntityKind.allCases)
    func everyPropertyIsAField(kind: EntityKind) throws {
        var expected: [(path: String, Expected)] = []
        let model = try #require(Self.typed(kind, Self.filled(kind.schema, &expected)))
        let fields = Set(kind.schema.fieldNames).union(Self.derived[kind] ?? [])
        for child in Mirror(reflecting: model).children {
            let name = Self.snakeCase(child.label ?? "")
            #expect(fields.contains(name), "RegistrySnapshot's \(kind.rawValue) has \(child.label ?? "") but the schema no field \(name)")
        }
    }
}
