import Foundation
import TestSupport
import Testing

/// Editing where data lives: the place (country, region, undisclosed) changes as one.
@Suite("residency edit keeps the place consistent")
struct ResidencyEditTests {
    @Test("A new region brings its own country")
    func newRegionBringsItsCountry() async throws {
        try await RegistryCLI.withRegistry { db in
            try RegistryCLI.succeed(["residency", "edit", "persona-aws-tokyo", "--region", "aws/us-east-1", "--correction"], db)
            let shown = try RegistryCLI.succeed(["residency", "show", "persona-aws-tokyo", "--format", "json"], db)
            let record = try RegistryCLI.jsonObject(shown.stdout)
            #expect(record["country"] as? String == "US")
            #expect(record["region"] as? String == "aws/us-east-1")
        }
    }

    @Test("An undisclosed reason replaces the country and region; a country replaces undisclosed")
    func undisclosedAndCountryReplaceEachOther() async throws {
        try await RegistryCLI.withRegistry { db in
            try RegistryCLI.succeed(
                ["residency", "edit", "persona-aws-tokyo", "--undisclosed-reason", "Provider moved to unlisted zones", "--candidates", "JP,KR", "--correction"], db)
            var record = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["residency", "show", "persona-aws-tokyo", "--format", "json"], db).stdout)
            #expect(record["country"] == nil && record["region"] == nil)
            #expect((record["undisclosed"] as? [String: Any])?["candidates"] as? [String] == ["JP", "KR"])

            try RegistryCLI.succeed(["residency", "edit", "persona-aws-tokyo", "--country", "JP", "--correction"], db)
            record = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["residency", "show", "persona-aws-tokyo", "--format", "json"], db).stdout)
            #expect(record["country"] as? String == "JP")
            #expect(record["undisclosed"] == nil)
        }
    }

    @Test("A country that contradicts the kept region is refused, naming both; nothing is written")
    func contradictingCountryIsRefused() async throws {
        try await RegistryCLI.withRegistry { db in
            let before = try RegistryCLI.rowCounts(db)
            let result = try RegistryCLI.run(["residency", "edit", "persona-aws-tokyo", "--country", "US", "--correction"], db)
            #expect(result.status == 2)
            #expect(result.stderr.contains("region 'aws/ap-northeast-1' is in JP"), "\(result.stderr)")
            #expect(try RegistryCLI.rowCounts(db) == before)
        }
    }

    @Test("Changing where data lives without --correction is refused and points at end and add; nothing is written")
    func changingTheFactNeedsCorrection() async throws {
        try await RegistryCLI.withRegistry { db in
            let before = try RegistryCLI.rowCounts(db)
            let result = try RegistryCLI.run(["residency", "edit", "persona-aws-tokyo", "--region", "aws/us-east-1"], db)
            #expect(result.status == 2)
            #expect(result.stderr.contains("would rewrite what the registry says held since 2020-04-01"), "\(result.stderr)")
            #expect(result.stderr.contains("domicile residency end persona-aws-tokyo --on DATE"))
            #expect(try RegistryCLI.rowCounts(db) == before)
            // a non-fact field needs no flag
            try RegistryCLI.succeed(["residency", "edit", "persona-aws-tokyo", "--verified-on", "2026-11-28"], db)
        }
    }
}
