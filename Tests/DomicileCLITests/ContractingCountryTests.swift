import Foundation
import Testing
import TestSupport

/// The contracting entity's country (APPI Art. 28 turns on it, PPC Q&A 12-4) through the CLI:
/// `vendor add/edit --contracting-country`, YAML and CSV export and import, and `check`.
@Suite struct ContractingCountryTests {
    @Test func aJapaneseSubsidiaryOfAUSGroupIsRecordedExportedAndReimported() async throws {
        try await TestDatabase.with(.seeded) { database in
            try RegistryCLI.succeed(
                ["vendor", "add", "cloudjp", "--legal-name", "Cloud Japan G.K.", "--kinds", "cloud_provider,entrustee",
                 "--headquarters", "US", "--contracting-country", "JP", "--risk-tier", "medium", "--valid-from", "2024-01-01"],
                database)
            let shown = try RegistryCLI.succeed(["vendor", "show", "cloudjp"], database)
            #expect(shown.stdout.contains("headquarters: US") && shown.stdout.contains("contracting_country: JP"), "\(shown)")

            // bad input names the field and the value, writes nothing
            let bad = try RegistryCLI.run(["vendor", "edit", "cloudjp", "--contracting-country", "JA"], database)
            #expect(bad.status == 2 && bad.stderr.contains("contracting_country 'JA'") && bad.stderr.contains("JP (Japan)"), "\(bad)")

            let yaml = try RegistryCLI.succeed(["export"], database).stdout
            #expect(yaml.contains("  headquarters: US\n  contracting_country: JP\n"), "\(yaml)")
            let csv = try RegistryCLI.succeed(["export", "--format", "csv", "--kind", "vendors"], database).stdout
            let lines = csv.split(separator: "\n")
            #expect(lines.first?.contains(",headquarters,contracting_country,") == true, "\(csv)")
            #expect(lines.contains { $0.hasPrefix("cloudjp,") && $0.contains(",US,JP,") }, "\(csv)")

            // both forms import back unchanged
            let directory = try RegistryCLI.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let yamlFile = try RegistryCLI.write(yaml, named: "registry.yaml", in: directory)
            let csvFile = try RegistryCLI.write(csv, named: "vendors.csv", in: directory)
            for file in [yamlFile, csvFile] {
                let again = try RegistryCLI.succeed(["import", file.path], database)
                #expect(again.stdout.contains(" 0 added, 0 changed,"), "\(again)")
            }

            // a CSV written before the column existed still imports; the column reads as empty
            let legacy = try RegistryCLI.write(
                "key,legal_name,name_ja,aliases,kinds,headquarters,website,trust_url,privacy_url,dpa_url,subprocessors_url,certifications,risk_tier,owner,notes,valid_from,valid_to\n"
                    + "oldco,Old Co. K.K.,,,entrustee,JP,,,,,,,low,,,2024-01-01,\n",
                named: "vendors.csv", in: directory)
            try RegistryCLI.succeed(["import", legacy.path], database)
            let old = try RegistryCLI.succeed(["vendor", "show", "oldco"], database)
            #expect(!old.stdout.contains("contracting_country"), "\(old)")
        }
    }
}
