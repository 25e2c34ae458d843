/// How serious a finding is. `--fail-on` picks the lowest severity that fails a run.
public enum Severity: String, CaseIterable, Comparable, Sendable, Codable {
    case warning, error

    private var rank: Int { self == .warning ? 0 : 1 }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One rule of `domicile check`. Its `id` is stable: scripts and `--skip` match on it,
/// and docs/checks.md documents each one with its legal basis.
public struct CheckRule: Sendable, Hashable {
    public let id: String
    public let severity: Severity
    /// What the rule finds, in a few words.
    public let title: String
    /// The provision the rule rests on, short (docs/checks.md gives the full reasoning).
    public let basis: String
    /// Only runs when a privacy policy is given (`--policy FILE`).
    public let needsPolicy: Bool

    init(_ id: String, _ severity: Severity, _ title: String, basis: String, needsPolicy: Bool = false) {
        self.id = id
        self.severity = severity
        self.title = title
        self.basis = basis
        self.needsPolicy = needsPolicy
    }
}

extension CheckRule {
    public static let contractMissing = CheckRule(
        "contract.missing", .error, "entrustment without a contract", basis: "APPI Art. 25; PPC GL 3-4-4 (VEN-CON-1)")
    public static let contractExpired = CheckRule(
        "contract.expired", .error, "entrustment contract expired", basis: "APPI Art. 25; PPC GL 3-4-4 (VEN-CON-1)")
    public static let contractExpiring = CheckRule(
        "contract.expiring", .warning, "entrustment contract expires soon", basis: "APPI Art. 25; PPC GL 3-4-4 (VEN-CON-1)")
    public static let contractRenewalUnrecorded = CheckRule(
        "contract.renewal_unrecorded", .warning, "automatically renewed contract still shows the old end date",
        basis: "APPI Art. 25; PPC GL 3-4-4 (VEN-CON-1)")
    // Under APPI the data-protection clauses are contract contents GL 3-4-4 calls desirable;
    // a separate written DPA is a GDPR requirement (Art. 28(3)): a warning, not an error.
    public static let dpaMissing = CheckRule(
        "dpa.missing", .warning, "entrustee handles data without a data-processing agreement",
        basis: "PPC GL 3-4-4 (contract contents, desirable: VEN-CON-2); GDPR Art. 28(3) (GDPR-derived)")
    public static let dpaExpired = CheckRule(
        "dpa.expired", .warning, "data-processing agreement expired",
        basis: "PPC GL 3-4-4 (contract contents, desirable: VEN-CON-2); GDPR Art. 28(3) (GDPR-derived)")
    public static let reviewOverdue = CheckRule(
        "review.overdue", .error, "assessment review overdue", basis: "APPI Arts. 23, 25; PPC GL §10-3(5), 3-4-4 (VEN-MON-1)")
    public static let reviewDueSoon = CheckRule(
        "review.due_soon", .warning, "assessment review due within 30 days", basis: "APPI Arts. 23, 25; PPC GL §10-3(5)")
    public static let mandatoryUnmet = CheckRule(
        "checklist.mandatory_unmet", .error, "mandatory checklist item unmet", basis: "APPI Arts. 23-25; PPC GL §10, 3-4-4")
    public static let mandatoryUnanswered = CheckRule(
        "checklist.mandatory_unanswered", .warning, "mandatory checklist item not answered", basis: "APPI Arts. 23-25; PPC GL §10, 3-4-4")
    public static let entrusteeNeverAssessed = CheckRule(
        "entrustee.never_assessed", .error, "entrustee never assessed", basis: "APPI Art. 25; PPC GL 3-4-4 (VEN-SEL-1)")
    public static let transferNoBasis = CheckRule(
        "transfer.no_basis", .error, "recipient in a foreign country not designated by the PPC, without a recorded basis",
        basis: "APPI Art. 28(1); PPC Rules Arts. 15-16; Q&A 12-4, 7-53, 12-3")
    public static let transferConsentUninformed = CheckRule(
        "transfer.consent_uninformed", .error, "foreign provision on consent given without the Art. 28(2) information",
        basis: "APPI Art. 28(2); PPC Rules Art. 17")
    public static let transferBasisLapsed = CheckRule(
        "transfer.basis_lapsed", .error, "standard-conforming basis whose contract or rules have ended",
        basis: "APPI Art. 28(1), (3); PPC Rules Art. 16(i)")
    public static let transferBasisCheckOverdue = CheckRule(
        "transfer.basis_check_overdue", .error, "standard-conforming recipient not checked within a year",
        basis: "APPI Art. 28(3); PPC Rules Art. 18(1)(i); Foreign-Provision GL 6-1")
    public static let environmentNoRegimeFacts = CheckRule(
        "environment.no_regime_facts", .error, "country of the external environment without regime facts to publish",
        basis: "PPC GL §10-7 (EXT-1); Q&A 10-24, 10-25; APPI Art. 32(1)(iv); Cabinet Order Art. 10(1)")
    public static let undisclosedNoReason = CheckRule(
        "residency.undisclosed_no_reason", .error, "undisclosed location without a reason",
        basis: "PPC Rules Art. 17(3); Q&A 10-25; PPC GL §10-7 (EXT-1d)")
    public static let undisclosedNoCandidates = CheckRule(
        "residency.undisclosed_no_candidates", .warning, "undisclosed location without candidate countries",
        basis: "PPC Rules Art. 17(3); Q&A 10-25")
    public static let verificationStale = CheckRule(
        "residency.verification_stale", .warning, "location not verified for more than a year",
        basis: "PPC GL §10-7 (EXT-1); the one-year period is Domicile's choice")
    public static let transmissionIncomplete = CheckRule(
        "transmission.incomplete", .error, "external transmission without recipient, information or purpose",
        basis: "TBA Art. 27-12; Enforcement Rules Art. 22-2-29")
    public static let transmissionNoJapanese = CheckRule(
        "transmission.no_japanese", .warning, "external transmission without Japanese wording",
        basis: "TBA Art. 27-12; Enforcement Rules Art. 22-2-28")
    public static let subEntrusteeNotInRegistry = CheckRule(
        "sub_entrustee.not_in_registry", .error, "sub-entrustee absent from the registry",
        basis: "APPI Art. 25; PPC GL 3-4-4 (VEN-SUB-1, VEN-SUB-2)")
    public static let subEntrusteeNoCountry = CheckRule(
        "sub_entrustee.no_country", .error, "sub-entrustee without a country",
        basis: "Q&A 10-24; PPC GL §10-7 (EXT-1a, VEN-EXT-1)")
    public static let subEntrusteeNotPermitted = CheckRule(
        "sub_entrustee.not_permitted", .error, "sub-entrustee where the contract prohibits re-entrustment",
        basis: "APPI Art. 25; PPC GL 3-4-4 (VEN-SUB-2)")
    public static let reentrustmentTermsUnknown = CheckRule(
        "entrustment.reentrustment_terms_unknown", .warning, "entrustment whose re-entrustment terms are not recorded",
        basis: "APPI Art. 25; PPC GL 3-4-4 (VEN-CON-2, VEN-SUB-2)")
    public static let subEntrusteeNotApproved = CheckRule(
        "sub_entrustee.not_approved", .warning, "sub-entrustee needing prior approval without an approval date",
        basis: "APPI Art. 25; PPC GL 3-4-4 (VEN-SUB-1)")
    public static let vendorEndedInUse = CheckRule(
        "vendor.ended_in_use", .error, "ended vendor still holds or receives data",
        basis: "APPI Arts. 25, 32(1)(iv); PPC GL §10-7")
    public static let vendorSharedAlias = CheckRule(
        "vendor.shared_alias", .warning, "a name shared by two vendors", basis: "APPI Art. 29 (recipient's name); registry integrity")
    public static let organizationNeverAssessed = CheckRule(
        "organization.never_assessed", .error, "organization without a security assessment",
        basis: "APPI Arts. 23, 32(1)(iv); Cabinet Order Art. 10(1); PPC GL §10")
    public static let optOutSensitive = CheckRule(
        "provision.opt_out_sensitive", .error, "special-care personal information provided by opt-out",
        basis: "APPI Arts. 2(3), 27(2); Cabinet Order Art. 2")
    public static let optOutUnnotified = CheckRule(
        "provision.opt_out_unnotified", .error, "opt-out provision without its PPC notification",
        basis: "APPI Art. 27(2)-(4); PPC Rules Art. 11(2), (4)")
    public static let provisionRecordsMissing = CheckRule(
        "provision.records_missing", .error, "provision without records of provision",
        basis: "APPI Art. 29(1); PPC Rules Arts. 19-20")
    public static let provisionRecordRetentionShort = CheckRule(
        "provision.record_retention_short", .error, "provision record kept for less than the required period",
        basis: "APPI Art. 29(2); PPC Rules Art. 21")
    public static let subEntrusteeOutsideEntrustment = CheckRule(
        "sub_entrustee.outside_entrustment", .error, "sub-entrustee starting before, or outliving, its entrustment",
        basis: "APPI Art. 25; PPC GL 3-4-4 (VEN-SUB-1)")
    public static let disclosureNoJapanese = CheckRule(
        "disclosure.no_japanese", .warning, "a value the Japanese disclosure states has no Japanese text",
        basis: "APPI Art. 32(1); Cabinet Order Art. 10; PPC GL 3-8-1 (made known in a way the person can understand)")
    public static let policyCountryNotNamed = CheckRule(
        "policy.country_not_named", .error, "registry country the policy does not name",
        basis: "APPI Arts. 28(2), 32(1)(iv); Cabinet Order Art. 10(1); PPC GL §10-7; Q&A 10-24, 10-25", needsPolicy: true)
    public static let policyUndisclosedNotMentioned = CheckRule(
        "policy.undisclosed_not_mentioned", .warning, "policy silent on a storage country that is not disclosed",
        basis: "PPC Rules Art. 17(3); Q&A 10-25; PPC GL §10-7 (EXT-1d)", needsPolicy: true)
    public static let policyRecipientNotNamed = CheckRule(
        "policy.recipient_not_named", .error, "recipient the policy does not name",
        basis: "TBA Art. 27-12; Enforcement Rules Art. 22-2-29; APPI Art. 28(2)", needsPolicy: true)
    public static let policyTransmissionNotNamed = CheckRule(
        "policy.transmission_not_named", .error, "external transmission the policy does not list",
        basis: "TBA Art. 27-12; Enforcement Rules Art. 22-2-29", needsPolicy: true)
    public static let policyCountryNotInRegistry = CheckRule(
        "policy.country_not_in_registry", .error, "country the policy names that the registry does not have",
        basis: "APPI Art. 32(1)(iv); PPC GL §10-7 (EXT-1a)", needsPolicy: true)

    /// Every rule, in the order findings are reported.
    public static let all: [CheckRule] = [
        contractMissing, contractExpired, contractExpiring, contractRenewalUnrecorded, dpaMissing, dpaExpired,
        reviewOverdue, reviewDueSoon, mandatoryUnmet, mandatoryUnanswered, entrusteeNeverAssessed,
        transferNoBasis, transferConsentUninformed,
        transferBasisLapsed, transferBasisCheckOverdue, environmentNoRegimeFacts,
        undisclosedNoReason, undisclosedNoCandidates, verificationStale,
        transmissionIncomplete, transmissionNoJapanese, subEntrusteeNotInRegistry, subEntrusteeNoCountry,
        subEntrusteeNotPermitted, subEntrusteeNotApproved,
        reentrustmentTermsUnknown,
        vendorEndedInUse, vendorSharedAlias,
        organizationNeverAssessed, optOutSensitive, optOutUnnotified, provisionRecordsMissing,
        provisionRecordRetentionShort, subEntrusteeOutsideEntrustment, disclosureNoJapanese,
        policyCountryNotNamed, policyUndisclosedNotMentioned, policyRecipientNotNamed, policyTransmissionNotNamed,
        policyCountryNotInRegistry,
    ]

    public static func rule(id: String) -> CheckRule? { all.first { $0.id == id } }
}

/// One gap `domicile check` found: which rule, on which record, and what to do about it.
public struct Finding: Sendable, Hashable {
    public let rule: CheckRule
    /// The record at fault: `entrustment`, `persona-support-desk` (kind and key).
    public let kind: String
    public let key: String
    /// For people: names the record, the value and the fix.
    public let message: String

    public init(_ rule: CheckRule, _ kind: String, _ key: String, _ message: String) {
        self.rule = rule
        self.kind = kind
        self.key = key
        self.message = message
    }

    public var severity: Severity { rule.severity }
    public var subject: String { kind + "/" + key }
}
