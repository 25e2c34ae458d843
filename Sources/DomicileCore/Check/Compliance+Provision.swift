/// Third-party provision (APPI Arts. 27-29): special-care personal information, the opt-out
/// notification and the records of provision. Shared by `check`, the importer and the CLI.
extension Compliance {
    // MARK: Special-care personal information (要配慮個人情報)

    /// The special-care category `key` is or belongs to (APPI Art. 2(3); Cabinet Order Art. 2):
    /// the category itself, or the nearest enclosing category (`user.health` for
    /// `user.health.checkup`) marked `sensitive`; `nil` when none is.
    public static func sensitiveCategory(_ key: String, in snapshot: RegistrySnapshot) -> String? {
        var current = key
        while true {
            if snapshot.category(current)?.sensitive == true { return current }
            guard let dot = current.lastIndex(of: ".") else { return nil }
            current = String(current[..<dot])
        }
    }

    /// Those of `categories` that are special-care personal information, in order.
    public static func sensitiveCategories(_ categories: [String], in snapshot: RegistrySnapshot) -> [String] {
        categories.filter { sensitiveCategory($0, in: snapshot) != nil }
    }

    // MARK: Opt-out (Art. 27(2))

    /// The Art. 27(2) items an opt-out notification does not state.
    public static func missingNotificationItems(_ items: [String]) -> [String] {
        EntitySchema.optOutNotificationItems.filter { !items.contains($0) }
    }

    // MARK: Records of provision (Art. 29; PPC Rules Arts. 19-21)

    /// Whether a provision must be recorded (APPI Art. 29(1)): every provision to a third party
    /// except under an Art. 27(1) exception, or under Art. 27(5) (joint use here: entrustment is
    /// not a provision) — but a provision to a third party in a foreign country under Art. 28(1)
    /// is exempt only by the Art. 27(1) exceptions, so foreign joint use is recorded too.
    public static func needsProvisionRecords(_ provision: RegistrySnapshot.Provision, in snapshot: RegistrySnapshot) -> Bool {
        switch provision.basis {
        case "legal_exception": return false
        case "joint_use": return needsTransferBasis(provision.recipientCountry, in: snapshot)
        default: return true
        }
    }

    /// The day until which a provision record must at least be kept (APPI Art. 29(2); PPC
    /// Rules Art. 21), with the item that sets it:
    /// - `contract`: a contract substitutes for the record (Rules Art. 19(3)): 1 year from the
    ///   last provision it covers (Rules Art. 21(i));
    /// - `batch`: one record of continuous or repeated provision (Rules Art. 19(2) proviso):
    ///   3 years from the last provision it covers (Rules Art. 21(ii));
    /// - `each`: a record made promptly for each provision (Rules Art. 19(2)): 3 years from its
    ///   making, taken as the day of provision (Rules Art. 21(iii)).
    /// `nil` when the day would pass 9999-12-31.
    public static func minimumRetention(method: String, providedOn: Day, lastProvidedOn: Day?) -> (until: Day?, rule: String) {
        let last = max(lastProvidedOn ?? providedOn, providedOn)
        switch method {
        case "contract":
            return (last.adding(years: 1), "1 year from the last provision it covers, as a contract substitutes for the record (PPC Rules Arts. 19(3), 21(i))")
        case "batch":
            return (last.adding(years: 3), "3 years from the last provision it covers, as a batch record (PPC Rules Art. 19(2) proviso, Art. 21(ii))")
        default:
            return (providedOn.adding(years: 3), "3 years from the record's making on the day of provision (PPC Rules Art. 21(iii))")
        }
    }

    /// The day a record must be kept until: the later of the legal minimum and the provision's
    /// own retention period (`retention_years` from the day of provision).
    public static func requiredRetention(
        method: String, providedOn: Day, lastProvidedOn: Day?, retentionYears: Int
    ) -> (until: Day?, reason: String) {
        let legal = minimumRetention(method: method, providedOn: providedOn, lastProvidedOn: lastProvidedOn)
        let own = providedOn.adding(years: retentionYears)
        guard let legalDay = legal.until, let ownDay = own else { return (nil, legal.rule) }
        return ownDay > legalDay
            ? (ownDay, "\(retentionYears) years from the provision (retention_years; at least \(legal.rule))")
            : (legalDay, legal.rule)
    }
}
