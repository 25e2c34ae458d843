import Foundation

// MARK: From records

extension RegistrySnapshot {
    /// A snapshot of `document`'s records (validated: required fields present) with the
    /// given reference data. Absent fields take their schema default.
    public init(
        revision: Int64, asOf: Day, document: RegistryDocument, templates: [ChecklistTemplate], countries: [Country]
    ) {
        let never = Day("0001-01-01")!
        func text(_ record: Record, _ field: String) -> String { record.string(field) ?? "" }
        func day(_ record: Record, _ field: String) -> Day { record.day(field) ?? never }
        func flag(_ record: Record, _ field: String, _ schema: EntitySchema) -> Bool {
            record.bool(field) ?? schema.field(field)?.defaultValue?.bool ?? false
        }
        func choice(_ record: Record, _ field: String, _ schema: EntitySchema) -> String {
            record.string(field) ?? schema.field(field)?.defaultValue?.string ?? ""
        }

        let organizations = document[.organization].map { r in
            Organization(
                key: text(r, "key"), name: text(r, "name"), nameJa: r.string("name_ja"), country: text(r, "country"),
                address: r.string("address"), representative: r.string("representative"),
                privacyContactName: r.string("privacy_contact_name"),
                privacyContactEmail: r.string("privacy_contact_email"), privacyContactURL: r.string("privacy_contact_url"),
                addressJa: r.string("address_ja"), representativeJa: r.string("representative_ja"),
                privacyContactNameJa: r.string("privacy_contact_name_ja"))
        }
        let services = document[.service].map { r in
            Service(
                key: text(r, "key"), name: text(r, "name"), organization: text(r, "organization"),
                description: r.string("description"), url: r.string("url"), owner: r.string("owner"),
                validFrom: day(r, "valid_from"), validTo: r.day("valid_to"))
        }
        let categories = document[.category].map { r in
            DataCategory(
                key: text(r, "key"), name: text(r, "name"), nameJa: r.string("name_ja"),
                description: r.string("description"), sensitive: flag(r, "sensitive", EntitySchema.category))
        }
        let purposes = document[.purpose].map { r in
            Purpose(
                key: text(r, "key"), name: text(r, "name"), nameJa: r.string("name_ja"),
                description: r.string("description"), categories: r.list("categories"))
        }
        let vendors = document[.vendor].map { r in
            Vendor(
                key: text(r, "key"), legalName: text(r, "legal_name"), nameJa: r.string("name_ja"),
                aliases: r.list("aliases"), kinds: r.list("kinds").compactMap(VendorKind.init(rawValue:)),
                headquarters: text(r, "headquarters"), website: r.string("website"), trustURL: r.string("trust_url"),
                privacyURL: r.string("privacy_url"), dpaURL: r.string("dpa_url"),
                subprocessorsURL: r.string("subprocessors_url"), certifications: r.list("certifications"),
                riskTier: RiskTier(rawValue: text(r, "risk_tier")) ?? .medium, owner: r.string("owner"),
                contacts: r.records("contacts").map {
                    Contact(name: text($0, "name"), role: $0.string("role"), email: $0.string("email"))
                },
                notes: r.string("notes"), validFrom: day(r, "valid_from"), validTo: r.day("valid_to"),
                contractingCountry: r.string("contracting_country"))
        }
        let residencies = document[.residency].map { r in
            Residency(
                key: text(r, "key"), service: text(r, "service"), vendor: text(r, "vendor"),
                role: ResidencyRole(rawValue: text(r, "role")) ?? .storage, categories: r.list("categories"),
                country: r.string("country"), region: r.string("region"),
                undisclosed: r.object("undisclosed").map {
                    Undisclosed(reason: text($0, "reason"), candidates: $0.list("candidates"))
                },
                source: text(r, "source"), verifiedOn: day(r, "verified_on"), assertedBy: text(r, "asserted_by"),
                notes: r.string("notes"), validFrom: day(r, "valid_from"), validTo: r.day("valid_to"))
        }
        let entrustments = document[.entrustment].map { r in
            let vendor = text(r, "vendor")
            let contract = r.object("contract") ?? Record()
            let subs = r.records("sub_entrustees").map {
                SubEntrustee(
                    vendor: text($0, "vendor"), via: $0.string("via") ?? vendor, countries: $0.list("countries"),
                    work: $0.string("work"), approvedOn: $0.day("approved_on"), validFrom: $0.day("valid_from"),
                    validTo: $0.day("valid_to"))
            }
            return Entrustment(
                key: text(r, "key"), service: text(r, "service"), vendor: vendor, description: r.string("description"),
                purposes: r.list("purposes"), categories: r.list("categories"),
                cloudException: flag(r, "cloud_exception", EntitySchema.entrustment),
                cloudExceptionBasis: r.string("cloud_exception_basis"),
                transferBasis: r.string("transfer_basis"), transferBasisNote: r.string("transfer_basis_note"),
                contract: Contract(
                    reference: contract.string("reference"), signedOn: contract.day("signed_on"),
                    expiresOn: contract.day("expires_on"),
                    renewal: choice(contract, "renewal", EntitySchema.contract), noticeDays: contract.int("notice_days"),
                    dpaSignedOn: contract.day("dpa_signed_on"), dpaExpiresOn: contract.day("dpa_expires_on")),
                reentrustment: choice(r, "reentrustment", EntitySchema.entrustment),
                // only the sub-entrustees in force on the day (no valid_from: since the entrustment began)
                subEntrustees: subs.filter { sub in
                    (sub.validFrom.map { $0 <= asOf } ?? true) && (sub.validTo.map { asOf < $0 } ?? true)
                },
                recordedSubEntrustees: subs,
                validFrom: day(r, "valid_from"), validTo: r.day("valid_to"),
                foreignInfoGiven: flag(r, "foreign_info_given", EntitySchema.entrustment),
                transferBasisExpiresOn: r.day("transfer_basis_expires_on"),
                transferBasisCheckedOn: r.day("transfer_basis_checked_on"))
        }
        let provisions = document[.provision].map { r in
            Provision(
                key: text(r, "key"), service: text(r, "service"), recipient: text(r, "recipient"),
                basis: text(r, "basis"), legalException: r.string("legal_exception"), purpose: text(r, "purpose"),
                categories: r.list("categories"), recipientCountry: text(r, "recipient_country"),
                foreignInfoGiven: flag(r, "foreign_info_given", EntitySchema.provision),
                retentionYears: r.int("retention_years") ?? EntitySchema.provision.field("retention_years")?.defaultValue?.int ?? 3,
                records: r.records("records").map {
                    ProvisionRecord(
                        providedOn: day($0, "provided_on"), dataSubjects: text($0, "data_subjects"),
                        items: text($0, "items"), consentReference: $0.string("consent_reference"),
                        retainUntil: day($0, "retain_until"), method: $0.string("method") ?? "each",
                        lastProvidedOn: $0.day("last_provided_on"))
                },
                ppcNotifiedOn: r.object("ppc_notification")?.day("notified_on"),
                ppcNotificationItems: r.object("ppc_notification")?.list("items") ?? [],
                ppcNotificationReference: r.object("ppc_notification")?.string("reference"),
                validFrom: day(r, "valid_from"), validTo: r.day("valid_to"), purposeJa: r.string("purpose_ja"))
        }
        let transmissions = document[.transmission].map { r in
            Transmission(
                key: text(r, "key"), service: text(r, "service"), tool: text(r, "tool"),
                recipient: text(r, "recipient"), information: r.list("information"),
                informationJa: r.list("information_ja"), categories: r.list("categories"), purpose: text(r, "purpose"),
                purposeJa: r.string("purpose_ja"), basis: text(r, "basis"), optOutURL: r.string("opt_out_url"),
                recipientCountry: r.string("recipient_country"), validFrom: day(r, "valid_from"),
                validTo: r.day("valid_to"))
        }
        let assessments = document[.assessment].map { r in
            Assessment(
                key: text(r, "key"), template: text(r, "template"), organization: r.string("organization"),
                vendor: r.string("vendor"), assessedOn: day(r, "assessed_on"), assessor: text(r, "assessor"),
                nextReviewOn: day(r, "next_review_on"), notes: r.string("notes"),
                answers: r.records("answers").map {
                    Answer(
                        item: text($0, "item"), status: AnswerStatus(rawValue: text($0, "status")) ?? .unmet,
                        evidence: $0.string("evidence"), note: $0.string("note"),
                        publicStatement: $0.string("public_statement"), publicStatementJa: $0.string("public_statement_ja"))
                })
        }
        self.init(
            revision: revision, asOf: asOf, organizations: organizations, services: services, categories: categories,
            purposes: purposes, vendors: vendors, residencies: residencies, entrustments: entrustments,
            provisions: provisions, transmissions: transmissions, assessments: assessments, templates: templates,
            countries: countries)
    }
}
