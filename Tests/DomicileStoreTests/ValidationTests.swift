import DomicileCore
import DomicileStore
import Foundation
import Postgres
import TestSupport
import Testing

/// A refused import names every problem (file:line, YAML path, field, the offending value
/// and what to write instead) and writes nothing.
@Suite("Import validation")
struct ValidationTests {
    typealias Issue = DomicileCore.Issue

    static func only(_ issues: [Issue], sourceLocation: SourceLocation = #_sourceLocation) throws -> Issue {
        #expect(issues.count == 1, "expected one issue, got: \(issues.map(\.description))", sourceLocation: sourceLocation)
        return try #require(issues.first, sourceLocation: sourceLocation)
    }

    // MARK: All at once

    static let severalBadRecords: String = {
        let longName = String(repeating: "x", count: 501)
        return """
            vendors:
              - key: tokyo-mail
                legal_name: Tokyo Mail K.K.
                kinds: [entrustee]
                headquarters: JA
                risk_tier: low
                valid_from: 2025-01-01
              - key: ended-early
                legal_name: Ended Early Inc.
                kinds: [entrustee]
                headquarters: JP
                risk_tier: low
                valid_from: 2025-01-01
                valid_to: 2024-12-31
              - key: long-name
                legal_name: \(longName)
                kinds: [entrustee]
                headquarters: JP
                risk_tier: low
                valid_from: 2025-01-01
              - key: twice
                legal_name: Twice Inc.
                kinds: [entrustee]
                headquarters: JP
                risk_tier: low
                valid_from: 2025-01-01
              - key: twice
                legal_name: Twice Again Inc.
                kinds: [entrustee]
                headquarters: JP
                risk_tier: low
                valid_from: 2025-01-01
              - key: typo-field
                legal_name: Typo Field Inc.
                kinds: [entrustee]
                headquarters: JP
                risk_tier: low
                risk_teir: low
                valid_from: 2025-01-01
            residencies:
            \(WritePath.residency("shop-storag", "role: storag\ncountry: JP").replacingOccurrences(of: "    role: storage\n", with: ""))\
            \(WritePath.residency("shop-unknown-vendor").replacingOccurrences(of: "vendor: cloudco", with: "vendor: cloudko"))\
            \(WritePath.residency("shop-mismatch", "country: US\nregion: aws/ap-northeast-1"))\
            \(WritePath.residency("shop-both", "country: JP\nundisclosed:\n  reason: the provider does not say\n  candidates: [JP, US]"))\
            transmissions:
              - key: shop-tag
                service: shop
                tool: Tag Manager
                recipient: cloudco
                information: [IP address]
                purpose: measuring visits
                basis: opt_out
                valid_from: 2025-01-01
            assessments:
              - key: acme-security-2025
                template: appi-security-2022
                organization: acme
                assessed_on: 2025-02-01
                assessor: internal audit
                next_review_on: 2026-02-01
                answers:
                  - item: BP-1
                    status: met

            """
    }()

    @Test("A file with many bad records reports every issue at once, each located, and writes nothing")
    func importReportsEveryIssueOfEveryRecordAtOnceAndWritesNothing() async throws {
        try await WritePath.withBase { db, store in
            let text = Self.severalBadRecords
            let issues = try WritePath.rejectedIssues(text, file: "bad.yaml", into: store)
            func issue(_ code: String, _ field: String, sourceLocation: SourceLocation = #_sourceLocation) -> Issue? {
                let found = issues.first { $0.code == code && $0.field == field }
                #expect(found != nil, "no \(code) on \(field) in: \(issues.map(\.description))", sourceLocation: sourceLocation)
                return found
            }
            func line(_ needle: String) -> Int { WritePath.line(of: needle, in: text) }

            let country = issue("input.unknown_country", "headquarters")
            #expect(country?.location == "bad.yaml:\(line("headquarters: JA")) (vendors[0].headquarters)")
            #expect(country?.message.contains("'JA'") == true)
            #expect(country?.message.contains("JP (Japan)") == true)

            let order = issue("input.end_before_start", "valid_to")
            #expect(order?.location == "bad.yaml:\(line("valid_to: 2024-12-31")) (vendors[1].valid_to)")
            #expect(order?.message.contains("2024-12-31") == true)

            let long = issue("input.too_long", "legal_name")
            #expect(long?.location == "bad.yaml:\(line("legal_name: xxx")) (vendors[2].legal_name)")
            #expect(long?.message.contains("501") == true)

            let duplicate = issue("input.duplicate_key", "key")
            #expect(duplicate?.value == "twice")
            #expect(duplicate?.location?.hasPrefix("bad.yaml:\(line("legal_name: Twice Again") - 1) (vendors[4].key)") == true)

            let unknownField = issue("input.unknown_field", "risk_teir")
            #expect(unknownField?.location == "bad.yaml:\(line("risk_teir")) (vendors[5].risk_teir)")
            #expect(unknownField?.message.contains("did you mean risk_tier?") == true)

            let role = issue("input.invalid_role", "role")
            #expect(role?.location == "bad.yaml:\(line("role: storag")) (residencies[0].role)")

            let vendor = issue("input.unknown_vendor", "vendor")
            #expect(vendor?.location == "bad.yaml:\(line("vendor: cloudko")) (residencies[1].vendor)")

            let region = issue("input.region_country_mismatch", "region")
            #expect(region?.location?.hasPrefix("bad.yaml:") == true)
            #expect(region?.location?.hasSuffix("(residencies[2].region)") == true)

            let both = issue("input.conflicting_location", "undisclosed")
            #expect(both?.location?.hasSuffix("(residencies[3].undisclosed)") == true)

            let optOut = issue("input.missing_field", "opt_out_url")
            #expect(optOut?.location == "bad.yaml:\(line("basis: opt_out")) (transmissions[0].basis)")

            let evidence = issue("input.missing_field", "answers.evidence")
            #expect(evidence?.location == "bad.yaml:\(line("status: met")) (assessments[0].answers[0].status)")

            #expect(issues.allSatisfy { $0.location?.hasPrefix("bad.yaml:") == true }, "\(issues.map(\.description))")
            // The unknown field hides nothing else: the typo record is checked too (risk_tier is still given).
            #expect(issues.count == 11, "\(issues.map(\.description))")
        }
    }

    // MARK: One case each

    @Test("Unknown country 'JA' is refused with the suggestion JP (Japan)")
    func importRejectsUnknownCountryAndSuggestsJapan() async throws {
        try await WritePath.withBase { _, store in
            let text = WritePath.base.replacingOccurrences(of: "country: JP", with: "country: JA")
            let issue = try Self.only(try WritePath.rejectedIssues(text, into: store))
            #expect(issue.code == "input.unknown_country")
            #expect(issue.field == "country")
            #expect(issue.value == "JA")
            #expect(issue.message == "country 'JA' is not an ISO 3166-1 alpha-2 country code; did you mean JP (Japan)?")
            #expect(issue.location == "bad.yaml:\(WritePath.line(of: "country: JA", in: text)) (organizations[0].country)")
        }
    }

    @Test("valid_to before valid_from is refused: an end must come after the start")
    func importRefusesEndBeforeStart() async throws {
        try await WritePath.withBase { _, store in
            let text = WritePath.base.replacingOccurrences(
                of: "    valid_from: 2024-04-01\nvendors:", with: "    valid_from: 2024-04-01\n    valid_to: 2024-03-31\nvendors:")
            let issue = try Self.only(try WritePath.rejectedIssues(text, into: store))
            #expect(issue.code == "input.end_before_start")
            #expect(issue.field == "valid_to")
            #expect(issue.message.contains("valid_to 2024-03-31 is not after valid_from 2024-04-01"))
            #expect(issue.message.contains("end must come after the start"))
            #expect(issue.location == "bad.yaml:\(WritePath.line(of: "valid_to: 2024-03-31", in: text)) (services[0].valid_to)")
        }
    }

    @Test("A reference to an unknown vendor is refused with the nearest key suggested")
    func importRejectsUnknownVendorReferenceWithSuggestion() async throws {
        try await WritePath.withBase { _, store in
            let text = "residencies:\n" + WritePath.residency("shop-db").replacingOccurrences(of: "vendor: cloudco", with: "vendor: cloud-co")
            let issue = try Self.only(try WritePath.rejectedIssues(text, into: store))
            #expect(issue.code == "input.unknown_vendor")
            #expect(issue.field == "vendor")
            #expect(issue.message.contains("'cloud-co'"))
            #expect(issue.message.contains("did you mean cloudco?"))
            #expect(issue.location == "bad.yaml:4 (residencies[0].vendor)")
        }
    }

    @Test("The same key twice in one file is refused, naming both places")
    func importRejectsDuplicateKeyWithinAFile() async throws {
        try await WritePath.withBase { _, store in
            let text = "residencies:\n" + WritePath.residency("shop-db") + WritePath.residency("shop-db", "country: US")
            let issue = try Self.only(try WritePath.rejectedIssues(text, into: store))
            #expect(issue.code == "input.duplicate_key")
            #expect(issue.value == "shop-db")
            #expect(issue.message.contains("residency 'shop-db' appears twice"))
            #expect(issue.message.contains("first at bad.yaml:2 (residencies[0])"))
            #expect(issue.location == "bad.yaml:12 (residencies[1].key)")
        }
    }

    @Test("Malformed YAML is reported at the line of the syntax error")
    func malformedYAMLReportsTheLineOfTheError() async throws {
        try await WritePath.withBase { _, store in
            let text = """
                vendors:
                  - key: broken
                    legal_name: "Broken Inc.
                    kinds: [entrustee]
                  - key: [unclosed

                """
            let issues = try WritePath.rejectedIssues(text, into: store)
            let issue = try Self.only(issues)
            #expect(issue.code == "input.malformed_yaml")
            #expect(issue.message.hasPrefix("malformed YAML"))
            // libyaml notices the unclosed quote only at the end of the file; the message says where it opened.
            #expect(issue.location == "bad.yaml:6", "\(issue.description)")
            #expect(issue.message.contains("quoted scalar that starts at line 3"), "\(issue.description)")

            let mapping = """
                vendors:
                  - key: ok
                    legal_name: OK Inc.
                    kinds: entrustee
                     risk_tier: low

                """
            let second = try Self.only(try WritePath.rejectedIssues(mapping, into: store))
            #expect(second.code == "input.malformed_yaml")
            #expect(second.location == "bad.yaml:5", "\(second.description)")
        }
    }

    @Test("A misspelt enum value is refused with the allowed values and the nearest one")
    func wrongEnumValueSuggestsTheNearestValue() async throws {
        try await WritePath.withBase { _, store in
            let text = "residencies:\n" + WritePath.residency("shop-db").replacingOccurrences(of: "role: storage", with: "role: storag")
            let issue = try Self.only(try WritePath.rejectedIssues(text, into: store))
            #expect(issue.code == "input.invalid_role")
            #expect(issue.value == "storag")
            #expect(issue.message.contains("role 'storag' is not allowed"))
            #expect(issue.message.contains("storage, processing, backup, remote_access"))
            #expect(issue.message.contains("did you mean storage?"))
            #expect(issue.location == "bad.yaml:5 (residencies[0].role)")
        }
    }

    @Test("A name over 500 characters is refused with its length and the limit")
    func oversizedNameReportsLengthAndLimit() async throws {
        try await WritePath.withBase { _, store in
            let name = String(repeating: "名", count: 501)
            let text = WritePath.base.replacingOccurrences(of: "name: Acme Shop", with: "name: \(name)")
            let issue = try Self.only(try WritePath.rejectedIssues(text, into: store))
            #expect(issue.code == "input.too_long")
            #expect(issue.field == "name")
            #expect(issue.message == "name is 501 characters long; at most 500 are allowed")
            #expect(issue.value?.hasPrefix("名名名") == true)
            #expect(issue.location == "bad.yaml:\(WritePath.line(of: "name: 名", in: text)) (services[0].name)")

            // 500 is allowed
            let fits = WritePath.base.replacingOccurrences(of: "name: Acme Shop", with: "name: \(String(repeating: "名", count: 500))")
            #expect(try WritePath.importText(fits, into: store).changed.map(\.fields) == [["name"]])
        }
    }

    @Test("Bytes that are not UTF-8 are refused with the byte offset and line")
    func invalidUTF8ReportsByteOffsetAndLine() async throws {
        try await WritePath.withBase { _, store in
            let original = Array(WritePath.base.utf8)
            // "CloudCo Inc." → "\u{FF}loudCo Inc."
            let target = try #require(original.indices.first { original[$0...].starts(with: Array("CloudCo Inc.".utf8)) })
            var bytes = original
            bytes[target] = 0xFF
            let expectedLine = WritePath.line(of: "CloudCo Inc.", in: WritePath.base)
            let issue = try Self.only(try WritePath.rejectedIssues(bytes: bytes, file: "latin1.yaml", into: store))
            #expect(issue.code == "input.invalid_utf8")
            #expect(issue.message.contains("0xFF"))
            #expect(issue.message.contains("byte offset \(target)"))
            #expect(issue.location == "latin1.yaml:\(expectedLine)")

            // A truncated multi-byte sequence at the very end is caught too.
            let truncated = Array("vendors: []\n# 日".utf8).dropLast()
            let cut = try Self.only(try WritePath.rejectedIssues(bytes: Array(truncated), file: "cut.yaml", into: store))
            #expect(cut.code == "input.invalid_utf8")
            #expect(cut.location == "cut.yaml:2")
        }
    }

    @Test("An unknown field is refused with the nearest field name")
    func unknownFieldSuggestsTheNearestField() async throws {
        try await WritePath.withBase { _, store in
            let text = WritePath.base.replacingOccurrences(of: "legal_name: CloudCo Inc.", with: "legal_name: CloudCo Inc.\n    webiste: https://cloudco.example/")
            let issue = try Self.only(try WritePath.rejectedIssues(text, into: store))
            #expect(issue.code == "input.unknown_field")
            #expect(issue.field == "webiste")
            #expect(issue.message.contains("unknown field 'webiste' for vendor"))
            #expect(issue.message.contains("did you mean website?"))
            #expect(issue.location == "bad.yaml:\(WritePath.line(of: "webiste", in: text)) (vendors[0].webiste)")
        }
    }

    @Test("A region in another country than the residency's is refused, naming both countries")
    func regionInAnotherCountryIsRefused() async throws {
        try await WritePath.withBase { _, store in
            let text = "residencies:\n" + WritePath.residency("shop-db", "country: US\nregion: aws/ap-northeast-1")
            let issue = try Self.only(try WritePath.rejectedIssues(text, into: store))
            #expect(issue.code == "input.region_country_mismatch")
            #expect(issue.value == "aws/ap-northeast-1")
            #expect(issue.message.contains("region 'aws/ap-northeast-1' is in JP (Japan), not US"))
            #expect(issue.location == "bad.yaml:\(WritePath.line(of: "region:", in: text)) (residencies[0].region)")
        }
    }

    @Test("A residency with both a country and undisclosed is refused")
    func residencyWithCountryAndUndisclosedIsRefused() async throws {
        try await WritePath.withBase { _, store in
            let text = "residencies:\n" + WritePath.residency(
                "shop-db", "country: JP\nundisclosed:\n  reason: the provider does not say\n  candidates: [JP, US]")
            let issue = try Self.only(try WritePath.rejectedIssues(text, into: store))
            #expect(issue.code == "input.conflicting_location")
            #expect(issue.message.contains("either a country/region or undisclosed, not both"))
            #expect(issue.message.contains("country JP and undisclosed"), "the message should name the country given: \(issue.message)")
            #expect(issue.value == "JP")
            #expect(issue.location?.hasSuffix("(residencies[0].undisclosed)") == true)
        }
    }

    @Test("An answer 'met' without evidence is refused, naming the item")
    func metAnswerWithoutEvidenceIsRefused() async throws {
        try await WritePath.withBase { _, store in
            let text = """
                assessments:
                  - key: acme-security-2025
                    template: appi-security-2022
                    organization: acme
                    assessed_on: 2025-02-01
                    assessor: internal audit
                    next_review_on: 2026-02-01
                    answers:
                      - item: BP-1
                        status: met
                        evidence: the published policy
                      - item: ORG-2
                        status: met
                        note: the evidence is missing

                """
            let issue = try Self.only(try WritePath.rejectedIssues(text, into: store))
            #expect(issue.code == "input.missing_field")
            #expect(issue.field == "answers.evidence")
            #expect(issue.message.contains("ORG-2"))
            #expect(issue.message.contains("status is met"))
            #expect(issue.location == "bad.yaml:13 (assessments[0].answers[1].status)")
        }
    }

    @Test("A transmission with basis opt_out and no opt_out_url is refused")
    func optOutTransmissionWithoutURLIsRefused() async throws {
        try await WritePath.withBase { _, store in
            let text = """
                transmissions:
                  - key: shop-tag
                    service: shop
                    tool: Tag Manager
                    recipient: cloudco
                    information: [IP address]
                    purpose: measuring visits
                    basis: opt_out
                    valid_from: 2025-01-01

                """
            let issue = try Self.only(try WritePath.rejectedIssues(text, into: store))
            #expect(issue.code == "input.missing_field")
            #expect(issue.field == "opt_out_url")
            #expect(issue.message.contains("basis is opt_out"))
            #expect(issue.location == "bad.yaml:8 (transmissions[0].basis)")

            let fixed = text.replacingOccurrences(of: "basis: opt_out", with: "basis: opt_out\n    opt_out_url: https://acme.example/opt-out")
            #expect(try WritePath.importText(fixed, into: store).added.map(\.key) == ["shop-tag"])
        }
    }
}
