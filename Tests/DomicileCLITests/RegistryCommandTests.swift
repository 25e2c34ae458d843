import Foundation
import Testing
import TestSupport

/// One command group (`vendor`, `entrust`, …) as the add / edit tests drive it.
struct RegistryGroupCase: Sendable, CustomTestStringConvertible {
    /// The CLI group.
    var group: String
    /// The kind as messages and the audit trail name it.
    var noun: String
    /// A valid add of a new record.
    var add: RegistryAddLine
    /// Lines `show` prints for the added record.
    var shown: [String]
    /// String fields of the added record in `list --format json`.
    var listed: [String: String]
    /// A record of the starting registry.
    var existingKey: String
    /// Options of an edit of `existingKey`, the JSON path it changes, the new value as JSON
    /// text, and the changed fields as the command prints them.
    var edit: [String]
    var editPath: [String]
    var editValue: String
    var changedFields: String
    /// Whether the group has `end` (records with valid_from / valid_to).
    var ends: Bool

    var testDescription: String { group }

    static let all: [RegistryGroupCase] = [
        RegistryGroupCase(
            group: "organization", noun: "organization", add: .organization,
            shown: ["key: assign-holdings", "name: ASSIGN Holdings Inc.", "name_ja: 株式会社ASSIGNホールディングス", "country: JP"],
            listed: ["name": "ASSIGN Holdings Inc.", "country": "JP", "privacy_contact_email": "privacy@assign-holdings.example"],
            existingKey: "assign", edit: ["--representative", "Taro Yamada, CEO"], editPath: ["representative"],
            editValue: #""Taro Yamada, CEO""#, changedFields: "representative", ends: false),
        RegistryGroupCase(
            group: "service", noun: "service", add: .service,
            shown: ["key: persona-scout", "name: PERSONA Scout", "organization: assign", "valid_from: 2021-04-01"],
            listed: ["name": "PERSONA Scout", "organization": "assign", "url": "https://scout.example.com", "valid_from": "2021-04-01"],
            existingKey: "persona", edit: ["--owner", "Product team"], editPath: ["owner"],
            editValue: #""Product team""#, changedFields: "owner", ends: true),
        RegistryGroupCase(
            group: "vendor", noun: "vendor", add: .vendor,
            shown: ["key: sakura", "legal_name: SAKURA internet Inc.", "- Sakura Cloud", "headquarters: JP", "risk_tier: medium", "- iso27017"],
            listed: ["legal_name": "SAKURA internet Inc.", "headquarters": "JP", "risk_tier": "medium", "valid_from": "2022-04-01"],
            existingKey: "aws", edit: ["--risk-tier", "critical"], editPath: ["risk_tier"],
            editValue: #""critical""#, changedFields: "risk_tier", ends: true),
        RegistryGroupCase(
            group: "residency", noun: "residency", add: .residency,
            shown: ["key: persona-tsubame-remote", "service: persona", "vendor: tsubame", "role: remote_access", "country: JP", "verified_on: 2026-11-01"],
            listed: ["service": "persona", "vendor": "tsubame", "role": "remote_access", "country": "JP", "asserted_by": "legal@a-ssign.example"],
            existingKey: "persona-aws-tokyo", edit: ["--verified-on", "2026-11-15"], editPath: ["verified_on"],
            editValue: #""2026-11-15""#, changedFields: "verified_on", ends: true),
        RegistryGroupCase(
            group: "entrust", noun: "entrustment", add: .entrust,
            shown: ["key: persona-mail", "service: persona", "vendor: hikari", "- marketing-email", "  reference: HM-2022-3", "reentrustment: prior_notice"],
            listed: ["service": "persona", "vendor": "hikari", "description": "Bulk email delivery", "reentrustment": "prior_notice"],
            existingKey: "persona-support", edit: ["--contract-expires-on", "2028-03-31"], editPath: ["contract", "expires_on"],
            editValue: #""2028-03-31""#, changedFields: "contract", ends: true),
        RegistryGroupCase(
            group: "provision", noun: "provision", add: .provision,
            shown: ["key: persona-police-2", "recipient: tokyo-police", "basis: legal_exception", "recipient_country: JP"],
            listed: ["service": "persona", "recipient": "tokyo-police", "purpose": "Inquiry about a member", "valid_from": "2025-07-01"],
            existingKey: "persona-police", edit: ["--retention-years", "5"], editPath: ["retention_years"],
            editValue: "5", changedFields: "retention_years", ends: true),
        RegistryGroupCase(
            group: "transmission", noun: "transmission", add: .transmission,
            shown: ["key: persona-gtm", "tool: Google Tag Manager", "recipient: google", "basis: necessary", "- Referrer"],
            listed: ["service": "persona", "tool": "Google Tag Manager", "recipient": "google", "basis": "necessary", "recipient_country": "US"],
            existingKey: "persona-ga", edit: ["--basis", "consent"], editPath: ["basis"],
            editValue: #""consent""#, changedFields: "basis", ends: true),
        RegistryGroupCase(
            group: "assess", noun: "assessment", add: .assess,
            shown: ["key: tsubame-2026", "template: appi-entrustee-supervision", "vendor: tsubame", "assessor: Privacy office"],
            listed: ["template": "appi-entrustee-supervision", "vendor": "tsubame", "assessed_on": "2026-10-01", "next_review_on": "2027-10-01"],
            existingKey: "assign-2026", edit: ["--assessor", "Legal department"], editPath: ["assessor"],
            editValue: #""Legal department""#, changedFields: "assessor", ends: false),
    ]

    static var ending: [RegistryGroupCase] { all.filter(\.ends) }
}

/// A command that must be refused: exit 2, the offending value named, nothing written.
struct RegistryBadInput: Sendable, CustomTestStringConvertible {
    var label: String
    var arguments: [String]
    /// Text stderr must contain.
    var mentions: [String]

    init(_ label: String, _ arguments: [String], _ mentions: [String]) {
        self.label = label
        self.arguments = arguments
        self.mentions = mentions
    }

    var testDescription: String { label }
}

@Suite("registry commands, end to end through the domicile binary")
struct RegistryCommandTests {
    static let alice = "alice@a-ssign.example"
    static let long501 = String(repeating: "x", count: 501)

    // MARK: add

    @Test("add exits 0; show and list --format json reflect the record; the audit trail names the --actor", arguments: RegistryGroupCase.all)
    func addRegistersTheRecordAndAuditsTheActor(_ group: RegistryGroupCase) async throws {
        try await RegistryCLI.withRegistry { db in
            let added = try RegistryCLI.run(group.add.arguments + ["--actor", Self.alice], db)
            #expect(added.status == 0, "\(RegistryCLI.describe(added))")
            #expect(added.stdout == "added \(group.noun) \(group.add.key)\n")
            #expect(added.stderr.isEmpty)

            let shown = try RegistryCLI.succeed([group.group, "show", group.add.key], db)
            let lines = shown.stdout.components(separatedBy: "\n")
            for line in group.shown {
                #expect(lines.contains(line), "`show` lacks \(line):\n\(shown.stdout)")
            }

            let listed = try RegistryCLI.succeed([group.group, "list", "--format", "json"], db)
            let records = try RegistryCLI.jsonArray(listed.stdout)
            let record = try #require(records.first { $0["key"] as? String == group.add.key }, "\(listed.stdout)")
            for (field, value) in group.listed {
                #expect(record[field] as? String == value, "\(field) in \(listed.stdout)")
            }
            #expect(records.contains { $0["key"] as? String == group.existingKey }, "the starting record is still listed")

            let audit = try RegistryCLI.audit(db, entity: group.noun, key: group.add.key)
            #expect(audit == [.init(action: "add", actor: Self.alice)])
        }
    }

    // MARK: edit

    @Test("edit changes only the given fields and audits an edit", arguments: RegistryGroupCase.all)
    func editChangesOnlyTheGivenFields(_ group: RegistryGroupCase) async throws {
        try await RegistryCLI.withRegistry { db in
            let before = try RegistryCLI.jsonObject(
                try RegistryCLI.succeed([group.group, "show", group.existingKey, "--format", "json"], db).stdout)
            let auditBefore = try RegistryCLI.audit(db, entity: group.noun, key: group.existingKey)

            let edited = try RegistryCLI.run([group.group, "edit", group.existingKey] + group.edit + ["--actor", Self.alice], db)
            #expect(edited.status == 0, "\(RegistryCLI.describe(edited))")
            #expect(edited.stdout == "changed \(group.noun) \(group.existingKey): \(group.changedFields)\n")

            let after = try RegistryCLI.jsonObject(
                try RegistryCLI.succeed([group.group, "show", group.existingKey, "--format", "json"], db).stdout)
            let expected = RegistryCLI.setting(try RegistryCLI.jsonFragment(group.editValue), at: group.editPath, in: before)
            #expect(RegistryCLI.sameJSON(after, expected), "before: \(before)\nafter: \(after)")
            #expect(!RegistryCLI.sameJSON(after, before))

            let audit = try RegistryCLI.audit(db, entity: group.noun, key: group.existingKey)
            #expect(audit == auditBefore + [.init(action: "edit", actor: Self.alice)])
        }
    }

    @Test("edit with the values a record already has changes nothing and writes nothing")
    func editWithTheSameValuesWritesNothing() async throws {
        try await RegistryCLI.withRegistry { db in
            let before = try RegistryCLI.rowCounts(db)
            let result = try RegistryCLI.run(["vendor", "edit", "aws", "--risk-tier", "high"], db)
            #expect(result.status == 0, "\(RegistryCLI.describe(result))")
            #expect(result.stdout == "vendor aws already had these values; nothing changed\n")
            #expect(try RegistryCLI.rowCounts(db) == before)
        }
    }

    // MARK: end

    @Test("end sets valid_to; the record stays in list --all and in list --as-of the day before, not in list", arguments: RegistryGroupCase.ending)
    func endKeepsTheRecordForHistory(_ group: RegistryGroupCase) async throws {
        try await RegistryCLI.withRegistry { db in
            let key = group.existingKey
            // a vendor still in use ends only with what names it (--cascade; VendorEndTests)
            let cascade = group.group == "vendor" ? ["--cascade"] : []
            let ended = try RegistryCLI.run([group.group, "end", key, "--on", "2025-06-30", "--actor", Self.alice] + cascade, db)
            #expect(ended.status == 0, "\(RegistryCLI.describe(ended))")
            #expect(ended.stdout.hasSuffix("ended \(group.noun) \(key) on 2025-06-30\n"), "\(ended.stdout)")

            let shown = try RegistryCLI.jsonObject(try RegistryCLI.succeed([group.group, "show", key, "--format", "json"], db).stdout)
            #expect(shown["valid_to"] as? String == "2025-06-30")

            func listedKeys(_ options: [String]) throws -> [String] {
                let listed = try RegistryCLI.succeed([group.group, "list", "--format", "json"] + options, db)
                return try RegistryCLI.jsonArray(listed.stdout).compactMap { $0["key"] as? String }
            }
            #expect(try !listedKeys([]).contains(key), "ended records are not in force today")
            #expect(try listedKeys(["--all"]).contains(key))
            #expect(try listedKeys(["--as-of", "2025-06-29"]).contains(key))
            #expect(try !listedKeys(["--as-of", "2025-06-30"]).contains(key), "valid_to is exclusive")

            let audit = try RegistryCLI.audit(db, entity: group.noun, key: key)
            #expect(audit.last == .init(action: "end", actor: Self.alice), "\(audit)")

            let again = try RegistryCLI.run([group.group, "end", key, "--on", "2025-07-01"], db)
            #expect(again.status == 2)
            #expect(again.stderr.contains("already ended on 2025-06-30"), "\(RegistryCLI.describe(again))")
        }
    }

    // MARK: bad input: exit 2, the value named, nothing written

    func expectRefused(_ input: RegistryBadInput) async throws {
        try await RegistryCLI.withRegistry { db in
            let before = try RegistryCLI.rowCounts(db)
            let result = try RegistryCLI.run(input.arguments, db)
            #expect(result.status == 2, "`domicile \(input.arguments.joined(separator: " "))`\n\(RegistryCLI.describe(result))")
            for text in input.mentions {
                #expect(result.stderr.contains(text), "stderr lacks \(text):\n\(result.stderr)")
            }
            #expect(result.stdout.isEmpty, "\(result.stdout)")
            let after = try RegistryCLI.rowCounts(db)
            #expect(after == before, "rows changed: \(after.filter { before[$0.key] != $0.value })")
        }
    }

    static let unknownCountries: [RegistryBadInput] = [
        .init("organization --country", RegistryAddLine.organization.setting("--country", "JA"), ["country 'JA'", "did you mean JP (Japan)?"]),
        .init("vendor --headquarters", RegistryAddLine.vendor.setting("--headquarters", "JA"), ["headquarters 'JA'", "did you mean JP (Japan)?"]),
        .init("residency --country", RegistryAddLine.residency.setting("--country", "JA"), ["country 'JA'", "did you mean JP (Japan)?"]),
        .init("residency --candidates", RegistryAddLine.residency.removing("--country") + ["--undisclosed-reason", "not disclosed", "--candidates", "JP,JA"], ["'JA'", "did you mean JP (Japan)?"]),
        .init("provision --recipient-country", RegistryAddLine.provision.setting("--recipient-country", "JA"), ["recipient_country 'JA'", "did you mean JP (Japan)?"]),
        .init("transmission --recipient-country", RegistryAddLine.transmission.setting("--recipient-country", "JA"), ["recipient_country 'JA'", "did you mean JP (Japan)?"]),
        .init("entrust sub-add --countries", ["entrust", "sub-add", "persona-support", "--vendor", "hikari", "--countries", "JA"], ["'JA'", "did you mean JP (Japan)?"]),
        .init("vendor edit --headquarters", ["vendor", "edit", "aws", "--headquarters", "JA"], ["headquarters 'JA'", "did you mean JP (Japan)?"]),
    ]

    @Test("an unknown country is refused with the likely code", arguments: unknownCountries)
    func unknownCountryIsRefused(_ input: RegistryBadInput) async throws { try await expectRefused(input) }

    static let endsBeforeStarts: [RegistryBadInput] = [
        .init("service valid_to", RegistryAddLine.service.setting("--valid-to", "2021-01-01"), ["valid_to 2021-01-01 is not after valid_from 2021-04-01"]),
        .init("vendor valid_to", RegistryAddLine.vendor.setting("--valid-to", "2022-03-31"), ["valid_to 2022-03-31 is not after valid_from 2022-04-01"]),
        .init("vendor valid_to equal to valid_from", RegistryAddLine.vendor.setting("--valid-to", "2022-04-01"), ["valid_to 2022-04-01 is not after valid_from 2022-04-01"]),
        .init("residency valid_to", RegistryAddLine.residency.setting("--valid-to", "2020-01-01"), ["valid_to 2020-01-01 is not after valid_from 2021-04-01"]),
        .init("entrust contract expires before signed", RegistryAddLine.entrust.setting("--contract-expires-on", "2022-02-01"), ["contract.expires_on 2022-02-01 is not after contract.signed_on 2022-03-01"]),
        .init("entrust dpa expires before signed", RegistryAddLine.entrust.setting("--dpa-signed-on", "2022-03-01") + ["--dpa-expires-on", "2021-12-31"], ["contract.dpa_expires_on 2021-12-31 is not after contract.dpa_signed_on 2022-03-01"]),
        .init("provision valid_to", RegistryAddLine.provision.setting("--valid-to", "2025-01-01"), ["valid_to 2025-01-01 is not after valid_from 2025-07-01"]),
        .init("provision record retained until before provided", ["provision", "record-add", "persona-police", "--provided-on", "2025-06-02", "--data-subjects", "1 member", "--items", "name", "--retain-until", "2025-01-01"], ["records.retain_until 2025-01-01 is not after records.provided_on 2025-06-02"]),
        .init("transmission valid_to", RegistryAddLine.transmission.setting("--valid-to", "2020-12-31"), ["valid_to 2020-12-31 is not after valid_from 2021-01-01"]),
        .init("assess next review before assessed", RegistryAddLine.assess.setting("--next-review-on", "2026-09-01"), ["next_review_on 2026-09-01 is not after assessed_on 2026-10-01"]),
        .init("vendor edit valid_to", ["vendor", "edit", "aws", "--valid-to", "2019-01-01"], ["valid_to 2019-01-01 is not after valid_from 2020-04-01"]),
        .init("entrust edit contract expiry", ["entrust", "edit", "persona-support", "--contract-expires-on", "2021-01-01"], ["contract.expires_on 2021-01-01 is not after contract.signed_on 2021-03-15"]),
        .init("residency end before it started", ["residency", "end", "persona-aws-tokyo", "--on", "2019-12-31"], ["valid_to 2019-12-31 is not after valid_from 2020-04-01"]),
    ]

    @Test("an end before its start is refused", arguments: endsBeforeStarts)
    func endBeforeStartIsRefused(_ input: RegistryBadInput) async throws { try await expectRefused(input) }

    static let unknownReferences: [RegistryBadInput] = [
        .init("residency --vendor", RegistryAddLine.residency.setting("--vendor", "awss"), ["vendor 'awss' is not a known vendor", "did you mean aws?"]),
        .init("residency --service", RegistryAddLine.residency.setting("--service", "persna"), ["service 'persna' is not a known service", "did you mean persona?"]),
        .init("entrust --vendor", RegistryAddLine.entrust.setting("--vendor", "hikary"), ["vendor 'hikary'", "did you mean hikari?"]),
        .init("provision --recipient", RegistryAddLine.provision.setting("--recipient", "tokyo-polise"), ["recipient 'tokyo-polise'", "did you mean tokyo-police?"]),
        .init("transmission --recipient", RegistryAddLine.transmission.setting("--recipient", "gogle"), ["recipient 'gogle'", "did you mean google?"]),
        .init("assess --vendor", RegistryAddLine.assess.setting("--vendor", "tsubme"), ["vendor 'tsubme'", "did you mean tsubame?"]),
        .init("service --organization", RegistryAddLine.service.setting("--organization", "asign"), ["organization 'asign'", "did you mean assign?"]),
        .init("entrust sub-add --vendor", ["entrust", "sub-add", "persona-support", "--vendor", "hikary", "--countries", "JP"], ["vendor 'hikary'", "did you mean hikari?"]),
        .init("vendor show", ["vendor", "show", "awz"], ["'awz' is not a known vendor", "did you mean aws?"]),
        .init("vendor edit", ["vendor", "edit", "tsubamee", "--owner", "Support team"], ["'tsubamee' is not a known vendor", "did you mean tsubame?"]),
        .init("vendor end", ["vendor", "end", "hikary", "--on", "2025-06-30"], ["'hikary' is not a known vendor", "did you mean hikari?"]),
    ]

    @Test("an unknown vendor (or service, organization) is refused with the nearest key", arguments: unknownReferences)
    func unknownReferenceIsRefused(_ input: RegistryBadInput) async throws { try await expectRefused(input) }

    static let bothAmazons = ["aws (Amazon Web Services, Inc.)", "aws-japan (Amazon Web Services Japan G.K.)"]
    static let ambiguousVendors: [RegistryBadInput] = [
        .init("residency --vendor", RegistryAddLine.residency.setting("--vendor", "Amazon"), ["vendor 'Amazon' is ambiguous"] + bothAmazons),
        .init("entrust --vendor", RegistryAddLine.entrust.setting("--vendor", "amazon"), ["vendor 'amazon' is ambiguous"] + bothAmazons),
        .init("provision --recipient", RegistryAddLine.provision.setting("--recipient", "AMAZON"), ["recipient 'AMAZON' is ambiguous"] + bothAmazons),
        .init("transmission --recipient", RegistryAddLine.transmission.setting("--recipient", "Amazon"), ["recipient 'Amazon' is ambiguous"] + bothAmazons),
        .init("assess --vendor", RegistryAddLine.assess.setting("--vendor", "Amazon"), ["vendor 'Amazon' is ambiguous"] + bothAmazons),
        .init("entrust sub-add --vendor", ["entrust", "sub-add", "persona-support", "--vendor", "Amazon"], ["vendor 'Amazon' is ambiguous"] + bothAmazons),
        .init("vendor show", ["vendor", "show", "amazon"], ["'amazon' is ambiguous"] + bothAmazons),
        .init("vendor edit", ["vendor", "edit", "Amazon", "--risk-tier", "low"], ["'Amazon' is ambiguous"] + bothAmazons),
        .init("vendor end", ["vendor", "end", "Amazon"], ["'Amazon' is ambiguous"] + bothAmazons),
    ]

    @Test("an alias two vendors share is refused and both keys are listed", arguments: ambiguousVendors)
    func ambiguousVendorIsRefused(_ input: RegistryBadInput) async throws { try await expectRefused(input) }

    static let duplicateKeys: [RegistryBadInput] = [
        .init("organization", RegistryAddLine.organization.withKey("assign").arguments, ["organization 'assign' already exists", "domicile organization edit assign"]),
        .init("service", RegistryAddLine.service.withKey("persona").arguments, ["service 'persona' already exists", "domicile service edit persona"]),
        .init("vendor", RegistryAddLine.vendor.withKey("aws").arguments, ["vendor 'aws' already exists", "domicile vendor edit aws"]),
        .init("residency", RegistryAddLine.residency.withKey("persona-aws-tokyo").arguments, ["residency 'persona-aws-tokyo' already exists"]),
        .init("entrust", RegistryAddLine.entrust.withKey("persona-support").arguments, ["entrustment 'persona-support' already exists", "domicile entrust edit persona-support"]),
        .init("provision", RegistryAddLine.provision.withKey("persona-police").arguments, ["provision 'persona-police' already exists"]),
        .init("transmission", RegistryAddLine.transmission.withKey("persona-ga").arguments, ["transmission 'persona-ga' already exists"]),
        .init("assess", RegistryAddLine.assess.withKey("assign-2026").arguments, ["assessment 'assign-2026' already exists", "domicile assess edit assign-2026"]),
        .init("vendor legal name, another case", RegistryAddLine.vendor.setting("--legal-name", "amazon web services, inc."), ["vendor 'sakura'", "legal_name 'amazon web services, inc.'", "already the legal name of vendor 'aws'"]),
    ]

    @Test("add with a key that exists is refused and points at edit", arguments: duplicateKeys)
    func duplicateKeyIsRefused(_ input: RegistryBadInput) async throws { try await expectRefused(input) }

    static let wrongEnums: [RegistryBadInput] = [
        .init("vendor --risk-tier", RegistryAddLine.vendor.setting("--risk-tier", "hi"), ["risk_tier 'hi' is not allowed", "low, medium, high, critical", "did you mean high?"]),
        .init("vendor --kinds", RegistryAddLine.vendor.setting("--kinds", "cloud_provider,cloud"), ["kinds 'cloud' is not allowed", "cloud_provider"]),
        .init("vendor --certifications", RegistryAddLine.vendor.setting("--certifications", "iso9001"), ["certifications 'iso9001' is not allowed"]),
        .init("residency --role", RegistryAddLine.residency.setting("--role", "backups"), ["role 'backups' is not allowed", "did you mean backup?"]),
        .init("entrust --reentrustment", RegistryAddLine.entrust.setting("--reentrustment", "prior-approval"), ["reentrustment 'prior-approval' is not allowed", "did you mean prior_approval?"]),
        .init("entrust --contract-renewal", RegistryAddLine.entrust.setting("--contract-renewal", "yearly"), ["contract.renewal 'yearly' is not allowed", "automatic, manual, none"]),
        .init("provision --basis", RegistryAddLine.provision.setting("--basis", "consnt"), ["basis 'consnt' is not allowed", "did you mean consent?"]),
        .init("transmission --basis", RegistryAddLine.transmission.setting("--basis", "optout"), ["basis 'optout' is not allowed", "did you mean opt_out?"]),
        .init("assess --template", RegistryAddLine.assess.setting("--template", "appi-security-2021"), ["template 'appi-security-2021' is not allowed", "did you mean appi-security-2022?"]),
        .init("assess answer --status", ["assess", "answer", "assign-2026", "--item", "HUM-1", "--status", "done", "--evidence", "Training records"], ["status 'done' is not allowed", "met, partial, unmet, not_applicable"]),
        .init("assess answer --item", ["assess", "answer", "assign-2026", "--item", "TEC-9", "--status", "met", "--evidence", "x"], ["answers.item 'TEC-9' is not an item of template 'appi-security-2022'"]),
        .init("vendor edit --risk-tier", ["vendor", "edit", "aws", "--risk-tier", "extreme"], ["risk_tier 'extreme' is not allowed"]),
    ]

    @Test("a value outside an enumeration is refused with the allowed values", arguments: wrongEnums)
    func wrongEnumValueIsRefused(_ input: RegistryBadInput) async throws { try await expectRefused(input) }

    static let oversized: [RegistryBadInput] = [
        .init("organization --name", RegistryAddLine.organization.setting("--name", long501), ["name is 501 characters long; at most 500"]),
        .init("service --name", RegistryAddLine.service.setting("--name", long501), ["name is 501 characters long; at most 500"]),
        .init("vendor --legal-name", RegistryAddLine.vendor.setting("--legal-name", long501), ["legal_name is 501 characters long; at most 500"]),
        .init("vendor --aliases", RegistryAddLine.vendor.setting("--aliases", "Sakura," + long501), ["aliases is 501 characters long; at most 500"]),
        .init("residency --asserted-by", RegistryAddLine.residency.setting("--asserted-by", long501), ["asserted_by is 501 characters long; at most 500"]),
        .init("entrust --contract-reference", RegistryAddLine.entrust.setting("--contract-reference", long501), ["contract.reference is 501 characters long; at most 500"]),
        .init("provision record-add --consent-reference", ["provision", "record-add", "persona-police", "--provided-on", "2025-06-02", "--data-subjects", "1 member", "--items", "name", "--consent-reference", long501], ["records.consent_reference is 501 characters long; at most 500"]),
        .init("transmission --tool", RegistryAddLine.transmission.setting("--tool", long501), ["tool is 501 characters long; at most 500"]),
        .init("assess --assessor", RegistryAddLine.assess.setting("--assessor", long501), ["assessor is 501 characters long; at most 500"]),
        .init("vendor edit --owner", ["vendor", "edit", "aws", "--owner", long501], ["owner is 501 characters long; at most 500"]),
    ]

    static let outOfRange: [RegistryBadInput] = [
        .init("provision --retention-years 31", RegistryAddLine.provision.setting("--retention-years", "31"), ["retention_years '31' is not valid", "from 1 to 30"]),
        .init("provision edit --retention-years 0", ["provision", "edit", "persona-police", "--retention-years", "0"], ["retention_years '0' is not valid", "from 1 to 30"]),
        .init("entrust --contract-notice-days 3651", RegistryAddLine.entrust.setting("--contract-notice-days", "3651"), ["contract.notice_days '3651' is not valid", "from 0 to 3650"]),
        .init("provision --retention-years not a number", RegistryAddLine.provision.setting("--retention-years", "five"), ["five"]),
    ]

    @Test("a number outside its range is refused with the range", arguments: outOfRange)
    func numberOutOfRangeIsRefused(_ input: RegistryBadInput) async throws { try await expectRefused(input) }

    @Test("a 501-character name is refused", arguments: oversized)
    func oversizedFieldIsRefused(_ input: RegistryBadInput) async throws { try await expectRefused(input) }

    static let invalidDates: [RegistryBadInput] = [
        .init("service --valid-from", RegistryAddLine.service.setting("--valid-from", "2026-02-30"), ["valid_from '2026-02-30' is not valid", "YYYY-MM-DD"]),
        .init("vendor --valid-from", RegistryAddLine.vendor.setting("--valid-from", "2026-02-30"), ["valid_from '2026-02-30' is not valid"]),
        .init("residency --verified-on", RegistryAddLine.residency.setting("--verified-on", "2026-02-30"), ["verified_on '2026-02-30' is not valid"]),
        .init("entrust --contract-signed-on", RegistryAddLine.entrust.setting("--contract-signed-on", "2026-02-30"), ["contract.signed_on '2026-02-30' is not valid"]),
        .init("provision --valid-to", RegistryAddLine.provision.setting("--valid-to", "2026-02-30"), ["valid_to '2026-02-30' is not valid"]),
        .init("provision record-add --provided-on", ["provision", "record-add", "persona-police", "--provided-on", "2026-02-30", "--data-subjects", "1 member", "--items", "name"], ["records.provided_on '2026-02-30' is not valid"]),
        .init("transmission --valid-from", RegistryAddLine.transmission.setting("--valid-from", "2026-02-30"), ["valid_from '2026-02-30' is not valid"]),
        .init("assess --assessed-on", RegistryAddLine.assess.setting("--assessed-on", "2026-02-30"), ["assessed_on '2026-02-30' is not valid"]),
        .init("entrust sub-add --approved-on", ["entrust", "sub-add", "persona-support", "--vendor", "hikari", "--approved-on", "2026-02-30"], ["approved_on '2026-02-30' is not valid"]),
        .init("vendor end --on", ["vendor", "end", "aws", "--on", "2026-02-30"], ["'2026-02-30' is not valid"]),
        .init("vendor list --as-of", ["vendor", "list", "--as-of", "2026-02-30"], ["as-of '2026-02-30' is not valid"]),
    ]

    @Test("an impossible date (2026-02-30) is refused", arguments: invalidDates)
    func invalidDateIsRefused(_ input: RegistryBadInput) async throws { try await expectRefused(input) }

    static let missingRequired: [RegistryBadInput] = [
        .init("organization without --country", RegistryAddLine.organization.removing("--country"), ["country is required"]),
        .init("service without --organization", RegistryAddLine.service.removing("--organization"), ["organization is required"]),
        .init("vendor without --kinds", RegistryAddLine.vendor.removing("--kinds"), ["kinds is required"]),
        .init("vendor without --risk-tier", RegistryAddLine.vendor.removing("--risk-tier"), ["risk_tier is required"]),
        .init("residency without --source", RegistryAddLine.residency.removing("--source"), ["source is required"]),
        .init("residency without a location", RegistryAddLine.residency.removing("--country"), ["a residency needs a country"]),
        .init("entrust without --categories", RegistryAddLine.entrust.removing("--categories"), ["categories is required"]),
        .init("provision without --purpose", RegistryAddLine.provision.removing("--purpose"), ["purpose is required"]),
        .init("provision legal_exception without --legal-exception", RegistryAddLine.provision.removing("--legal-exception"), ["legal_exception is required when basis is legal_exception"]),
        .init("transmission without --information", RegistryAddLine.transmission.removing("--information"), ["information is required"]),
        .init("transmission opt_out without --opt-out-url", RegistryAddLine.transmission.setting("--basis", "opt_out"), ["opt_out_url is required when basis is opt_out"]),
        .init("assess without --assessor", RegistryAddLine.assess.removing("--assessor"), ["assessor is required"]),
        .init("assess answer met without --evidence", ["assess", "answer", "assign-2026", "--item", "HUM-1", "--status", "met"], ["answers.evidence is required for HUM-1"]),
        .init("vendor add without a key", ["vendor", "add"] + RegistryAddLine.vendor.options, ["<key>"]),
        .init("provision record-add without --items", ["provision", "record-add", "persona-police", "--provided-on", "2025-06-02", "--data-subjects", "1 member"], ["--items"]),
        .init("assess answer without --status", ["assess", "answer", "assign-2026", "--item", "HUM-1"], ["--status"]),
        .init("vendor edit without options", ["vendor", "edit", "aws"], ["nothing to change"]),
        .init("vendor edit --clear of a required field", ["vendor", "edit", "aws", "--clear", "legal_name"], ["legal_name is required and cannot be cleared"]),
    ]

    @Test("a missing required option is refused, naming the field", arguments: missingRequired)
    func missingRequiredOptionIsRefused(_ input: RegistryBadInput) async throws { try await expectRefused(input) }

    // MARK: names, legal names and aliases

    @Test(
        "vendors resolve case-insensitively by key, legal name or alias in show, edit and --vendor",
        arguments: ["tsubame", "TSUBAME", "Tsubame Support K.K.", "tsubame support k.k.", "Swallow Desk", "SWALLOW DESK", "swallow desk"])
    func vendorResolvesByKeyLegalNameOrAlias(_ spelling: String) async throws {
        try await RegistryCLI.withRegistry { db in
            let shown = try RegistryCLI.succeed(["vendor", "show", spelling], db)
            #expect(shown.stdout.hasPrefix("key: tsubame\n"), "\(shown.stdout)")

            let edited = try RegistryCLI.succeed(["vendor", "edit", spelling, "--owner", "Support team"], db)
            #expect(edited.stdout == "changed vendor tsubame: owner\n")

            try RegistryCLI.succeed(RegistryAddLine.residency.setting("--vendor", spelling), db)
            try RegistryCLI.succeed(RegistryAddLine.assess.setting("--vendor", spelling), db)
            try RegistryCLI.succeed(RegistryAddLine.entrust.withKey("persona-desk").setting("--vendor", spelling), db)
            try RegistryCLI.succeed(RegistryAddLine.transmission.setting("--recipient", spelling), db)
            for (group, key, field) in [
                ("residency", "persona-tsubame-remote", "vendor"), ("assess", "tsubame-2026", "vendor"),
                ("entrust", "persona-desk", "vendor"), ("transmission", "persona-gtm", "recipient"),
            ] {
                let record = try RegistryCLI.jsonObject(try RegistryCLI.succeed([group, "show", key, "--format", "json"], db).stdout)
                #expect(record[field] as? String == "tsubame", "\(group) \(key): \(record)")
            }

            let ended = try RegistryCLI.succeed(["vendor", "end", spelling, "--on", "2026-01-01", "--cascade"], db)
            #expect(ended.stdout.hasSuffix("ended vendor tsubame on 2026-01-01\n"), "\(ended.stdout)")
        }
    }

    @Test(
        "services resolve case-insensitively by key or name in show, edit and --service",
        arguments: ["persona", "PERSONA", "Persona Recruiting", "persona recruiting", "PERSONA RECRUITING"])
    func serviceResolvesByKeyOrName(_ spelling: String) async throws {
        try await RegistryCLI.withRegistry { db in
            let shown = try RegistryCLI.succeed(["service", "show", spelling], db)
            #expect(shown.stdout.hasPrefix("key: persona\n"), "\(shown.stdout)")

            let edited = try RegistryCLI.succeed(["service", "edit", spelling, "--owner", "Product team"], db)
            #expect(edited.stdout == "changed service persona: owner\n")

            try RegistryCLI.succeed(RegistryAddLine.residency.setting("--service", spelling), db)
            try RegistryCLI.succeed(RegistryAddLine.provision.setting("--service", spelling), db)
            try RegistryCLI.succeed(RegistryAddLine.transmission.setting("--service", spelling), db)
            for (group, key) in [("residency", "persona-tsubame-remote"), ("provision", "persona-police-2"), ("transmission", "persona-gtm")] {
                let record = try RegistryCLI.jsonObject(try RegistryCLI.succeed([group, "show", key, "--format", "json"], db).stdout)
                #expect(record["service"] as? String == "persona", "\(group) \(key): \(record)")
            }
        }
    }

    @Test("organizations resolve by name in --organization", arguments: ["assign", "ASSIGN", "ASSIGN Inc.", "assign inc."])
    func organizationResolvesByName(_ spelling: String) async throws {
        try await RegistryCLI.withRegistry { db in
            try RegistryCLI.succeed(RegistryAddLine.service.setting("--organization", spelling), db)
            try RegistryCLI.succeed(RegistryAddLine.assess.removing("--vendor") + ["--organization", spelling], db)
            let service = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["service", "show", "persona-scout", "--format", "json"], db).stdout)
            let assessment = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["assess", "show", "tsubame-2026", "--format", "json"], db).stdout)
            #expect(service["organization"] as? String == "assign")
            #expect(assessment["organization"] as? String == "assign")
        }
    }

    // MARK: nested lists

    @Test("sub-add, record-add and answer add to the record's nested list and are audited")
    func nestedListCommandsAddToTheRecord() async throws {
        try await RegistryCLI.withRegistry { db in
            let sub = try RegistryCLI.succeed(
                ["entrust", "sub-add", "persona-support", "--vendor", "Hikari Mail K.K.", "--countries", "JP", "--work", "Bulk email delivery", "--approved-on", "2021-03-25", "--actor", Self.alice], db)
            #expect(sub.stdout == "sub-entrustee hikari recorded on entrustment persona-support\n")
            let entrustment = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["entrust", "show", "persona-support", "--format", "json"], db).stdout)
            let subs = try #require(entrustment["sub_entrustees"] as? [[String: Any]])
            #expect(subs.count == 1)
            #expect(subs.first?["vendor"] as? String == "hikari")
            #expect(subs.first?["countries"] as? [String] == ["JP"])

            let record = try RegistryCLI.succeed(
                ["provision", "record-add", "persona-police", "--provided-on", "2025-06-02", "--data-subjects", "1 member (ID 4711)", "--items", "name", "--actor", Self.alice], db)
            #expect(record.stdout == "provision record of 2025-06-02 added to persona-police; it must be kept until 2028-06-02: 3 years from the record's making on the day of provision (PPC Rules Art. 21(iii))\n")
            let provision = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["provision", "show", "persona-police", "--format", "json"], db).stdout)
            let records = try #require(provision["records"] as? [[String: Any]])
            #expect(records.count == 1)
            #expect(records.first?["retain_until"] as? String == "2028-06-02", "retention_years defaults to 3")

            let answer = try RegistryCLI.succeed(
                ["assess", "answer", "assign-2026", "--item", "HUM-1", "--status", "met", "--evidence", "Training records FY2026", "--actor", Self.alice], db)
            #expect(answer.stdout == "HUM-1 answered met on assign-2026\n")
            let assessment = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["assess", "show", "assign-2026", "--format", "json"], db).stdout)
            let answers = try #require(assessment["answers"] as? [[String: Any]])
            #expect(answers.map { $0["item"] as? String } == ["HUM-1"])

            let connection = try db.connect()
            defer { connection.close() }
            let actors = try connection.query(
                "SELECT DISTINCT entity || ':' || entity_key AS what FROM audit_log WHERE actor = $1 ORDER BY 1", [Self.alice]
            ).rows.map { try $0.decode(String.self, "what") }
            #expect(actors == ["assessment:assign-2026#HUM-1", "entrustment:persona-support#sub:hikari", "provision:persona-police#record:2025-06-02:1 member (ID 4711)"])
        }
    }

    // MARK: listings

    @Test("list prints a table, JSON and CSV", arguments: RegistryGroupCase.all)
    func listPrintsEveryFormat(_ group: RegistryGroupCase) async throws {
        try await RegistryCLI.withRegistry { db in
            let table = try RegistryCLI.succeed([group.group, "list"], db)
            let tableLines = table.stdout.split(separator: "\n").map(String.init)
            #expect(tableLines.first?.hasPrefix("KEY ") == true, "\(table.stdout)")
            #expect(tableLines.dropFirst().contains { $0.hasPrefix(group.existingKey + " ") }, "\(table.stdout)")

            let explicitTable = try RegistryCLI.succeed([group.group, "list", "--format", "table"], db)
            #expect(explicitTable.stdout == table.stdout)

            let json = try RegistryCLI.succeed([group.group, "list", "--format", "json"], db)
            let keys = try RegistryCLI.jsonArray(json.stdout).compactMap { $0["key"] as? String }
            #expect(keys.contains(group.existingKey), "\(json.stdout)")
            #expect(tableLines.count == keys.count + 1)

            let csv = try RegistryCLI.succeed([group.group, "list", "--format", "csv"], db)
            let csvLines = csv.stdout.split(separator: "\n").map(String.init)
            #expect(csvLines.first?.hasPrefix("key,") == true, "\(csv.stdout)")
            #expect(csvLines.count == keys.count + 1, "\(csv.stdout)")
            #expect(csvLines.dropFirst().contains { $0.hasPrefix(group.existingKey + ",") }, "\(csv.stdout)")

            let bad = try RegistryCLI.run([group.group, "list", "--format", "xml"], db)
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("xml"), "\(RegistryCLI.describe(bad))")
        }
    }

    @Test("list --format csv re-imports: unchanged into the same registry, identical into a fresh one")
    func csvListingsReimport() async throws {
        let sections = [
            ("organization", "organizations"), ("service", "services"), ("vendor", "vendors"),
            ("residency", "residencies"), ("transmission", "transmissions"),
        ]
        let directory = try RegistryCLI.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var listings: [String: String] = [:]
        var files: [(String, URL)] = []
        try await RegistryCLI.withRegistry { db in
            let before = try RegistryCLI.rowCounts(db)
            for (group, section) in sections {
                let csv = try RegistryCLI.succeed([group, "list", "--format", "csv"], db).stdout
                listings[group] = csv
                let file = try RegistryCLI.write(csv, named: section + ".csv", in: directory)
                files.append((group, file))
                let imported = try RegistryCLI.succeed(["import", file.path], db)
                #expect(imported.stdout.hasSuffix(": 0 added, 0 changed, \(csv.split(separator: "\n").count - 1) unchanged\n"), "\(imported.stdout)")
            }
            #expect(try RegistryCLI.rowCounts(db) == before)
        }
        try await TestDatabase.with(.seeded) { db in
            for (group, file) in files {
                let imported = try RegistryCLI.succeed(["import", file.path], db)
                #expect(imported.stdout.contains(" added, 0 changed, 0 unchanged"), "\(imported.stdout)")
                let again = try RegistryCLI.succeed([group, "list", "--format", "csv"], db)
                #expect(again.stdout == listings[group], "\(group)")
            }
        }
    }

    // MARK: help

    @Test(
        "--help of every add command exits 0 and shows an example",
        arguments: [
            ["organization", "add"], ["service", "add"], ["vendor", "add"], ["residency", "add"], ["entrust", "add"],
            ["provision", "add"], ["transmission", "add"], ["assess", "add"],
            ["entrust", "sub-add"], ["provision", "record-add"], ["assess", "answer"],
        ])
    func addHelpShowsAnExample(_ command: [String]) throws {
        let result = try RegistryCLI.run(command + ["--help"], nil)
        #expect(result.status == 0, "\(RegistryCLI.describe(result))")
        let example = "domicile " + command.joined(separator: " ") + " "
        let lines = result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains { $0.hasPrefix(example) }, "no line starts with `\(example)`:\n\(result.stdout)")
        // The example, with its continuation lines, fits an 80-column terminal.
        let exampleLines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("  " + example) || $0.hasPrefix("      --") }
        #expect(exampleLines.allSatisfy { $0.count <= 80 }, "example lines over 80 columns:\n\(exampleLines.joined(separator: "\n"))")
    }

    // MARK: import and export

    @Test(
        "malformed YAML is refused with file:line and nothing is written",
        arguments: [
            // libyaml notices an unclosed quote only at the end of the file
            ("unclosed quote", "vendors:\n  - key: sakura\n    legal_name: \"SAKURA internet\n  - key: other\n", 5),
            ("bad indentation", "vendors:\n  - key: sakura\n    legal_name: SAKURA internet Inc.\n   kinds: [cloud_provider]\n", 4),
            ("unclosed flow list", "vendors:\n  - key: sakura\n    kinds: [cloud_provider\n    headquarters: JP\n", 4),
        ])
    func malformedYAMLIsRefused(_ label: String, _ text: String, _ line: Int) async throws {
        let directory = try RegistryCLI.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try RegistryCLI.write(text, named: "bad.yaml", in: directory)
        try await expectRefused(RegistryBadInput(label, ["import", file.path], ["\(file.path):\(line)", "malformed YAML"]))
    }

    static let vendorColumns = "key,legal_name,name_ja,aliases,kinds,headquarters,website,trust_url,privacy_url,dpa_url,subprocessors_url,certifications,risk_tier,owner,notes,valid_from,valid_to"

    @Test("a CSV with a missing column is refused, naming the column")
    func csvWithAMissingColumnIsRefused() async throws {
        let directory = try RegistryCLI.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let header = Self.vendorColumns.replacingOccurrences(of: ",owner", with: "")
        let file = try RegistryCLI.write(
            header + "\nsakura,SAKURA internet Inc.,,,cloud_provider,JP,,,,,,,medium,,2022-04-01,\n", named: "vendors.csv", in: directory)
        try await expectRefused(RegistryBadInput("missing owner", ["import", file.path], ["\(file.path):1", "missing column(s) owner"]))
    }

    @Test("a CSV with an extra column is refused, naming the column")
    func csvWithAnExtraColumnIsRefused() async throws {
        let directory = try RegistryCLI.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try RegistryCLI.write(
            Self.vendorColumns + ",colour\nsakura,SAKURA internet Inc.,,,cloud_provider,JP,,,,,,,medium,,,2022-04-01,,blue\n",
            named: "vendors.csv", in: directory)
        try await expectRefused(RegistryBadInput("extra colour", ["import", file.path], ["\(file.path):1", "unknown column 'colour'"]))
    }

    @Test("a file with invalid UTF-8 is refused", arguments: ["vendors.csv", "registry.yaml"])
    func invalidUTF8IsRefused(_ name: String) async throws {
        let directory = try RegistryCLI.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var data = Data(
            (name.hasSuffix(".csv")
                ? Self.vendorColumns + "\nsakura,SAKURA "
                : "vendors:\n  - key: sakura\n    legal_name: SAKURA ").utf8)
        data.append(contentsOf: [0xC3, 0x28, 0xFF])
        data.append(contentsOf: Array(
            (name.hasSuffix(".csv")
                ? " internet Inc.,,,cloud_provider,JP,,,,,,,medium,,,2022-04-01,\n"
                : " internet Inc.\n    kinds: [cloud_provider]\n    headquarters: JP\n    risk_tier: medium\n    valid_from: 2022-04-01\n").utf8))
        let file = try RegistryCLI.write(data, named: name, in: directory)
        try await expectRefused(RegistryBadInput(name, ["import", file.path], ["not valid UTF-8", "\(file.path):"]))
    }

    static let partYAML = """
        vendors:
          - key: sakura
            legal_name: SAKURA internet Inc.
            kinds: [cloud_provider]
            headquarters: JP
            risk_tier: medium
            valid_from: 2022-04-01
        residencies:
          - key: persona-sakura-backup
            service: persona
            vendor: sakura
            role: backup
            categories: [user.name]
            region: sakura/is1b
            source: SAKURA control panel
            verified_on: 2026-11-01
            asserted_by: legal@a-ssign.example
            valid_from: 2022-04-01

        """

    @Test("importing the same file twice adds nothing the second time")
    func importingTwiceChangesNothing() async throws {
        let directory = try RegistryCLI.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await RegistryCLI.withRegistry { db in
            let file = try RegistryCLI.write(Self.partYAML, named: "part.yaml", in: directory)

            let first = try RegistryCLI.succeed(["import", file.path], db)
            #expect(first.stdout.hasSuffix(": 2 added, 0 changed, 0 unchanged\n"), "\(first.stdout)")
            let afterFirst = try RegistryCLI.rowCounts(db)

            let second = try RegistryCLI.succeed(["import", file.path], db)
            #expect(second.stdout == "imported \(file.path): 0 added, 0 changed, 2 unchanged\n")
            #expect(try RegistryCLI.rowCounts(db) == afterFirst, "a second import writes no rows, audit_log included")
        }
    }

    @Test("import --dry-run reports what it would do and writes nothing")
    func dryRunWritesNothing() async throws {
        let directory = try RegistryCLI.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try RegistryCLI.write(
            """
            vendors:
              - key: sakura
                legal_name: SAKURA internet Inc.
                kinds: [cloud_provider]
                headquarters: JP
                risk_tier: medium
                valid_from: 2022-04-01
              - key: aws
                legal_name: Amazon Web Services, Inc.
                aliases: [AWS, Amazon]
                kinds: [cloud_provider]
                headquarters: US
                risk_tier: critical
                valid_from: 2020-04-01

            """, named: "vendors.yaml", in: directory)
        try await RegistryCLI.withRegistry { db in
            let before = try RegistryCLI.rowCounts(db)
            let result = try RegistryCLI.succeed(["import", file.path, "--dry-run"], db)
            #expect(
                result.stdout
                    == "would add     vendor sakura\nwould change  vendor aws: risk_tier\ndry run: 1 added, 1 changed, 0 unchanged; nothing was written\n")
            #expect(try RegistryCLI.rowCounts(db) == before)
            let aws = try RegistryCLI.jsonObject(try RegistryCLI.succeed(["vendor", "show", "aws", "--format", "json"], db).stdout)
            #expect(aws["risk_tier"] as? String == "high")
        }
    }

    @Test("seed --example persona, export, import into a fresh registry, export: the same bytes")
    func exportImportExportIsByteIdentical() async throws {
        let directory = try RegistryCLI.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await TestDatabase.with(.seeded) { db in
            try RegistryCLI.succeed(["seed", "--example", "persona"], db)
            return try RegistryCLI.succeed(["export"], db).stdout
        }
        #expect(first.contains("\nvendors:\n"), "the example registry has vendors")
        #expect(first.contains("\nresidencies:\n"))
        let file = try RegistryCLI.write(first, named: "registry.yaml", in: directory)
        let second = try await TestDatabase.with(.seeded) { db in
            let imported = try RegistryCLI.succeed(["import", file.path], db)
            #expect(imported.stdout.contains(" added, "), "\(imported.stdout)")
            return try RegistryCLI.succeed(["export"], db).stdout
        }
        #expect(first == second, "the second export differs:\n\(Self.firstDifference(first, second))")
    }

    static func firstDifference(_ lhs: String, _ rhs: String) -> String {
        let left = lhs.components(separatedBy: "\n")
        let right = rhs.components(separatedBy: "\n")
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? left[index] : "<end>"
            let r = index < right.count ? right[index] : "<end>"
            if l != r { return "line \(index + 1):\n- \(l)\n+ \(r)" }
        }
        return "(none)"
    }

    // MARK: database unavailable

    @Test(
        "a registry command against an unreachable database exits 3 with one line naming host:port",
        arguments: [
            ["organization", "list"], ["organization", "add", "x", "--name", "X", "--country", "JP"],
            ["service", "show", "persona"], ["service", "edit", "persona", "--owner", "x"],
            ["vendor", "list", "--format", "json"], ["vendor", "end", "aws"],
            ["residency", "list", "--all"], ["entrust", "sub-add", "persona-support", "--vendor", "hikari"],
            ["provision", "record-add", "persona-police", "--provided-on", "2025-06-02", "--data-subjects", "x", "--items", "y"],
            ["transmission", "show", "persona-ga"], ["assess", "answer", "assign-2026", "--item", "HUM-1", "--status", "unmet"],
            ["import", "docs/examples/vendors.csv"], ["export"], ["seed"], ["audit"],
            ["country", "list"], ["region", "list"], ["checklist", "list"], ["category", "list"],
        ])
    func unreachableDatabaseExitsThree(_ command: [String]) throws {
        let viaEnvironment = try RegistryCLI.run(command, nil, url: RegistryCLI.unreachableURL)
        let viaOption = try RegistryCLI.run(command + ["--database-url", RegistryCLI.unreachableURL], nil, url: "postgresql://postgres@127.0.0.1:2/y")
        for result in [viaEnvironment, viaOption] {
            #expect(result.status == 3, "\(RegistryCLI.describe(result))")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(result.stderr.contains("127.0.0.1:1"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }
}
