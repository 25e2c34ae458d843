import DomicileCore
import Testing

/// Issue 11 point 7 (a registry kept by a group for several organizations: each report and
/// check speaks for one) and the report fixes of point 4 (countries reached through
/// sub-entrustees are only what they hold for the entrustment).
@Suite("Several organizations; what sub-entrustees hold")
struct OrganizationScopeTests {
    static let since = Day("2020-01-01")!

    static let template = S.ChecklistTemplate(
        key: "sec", version: "1", title: "Security",
        items: [
            S.ChecklistItem(id: "TEC-1", group: "TEC", title: "Access control", mandatory: true),
            S.ChecklistItem(id: "PHY-1", group: "PHY", title: "Locked rooms", mandatory: true),
        ])

    /// Acme runs a shop on a US cloud; Beta (same group) runs a clinic on the cloud's Japanese
    /// region and entrusts its desk; each assessed its own measures.
    static func group(assessBeta: Bool = true, betaMet: Bool = true) -> RegistrySnapshot {
        RegistrySnapshot(
            revision: 3, asOf: Day("2026-12-01")!,
            organizations: [
                S.Organization(key: "acme", name: "Acme K.K.", country: "JP", privacyContactEmail: "privacy@acme.example"),
                S.Organization(key: "beta", name: "Beta Clinic K.K.", nameJa: "ベータクリニック株式会社", country: "JP", privacyContactEmail: "privacy@beta.example"),
            ],
            services: [
                S.Service(key: "shop", name: "Shop", organization: "acme", validFrom: since),
                S.Service(key: "clinic", name: "Clinic app", organization: "beta", validFrom: since),
            ],
            categories: [S.DataCategory(key: "user.name", name: "Name"), S.DataCategory(key: "user.health", name: "Health", sensitive: true)],
            vendors: [
                S.Vendor(key: "cloud", legalName: "Cloud Inc.", kinds: [.cloudProvider], headquarters: "US", riskTier: .high, validFrom: since),
                S.Vendor(key: "desk", legalName: "Desk K.K.", kinds: [.entrustee], headquarters: "JP", riskTier: .low, validFrom: since),
            ],
            residencies: [
                S.Residency(key: "shop-db", service: "shop", vendor: "cloud", role: .storage, categories: ["user.name"], country: "US",
                            source: "t", verifiedOn: Day("2026-11-01")!, assertedBy: "t", validFrom: since),
                S.Residency(key: "clinic-db", service: "clinic", vendor: "cloud", role: .storage, categories: ["user.health"], country: "JP",
                            source: "t", verifiedOn: Day("2026-11-01")!, assertedBy: "t", validFrom: since),
            ],
            entrustments: [
                S.Entrustment(key: "clinic-desk", service: "clinic", vendor: "desk", categories: ["user.name"],
                              contract: S.Contract(reference: "D-1", signedOn: since, dpaSignedOn: since), validFrom: since),
            ],
            assessments: [
                S.Assessment(key: "acme-sec", template: "sec", organization: "acme", assessedOn: Day("2026-06-01")!, assessor: "a",
                             nextReviewOn: Day("2027-06-01")!, answers: [S.Answer(item: "TEC-1", status: .met, evidence: "e", publicStatement: "Access control"), S.Answer(item: "PHY-1", status: .notApplicable)]),
            ] + (assessBeta ? [
                S.Assessment(key: "beta-sec", template: "sec", organization: "beta", assessedOn: Day("2026-06-01")!, assessor: "b",
                             nextReviewOn: Day("2027-06-01")!, answers: [betaMet ? S.Answer(item: "PHY-1", status: .met, evidence: "e", publicStatement: "Locked rooms") : S.Answer(item: "PHY-1", status: .partial, evidence: "e"), S.Answer(item: "TEC-1", status: .notApplicable)]),
                S.Assessment(key: "desk-2026", template: "sec", vendor: "desk", assessedOn: Day("2026-06-01")!, assessor: "b",
                             nextReviewOn: Day("2027-06-01")!, answers: [S.Answer(item: "PHY-1", status: .met, evidence: "e", publicStatement: "Locked rooms"), S.Answer(item: "TEC-1", status: .met, evidence: "e", publicStatement: "Access control")]),
            ] : []),
            templates: [template], countries: Crafted.countries)
    }

    @Test("With several organizations one must be chosen (by key or name); the error lists them; with one, it is the default")
    func choosingTheOrganization() throws {
        let snapshot = Self.group()
        do {
            _ = try snapshot.organizationScope(nil)
            Testing.Issue.record("no organization chosen should be refused")
        } catch let error as InputError {
            #expect(error.issues.first?.field == "organization")
            #expect(error.issues.first?.message.contains("acme (Acme K.K.), beta (Beta Clinic K.K.)") == true, "\(error.issues)")
        }
        #expect(try snapshot.organizationScope("Beta Clinic K.K.") == "beta")
        #expect(try snapshot.organizationScope("ACME") == "acme")
        #expect(throws: InputError.self) { try snapshot.organizationScope("gamma") }

        let one = Crafted.snapshot()
        #expect(try one.organizationScope(nil) == "acme")
        #expect(try one.scoped(to: nil) == one, "one organization: the whole registry is its own")
    }

    @Test("One organization's snapshot holds its services, their records, the vendors they name and their assessments, nothing of the other")
    func restrictedSnapshot() throws {
        let beta = try Self.group().scoped(to: "beta")
        #expect(beta.organizations.map(\.key) == ["beta"])
        #expect(beta.services.map(\.key) == ["clinic"])
        #expect(beta.residencies.map(\.key) == ["clinic-db"])
        #expect(beta.vendors.map(\.key) == ["cloud", "desk"])
        #expect(beta.assessments.map(\.key) == ["beta-sec", "desk-2026"])
        let acme = try Self.group().scoped(to: "acme")
        #expect(acme.vendors.map(\.key) == ["cloud"] && acme.assessments.map(\.key) == ["acme-sec"])
    }

    @Test("The disclosure speaks for one organization: its name, its own measures, its own countries")
    func disclosureOfOneOrganization() throws {
        let beta = DisclosureReport(try Self.group().scoped(to: "beta"), lang: .en)
        #expect(beta.organization == "Beta Clinic K.K.")
        let measures = beta.sections.filter { $0.id == "security" }.flatMap(\.groups).flatMap(\.items)
        #expect(measures == ["Locked rooms"], "Acme's access control is Acme's: \(measures)")
        #expect(beta.services.map(\.key) == ["clinic"])
        #expect(beta.services[0].externalEnvironment.storageCountries?.contains("United States") == false, "Acme's US storage is not Beta's")
        let ja = DisclosureReport(try Self.group().scoped(to: "beta"), lang: .ja)
        #expect(ja.organization == "ベータクリニック株式会社")

        let acme = DisclosureReport(try Self.group().scoped(to: "acme"), lang: .en)
        #expect(acme.organization == "Acme K.K." && acme.sections.filter { $0.id == "security" }.flatMap(\.groups).flatMap(\.items) == ["Access control"])
    }

    @Test("check per organization: an organization without a security assessment is its own finding, not the other's")
    func checkPerOrganization() throws {
        let unassessed = Self.group(assessBeta: false)
        let beta = Checker.run(try unassessed.scoped(to: "beta"))
        #expect(beta.filter { $0.rule.id == "organization.never_assessed" }.map(\.subject) == ["organization/beta"])
        #expect(beta.allSatisfy { !$0.message.contains("acme") && !$0.message.contains("shop") }, "\(beta.map(\.message))")
        let acme = Checker.run(try unassessed.scoped(to: "acme"))
        #expect(!acme.contains { $0.rule.id == "organization.never_assessed" || $0.subject.contains("desk") }, "\(acme.map(\.message))")
        #expect(!Checker.run(try Self.group().scoped(to: "beta")).contains { $0.rule.id == "organization.never_assessed" })
        // assessed, but nothing met: the disclosure would still publish no measures
        let nothingMet = Checker.run(try Self.group(betaMet: false).scoped(to: "beta")).filter { $0.rule.id == "organization.never_assessed" }
        #expect(nothingMet.map(\.subject) == ["organization/beta"] && nothingMet.first?.message.contains("beta-sec") == true, "\(nothingMet.map(\.message))")
    }

    @Test("Countries reached through sub-entrustees: what they hold for the entrustment (its service and categories), not their other residencies")
    func countriesThroughSubEntrustees() throws {
        let snapshot = RegistrySnapshot(
            revision: 1, asOf: Day("2026-12-01")!,
            organizations: [S.Organization(key: "acme", name: "Acme K.K.", country: "JP")],
            services: [S.Service(key: "shop", name: "Shop", organization: "acme", validFrom: Self.since),
                       S.Service(key: "blog", name: "Blog", organization: "acme", validFrom: Self.since)],
            vendors: [
                S.Vendor(key: "callcenter", legalName: "Call Center K.K.", kinds: [.entrustee], headquarters: "JP", riskTier: .low, validFrom: Self.since),
                S.Vendor(key: "mailer", legalName: "Mailer Ltd.", kinds: [.entrustee], headquarters: "VN", riskTier: .low, validFrom: Self.since),
            ],
            residencies: [
                // what the sub-entrustee holds for the entrustment: the shop's email addresses
                S.Residency(key: "mailer-shop", service: "shop", vendor: "mailer", role: .processing, categories: ["user.contact.email"],
                            country: "DE", source: "t", verifiedOn: Self.since, assertedBy: "t", validFrom: Self.since),
                // not for it: another service, and other categories of the shop
                S.Residency(key: "mailer-blog", service: "blog", vendor: "mailer", role: .storage, categories: ["user.contact.email"],
                            country: "US", source: "t", verifiedOn: Self.since, assertedBy: "t", validFrom: Self.since),
                S.Residency(key: "mailer-shop-logs", service: "shop", vendor: "mailer", role: .storage, categories: ["user.device.ip_address"],
                            country: "SG", source: "t", verifiedOn: Self.since, assertedBy: "t", validFrom: Self.since),
            ],
            entrustments: [
                S.Entrustment(key: "shop-calls", service: "shop", vendor: "callcenter", categories: ["user.contact"],
                              subEntrustees: [S.SubEntrustee(vendor: "mailer", via: "callcenter", countries: ["VN"])], validFrom: Self.since),
            ],
            countries: Crafted.countries)
        #expect(Compliance.countries(of: "callcenter", in: snapshot).throughSubEntrustees == ["DE", "VN"])
    }
}
