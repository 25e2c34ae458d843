import Foundation
import Testing
import TestSupport

/// The second example registry, seeds/examples/kaede.yaml: a group of two organizations with
/// a cloud exception, a Japanese vendor with servers abroad, foreign entrustees and
/// special-care data. Its header comment predicts `check`'s findings per organization; these
/// tests hold it to them.
@Suite("the Kaede example")
struct KaedeExampleTests {
    static let file = TestDatabase.seedsDirectory.appendingPathComponent("examples/kaede.yaml")

    static func withKaede<T>(_ body: (TestDatabase) async throws -> T) async throws -> T {
        try await TestDatabase.with(.seeded) { database in
            try RegistryCLI.succeed(["seed", "--example", "kaede"], database)
            return try await body(database)
        }
    }

    /// The findings the file's header predicts, by organization: the lines
    /// `#   --organization KEY` and, under each, `#     SEVERITY RULE KIND/KEY`.
    static func predicted() throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        var organization: String?
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init) {
            guard line.hasPrefix("#") else { break }
            let words = line.dropFirst().split(separator: " ").map(String.init)
            if words.count == 2, words[0] == "--organization" {
                organization = words[1]
                result[words[1]] = []
            } else if let organization, words.count == 3, ["error", "warning"].contains(words[0]) {
                result[organization, default: []].append(words.joined(separator: " "))
            }
        }
        return result
    }

    @Test("check gives, for each organization, exactly the findings the file's comments predict")
    func checkMatchesTheComments() async throws {
        let predicted = try Self.predicted()
        #expect(predicted.keys.sorted() == ["kaede-clinic", "kaede-wellness"] && predicted.values.allSatisfy { !$0.isEmpty }, "\(predicted)")
        try await Self.withKaede { database in
            for (organization, expected) in predicted {
                let result = try RegistryCLI.run(["check", "--as-of", "2026-12-01", "--organization", organization, "--format", "json"], database)
                #expect(result.status == 1, "\(RegistryCLI.describe(result))")
                let findings = try #require(try RegistryCLI.jsonObject(result.stdout)["findings"] as? [[String: Any]])
                let found = findings.map { "\($0["severity"]!) \($0["rule"]!) \($0["kind"]!)/\($0["key"]!)" }
                #expect(found == expected, "\(organization): \(result.stdout)")
            }
            // without --organization the check asks which, naming both
            let ambiguous = try RegistryCLI.run(["check", "--as-of", "2026-12-01"], database)
            #expect(ambiguous.status == 2 && ambiguous.stderr.contains("kaede-clinic (Kaede Medical Corporation), kaede-wellness (Kaede Wellness K.K.)"), "\(RegistryCLI.describe(ambiguous))")
        }
    }

    @Test("Each organization's disclosure speaks for it alone: the Japanese vendor's US servers and the Philippine desk are the shop's, the cloud exception's two countries the clinic's")
    func disclosuresPerOrganization() async throws {
        try await Self.withKaede { database in
            let shop = try RegistryCLI.succeed(["report", "disclosure", "--organization", "kaede-wellness", "--as-of", "2026-12-01", "--allow-findings"], database).stdout
            #expect(shop.contains("Kaede Wellness K.K.") && !shop.contains("Kaede Medical") && !shop.contains("Kaede Booking"), "\(shop)")
            #expect(shop.contains("Republic of the Philippines") && shop.contains("United States of America"))
            #expect(!shop.contains("Viet Nam") && !shop.contains("Sakura Life"))
            let clinic = try RegistryCLI.succeed(["report", "disclosure", "--organization", "kaede-clinic", "--as-of", "2026-12-01", "--format", "json", "--allow-findings"], database).stdout
            #expect(clinic.contains("Kaede Medical Corporation") && !clinic.contains("Kaede Wellness") && !clinic.contains("Philippines") && !clinic.contains("Meibo"), "\(clinic)")
            #expect(clinic.contains("Viet Nam") && clinic.contains("United States of America"))
            // the clinic's ROPA says until when its record of provision is kept
            let ropa = try RegistryCLI.succeed(["report", "ropa", "--organization", "kaede-clinic", "--as-of", "2026-12-01", "--format", "csv"], database).stdout
            #expect(ropa.contains("records of provision kept 3 years, and at least as PPC Rules Art. 21 requires (booking-insurer: the latest, of 2026-05-12, until 2029-05-12)"), "\(ropa)")
            // the shop's vendor report lists only the shop's vendors
            let vendors = try RegistryCLI.succeed(["report", "vendors", "--organization", "kaede-wellness", "--format", "csv", "--as-of", "2026-12-01"], database)
            #expect(vendors.stdoutLines.dropFirst(2).map { String($0.prefix { $0 != "," }) } == ["bayanihan-support", "hoshi-mail", "meibo-partner"], "\(vendors.stdout)")
        }
    }

    @Test("The example's health-check results cannot be provided by opt-out: the same file with that basis is refused whole")
    func optOutOfItsHealthDataIsRefused() async throws {
        let text = try String(contentsOf: Self.file, encoding: .utf8)
        let optOut = text.replacingOccurrences(of: "    basis: consent  # health-check results", with: "    basis: opt_out  # health-check results")
        #expect(optOut != text)
        try await TestDatabase.with(.seeded) { database in
            let directory = try RegistryCLI.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let before = try RegistryCLI.rowCounts(database)
            let result = try RegistryCLI.run(["import", try RegistryCLI.write(optOut, named: "kaede-optout.yaml", in: directory).path], database)
            #expect(result.status == 2, "\(RegistryCLI.describe(result))")
            #expect(result.stderr.contains("user.health.checkup_results") && result.stderr.contains("APPI Art. 27(2)"), "\(result.stderr)")
            #expect(try RegistryCLI.rowCounts(database) == before)
        }
    }
}
