import DomicileCore
import Foundation
import Testing
import TestSupport

/// The `add`/`edit` options of every command group are the fields of its kind, as
/// `EntitySchema` declares them (`FieldSpec.optionHelp`, `EntitySchema.commandLineOptions`):
/// a field declared without an option, or an option a group declares by hand, fails here.
@Suite struct EntityOptionsTests {
    static let groups: [(command: String, kind: EntityKind)] = [
        ("organization", .organization), ("service", .service), ("vendor", .vendor), ("residency", .residency),
        ("transmission", .transmission), ("entrust", .entrustment), ("provision", .provision), ("assess", .assessment),
    ]

    /// Long option name → help abstract, as `--experimental-dump-help` describes the command.
    static func options(_ arguments: [String]) throws -> [String: String] {
        let result = try DomicileProcess.run(arguments + ["--experimental-dump-help"], databaseURL: nil)
        #expect(result.status == 0, "\(result)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let command = try #require(json["command"] as? [String: Any])
        var options: [String: String] = [:]
        for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["kind"] as? String == "option" {
            for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
                options[name["name"] as? String ?? ""] = argument["abstract"] as? String ?? ""
            }
        }
        return options
    }

    @Test("Every field of a kind with add/edit commands declares its option (but the key and nested lists)")
    func everyFieldHasAnOption() {
        for (command, kind) in Self.groups {
            var expected: [String] = []
            for field in kind.schema.fields where field.name != "key" {
                switch field.type {
                case .records: continue  // lists have commands of their own (entrust sub-add, …)
                case .object(let nested): expected += nested.fields.map { field.name + "." + $0.name }
                default: expected.append(field.name)
                }
            }
            let covered = Set(kind.schema.commandLineOptions.map { [$0.field, $0.nestedField].compactMap { $0 }.joined(separator: ".") })
            let missing = expected.filter { !covered.contains($0) }
            #expect(missing.isEmpty, "\(command): fields without an option (give their FieldSpec an option: help): \(missing)")
            #expect(Set(kind.schema.commandLineOptions.map(\.name)).count == kind.schema.commandLineOptions.count, "\(command): two fields share an option name")
        }
    }

    @Test("add and edit offer exactly the schema's options, with the schema's help, besides the options every group shares")
    func commandsOfferTheSchemaOptions() throws {
        for subcommand in ["add", "edit"] {
            var extras: [String: Set<String>] = [:]
            for (command, kind) in Self.groups {
                let offered = try Self.options([command, subcommand])
                for option in kind.schema.commandLineOptions {
                    #expect(offered[option.name] == option.spec.optionHelp, "\(command) \(subcommand) --\(option.name)")
                }
                extras[command] = Set(offered.keys).subtracting(kind.schema.commandLineOptions.map(\.name))
            }
            let shared = extras.values.reduce(extras.values.first ?? []) { $0.intersection($1) }
            for (command, extra) in extras {
                #expect(extra == shared, "\(command) \(subcommand) has options that are no field of its schema: \(extra.subtracting(shared).sorted())")
            }
        }
    }
}
