import ArgumentParser
import DomicileCore

/// The `add`/`edit` options of one kind, made from its schema: one option per field that
/// declares one (`FieldSpec.optionHelp`, listed by `EntitySchema.commandLineOptions`), so a
/// field is declared once, in `EntitySchema`, and its option follows.
///
/// argument-parser learns a type's options from a mirror of it (`Mirror(reflecting: T())`)
/// and reads their values back through `init(from:)` by the same keys. Property wrappers are
/// the usual way to give it that mirror; this type gives it one `Option` per declared field
/// instead (`customMirror`), with the value type of the field (`Bool`, `Int`, else a string,
/// lists comma-separated), and decodes them by the same keys.
struct EntityOptions<Group: EntityGroup>: ParsableArguments, CustomReflectable {
    /// The fields given, references still as typed (a key, name or alias).
    private var given: [String: Value] = [:]

    init() {}

    static var options: [CommandLineOption] { Group.kind.schema.commandLineOptions }

    /// The key argument-parser files an option under: its name in camel case, as a property would be.
    private struct OptionKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }

        init(_ option: CommandLineOption) {
            let words = option.name.split(separator: "-").map(String.init)
            stringValue = words.prefix(1).joined() + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        }
    }

    var customMirror: Mirror {
        let children = Self.options.map { option -> Mirror.Child in
            let name = NameSpecification.customLong(option.name)
            let help = ArgumentHelp(option.spec.optionHelp ?? "")
            let argument: Any = switch option.spec.type {
            case .bool: Option<Bool?>(name: name, help: help)
            case .int: Option<Int?>(name: name, help: help)
            default: Option<String?>(name: name, help: help)
            }
            return (label: "_" + OptionKey(option).stringValue, value: argument)
        }
        return Mirror(self, children: children, displayStyle: .struct)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: OptionKey.self)
        var values = FieldValues()
        var nested: [String: FieldValues] = [:]
        for option in Self.options {
            let key = OptionKey(option)
            var target = option.nestedField.map { _ in nested[option.field] ?? FieldValues() } ?? values
            let field = option.nestedField ?? option.field
            switch option.spec.type {
            case .bool: target.bool(field, try container.decode(Option<Bool?>.self, forKey: key).wrappedValue)
            case .int: target.int(field, try container.decode(Option<Int?>.self, forKey: key).wrappedValue)
            case let type where type.isList: target.list(field, try container.decode(Option<String?>.self, forKey: key).wrappedValue)
            default: target[field] = try container.decode(Option<String?>.self, forKey: key).wrappedValue
            }
            if option.nestedField == nil { values = target } else { nested[option.field] = target }
        }
        for (field, inner) in nested { values.object(field, inner.values) }
        given = values.values
    }

    /// The fields the user gave; references still as typed (a key, name or alias).
    func values() -> [String: Value] { given }
}
