import Foundation
import Postgres
import Testing
import TestSupport

/// Issue 11 points 2 and 4 as a user meets them on the PERSONA example: an opt-out provision
/// of special-care data is refused at input; a vendor still in use ends only with --cascade;
/// an entrustment ends its sub-entrustees; a sub-entrustee stays inside its entrustment.
@Suite("special-care data and the lifecycle of records")
struct LifecycleCommandTests {
    static let desk = "persona-support-desk"

    static func addRecipient(_ database: TestDatabase) throws {
        try RegistryCLI.succeed(["vendor", "add", "medi-list", "--legal-name", "Medi List K.K.", "--kinds", "third_party_recipient", "--headquarters", "JP", "--risk-tier", "high", "--valid-from", "2025-01-01"], database)
    }

    static func optOut(_ key: String, categories: String) -> [String] {
        ["provision", "add", key, "--service", "persona", "--recipient", "medi-list", "--basis", "opt_out", "--purpose", "Sale of a mailing list",
         "--purpose-ja", "名簿の販売", "--categories", categories, "--recipient-country", "JP", "--valid-from", "2026-01-01"]
    }

    static func findings(_ database: TestDatabase, _ extra: [String] = []) throws -> [String] {
        let result = try RegistryCLI.run(["check", "--as-of", "2026-12-01", "--format", "json"] + extra, database)
        let object = try RegistryCLI.jsonObject(result.stdout)
        return (object["findings"] as? [[String: Any]] ?? []).map { "\($0["rule"]!) \($0["kind"]!)/\($0["key"]!)" }
    }

    @Test("An opt-out provision of health data is refused (exit 2, APPI Art. 27(2)), from the command line and from a file; of a name it is accepted")
    func optOutOfSpecialCareIsRefused() async throws {
        try await WhereCommandTests.withPersona { database in
            try Self.addRecipient(database)
            let before = try RegistryCLI.rowCounts(database)
            for categories in ["user.health.checkup_results", "user.name,user.health", "user.criminal_history.juvenile_proceedings"] {
                let refused = try RegistryCLI.run(Self.optOut("persona-list", categories: categories), database)
                #expect(refused.status == 2, "\(RegistryCLI.describe(refused))")
                #expect(refused.stderr.contains("APPI Art. 27(2)") && refused.stderr.contains("basis opt_out is not allowed"), "\(refused.stderr)")
                #expect(refused.stdout.isEmpty)
            }
            #expect(try RegistryCLI.rowCounts(database) == before, "nothing written")

            let directory = try RegistryCLI.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = try RegistryCLI.write("""
                domicile: 1
                provisions:
                  - key: persona-list
                    service: persona
                    recipient: medi-list
                    basis: opt_out
                    purpose: Sale of a mailing list
                    categories: [user.name, user.health.medical_history]
                    recipient_country: JP
                    valid_from: 2026-01-01
                """, named: "optout.yaml", in: directory)
            let imported = try RegistryCLI.run(["import", file.path], database)
            #expect(imported.status == 2 && imported.stderr.contains("optout.yaml:") && imported.stderr.contains("APPI Art. 27(2)"), "\(RegistryCLI.describe(imported))")
            #expect(try RegistryCLI.rowCounts(database) == before, "nothing written")

            // the compliant variants: the same provision of a name by opt-out, or of health data on consent
            try RegistryCLI.succeed(Self.optOut("persona-list", categories: "user.name"), database)
            var consent = Self.optOut("persona-study", categories: "user.health.checkup_results")
            consent[consent.firstIndex(of: "opt_out")!] = "consent"
            try RegistryCLI.succeed(consent, database)
        }
    }

    @Test("An opt-out provision needs its PPC notification, and every recorded provision its records; each record says until when it is kept")
    func optOutNotificationAndRecords() async throws {
        try await WhereCommandTests.withPersona { database in
            try Self.addRecipient(database)
            try RegistryCLI.succeed(Self.optOut("persona-list", categories: "user.name,user.contact.address"), database)
            var found = try Self.findings(database)
            #expect(found.contains("provision.opt_out_unnotified provision/persona-list"), "\(found)")
            #expect(found.contains("provision.records_missing provision/persona-list"), "\(found)")

            // a notification that leaves out items is still a finding, naming them
            try RegistryCLI.succeed(["provision", "edit", "persona-list", "--ppc-notified-on", "2025-11-01", "--ppc-notification-items", "operator,data_items"], database)
            let text = try RegistryCLI.run(["check", "--as-of", "2026-12-01"], database)
            #expect(text.stdout.contains("acquisition_method") && text.stdout.contains("start_date"), "\(text.stdout)")

            try RegistryCLI.succeed(["provision", "edit", "persona-list", "--ppc-notification-items",
                "operator,provision_purpose,data_items,acquisition_method,provision_method,stop_on_request,request_method,update_method,start_date",
                "--ppc-notification-reference", "PPC opt-out notification 2025-0123"], database)
            let each = try RegistryCLI.succeed(["provision", "record-add", "persona-list", "--provided-on", "2026-02-01", "--data-subjects", "members who did not opt out",
                "--items", "name, postal address"], database)
            #expect(each.stdout.hasSuffix("it must be kept until 2029-02-01: 3 years from the record's making on the day of provision (PPC Rules Art. 21(iii))\n"), "\(each.stdout)")
            found = try Self.findings(database)
            #expect(!found.contains { $0.hasSuffix("provision/persona-list") }, "\(found)")
            // one batch record is not allowed for opt-out provision (Rules Art. 19(2) proviso)
            let batchOptOut = try RegistryCLI.run(["provision", "record-add", "persona-list", "--provided-on", "2026-03-01", "--data-subjects", "members",
                "--items", "name", "--method", "batch"], database)
            #expect(batchOptOut.status == 2 && batchOptOut.stderr.contains("Rules Art. 19(2)"), "\(RegistryCLI.describe(batchOptOut))")

            // on consent, kept 1 year by its own terms: a batch record 3 years from its last
            // provision, a contract standing for the record 1 year from it, any other 3 years
            var consent = Self.optOut("persona-study", categories: "user.name")
            consent[consent.firstIndex(of: "opt_out")!] = "consent"
            try RegistryCLI.succeed(consent + ["--retention-years", "1"], database)
            let batch = try RegistryCLI.succeed(["provision", "record-add", "persona-study", "--provided-on", "2026-02-01", "--data-subjects", "panel members",
                "--items", "name", "--method", "batch", "--last-provided-on", "2026-11-01"], database)
            #expect(batch.stdout.hasSuffix("it must be kept until 2029-11-01: 3 years from the last provision it covers, as a batch record (PPC Rules Art. 19(2) proviso, Art. 21(ii))\n"), "\(batch.stdout)")
            let contract = try RegistryCLI.succeed(["provision", "record-add", "persona-study", "--provided-on", "2026-03-01", "--data-subjects", "member 42",
                "--items", "name", "--method", "contract", "--last-provided-on", "2026-05-01"], database)
            #expect(contract.stdout.hasSuffix("it must be kept until 2027-05-01: 1 year from the last provision it covers, as a contract substitutes for the record (PPC Rules Arts. 19(3), 21(i))\n"), "\(contract.stdout)")
            let short = try RegistryCLI.run(["provision", "record-add", "persona-study", "--provided-on", "2026-04-01", "--data-subjects", "member 43",
                "--items", "name", "--retain-until", "2028-04-01"], database)
            #expect(short.status == 2 && short.stderr.contains("before 2029-04-01") && short.stderr.contains("Art. 21(iii)"), "\(RegistryCLI.describe(short))")
            let shown = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["provision", "show", "persona-study", "--format", "json"], database).stdout)
            #expect((shown["records"] as? [[String: Any]])?.compactMap { $0["retain_until"] as? String } == ["2029-11-01", "2027-05-01"])
        }
    }

    @Test("Ending a vendor still in use is refused, listing what names it; --cascade ends it all on the same day, audited, and where/diff follow")
    func vendorEndWithAndWithoutCascade() async throws {
        try await WhereCommandTests.withPersona { database in
            let before = try RegistryCLI.rowCounts(database)
            let refused = try RegistryCLI.run(["vendor", "end", "hikari-mail", "--on", "2026-06-30"], database)
            #expect(refused.status == 2 && refused.stdout.isEmpty, "\(RegistryCLI.describe(refused))")
            #expect(refused.stderr.contains("sub-entrustee hikari-mail of entrustment \(Self.desk)") && refused.stderr.contains("--cascade"), "\(refused.stderr)")
            #expect(try RegistryCLI.rowCounts(database) == before)
            let shown = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["vendor", "show", "hikari-mail", "--format", "json"], database).stdout)
            #expect(shown["valid_to"] == nil, "the vendor did not end")

            let ended = try RegistryCLI.succeed(["vendor", "end", "hikari-mail", "--on", "2026-06-30", "--cascade"], database)
            #expect(ended.stdout == "ended sub-entrustee hikari-mail of entrustment \(Self.desk) on 2026-06-30\nended vendor hikari-mail on 2026-06-30\n")
            let desk = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["entrust", "show", Self.desk, "--format", "json"], database).stdout)
            let subs = try #require(desk["sub_entrustees"] as? [[String: Any]])
            #expect(subs.first?["valid_to"] as? String == "2026-06-30")
            #expect(try RegistryCLI.audit(database, entity: "entrustment", key: "\(Self.desk)#sub:hikari-mail").last?.action == "end")
            #expect(try RegistryCLI.audit(database, entity: "vendor", key: "hikari-mail").last?.action == "end")

            func transitive(_ day: String) throws -> String {
                try RegistryCLI.succeed(["where", "--transitive", "--service", "persona", "--as-of", day, "--format", "csv"], database).stdout
            }
            #expect(try transitive("2026-06-29").contains("hikari-mail"))
            #expect(try !transitive("2026-06-30").contains("hikari-mail"))
            let diff = try RegistryCLI.succeed(["diff", "--from", "2026-06-29", "--to", "2026-06-30", "--format", "csv"], database)
            #expect(diff.stdoutLines.dropFirst().map { $0.split(separator: ",").prefix(4).joined(separator: ",") } == [
                "2026-06-30,ended,vendor,hikari-mail", "2026-06-30,ended,sub_entrustee,\(Self.desk)",
            ], "\(diff.stdout)")
            #expect(try Self.findings(database).filter { $0.contains("hikari") }.isEmpty, "nothing left naming the ended vendor")
        }
    }

    @Test("Ending an entrustment ends its sub-entrustees the same day; diff lists both ends and the vendor stays unassessed-free")
    func entrustmentEndEndsSubEntrustees() async throws {
        try await WhereCommandTests.withPersona { database in
            let ended = try RegistryCLI.succeed(["entrust", "end", Self.desk, "--on", "2026-12-31"], database)
            #expect(ended.stdout == "ended entrustment \(Self.desk) on 2026-12-31 with its sub-entrustee hikari-mail\n")
            let desk = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["entrust", "show", Self.desk, "--format", "json"], database).stdout)
            #expect((desk["sub_entrustees"] as? [[String: Any]])?.first?["valid_to"] as? String == "2026-12-31")
            let diff = try RegistryCLI.succeed(["diff", "--from", "2026-12-30", "--to", "2026-12-31", "--format", "csv"], database)
            #expect(diff.stdoutLines.dropFirst().map { $0.split(separator: ",").prefix(4).joined(separator: ",") } == [
                "2026-12-31,ended,entrustment,\(Self.desk)", "2026-12-31,ended,sub_entrustee,\(Self.desk)",
            ], "\(diff.stdout)")
        }
    }

    @Test("A sub-entrustee cannot start before, or outlive, its entrustment: refused from the command line and from a file; inside it, accepted")
    func subEntrusteeInsideItsEntrustment() async throws {
        try await WhereCommandTests.withPersona { database in
            try RegistryCLI.succeed(["vendor", "add", "sendgrid", "--legal-name", "Twilio Inc.", "--kinds", "entrustee", "--headquarters", "US", "--risk-tier", "medium", "--valid-from", "2020-01-01"], database)
            let before = try RegistryCLI.rowCounts(database)
            let early = try RegistryCLI.run(["entrust", "sub-add", Self.desk, "--vendor", "sendgrid", "--countries", "US", "--valid-from", "2021-03-01"], database)
            #expect(early.status == 2 && early.stderr.contains("before its entrustment began (2021-04-01)"), "\(RegistryCLI.describe(early))")
            #expect(try RegistryCLI.rowCounts(database) == before)

            // a file with an entrustment that ends before its sub-entrustee
            let directory = try RegistryCLI.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let outliving = """
                domicile: 1
                entrustments:
                  - key: persona-desk-2026
                    service: persona
                    vendor: tsubame-support
                    categories: [user.name]
                    reentrustment: prior_approval
                    sub_entrustees:
                      - vendor: hikari-mail
                        countries: [JP]
                        approved_on: 2025-12-01
                        valid_to: 2027-06-30
                    valid_from: 2026-01-01
                    valid_to: 2027-01-01
                """
            let file = try RegistryCLI.write(outliving, named: "outliving.yaml", in: directory)
            let refused = try RegistryCLI.run(["import", file.path], database)
            #expect(refused.status == 2 && refused.stderr.contains("cannot outlive its entrustment"), "\(RegistryCLI.describe(refused))")
            #expect(try RegistryCLI.rowCounts(database) == before)

            try RegistryCLI.succeed(["entrust", "sub-add", Self.desk, "--vendor", "sendgrid", "--countries", "US", "--valid-from", "2026-09-01"], database)
        }
    }

    @Test("Data written before the rule: the database refuses new violations, and check flags the old ones")
    func oldDataOutsideItsEntrustmentIsFlagged() async throws {
        try await WhereCommandTests.withPersona { database in
            let connection = try database.connect()
            defer { connection.close() }
            let sql = "UPDATE sub_entrustee SET valid_from = '2021-01-01' WHERE vendor_id = (SELECT id FROM vendor WHERE key = 'hikari-mail')"
            #expect(throws: PostgresError.self) { try connection.transaction { db in try db.query(sql) } }
            #expect(try Self.findings(database).filter { $0.hasPrefix("sub_entrustee.outside_entrustment") }.isEmpty)
            // as data written before migration 0011 would be
            try connection.transaction { db in
                try db.unsafeExecuteScript("ALTER TABLE sub_entrustee DISABLE TRIGGER sub_entrustee_within_entrustment")
                try db.query(sql)
                try db.unsafeExecuteScript("ALTER TABLE sub_entrustee ENABLE TRIGGER sub_entrustee_within_entrustment")
            }
            #expect(try Self.findings(database).contains("sub_entrustee.outside_entrustment entrustment/\(Self.desk)"))

            // nor can SQL that bypasses the validator provide health data by opt-out
            try Self.addRecipient(database)
            try RegistryCLI.succeed(Self.optOut("persona-list", categories: "user.name"), database)
            #expect(throws: PostgresError.self) {
                try connection.transaction { db in
                    try db.query("INSERT INTO provision_category (provision_id, category_key) SELECT id, 'user.health.medical_history' FROM provision WHERE key = 'persona-list'")
                }
            }
            #expect(throws: PostgresError.self) {
                try connection.transaction { db in
                    try db.query("UPDATE provision SET basis = 'opt_out' WHERE key = $1", ["persona-list"])
                    try db.query("INSERT INTO provision_category (provision_id, category_key) SELECT id, 'user.health' FROM provision WHERE key = 'persona-list'")
                }
            }
        }
    }
}

/// `diff` lists vendors' starts and ends, contract events and assessments made, beside the
/// residencies, entrustments and transmissions it always listed.
@Suite("domicile diff: vendors, contracts, assessments")
struct DiffEventTests {
    @Test("A year of PERSONA: the assessment made, the support desk's contract renewing, a vendor started and one ended, a contract signed and one expired")
    func contractAndAssessmentEvents() async throws {
        try await WhereCommandTests.withPersona { database in
            try RegistryCLI.succeed(["vendor", "add", "sakura", "--legal-name", "SAKURA internet Inc.", "--kinds", "cloud_provider", "--headquarters", "JP", "--risk-tier", "medium", "--valid-from", "2027-01-01"], database)
            try RegistryCLI.succeed(["vendor", "add", "old-mailer", "--legal-name", "Old Mailer K.K.", "--kinds", "entrustee", "--headquarters", "JP", "--risk-tier", "low", "--valid-from", "2020-01-01"], database)
            try RegistryCLI.succeed(["vendor", "end", "old-mailer", "--on", "2027-02-01"], database)
            try RegistryCLI.succeed(["entrust", "add", "persona-survey", "--service", "persona", "--vendor", "old-mailer", "--categories", "user.name",
                "--contract-reference", "OM-1", "--contract-signed-on", "2026-12-15", "--contract-expires-on", "2027-01-31", "--contract-renewal", "manual",
                "--dpa-signed-on", "2026-12-15", "--reentrustment", "prohibited", "--valid-from", "2027-01-01", "--valid-to", "2027-02-01"], database)
            let diff = try RegistryCLI.succeed(["diff", "--from", "2026-11-01", "--to", "2027-04-01", "--format", "csv"], database)
            let rows = diff.stdoutLines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(4).joined(separator: " ") }
            #expect(rows == [
                "2026-11-20 assessed assessment assign-security-2026",
                "2026-11-20 assessed assessment aws-supervision-2026",
                "2026-11-20 assessed assessment tsubame-support-supervision-2026",
                "2026-12-15 signed contract persona-survey",
                "2027-01-01 started vendor sakura",
                "2027-01-01 started entrustment persona-survey",
                "2027-01-31 expired contract persona-survey",
                "2027-02-01 ended vendor old-mailer",
                "2027-02-01 ended entrustment persona-survey",
                "2027-03-31 renewed contract persona-support-desk",
            ], "\(diff.stdout)")
            #expect(diff.stdout.contains("contract ASSIGN-OUT-2021-014 with tsubame-support renews automatically"), "\(diff.stdout)")
            let table = try RegistryCLI.succeed(["diff", "--from", "2026-11-01", "--to", "2027-04-01"], database)
            #expect(table.stdout.contains("appi-security-2022 of organization assign"), "\(table.stdout)")
        }
    }
}

/// A registry kept for two organizations: reports and check speak for one.
@Suite("--organization")
struct OrganizationOptionTests {
    @Test("With two organizations, report and check ask which (exit 2, listing them); --organization picks one and nothing of the other shows")
    func twoOrganizations() async throws {
        try await WhereCommandTests.withPersona { database in
            try RegistryCLI.succeed(["organization", "add", "assign-labs", "--name", "ASSIGN Labs Inc.", "--country", "JP", "--privacy-contact-email", "labs@example.com"], database)
            try RegistryCLI.succeed(["service", "add", "labs-app", "--name", "Labs app", "--organization", "assign-labs", "--valid-from", "2025-01-01"], database)
            for command in [["report", "disclosure"], ["check"], ["report", "ropa", "--format", "json"]] {
                let ambiguous = try RegistryCLI.run(command, database)
                #expect(ambiguous.status == 2 && ambiguous.stdout.isEmpty, "\(RegistryCLI.describe(ambiguous))")
                #expect(ambiguous.stderr.contains("assign (ASSIGN Inc.), assign-labs (ASSIGN Labs Inc.)") && ambiguous.stderr.contains("--organization"), "\(ambiguous.stderr)")
            }
            let unknown = try RegistryCLI.run(["check", "--organization", "assing"], database)
            #expect(unknown.status == 2 && unknown.stderr.contains("did you mean assign?"), "\(RegistryCLI.describe(unknown))")

            let persona = try RegistryCLI.succeed(["report", "disclosure", "--organization", "assign", "--as-of", "2026-12-01", "--allow-findings"], database)
            #expect(persona.stdout.contains("ASSIGN Inc.") && !persona.stdout.contains("ASSIGN Labs"), "\(persona.stdout)")
            let labs = try RegistryCLI.succeed(["report", "disclosure", "--organization", "ASSIGN Labs Inc.", "--as-of", "2026-12-01", "--allow-findings"], database)
            #expect(labs.stdout.contains("ASSIGN Labs Inc.") && !labs.stdout.contains("PERSONA") && !labs.stdout.contains("Google"), "\(labs.stdout)")

            let check = try RegistryCLI.run(["check", "--organization", "assign-labs", "--as-of", "2026-12-01", "--format", "json"], database)
            let findings = (try RegistryCLI.jsonObject(check.stdout)["findings"] as? [[String: Any]] ?? []).map { "\($0["rule"]!) \($0["kind"]!)/\($0["key"]!)" }
            #expect(findings == ["organization.never_assessed organization/assign-labs"], "\(check.stdout)")
            let own = try RegistryCLI.run(["check", "--organization", "assign", "--as-of", "2026-12-01", "--format", "json"], database)
            #expect(!own.stdout.contains("assign-labs"), "\(own.stdout)")
        }
    }
}
