import ArgumentParser
import DomicileCore
import DomicileStore
import Foundation

/// One command group (`vendor`, `service`, …): which kind it writes and how it is shown.
protocol EntityGroup {
    static var kind: EntityKind { get }
    /// Command name, e.g. `entrust` for entrustments.
    static var name: String { get }
    /// Fields shown by `list` in a table.
    static var listColumns: [String] { get }
    static var addExample: String { get }
    static var editExample: String { get }
}

extension EntityGroup {
    static var noun: String { kind.rawValue }
    static var hasValidity: Bool { kind.schema.field("valid_from") != nil }
}

/// Writes one record through the importer, so the CLI and files share validation,
/// normalization, the audit trail and the all-or-nothing transaction.
func saveRecord(_ record: Record, kind: EntityKind, store: Store, actor: String, correction: Bool = false) throws -> ImportPlan {
    try Importer(store: store).run(RegistryDocument(records: [kind: [record]]), actor: actor, allowFactChanges: correction)
}

extension Store {
    /// The stored record a person named by key (or, for vendors and services, name or alias).
    func existingRecord(_ kind: EntityKind, _ text: String) throws -> (key: String, record: Record) {
        // A key: one statement (`show KEY` is a single round trip); anything else is resolved first.
        if let record = try record(kind, key: text) { return (text, record) }
        let key = try resolveKey(kind, text, field: "key")
        guard let record = try record(kind, key: key) else {
            throw InputError(Issue(code: "input.unknown_\(kind.rawValue)", field: "key", value: text, message: "\(kind.rawValue) '\(text)' does not exist"))
        }
        return (key, record)
    }
}

/// A command that changes one record: it reads, checks and saves under the registry write
/// lock (so nobody changes the record in between) and prints what it did once committed.
protocol RecordChangeCommand: ParsableCommand {
    var database: DatabaseOptions { get }
    var actor: ActorOptions { get }
    /// Makes the change inside the write transaction; returns the line to print.
    func change(_ store: Store) throws -> String
}

extension RecordChangeCommand {
    func run() throws {
        let store = try database.migratedStore()
        print(try store.write(actor: actor.resolved) { _ in try change(store) })
    }
}

/// Turns names and aliases the user typed for references into keys.
func resolveReferences(_ values: [String: Value], schema: EntitySchema, store: Store) throws -> [String: Value] {
    var resolved = values
    var issues: [Issue] = []
    for field in schema.fields {
        guard let value = values[field.name] else { continue }
        do {
            switch (field.type, value) {
            case (.reference(let kind), .string(let text)):
                resolved[field.name] = .string(try store.resolveKey(kind, text, field: field.name))
            case (.references(let kind), .list(let texts)):
                resolved[field.name] = .list(try texts.map { try store.resolveKey(kind, $0, field: field.name) })
            case (.country, .string(let text)), (.region, .string(let text)), (.template, .string(let text)):
                resolved[field.name] = .string(try store.resolveReference(field.type, text, field: field.name))
            case (.countries, .list(let texts)):
                resolved[field.name] = .list(try texts.map { try store.resolveReference(.country, $0, field: field.name) })
            case (.object(let nested), .object(let inner)):
                resolved[field.name] = .object(Record(try resolveReferences(inner.values, schema: nested, store: store)))
            default:
                break
            }
        } catch let error as InputError {
            issues += error.issues
        }
    }
    if !issues.isEmpty { throw InputError(issues) }
    return resolved
}

struct AddCommand<Group: EntityGroup>: RecordChangeCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "add",
            abstract: "Register a new \(Group.noun).",
            discussion: """
                Every error names the field, the value and what is allowed; nothing
                is written unless everything is valid. References (vendor, service,
                category, purpose, country, region, …) may be given by key, English or
                Japanese name, alias or unambiguous prefix. Lists are comma-separated.
                Dates are YYYY-MM-DD.

                Example:
                \(wrapExample(Group.addExample))
                """)
    }

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: ArgumentHelp("Key of the new \(Group.noun): lower-case letters, digits, '.', '_' or '-'.", valueName: "key"))
    var key: String

    @OptionGroup var fields: EntityOptions<Group>

    func change(_ store: Store) throws -> String {
        if let existing = try store.record(Group.kind, key: key) {
            throw InputError(
                Issue(
                    code: "input.duplicate_key", field: "key", value: key,
                    message: "\(Group.noun) '\(key)' already exists (\(existing.string("name") ?? existing.string("legal_name") ?? key)); use `domicile \(Group.name) edit \(key)` to change it"))
        }
        var values = try resolveReferences(fields.values(), schema: Group.kind.schema, store: store)
        values["key"] = .string(key)
        if Group.hasValidity, values["valid_from"] == nil { values["valid_from"] = .string(Day.today.description) }
        _ = try saveRecord(Record(values), kind: Group.kind, store: store, actor: actor.resolved)
        return "added \(Group.noun) \(key)"
    }
}

struct EditCommand<Group: EntityGroup>: RecordChangeCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "edit",
            abstract: "Change fields of an existing \(Group.noun).",
            discussion: """
                Only the options given change; --clear FIELD empties an optional
                field. The change is audited with its before and after values.

                Example:
                \(wrapExample(Group.editExample))
                """)
    }

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: ArgumentHelp("The \(Group.noun) to change: its key\(Group.kind == .vendor ? ", legal name or alias" : "").", valueName: "key"), completion: Completions.names(.record(Group.kind)))
    var key: String

    @OptionGroup var fields: EntityOptions<Group>

    @Option(help: ArgumentHelp("Empty an optional field (repeatable), e.g. --clear notes.", valueName: "field"))
    var clear: [String] = []

    @Flag(help: "Allow changing what the fact is (e.g. a residency's country) because the recorded value was wrong from the start. A change in the world is `end` plus `add` instead, so as-of answers about the past stay true.")
    var correction = false

    func change(_ store: Store) throws -> String {
        var (key, record) = try store.existingRecord(Group.kind, self.key)
        let schemaFields = Group.kind.schema.fields
        for name in clear {
            guard let field = schemaFields.first(where: { $0.name == name }), name != "key" else {
                throw InputError(Issue.notAllowed("clear", name, allowed: schemaFields.filter { !$0.required }.map(\.name)))
            }
            if field.required {
                throw InputError(Issue(code: "input.required_field", field: name, value: nil, message: "\(name) is required and cannot be cleared; give a new value instead"))
            }
            record[name] = nil
        }
        let given = try resolveReferences(fields.values(), schema: Group.kind.schema, store: store)
        if given.isEmpty && clear.isEmpty {
            throw InputError(Issue(code: "input.nothing_to_change", field: "options", value: nil, message: "nothing to change: give at least one option (see `domicile \(Group.name) edit --help`)"))
        }
        if Group.kind == .residency {
            // A residency's place is one thing: a new region brings its own country, and a
            // new undisclosed reason replaces the country and region.
            if given["region"] != nil, given["country"] == nil { record["country"] = nil }
            if given["undisclosed"] != nil { record["country"] = nil; record["region"] = nil }
            if given["country"] != nil || given["region"] != nil { record["undisclosed"] = nil }
        }
        for (name, value) in given {
            if case .object(let inner) = value, var merged = record.object(name) {
                for (innerName, innerValue) in inner.values { merged[innerName] = innerValue }
                record[name] = .object(merged)
            } else {
                record[name] = value
            }
        }
        let plan = try saveRecord(record, kind: Group.kind, store: store, actor: actor.resolved, correction: correction)
        if let change = plan.changed.first {
            return "changed \(Group.noun) \(key): \(change.fields.joined(separator: ", "))"
        } else {
            return "\(Group.noun) \(key) already had these values; nothing changed"
        }
    }
}

struct ShowCommand<Group: EntityGroup>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "show",
            abstract: "Show one \(Group.noun) with every field.",
            discussion: "Example:\n  domicile \(Group.name) show KEY --format json")
    }

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("The \(Group.noun)'s key\(Group.kind == .vendor ? ", legal name or alias" : "").", valueName: "key"), completion: Completions.names(.record(Group.kind)))
    var key: String

    @Option(help: "Output format.")
    var format: Format = .yaml

    func run() throws {
        let store = try database.migratedStore()
        let (_, record) = try store.existingRecord(Group.kind, self.key)
        switch format {
        case .yaml: print(RegistryYAML.emit(record, kind: Group.kind), terminator: "")
        case .json:
            print(Listing.json(record, schema: Group.kind.schema), terminator: "")
        }
    }
}

struct ListCommand<Group: EntityGroup>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "list",
            abstract: "List \(Group.kind.section).",
            discussion: Group.hasValidity
                ? """
                By default lists what is in force today; --as-of DATE lists what was
                in force on that day; --all lists everything, ended records included.
                Sorted by key; --limit N prints the first N, --after KEY those after
                KEY (pass the last key printed to get the next page).

                Examples:
                  domicile \(Group.name) list
                  domicile \(Group.name) list --as-of 2025-04-01 --format csv
                  domicile \(Group.name) list --limit 100 --after KEY
                """ : """
                Sorted by key; --limit N prints the first N, --after KEY those after
                KEY (pass the last key printed to get the next page).

                Examples:
                  domicile \(Group.name) list --format json
                  domicile \(Group.name) list --limit 100 --after KEY
                """)
    }

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: ListingOptions
    @OptionGroup var page: PageOptions

    @Option(name: .customLong("as-of"), help: ArgumentHelp("List what was in force on this day (YYYY-MM-DD).", valueName: "date"))
    var asOf: String?

    @Flag(help: "Include ended records.")
    var all = false

    func validate() throws {
        if let asOf, Day(asOf) == nil {
            throw InputError(Issue.invalid("as-of", asOf, expected: "an ISO 8601 date YYYY-MM-DD, e.g. 2025-04-01"))
        }
        if asOf != nil, all { throw ValidationError("--as-of and --all exclude each other") }
    }

    func run() throws {
        let store = try database.migratedStore()
        let day: Day? = all || !Group.hasValidity ? nil : asOf.flatMap(Day.init) ?? Day.today
        let records = page.isPaging
            ? try store.recordsPage(Group.kind, asOf: day, after: page.after, limit: page.limit).records
            : try store.records(Group.kind, asOf: day)
        let listing: Listing
        if output.format == .csv, !RegistryCSV.yamlOnly.contains(Group.kind) {
            // CSV listings use the import columns, so a listing re-imports.
            let text = RegistryCSV.emit(records, kind: Group.kind)
            printForTerminal(text)
            return
        } else {
            let kind = Group.kind
            listing = Listing(records: records.map { displayed($0, kind: kind) }, schema: kind.schema, columns: Group.listColumns)
        }
        printForTerminal(listing.render(output.format))
    }
}

/// A residency whose country is not disclosed says so in a listing's country column.
func displayed(_ record: Record, kind: EntityKind) -> Record {
    guard kind == .residency, record.string("country") == nil, record.object("undisclosed") != nil else { return record }
    var shown = record
    let candidates = record.object("undisclosed")?.list("candidates") ?? []
    shown["country"] = .string(candidates.isEmpty ? "undisclosed" : "undisclosed (" + candidates.joined(separator: "/") + "?)")
    return shown
}

struct EndCommand<Group: EntityGroup>: RecordChangeCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "end",
            abstract: "End a \(Group.noun): set its valid_to. Nothing is deleted; history stays.",
            discussion: """
                The record stays in the registry, and in as-of answers for the days
                it was in force.

                Examples:
                  domicile \(Group.name) end KEY
                  domicile \(Group.name) end KEY --on 2025-12-31
                """,
            aliases: ["retire"])
    }

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: ArgumentHelp("The \(Group.noun) to end.", valueName: "key"), completion: Completions.names(.record(Group.kind)))
    var key: String

    @Option(help: ArgumentHelp("First day it no longer holds (default: today).", valueName: "date"))
    var on: String?

    func change(_ store: Store) throws -> String {
        var (key, record) = try store.existingRecord(Group.kind, self.key)
        let day = on ?? Day.today.description
        if let ended = record.string("valid_to") {
            throw InputError(Issue(code: "input.already_ended", field: "valid_to", value: ended, message: "\(Group.noun) '\(key)' already ended on \(ended); use `domicile \(Group.name) edit \(key) --valid-to DATE` to correct it"))
        }
        record["valid_to"] = .string(day)
        _ = try saveRecord(record, kind: Group.kind, store: store, actor: actor.resolved)
        return "ended \(Group.noun) \(key) on \(day)"
    }
}

/// Breaks a long example command into shell continuation lines that fit a terminal,
/// never inside a quoted argument.
func wrapExample(_ command: String, width: Int = 74) -> String {
    var words: [String] = []
    var current = ""
    var quote: Character?
    for character in command {
        if character == " ", quote == nil {
            if !current.isEmpty { words.append(current) }
            current = ""
            continue
        }
        if character == "\"" || character == "'" { quote = quote == nil ? character : (quote == character ? nil : quote) }
        current.append(character)
    }
    if !current.isEmpty { words.append(current) }
    // keep each option with its value
    var units: [String] = []
    for word in words {
        if let last = units.last, last.hasPrefix("--"), !last.contains(" "), !word.hasPrefix("--") {
            units[units.count - 1] = last + " " + word
        } else {
            units.append(word)
        }
    }
    words = units
    var lines: [String] = []
    var line = "  "
    for word in words {
        if line.count + word.count + 1 > width, line.trimmingCharacters(in: .whitespaces).count > 0 {
            lines.append(line + " \\")
            line = "      " + word
        } else {
            line += (line.hasSuffix(" ") ? "" : " ") + word
        }
    }
    lines.append(line)
    return lines.joined(separator: "\n")
}

/// `--format table|json|csv` for every listing.
struct ListingOptions: ParsableArguments {
    @Option(help: "Output format: table, json or csv.")
    var format: ListingFormatArgument = .table
}

typealias ListingFormatArgument = ListingFormat
extension ListingFormat: ExpressibleByArgument {}

/// Builds `[field: Value]` from optional command-line values.
struct FieldValues {
    private(set) var values: [String: Value] = [:]

    subscript(field: String) -> String? {
        get { values[field]?.string }
        set { if let newValue { values[field] = .string(newValue) } }
    }

    mutating func list(_ field: String, _ text: String?) {
        guard let text else { return }
        values[field] = .list(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    mutating func bool(_ field: String, _ value: Bool?) {
        if let value { values[field] = .bool(value) }
    }

    mutating func int(_ field: String, _ value: Int?) {
        if let value { values[field] = .int(value) }
    }

    mutating func object(_ field: String, _ inner: [String: Value]) {
        if !inner.isEmpty { values[field] = .object(Record(inner)) }
    }
}

extension Store {
    /// A country, region or checklist template as typed: its key when the name resolves; an
    /// unknown one stays as typed, for the validator's message and suggestion.
    func resolveReference(_ type: FieldType, _ text: String, field: String) throws -> String {
        switch type {
        case .template: return try resolveOrKeep(.template, text, field: field)
        case .country, .countries: return try resolveOrKeep(.country, text, field: field)
        case .region: return try resolveOrKeep(.region, text, field: field)
        default: return text
        }
    }

}
