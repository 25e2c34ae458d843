import Foundation
import Yams

/// The YAML registry format (docs/registry-format.md): parsing with a location for every
/// field, and a deterministic writer, so export → import → export is byte-identical.
public enum RegistryYAML {
    public static let formatVersion = 1

    // MARK: Parsing

    /// Parses `text`; every problem is returned, each with `file:line (path)`.
    public static func parse(_ text: String, file: String) -> (RegistryDocument, [Issue]) {
        // Bounded before the parser builds its (recursive) tree, and before anything walks it.
        if let tooDeep = YAMLBounds.depthIssue(text, file: file) { return (RegistryDocument(), [tooDeep]) }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return (RegistryDocument(), [malformed(error, file: file)])
        } catch {
            return (RegistryDocument(), [Issue(code: "input.malformed_yaml", field: "file", value: file, message: "\(file) is not valid YAML: \(error)")])
        }
        guard let root else { return (RegistryDocument(), []) }
        if let tooMany = YAMLBounds.expansionIssue(root, byteCount: text.utf8.count, file: file) { return (RegistryDocument(), [tooMany]) }
        var reader = NodeReader(file: file)
        guard case .mapping(let mapping) = root else {
            reader.issue(
                at: root, path: "", code: "input.malformed_yaml", field: "file", value: nil,
                "the top level must be a mapping of sections (\(allowedSections.joined(separator: ", ")))")
            return (RegistryDocument(), reader.issues)
        }
        var document = RegistryDocument()
        var seen = Set<String>()
        for (keyNode, valueNode) in mapping {
            let section = keyNode.scalar?.string ?? ""
            if !seen.insert(section).inserted {
                reader.issue(at: keyNode, path: section, code: "input.duplicate_field", field: section, value: section, "section '\(section)' appears twice")
                continue
            }
            if section == "domicile" {
                if valueNode.scalar?.string != String(formatVersion) {
                    reader.issue(
                        at: valueNode, path: section, code: "input.unsupported_version", field: "domicile",
                        value: valueNode.scalar?.string, "format version '\(valueNode.scalar?.string ?? "")' is not supported; this Domicile reads version \(formatVersion)")
                }
                continue
            }
            guard let kind = EntityKind(section: section) else {
                var message = "unknown section '\(section)'; allowed: \(allowedSections.joined(separator: ", "))"
                if let guess = Suggest.closest(to: section, in: allowedSections) { message += " (did you mean \(guess)?)" }
                reader.issue(at: keyNode, path: section, code: "input.unknown_section", field: section, value: section, message)
                continue
            }
            if case .scalar(let scalar) = valueNode, isNull(scalar) { continue }
            guard case .sequence(let sequence) = valueNode else {
                reader.issue(at: valueNode, path: section, code: "input.malformed_yaml", field: section, value: nil, "section '\(section)' must be a list of records")
                continue
            }
            var records: [Record] = []
            for (index, item) in sequence.enumerated() {
                if let record = reader.record(item, schema: kind.schema, path: "\(section)[\(index)]") {
                    records.append(record)
                }
            }
            document[kind] = records
        }
        return (document, reader.issues)
    }

    static let allowedSections = ["domicile"] + RegistryDocument.order.map(\.section)

    static func malformed(_ error: YamlError, file: String) -> Issue {
        let (problem, mark): (String, Mark?) = {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                // "found unexpected end of stream" alone points past the end of the file; the
                // context says what was open and where it started.
                guard let context, context.mark.line != mark.line else { return (problem, mark) }
                return ("\(problem) \(context.text) that starts at line \(context.mark.line), column \(context.mark.column)", mark)
            case .reader(let problem, _, _, _):
                return (problem, nil)
            default:
                return ("\(error)", nil)
            }
        }()
        return Issue(
            code: "input.malformed_yaml", field: "file", value: file,
            message: "malformed YAML: \(problem)" + (mark.map { " (column \($0.column))" } ?? ""),
            location: mark.map { "\(file):\($0.line)" } ?? file)
    }

    static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    // MARK: Writing

    /// Writes `document` with sections, records (sorted by key) and fields in a fixed order.
    public static func emit(_ document: RegistryDocument) -> String {
        var pairs: [(Node, Node)] = [(Node("domicile"), Node(String(formatVersion)))]
        for kind in RegistryDocument.order {
            let records = document[kind].sorted { ($0.key ?? "") < ($1.key ?? "") }
            guard !records.isEmpty else { continue }
            pairs.append((Node(kind.section), Node(records.map { node(for: $0, schema: kind.schema) })))
        }
        let body = (try? Yams.serialize(node: Node(pairs), indent: 2, width: -1, allowUnicode: true)) ?? ""
        return "# Domicile registry (docs/registry-format.md)\n" + body
    }

    /// One record as YAML, fields in schema order (for `show`).
    public static func emit(_ record: Record, kind: EntityKind) -> String {
        (try? Yams.serialize(node: node(for: record, schema: kind.schema), indent: 2, width: -1, allowUnicode: true)) ?? ""
    }

    static func node(for record: Record, schema: EntitySchema) -> Node {
        var pairs: [(Node, Node)] = []
        for field in schema.fields {
            guard let value = record[field.name] else { continue }
            pairs.append((Node(field.name), node(for: value, type: field.type)))
        }
        return Node(pairs)
    }

    static func node(for value: Value, type: FieldType) -> Node {
        switch value {
        case .string(let string): return scalar(string, type: type)
        case .bool(let bool): return Node(bool ? "true" : "false")
        case .int(let int): return Node(String(int))
        case .list(let list): return Node(list.map { scalar($0, type: type) })
        case .object(let record):
            guard case .object(let schema) = type else { return Node([Node]()) }
            return node(for: record, schema: schema)
        case .records(let records):
            guard case .records(let schema) = type else { return Node([Node]()) }
            return Node(records.map { node(for: $0, schema: schema) })
        }
    }

    /// Text that a YAML reader would take for something else (null, a boolean, a number)
    /// is double-quoted; everything else is left to the emitter.
    static func scalar(_ string: String, type: FieldType) -> Node {
        if case .date = type { return Node(string) }
        let lowered = string.lowercased()
        let ambiguous =
            ["", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n"].contains(lowered)
            || Double(string) != nil || string.hasPrefix("0x") || Day(string) != nil
            || string != string.trimmingCharacters(in: .whitespaces)
        return Node(string, .implicit, ambiguous ? .doubleQuoted : .any)
    }
}

/// Walks YAML nodes against an `EntitySchema`, collecting values and located issues.
struct NodeReader {
    let file: String
    var issues: [Issue] = []

    init(file: String) { self.file = file }

    func location(_ node: Node, _ path: String) -> String {
        let line = node.mark.map { ":\($0.line)" } ?? ""
        return path.isEmpty ? "\(file)\(line)" : "\(file)\(line) (\(path))"
    }

    mutating func issue(
        at node: Node, path: String, code: String, field: String, value: String?, _ message: String
    ) {
        issues.append(Issue(code: code, field: field, value: value, message: message, location: location(node, path)))
    }

    mutating func record(_ node: Node, schema: EntitySchema, path: String) -> Record? {
        guard case .mapping(let mapping) = node else {
            issue(at: node, path: path, code: "input.malformed_yaml", field: schema.name, value: nil, "each \(schema.name) must be a mapping of fields")
            return nil
        }
        var record = Record(location: location(node, path))
        var seen = Set<String>()
        for (keyNode, valueNode) in mapping {
            let name = keyNode.scalar?.string ?? ""
            let fieldPath = "\(path).\(name)"
            guard let field = schema.field(name) else {
                var message = "unknown field '\(name)' for \(schema.name); allowed: \(schema.fieldNames.joined(separator: ", "))"
                if let guess = Suggest.closest(to: name, in: schema.fieldNames) { message += " (did you mean \(guess)?)" }
                issue(at: keyNode, path: fieldPath, code: "input.unknown_field", field: name, value: nil, message)
                continue
            }
            guard seen.insert(name).inserted else {
                issue(at: keyNode, path: fieldPath, code: "input.duplicate_field", field: name, value: nil, "field '\(name)' appears twice")
                continue
            }
            record.fieldLocations[name] = location(valueNode, fieldPath)
            if let value = value(valueNode, field: field, path: fieldPath) {
                record[name] = value
            }
        }
        return record
    }

    mutating func value(_ node: Node, field: FieldSpec, path: String) -> Value? {
        if case .scalar(let scalar) = node, RegistryYAML.isNull(scalar) { return nil }
        switch field.type {
        case .object(let schema):
            return record(node, schema: schema, path: path).map(Value.object)
        case .records(let schema):
            guard case .sequence(let sequence) = node else {
                issue(at: node, path: path, code: "input.malformed_yaml", field: field.name, value: nil, "\(field.name) must be a list")
                return nil
            }
            return .records(sequence.enumerated().compactMap { record($1, schema: schema, path: "\(path)[\($0)]") })
        case let type where type.isList:
            let items: [Node]
            switch node {
            case .sequence(let sequence): items = Array(sequence)
            case .scalar: items = [node]
            default:
                issue(at: node, path: path, code: "input.malformed_yaml", field: field.name, value: nil, "\(field.name) must be a list of values")
                return nil
            }
            var list: [String] = []
            for item in items {
                guard let text = item.scalar?.string else {
                    issue(at: item, path: path, code: "input.malformed_yaml", field: field.name, value: nil, "\(field.name) must be a list of single values")
                    continue
                }
                list.append(text)
            }
            return .list(list)
        default:
            guard let scalar = node.scalar else {
                issue(at: node, path: path, code: "input.malformed_yaml", field: field.name, value: nil, "\(field.name) must be a single value, not a list or mapping")
                return nil
            }
            switch field.type {
            case .bool:
                switch scalar.string.lowercased() {
                case "true", "yes": return .bool(true)
                case "false", "no": return .bool(false)
                default:
                    issue(at: node, path: path, code: "input.invalid_\(field.name)", field: field.name, value: scalar.string, "\(field.name) '\(scalar.string)' is not allowed; use true or false")
                    return nil
                }
            case .int(let range):
                guard let int = Int(scalar.string), range.contains(int) else {
                    issue(at: node, path: path, code: "input.invalid_\(field.name)", field: field.name, value: scalar.string, "\(field.name) '\(scalar.string)' is not allowed; use a whole number from \(range.lowerBound) to \(range.upperBound)")
                    return nil
                }
                return .int(int)
            default:
                return .string(scalar.string)
            }
        }
    }
}
