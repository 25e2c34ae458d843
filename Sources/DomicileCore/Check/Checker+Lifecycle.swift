import Foundation

/// Rules of issue 11 points 2 and 4: third-party provision (special-care data, the opt-out
/// notification, records of provision), sub-entrustees inside their entrustment, and the
/// organization's own security assessment. docs/checks.md explains each.
extension Checker {
    static func lifecycle(_ c: Context) -> [Finding] {
        organizations(c) + provisions(c) + subEntrusteeTimes(c)
    }

    // MARK: The organization (APPI Arts. 23, 32(1)(iv))

    static func organizations(_ c: Context) -> [Finding] {
        c.snapshot.organizations.compactMap { organization in
            let remedy = "assess it, e.g. `domicile assess add … --template appi-security-2022 --organization \(organization.key)`"
            let mine = c.assessmentsByOrganization[organization.key] ?? []
            guard !mine.isEmpty else {
                return Finding(.organizationNeverAssessed, "organization", organization.key,
                    "organization \(organization.key) has no assessment of its security measures on or before \(c.today), so the disclosure has no measures to publish; \(remedy)")
            }
            // the disclosure publishes the met items (other than the external environment's) of
            // the latest assessments: none met is an empty measures section too
            let latest = Compliance.latestAssessments(of: mine)
            let published = latest.contains { assessment in
                let template = c.snapshot.template(assessment.template)
                return assessment.answers.contains { answer in
                    answer.status == .met && template?.item(answer.item).map { $0.group != "EXT" } ?? true
                }
            }
            guard !published else { return nil }
            return Finding(.organizationNeverAssessed, "organization", organization.key,
                "no item of organization \(organization.key)'s latest assessments (\(latest.map(\.key).joined(separator: ", "))) is answered met, so the disclosure has no measures to publish; answer the items in place with their evidence, or \(remedy)")
        }
    }

    // MARK: Third-party provision (APPI Arts. 27-29)

    static func provisions(_ c: Context) -> [Finding] {
        let s = c.snapshot
        var findings: [Finding] = []
        for p in s.provisions {
            if p.basis == "opt_out" {
                let sensitive = Compliance.sensitiveCategories(p.categories, in: s)
                if !sensitive.isEmpty {
                    findings.append(Finding(.optOutSensitive, "provision", p.key,
                        "provision \(p.key) to \(p.recipient) rests on opt-out but includes special-care personal information (\(sensitive.joined(separator: ", "))), which APPI Art. 27(2) excludes from opt-out; stop it, or obtain consent (basis consent)"))
                }
                var missing: [String] = []
                if p.ppcNotifiedOn == nil { missing.append("the day of notification (ppc_notification.notified_on)") }
                let items = Compliance.missingNotificationItems(p.ppcNotificationItems)
                if !items.isEmpty { missing.append("the Art. 27(2) items \(items.joined(separator: ", ")) (ppc_notification.items)") }
                if let notified = p.ppcNotifiedOn, notified > c.today {
                    missing.append("a notification made by \(c.today) (it is dated \(notified))")
                }
                if !missing.isEmpty {
                    findings.append(Finding(.optOutUnnotified, "provision", p.key,
                        "opt-out provision \(p.key) to \(p.recipient) lacks \(missing.joined(separator: "; ")); the Art. 27(2) items must be notified to the PPC before providing by opt-out"))
                }
            }
            if Compliance.needsProvisionRecords(p, in: s), p.records.isEmpty {
                let why = p.basis == "joint_use" ? "joint use with a recipient in a foreign country (APPI Art. 28(1))" : "basis \(p.basis)"
                findings.append(Finding(.provisionRecordsMissing, "provision", p.key,
                    "provision \(p.key) to \(p.recipient) (\(why)) has no record of provision on or before \(c.today); APPI Art. 29(1) requires one for each provision: `domicile provision record-add \(p.key) …`"))
            }
            for record in p.records {
                let required = Compliance.requiredRetention(
                    method: record.method, providedOn: record.providedOn, lastProvidedOn: record.lastProvidedOn,
                    retentionYears: p.retentionYears)
                guard let until = required.until, record.retainUntil < until else { continue }
                findings.append(Finding(.provisionRecordRetentionShort, "provision", p.key,
                    "the record of \(record.providedOn) for '\(oneLine(record.dataSubjects))' is kept until \(record.retainUntil), but must be kept until \(until): \(required.reason)"))
            }
        }
        return findings
    }

    // MARK: Sub-entrustees inside their entrustment (APPI Art. 25)

    static func subEntrusteeTimes(_ c: Context) -> [Finding] {
        var findings: [Finding] = []
        for e in c.snapshot.entrustments {
            let span = "\(e.validFrom) to \(e.validTo.map { "\($0) (exclusive)" } ?? "ongoing")"
            for sub in e.recordedSubEntrustees {
                var problems: [String] = []
                if let from = sub.validFrom, from < e.validFrom { problems.append("starts on \(from), before the entrustment") }
                if let from = sub.validFrom, let end = e.validTo, from >= end { problems.append("starts on \(from), after the entrustment ends") }
                if let to = sub.validTo, let end = e.validTo, to > end { problems.append("ends on \(to), after the entrustment") }
                guard !problems.isEmpty else { continue }
                findings.append(Finding(.subEntrusteeOutsideEntrustment, "entrustment", e.key,
                    "sub-entrustee \(sub.vendor) of \(e.key) \(problems.joined(separator: " and ")) (\(span)); a sub-entrustee works within its entrustment: correct its valid_from/valid_to"))
            }
        }
        return findings
    }
}
