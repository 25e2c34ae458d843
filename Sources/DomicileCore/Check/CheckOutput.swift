/// The JSON of `domicile check --format json` and `GET /v1/check`: `as_of`, `revision`,
/// `policy` (the policy file's name, or `null`), `fail_on`, `failed`, `skipped`, `summary`
/// (`errors`, `warnings`) and `findings` (each `rule`, `severity`, `title`, `kind`, `key`,
/// `message`, `basis`).
public struct CheckOutput: Encodable, Sendable {
    public var asOf: String
    public var revision: Int64
    @NullWhenAbsent public var policy: String?
    public var failOn: String
    public var failed: Bool
    public var skipped: [String]
    public var summary: Summary
    public var findings: [Finding]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case asOf = "as_of", revision, policy, failOn = "fail_on", failed, skipped, summary, findings
    }

    public struct Summary: Encodable, Sendable {
        public var errors, warnings: Int

        enum CodingKeys: String, CodingKey, CaseIterable { case errors, warnings }
    }

    /// One finding: its rule (id, title, legal basis), severity, the record it is about and why.
    public struct Finding: Encodable, Sendable {
        public var rule, severity, title, kind, key, message, basis: String

        enum CodingKeys: String, CodingKey, CaseIterable { case rule, severity, title, kind, key, message, basis }
    }
}

extension CheckReport {
    /// This run as its JSON document, judged at `failOn`.
    public func output(failOn: Severity = .error) -> CheckOutput {
        CheckOutput(
            asOf: asOf.description, revision: revision, policy: policy, failOn: failOn.rawValue, failed: fails(at: failOn),
            skipped: skipped, summary: .init(errors: errorCount, warnings: warningCount),
            findings: findings.map { finding in
                CheckOutput.Finding(
                    rule: finding.rule.id, severity: finding.severity.rawValue, title: finding.rule.title, kind: finding.kind,
                    key: finding.key, message: finding.message, basis: finding.rule.basis)
            })
    }
}
