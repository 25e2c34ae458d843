import ArgumentParser
import DomicileCore
import DomicileStore
import Foundation

/// `domicile check`: compliance gaps as findings with stable rule IDs; exit 1 when any
/// reaches --fail-on. The rules live in DomicileCore (`Checker`), shared with the HTTP API.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Find compliance gaps (and, with --policy, drift from the privacy policy); exit 1 on findings.",
        discussion: """
            Every rule has a stable ID and a severity; docs/checks.md explains each
            one and its legal basis. Exit status: 1 when a finding reaches --fail-on
            (default error), 0 otherwise, 2 for bad input. The check is made as of
            --as-of (default today): only records in force that day count, and dates
            are compared with it. APPI Art. 28 turns on the recipient's country: the
            vendor's contracting_country, else its headquarters (PPC Q&A 12-4); the
            entrustment field transfer_basis records the basis for a recipient in a
            country the PPC has not designated (rule transfer.no_basis).

            Examples:
              domicile check
              domicile check --as-of 2026-12-01 --format json
            \(wrapExample("domicile check --policy docs/privacy-policy.md --fail-on warning --skip checklist.mandatory_unmet"))
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("A published privacy policy (plain text or Markdown, UTF-8) to compare with the registry.", valueName: "file"))
    var policy: String?

    @Option(help: "Output format: text or json.")
    var format: CheckFormat = .text

    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp("Lowest severity that makes the exit status 1: warning or error.", valueName: "severity"))
    var failOn: Severity = .error

    @Option(
        name: [.customLong("as-of"), .customLong("today")],
        help: ArgumentHelp("Check as of this day (YYYY-MM-DD) instead of today.", valueName: "date"))
    var asOf: String?

    @Option(help: ArgumentHelp("Leave out a rule by ID (repeatable, or comma-separated).", valueName: "rule"), completion: .list(CheckRule.all.map(\.id)))
    var skip: [String] = []

    @Option(help: ArgumentHelp("The organization to check (key or name); required when the registry holds several.", valueName: "key"), completion: Completions.names(.record(.organization)))
    var organization: String?

    var skippedRules: [String] {
        skip.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func validate() throws {
        var issues: [Issue] = []
        if let asOf, Day(asOf) == nil {
            issues.append(Issue.invalid("as-of", asOf, expected: "an ISO 8601 date YYYY-MM-DD, e.g. 2026-12-01"))
        }
        let known = CheckRule.all.map(\.id)
        for rule in skippedRules where !known.contains(rule) {
            issues.append(Issue.notAllowed("skip", rule, allowed: known, code: "input.unknown_rule"))
        }
        if !issues.isEmpty { throw InputError(issues) }
    }

    func run() throws {
        let policyText = try policy.map(Self.readPolicy)
        let store = try database.migratedStore()
        let snapshot = try store.snapshot(asOf: asOf.flatMap(Day.init) ?? Day.today).scoped(to: organization)
        let report = CheckReport(
            snapshot: snapshot, policy: policyText, policyName: policy.map { URL(fileURLWithPath: $0).lastPathComponent },
            skipping: skippedRules)
        printForTerminal(report.render(format, failOn: failOn))
        if report.fails(at: failOn) { throw ExitCode(1) }
    }

    static func readPolicy(_ path: String) throws -> PolicyText {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(Issue(code: "input.unreadable_file", field: "policy", value: path, message: "policy '\(path)' cannot be read: no such file, or not readable"))
        }
        guard let text = String(validatingUTF8CString: data) else {
            throw InputError(Issue(code: "input.invalid_encoding", field: "policy", value: path, message: "policy '\(path)' is not UTF-8 text; save it as UTF-8 (plain text or Markdown)"))
        }
        return PolicyText(text)
    }
}

extension CheckFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}

extension String {
    /// `data` as UTF-8, or `nil` when it is not valid UTF-8 or holds a NUL.
    fileprivate init?(validatingUTF8CString data: Data) {
        guard !data.contains(0), let text = String(data: data, encoding: .utf8) else { return nil }
        self = text
    }
}
