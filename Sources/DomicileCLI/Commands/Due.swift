import ArgumentParser
import DomicileCore
import DomicileStore
import Foundation

/// `domicile due`: what falls due, from the same snapshot and dates as `check` (`DueList`).
struct Due: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "List what falls due: contract ends and notice deadlines, reviews, Art. 18 checks, retention ends.",
        discussion: """
            Each item names its record, its date, what is due, its owner and its legal
            source. Dates are those `domicile check` uses: a contract's end
            (contract.expires_on) and its notice deadline (notice_days before the end); a
            DPA's own end; each review (an organization's next_review_on per checklist, a
            vendor's the earlier of next_review_on and its risk tier's cadence); the yearly
            check of a standard-conforming or CBPR recipient (PPC Rules Art. 18(1), a year
            after transfer_basis_checked_on); and the end of each record of provision's
            retention (retain_until, PPC Rules Art. 21). What is already past is included
            and marked overdue (a contract on its expiry day, as check reads it). The owner is the vendor's, else the service's (for a review,
            else its assessor); --owner keeps one owner's items.
            --format ics writes an iCalendar file (RFC 5545) with one all-day event per
            item, for a calendar; the API serves the same at /v1/due.ics.

            Examples:
              domicile due
              domicile due --within 6m --owner "legal@example.com"
              domicile due --within 1y --format ics -o due.ics
              domicile due --as-of 2027-01-01 --format csv
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("How far ahead: days, weeks, months or years (90d, 12w, 6m, 1y).", valueName: "window"))
    var within: String = DueList.defaultWindow

    @Option(help: ArgumentHelp("Only the items of this owner (as recorded on the vendor or service; case ignored).", valueName: "owner"))
    var owner: String?

    @Option(help: "Output format: text, json, csv or ics (iCalendar).")
    var format: DueList.Format = .text

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("Count from this day (YYYY-MM-DD) instead of today.", valueName: "date"))
    var asOf: String?

    @Option(help: ArgumentHelp("The organization (key or name) when the registry holds several.", valueName: "key"))
    var organization: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        var issues: [Issue] = []
        if let asOf, Day(asOf) == nil {
            issues.append(Issue.invalid("as-of", asOf, expected: "an ISO 8601 date YYYY-MM-DD, e.g. 2026-12-01"))
        }
        if DueList.windowEnd(within, from: Day.today) == nil {
            issues.append(Issue.invalid("within", within, expected: DueList.windowExpected))
        }
        if !issues.isEmpty { throw InputError(issues) }
    }

    func run() throws {
        let day = asOf.flatMap(Day.init) ?? Day.today
        guard let until = DueList.windowEnd(within, from: day) else {
            throw InputError(Issue.invalid("within", within, expected: DueList.windowExpected))
        }
        let store = try database.migratedStore()
        let snapshot = try store.snapshot(asOf: day).scoped(to: organization)
        try Output.write(DueList(snapshot, until: until, owner: owner).render(format), to: output)
    }
}

extension DueList.Format: ExpressibleByArgument {}
