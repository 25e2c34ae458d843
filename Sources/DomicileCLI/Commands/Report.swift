import ArgumentParser
import DomicileCore
import DomicileStore
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a residency, vendor, disclosure or ROPA report from the registry.",
        discussion: """
            residency   per service and data category: countries, regions and vendors by role;
                        per country its regime facts; undisclosed locations; warnings inline
            vendors     per vendor: services, data, countries, contract and DPA state, latest
                        assessments with their gaps, next review, certifications, risk score
            disclosure  the public privacy-policy text, to publish as it is (--lang en or ja):
                        purposes of use, third-party provision, entrustment, security
                        measures, external environment, external-transmission table,
                        requests and contact, the company's name, address, representative
            ropa        a GDPR Art. 30 record of processing activities

            The disclosure is refused (exit 1, the list on standard error, nothing
            written) while a fact it states is missing or a placeholder ('-', 'TBD'), or
            the check reports an error on one, unless --allow-findings (each gap is then
            marked "to be completed" in the text); with --lang ja, while a value it
            states has no Japanese text, unless --allow-missing-translations. Its charts,
            gaps and fingerprints are in the internal report, `report vendors`.

            Every report states the registry revision, its as-of day, when it was generated
            and a SHA-256 fingerprint of its content (the disclosure as metadata only:
            front matter, <meta>, JSON fields); the same revision and --as-of give the
            same fingerprint. The generation time is now, or SOURCE_DATE_EPOCH (seconds
            since 1970) when set, for reproducible output. HTML is one self-contained,
            printable file. CSV (not for disclosure) starts with one '#' line carrying
            the same facts.

            Examples:
              domicile report residency --format html -o residency.html
              domicile report disclosure --lang ja --format md
              domicile report disclosure --format html --allow-findings -o draft.html
              domicile report vendors --as-of 2027-01-01 --expiring-within 120 --format csv
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("residency, vendors, disclosure or ropa.", valueName: "report"), completion: .list(ReportKind.allCases.map(\.rawValue)))
    var kind: String

    @Option(help: ArgumentHelp("md, html, json, or csv (not for disclosure).", valueName: "format"), completion: .list(ReportFormat.allCases.map(\.rawValue)))
    var format: String = "md"

    @Option(help: ArgumentHelp("en or ja: the disclosure is written wholly in it; the other reports take it for their header and figures.", valueName: "lang"), completion: .list(ReportLanguage.allCases.map(\.rawValue)))
    var lang: String = "en"

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Report the registry as it stood on this day (YYYY-MM-DD; default today).", valueName: "date"))
    var asOf: String?

    @Option(help: ArgumentHelp("A contract or DPA expiring within this many days is reported as expiring.", valueName: "days"))
    var expiringWithin: Int = Compliance.defaultExpiringWithinDays

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("The organization the report speaks for (key or name); required when the registry holds several.", valueName: "key"), completion: Completions.names(.record(.organization)))
    var organization: String?

    @Flag(name: .customLong("allow-findings"), help: "disclosure: write it even with missing facts, placeholders or check errors, each marked as to be completed.")
    var allowFindings = false

    @Flag(name: .customLong("allow-missing-translations"), help: "disclosure --lang ja: write it even when a value has no Japanese text (marked, never printed in English).")
    var allowMissingTranslations = false

    func run() throws {
        let request = try ReportRequest.parse(
            ReportRequest.Input(
                kind: kind, format: format, lang: lang, asOf: asOf, expiringWithin: String(expiringWithin), organization: organization,
                allowFindings: String(allowFindings), allowMissingTranslations: String(allowMissingTranslations)))
        let store = try database.migratedStore()
        let snapshot = try store.snapshot(asOf: request.asOf, skipping: request.kind.unread(request.format)).scoped(to: request.organization)
        if request.kind == .disclosure {
            let blockers = DisclosureReport.blockers(
                snapshot, lang: request.lang, allowFindings: request.allowFindings, allowMissingTranslations: request.allowMissingTranslations)
            if !blockers.isEmpty {
                printError("error: the disclosure is not ready to publish (\(blockers.count) to complete); nothing written:")
                for line in blockers { printError("  - " + line) }
                printError("Complete these in the registry, or pass --allow-findings / --allow-missing-translations to write a draft with each gap marked.")
                throw ExitCode(1)
            }
        }
        var chunks = try ReportRenderer.stream(
            request.kind, snapshot, format: request.format, lang: request.lang, generatedAt: try Self.generatedAt(),
            options: request.options)
        try Self.write(&chunks, to: output)
    }

    /// Writes the report as it is rendered, a chunk at a time: to `path` atomically (a
    /// temporary file renamed over it once complete, so a failure leaves no partial report),
    /// or to standard output.
    static func write(_ chunks: inout ReportChunks, to path: String?) throws {
        guard let path, path != "-" else {
            let terminal = isatty(STDOUT_FILENO) == 1
            while let chunk = chunks.next() {
                // On a terminal, a control character from stored text is shown escaped, not obeyed.
                let bytes = terminal ? Array(TerminalText.escaped(String(decoding: chunk, as: UTF8.self), keepingNewlines: true).utf8) : chunk
                try AtomicFile.writeAll(STDOUT_FILENO, bytes)
            }
            return
        }
        do {
            try AtomicFile.write(to: path) { chunks.next() }
        } catch {
            throw InputError(Issue(code: "input.unwritable_file", field: "output", value: path, message: "cannot write \(path): \(error)"))
        }
    }

    /// Now, or `SOURCE_DATE_EPOCH` (the reproducible-builds convention) when set.
    static func generatedAt(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Date {
        guard let epoch = environment["SOURCE_DATE_EPOCH"], !epoch.isEmpty else { return Date() }
        guard let seconds = Int64(epoch), seconds >= 0 else {
            throw InputError(Issue.invalid("SOURCE_DATE_EPOCH", epoch, expected: "whole seconds since 1970-01-01T00:00:00Z"))
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
