import Foundation
import Postgres
import Testing
import TestSupport

/// Issue 16 points 1, 6 and 7 as legal staff meet them: records named by name instead of
/// key, the audit trail newest first, and shell completion.
@Suite("Names, audit and completion")
struct NameCommandTests {
    /// A seeded registry with the PERSONA example.
    static func withPersona<T>(_ body: (TestDatabase) async throws -> T) async throws -> T {
        try await TestDatabase.with(.seeded) { database in
            try RegistryCLI.succeed(["seed", "--example", "persona"], database)
            return try await body(database)
        }
    }

    static func expectInputError(
        _ arguments: [String], _ database: TestDatabase, containing parts: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let result = try RegistryCLI.run(arguments, database)
        #expect(result.status == 2, "\(arguments)\n\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
        for part in parts {
            #expect(result.stderr.contains(part), "\(arguments): expected \(part)\n\(result)", sourceLocation: sourceLocation)
        }
    }

    // MARK: Names, not keys

    @Test("where takes a data category, country and vendor by English or Japanese name; the answer is the key's")
    func whereByName() async throws {
        try await Self.withPersona { database in
            let day = ["--as-of", "2026-11-29", "--format", "csv"]
            let byKey = try RegistryCLI.succeed(["where", "--category", "user.contact.email", "--country", "JP", "--vendor", "aws"] + day, database)
            #expect(byKey.stdoutLines.count > 1, "\(byKey)")
            for (category, country, vendor) in [("メールアドレス", "Japan", "Amazon Web Services, Inc."), ("Email address", "日本", "amazon"), ("email address", "jp", "AWS")] {
                let byName = try RegistryCLI.succeed(["where", "--category", category, "--country", country, "--vendor", vendor] + day, database)
                #expect(byName.stdout == byKey.stdout, "\(category) \(country) \(vendor)")
            }
        }
    }

    @Test("An ambiguous or unknown name exits 2 with the closest candidates and prints nothing", arguments: [
        (["where", "--category", "email"], ["category 'email' is ambiguous", "employee.contact.email (Employee email address)", "user.contact.email (Email address)"]),
        (["where", "--category", "mail"], ["category 'mail' is not a known data category", "did you mean", "user.contact.email (Email address)"]),
        (["where", "--country", "Japn"], ["country 'Japn' is not a known country", "did you mean JP (Japan)?"]),
        (["where", "--country", "United"], ["country 'United' is ambiguous", "GB (United Kingdom)", "US (United States)"]),
        (["where", "--region", "Tokyo"], ["region 'Tokyo' is ambiguous", "aws/ap-northeast-1 (Tokyo, JP)"]),
        (["vendor", "show", "Web Services"], ["'Web Services' is not a known vendor", "did you mean aws (Amazon Web Services, Inc.)?"]),
        (["residency", "show", "persona-aws"], ["'persona-aws' is ambiguous", "persona-aws-tokyo-storage"]),
        (["report", "residency", "--organization", "ASIGN"], ["organization 'ASIGN'", "did you mean assign?"]),
        (["check", "--organization", "nobody"], ["organization 'nobody'"]),
    ])
    func ambiguousOrUnknown(arguments: [String], parts: [String]) async throws {
        try await Self.withPersona { database in
            try Self.expectInputError(arguments, database, containing: parts)
        }
    }

    @Test("show, edit, end and references in add take names; an ambiguous reference writes nothing")
    func commandsTakeNames() async throws {
        try await Self.withPersona { database in
            let shown = try RegistryCLI.succeed(["vendor", "show", "Amazon Web Services", "--format", "json"], database)
            #expect(try RegistryCLI.jsonObject(shown.stdout)["key"] as? String == "aws")

            let edited = try RegistryCLI.succeed(["vendor", "edit", "hikari", "--owner", "Legal team"], database)
            #expect(edited.stdout == "changed vendor hikari-mail: owner\n")

            let added = try RegistryCLI.succeed(
                ["vendor", "add", "sakura", "--legal-name", "SAKURA internet Inc.", "--kinds", "cloud_provider", "--headquarters", "日本", "--risk-tier", "medium"],
                database)
            #expect(added.stdout == "added vendor sakura\n")
            let sakura = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["vendor", "show", "sakura", "--format", "json"], database).stdout)
            #expect(sakura["headquarters"] as? String == "JP")

            // a checklist item by its Japanese title, an assessment by the start of its key
            let answered = try RegistryCLI.succeed(["assess", "answer", "assign-security", "--item", "基本方針", "--status", "met", "--evidence", "Policy page"], database)
            #expect(answered.stdout == "BP-1 answered met on assign-security-2026\n")

            let checkedBy = try RegistryCLI.succeed(["country", "show", "米国"], database)
            #expect(checkedBy.stdoutLines.first == "code               US", "\(checkedBy)")

            let before = try RegistryCLI.rowCounts(database)
            try Self.expectInputError(
                ["residency", "add", "persona-sakura", "--service", "PERSONA", "--vendor", "sakura", "--role", "storage",
                 "--categories", "email", "--country", "JP", "--source", "contract", "--verified-on", "2026-11-20", "--asserted-by", "legal"],
                database, containing: ["categories 'email' is ambiguous"])
            #expect(try RegistryCLI.rowCounts(database) == before)
        }
    }

    @Test("purpose list and category list show every key with its English and Japanese name; --lang ja puts Japanese first")
    func nameLists() async throws {
        try await Self.withPersona { database in
            let connection = try database.connect()
            defer { connection.close() }
            for (command, table) in [("purpose", "purpose"), ("category", "data_category")] {
                let json = try RegistryCLI.jsonArray(try RegistryCLI.succeed([command, "list", "--format", "json"], database).stdout)
                let stored = try connection.query("SELECT key, name_en, name_ja FROM " + table + " ORDER BY key COLLATE \"C\"").rows
                #expect(json.map { $0["key"] as? String } == (try stored.map { try $0.decode(String.self, "key") }))
                #expect(json.map { $0["name_ja"] as? String } == stored.map { $0.text("name_ja") })

                let japanese = try RegistryCLI.succeed([command, "list", "--lang", "ja"], database)
                #expect(japanese.stdoutLines.first?.hasPrefix("KEY") == true)
                #expect(japanese.stdoutLines.first?.contains("NAME_JA") == true)
                let first = try #require(stored.first)
                let row = try #require(japanese.stdoutLines.first { $0.hasPrefix(try first.decode(String.self, "key") + " ") })
                let name = try #require(first.text("name_ja"))
                #expect(row.contains(String(name.prefix(8))), "\(row)")
            }
            try Self.expectInputError(["purpose", "list", "--lang", "fr"], database, containing: ["lang"])
        }
    }

    // MARK: audit

    @Test("audit prints the newest first, 50 by default; --limit and --reverse; JSON before and after are objects")
    func auditNewestFirst() async throws {
        try await Self.withPersona { database in
            try RegistryCLI.succeed(["vendor", "edit", "aws", "--owner", "Infrastructure", "--actor", "alice"], database)

            let all = try RegistryCLI.jsonArray(try RegistryCLI.succeed(["audit", "--format", "json"], database).stdout)
            #expect(all.count == 50)
            let ids = all.compactMap { $0["id"] as? Int }
            #expect(ids.count == 50 && ids == ids.sorted(by: >), "newest first")
            let newest = try #require(all.first)
            #expect(newest["actor"] as? String == "alice" && newest["key"] as? String == "aws")
            let before = try #require(newest["before"] as? [String: Any], "before is an object, not a string")
            let after = try #require(newest["after"] as? [String: Any])
            #expect(after["owner"] as? String == "Infrastructure")
            #expect(before["owner"] as? String != "Infrastructure")

            let table = try RegistryCLI.succeed(["audit", "--limit", "3"], database)
            #expect(table.stdoutLines.count == 4)
            #expect(table.stdoutLines[1].contains("alice"), "\(table)")

            let reversed = try RegistryCLI.jsonArray(try RegistryCLI.succeed(["audit", "--format", "json", "--limit", "5", "--reverse"], database).stdout)
            #expect(reversed.compactMap { $0["id"] as? Int } == Array(ids.prefix(5).reversed()))

            let added = try RegistryCLI.jsonArray(try RegistryCLI.succeed(["audit", "--entity", "vendor/google", "--reverse", "--format", "json"], database).stdout)
            #expect(added.first?["action"] as? String == "add")
            #expect(added.first?["before"] is NSNull)

            // by name, and an unknown one is an error with a suggestion, not "(none)"
            let byName = try RegistryCLI.jsonArray(try RegistryCLI.succeed(["audit", "--entity", "vendor/Amazon", "--limit", "1", "--format", "json"], database).stdout)
            #expect(byName.first?["id"] as? Int == newest["id"] as? Int)
            try Self.expectInputError(["audit", "--entity", "vendor/hikari-mial"], database, containing: ["entity 'hikari-mial' is not a known vendor", "did you mean hikari-mail?"])
            try Self.expectInputError(["audit", "--entity", "vendors"], database, containing: ["did you mean vendor?"])
        }
    }

    // MARK: Shell completion

    /// Completes the last of `words` the way bash does: the script `domicile
    /// --generate-completion-script bash` prints, its function called as bash calls it.
    static func bashComplete(_ words: [String], databaseURL: String) throws -> [String] {
        let binary = try DomicileProcess.binary()
        let script = """
            shopt -s extglob
            source <(domicile --generate-completion-script bash)
            COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
            COMPREPLY=()
            _domicile "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, "bash"] + words
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["PATH"] = binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["DATABASE_URL"] = databaseURL
        environment["LC_ALL"] = "C.UTF-8"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test("bash completes record keys and names from the database, enumerations and report kinds")
    func bashCompletion() async throws {
        try await Self.withPersona { database in
            let connection = try database.connect()
            defer { connection.close() }
            let vendors = try connection.query("SELECT key FROM vendor ORDER BY key").rows.map { try $0.decode(String.self, "key") }
            #expect(try Self.bashComplete(["domicile", "vendor", "show", ""], databaseURL: database.url) == vendors)
            #expect(try Self.bashComplete(["domicile", "vendor", "edit", "hik"], databaseURL: database.url) == ["hikari-mail"])
            #expect(try Self.bashComplete(["domicile", "where", "--category", "メール"], databaseURL: database.url) == ["メールアドレス"])
            #expect(try Self.bashComplete(["domicile", "where", "--country", "Jap"], databaseURL: database.url) == ["Japan"])
            #expect(try Self.bashComplete(["domicile", "audit", "--entity", "vendor/g"], databaseURL: database.url) == ["vendor/google"])
            #expect(try Self.bashComplete(["domicile", "report", ""], databaseURL: database.url) == ["residency", "vendors", "disclosure", "ropa"])
            #expect(try Self.bashComplete(["domicile", "where", "--by", ""], databaseURL: database.url) == ["country", "service"])
            #expect(try Self.bashComplete(["domicile", "where", "--format", "j"], databaseURL: database.url) == ["json"])
            // no database: nothing, silently
            #expect(try Self.bashComplete(["domicile", "vendor", "show", ""], databaseURL: RegistryCLI.unreachableURL).isEmpty)
        }
    }

    @Test("The completion entry point answers as argument-parser asks it; without a database it prints nothing and exits 0")
    func completionEntryPoint() async throws {
        try await Self.withPersona { database in
            let arguments = ["---completion", "check", "--", "--organization", "3", "3", "domicile", "check", "--organization", "ASS"]
            let answer = try RegistryCLI.run(arguments, database)
            #expect(answer.status == 0 && answer.stdoutLines == ["assign", "ASSIGN Inc."], "\(answer)")
            let keys = try RegistryCLI.run(["---completion", "entrust", "end", "--", "positional@0", "3", "0", "domicile", "entrust", "end", ""], database)
            #expect(keys.status == 0 && !keys.stdoutLines.isEmpty)
            let offline = try RegistryCLI.run(["---completion", "vendor", "show", "--", "positional@0", "3", "0", "domicile", "vendor", "show", ""], nil, url: RegistryCLI.unreachableURL)
            #expect(offline.status == 0 && offline.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && offline.stderr.isEmpty, "\(offline)")
        }
    }

    @Test("The zsh and fish scripts call the same completion entry point")
    func zshAndFishScripts() throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try RegistryCLI.run(["--generate-completion-script", shell], nil)
            #expect(script.status == 0)
            #expect(script.stdout.contains("---completion vendor show -- positional@0"), "\(shell)")
            #expect(script.stdout.contains("---completion where -- --category"), "\(shell)")
        }
    }
}
