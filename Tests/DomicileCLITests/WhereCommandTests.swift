import Foundation
import Postgres
import Testing
import TestSupport

/// `domicile where` and `domicile diff` as a user runs them.
@Suite("domicile where and diff")
struct WhereCommandTests {
    /// A seeded registry with the PERSONA example.
    static func withPersona<T>(_ body: (TestDatabase) async throws -> T) async throws -> T {
        try await TestDatabase.with(.seeded) { database in
            try RegistryCLI.succeed(["seed", "--example", "persona"], database)
            return try await body(database)
        }
    }

    @Test("where prints each category's place, since when and who says so; JSON and CSV carry the same rows")
    func whereInEveryFormat() async throws {
        try await Self.withPersona { database in
            let arguments = ["where", "--service", "PERSONA", "--category", "user.contact", "--as-of", "2026-11-29"]
            let table = try RegistryCLI.succeed(arguments, database)
            let json = try RegistryCLI.succeed(arguments + ["--format", "json"], database)
            let csv = try RegistryCLI.succeed(arguments + ["--format", "csv"], database)

            #expect(table.stdoutLines.first?.hasPrefix("SERVICE  CATEGORY                   VENDOR  ROLE     REGION              COUNTRY  VALID_FROM  VERIFIED_ON  ASSERTED_BY") == true, "\(table.stdout)")
            #expect(table.stdoutLines.dropFirst().map { $0.split(separator: " ").prefix(6).joined(separator: " ") } == [
                "persona user.contact.address aws storage aws/ap-northeast-1 JP",
                "persona user.contact.email aws storage aws/ap-northeast-1 JP",
                "persona user.contact.phone_number aws storage aws/ap-northeast-1 JP",
            ])
            let object = try RegistryCLI.jsonObject(json.stdout)
            #expect(object["as_of"] as? String == "2026-11-29")
            #expect((object["filters"] as? [String: Any])?["category"] as? String == "user.contact")
            let rows = try #require(object["rows"] as? [[String: Any]])
            #expect(rows.count == 3)
            #expect(rows[1]["category"] as? String == "user.contact.email" && rows[1]["country"] as? String == "JP")
            #expect(rows[1]["undisclosed"] is NSNull)
            #expect((rows[1]["provenance"] as? [String: Any])?["verified_on"] as? String == "2026-11-20")
            #expect(rows[1]["path"] as? [String] == ["persona", "aws"])
            #expect(csv.stdoutLines.count == 4)
            #expect(csv.stdoutLines[0] == "service,category,vendor,role,region,country,undisclosed_reason,candidates,valid_from,verified_on,asserted_by,source,path,kind,record")
            #expect(csv.stdoutLines[2].hasPrefix("persona,user.contact.email,aws,storage,aws/ap-northeast-1,JP,,,2020-04-01,2026-11-20,ASSIGN information security manager,"))
        }
    }

    @Test("Unknown country, category, vendor and malformed dates exit 2 with a suggestion and print nothing on stdout",
          arguments: [
            (["where", "--country", "JA"], "error: country 'JA' is not an ISO 3166-1 alpha-2 country code; did you mean JP (Japan)?"),
            (["where", "--category", "user.emial"], "error: category 'user.emial' is not a data category or a prefix of one; did you mean user.contact.email?"),
            (["where", "--vendor", "awz"], "error: vendor 'awz' is not a known vendor key, legal name or alias; did you mean aws?"),
            (["where", "--as-of", "2026-02-30"], "error: as_of '2026-02-30' is not valid: expected an ISO 8601 date YYYY-MM-DD, e.g. 2025-04-01; did you mean 2026-02-28?"),
            (["where", "--role", "backups"], "error: role 'backups' is not allowed; use one of: storage, processing, backup, remote_access, entrusted (did you mean backup?)"),
            (["where", "--by", "vendor"], "error: by 'vendor' is not allowed; use one of: country, service"),
            (["diff", "--from", "2025-13-01"], "error: from '2025-13-01' is not valid: expected an ISO 8601 date YYYY-MM-DD, e.g. 2025-04-01"),
            (["diff", "--from", "20250401"], "error: from '20250401' is not valid: expected an ISO 8601 date YYYY-MM-DD, e.g. 2025-04-01; did you mean 2025-04-01?"),
            (["diff", "--from", "2026-01-01", "--to", "2025-01-01"], "error: to 2025-01-01 is not after from 2026-01-01; an end must come after the start"),
          ])
    func badInput(arguments: [String], message: String) async throws {
        try await Self.withPersona { database in
            let result = try RegistryCLI.run(arguments, database)

            #expect(result.status == 2, "\(RegistryCLI.describe(result))")
            #expect(result.stderrLines == [message], "\(RegistryCLI.describe(result))")
            #expect(result.stdout.isEmpty)
        }
    }

    static let moved = """
        domicile: 1
        vendors:
          - key: sakura
            legal_name: さくらインターネット株式会社
            kinds: [cloud_provider]
            headquarters: JP
            risk_tier: low
            valid_from: 2020-04-01
        residencies:
          - key: persona-backup-us
            service: persona
            vendor: aws
            role: backup
            categories: [user.contact.email]
            region: aws/us-east-1
            source: AWS Backup plan
            verified_on: 2026-01-10
            asserted_by: security team
            valid_from: 2020-04-01
            valid_to: 2026-07-01
          - key: persona-backup-ishikari
            service: persona
            vendor: sakura
            role: backup
            categories: [user.contact.email]
            country: JP
            source: さくらのクラウド 石狩リージョン 契約書
            verified_on: 2026-07-02
            asserted_by: 情報セキュリティ管理者
            valid_from: 2026-07-01

        """

    @Test("A backup moved on 2026-07-01: where --as-of either side, and diff lists the move, with Japanese text in every format")
    func moveAsOfAndDiff() async throws {
        try await Self.withPersona { database in
            let directory = try RegistryCLI.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            try RegistryCLI.succeed(["import", try RegistryCLI.write(Self.moved, named: "moved.yaml", in: directory).path], database)
            let base = ["where", "--role", "backup", "--category", "user.contact.email"]

            let before = try RegistryCLI.succeed(base + ["--as-of", "2026-06-30", "--format", "csv"], database)
            let after = try RegistryCLI.succeed(base + ["--as-of", "2026-07-01", "--format", "csv"], database)
            #expect(before.stdoutLines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(6).joined(separator: ",") } == ["persona,user.contact.email,aws,backup,aws/us-east-1,US"])
            #expect(after.stdoutLines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(6).joined(separator: ",") } == ["persona,user.contact.email,sakura,backup,,JP"])
            #expect(after.stdout.contains(",情報セキュリティ管理者,さくらのクラウド 石狩リージョン 契約書,"))
            let table = try RegistryCLI.succeed(base + ["--as-of", "2026-07-01"], database)
            #expect(table.stdout.contains("情報セキュリティ管理者  さくらのクラウド 石狩リージョン 契約書"))
            let json = try RegistryCLI.succeed(base + ["--as-of", "2026-07-01", "--format", "json"], database)
            #expect(json.stdout.contains("\"asserted_by\" : \"情報セキュリティ管理者\""))

            let diff = try RegistryCLI.succeed(["diff", "--from", "2026-06-30", "--to", "2026-07-01", "--format", "json"], database)
            let changes = try #require(try RegistryCLI.jsonObject(diff.stdout)["changes"] as? [[String: Any]])
            #expect(changes.map { "\($0["change"]!) \($0["key"]!)" } == ["started persona-backup-ishikari", "ended persona-backup-us"])
            #expect(diff.stdout.contains("さくらのクラウド 石狩リージョン 契約書"))
            let diffTable = try RegistryCLI.succeed(["diff", "--from", "2026-06-30", "--to", "2026-07-01"], database)
            #expect(diffTable.stdoutLines.count == 3 && diffTable.stdout.contains("started  residency  persona-backup-ishikari"))
            let diffCSV = try RegistryCLI.succeed(["diff", "--from", "2026-06-30", "--to", "2026-07-01", "--format", "csv"], database)
            #expect(diffCSV.stdoutLines.dropFirst() == [
                "2026-07-01,started,residency,persona-backup-ishikari,,persona,sakura backup JP [user.contact.email]",
                "2026-07-01,ended,residency,persona-backup-us,,persona,aws backup US aws/us-east-1 [user.contact.email]",
            ])
            #expect(try RegistryCLI.succeed(["diff", "--from", "2026-07-01", "--to", "2026-08-01"], database).stdout
                == "no vendor, residency, entrustment, sub-entrustee, provision or transmission started, ended or changed, no contract signed, renewed or expired, and no assessment made after 2026-07-01 up to 2026-08-01\n")
        }
    }

    @Test("--transitive with a cycle written past validation: the table lists it, CSV warns on stderr, and the answer ends")
    func transitiveCycle() async throws {
        try await Self.withPersona { database in
            let connection = try database.connect()
            defer { connection.close() }
            try connection.query(
                """
                INSERT INTO sub_entrustee (entrustment_id, vendor_id, via_vendor_id)
                SELECT e.id, v.id, via.id FROM entrustment e, vendor v, vendor via
                WHERE e.key = 'persona-support-desk' AND v.key = 'tsubame-support' AND via.key = 'hikari-mail'
                """)
            let arguments = ["where", "--transitive", "--vendor", "hikari-mail", "--as-of", "2026-11-29"]

            let table = try RegistryCLI.succeed(arguments, database)
            let csv = try RegistryCLI.succeed(arguments + ["--format", "csv"], database)
            let byCountry = try RegistryCLI.succeed(arguments + ["--by", "country", "--format", "json"], database)
            let byServiceTable = try RegistryCLI.succeed(arguments + ["--by", "service"], database)

            #expect(table.stdout.contains("persona → tsubame-support → hikari-mail → JP"))
            let cycle = "entrustment persona-support-desk (service persona) has a sub-entrustee cycle: tsubame-support → hikari-mail → tsubame-support; it was followed once, not looped"
            #expect(table.stdout.contains("cycles:\n  " + cycle))
            #expect(csv.stderrLines == ["warning: " + cycle])
            #expect(byServiceTable.stdout.hasSuffix("\ncycles:\n  " + cycle + "\n"), "\(byServiceTable.stdout)")
            #expect(byServiceTable.stdoutLines[1].hasPrefix("persona  JP         0            6           1        6"), "\(byServiceTable.stdout)")
            let countries = try #require(try RegistryCLI.jsonObject(byCountry.stdout)["countries"] as? [[String: Any]])
            #expect(countries.map { $0["country"] as? String } == ["JP"])
            #expect((countries[0]["regime"] as? [String: Any])?["jp_ppc_equivalent"] as? String == "home")
            #expect(countries[0]["name_ja"] as? String == "日本")
        }
    }
}
