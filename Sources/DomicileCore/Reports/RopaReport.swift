/// A controller's record of processing activities (GDPR Art. 30(1)), one activity per
/// service and purpose, built from the same records as the other reports. A service's
/// purposes are those its entrustments name and those whose key starts with the service's
/// key and a hyphen (`persona-inquiries`).
public struct RopaReport: Encodable, Sendable {
    public struct Controller: Encodable, Sendable {
        public let name: String
        public let country: String
        public let address: String?
        public let representative: String?
        public let contact: String?
    }

    public struct Transfer: Encodable, Sendable {
        public let recipient: String
        public let country: String
        public let countryName: String
        /// The safeguard recorded, or "none recorded".
        public let safeguard: String
    }

    public struct Activity: Encodable, Sendable {
        public let service: String
        public let purpose: String
        public let purposeName: String
        public let dataSubjects: [String]
        public let categories: [String]
        public let recipients: [String]
        public let transfers: [Transfer]
        public let retention: String
    }

    public let controller: Controller?
    public let activities: [Activity]
    /// The organization's security measures in place: met items by group.
    public let security: [String]

    public var listing: Listing {
        Listing(
            columns: ["service", "purpose", "data_subjects", "categories", "recipients", "transfers", "retention"],
            rows: activities.map { activity in
                [
                    activity.service, activity.purposeName, activity.dataSubjects.joined(separator: "; "),
                    activity.categories.joined(separator: "; "), activity.recipients.joined(separator: "; "),
                    activity.transfers.map { "\($0.recipient) → \($0.country) (\($0.safeguard))" }.joined(separator: "; "),
                    activity.retention,
                ]
            })
    }

    public init(_ snapshot: RegistrySnapshot) {
        let organization = snapshot.organizations.first
        controller = organization.map { organization in
            Controller(
                name: organization.name, country: snapshot.countryName(organization.country), address: organization.address,
                representative: organization.representative,
                contact: [organization.privacyContactName, organization.privacyContactEmail, organization.privacyContactURL]
                    .compactMap { $0 }.joined(separator: ", "))
        }
        let home = organization?.country ?? "JP"
        func vendorName(_ key: String) -> String { snapshot.vendor(key)?.legalName ?? key }
        // The GDPR Chapter V ground the registry can show: the EU/EEA itself, or an adequacy
        // decision (GDPR Art. 45) in force on the day; a limited one only when the recipient is
        // covered (the EU-US Data Privacy Framework: its `dpf` certification).
        func gdprSafeguard(_ country: String, _ recipient: String) -> String? {
            guard let regime = snapshot.country(country)?.regime else { return nil }
            if regime.euMember || regime.eeaMember { return "within the EU/EEA (no transfer under GDPR Chapter V)" }
            if regime.euAdequacy == "yes" { return "EU adequacy decision (GDPR Art. 45)" }
            if regime.euAdequacy == "partial" {
                if country == "US", snapshot.vendor(recipient)?.certifications.contains("dpf") == true {
                    return "EU adequacy decision for organisations certified under the EU-US Data Privacy Framework (GDPR Art. 45); the recipient is certified"
                }
                return "EU adequacy decision of limited scope (GDPR Art. 45): record whether the recipient is covered"
            }
            return nil
        }

        var activities: [Activity] = []
        for service in snapshot.services {
            let residencies = snapshot.residencies(ofService: service.key)
            let entrustments = snapshot.entrustments(ofService: service.key)
            let transmissions = snapshot.transmissions(ofService: service.key)
            let provisions = snapshot.provisions(ofService: service.key)
            for purpose in snapshot.purposes {
                let categories = Set(purpose.categories)
                // the service's purposes: named by one of its entrustments, or keyed after it
                let listed = entrustments.contains { $0.purposes.contains(purpose.key) }
                guard listed || purpose.key.hasPrefix(service.key + "-") else { continue }
                var recipients: [String] = []
                var transfers: [Transfer] = []
                func add(_ recipient: String, _ role: String, countries: [String]) {
                    let label = "\(vendorName(recipient)) (\(role))"
                    if !recipients.contains(label) { recipients.append(label) }
                    for country in countries where country != home
                        && !transfers.contains(where: { $0.recipient == vendorName(recipient) && $0.country == country }) {
                        // GDPR Art. 30(1)(e) asks for Chapter V safeguards. The registry records APPI
                        // bases; they are shown as such, and the APPI cloud exception (Q&A 7-53: no
                        // provision under APPI) is never presented as a GDPR safeguard.
                        var safeguard = gdprSafeguard(country, recipient) ?? "no GDPR Chapter V safeguard recorded"
                        let appi = Compliance.transferBasis(service: service.key, vendor: recipient, in: snapshot)
                        if let appi, !appi.description.hasPrefix("cloud exception") {
                            safeguard += "; APPI Art. 28 basis: \(appi.summary)"
                        }
                        transfers.append(
                            Transfer(recipient: vendorName(recipient), country: country, countryName: snapshot.countryName(country), safeguard: safeguard))
                    }
                }
                for entrustment in entrustments
                where entrustment.purposes.contains(purpose.key)
                    || (entrustment.purposes.isEmpty && !categories.isDisjoint(with: entrustment.categories)) {
                    let own = residencies.filter { $0.vendor == entrustment.vendor }.compactMap(\.country)
                    // where its servers are, and where it is (a foreign recipient is a transfer even with servers at home)
                    let recipientCountry = [snapshot.vendor(entrustment.vendor)?.recipientCountry].compactMap { $0 }
                    let countries = own + recipientCountry.filter { !own.contains($0) }
                    add(entrustment.vendor, entrustment.cloudException ? "cloud provider, APPI cloud exception" : "entrustee", countries: countries)
                    for sub in entrustment.subEntrustees {
                        let subCountry = [snapshot.vendor(sub.vendor)?.recipientCountry].compactMap { $0 }
                        add(sub.vendor, "sub-entrustee", countries: sub.countries + subCountry.filter { !sub.countries.contains($0) })
                    }
                }
                for residency in residencies where !categories.isDisjoint(with: residency.categories) {
                    let covered = entrustments.contains { $0.vendor == residency.vendor && $0.purposes.contains(purpose.key) }
                    if !covered, let country = residency.country {
                        add(residency.vendor, residency.role == .storage ? "storage" : residency.role.rawValue, countries: [country])
                    }
                }
                for transmission in transmissions where !categories.isDisjoint(with: transmission.categories) {
                    add(transmission.recipient, "external transmission: \(transmission.tool)", countries: [transmission.recipientCountry].compactMap { $0 })
                }
                for provision in provisions where !categories.isDisjoint(with: provision.categories) {
                    add(provision.recipient, "third party, \(provision.basis)", countries: [provision.recipientCountry])
                }
                // APPI Art. 29: records of provision, kept for retention_years and at least what
                // PPC Rules Art. 21 requires for the way each is made; none for legal exceptions
                let retention = provisions.filter { !categories.isDisjoint(with: $0.categories) }.map { p -> String in
                    guard Compliance.needsProvisionRecords(p, in: snapshot) else {
                        return "no records of provision needed (\(p.key): \(p.basis), APPI Art. 29(1) proviso)"
                    }
                    let kept = "records of provision kept \(p.retentionYears) years, and at least as PPC Rules Art. 21 requires"
                    guard let last = p.records.max(by: { ($0.providedOn, $0.retainUntil) < ($1.providedOn, $1.retainUntil) }) else {
                        return "\(kept) (\(p.key): none recorded yet)"
                    }
                    return "\(kept) (\(p.key): the latest, of \(last.providedOn), until \(last.retainUntil))"
                }
                let subjects = Set(purpose.categories.map { $0.split(separator: ".").first.map(String.init) ?? $0 }).sorted().map {
                    switch $0 {
                    case "user": return "users of \(service.name)"
                    case "employee": return "employees"
                    default: return $0
                    }
                }
                activities.append(
                    Activity(
                        service: service.name, purpose: purpose.key, purposeName: purpose.name, dataSubjects: subjects,
                        categories: purpose.categories.map { snapshot.category($0)?.name ?? $0 }, recipients: recipients,
                        transfers: transfers,
                        retention: retention.isEmpty ? "not recorded in the registry" : retention.joined(separator: "; ")))
            }
        }
        self.activities = activities
        // The met items of the organization's latest assessments, by group (an internal record:
        // checklist titles are fine here; the public disclosure publishes the organization's own sentences).
        var groups: [(String, [String])] = []
        for assessment in snapshot.organizations.flatMap({ Compliance.latestAssessments(snapshot, organization: $0.key) }) {
            guard let template = snapshot.template(assessment.template) else { continue }
            let met = Set(assessment.answers.filter { $0.status == .met }.map(\.item))
            for item in template.items where met.contains(item.id) && item.group != "EXT" {
                let heading = ChecklistGroups.label(item.group, .en)
                if let index = groups.firstIndex(where: { $0.0 == heading }) {
                    if !groups[index].1.contains(item.title) { groups[index].1.append(item.title) }
                } else {
                    groups.append((heading, [item.title]))
                }
            }
        }
        security = groups.map { "\($0.0): \($0.1.joined(separator: ", "))" }
    }
}
