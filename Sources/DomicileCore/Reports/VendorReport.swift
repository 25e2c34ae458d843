import Foundation

/// Every vendor's compliance position: what it gets, where it goes, contracts, the latest
/// assessments with their gaps, the next review and a risk score with its factors.
public struct VendorReport: Encodable, Sendable {
    public struct Agreement: Encodable, Sendable {
        public let entrustment: String
        public let service: String
        public let reference: String?
        /// `missing`, `active`, `expiring` or `expired`.
        public let contract: String
        public let contractSummary: String
        public let dpa: String
        public let dpaSummary: String
        public let renewal: String
        public let noticeDeadline: String?
        public let cloudException: Bool
        public let reentrustment: String
        public let subEntrustees: [String]
    }

    public struct Group: Encodable, Sendable {
        public let group: String
        public let label: String
        public let met: Int
        public let partial: Int
        public let unmet: Int
        public let notApplicable: Int
        public let unanswered: Int
        public let applicable: Int
        public let percent: Int
    }

    public struct Gap: Encodable, Sendable {
        public let item: String
        public let title: String
        public let status: String
        public let mandatory: Bool
        public let evidence: String?
        public let note: String?
    }

    public struct Assessment: Encodable, Sendable {
        public let key: String
        public let template: String
        public let templateTitle: String
        public let assessedOn: String
        public let assessor: String
        public let percent: Int
        public let groups: [Group]
        public let gaps: [Gap]
    }

    public struct Review: Encodable, Sendable {
        /// `never_assessed`, `due` or `overdue`.
        public let state: String
        public let summary: String
        public let due: String?
        public let cadenceMonths: Int
    }

    public struct Risk: Encodable, Sendable {
        public let score: Int
        public let level: String
        public let factors: [Compliance.RiskFactor]
    }

    public struct Vendor: Encodable, Sendable {
        public let key: String
        public let legalName: String
        public let nameJa: String?
        public let kinds: [String]
        public let headquarters: String
        public let headquartersName: String
        /// Where the recipient is for APPI Art. 28 and from which field: "Japan (JP), the
        /// contracting entity's country" or "… (US), the headquarters (no contracting country recorded)".
        public let recipientCountry: String
        public let riskTier: String
        public let services: [String]
        public let categories: [String]
        public let countriesDirect: [String]
        public let countriesThroughSubEntrustees: [String]
        public let undisclosedCandidates: [String]
        public let hasUndisclosed: Bool
        public let agreements: [Agreement]
        public let assessments: [Assessment]
        public let review: Review
        public let certifications: [String]
        public let risk: Risk
    }

    public let expiringWithinDays: Int
    public let vendors: [Vendor]

    public var listing: Listing {
        Listing(
            columns: [
                "vendor", "legal_name", "kinds", "headquarters", "risk_tier", "services", "categories", "countries",
                "contract", "dpa", "assessments", "gaps", "review", "review_due", "certifications", "risk_score", "risk_level",
            ],
            rows: vendors.map { vendor in
                [
                    vendor.key, vendor.legalName, vendor.kinds.joined(separator: " "), vendor.headquarters, vendor.riskTier,
                    vendor.services.joined(separator: " "), vendor.categories.joined(separator: " "),
                    Array(Set(vendor.countriesDirect + vendor.countriesThroughSubEntrustees)).sorted().joined(separator: " "),
                    vendor.agreements.map { "\($0.entrustment): \($0.contract)" }.joined(separator: "; "),
                    vendor.agreements.map { "\($0.entrustment): \($0.dpa)" }.joined(separator: "; "),
                    vendor.assessments.map { "\($0.template) \($0.assessedOn) \($0.percent)%" }.joined(separator: "; "),
                    String(vendor.assessments.reduce(0) { $0 + $1.gaps.count }), vendor.review.state, vendor.review.due ?? "",
                    vendor.certifications.joined(separator: " "), String(vendor.risk.score), vendor.risk.level,
                ]
            })
    }

    public init(_ snapshot: RegistrySnapshot, options: ReportOptions = ReportOptions()) {
        let days = options.expiringWithinDays
        expiringWithinDays = days
        vendors = snapshot.vendors.map { vendor in
            let entrustments = snapshot.entrustments(ofVendor: vendor.key)
            let asSub = snapshot.entrustments(withSubEntrustee: vendor.key)
            var services = Set(entrustments.map(\.service)).union(asSub.map(\.service))
            var categories = Set(entrustments.flatMap(\.categories)).union(asSub.flatMap(\.categories))
            for residency in snapshot.residencies(ofVendor: vendor.key) {
                services.insert(residency.service)
                categories.formUnion(residency.categories)
            }
            for transmission in snapshot.transmissions(toRecipient: vendor.key) {
                services.insert(transmission.service)
                categories.formUnion(transmission.categories)
            }
            for provision in snapshot.provisions(toRecipient: vendor.key) {
                services.insert(provision.service)
                categories.formUnion(provision.categories)
            }
            let agreements = entrustments.map { entrustment in
                let contract = Compliance.contractState(entrustment.contract, asOf: snapshot.asOf, expiringWithin: days)
                let dpa = Compliance.dpaState(entrustment.contract, asOf: snapshot.asOf, expiringWithin: days)
                return Agreement(
                    entrustment: entrustment.key, service: entrustment.service, reference: entrustment.contract.reference,
                    contract: contract.code, contractSummary: contract.summary, dpa: dpa.code, dpaSummary: dpa.summary,
                    renewal: entrustment.contract.renewal,
                    noticeDeadline: Compliance.noticeDeadline(entrustment.contract)?.description,
                    cloudException: entrustment.cloudException, reentrustment: entrustment.reentrustment,
                    subEntrustees: entrustment.subEntrustees.map { "\($0.vendor) (\($0.countries.joined(separator: ", ")))" })
            }
            let latest = Compliance.latestAssessments(snapshot, vendor: vendor.key)
            let assessments = latest.map { assessment in
                let result = Compliance.evaluate(assessment, in: snapshot)
                return Assessment(
                    key: assessment.key, template: assessment.template, templateTitle: result.template?.title ?? assessment.template,
                    assessedOn: assessment.assessedOn.description, assessor: assessment.assessor,
                    percent: Int(result.total.percent.rounded()), groups: result.groups.map(Self.group),
                    gaps: result.gaps.map {
                        Gap(item: $0.item, title: $0.title, status: $0.status, mandatory: $0.mandatory, evidence: $0.evidence, note: $0.note)
                    })
            }
            let review = Compliance.reviewState(latest: latest, tier: vendor.riskTier, asOf: snapshot.asOf)
            let due: Day? = {
                switch review {
                case .due(let on, _): return on
                case .overdue(let since, _): return since
                case .neverAssessed: return nil
                }
            }()
            let countries = Compliance.countries(of: vendor.key, in: snapshot)
            let risk = Compliance.riskScore(vendor: vendor, in: snapshot, expiringWithin: days)
            return Vendor(
                key: vendor.key, legalName: vendor.legalName, nameJa: vendor.nameJa, kinds: vendor.kinds.map(\.rawValue),
                headquarters: vendor.headquarters, headquartersName: snapshot.countryName(vendor.headquarters),
                recipientCountry: "\(snapshot.countryName(vendor.recipientCountry)) (\(vendor.recipientCountry)), "
                    + (vendor.contractingCountry != nil ? "the contracting entity's country" : "the headquarters (no contracting country recorded)"),
                riskTier: vendor.riskTier.rawValue, services: services.sorted(), categories: categories.sorted(),
                countriesDirect: countries.direct, countriesThroughSubEntrustees: countries.throughSubEntrustees,
                undisclosedCandidates: countries.undisclosedCandidates, hasUndisclosed: countries.hasUndisclosed,
                agreements: agreements, assessments: assessments,
                review: Review(
                    state: review.code, summary: review.summary, due: due?.description,
                    cadenceMonths: Compliance.reviewCadenceMonths(vendor.riskTier)),
                certifications: vendor.certifications,
                risk: Risk(score: risk.score, level: risk.level, factors: risk.factors))
        }
    }

    static func group(_ completion: Compliance.GroupCompletion) -> Group {
        Group(
            group: completion.group, label: ChecklistGroups.label(completion.group, .en), met: completion.met,
            partial: completion.partial, unmet: completion.unmet, notApplicable: completion.notApplicable,
            unanswered: completion.unanswered, applicable: completion.applicable, percent: Int(completion.percent.rounded()))
    }
}

/// The checklist groups' names, in the guideline's own terms.
public enum ChecklistGroups {
    public static func label(_ group: String, _ lang: ReportLanguage) -> String {
        let names: [String: (String, String)] = [
            "BP": ("Basic policy", "基本方針の策定"),
            "RUL": ("Internal rules", "個人データの取扱いに係る規律の整備"),
            "ORG": ("Organizational Security Management Measures", "組織的安全管理措置"),
            "HUM": ("Human Security Management Measures", "人的安全管理措置"),
            "PHY": ("Physical Security Management Measures", "物理的安全管理措置"),
            "TEC": ("Technical Security Management Measures", "技術的安全管理措置"),
            "EXT": ("Understanding the External Environment", "外的環境の把握"),
            "SEL": ("Selection of entrustees", "委託先の選定"),
            "CON": ("Entrustment contract", "委託契約の締結"),
            "MON": ("Monitoring", "委託先における取扱状況の把握"),
            "SUB": ("Re-entrustment", "再委託"),
            "USE": ("Use by the entrustee", "委託先による利用"),
            "CLD": ("Cloud services", "クラウドサービスの利用"),
        ]
        guard let name = names[group] else { return group }
        return lang == .en ? name.0 : name.1
    }
}
