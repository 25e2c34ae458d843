import Foundation
import Testing
import TestSupport

/// `domicile check` end to end: the crafted registries of Tests/Fixtures/check imported through
/// `domicile import`, the PERSONA example against its published policy, exit codes and formats.
@Suite struct CheckCommandTests {
    static let fixtures = TestDatabase.repositoryRoot.appendingPathComponent("Tests/Fixtures/check")
    static let personaPolicy = TestDatabase.repositoryRoot.appendingPathComponent("seeds/examples/persona-privacy-policy.txt").path

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    static func findings(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let report = try RegistryCLI.jsonObject(result.stdout, sourceLocation: sourceLocation)
        return try #require(report["findings"] as? [[String: Any]], sourceLocation: sourceLocation)
    }

    static func pairs(_ findings: [[String: Any]]) -> Set<String> {
        Set(findings.map { "\($0["rule"] as? String ?? "?") \($0["kind"] as? String ?? "?")/\($0["key"] as? String ?? "?")" })
    }

    @Test func aCleanRegistryPassesWithAndWithoutItsPolicy() async throws {
        try await TestDatabase.with(.seeded) { database in
            try RegistryCLI.succeed(["import", Self.fixture("clean.yaml")], database)
            let plain = try RegistryCLI.run(["check", "--as-of", "2026-12-01"], database)
            #expect(plain.status == 0, "\(plain)")
            #expect(plain.stdout.hasPrefix("no findings (as of 2026-12-01, registry revision "), "\(plain)")
            #expect(plain.stdout.hasSuffix("): passes at --fail-on error\n"))
            let drift = try RegistryCLI.run(
                ["check", "--as-of", "2026-12-01", "--policy", Self.fixture("clean-policy.md"), "--fail-on", "warning"], database)
            #expect(drift.status == 0, "\(drift)")
            #expect(drift.stdout.contains("policy clean-policy.md"))
        }
    }

    @Test func everyRuleFiresOnItsCraftedViolationThroughImport() async throws {
        try await TestDatabase.with(.seeded) { database in
            try RegistryCLI.succeed(["import", Self.fixture("clean.yaml")], database)
            try RegistryCLI.succeed(["import", Self.fixture("violations.yaml")], database)
            let result = try RegistryCLI.run(["check", "--as-of", "2026-12-01", "--format", "json"], database)
            #expect(result.status == 1, "\(result)")
            let found = Self.pairs(try Self.findings(result))
            let expected: Set<String> = [
                "contract.missing entrustment/shop-offshore-desk",
                "contract.expired entrustment/shop-helper-expired",
                "contract.expiring entrustment/shop-helper-expiring",
                "contract.renewal_unrecorded entrustment/shop-helper-autorenew",
                "dpa.missing entrustment/shop-offshore-desk",
                "dpa.expired entrustment/shop-helper-expired",
                "review.overdue assessment/acme-security-2026-11",
                "review.due_soon vendor/helper",
                "checklist.mandatory_unmet assessment/acme-security-2026-11",
                "checklist.mandatory_unanswered assessment/acme-security-2026-11",
                "entrustee.never_assessed vendor/offshore",
                "transfer.no_basis entrustment/shop-offshore-desk",
                "transfer.no_basis residency/shop-tag-sg",
                "transfer.basis_lapsed entrustment/shop-offshore-lapsed",
                "transfer.basis_check_overdue entrustment/shop-offshore-unchecked",
                "environment.no_regime_facts country/OM",
                "entrustment.reentrustment_terms_unknown entrustment/shop-helper-autorenew",
                "entrustment.reentrustment_terms_unknown entrustment/shop-helper-expiring",
                "transfer.consent_uninformed provision/shop-tag-consent",
                "provision.records_missing provision/shop-tag-consent",
                "provision.opt_out_unnotified provision/shop-list-optout",
                // the Japanese disclosure would state its purpose, which has no Japanese text
                "disclosure.no_japanese provision/shop-list-optout",
                // its latest assessment answers nothing met: the disclosure would list no measures
                "organization.never_assessed organization/acme",
                "residency.undisclosed_no_reason residency/shop-nimbus-edge-2",
                "residency.undisclosed_no_candidates residency/shop-nimbus-edge-2",
                "residency.verification_stale residency/shop-offshore-in",
                "transmission.incomplete transmission/shop-pixel",
                "transmission.no_japanese transmission/shop-pixel",
                "sub_entrustee.not_in_registry entrustment/shop-offshore-desk",
                "sub_entrustee.no_country entrustment/shop-offshore-desk",
                "sub_entrustee.not_permitted entrustment/shop-offshore-desk",
                "sub_entrustee.not_approved entrustment/shop-helper-expired",
                "vendor.ended_in_use vendor/lapsed",
                "vendor.shared_alias vendor/nimbus",
            ]
            #expect(found == expected, "unexpected: \(found.subtracting(expected).sorted())\nmissing: \(expected.subtracting(found).sorted())")
        }
    }

    @Test func thePersonaExampleHasNoDriftFromItsPublishedPolicyUntilACountryIsAdded() async throws {
        try await TestDatabase.with(.seeded) { database in
            try RegistryCLI.succeed(["seed", "--example", "persona"], database)
            let arguments = ["check", "--as-of", "2026-12-01", "--policy", Self.personaPolicy, "--format", "json"]
            let before = try RegistryCLI.run(arguments, database)
            let findings = try Self.findings(before)
            // No drift, and nothing else but the nine mandatory security items the example's
            // own assessment records as unmet ("not stated in the published policy").
            #expect(!findings.contains { ($0["rule"] as? String ?? "").hasPrefix("policy.") }, "\(before)")
            #expect(Set(findings.map { $0["rule"] as? String }) == ["checklist.mandatory_unmet"], "\(before)")
            #expect(findings.count == 9)
            #expect(before.status == 1)
            let skipping = try RegistryCLI.run(
                ["check", "--as-of", "2026-12-01", "--policy", Self.personaPolicy, "--skip", "checklist.mandatory_unmet"], database)
            #expect(skipping.status == 0, "\(skipping)")

            try RegistryCLI.succeed(
                ["residency", "add", "persona-aws-singapore-backup", "--service", "persona", "--vendor", "aws", "--role", "backup",
                 "--categories", "user.contact.email", "--region", "aws/ap-southeast-1", "--source", "AWS Backup plan",
                 "--verified-on", "2026-11-25", "--asserted-by", "legal@a-ssign.example", "--valid-from", "2026-11-25"], database)
            let after = try RegistryCLI.run(arguments, database)
            let drift = try Self.findings(after).filter { ($0["rule"] as? String ?? "").hasPrefix("policy.") }
            #expect(Self.pairs(drift) == ["policy.country_not_named country/SG"], "\(after)")
            #expect((drift.first?["message"] as? String)?.contains("Singapore (SG)") == true)
        }
    }

    @Test func aCountryThePolicyNamesButTheRegistryLacksIsDrift() async throws {
        try await TestDatabase.with(.seeded) { database in
            try RegistryCLI.succeed(["import", Self.fixture("clean.yaml")], database)
            let directory = try RegistryCLI.scratchDirectory()
            let policy = try String(contentsOfFile: Self.fixture("clean-policy.md"), encoding: .utf8)
                + "\nバックアップはドイツのデータセンターに保管します。\n"
            let file = try RegistryCLI.write(policy, named: "policy.md", in: directory)
            let result = try RegistryCLI.run(["check", "--as-of", "2026-12-01", "--policy", file.path], database)
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.contains("error    policy.country_not_in_registry  country/DE: the policy names Federal Republic of Germany (DE) (\"ドイツ\")"), "\(result)")
            #expect(result.stdout.hasSuffix("1 error, 0 warnings (as of 2026-12-01, registry revision \(try Self.revision(database)), policy policy.md): fails at --fail-on error\n"), "\(result)")
        }
    }

    @Test func recordingATransferBasisClearsTransferNoBasisAndExportKeepsIt() async throws {
        try await TestDatabase.with(.seeded) { database in
            try RegistryCLI.succeed(["import", Self.fixture("clean.yaml")], database)
            // the sub-entrustee working in India is the external environment, not an Art. 28 question
            try RegistryCLI.succeed(
                ["entrust", "sub-add", "shop-helper-desk", "--vendor", "subco", "--countries", "IN,JP", "--work", "Mail delivery",
                 "--approved-on", "2024-01-02"], database)
            let abroad = try RegistryCLI.run(["check", "--as-of", "2026-12-01"], database)
            #expect(abroad.status == 0, "\(abroad)")
            // it contracts through its Indian entity: Art. 28 turns on that (Q&A 12-4)
            let bad = try RegistryCLI.run(["vendor", "edit", "subco", "--contracting-country", "IX"], database)
            #expect(bad.status == 2 && bad.stderr.contains("contracting_country 'IX'"), "\(bad)")
            try RegistryCLI.succeed(["vendor", "edit", "subco", "--contracting-country", "IN"], database)
            let before = try RegistryCLI.run(["check", "--as-of", "2026-12-01"], database)
            #expect(before.status == 1, "\(before)")
            #expect(before.stdout.contains("error    transfer.no_basis  entrustment/shop-helper-desk: sub-entrustee subco is a business operator in Republic of India (IN) (contracting entity)"), "\(before)")

            let wrong = try RegistryCLI.run(["entrust", "edit", "shop-helper-desk", "--transfer-basis", "contract"], database)
            #expect(wrong.status == 2, "\(wrong)")
            #expect(wrong.stderr.contains("transfer_basis 'contract' is not allowed; use one of: consent, standard_conforming, cbpr"), "\(wrong)")
            try RegistryCLI.succeed(
                ["entrust", "edit", "shop-helper-desk", "--transfer-basis", "standard_conforming",
                 "--transfer-basis-note", "Contract HSD-2024-001 art. 12: APPI-equivalent measures, audited yearly"], database)
            // Rules Art. 18(1): the periodic check is recorded, or it is a finding
            let unchecked = try RegistryCLI.run(["check", "--as-of", "2026-12-01"], database)
            #expect(unchecked.stdout.contains("error    transfer.basis_check_overdue  entrustment/shop-helper-desk: no periodic check"), "\(unchecked)")
            try RegistryCLI.succeed(["entrust", "edit", "shop-helper-desk", "--transfer-basis-checked-on", "2026-06-01"], database)
            let after = try RegistryCLI.run(["check", "--as-of", "2026-12-01"], database)
            #expect(after.status == 0, "\(after)")
            let export = try RegistryCLI.succeed(["export"], database)
            #expect(export.stdout.contains("\n  transfer_basis: standard_conforming\n  transfer_basis_note: 'Contract HSD-2024-001 art. 12"), "\(export)")
            #expect(export.stdout.contains("\n  transfer_basis_checked_on: 2026-06-01\n"), "\(export)")
            #expect(export.stdout.contains("\n  headquarters: JP\n  contracting_country: IN\n"), "\(export)")
        }
    }

    @Test func failOnWarningFailsOnWarningsThatPassAtTheErrorLevel() async throws {
        try await TestDatabase.with(.seeded) { database in
            try RegistryCLI.succeed(["import", Self.fixture("clean.yaml")], database)
            // reviews are due on 2027-10-01: due soon on 2027-09-15
            let atError = try RegistryCLI.run(["check", "--today", "2027-09-15"], database)
            #expect(atError.status == 0, "\(atError)")
            #expect(atError.stdout.contains("warning  review.due_soon  assessment/acme-security-2026: "))
            let atWarning = try RegistryCLI.run(["check", "--today", "2027-09-15", "--fail-on", "warning", "--format", "json"], database)
            #expect(atWarning.status == 1, "\(atWarning)")
            let report = try RegistryCLI.jsonObject(atWarning.stdout)
            #expect(report["failed"] as? Bool == true)
            #expect(report["fail_on"] as? String == "warning")
            #expect((report["summary"] as? [String: Any])?["warnings"] as? Int == 2)
        }
    }

    @Test func badInputIsRefusedWithExitTwo() async throws {
        try await TestDatabase.with(.seeded) { database in
            let rule = try RegistryCLI.run(["check", "--skip", "contract.mising"], database)
            #expect(rule.status == 2, "\(rule)")
            #expect(rule.stderr.contains("skip 'contract.mising' is not allowed") && rule.stderr.contains("did you mean contract.missing?"), "\(rule)")
            let day = try RegistryCLI.run(["check", "--as-of", "2026-02-30"], database)
            #expect(day.status == 2, "\(day)")
            #expect(day.stderr.contains("as-of '2026-02-30' is not valid"))
            let missing = try RegistryCLI.run(["check", "--policy", "/nonexistent/policy.md"], database)
            #expect(missing.status == 2, "\(missing)")
            #expect(missing.stderr.contains("policy '/nonexistent/policy.md' cannot be read"))
            let directory = try RegistryCLI.scratchDirectory()
            let binary = try RegistryCLI.write(Data([0x50, 0xFF, 0xFE, 0x00]), named: "policy.pdf", in: directory)
            let encoding = try RegistryCLI.run(["check", "--policy", binary.path], database)
            #expect(encoding.status == 2, "\(encoding)")
            #expect(encoding.stderr.contains("is not UTF-8 text"))
            let severity = try RegistryCLI.run(["check", "--fail-on", "fatal"], database)
            #expect(severity.status == 2, "\(severity)")
        }
    }

    static func revision(_ database: TestDatabase) throws -> Int64 {
        let connection = try database.connect()
        defer { connection.close() }
        return try connection.query("SELECT revision FROM registry_revision").rows[0].decode(Int64.self, "revision")
    }
}
