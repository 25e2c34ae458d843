import Foundation
import Postgres
import Testing
import TestSupport

/// Helpers for RegistryCommandTests: running the real `domicile` binary against a test
/// database, a small registry to start from, row counts of every registry table, and
/// the audit trail.
enum RegistryCLI {
    /// Every table a registry command or an import may write, audit_log included.
    static let registryTables = [
        "organization", "service", "vendor", "vendor_contact", "residency", "residency_category",
        "entrustment", "entrustment_purpose", "entrustment_category", "sub_entrustee", "provision",
        "provision_category", "provision_record", "transmission", "transmission_category", "assessment",
        "assessment_answer", "purpose", "purpose_category", "data_category", "audit_log",
    ]

    /// The actor of every write these tests make, unless a test names another.
    static let defaultActor = "registry-tests@example.com"

    /// A URL where no PostgreSQL listens.
    static let unreachableURL = "postgresql://postgres@127.0.0.1:1/x"

    /// Runs `domicile ARGUMENTS` against `database` (or against `url`, when given).
    static func run(_ arguments: [String], _ database: TestDatabase?, url: String? = nil) throws -> CommandResult {
        try DomicileProcess.run(
            arguments, databaseURL: url ?? database?.url,
            environment: ["DOMICILE_ACTOR": defaultActor, "COLUMNS": "200"])
    }

    /// Runs a command that must succeed; records an issue with its output otherwise.
    @discardableResult
    static func succeed(
        _ arguments: [String], _ database: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CommandResult {
        let result = try run(arguments, database)
        #expect(result.status == 0, "`domicile \(arguments.joined(separator: " "))`\n\(describe(result))", sourceLocation: sourceLocation)
        return result
    }

    static func describe(_ result: CommandResult) -> String {
        "exit \(result.status)\n--- stdout\n\(result.stdout)--- stderr\n\(result.stderr)"
    }

    // MARK: Row counts

    /// Rows of every registry table (and audit_log), read with a connection of its own.
    static func rowCounts(_ database: TestDatabase) throws -> [String: Int] {
        let connection = try database.connect()
        defer { connection.close() }
        let sql = registryTables.map { "SELECT '\($0)' AS name, count(*)::int AS n FROM \($0)" }.joined(separator: " UNION ALL ")
        var counts: [String: Int] = [:]
        for row in try connection.query(sql).rows {
            counts[try row.decode(String.self, "name")] = try row.decode(Int.self, "n")
        }
        return counts
    }

    // MARK: Audit trail

    struct AuditEntry: Equatable, CustomStringConvertible {
        var action: String
        var actor: String
        var description: String { "\(action) by \(actor)" }
    }

    /// Audit rows of the record itself (not its child rows), oldest first.
    static func audit(_ database: TestDatabase, entity: String, key: String) throws -> [AuditEntry] {
        let connection = try database.connect()
        defer { connection.close() }
        return try connection.query(
            "SELECT action, actor FROM audit_log WHERE entity = $1 AND entity_key = $2 ORDER BY id", [entity, key]
        ).rows.map { AuditEntry(action: try $0.decode(String.self, "action"), actor: try $0.decode(String.self, "actor")) }
    }

    // MARK: Files

    /// A fresh directory under the system temporary directory.
    static func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("domicile-registry-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func write(_ text: String, named name: String, in directory: URL) throws -> URL {
        try write(Data(text.utf8), named: name, in: directory)
    }

    static func write(_ data: Data, named name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    // MARK: JSON

    static func jsonArray(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(value as? [[String: Any]], "not a JSON array of objects:\n\(text)", sourceLocation: sourceLocation)
    }

    static func jsonObject(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(value as? [String: Any], "not a JSON object:\n\(text)", sourceLocation: sourceLocation)
    }

    /// A JSON value from its text (`"consent"`, `5`).
    static func jsonFragment(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
    }

    /// `object` with the value at `path` replaced by `value`.
    static func setting(_ value: Any, at path: [String], in object: [String: Any]) -> [String: Any] {
        var copy = object
        guard let first = path.first else { return copy }
        if path.count == 1 {
            copy[first] = value
        } else {
            copy[first] = setting(value, at: Array(path.dropFirst()), in: copy[first] as? [String: Any] ?? [:])
        }
        return copy
    }

    /// Whether two JSON objects are equal, nested objects and lists included.
    static func sameJSON(_ lhs: [String: Any], _ rhs: [String: Any]) -> Bool {
        func canonical(_ object: [String: Any]) -> Data? {
            try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        }
        guard let left = canonical(lhs), let right = canonical(rhs) else { return false }
        return left == right
    }

    // MARK: The starting registry

    /// One record of every kind, with names chosen so that lookups by key, legal name and
    /// alias can be told apart: `Amazon` is an alias of both aws and aws-japan (ambiguous),
    /// `Swallow Desk` only of tsubame, and the service persona is named "Persona Recruiting".
    static let fixtureYAML = """
        domicile: 1
        organizations:
          - key: assign
            name: ASSIGN Inc.
            country: JP
        services:
          - key: persona
            name: Persona Recruiting
            organization: assign
            valid_from: 2020-04-01
        vendors:
          - key: aws
            legal_name: Amazon Web Services, Inc.
            aliases: [AWS, Amazon]
            kinds: [cloud_provider]
            headquarters: US
            risk_tier: high
            valid_from: 2020-04-01
          - key: aws-japan
            legal_name: Amazon Web Services Japan G.K.
            aliases: [Amazon, AWS Japan]
            kinds: [cloud_provider]
            headquarters: JP
            risk_tier: medium
            valid_from: 2020-04-01
          - key: tsubame
            legal_name: Tsubame Support K.K.
            aliases: [Swallow Desk]
            kinds: [entrustee]
            headquarters: JP
            risk_tier: medium
            valid_from: 2021-04-01
          - key: hikari
            legal_name: Hikari Mail K.K.
            kinds: [entrustee]
            headquarters: JP
            risk_tier: low
            valid_from: 2021-04-01
          - key: google
            legal_name: Google LLC
            aliases: [Google]
            kinds: [transmission_recipient]
            headquarters: US
            risk_tier: medium
            valid_from: 2020-04-01
          - key: tokyo-police
            legal_name: Tokyo Metropolitan Police Department
            aliases: [TMPD]
            kinds: [third_party_recipient]
            headquarters: JP
            risk_tier: low
            valid_from: 2025-01-01
        residencies:
          - key: persona-aws-tokyo
            service: persona
            vendor: aws
            role: storage
            categories: [user.name, user.contact.email]
            region: aws/ap-northeast-1
            source: https://aws.amazon.com/about-aws/global-infrastructure/
            verified_on: 2026-11-01
            asserted_by: legal@a-ssign.example
            valid_from: 2020-04-01
        entrustments:
          - key: persona-support
            service: persona
            vendor: tsubame
            description: Customer support desk
            purposes: [customer-support]
            categories: [user.name, user.contact.email]
            contract:
              reference: SSA-2021-014
              signed_on: 2021-03-15
              expires_on: 2027-03-31
              dpa_signed_on: 2021-03-15
            reentrustment: prior_approval
            valid_from: 2021-04-01
        provisions:
          - key: persona-police
            service: persona
            recipient: tokyo-police
            basis: legal_exception
            legal_exception: "Art. 27(1)(i): when required by law"
            purpose: Criminal investigation request
            categories: [user.name]
            recipient_country: JP
            valid_from: 2025-06-01
        transmissions:
          - key: persona-ga
            service: persona
            tool: Google Analytics
            recipient: google
            information: [Activity on the site, IP address]
            purpose: Understanding usage status for service improvement
            basis: notice
            recipient_country: US
            valid_from: 2020-04-01
        assessments:
          - key: assign-2026
            template: appi-security-2022
            organization: assign
            assessed_on: 2026-11-20
            assessor: Privacy office
            next_review_on: 2027-11-20

        """

    /// Loads the starting registry into `database` through `domicile import`.
    static func loadFixture(into database: TestDatabase) throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try write(fixtureYAML, named: "fixture.yaml", in: directory)
        let result = try run(["import", file.path], database)
        guard result.status == 0 else {
            throw TestDatabaseError("loading the fixture registry failed:\n\(describe(result))")
        }
    }

    /// A seeded database holding the starting registry.
    static func withRegistry<T>(_ body: (TestDatabase) async throws -> T) async throws -> T {
        try await TestDatabase.with(.seeded) { database in
            try loadFixture(into: database)
            return try await body(database)
        }
    }
}

/// A valid `add` command line of one group, to be varied one option at a time.
struct RegistryAddLine: Sendable {
    var command: [String]
    var key: String
    var options: [String]

    var arguments: [String] { command + [key] + options }

    func withKey(_ key: String) -> RegistryAddLine {
        var copy = self
        copy.key = key
        return copy
    }

    /// The line with `option` set to `value` (replaced, or appended when absent).
    func setting(_ option: String, _ value: String) -> [String] {
        var options = self.options
        if let index = options.firstIndex(of: option), index + 1 < options.count {
            options[index + 1] = value
        } else {
            options += [option, value]
        }
        return command + [key] + options
    }

    /// The line with `option` (and its value) left out.
    func removing(_ option: String) -> [String] {
        var options = self.options
        if let index = options.firstIndex(of: option) { options.removeSubrange(index...(index + 1)) }
        return command + [key] + options
    }

    static let organization = RegistryAddLine(
        command: ["organization", "add"], key: "assign-holdings",
        options: [
            "--name", "ASSIGN Holdings Inc.", "--name-ja", "株式会社ASSIGNホールディングス", "--country", "JP",
            "--privacy-contact-email", "privacy@assign-holdings.example",
        ])
    static let service = RegistryAddLine(
        command: ["service", "add"], key: "persona-scout",
        options: [
            "--name", "PERSONA Scout", "--organization", "ASSIGN Inc.", "--url", "https://scout.example.com",
            "--valid-from", "2021-04-01",
        ])
    static let vendor = RegistryAddLine(
        command: ["vendor", "add"], key: "sakura",
        options: [
            "--legal-name", "SAKURA internet Inc.", "--aliases", "Sakura,Sakura Cloud", "--kinds", "cloud_provider",
            "--headquarters", "JP", "--risk-tier", "medium", "--certifications", "iso27001,iso27017",
            "--valid-from", "2022-04-01",
        ])
    static let residency = RegistryAddLine(
        command: ["residency", "add"], key: "persona-tsubame-remote",
        options: [
            "--service", "Persona Recruiting", "--vendor", "Swallow Desk", "--role", "remote_access",
            "--categories", "user.name,user.contact.email", "--country", "JP",
            "--source", "Contract SSA-2021-014, annex 2", "--verified-on", "2026-11-01",
            "--asserted-by", "legal@a-ssign.example", "--valid-from", "2021-04-01",
        ])
    static let entrust = RegistryAddLine(
        command: ["entrust", "add"], key: "persona-mail",
        options: [
            "--service", "persona", "--vendor", "Hikari Mail K.K.", "--description", "Bulk email delivery",
            "--categories", "user.contact.email", "--purposes", "marketing-email",
            "--contract-reference", "HM-2022-3", "--contract-signed-on", "2022-03-01",
            "--contract-expires-on", "2027-03-31", "--reentrustment", "prior_notice", "--valid-from", "2022-04-01",
        ])
    static let provision = RegistryAddLine(
        command: ["provision", "add"], key: "persona-police-2",
        options: [
            "--service", "persona", "--recipient", "Tokyo Metropolitan Police Department", "--basis", "legal_exception",
            "--legal-exception", "Art. 27(1)(iv): cooperation with a public body", "--purpose", "Inquiry about a member",
            "--categories", "user.name,user.contact.email", "--recipient-country", "JP", "--valid-from", "2025-07-01",
        ])
    static let transmission = RegistryAddLine(
        command: ["transmission", "add"], key: "persona-gtm",
        options: [
            "--service", "persona", "--tool", "Google Tag Manager", "--recipient", "Google LLC",
            "--information", "Page URL,Referrer", "--purpose", "Delivering tags", "--basis", "necessary",
            "--recipient-country", "US", "--valid-from", "2021-01-01",
        ])
    static let assess = RegistryAddLine(
        command: ["assess", "add"], key: "tsubame-2026",
        options: [
            "--template", "appi-entrustee-supervision", "--vendor", "tsubame", "--assessed-on", "2026-10-01",
            "--assessor", "Privacy office", "--next-review-on", "2027-10-01",
        ])
}
