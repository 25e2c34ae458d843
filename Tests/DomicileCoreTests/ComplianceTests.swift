import DomicileCore
import Testing

typealias S = RegistrySnapshot

/// A small crafted registry: one entrustee with a sub-entrustee abroad, one cloud provider.
enum Crafted {
    static func day(_ text: String) -> Day { Day(text)! }

    static let template = S.ChecklistTemplate(
        key: "sup", version: "1", title: "Supervision",
        items: [
            S.ChecklistItem(id: "VEN-SEL-1", group: "SEL", title: "Selection", mandatory: true),
            S.ChecklistItem(id: "VEN-SEL-2", group: "SEL", title: "Selection evidence", mandatory: false),
            S.ChecklistItem(id: "VEN-CON-1", group: "CON", title: "Contract", mandatory: true),
            S.ChecklistItem(id: "VEN-CON-2", group: "CON", title: "Clauses", mandatory: false),
            S.ChecklistItem(id: "VEN-EXT-1", group: "EXT", title: "Foreign", mandatory: true),
        ])

    static func regime(_ ppc: String, cbpr: Bool = false) -> S.CountryRegime {
        S.CountryRegime(
            effectiveFrom: day("2026-01-01"), euAdequacy: "no", ppcEquivalent: ppc, apecCBPR: cbpr, ppcSurvey: "yes",
            comprehensiveLaw: "yes", localization: "none", confidence: "general", source: "test",
            verifiedOn: day("2026-01-01"))
    }

    static let countries = [
        S.Country(code: "JP", name: "Japan", nameJa: "日本", regime: regime("home", cbpr: true)),
        S.Country(code: "US", name: "United States of America", nameJa: "米国", regime: regime("no", cbpr: true)),
        S.Country(code: "DE", name: "Germany", nameJa: "ドイツ", regime: regime("yes")),
        S.Country(code: "VN", name: "Viet Nam", nameJa: "ベトナム", regime: regime("no")),
    ]

    static func snapshot(
        asOf: String = "2026-11-28", contract: S.Contract? = nil, answers: [S.Answer]? = nil,
        assessedOn: String = "2026-06-01", nextReview: String = "2027-06-01", tier: S.RiskTier = .medium,
        certifications: [String] = []
    ) -> RegistrySnapshot {
        let since = day("2020-01-01")
        return RegistrySnapshot(
            revision: 7, asOf: day(asOf),
            organizations: [S.Organization(key: "acme", name: "Acme K.K.", country: "JP")],
            services: [S.Service(key: "shop", name: "Shop", organization: "acme", validFrom: since)],
            categories: [
                S.DataCategory(key: "user.contact.email", name: "Email address"),
                S.DataCategory(key: "user.health", name: "Health", sensitive: true),
            ],
            vendors: [
                S.Vendor(
                    key: "callcenter", legalName: "Call Center K.K.", kinds: [.entrustee], headquarters: "JP",
                    certifications: certifications, riskTier: tier, validFrom: since),
                S.Vendor(key: "offshore", legalName: "Offshore Co.", kinds: [.entrustee], headquarters: "VN", riskTier: .low, validFrom: since),
                S.Vendor(key: "cloud", legalName: "Cloud Inc.", kinds: [.cloudProvider], headquarters: "US", riskTier: .high, validFrom: since),
            ],
            residencies: [
                S.Residency(
                    key: "shop-db", service: "shop", vendor: "cloud", role: .storage, categories: ["user.contact.email"],
                    country: "US", source: "test", verifiedOn: since, assertedBy: "test", validFrom: since),
                S.Residency(
                    key: "shop-cdn", service: "shop", vendor: "cloud", role: .processing, categories: ["user.contact.email"],
                    undisclosed: S.Undisclosed(reason: "edge", candidates: ["JP", "US"]), source: "test",
                    verifiedOn: since, assertedBy: "test", validFrom: since),
            ],
            entrustments: [
                S.Entrustment(
                    key: "shop-calls", service: "shop", vendor: "callcenter", categories: ["user.contact.email"],
                    contract: contract ?? S.Contract(reference: "C-1", signedOn: day("2024-01-01"), expiresOn: day("2028-01-01"), dpaSignedOn: day("2024-01-01")),
                    reentrustment: "prior_approval",
                    subEntrustees: [S.SubEntrustee(vendor: "offshore", via: "callcenter", countries: ["VN"])],
                    validFrom: since),
            ],
            assessments: answers.map { answers in
                [
                    S.Assessment(
                        key: "callcenter-old", template: "sup", vendor: "callcenter", assessedOn: day("2024-06-01"),
                        assessor: "a", nextReviewOn: day("2025-06-01"), answers: []),
                    S.Assessment(
                        key: "callcenter-new", template: "sup", vendor: "callcenter", assessedOn: day(assessedOn),
                        assessor: "a", nextReviewOn: day(nextReview), answers: answers),
                ]
            } ?? [],
            templates: [template], countries: countries)
    }
}

@Suite("Day arithmetic")
struct DayArithmeticTests {
    @Test("Days count across months, leap years and the epoch")
    func days() {
        #expect(Day("1970-01-01")!.daysSinceEpoch == 0)
        #expect(Day("2024-03-01")!.days(until: Day("2024-02-28")!) == -2)
        #expect(Day("2026-11-28")!.adding(days: 124) == Day("2027-04-01"))
        #expect(Day(daysSinceEpoch: Day("1999-12-31")!.daysSinceEpoch) == Day("1999-12-31"))
        #expect(Day("1969-12-31")!.daysSinceEpoch == -1)
    }

    @Test("Adding months keeps the day, or takes the month's last day")
    func months() {
        #expect(Day("2026-01-31")!.adding(months: 1) == Day("2026-02-28"))
        #expect(Day("2026-11-20")!.adding(months: 6) == Day("2027-05-20"))
        #expect(Day("2026-03-15")!.adding(months: -3) == Day("2025-12-15"))
    }
}

@Suite("Compliance: contracts, assessments, reviews, risk")
struct ComplianceTests {
    let asOf = Day("2026-11-28")!

    @Test("Contract state: missing, active, expiring within the window, expired from the expiry day")
    func agreementStates() {
        #expect(Compliance.contractState(S.Contract(), asOf: asOf) == .missing)
        #expect(Compliance.contractState(S.Contract(reference: "X"), asOf: asOf) == .active(expiresOn: nil))
        #expect(Compliance.contractState(S.Contract(signedOn: Day("2020-01-01"), expiresOn: Day("2027-03-31")), asOf: asOf)
            == .active(expiresOn: Day("2027-03-31")))
        #expect(Compliance.contractState(S.Contract(signedOn: Day("2020-01-01"), expiresOn: Day("2027-03-31")), asOf: asOf, expiringWithin: 124)
            == .expiring(on: Day("2027-03-31")!, inDays: 123))
        #expect(Compliance.contractState(S.Contract(expiresOn: Day("2026-11-29")), asOf: asOf) == .expiring(on: Day("2026-11-29")!, inDays: 1))
        #expect(Compliance.contractState(S.Contract(expiresOn: Day("2026-11-28")), asOf: asOf) == .expired(on: Day("2026-11-28")!, daysAgo: 0))
        #expect(Compliance.dpaState(S.Contract(reference: "X"), asOf: asOf) == .missing)
        #expect(Compliance.dpaState(S.Contract(dpaSignedOn: Day("2020-01-01"), dpaExpiresOn: Day("2026-01-01")), asOf: asOf).code == "expired")
        #expect(Compliance.noticeDeadline(S.Contract(expiresOn: Day("2027-03-31"), noticeDays: 90)) == Day("2026-12-31"))
    }

    @Test("The latest assessment per checklist is evaluated: completion by group and every gap with its evidence")
    func completionAndGaps() throws {
        let snapshot = Crafted.snapshot(answers: [
            S.Answer(item: "VEN-SEL-1", status: .met, evidence: "certificate"),
            S.Answer(item: "VEN-SEL-2", status: .partial, evidence: "old certificate", note: "renewal pending"),
            S.Answer(item: "VEN-CON-1", status: .unmet, note: "no contract clause"),
            S.Answer(item: "VEN-EXT-1", status: .notApplicable),
        ])
        let latest = Compliance.latestAssessments(snapshot, vendor: "callcenter")
        #expect(latest.map(\.key) == ["callcenter-new"])
        let result = Compliance.evaluate(try #require(latest.first), in: snapshot)
        #expect(result.groups.map(\.group) == ["SEL", "CON", "EXT"])
        #expect(result.groups[0].percent == 75)
        #expect(result.groups[1].unmet == 1 && result.groups[1].unanswered == 1 && result.groups[1].percent == 0)
        #expect(result.groups[2].applicable == 0 && result.groups[2].percent == 100)
        #expect(result.total.items == 5 && result.total.applicable == 4)
        #expect(result.gaps.map(\.item) == ["VEN-SEL-2", "VEN-CON-1", "VEN-CON-2"])
        #expect(result.gaps.map(\.status) == ["partial", "unmet", "unanswered"])
        #expect(result.gaps[0].evidence == "old certificate" && result.gaps[0].note == "renewal pending")
        #expect(result.gaps[1].mandatory && !result.gaps[2].mandatory)
    }

    @Test("Next review: the earlier of the recorded date and the tier's cadence; overdue from the day after")
    func reviews() {
        let medium = Crafted.snapshot(answers: [], assessedOn: "2025-01-10", nextReview: "2027-06-01", tier: .medium)
        let latest = Compliance.latestAssessments(medium, vendor: "callcenter")
        // medium: 24 months after 2025-01-10 is 2027-01-10, earlier than the recorded 2027-06-01
        #expect(Compliance.reviewState(latest: latest, tier: .medium, asOf: asOf) == .due(on: Day("2027-01-10")!, inDays: 43))
        // critical: 6 months after 2025-01-10
        #expect(Compliance.reviewState(latest: latest, tier: .critical, asOf: asOf) == .overdue(since: Day("2025-07-10")!, daysAgo: 506))
        #expect(Compliance.reviewState(latest: latest, tier: .medium, asOf: Day("2027-01-10")!) == .due(on: Day("2027-01-10")!, inDays: 0))
        #expect(Compliance.reviewState(latest: [], tier: .low, asOf: asOf) == .neverAssessed)
    }

    @Test("A vendor's countries: its own, its sub-entrustees', and undisclosed candidates")
    func vendorCountries() {
        let snapshot = Crafted.snapshot()
        let callcenter = Compliance.countries(of: "callcenter", in: snapshot)
        #expect(callcenter.direct == [] && callcenter.throughSubEntrustees == ["VN"])
        #expect(Compliance.countries(of: "offshore", in: snapshot).direct == ["VN"])
        let cloud = Compliance.countries(of: "cloud", in: snapshot)
        #expect(cloud.direct == ["US"] && cloud.hasUndisclosed && cloud.undisclosedCandidates == ["JP", "US"])
        #expect(Compliance.needsTransferBasis("US", in: snapshot))
        #expect(!Compliance.needsTransferBasis("DE", in: snapshot) && !Compliance.needsTransferBasis("JP", in: snapshot))
    }

    @Test("The risk score adds up its factors: tier, contract, assessment gaps, foreign countries, certifications")
    func riskScore() throws {
        let clean = Crafted.snapshot(
            answers: [
                S.Answer(item: "VEN-SEL-1", status: .met, evidence: "e"), S.Answer(item: "VEN-SEL-2", status: .met, evidence: "e"),
                S.Answer(item: "VEN-CON-1", status: .met, evidence: "e"), S.Answer(item: "VEN-CON-2", status: .met, evidence: "e"),
                S.Answer(item: "VEN-EXT-1", status: .met, evidence: "e"),
            ], certifications: ["pmark", "iso27017"])
        let vendor = try #require(clean.vendor("callcenter"))
        let score = Compliance.riskScore(vendor: vendor, in: clean)
        #expect(score.factors.map(\.points) == [20, 3, 10, -5])
        #expect(score.factors.map(\.factor) == [
            "risk tier medium", "1 sub-entrustee(s) in shop-calls",
            "data in a country without a PPC-designated equivalent system (VN)", "certifications (pmark)",
        ])
        #expect(score.score == 28 && score.level == "moderate")

        let bad = Crafted.snapshot(
            contract: S.Contract(expiresOn: Day("2026-01-01")), answers: [S.Answer(item: "VEN-SEL-1", status: .unmet)],
            assessedOn: "2024-07-01", nextReview: "2025-06-01", tier: .critical)
        let worse = Compliance.riskScore(vendor: try #require(bad.vendor("callcenter")), in: bad)
        #expect(worse.factors.contains(Compliance.RiskFactor(factor: "contract expired for shop-calls", points: 15)))
        #expect(worse.factors.contains(Compliance.RiskFactor(factor: "DPA missing for shop-calls", points: 15)))
        #expect(worse.factors.contains(Compliance.RiskFactor(factor: "review overdue", points: 10)))
        // VEN-SEL-1 unmet, VEN-CON-1 and VEN-EXT-1 unanswered: named apart, weighed alike
        #expect(worse.factors.contains(Compliance.RiskFactor(factor: "1 mandatory checklist item(s) unmet", points: 5)))
        #expect(worse.factors.contains(Compliance.RiskFactor(factor: "2 mandatory checklist item(s) unanswered", points: 10)))
        #expect(worse.score == 100 && worse.level == "severe")

        // the entrustee is charged for never being assessed; its sub-entrustee is supervised
        // through it and is not (as `entrustee.never_assessed`)
        let never = Crafted.snapshot()
        #expect(Compliance.riskScore(vendor: try #require(never.vendor("callcenter")), in: never).factors
            .contains(Compliance.RiskFactor(factor: "entrustee never assessed", points: 15)))
        #expect(!Compliance.riskScore(vendor: try #require(never.vendor("offshore")), in: never).factors
            .contains { $0.factor == "entrustee never assessed" })
    }
}
