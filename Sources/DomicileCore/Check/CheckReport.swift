import Foundation

/// Output formats of `domicile check` (and `GET /v1/check`).
public enum CheckFormat: String, CaseIterable, Sendable {
    case text, json
}

/// The result of one check: its findings and what they were checked against. The CLI and the
/// HTTP API render it with the same functions.
public struct CheckReport: Sendable {
    public let findings: [Finding]
    public let asOf: Day
    public let revision: Int64
    /// The policy file's name, when drift was checked.
    public let policy: String?
    /// Rules left out on request (`--skip`).
    public let skipped: [String]

    /// Runs every rule (policy rules only when `policy` is given), leaving out `skipping`.
    public init(
        snapshot: RegistrySnapshot, policy: PolicyText? = nil, policyName: String? = nil, skipping: [String] = []
    ) {
        let skip = Set(skipping)
        findings = Checker.run(snapshot, policy: policy).filter { !skip.contains($0.rule.id) }
        asOf = snapshot.asOf
        revision = snapshot.revision
        self.policy = policy == nil ? nil : (policyName ?? "policy")
        skipped = skipping.sorted()
    }

    /// Whether a run fails at `threshold`: any finding of that severity or worse.
    public func fails(at threshold: Severity) -> Bool {
        findings.contains { $0.severity >= threshold }
    }

    public var errorCount: Int { findings.filter { $0.severity == .error }.count }
    public var warningCount: Int { findings.filter { $0.severity == .warning }.count }

    public func render(_ format: CheckFormat, failOn: Severity = .error) -> String {
        switch format {
        case .text: return text(failOn: failOn)
        case .json: return json(failOn: failOn)
        }
    }

    /// One line per finding (severity, rule, record, message), then a summary line.
    public func text(failOn: Severity = .error) -> String {
        var lines: [String] = []
        let width = findings.map { $0.rule.id.count }.max() ?? 0
        for finding in findings {
            let severity = finding.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            let rule = finding.rule.id.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("\(severity)  \(rule)  \(finding.subject): \(finding.message)")
        }
        lines.append(summary(failOn: failOn))
        return lines.joined(separator: "\n") + "\n"
    }

    func summary(failOn: Severity) -> String {
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        var parts = ["as of \(asOf)", "registry revision \(revision)"]
        if let policy { parts.append("policy \(policy)") }
        if !skipped.isEmpty { parts.append("skipped \(skipped.joined(separator: ", "))") }
        let verdict = fails(at: failOn) ? "fails at --fail-on \(failOn.rawValue)" : "passes at --fail-on \(failOn.rawValue)"
        let tally = findings.isEmpty ? "no findings" : "\(count(errorCount, "error")), \(count(warningCount, "warning"))"
        return "\(tally) (\(parts.joined(separator: ", "))): \(verdict)"
    }

    /// `{as_of, revision, policy, fail_on, failed, skipped, summary, findings: [{rule, severity, title, kind, key, message, basis}]}`
    /// (`CheckOutput`).
    public func json(failOn: Severity = .error) -> String {
        JSONOutput.text(output(failOn: failOn))
    }
}
