import Foundation
import TestSupport
import Testing

@Suite("provision record-add and CSV export of nested sections")
struct ProvisionRecordTests {
    @Test("record-add keeps the record for the provision's retention years, to the day, and refuses a duplicate")
    func recordAddRetentionAndDuplicate() async throws {
        try await RegistryCLI.withRegistry { db in
            try RegistryCLI.succeed(
                ["provision", "record-add", "persona-police", "--provided-on", "2025-01-31", "--data-subjects", "member 7", "--items", "name"], db)
            let shown = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["provision", "show", "persona-police", "--format", "json"], db).stdout)
            let records = shown["records"] as? [[String: Any]] ?? []
            let added = records.first { $0["data_subjects"] as? String == "member 7" }
            #expect(added?["retain_until"] as? String == "2028-01-31", "\(records)")

            let before = try RegistryCLI.rowCounts(db)
            let again = try RegistryCLI.run(
                ["provision", "record-add", "persona-police", "--provided-on", "2025-01-31", "--data-subjects", "member 7", "--items", "name, email"], db)
            #expect(again.status == 2)
            #expect(again.stderr.contains("already exists"), "\(again.stderr)")
            #expect(try RegistryCLI.rowCounts(db) == before)
        }
    }

    @Test("record-add with a date past year 9999 is an input error, not a crash")
    func recordAddFarFuture() async throws {
        try await RegistryCLI.withRegistry { db in
            let result = try RegistryCLI.run(
                ["provision", "record-add", "persona-police", "--provided-on", "9999-06-01", "--data-subjects", "x", "--items", "name"], db)
            #expect(result.status == 2, "\(result)")
        }
    }

    @Test(
        "export --format csv writes sections with nested lists without them, and each nested list as a table of its own",
        arguments: [("entrustments", "entrustment_sub_entrustees"), ("provisions", "provision_records"), ("assessments", "assessment_answers")])
    func csvExportOfNestedSections(section: String, nested: String) async throws {
        try await RegistryCLI.withRegistry { db in
            let parent = try RegistryCLI.succeed(["export", "--format", "csv", "--kind", section], db).stdout
            #expect(!parent.contains("sub_entrustees") && !parent.contains("answers,") && !parent.hasSuffix(",records\n"))
            let table = try RegistryCLI.succeed(["export", "--format", "csv", "--kind", nested], db).stdout
            let key = section == "entrustments" ? "entrustment" : section == "provisions" ? "provision" : "assessment"
            #expect(table.hasPrefix(key + ","), "\(table)")
        }
    }

    @Test("Raising retention_years later is accepted although older records were kept for less")
    func raisingRetentionLater() async throws {
        try await RegistryCLI.withRegistry { db in
            try RegistryCLI.succeed(
                ["provision", "record-add", "persona-police", "--provided-on", "2025-03-03", "--data-subjects", "member 8", "--items", "name"], db)
            let result = try RegistryCLI.succeed(["provision", "edit", "persona-police", "--retention-years", "5"], db)
            #expect(result.stdout.contains("retention_years"))
        }
    }
}
