import ArgumentParser
import DomicileCore
import DomicileStore

// `vendor end` and `entrust end`: the generic `end`, plus what depends on the record
// (Store+Lifecycle): a vendor in use is ended only with --cascade; an entrustment ends its
// sub-entrustees.

struct VendorEnd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "end",
        abstract: "End a vendor: set its valid_to. Nothing is deleted; history stays.",
        discussion: """
            Refused (exit 2, listing them) while residencies, entrustments,
            provisions, transmissions or sub-entrusteeships naming the vendor
            still hold on that day; --cascade ends them all on the same day, in
            the same transaction (each change audited).

            Examples:
              domicile vendor end sendgrid --on 2026-06-30
              domicile vendor end sendgrid --on 2026-06-30 --cascade
            """,
        aliases: ["retire"])

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: ArgumentHelp("The vendor to end: its key, legal name or alias.", valueName: "key"), completion: Completions.names(.record(.vendor)))
    var key: String

    @Option(help: ArgumentHelp("First day it no longer holds (default: today).", valueName: "date"))
    var on: String?

    @Flag(help: "Also end every record naming the vendor that still holds then, on the same day.")
    var cascade = false

    func run() throws {
        let store = try database.migratedStore()
        let day = try endDay(on)
        let key = try store.resolveKey(.vendor, self.key, field: "key")
        let ended = try store.endVendor(key, on: day, cascade: cascade, actor: actor.resolved)
        for dependent in ended { print("ended \(dependent) on \(day)") }
        print("ended vendor \(key) on \(day)")
    }
}

struct EntrustEnd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "end",
        abstract: "End an entrustment and its sub-entrustees: set their valid_to. Nothing is deleted.",
        discussion: """
            Every sub-entrustee still holding on that day ends the same day (a
            sub-entrustee cannot outlive its entrustment); `diff` lists each end.

            Examples:
              domicile entrust end persona-support-desk
              domicile entrust end persona-support-desk --on 2026-12-31
            """,
        aliases: ["retire"])

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: ArgumentHelp("The entrustment to end.", valueName: "key"), completion: Completions.names(.record(.entrustment)))
    var key: String

    @Option(help: ArgumentHelp("First day it no longer holds (default: today).", valueName: "date"))
    var on: String?

    func run() throws {
        let store = try database.migratedStore()
        let day = try endDay(on)
        let key = try store.resolveKey(.entrustment, self.key, field: "key")
        let subs = try store.endEntrustment(key, on: day, actor: actor.resolved)
        print("ended entrustment \(key) on \(day)" + (subs.isEmpty ? "" : " with its sub-entrustee\(subs.count == 1 ? "" : "s") \(subs.joined(separator: ", "))"))
    }
}

/// `--on DATE`, default today; a bad date is exit 2 naming the option.
func endDay(_ text: String?) throws -> Day {
    guard let text else { return Day.today }
    guard let day = Day(text) else {
        throw InputError(Issue.invalid("on", text, expected: "an ISO 8601 date YYYY-MM-DD, e.g. 2025-12-31"))
    }
    return day
}
