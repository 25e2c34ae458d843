/// One organization's part of a registry that several keep together (a group and its
/// subsidiaries; issue 11 point 7). A disclosure, a ROPA or a check speaks for one controller
/// (APPI Art. 32(1)(i): the business's own name, address and representative; Art. 32(1)(iv):
/// its own security measures), so reports and `check` read the snapshot of one organization:
/// nothing (header, measures, contacts, countries) is pooled across them.
extension RegistrySnapshot {
    /// The organization a report or check is for: `requested` (its key or name, any case),
    /// else the only organization. Throws `InputError` (field `organization`, exit 2 / HTTP
    /// 400) for an unknown one, or when there are several and none was chosen, listing them.
    /// `nil` when the registry has no organization (then there is nothing to restrict).
    public func organizationScope(_ requested: String?) throws -> String? {
        let keys = organizations.map(\.key)
        let listing = organizations.map { "\($0.key) (\($0.name))" }.joined(separator: ", ")
        guard let requested else {
            if organizations.count <= 1 { return organizations.first?.key }
            throw InputError(Issue(
                code: "input.organization_required", field: "organization", value: nil,
                message: "the registry holds \(organizations.count) organizations: \(listing); choose the one to report on with --organization KEY (API: ?organization=KEY)"))
        }
        // key, name, Japanese name or an unambiguous prefix, as every record is named
        let resolver = NameResolver(
            noun: "organization", candidates: organizations.map { NamedKey(key: $0.key, label: $0.name, names: [$0.nameJa].compactMap { $0 }) })
        switch resolver.match(requested) {
        case .found(let key): return key
        case .ambiguous(let matches): throw InputError(resolver.issue(for: requested, field: "organization", .ambiguous(matches)))
        case .unknown: break
        }
        var message = "organization '\(requested)' is not in the registry; "
        message += keys.isEmpty ? "it has none" : "use one of: \(listing)"
        if let guess = Suggest.closest(to: requested, in: keys) { message += " (did you mean \(guess)?)" }
        throw InputError(Issue(code: "input.unknown_organization", field: "organization", value: requested, message: message))
    }

    /// The snapshot as organization `key` sees it: its services and their residencies,
    /// entrustments, provisions and transmissions; the vendors those name (sub-entrustees
    /// included); the assessments of the organization and of those vendors. Reference data
    /// (categories, purposes, templates, countries) stays whole.
    public func restricted(toOrganization key: String) -> RegistrySnapshot {
        let services = self.services.filter { $0.organization == key }
        let serviceKeys = Set(services.map(\.key))
        let residencies = self.residencies.filter { serviceKeys.contains($0.service) }
        let entrustments = self.entrustments.filter { serviceKeys.contains($0.service) }
        let provisions = self.provisions.filter { serviceKeys.contains($0.service) }
        let transmissions = self.transmissions.filter { serviceKeys.contains($0.service) }
        var vendorKeys = Set(residencies.map(\.vendor))
        for e in entrustments {
            vendorKeys.insert(e.vendor)
            for sub in e.recordedSubEntrustees { vendorKeys.formUnion([sub.vendor, sub.via]) }
        }
        vendorKeys.formUnion(provisions.map(\.recipient))
        vendorKeys.formUnion(transmissions.map(\.recipient))
        return RegistrySnapshot(
            revision: revision, asOf: asOf, organizations: organizations.filter { $0.key == key }, services: services,
            categories: categories, purposes: purposes, vendors: vendors.filter { vendorKeys.contains($0.key) },
            residencies: residencies, entrustments: entrustments, provisions: provisions, transmissions: transmissions,
            assessments: assessments.filter { a in
                a.organization == key || a.vendor.map { vendorKeys.contains($0) } == true
            },
            templates: templates, countries: countries)
    }

    /// `restricted(toOrganization:)` for the organization `organizationScope(requested)`
    /// picks; the snapshot itself when the registry has at most one organization (everything
    /// in it is that organization's, vendors it does not use yet included).
    public func scoped(to requested: String?) throws -> RegistrySnapshot {
        guard let key = try organizationScope(requested), organizations.count > 1 else { return self }
        return restricted(toOrganization: key)
    }
}
