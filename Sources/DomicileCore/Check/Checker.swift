import Foundation

/// `domicile check`: the registry's compliance gaps as findings, from one snapshot.
///
/// Pure: the same snapshot and policy give the same findings, in the same order (rule order of
/// `CheckRule.all`, then subject). "Today" is the snapshot's day (`RegistrySnapshot.asOf`), so
/// a check as of a past or future day is reproducible. docs/checks.md explains every rule.
public enum Checker {
    /// Days before a contract's end at which `contract.expiring` starts (or the contract's
    /// notice period, when longer).
    public static let expiringWithinDays = Compliance.defaultExpiringWithinDays
    /// Days before a review's due date at which `review.due_soon` starts.
    public static let reviewDueWithinDays = 30
    /// Age in days after which a residency's verification is stale.
    public static let verificationMaxAgeDays = 365

    public static func run(_ snapshot: RegistrySnapshot, policy: PolicyText? = nil) -> [Finding] {
        let context = Context(snapshot)
        var findings: [Finding] = []
        findings += contracts(context)
        findings += assessments(context)
        findings += transfers(context)
        findings += environment(context)
        findings += residencies(context)
        findings += transmissions(context)
        findings += subEntrustees(context)
        findings += vendors(context)
        findings += lifecycle(context)
        findings += disclosure(context)
        if let policy { findings += Self.policy(policy, context) }
        let order = Dictionary(uniqueKeysWithValues: CheckRule.all.enumerated().map { ($0.element.id, $0.offset) })
        var seen = Set<Finding>()
        return findings.filter { seen.insert($0).inserted }.enumerated().sorted { a, b in
            let (ra, rb) = (order[a.element.rule.id] ?? 0, order[b.element.rule.id] ?? 0)
            if ra != rb { return ra < rb }
            if a.element.subject != b.element.subject { return a.element.subject < b.element.subject }
            return a.offset < b.offset
        }.map(\.element)
    }

    // MARK: Contracts (APPI Art. 25)

    static func contracts(_ c: Context) -> [Finding] {
        var findings: [Finding] = []
        let today = c.today
        for e in c.snapshot.entrustments {
            let contract = e.contract
            let name = contract.reference.map { "contract '\($0)'" } ?? "the contract"
            let window = max(expiringWithinDays, contract.noticeDays ?? 0)
            switch Compliance.contractState(contract, asOf: today, expiringWithin: window) {
            case .missing where e.cloudException:
                // no Art. 25 supervision is owed, but the exception itself rests on a contract clause (Q&A 7-53)
                findings.append(Finding(.contractMissing, "entrustment", e.key,
                    "entrustment \(e.key) (\(e.service) → \(e.vendor)) claims the cloud exception but records no contract; the exception rests on the contract clause that the provider does not handle the data (Q&A 7-53): record its reference and signing date (contract.reference, contract.signed_on)"))
            case .missing:
                findings.append(Finding(.contractMissing, "entrustment", e.key,
                    "entrustment \(e.key) (\(e.service) → \(e.vendor)) records no contract; record its reference and signing date (contract.reference, contract.signed_on)"))
            case .expired(let on, _) where contract.renewal == "automatic":
                let fields = contract.dpaExpiresOn == on ? "contract.expires_on and contract.dpa_expires_on" : "contract.expires_on"
                findings.append(Finding(.contractRenewalUnrecorded, "entrustment", e.key,
                    "\(name) with \(e.vendor) renews automatically and its recorded term ended on \(on); record the current term's \(fields)"))
            case .expired(let on, _) where contract.renewal == "unknown":
                // unknown renewal terms are not "no renewal": say what is missing
                findings.append(Finding(.contractExpired, "entrustment", e.key,
                    "\(name) with \(e.vendor) expired on \(on) and its renewal terms are not recorded; record contract.renewal (automatic, manual or none) and, if it was renewed, the new contract.expires_on, or end the entrustment"))
            case .expired(let on, _):
                findings.append(Finding(.contractExpired, "entrustment", e.key,
                    "\(name) with \(e.vendor) expired on \(on) (renewal: \(contract.renewal)); renew it and record the new contract.expires_on, or end the entrustment"))
            case .expiring(let on, let left):
                var message = "\(name) with \(e.vendor) expires on \(on), in \(count(left, "day"))"
                if let deadline = Compliance.noticeDeadline(contract), let notice = contract.noticeDays, notice > 0 {
                    message += "; notice is due \(count(notice, "day")) before, by \(deadline)"
                }
                findings.append(Finding(.contractExpiring, "entrustment", e.key, message))
            case .active:
                break
            }
            switch Compliance.dpaState(contract, asOf: today) {
            case .missing where !e.cloudException:
                findings.append(Finding(.dpaMissing, "entrustment", e.key,
                    "entrustment \(e.key) (\(e.service) → \(e.vendor)) records no data-processing agreement (contract.dpa_signed_on); the entrustee handles the data, and the contract should state the protection measures (desirable under GL 3-4-4; required in writing by GDPR Art. 28(3) where GDPR applies)"))
            // A DPA that ends with an automatically renewing contract renews with it.
            case .expired(let on, _) where !(contract.renewal == "automatic" && on == contract.expiresOn):
                findings.append(Finding(.dpaExpired, "entrustment", e.key,
                    "the data-processing agreement with \(e.vendor) expired on \(on); renew it and record contract.dpa_expires_on"))
            default:
                break
            }
        }
        return findings
    }

    // MARK: Assessments (APPI Arts. 23-25)

    static func assessments(_ c: Context) -> [Finding] {
        let s = c.snapshot
        var findings: [Finding] = []
        // Reviews: an organization's by the dates its assessments set; a vendor's as the vendor
        // report computes it (the earlier of next_review_on and its risk tier's cadence).
        var latest: [(subject: String, assessments: [RegistrySnapshot.Assessment])] = []
        for organization in s.organizations {
            let mine = Compliance.latestAssessments(of: c.assessmentsByOrganization[organization.key] ?? [])
            latest.append(("organization \(organization.key)", mine))
            for assessment in mine {
                let left = c.today.days(until: assessment.nextReviewOn)
                if left < 0 {
                    findings.append(Finding(.reviewOverdue, "assessment", assessment.key,
                        "the \(assessment.template) review of organization \(organization.key) was due on \(assessment.nextReviewOn) (\(count(-left, "day")) ago); assess again and record the new assessment"))
                } else if left <= reviewDueWithinDays {
                    findings.append(Finding(.reviewDueSoon, "assessment", assessment.key,
                        "the \(assessment.template) review of organization \(organization.key) is due on \(assessment.nextReviewOn), in \(count(left, "day"))"))
                }
            }
        }
        for vendor in s.vendors {
            let mine = Compliance.latestAssessments(of: c.assessmentsByVendor[vendor.key] ?? [])
            guard !mine.isEmpty else { continue }
            latest.append(("vendor \(vendor.key)", mine))
            let cadence = "next_review_on of \(mine.map(\.key).joined(separator: ", ")), or every \(Compliance.reviewCadenceMonths(vendor.riskTier)) months for risk tier \(vendor.riskTier.rawValue)"
            switch Compliance.reviewState(latest: mine, tier: vendor.riskTier, asOf: c.today) {
            case .overdue(let since, let daysAgo):
                findings.append(Finding(.reviewOverdue, "vendor", vendor.key,
                    "the review of vendor \(vendor.key) was due on \(since) (\(count(daysAgo, "day")) ago; \(cadence)); assess it again and record the new assessment"))
            case .due(let on, let left) where left <= reviewDueWithinDays:
                findings.append(Finding(.reviewDueSoon, "vendor", vendor.key,
                    "the review of vendor \(vendor.key) is due on \(on), in \(count(left, "day")) (\(cadence))"))
            default:
                break
            }
        }
        // Mandatory items, in each subject's latest assessment per checklist.
        for (subject, assessments) in latest {
            for assessment in assessments {
                let result = Compliance.evaluate(assessment, in: s)
                let mandatory = result.gaps.filter(\.mandatory)
                for gap in mandatory where gap.status == "unmet" {
                    let japanese = result.template?.item(gap.item)?.titleJa.map { " (\($0))" } ?? ""
                    var message = "\(gap.item) \(gap.title)\(japanese) is a mandatory item of \(assessment.template) and is unmet for \(subject)"
                    if let note = gap.note { message += ": " + oneLine(note) }
                    findings.append(Finding(.mandatoryUnmet, "assessment", assessment.key, message))
                }
                let unanswered = mandatory.filter { $0.status == "unanswered" }.map(\.item)
                if !unanswered.isEmpty {
                    findings.append(Finding(.mandatoryUnanswered, "assessment", assessment.key,
                        "\(count(unanswered.count, "mandatory item")) of \(assessment.template) \(unanswered.count == 1 ? "is" : "are") not answered for \(subject): \(unanswered.joined(separator: ", "))"))
                }
            }
        }
        var reported = Set<String>()
        for e in s.entrustments where !e.cloudException && c.assessmentsByVendor[e.vendor] == nil {
            guard reported.insert(e.vendor).inserted else { continue }
            let through = (c.entrustmentsByVendor[e.vendor] ?? []).filter { !$0.cloudException }.map(\.key)
            findings.append(Finding(.entrusteeNeverAssessed, "vendor", e.vendor,
                "entrustee \(e.vendor) (entrustment \(through.joined(separator: ", "))) has never been assessed; assess it, e.g. with the appi-entrustee-supervision checklist"))
        }
        return findings
    }

    // MARK: Foreign transfers (APPI Art. 28)

    static func transfers(_ c: Context) -> [Finding] {
        var findings: [Finding] = []
        let s = c.snapshot
        let remedy = "record a basis: cloud_exception with its basis, or transfer_basis (consent, standard_conforming or cbpr) on the entrustment, or the vendor's apec_cbpr certification"
        // Art. 28 turns on the recipient (Q&A 12-4): its contracting entity's country, not its servers'.
        func recipient(_ key: String) -> (vendor: RegistrySnapshot.Vendor, country: String)? {
            guard let vendor = s.vendor(key), c.needsBasis(vendor.recipientCountry) else { return nil }
            return (vendor, vendor.recipientCountry)
        }
        func place(_ r: (vendor: RegistrySnapshot.Vendor, country: String)) -> String {
            "\(c.describe(r.country)) (\(Compliance.recipientCountrySource(r.vendor))), \(c.designationNote(r.country))"
        }
        // A residency with no entrustment of its service to its vendor: the vendor receives the data.
        // (A sub-entrustee of the service's entrustment is judged under it below.)
        func subEntrustee(_ vendor: String, of service: String) -> Bool {
            s.entrustments(ofService: service).contains { e in e.subEntrustees.contains { $0.vendor == vendor } }
        }
        for r in s.residencies where c.entrustments(of: r.service, to: r.vendor).isEmpty && !c.certifiedCBPR(r.vendor)
            && !subEntrustee(r.vendor, of: r.service) {
            guard let who = recipient(r.vendor) else { continue }
            findings.append(Finding(.transferNoBasis, "residency", r.key,
                "\(r.vendor) holds \(r.service)'s data and is a business operator in \(place(who)); no basis is recorded; record the entrustment of \(r.service) to \(r.vendor) and \(remedy)"))
        }
        // An entrustment (not under the cloud exception: then nothing is provided, Q&A 7-53, 12-3).
        func judge(_ e: RegistrySnapshot.Entrustment, _ who: (vendor: RegistrySnapshot.Vendor, country: String), _ role: String) {
            // the recipient's APEC CBPR certification is a standard-conforming system too (Rules Art. 16(ii))
            let certified = c.certifiedCBPR(who.vendor.key) && e.transferBasis == nil
            guard let basis = Compliance.recordedBasis(e, asOf: c.today) ?? (certified ? .init(description: "APEC CBPR certification", problem: nil) : nil) else {
                findings.append(Finding(.transferNoBasis, "entrustment", e.key,
                    "\(role) \(who.vendor.key) is a business operator in \(place(who)), and no basis is recorded; \(remedy)"))
                return
            }
            if let lapsed = Compliance.basisLapse(e, asOf: c.today) {
                let what = e.transferBasisExpiresOn != nil ? "the contract or rules it rests on ended (transfer_basis_expires_on)" : "the contract it rests on ended (contract.expires_on)"
                findings.append(Finding(.transferBasisLapsed, "entrustment", e.key,
                    "the standard-conforming basis for \(role) \(who.vendor.key) in \(c.describe(who.country)) lapsed on \(lapsed): \(what); renew the contract and record it, or stop providing the data"))
            } else if e.transferBasis == "consent" && !e.foreignInfoGiven {
                findings.append(Finding(.transferConsentUninformed, "entrustment", e.key,
                    "\(basis.description) for \(role) \(who.vendor.key) in \(c.describe(who.country)), but the country's name, its protection system and the recipient's measures are not recorded as given first (foreign_info_given)"))
            } else if Compliance.needsPeriodicCheck(e, recipientCertifiedCBPR: c.certifiedCBPR(who.vendor.key)) {
                if let checked = e.transferBasisCheckedOn {
                    let age = checked.days(until: c.today)
                    if Compliance.basisCheckDue(lastCheckedOn: checked) < c.today {
                        findings.append(Finding(.transferBasisCheckOverdue, "entrustment", e.key,
                            "the periodic check of \(who.vendor.key)'s measures (and of the laws of \(c.describe(who.country)) that may affect them) was last made on \(checked), \(count(age, "day")) ago; check it again and record transfer_basis_checked_on"))
                    }
                } else {
                    findings.append(Finding(.transferBasisCheckOverdue, "entrustment", e.key,
                        "no periodic check of \(who.vendor.key)'s measures (and of the laws of \(c.describe(who.country)) that may affect them) is recorded; check it and record transfer_basis_checked_on"))
                }
            }
        }
        for e in s.entrustments where !e.cloudException {
            if let who = recipient(e.vendor) { judge(e, who, "entrustee") }
            for sub in e.subEntrustees {
                if let who = recipient(sub.vendor) { judge(e, who, "sub-entrustee") }
            }
        }
        for p in s.provisions where c.needsBasis(p.recipientCountry) {
            switch p.basis {
            case "legal_exception":
                continue
            case "consent" where !p.foreignInfoGiven:
                findings.append(Finding(.transferConsentUninformed, "provision", p.key,
                    "provision to \(p.recipient) in \(c.describe(p.recipientCountry)) rests on consent, but the country's name, its protection system and the recipient's measures were not given first (foreign_info_given is false)"))
            case "consent":
                continue
            default:
                if c.certifiedCBPR(p.recipient) { continue }
                findings.append(Finding(.transferNoBasis, "provision", p.key,
                    "provision to \(p.recipient) in \(c.describe(p.recipientCountry)), \(c.designationNote(p.recipientCountry)), rests on \(p.basis), which does not allow a foreign provision; obtain consent (basis consent, foreign_info_given) or record the recipient's apec_cbpr certification"))
            }
        }
        return findings
    }

    // MARK: External environment (GL 10-7)

    /// Every foreign country the disclosure's external-environment section names must have
    /// regime facts fit to publish in force on the day (GL 10-7; Q&A 10-24, 10-25).
    static func environment(_ c: Context) -> [Finding] {
        var findings: [Finding] = []
        for (code, why) in ExternalEnvironment.countries(c.snapshot).sorted(by: { $0.key < $1.key }) where !c.isHome(code) {
            let facts = c.snapshot.country(code)?.facts ?? []
            guard !facts.contains(where: \.publishable) else { continue }
            let detail = facts.isEmpty ? "no regime facts are in force on \(c.today)" : "its regime facts in force on \(c.today) are general knowledge only, not yet reviewed"
            findings.append(Finding(.environmentNoRegimeFacts, "country", code,
                "\(c.describe(code)) is part of the external environment (\(why)), but \(detail); add its sourced facts to seeds/country-regime-facts.csv so the disclosure can summarise its system"))
        }
        return findings
    }

    // MARK: Residencies (external environment)

    static func residencies(_ c: Context) -> [Finding] {
        var findings: [Finding] = []
        for r in c.snapshot.residencies {
            if let undisclosed = r.undisclosed {
                if isVagueReason(undisclosed.reason) {
                    findings.append(Finding(.undisclosedNoReason, "residency", r.key,
                        "residency \(r.key) does not disclose its country and its reason '\(oneLine(undisclosed.reason))' gives none; state why the provider does not disclose it (undisclosed.reason)"))
                }
                if undisclosed.candidates.isEmpty {
                    findings.append(Finding(.undisclosedNoCandidates, "residency", r.key,
                        "residency \(r.key) does not disclose its country and names no candidate countries; add undisclosed.candidates where they can be known"))
                }
            }
            let age = r.verifiedOn.days(until: c.today)
            if age > verificationMaxAgeDays {
                findings.append(Finding(.verificationStale, "residency", r.key,
                    "residency \(r.key) was last verified on \(r.verifiedOn), \(count(age, "day")) ago; check the source again and update verified_on"))
            }
        }
        return findings
    }

    // MARK: External transmissions (TBA Art. 27-12)

    static func transmissions(_ c: Context) -> [Finding] {
        var findings: [Finding] = []
        for t in c.snapshot.transmissions {
            var missing: [String] = []
            if c.snapshot.vendor(t.recipient) == nil {
                missing.append("a recipient (vendor \(t.recipient) is not in force on \(c.today))")
            }
            if t.information.allSatisfy(isPlaceholder) { missing.append("the information sent") }
            if isPlaceholder(t.purpose) { missing.append("the purpose") }
            if !missing.isEmpty {
                findings.append(Finding(.transmissionIncomplete, "transmission", t.key,
                    "transmission \(t.key) (\(t.tool)) lacks \(missing.joined(separator: ", ")); the notice must state what is sent, to whom and why"))
            }
            var japanese: [String] = []
            if t.informationJa.isEmpty { japanese.append("information_ja") }
            if t.purposeJa == nil { japanese.append("purpose_ja") }
            if !japanese.isEmpty {
                findings.append(Finding(.transmissionNoJapanese, "transmission", t.key,
                    "transmission \(t.key) (\(t.tool)) has no Japanese wording (\(japanese.joined(separator: ", "))); the notice is to be given in Japanese"))
            }
        }
        return findings
    }

    // MARK: Sub-entrustees (APPI Art. 25, Q&A 10-24)

    static func subEntrustees(_ c: Context) -> [Finding] {
        var findings: [Finding] = []
        for e in c.snapshot.entrustments {
            // Unknown is not a prohibition: the terms are asked for, not assumed (no Art. 25 duty under the cloud exception).
            if e.reentrustment == "unknown" && !e.cloudException {
                let subs = e.subEntrustees.isEmpty ? "" : "; \(count(e.subEntrustees.count, "sub-entrustee")) \(e.subEntrustees.count == 1 ? "is" : "are") recorded"
                findings.append(Finding(.reentrustmentTermsUnknown, "entrustment", e.key,
                    "the re-entrustment terms of the contract with \(e.vendor) are not recorded\(subs); record reentrustment (prohibited, prior_approval, prior_notice or allowed)"))
            }
            let chain = Set([e.vendor] + e.subEntrustees.map(\.vendor))
            for sub in e.subEntrustees {
                if c.snapshot.vendor(sub.vendor) == nil {
                    findings.append(Finding(.subEntrusteeNotInRegistry, "entrustment", e.key,
                        "sub-entrustee \(sub.vendor) of \(e.key) is not a vendor in force on \(c.today) (ended, or not yet started); record it as a vendor or remove it from the entrustment"))
                } else if !chain.contains(sub.via) {
                    findings.append(Finding(.subEntrusteeNotInRegistry, "entrustment", e.key,
                        "sub-entrustee \(sub.vendor) of \(e.key) works for \(sub.via), which is neither the entrustee nor another sub-entrustee of it"))
                }
                if sub.countries.isEmpty {
                    findings.append(Finding(.subEntrusteeNoCountry, "entrustment", e.key,
                        "sub-entrustee \(sub.vendor) of \(e.key) has no country; record where it handles the data (sub_entrustees.countries)"))
                }
                if e.reentrustment == "prohibited" {
                    findings.append(Finding(.subEntrusteeNotPermitted, "entrustment", e.key,
                        "sub-entrustee \(sub.vendor) is recorded, but the contract with \(e.vendor) prohibits re-entrustment; correct reentrustment or stop the re-entrustment"))
                } else if e.reentrustment == "prior_approval", sub.approvedOn == nil {
                    findings.append(Finding(.subEntrusteeNotApproved, "entrustment", e.key,
                        "sub-entrustee \(sub.vendor) needs prior approval under the contract with \(e.vendor), but no approval date is recorded (sub_entrustees.approved_on)"))
                }
            }
        }
        return findings
    }

    // MARK: Vendors

    static func vendors(_ c: Context) -> [Finding] {
        let s = c.snapshot
        var findings: [Finding] = []
        var users: [String: [String]] = [:]
        for r in s.residencies where s.vendor(r.vendor) == nil { users[r.vendor, default: []].append("residency " + r.key) }
        for e in s.entrustments where s.vendor(e.vendor) == nil { users[e.vendor, default: []].append("entrustment " + e.key) }
        for p in s.provisions where s.vendor(p.recipient) == nil { users[p.recipient, default: []].append("provision " + p.key) }
        for (vendor, records) in users.sorted(by: { $0.key < $1.key }) {
            findings.append(Finding(.vendorEndedInUse, "vendor", vendor,
                "vendor \(vendor) is not in force on \(c.today) (ended, or not yet started) but \(records.joined(separator: ", ")) still \(records.count == 1 ? "is" : "are") in force; end \(records.count == 1 ? "it" : "them") or correct the vendor's valid_to"))
        }
        var owners: [String: (name: String, keys: [String])] = [:]
        for vendor in s.vendors {
            for name in Set(([vendor.legalName] + vendor.aliases).map { PolicyText.normalizedName($0) }) {
                let folded = name.lowercased()
                owners[folded, default: (name, [])].keys.append(vendor.key)
            }
        }
        for (_, owner) in owners.sorted(by: { $0.key < $1.key }) where owner.keys.count > 1 {
            findings.append(Finding(.vendorSharedAlias, "vendor", owner.keys[0],
                "the name '\(owner.name)' belongs to \(owner.keys.joined(separator: " and ")); a lookup by it is ambiguous and a policy naming it names neither for sure; keep it on one vendor"))
        }
        return findings
    }

    // MARK: Policy drift

    static func policy(_ policy: PolicyText, _ c: Context) -> [Finding] {
        let s = c.snapshot
        var findings: [Finding] = []
        let named = policy.countries(named: CountryNames.names(s.countries.map {
            CountryNames.Entry(code: $0.code, nameEN: $0.name, nameJA: $0.nameJa, officialNameEN: $0.officialName)
        }))
        // Countries the policy must name (foreign ones), with the first reason for each.
        var required: [String: String] = [:]
        func require(_ code: String, _ why: String) {
            guard !c.isHome(code), required[code] == nil else { return }
            required[code] = why
        }
        for r in s.residencies {
            if let country = r.country { require(country, "residency \(r.key) keeps data there") }
            if let vendor = s.vendor(r.vendor) { require(vendor.recipientCountry, "it is the country of \(vendor.key), which holds data in residency \(r.key)") }
        }
        for e in s.entrustments {
            if let vendor = s.vendor(e.vendor) { require(vendor.recipientCountry, "entrustee \(vendor.key) is there") }
            for sub in e.subEntrustees {
                for country in sub.countries { require(country, "sub-entrustee \(sub.vendor) of \(e.key) handles data there") }
            }
        }
        for p in s.provisions where p.basis != "legal_exception" { require(p.recipientCountry, "provision \(p.key) sends data there") }
        for t in s.transmissions where t.basis != "necessary" {
            if let country = t.recipientCountry { require(country, "transmission \(t.key) sends data there") }
        }
        for (code, why) in required.sorted(by: { $0.key < $1.key }) where named[code] == nil {
            findings.append(Finding(.policyCountryNotNamed, "country", code,
                "the policy does not name \(c.describe(code)), but \(why); add it to the policy's external-environment section"))
        }
        if !policy.mentionsUndisclosedLocation {
            for r in s.residencies where r.undisclosed != nil {
                findings.append(Finding(.policyUndisclosedNotMentioned, "residency", r.key,
                    "residency \(r.key) does not disclose its country, but the policy does not say that a storage location may be undisclosed; say so, with the reason"))
            }
        }
        var recipients: [String] = []
        for t in s.transmissions where t.basis != "necessary" { recipients.append(t.recipient) }
        for p in s.provisions where p.basis != "legal_exception" { recipients.append(p.recipient) }
        var checked = Set<String>()
        for key in recipients where checked.insert(key).inserted {
            guard let vendor = s.vendor(key) else { continue }
            if !policy.mentions(anyOf: names(of: vendor)) {
                findings.append(Finding(.policyRecipientNotNamed, "vendor", key,
                    "the policy does not name recipient \(vendor.legalName) (\(key)) or any of its other names; name it where the policy lists recipients"))
            }
        }
        for t in s.transmissions where t.basis != "necessary" && !policy.mentions(anyOf: [t.tool]) {
            findings.append(Finding(.policyTransmissionNotNamed, "transmission", t.key,
                "the policy does not list the external transmission '\(t.tool)' (\(t.key)); add it to the table of information sent, recipient and purpose"))
        }
        let present = c.registryCountries
        for (code, words) in named.sorted(by: { $0.key < $1.key }) where !present.contains(code) {
            findings.append(Finding(.policyCountryNotInRegistry, "country", code,
                "the policy names \(c.describe(code)) (\(words.map { "\"\($0)\"" }.joined(separator: ", "))), but the registry records nothing there; record what is there, or correct the policy"))
        }
        return findings
    }

    /// A vendor's names as a policy may write them: legal name (also without its company-form
    /// suffix), Japanese name, aliases.
    static func names(of vendor: RegistrySnapshot.Vendor) -> [String] {
        var names = [vendor.legalName] + vendor.aliases + (vendor.nameJa.map { [$0] } ?? [])
        let suffixes = [", Inc.", " Inc.", ", Inc", " Inc", " LLC", ", LLC", " Ltd.", ", Ltd.", " Limited", " K.K.", " Co., Ltd.", " GmbH", " B.V.", " S.A.", " Pte. Ltd.", " Corporation", " Corp."]
        for suffix in suffixes where vendor.legalName.hasSuffix(suffix) && vendor.legalName.count > suffix.count + 2 {
            names.append(String(vendor.legalName.dropLast(suffix.count)))
        }
        if let japanese = vendor.nameJa {
            for form in ["株式会社", "合同会社", "有限会社"] where japanese.contains(form) {
                names.append(japanese.replacingOccurrences(of: form, with: "").trimmingCharacters(in: .whitespaces))
            }
        }
        return names.filter { !$0.isEmpty }
    }

    // MARK: Helpers

    /// What a snapshot implies for the rules, computed once.
    struct Context {
        let snapshot: RegistrySnapshot
        var today: Day { snapshot.asOf }
        let assessmentsByOrganization: [String: [RegistrySnapshot.Assessment]]
        let assessmentsByVendor: [String: [RegistrySnapshot.Assessment]]
        let entrustmentsByVendor: [String: [RegistrySnapshot.Entrustment]]
        private let entrustmentsByPair: [String: [RegistrySnapshot.Entrustment]]

        /// The entrustments of `service`'s data to `vendor`.
        func entrustments(of service: String, to vendor: String) -> [RegistrySnapshot.Entrustment] {
            entrustmentsByPair[service + "\u{0}" + vendor] ?? []
        }

        /// Every country the registry records anything in.
        let registryCountries: Set<String>

        init(_ snapshot: RegistrySnapshot) {
            self.snapshot = snapshot
            // Grouped once, so no rule scans the whole registry per record.
            assessmentsByOrganization = Dictionary(grouping: snapshot.assessments.filter { $0.organization != nil }) { $0.organization! }
            assessmentsByVendor = Dictionary(grouping: snapshot.assessments.filter { $0.vendor != nil }) { $0.vendor! }
            entrustmentsByVendor = Dictionary(grouping: snapshot.entrustments, by: \.vendor)
            entrustmentsByPair = Dictionary(grouping: snapshot.entrustments) { $0.service + "\u{0}" + $0.vendor }
            var countries = Set(snapshot.organizations.map(\.country))
            countries.formUnion(snapshot.vendors.map(\.headquarters))
            countries.formUnion(snapshot.vendors.compactMap(\.contractingCountry))
            for r in snapshot.residencies {
                if let country = r.country { countries.insert(country) }
                countries.formUnion(r.undisclosed?.candidates ?? [])
            }
            for e in snapshot.entrustments { countries.formUnion(e.subEntrustees.flatMap(\.countries)) }
            countries.formUnion(snapshot.provisions.map(\.recipientCountry))
            countries.formUnion(snapshot.transmissions.compactMap(\.recipientCountry))
            registryCountries = countries
        }

        /// Neither Japan nor designated by the PPC as equivalent (Rules Art. 15).
        func needsBasis(_ code: String) -> Bool { Compliance.needsTransferBasis(code, in: snapshot) }

        func isHome(_ code: String) -> Bool { snapshot.country(code)?.regime?.ppcEquivalent == "home" }

        func designationNote(_ code: String) -> String {
            snapshot.country(code)?.regime == nil
                ? "for which no regime facts are recorded" : "which the PPC has not designated as equivalent"
        }

        func describe(_ code: String) -> String { "\(snapshot.countryName(code)) (\(code))" }

        func certifiedCBPR(_ vendor: String) -> Bool {
            snapshot.vendor(vendor)?.certifications.contains("apec_cbpr") ?? false
        }

        /// A recorded reason the Art. 28 restriction does not bite: the cloud exception, a
        /// transfer basis, or the entrustee's CBPR certification.
        func hasBasis(_ e: RegistrySnapshot.Entrustment) -> Bool {
            e.cloudException || e.transferBasis != nil || certifiedCBPR(e.vendor)
        }
    }

    /// Text that stands for nothing: empty, "TBD", "unknown", "-", 不明.
    static func isPlaceholder(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        let placeholders: Set<String> = [
            "", "tbd", "tbc", "todo", "unknown", "n/a", "na", "none", "nil", "null", "-", "?", "x", "xxx",
            "not disclosed", "undisclosed", "no reason", "不明", "未定", "なし", "無し", "非公開", "確認中", "未確認",
        ]
        return placeholders.contains(trimmed.lowercased())
    }

    /// A reason that explains nothing: a placeholder, or too short to say why (under 10
    /// characters; 4 in Japanese, which packs more into a character).
    static func isVagueReason(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let wide = trimmed.unicodeScalars.contains { $0.value >= 0x2E80 }
        return isPlaceholder(trimmed) || trimmed.count < (wide ? 4 : 10)
    }

    /// "1 day", "2 days".
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isNewline }).joined(separator: " ")
    }
}
