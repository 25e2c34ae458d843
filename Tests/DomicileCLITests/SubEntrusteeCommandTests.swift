import Foundation
import Postgres
import Testing
import TestSupport

/// `domicile entrust sub-add --valid-from` and `domicile entrust sub-end`, and what
/// `where --transitive --as-of` and `diff` make of them, as a user runs them.
@Suite("domicile entrust sub-add/sub-end")
struct SubEntrusteeCommandTests {
    static let entrustment = "persona-support-desk"

    /// The CSV rows' (path, valid_from) of `where --transitive --country US --as-of DAY`.
    static func usChain(_ day: String, _ database: TestDatabase) throws -> [String] {
        let csv = try RegistryCLI.succeed(["where", "--transitive", "--country", "US", "--category", "user.name", "--as-of", day, "--format", "csv"], database)
        let header = csv.stdoutLines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) ?? []
        let path = header.firstIndex(of: "path") ?? 0
        let since = header.firstIndex(of: "valid_from") ?? 0
        return csv.stdoutLines.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return "\(cells[path]) \(cells[since])"
        }.filter { $0.contains("sendgrid") }
    }

    @Test("A sub-entrustee added from a day and ended on another: where --as-of either side of each, diff lists both")
    func addEndAsOfAndDiff() async throws {
        try await WhereCommandTests.withPersona { database in
            try RegistryCLI.succeed(["vendor", "add", "sendgrid", "--legal-name", "Twilio Inc.", "--kinds", "entrustee", "--headquarters", "US", "--risk-tier", "medium", "--valid-from", "2020-01-01"], database)
            let added = try RegistryCLI.succeed(["entrust", "sub-add", Self.entrustment, "--vendor", "sendgrid", "--via", "hikari-mail", "--countries", "US", "--work", "Mail relay", "--valid-from", "2026-09-01"], database)
            #expect(added.stdout == "sub-entrustee sendgrid recorded on entrustment \(Self.entrustment)\n")

            #expect(try Self.usChain("2026-08-31", database).isEmpty)
            // reached through tsubame-support and hikari-mail, valid since its own first day
            let chain = try Self.usChain("2026-09-01", database)
            #expect(chain.count == 1 && chain.first?.hasSuffix(" 2026-09-01") == true, "\(chain)")
            #expect(chain.first.map { ["tsubame-support", "hikari-mail", "sendgrid"].allSatisfy($0.contains) } == true, "\(chain)")

            // an end before its own start is refused, naming the field, and writes nothing
            let counts = try RegistryCLI.rowCounts(database)
            let early = try RegistryCLI.run(["entrust", "sub-end", Self.entrustment, "--vendor", "sendgrid", "--on", "2026-08-01"], database)
            #expect(early.status == 2 && early.stdout.isEmpty)
            #expect(early.stderr == "error: sub_entrustees.valid_to 2026-08-01 of sub-entrustee 'sendgrid' is not after sub_entrustees.valid_from 2026-09-01; an end must come after the start\n", "\(early.stderr)")
            #expect(try RegistryCLI.rowCounts(database) == counts)

            let ended = try RegistryCLI.succeed(["entrust", "sub-end", Self.entrustment, "--vendor", "Twilio Inc.", "--on", "2026-10-01"], database)
            #expect(ended.stdout == "ended sub-entrustee sendgrid of entrustment \(Self.entrustment) on 2026-10-01\n")
            #expect(try Self.usChain("2026-09-30", database).count == 1)
            #expect(try Self.usChain("2026-10-01", database).isEmpty)
            let audit = try RegistryCLI.audit(database, entity: "entrustment", key: "\(Self.entrustment)#sub:sendgrid")
            #expect(audit.map(\.action) == ["add", "end"] && audit.allSatisfy { $0.actor == RegistryCLI.defaultActor })

            let diff = try RegistryCLI.succeed(["diff", "--from", "2026-08-31", "--to", "2026-10-01", "--format", "csv"], database)
            #expect(diff.stdoutLines.dropFirst() == [
                "2026-09-01,started,sub_entrustee,\(Self.entrustment),,persona,\"sendgrid via hikari-mail US [user.contact.address, user.contact.email, user.contact.phone_number, user.content.inquiry, user.name, user.workplace]\"",
                "2026-10-01,ended,sub_entrustee,\(Self.entrustment),,persona,\"sendgrid via hikari-mail US [user.contact.address, user.contact.email, user.contact.phone_number, user.content.inquiry, user.name, user.workplace]\"",
            ], "\(diff.stdout)")
            let table = try RegistryCLI.succeed(["diff", "--from", "2026-08-31", "--to", "2026-10-01"], database)
            #expect(table.stdoutLines.count == 3 && table.stdout.contains("started  sub_entrustee  \(Self.entrustment)"), "\(table.stdout)")
            let json = try RegistryCLI.succeed(["diff", "--from", "2026-08-31", "--to", "2026-10-01", "--format", "json"], database)
            let changes = try #require(try RegistryCLI.jsonObject(json.stdout)["changes"] as? [[String: Any]])
            #expect(changes.map { "\($0["change"]!) \($0["kind"]!) \(($0["record"] as? [String: Any])?["vendor"] ?? "")" } == [
                "started sub_entrustee sendgrid", "ended sub_entrustee sendgrid",
            ])
            let shown = try RegistryCLI.succeed(["entrust", "show", Self.entrustment], database)
            #expect(shown.stdout.contains("  valid_from: 2026-09-01\n  valid_to: 2026-10-01\n"), "\(shown.stdout)")
        }
    }

    @Test("sub-end refuses a vendor not in the chain, an unknown vendor, a day before the entrustment began, a bad date and a second end: exit 2, nothing written",
          arguments: [
            (["--vendor", "aws", "--on", "2026-10-01"], "error: vendor 'aws' is not a sub-entrustee of entrustment 'persona-support-desk'; its sub-entrustees are: hikari-mail"),
            (["--vendor", "hikari-mial", "--on", "2026-10-01"], "error: vendor 'hikari-mial' is not a known vendor key, legal name or alias; did you mean hikari-mail?"),
            (["--vendor", "hikari-mail", "--on", "2021-04-01"], "error: sub_entrustees.valid_to 2021-04-01 of sub-entrustee 'hikari-mail' is not after valid_from 2021-04-01 (the entrustment's start); an end must come after the start"),
            (["--vendor", "hikari-mail", "--on", "2026-02-30"], "valid_to '2026-02-30' is not valid"),
            (["--vendor", "hikari-mail", "--on", "2026-07-01"], "error: sub-entrustee 'hikari-mail' of entrustment 'persona-support-desk' already ended on 2026-06-30; to correct it, change its valid_to in a registry file and import it"),
          ])
    func subEndRefusesBadInput(arguments: [String], message: String) async throws {
        try await WhereCommandTests.withPersona { database in
            if arguments.last == "2026-07-01" {
                try RegistryCLI.succeed(["entrust", "sub-end", Self.entrustment, "--vendor", "hikari-mail", "--on", "2026-06-30"], database)
            }
            let counts = try RegistryCLI.rowCounts(database)
            let result = try RegistryCLI.run(["entrust", "sub-end", Self.entrustment] + arguments, database)

            #expect(result.status == 2, "\(RegistryCLI.describe(result))")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(try RegistryCLI.rowCounts(database) == counts)
            if arguments.last == "2026-07-01" {
                // nor may sub-add bring an ended sub-entrustee back
                let again = try RegistryCLI.run(["entrust", "sub-add", Self.entrustment, "--vendor", "hikari-mail", "--countries", "JP"], database)
                #expect(again.status == 2 && again.stderr.contains("ended on 2026-06-30 and cannot be added again"), "\(RegistryCLI.describe(again))")
                #expect(try RegistryCLI.rowCounts(database) == counts)
            }
        }
    }

    @Test("sub-add and sub-end --help show an example")
    func help() async throws {
        for command in ["sub-add", "sub-end"] {
            let result = try RegistryCLI.run(["entrust", command, "--help"], nil)
            #expect(result.status == 0 && result.stdout.contains("domicile entrust \(command) persona-support"), "\(result.stdout)")
        }
        #expect(try RegistryCLI.run(["entrust", "sub-add", "--help"], nil).stdout.contains("--valid-from"))
    }
}
