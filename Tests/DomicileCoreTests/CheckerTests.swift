import DomicileCore
import Foundation
import Testing

/// Each rule of `domicile check` fires on a violation crafted for it, and on nothing else of the
/// clean registry (Tests/Fixtures/check/clean.yaml, as of 2026-12-01).
@Suite struct CheckerTests {
    /// One crafted violation: how to make it from the clean registry, and what must be found.
    struct Violation: Sendable, CustomTestStringConvertible {
        var rule: String
        var subject: String
        /// Replaces the clean policy (policy rules only).
        var policy: String? = nil
        var change: @Sendable (inout RegistryDocument) throws -> Void = { _ in }
        var testDescription: String { rule }
    }

    static func findings(_ document: RegistryDocument, policy: String? = nil, asOf: Day = CheckFixture.day) -> [Finding] {
        Checker.run(CheckFixture.snapshot(document, asOf: asOf), policy: policy.map(PolicyText.init))
    }

    static func describe(_ findings: [Finding]) -> String {
        findings.map { "\($0.rule.id) \($0.subject): \($0.message)" }.joined(separator: "\n")
    }

    @Test func cleanRegistryHasNoFindingsWithOrWithoutItsPolicy() throws {
        let document = try CheckFixture.cleanDocument()
        let plain = Self.findings(document)
        #expect(plain.isEmpty, "\(Self.describe(plain))")
        let drift = Self.findings(document, policy: try CheckFixture.text("clean-policy.md"))
        #expect(drift.isEmpty, "\(Self.describe(drift))")
    }

    static let cleanPolicy = (try? CheckFixture.text("clean-policy.md")) ?? ""

    static let violations: [Violation] = [
        Violation(rule: "contract.missing", subject: "entrustment/shop-nimbus-hosting") { document in
            document.edit(.entrustment, "shop-nimbus-hosting") { $0["contract"] = nil }
        },
        Violation(rule: "contract.expired", subject: "entrustment/shop-helper-desk") { document in
            document.edit(.entrustment, "shop-helper-desk") { $0.edit("contract") { $0["expires_on"] = .string("2026-12-01") } }
        },
        Violation(rule: "contract.expiring", subject: "entrustment/shop-helper-desk") { document in
            document.edit(.entrustment, "shop-helper-desk") { $0.edit("contract") { $0["expires_on"] = .string("2027-02-28") } }
        },
        Violation(rule: "contract.renewal_unrecorded", subject: "entrustment/shop-helper-desk") { document in
            document.edit(.entrustment, "shop-helper-desk") {
                $0.edit("contract") {
                    $0["expires_on"] = .string("2026-11-30")
                    $0["renewal"] = .string("automatic")
                }
            }
        },
        Violation(rule: "dpa.missing", subject: "entrustment/shop-helper-desk") { document in
            document.edit(.entrustment, "shop-helper-desk") { $0.edit("contract") { $0["dpa_signed_on"] = nil } }
        },
        Violation(rule: "dpa.expired", subject: "entrustment/shop-helper-desk") { document in
            document.edit(.entrustment, "shop-helper-desk") { $0.edit("contract") { $0["dpa_expires_on"] = .string("2026-11-15") } }
        },
        Violation(rule: "review.overdue", subject: "vendor/helper") { document in
            document.edit(.assessment, "helper-supervision-2026") { $0["next_review_on"] = .string("2026-11-30") }
        },
        Violation(rule: "review.due_soon", subject: "assessment/acme-security-2026") { document in
            document.edit(.assessment, "acme-security-2026") { $0["next_review_on"] = .string("2026-12-31") }
        },
        Violation(rule: "checklist.mandatory_unmet", subject: "assessment/acme-security-2026") { document in
            document.edit(.assessment, "acme-security-2026") {
                $0.editEach("answers", where: { $0.string("item") == "TEC-2" }) {
                    $0["status"] = .string("unmet")
                    $0["evidence"] = nil
                    $0["note"] = .string("no password policy yet")
                }
            }
        },
        Violation(rule: "checklist.mandatory_unanswered", subject: "assessment/acme-security-2026") { document in
            document.edit(.assessment, "acme-security-2026") {
                $0["answers"] = .records($0.records("answers").filter { $0.string("item") != "ORG-3" })
            }
        },
        Violation(rule: "entrustee.never_assessed", subject: "vendor/helper") { document in
            document[.assessment] = document[.assessment].filter { $0.key != "helper-supervision-2026" }
        },
        // the sub-entrustee contracts through an Indian entity (Q&A 12-4: the recipient's country counts)
        Violation(rule: "transfer.no_basis", subject: "entrustment/shop-helper-desk") { document in
            document.edit(.vendor, "subco") { $0["contracting_country"] = .string("IN") }
        },
        Violation(rule: "transfer.basis_lapsed", subject: "entrustment/shop-helper-desk") { document in
            document.edit(.vendor, "subco") { $0["contracting_country"] = .string("IN") }
            document.edit(.entrustment, "shop-helper-desk") {
                $0["transfer_basis"] = .string("standard_conforming")
                $0["transfer_basis_checked_on"] = .string("2026-10-01")
                $0["transfer_basis_expires_on"] = .string("2026-11-30")
            }
        },
        Violation(rule: "transfer.basis_check_overdue", subject: "entrustment/shop-helper-desk") { document in
            document.edit(.vendor, "subco") { $0["contracting_country"] = .string("IN") }
            document.edit(.entrustment, "shop-helper-desk") {
                $0["transfer_basis"] = .string("standard_conforming")
                $0["transfer_basis_checked_on"] = .string("2025-11-30")
            }
        },
        // a Japanese sub-entrustee working in Oman: no Art. 28 finding, but Oman has no regime facts
        Violation(rule: "environment.no_regime_facts", subject: "country/OM") { document in
            document.edit(.entrustment, "shop-helper-desk") { $0.editEach("sub_entrustees") { $0["countries"] = .list(["OM"]) } }
        },
        Violation(rule: "transfer.consent_uninformed", subject: "provision/shop-tag-sharing") { document in
            try document.add("""
                provisions:
                  - key: shop-tag-sharing
                    service: shop
                    recipient: tagco
                    basis: consent
                    purpose: Joint marketing
                    categories: [user.contact.email]
                    recipient_country: US
                    valid_from: 2025-01-01
                    records:
                      - {provided_on: 2025-02-01, data_subjects: members, items: email address, retain_until: 2028-02-01}
                """)
        },
        Violation(rule: "residency.undisclosed_no_reason", subject: "residency/shop-nimbus-edge") { document in
            document.edit(.residency, "shop-nimbus-edge") { $0.edit("undisclosed") { $0["reason"] = .string("TBD") } }
        },
        Violation(rule: "residency.undisclosed_no_candidates", subject: "residency/shop-nimbus-edge") { document in
            document.edit(.residency, "shop-nimbus-edge") { $0.edit("undisclosed") { $0["candidates"] = nil } }
        },
        Violation(rule: "residency.verification_stale", subject: "residency/shop-nimbus-jp") { document in
            document.edit(.residency, "shop-nimbus-jp") { $0["verified_on"] = .string("2025-11-30") }
        },
        Violation(rule: "transmission.incomplete", subject: "transmission/shop-tag") { document in
            document.edit(.transmission, "shop-tag") { $0["purpose"] = .string("tbd") }
        },
        Violation(rule: "transmission.no_japanese", subject: "transmission/shop-tag") { document in
            document.edit(.transmission, "shop-tag") { $0["purpose_ja"] = nil }
        },
        Violation(rule: "sub_entrustee.not_in_registry", subject: "entrustment/shop-helper-desk") { document in
            document.edit(.vendor, "subco") { $0["valid_to"] = .string("2026-06-01") }
        },
        Violation(rule: "sub_entrustee.no_country", subject: "entrustment/shop-helper-desk") { document in
            document.edit(.entrustment, "shop-helper-desk") { $0.editEach("sub_entrustees") { $0["countries"] = nil } }
        },
        Violation(rule: "sub_entrustee.not_permitted", subject: "entrustment/shop-helper-desk") { document in
            document.edit(.entrustment, "shop-helper-desk") { $0["reentrustment"] = .string("prohibited") }
        },
        Violation(rule: "sub_entrustee.not_approved", subject: "entrustment/shop-helper-desk") { document in
            document.edit(.entrustment, "shop-helper-desk") { $0.editEach("sub_entrustees") { $0["approved_on"] = nil } }
        },
        // unknown terms are asked for, not read as a prohibition (no sub_entrustee.not_permitted)
        Violation(rule: "entrustment.reentrustment_terms_unknown", subject: "entrustment/shop-helper-desk") { document in
            document.edit(.entrustment, "shop-helper-desk") { $0["reentrustment"] = nil }
        },
        Violation(rule: "vendor.ended_in_use", subject: "vendor/nimbus") { document in
            document.edit(.vendor, "nimbus") { $0["valid_to"] = .string("2026-11-01") }
        },
        Violation(rule: "vendor.shared_alias", subject: "vendor/nimbus") { document in
            document.edit(.vendor, "tagco") { $0["aliases"] = .list(["NIMBUS"]) }
        },
        Violation(rule: "organization.never_assessed", subject: "organization/acme") { document in
            document[.assessment] = document[.assessment].filter { $0.string("organization") == nil }
        },
        Violation(rule: "provision.opt_out_sensitive", subject: "provision/shop-list") { document in
            try document.add(CheckerTests.provision(basis: "opt_out", categories: "[user.name, user.health.checkup]", notified: true, record: true))
        },
        Violation(rule: "provision.opt_out_unnotified", subject: "provision/shop-list") { document in
            try document.add(CheckerTests.provision(basis: "opt_out", categories: "[user.name]", notified: false, record: true))
        },
        Violation(rule: "provision.records_missing", subject: "provision/shop-list") { document in
            try document.add(CheckerTests.provision(basis: "consent", categories: "[user.health.checkup]", notified: false, record: false))
        },
        Violation(rule: "provision.record_retention_short", subject: "provision/shop-list") { document in
            try document.add(CheckerTests.provision(basis: "consent", categories: "[user.name]", notified: false, record: true, retainUntil: "2027-02-01"))
        },
        Violation(rule: "sub_entrustee.outside_entrustment", subject: "entrustment/shop-helper-desk") { document in
            document.edit(.entrustment, "shop-helper-desk") { $0.editEach("sub_entrustees") { $0["valid_from"] = .string("2023-06-01") } }
        },
        Violation(rule: "policy.country_not_named", subject: "country/US", policy: cleanPolicy.replacingOccurrences(of: "United States of America", with: "the cloud's home country")),
        Violation(rule: "policy.undisclosed_not_mentioned", subject: "residency/shop-nimbus-edge", policy: cleanPolicy.replacingOccurrences(of: "the storage location is not disclosed, so the storage country may not be identifiable", with: "the storage location varies")),
        Violation(rule: "policy.recipient_not_named", subject: "vendor/tagco", policy: cleanPolicy.replacingOccurrences(of: "TagCo LLC", with: "the analytics company")),
        Violation(rule: "policy.transmission_not_named", subject: "transmission/shop-tag", policy: cleanPolicy.replacingOccurrences(of: "| Tag Analytics |", with: "| Analytics |")),
        Violation(rule: "disclosure.no_japanese", subject: "purpose/shop-orders") { document in
            try document.add("""
                purposes:
                  - key: shop-orders
                    name: To ship the orders of customers.
                """)
        },
        Violation(rule: "policy.country_not_in_registry", subject: "country/DE", policy: cleanPolicy + "\n- Backup country: Germany\n"),
    ]

    /// A provision of Acme's shop data to its (Japanese) support desk, with a special-care
    /// category `user.health` for the registry to know of.
    static func provision(basis: String, categories: String, notified: Bool, record: Bool, retainUntil: String = "2029-02-01") -> String {
        var yaml = """
            data_categories:
              - key: user.health
                name: Health
                name_ja: 健康情報
                sensitive: true
            provisions:
              - key: shop-list
                service: shop
                recipient: helper
                basis: \(basis)
                purpose: The recipient's own marketing
                purpose_ja: 提供先のマーケティングのため
                categories: \(categories)
                recipient_country: JP
                valid_from: 2025-01-01

            """
        if notified {
            yaml += """
                    ppc_notification:
                      notified_on: 2024-12-01
                      items: [operator, provision_purpose, data_items, acquisition_method, provision_method, stop_on_request, request_method, update_method, start_date]

                """
        }
        if record {
            yaml += """
                    records:
                      - {provided_on: 2026-02-01, data_subjects: members, items: name, retain_until: \(retainUntil)}

                """
        }
        return yaml
    }

    @Test(arguments: violations)
    func ruleFiresOnItsOwnViolationAndNothingElseDoes(_ violation: Violation) throws {
        var document = try CheckFixture.cleanDocument()
        try violation.change(&document)
        let policy = violation.rule.hasPrefix("policy.") ? (violation.policy ?? Self.cleanPolicy) : nil
        let findings = Self.findings(document, policy: policy)
        #expect(Set(findings.map(\.rule.id)) == [violation.rule], "\(Self.describe(findings))")
        #expect(findings.contains { $0.subject == violation.subject }, "\(Self.describe(findings))")
        #expect(findings.allSatisfy { !$0.message.isEmpty && $0.rule.severity == CheckRule.rule(id: violation.rule)?.severity })
    }

    /// `transmission.incomplete` names each of the three things the notice must state.
    @Test func anIncompleteTransmissionNamesWhatIsMissing() throws {
        var noInformation = try CheckFixture.cleanDocument()
        noInformation.edit(.transmission, "shop-tag") { $0["information"] = .list(["TBD"]) }
        let information = Self.findings(noInformation)
        #expect(information.map(\.rule.id) == ["transmission.incomplete"], "\(Self.describe(information))")
        #expect(information.first?.message.contains("the information sent") == true)
        #expect(information.first?.message.contains("purpose") == false)

        // A recipient no longer in force is no recipient; ending the vendor is also its own finding.
        var noRecipient = try CheckFixture.cleanDocument()
        noRecipient.edit(.vendor, "tagco") { $0["valid_to"] = .string("2026-06-01") }
        let recipient = Self.findings(noRecipient).filter { $0.rule.id == "transmission.incomplete" }
        #expect(recipient.map(\.subject) == ["transmission/shop-tag"], "\(Self.describe(Self.findings(noRecipient)))")
        #expect(recipient.first?.message.contains("a recipient (vendor tagco is not in force") == true)

        var everything = try CheckFixture.cleanDocument()
        everything.edit(.transmission, "shop-tag") {
            $0["information"] = .list(["tbd"])
            $0["purpose"] = .string("tbd")
        }
        let both = Self.findings(everything)
        #expect(both.count == 1)
        #expect(both.first?.message.contains("the information sent, the purpose") == true, "\(Self.describe(both))")
    }

    @Test func aRecordedTransferBasisOrCBPRCertificationOrADesignatedCountryClearsTransferNoBasis() throws {
        var document = try CheckFixture.cleanDocument()
        document.edit(.vendor, "subco") { $0["contracting_country"] = .string("IN") }
        #expect(Self.findings(document).map(\.rule.id) == ["transfer.no_basis"])

        var withBasis = document
        withBasis.edit(.entrustment, "shop-helper-desk") {
            $0["transfer_basis"] = .string("standard_conforming")
            $0["transfer_basis_checked_on"] = .string("2026-06-01")
        }
        #expect(Self.findings(withBasis).isEmpty, "\(Self.describe(Self.findings(withBasis)))")

        // a CBPR-certified recipient is a standard-conforming system: checked periodically too (Rules Art. 18(1))
        var certified = document
        certified.edit(.vendor, "subco") { $0["certifications"] = .list(["apec_cbpr"]) }
        #expect(Self.findings(certified).map(\.rule.id) == ["transfer.basis_check_overdue"], "\(Self.describe(Self.findings(certified)))")
        certified.edit(.entrustment, "shop-helper-desk") { $0["transfer_basis_checked_on"] = .string("2026-06-01") }
        #expect(Self.findings(certified).isEmpty, "\(Self.describe(Self.findings(certified)))")

        var designated = document
        designated.edit(.vendor, "subco") { $0["contracting_country"] = .string("DE") }
        #expect(Self.findings(designated).isEmpty)

        // where the sub-entrustee works is the external environment, not an Art. 28 question
        var workingAbroad = try CheckFixture.cleanDocument()
        workingAbroad.edit(.entrustment, "shop-helper-desk") { $0.editEach("sub_entrustees") { $0["countries"] = .list(["IN", "JP"]) } }
        #expect(Self.findings(workingAbroad).isEmpty, "\(Self.describe(Self.findings(workingAbroad)))")
    }

    @Test func storageAbroadWithoutAnyEntrustmentNeedsABasis() throws {
        var document = try CheckFixture.cleanDocument()
        try document.add("""
            residencies:
              - key: shop-tagco-sg
                service: shop
                vendor: tagco
                role: processing
                categories: [user.device.ip_address]
                country: SG
                source: TagCo documentation
                verified_on: 2026-11-01
                asserted_by: Acme security office
                valid_from: 2025-01-01
            """)
        // TagCo is a US business operator: Art. 28 turns on that, not on the Singapore servers
        let findings = Self.findings(document)
        #expect(findings.map(\.subject) == ["residency/shop-tagco-sg"], "\(Self.describe(findings))")
        #expect(findings.first?.message.contains("United States of America (US)") == true, "\(Self.describe(findings))")
        #expect(findings.first?.message.contains("record the entrustment of shop to tagco") == true)

        // a Japanese operator with the same servers owes no Art. 28 basis
        var japanese = document
        japanese.edit(.vendor, "tagco") { $0["contracting_country"] = .string("JP") }
        #expect(Self.findings(japanese).isEmpty, "\(Self.describe(Self.findings(japanese)))")
    }

    @Test func aForeignProvisionOnOptOutHasNoBasisAndLegalExceptionsNeedNone() throws {
        var document = try CheckFixture.cleanDocument()
        try document.add("""
            provisions:
              - key: shop-tag-optout
                service: shop
                recipient: tagco
                basis: opt_out
                purpose: Marketing lists
                categories: [user.contact.email]
                recipient_country: US
                valid_from: 2025-01-01
              - key: shop-court
                service: shop
                recipient: tagco
                basis: legal_exception
                legal_exception: "Art. 27(1)(i): when required by law"
                purpose: Court order
                categories: [user.name]
                recipient_country: US
                valid_from: 2025-01-01
            """)
        // (the opt-out provision also lacks its PPC notification and records: other rules)
        #expect(Self.findings(document).filter { $0.rule.id == "transfer.no_basis" }.map(\.subject) == ["provision/shop-tag-optout"])
        #expect(!Self.findings(document).contains { $0.subject == "provision/shop-court" }, "a legal exception needs no basis and no record")
    }

    @Test func theCheckIsMadeAsOfTheSnapshotsDay() throws {
        let document = try CheckFixture.cleanDocument()
        // 2027-09-15: reviews (due 2027-10-01) are due soon; 2027-10-02: overdue, and the
        // locations (verified 2026-11-01) are stale from 2027-11-02.
        #expect(Set(Self.findings(document, asOf: Day("2027-09-15")!).map(\.rule.id)) == ["review.due_soon"])
        #expect(Set(Self.findings(document, asOf: Day("2027-10-02")!).map(\.rule.id)) == ["review.overdue"])
        #expect(Set(Self.findings(document, asOf: Day("2027-11-02")!).map(\.rule.id)) == ["review.overdue", "residency.verification_stale"])
        // before the assessments were made, nobody assessed the entrustee, nor the organization itself
        #expect(Set(Self.findings(document, asOf: Day("2026-09-30")!).map(\.rule.id)) == ["entrustee.never_assessed", "organization.never_assessed"])
    }

    @Test func aVendorsReviewFollowsItsRiskTiersCadenceAsTheVendorReportDoes() throws {
        var document = try CheckFixture.cleanDocument()
        document.edit(.vendor, "helper") { $0["risk_tier"] = .string("critical") }
        // assessed 2026-10-01, next_review_on 2027-10-01, but critical vendors every 6 months
        let findings = Self.findings(document, asOf: Day("2027-04-02")!)
        #expect(findings.map { "\($0.rule.id) \($0.subject)" } == ["review.overdue vendor/helper"], "\(Self.describe(findings))")
        #expect(findings.first?.message.contains("was due on 2027-04-01 (1 day ago") == true, "\(Self.describe(findings))")
    }

    @Test func findingsComeInRuleOrderThenSubject() throws {
        var document = try CheckFixture.cleanDocument()
        document.edit(.transmission, "shop-tag") { $0["purpose_ja"] = nil }
        document.edit(.entrustment, "shop-nimbus-hosting") { $0["contract"] = nil }
        document.edit(.residency, "shop-nimbus-jp") { $0["verified_on"] = .string("2025-01-01") }
        document.edit(.residency, "shop-nimbus-us") { $0["verified_on"] = .string("2025-01-01") }
        #expect(Self.findings(document).map { "\($0.rule.id) \($0.subject)" } == [
            "contract.missing entrustment/shop-nimbus-hosting",
            "residency.verification_stale residency/shop-nimbus-jp",
            "residency.verification_stale residency/shop-nimbus-us",
            "transmission.no_japanese transmission/shop-tag",
        ])
    }

    @Test func everyRuleHasACraftedViolation() {
        #expect(Set(Self.violations.map(\.rule)) == Set(CheckRule.all.map(\.id)))
    }

    @Test func everyRuleIsDocumentedInChecksMd() throws {
        let page = try String(
            contentsOf: CheckFixture.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("docs/checks.md"), encoding: .utf8)
        for rule in CheckRule.all {
            #expect(page.contains("### `\(rule.id)` (\(rule.severity.rawValue))"), "docs/checks.md has no section for \(rule.id)")
            #expect(page.contains("| `\(rule.id)` | \(rule.severity.rawValue) |"), "docs/checks.md's summary lacks \(rule.id)")
        }
    }
}
