import DomicileCore
import Testing

/// The one parser of report requests: `domicile report` and `GET /v1/reports/…` get the
/// same checks, each naming the fields as its user writes them.
@Suite("Report request parser")
struct ReportRequestTests {
    @Test("Every value is read: days, organization and the draft flags, with the defaults when absent")
    func everyValueIsRead() throws {
        let full = try ReportRequest.parse(
            ReportRequest.Input(
                kind: "disclosure", format: "html", lang: "ja", asOf: "2026-11-28", expiringWithin: "120",
                organization: "kaede-wellness", allowFindings: "true", allowMissingTranslations: "false"),
            spelling: .query)
        #expect(full.kind == .disclosure && full.format == .html && full.lang == .ja && full.asOf == Day("2026-11-28"))
        #expect(full.options.expiringWithinDays == 120)
        #expect(full.organization == "kaede-wellness" && full.allowFindings && !full.allowMissingTranslations)
        let defaults = try ReportRequest.parse(ReportRequest.Input(kind: "vendors"))
        #expect(defaults.format == .md && defaults.lang == .en && defaults.asOf == nil)
        #expect(defaults.options == ReportOptions() && defaults.organization == nil && !defaults.allowFindings)
    }

    @Test("A query names as_of and expiring_within, the command line --as-of and --expiring-within")
    func fieldsAreNamedAsTheUserWroteThem() {
        let bad = ReportRequest.Input(kind: "vendors", asOf: "2025-13-01", expiringWithin: "5000")
        for (spelling, asOf, days) in [(ReportRequest.Spelling.query, "as_of", "expiring_within"), (.commandLine, "as-of", "expiring-within")] {
            do {
                _ = try ReportRequest.parse(bad, spelling: spelling)
                Testing.Issue.record("accepted")
            } catch {
                #expect(error.issues.map(\.field) == [asOf, days])
                #expect(error.issues[0].message == "\(asOf) '2025-13-01' is not valid: expected an ISO 8601 date YYYY-MM-DD, e.g. 2025-04-01")
                #expect(error.issues[1].message == "\(days) '5000' is not valid: expected a number of days from 0 to 3650")
            }
        }
    }

    @Test("An unknown kind is input.unknown_report in a query (a 404) and an invalid report on the command line")
    func unknownKind() {
        do {
            _ = try ReportRequest.parse(ReportRequest.Input(kind: "residence"), spelling: .query)
            Testing.Issue.record("accepted")
        } catch {
            #expect(error.issues.first?.code == "input.unknown_report")
            #expect(error.issues.first?.field == "kind")
            #expect(error.issues.first?.message.contains("did you mean residency?") == true)
        }
        do {
            _ = try ReportRequest.parse(ReportRequest.Input(kind: "residence"))
            Testing.Issue.record("accepted")
        } catch {
            #expect(error.issues.first?.field == "report")
            #expect(error.issues.first?.message.hasPrefix("report 'residence' is not allowed; use one of: residency, vendors, disclosure, ropa") == true)
        }
    }

    @Test("A query's flags are true or false, and its organization printable text")
    func queryFlagsAndOrganization() {
        do {
            _ = try ReportRequest.parse(ReportRequest.Input(kind: "disclosure", organization: "", allowFindings: "yes"), spelling: .query)
            Testing.Issue.record("accepted")
        } catch {
            #expect(error.issues.map(\.field) == ["organization", "allow_findings"])
            #expect(error.issues[1].message.hasPrefix("allow_findings 'yes' is not allowed; use one of: true, false"))
        }
    }
}
