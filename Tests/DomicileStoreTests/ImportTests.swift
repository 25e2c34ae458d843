import DomicileCore
@testable import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Importing registry files: CSV sections, idempotency, dry runs and edits.
@Suite("Import")
struct ImportTests {
    typealias Issue = DomicileCore.Issue

    static let vendorHeader =
        "key,legal_name,name_ja,aliases,kinds,headquarters,website,trust_url,privacy_url,dpa_url,subprocessors_url,certifications,risk_tier,owner,notes,valid_from,valid_to"

    static let vendorsCSV = """
        \(vendorHeader)
        mailco,"MailCo, Inc.",メール社,MailCo;Mail Company,entrustee;transmission_recipient,US,https://mailco.example/,,,,,soc2;iso27001,medium,CRM team,"Sends the newsletter.
        Second line: ""quoted"".",2024-01-01,
        printco,PrintCo K.K.,,,entrustee,JP,,,,,,pmark,low,,,2023-04-01,2025-04-01

        """

    static func personaBytes() throws -> [UInt8] {
        let url = TestDatabase.seedsDirectory.appendingPathComponent("examples/persona.yaml")
        return [UInt8](try #require(FileManager.default.contents(atPath: url.path)))
    }

    // MARK: CSV

    @Test("A valid vendors.csv imports every row with its lists and multi-line cells")
    func validVendorsCSVImports() async throws {
        try await WritePath.withBase { _, store in
            let plan = try WritePath.importText(Self.vendorsCSV, file: "vendors.csv", into: store)
            #expect(plan.added.map(\.key) == ["mailco", "printco"])
            #expect(plan.added.allSatisfy { $0.kind == .vendor })
            #expect(plan.changed.isEmpty)

            let mailco = try #require(try store.record(.vendor, key: "mailco"))
            #expect(mailco.string("legal_name") == "MailCo, Inc.")
            #expect(mailco.string("name_ja") == "メール社")
            #expect(mailco.list("aliases") == ["MailCo", "Mail Company"])
            #expect(mailco.list("kinds") == ["entrustee", "transmission_recipient"])
            #expect(mailco.list("certifications") == ["soc2", "iso27001"])
            #expect(mailco.string("notes") == "Sends the newsletter.\nSecond line: \"quoted\".")
            #expect(mailco.string("valid_to") == nil)
            let printco = try #require(try store.record(.vendor, key: "printco"))
            #expect(printco.string("valid_to") == "2025-04-01")
            #expect(printco.list("aliases") == [])
        }
    }

    @Test("Re-importing the same vendors.csv changes nothing and audits nothing")
    func reimportingVendorsCSVChangesNothing() async throws {
        try await WritePath.withBase { _, store in
            try WritePath.importText(Self.vendorsCSV, file: "vendors.csv", into: store)
            let before = try WritePath.counts(store.connection)
            let revision = try store.revision()

            let again = try WritePath.importText(Self.vendorsCSV, file: "vendors.csv", into: store)

            #expect(again.isEmpty, "\(again.summary): \(again.changed.map { "\($0.key): \($0.fields)" })")
            #expect(again.unchanged == 2)
            #expect(try WritePath.counts(store.connection) == before)
            #expect(try store.revision() == revision)
        }
    }

    @Test("A vendors.csv row keeps the vendor's contacts, which CSV does not carry")
    func vendorsCSVKeepsContactsItCannotCarry() async throws {
        try await WritePath.withPersona { _, store in
            let stored = try #require(try store.record(.vendor, key: "tsubame-support"))
            let csv = RegistryCSV.emit([stored], kind: .vendor)
            let plan = try WritePath.importText(csv, file: "vendors.csv", into: store)
            #expect(plan.isEmpty, "\(plan.changed.map { "\($0.key): \($0.fields)" })")
            #expect(try store.record(.vendor, key: "tsubame-support")?.records("contacts").count == 1)
        }
    }

    @Test("A vendors.csv without a column is refused, naming the column; nothing is written")
    func csvMissingColumnIsNamed() async throws {
        try await WritePath.withBase { _, store in
            let text = Self.vendorsCSV.replacingOccurrences(of: ",risk_tier,", with: ",")
            let issues = try WritePath.rejectedIssues(text, file: "vendors.csv", into: store)
            let issue = try #require(issues.first)
            #expect(issues.count == 1, "\(issues.map(\.description))")
            #expect(issue.code == "input.missing_column")
            #expect(issue.field == "risk_tier")
            #expect(issue.message.hasPrefix("missing column(s) risk_tier;"))
            #expect(issue.location == "vendors.csv:1")
        }
    }

    @Test("A vendors.csv with an unknown column is refused, naming the column; nothing is written")
    func csvExtraColumnIsNamed() async throws {
        try await WritePath.withBase { _, store in
            let text = Self.vendorsCSV
                .replacingOccurrences(of: ",valid_to\n", with: ",valid_to,region\n")
                .replacingOccurrences(of: ",2024-01-01,\n", with: ",2024-01-01,,aws/us-east-1\n")
                .replacingOccurrences(of: ",2025-04-01\n", with: ",2025-04-01,\n")
            let issues = try WritePath.rejectedIssues(text, file: "vendors.csv", into: store)
            let issue = try #require(issues.first)
            #expect(issues.count == 1, "\(issues.map(\.description))")
            #expect(issue.code == "input.unknown_column")
            #expect(issue.field == "region")
            #expect(issue.message.hasPrefix("unknown column 'region';"))
            #expect(issue.location == "vendors.csv:1")

            // A misspelt column is both missing and unknown; the suggestion links them.
            let typo = Self.vendorsCSV.replacingOccurrences(of: ",headquarters,", with: ",headquaters,")
            let typoIssues = try WritePath.rejectedIssues(typo, file: "vendors.csv", into: store)
            #expect(typoIssues.map(\.code).sorted() == ["input.missing_column", "input.unknown_column"])
            #expect(typoIssues.contains { $0.message.contains("did you mean headquarters?") })
        }
    }

    @Test("An entrustments CSV with too few columns is refused naming the missing ones (sub-entrustees go in a table of their own)")
    func entrustmentsCSVNamesItsColumns() async throws {
        try await WritePath.withBase { _, store in
            let text = "key,service,vendor,categories,valid_from\nshop-hosting,shop,cloudco,user.name,2025-01-01\n"
            let issues = try WritePath.rejectedIssues(text, file: "entrustments.csv", into: store)
            let issue = try #require(issues.first)
            #expect(issues.count == 1)
            #expect(issue.code == "input.missing_column")
            #expect(issue.field.contains("contract_expires_on"))
            #expect(!issue.field.contains("sub_entrustees"))
        }
    }

    static let csvWithMultiLineCell = """
        \(vendorHeader)
        mailco,MailCo Inc.,,,entrustee,US,,,,,,,medium,,"first line
        second line
        third line",2024-01-01,
        badco,BadCo K.K.,,,entrustee,JA,,,,,,,low,,,2024-01-01,

        """

    @Test("CSV issues give the line the row starts on, counting the lines of quoted multi-line cells")
    func csvLineNumbersCountMultiLineCells() async throws {
        try await WritePath.withBase { _, store in
            let issues = try WritePath.rejectedIssues(Self.csvWithMultiLineCell, file: "vendors.csv", into: store)
            let issue = try #require(issues.first)
            #expect(issues.count == 1, "\(issues.map(\.description))")
            #expect(issue.code == "input.unknown_country")
            #expect(issue.location == "vendors.csv:5 (headquarters)")
        }
    }

    @Test("CSV line numbers are right for a file with CRLF line ends (as spreadsheets save it)")
    func csvLineNumbersWithCRLF() async throws {
        try await WritePath.withBase { _, store in
            let crlf = Self.csvWithMultiLineCell.replacingOccurrences(of: "\n", with: "\r\n")
            let issues = try WritePath.rejectedIssues(crlf, file: "vendors.csv", into: store)
            let issue = try #require(issues.first)
            #expect(issues.count == 1, "\(issues.map(\.description))")
            #expect(issue.location == "vendors.csv:5 (headquarters)")
        }
    }

    @Test("A CSV saved with a UTF-8 byte-order mark (Excel's 'CSV UTF-8') imports")
    func csvWithByteOrderMarkImports() async throws {
        try await WritePath.withBase { _, store in
            let plan = try WritePath.importText("\u{FEFF}" + Self.vendorsCSV, file: "vendors.csv", into: store)
            #expect(plan.added.map(\.key) == ["mailco", "printco"])
        }
    }

    static let residenciesCSV = """
        key,service,vendor,role,categories,country,region,undisclosed_reason,undisclosed_candidates,source,verified_on,asserted_by,notes,valid_from,valid_to
        shop-tokyo,shop,cloudco,storage,user.name;user.contact.email,,aws/ap-northeast-1,,,CloudCo DPA,2025-01-10,security team,,2025-01-01,
        shop-cdn,shop,cloudco,processing,user.device.ip_address,,,"CDN edge chosen per request, not disclosed",JP;US;SG,CloudCo FAQ,2025-01-10,security team,,2025-01-01,

        """

    @Test("A residencies.csv with a region-only row and an undisclosed row imports, and re-imports unchanged")
    func residenciesCSVImportsAndReimportsUnchanged() async throws {
        try await WritePath.withBase { _, store in
            let plan = try WritePath.importText(Self.residenciesCSV, file: "residencies.csv", into: store)
            #expect(plan.added.map(\.key) == ["shop-tokyo", "shop-cdn"])

            let tokyo = try #require(try store.record(.residency, key: "shop-tokyo"))
            #expect(tokyo.string("country") == "JP", "the country is taken from the region")
            #expect(tokyo.string("region") == "aws/ap-northeast-1")
            #expect(tokyo.list("categories") == ["user.contact.email", "user.name"])
            let cdn = try #require(try store.record(.residency, key: "shop-cdn"))
            #expect(cdn.string("country") == nil)
            #expect(cdn.object("undisclosed")?.string("reason") == "CDN edge chosen per request, not disclosed")
            #expect(cdn.object("undisclosed")?.list("candidates") == ["JP", "US", "SG"])

            let again = try WritePath.importText(Self.residenciesCSV, file: "residencies.csv", into: store)
            #expect(again.isEmpty, "\(again.changed.map { "\($0.key): \($0.fields)" })")
        }
    }

    @Test("A bad value in a flattened CSV column is located by row and column")
    func flattenedCSVColumnIssueIsLocated() async throws {
        try await WritePath.withBase { _, store in
            let text = Self.residenciesCSV.replacingOccurrences(of: "JP;US;SG", with: "JP;JA")
            let issues = try WritePath.rejectedIssues(text, file: "residencies.csv", into: store)
            let issue = try #require(issues.first)
            #expect(issues.count == 1, "\(issues.map(\.description))")
            #expect(issue.code == "input.unknown_country")
            #expect(issue.field == "undisclosed.candidates")
            #expect(issue.message.contains("'JA'") && issue.message.contains("JP (Japan)"))
            #expect(issue.location == "residencies.csv:3 (undisclosed_candidates)")
        }
    }

    @Test("Data categories import parents first, whatever their order in the file; an orphan is refused")
    func categoriesImportParentsFirst() async throws {
        try await WritePath.withBase { _, store in
            let text = """
                data_categories:
                  - key: user.loyalty.points.expiry
                    name: Points expiry date
                  - key: user.loyalty.points
                    name: Loyalty points balance
                  - key: user.loyalty
                    name: Loyalty programme data
                    sensitive: false

                """
            let plan = try WritePath.importText(text, into: store)
            #expect(plan.added.map(\.key) == ["user.loyalty", "user.loyalty.points", "user.loyalty.points.expiry"])
            #expect(try WritePath.importText(text, into: store).isEmpty)

            let orphan = "data_categories:\n  - key: user.wallet.balance\n    name: Wallet balance\n"
            let issue = try #require(try WritePath.rejectedIssues(orphan, into: store).first)
            #expect(issue.code == "input.unknown_category")
            #expect(issue.message.contains("needs its parent 'user.wallet'"))
            #expect(issue.location == "bad.yaml:2 (data_categories[0].key)")
        }
    }

    // MARK: Idempotency and dry runs

    @Test("Importing the same file twice: the second plan is empty and no audit row is added")
    func importingTheSameFileTwiceChangesNothing() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            let (document, partial) = try Importer.parse(try Self.personaBytes(), file: "persona.yaml")
            let first = try Importer(store: store).run(document, partialKinds: partial, actor: "tester")
            #expect(first.added.count == document.count)
            let before = try WritePath.counts(store.connection)
            let revision = try store.revision()

            let second = try Importer(store: store).run(document, partialKinds: partial, actor: "tester")

            #expect(second.added.isEmpty)
            #expect(second.changed.isEmpty, "\(second.changed.map { "\($0.kind) \($0.key): \($0.fields)" })")
            #expect(second.unchanged == document.count)
            #expect(try WritePath.counts(store.connection) == before)
            #expect(try store.revision() == revision)
        }
    }

    @Test("A dry run reports what it would add and change and writes nothing")
    func dryRunWritesNothing() async throws {
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            let bytes = try Self.personaBytes()
            let (document, _) = try Importer.parse(bytes, file: "persona.yaml")
            let before = try WritePath.counts(store.connection)

            let plan = try Importer(store: store).run(document, actor: "tester", dryRun: true)

            #expect(plan.added.count == document.count)
            #expect(plan.added.contains { $0.kind == .vendor && $0.key == "google" })
            #expect(try WritePath.counts(store.connection) == before)
            #expect(try store.record(.vendor, key: "google") == nil)

            // and a change
            try Importer(store: store).run(document, actor: "tester")
            var google = try #require(try store.record(.vendor, key: "google"))
            google["risk_tier"] = .string("high")
            let edit = RegistryYAML.emit(RegistryDocument(records: [.vendor: [google]]))
            let loaded = try WritePath.counts(store.connection)

            let changes = try WritePath.importText(edit, into: store, dryRun: true)

            #expect(changes.added.isEmpty)
            #expect(changes.changed.map(\.key) == ["google"])
            #expect(changes.changed.first?.fields == ["risk_tier"])
            #expect(try WritePath.counts(store.connection) == loaded)
            #expect(try store.record(.vendor, key: "google")?.string("risk_tier") == "medium")
        }
    }

    // MARK: Edits

    @Test("Editing one field of a vendor by import reports that field and audits the edit with before, after and actor")
    func editViaImportReportsTheFieldAndAuditsIt() async throws {
        try await WritePath.withPersona { _, store in
            var google = try #require(try store.record(.vendor, key: "google"))
            #expect(google.string("risk_tier") == "medium")
            google["risk_tier"] = .string("high")
            let edit = RegistryYAML.emit(RegistryDocument(records: [.vendor: [google]]))
            let lastID = try store.connection.query("SELECT max(id) AS id FROM audit_log").first?.decode(Int64.self, "id") ?? 0

            let plan = try WritePath.importText(edit, file: "google.yaml", into: store, actor: "alice@example.com")

            #expect(plan.added.isEmpty)
            #expect(plan.changed.map(\.key) == ["google"])
            #expect(plan.changed.first?.kind == .vendor)
            #expect(plan.changed.first?.fields == ["risk_tier"])
            let rows = try store.connection.query(
                """
                SELECT actor, entity, entity_key, action, before ->> 'risk_tier' AS old, after ->> 'risk_tier' AS new,
                       before ->> 'legal_name' AS old_name, after ->> 'legal_name' AS new_name
                FROM audit_log WHERE id > $1 ORDER BY id
                """, [lastID]
            ).rows
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(try row.decode(String.self, "actor") == "alice@example.com")
            #expect(try row.decode(String.self, "entity") == "vendor")
            #expect(try row.decode(String.self, "entity_key") == "google")
            #expect(try row.decode(String.self, "action") == "edit")
            #expect(try row.decode(String.self, "old") == "medium")
            #expect(try row.decode(String.self, "new") == "high")
            #expect(try row.decode(String.self, "old_name") == "Google LLC")
            #expect(try row.decode(String.self, "new_name") == "Google LLC")
            #expect(try store.record(.vendor, key: "google")?.string("risk_tier") == "high")
        }
    }

    @Test("Changing a vendor contact's e-mail reports contacts as changed and audits the contact row")
    func editingANestedContactIsReportedAndAudited() async throws {
        try await WritePath.withPersona { _, store in
            var vendor = try #require(try store.record(.vendor, key: "tsubame-support"))
            var contact = try #require(vendor.records("contacts").first)
            contact["email"] = .string("dpo@tsubame-support.example")
            vendor["contacts"] = .records([contact])
            let lastID = try store.connection.query("SELECT max(id) AS id FROM audit_log").first?.decode(Int64.self, "id") ?? 0

            let plan = try WritePath.importText(RegistryYAML.emit(RegistryDocument(records: [.vendor: [vendor]])), into: store, actor: "bob")

            #expect(plan.changed.map(\.fields) == [["contacts"]])
            let rows = try store.connection.query(
                "SELECT entity_key, action, actor, before ->> 'email' AS old, after ->> 'email' AS new FROM audit_log WHERE id > $1", [lastID]
            ).rows
            #expect(rows.count == 1)
            #expect(try rows.first?.decode(String.self, "entity_key") == "tsubame-support#contact0")
            #expect(try rows.first?.decode(String.self, "action") == "edit")
            #expect(try rows.first?.decode(String.self, "actor") == "bob")
            #expect(try rows.first?.decode(String.self, "old") == "privacy@tsubame-support.example")
            #expect(try rows.first?.decode(String.self, "new") == "dpo@tsubame-support.example")
        }
    }

    static let provision = """
        provisions:
          - key: shop-partner-sharing
            service: shop
            recipient: cloudco
            basis: consent
            purpose: joint marketing campaign
            categories: [user.name, user.contact.email]
            recipient_country: US
            foreign_info_given: true
            records:
              - provided_on: 2025-03-01
                data_subjects: campaign entrants
                items: name, email address
                consent_reference: CAMPAIGN-2025-03 consent form
                retain_until: 2028-03-01
            valid_from: 2025-03-01

        """

    @Test("A third-party provision with its provision records imports, re-imports unchanged and can be edited")
    func provisionWithRecordsImports() async throws {
        try await WritePath.withBase { _, store in
            let plan = try WritePath.importText(Self.provision, into: store)
            #expect(plan.added.map(\.key) == ["shop-partner-sharing"])
            let stored = try #require(try store.record(.provision, key: "shop-partner-sharing"))
            #expect(stored.records("records").first?.string("items") == "name, email address")
            #expect(stored.bool("foreign_info_given") == true)
            #expect(stored.int("retention_years") == nil, "the default 3 is omitted")

            #expect(try WritePath.importText(Self.provision, into: store).isEmpty)

            let edited = Self.provision.replacingOccurrences(of: "items: name, email address", with: "items: name, email address, postcode")
            let change = try WritePath.importText(edited, into: store)
            #expect(change.changed.map(\.fields) == [["records"]])
            #expect(try store.record(.provision, key: "shop-partner-sharing")?.records("records").first?.string("items") == "name, email address, postcode")
        }
    }
}
