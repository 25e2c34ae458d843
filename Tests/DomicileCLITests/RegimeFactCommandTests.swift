import Foundation
import Testing
import TestSupport

/// `domicile country facts`: a country's dated regime facts, in force on a day or all of them.
@Suite struct RegimeFactCommandTests {
    @Test func theFactsInForceOnADayOrAllWithTheirDates() async throws {
        try await TestDatabase.with(.seeded) { database in
            // the UK in mid-2019: an EU member designated with the EU; from 2020-02-01 designated on its own
            let mid2019 = try RegistryCLI.succeed(["country", "facts", "gb", "--as-of", "2019-06-01", "--format", "csv"], database)
            let rows = mid2019.stdout.split(separator: "\n").dropFirst()
            #expect(rows.contains { $0.hasPrefix("eu_member,yes,1973-01-01,2020-01-31,") }, "\(mid2019)")
            #expect(rows.contains { $0.hasPrefix("jp_ppc_equivalent,yes,2019-01-23,2020-01-31,") }, "\(mid2019)")
            #expect(!rows.contains { $0.hasPrefix("jp_ppc_equivalent,yes,2020-02-01,") }, "\(mid2019)")

            let all = try RegistryCLI.succeed(["country", "facts", "GB", "--all"], database)
            #expect(all.stdout.contains("2020-02-01"), "\(all)")
            #expect(all.stdout.hasPrefix("FACT"), "\(all)")

            let bad = try RegistryCLI.run(["country", "facts", "GB", "--as-of", "2019-13-01"], database)
            #expect(bad.status == 2 && bad.stderr.contains("as-of '2019-13-01'"), "\(bad)")
            let both = try RegistryCLI.run(["country", "facts", "GB", "--all", "--as-of", "2019-06-01"], database)
            #expect(both.status == 2 && both.stdout.isEmpty && both.stderr.contains("--as-of 2019-06-01 and --all"), "\(both)")
            // a common name is a name: UK is GB
            #expect(try RegistryCLI.succeed(["country", "facts", "UK", "--all"], database).stdout == all.stdout)
            let unknown = try RegistryCLI.run(["country", "facts", "ZZ"], database)
            #expect(unknown.status == 2 && unknown.stderr.contains("country 'ZZ'"), "\(unknown)")
        }
    }
}
