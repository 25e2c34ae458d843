import DomicileCore
import DomicileStore
import Foundation

/// What the console's vendor list, vendor page and audit page show, read with the queries
/// the API and the command line already use (`Store.snapshot`, `Store.records`,
/// `Store.resolveKey`, `Store.audit`, `Store.auditKey`) and computed by Core's own functions
/// (`Compliance`, `VendorReport`'s states, `CheckReport`): no SQL of its own.
///
/// Every text a page shows is made here, in the page's language (registry values in their
/// Japanese form where the registry has one); the templates only lay it out and escape it.
enum ConsoleVendorData {
    // MARK: Words

    /// A value's label: an enumeration value's English or Japanese word (`SheetLabels`).
    static func value(_ value: String, _ lang: ReportLanguage) -> String {
        SheetLabels.value(value, lang == .ja ? .ja : .en)
    }

    /// A field's label, as the spreadsheets head their columns (`risk_tier` → "Risk tier", "リスク区分").
    static func field(_ name: String, _ lang: ReportLanguage) -> String {
        SheetLabels.column(name, lang == .ja ? .ja : .en)
    }

    static func vendorName(_ vendor: RegistrySnapshot.Vendor, _ lang: ReportLanguage) -> String {
        lang == .ja ? vendor.nameJa ?? vendor.legalName : vendor.legalName
    }

    static func countryName(_ code: String, _ snapshot: RegistrySnapshot, _ lang: ReportLanguage) -> String {
        lang == .ja ? snapshot.countryNameJa(code) : snapshot.countryName(code)
    }

    static func categoryName(_ key: String, _ snapshot: RegistrySnapshot, _ lang: ReportLanguage) -> String {
        guard let category = snapshot.category(key) else { return key }
        return lang == .ja ? category.nameJa ?? category.name : category.name
    }

    static func purposeName(_ key: String, _ snapshot: RegistrySnapshot, _ lang: ReportLanguage) -> String {
        guard let purpose = snapshot.purpose(key) else { return key }
        return lang == .ja ? purpose.nameJa ?? purpose.name : purpose.name
    }

    static func serviceName(_ key: String, _ snapshot: RegistrySnapshot) -> String {
        snapshot.service(key)?.name ?? key
    }

    /// A vendor page's address from the vendor's key (`ConsoleLinks.vendor`, which keeps the
    /// page language); the data here is built without knowing how links are written.
    typealias VendorLink = @Sendable (String) -> String

    /// The id of a record's row on the vendor page, `KIND-KEY` with the key percent-encoded
    /// (`entrustment-persona-support-desk`): the anchor `ConsoleLinks.record` links to.
    static func anchor(_ kind: String, _ key: String) -> String {
        kind + "-" + ConsoleView.percentEncoded(key)
    }

    // MARK: Vendor status

    /// A vendor's status on a day: in force, ended (its `valid_to` on or before the day), or
    /// not yet started (its `valid_from` after it).
    enum Status: String, CaseIterable, Sendable {
        case active, ended, upcoming

        init(validFrom: Day?, validTo: Day?, on day: Day) {
            if let validTo, validTo <= day {
                self = .ended
            } else if let validFrom, day < validFrom {
                self = .upcoming
            } else {
                self = .active
            }
        }

        func label(_ lang: ReportLanguage) -> String {
            switch (self, lang) {
            case (.active, .en): return "Active"
            case (.active, .ja): return "利用中"
            case (.ended, .en): return "Ended"
            case (.ended, .ja): return "終了"
            case (.upcoming, .en): return "Not yet started"
            case (.upcoming, .ja): return "開始前"
            }
        }
    }
}

// MARK: - The vendor list

extension ConsoleVendorData {
    /// The list's filters, as the GET form sends them (an empty field is no filter).
    struct ListFilter: Sendable, Hashable {
        /// Text looked for in the key, legal name, Japanese name and aliases (any case).
        var text: String? = nil
        var kind: RegistrySnapshot.VendorKind? = nil
        /// A country code: the headquarters, the contracting country, or a country the vendor's data reaches.
        var country: String? = nil
        var riskTier: RegistrySnapshot.RiskTier? = nil
        /// `nil`: any status.
        var status: Status? = .active
    }

    struct ListRow: Sendable, Hashable {
        let key: String
        let href: String
        let name: String
        /// The legal name, when the row shows the Japanese name.
        let legalName: String?
        let kinds: String
        let headquarters: String
        /// The countries its data reaches on the day (residencies, sub-entrustments, through sub-entrustees, undisclosed candidates).
        let countries: String
        let riskTier: String
        let riskTierValue: String
        let status: String
        let statusValue: String
    }

    /// One choice of a filter's `<select>`.
    struct Option: Sendable, Hashable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct ListPage: Sendable {
        let asOf: Day
        let rows: [ListRow]
        /// Vendors in the registry before filtering.
        let total: Int
        let kinds: [Option]
        let countries: [Option]
        let riskTiers: [Option]
        let statuses: [Option]
    }

    /// The list: every vendor record (any valid time), its status on `day`, and on that day's
    /// snapshot the countries its data reaches; then `filter`.
    static func list(_ store: Store, filter: ListFilter, day: Day, lang: ReportLanguage, link: VendorLink) throws -> ListPage {
        let snapshot = try store.snapshot(asOf: day)
        let records = try store.records(.vendor)
        return list(records: records, snapshot: snapshot, filter: filter, lang: lang, link: link)
    }

    /// The pure part of `list`.
    static func list(records: [Record], snapshot: RegistrySnapshot, filter: ListFilter, lang: ReportLanguage, link: VendorLink) -> ListPage {
        let day = snapshot.asOf
        let folded = filter.text.map(fold)
        var rows: [ListRow] = []
        var countryCodes = Set<String>()
        for record in records {
            guard let key = record.key else { continue }
            let legalName = record.string("legal_name") ?? key
            let nameJa = record.string("name_ja")
            let kinds = record.list("kinds")
            let headquarters = record.string("headquarters") ?? ""
            let contracting = record.string("contracting_country")
            let tier = record.string("risk_tier") ?? "medium"
            let status = Status(validFrom: record.day("valid_from"), validTo: record.day("valid_to"), on: day)
            let reached = status == .active ? Compliance.countries(of: key, in: snapshot).all : []
            let countries = Set([headquarters] + (contracting.map { [$0] } ?? []) + reached).subtracting([""])
            countryCodes.formUnion(countries)

            if let kind = filter.kind, !kinds.contains(kind.rawValue) { continue }
            if let tier = filter.riskTier, tier.rawValue != record.string("risk_tier") { continue }
            if let wanted = filter.status, wanted != status { continue }
            if let country = filter.country, !countries.contains(country) { continue }
            if let folded {
                let texts = [key, legalName, nameJa ?? ""] + record.list("aliases")
                if !texts.contains(where: { fold($0).contains(folded) }) { continue }
            }
            let name = lang == .ja ? nameJa ?? legalName : legalName
            rows.append(
                ListRow(
                    key: key, href: link(key), name: name, legalName: name == legalName ? nil : legalName,
                    kinds: kinds.map { value($0, lang) }.joined(separator: lang == .ja ? "、" : ", "),
                    headquarters: headquarters.isEmpty ? "" : countryName(headquarters, snapshot, lang),
                    countries: reached.map { countryName($0, snapshot, lang) }.joined(separator: lang == .ja ? "、" : ", "),
                    riskTier: value(tier, lang), riskTierValue: tier, status: status.label(lang), statusValue: status.rawValue))
        }
        if let country = filter.country { countryCodes.insert(country) }
        let countryOptions = countryCodes.map { (code: $0, name: countryName($0, snapshot, lang)) }
            .sorted { ($0.name, $0.code) < ($1.name, $1.code) }
            .map { Option(value: $0.code, label: "\($0.name) (\($0.code))", selected: $0.code == filter.country) }
        return ListPage(
            asOf: day, rows: rows, total: records.count,
            kinds: RegistrySnapshot.VendorKind.allCases.map {
                Option(value: $0.rawValue, label: value($0.rawValue, lang), selected: $0 == filter.kind)
            },
            countries: countryOptions,
            riskTiers: RegistrySnapshot.RiskTier.allCases.map {
                Option(value: $0.rawValue, label: value($0.rawValue, lang), selected: $0 == filter.riskTier)
            },
            statuses: Status.allCases.map { Option(value: $0.rawValue, label: $0.label(lang), selected: $0 == filter.status) }
                + [Option(value: "all", label: lang == .ja ? "すべて" : "Any status", selected: filter.status == nil)])
    }

    /// Case- and width-insensitive form for searching ("ＡＷＳ" finds "aws").
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .widthInsensitive, .diacriticInsensitive], locale: nil)
    }
}

// MARK: - The vendor page

extension ConsoleVendorData {
    /// A label and a value, for the page's definition lists.
    struct Fact: Sendable, Hashable {
        let label: String
        let value: String
        /// Set when the value is a web address to link to (http or https only).
        let href: String?
    }

    struct ResidencyRow: Sendable, Hashable {
        let key: String
        let anchor: String
        let service: String
        let role: String
        /// The country, or the undisclosed reason with its candidate countries.
        let place: String
        let undisclosed: Bool
        let region: String
        let categories: String
        let verifiedOn: String
        let source: String
    }

    struct EntrustmentRow: Sendable, Hashable {
        let key: String
        let anchor: String
        let service: String
        let description: String
        let purposes: String
        let categories: String
        let reference: String
        let contract: String
        let contractState: String
        let dpa: String
        let dpaState: String
        let renewal: String
        let noticeDeadline: String?
        let reentrustment: String
        let transferBasis: String?
        let subEntrustees: String?
    }

    /// An entrustment of another vendor in which this one is a sub-entrustee.
    struct SubEntrustmentRow: Sendable, Hashable {
        let entrustment: String
        let entrustee: String
        let entrusteeHref: String?
        let via: String
        let viaHref: String?
        let countries: String
        let work: String
        let approvedOn: String
    }

    /// A provision (third-party provision) or an external transmission the vendor receives.
    struct RecipientRow: Sendable, Hashable {
        let key: String
        let anchor: String
        /// "Third-party provision" or "External transmission".
        let kind: String
        let service: String
        /// The transmission's tool, or the provision's purpose.
        let what: String
        let categories: String
        let basis: String
        let country: String
    }

    struct ChainRow: Sendable, Hashable {
        /// "Tsubame Support → Hikari Mail"
        let path: String
        let depth: Int
        let name: String
        let href: String?
        let countries: String
        let entrustments: String
        let loop: Bool
    }

    struct OpenItem: Sendable, Hashable {
        let item: String
        let title: String
        let status: String
        let statusValue: String
        let mandatory: Bool
        let note: String
    }

    struct AssessmentRow: Sendable, Hashable {
        let key: String
        let anchor: String
        let template: String
        let assessedOn: String
        let assessor: String
        let nextReviewOn: String
        let percent: Int
        let met: Int
        let partial: Int
        let unmet: Int
        let unanswered: Int
        let notApplicable: Int
        let items: Int
        let openItems: [OpenItem]
    }

    struct FindingRow: Sendable, Hashable {
        let rule: String
        /// The rule's section of the check page.
        let ruleHref: String
        /// The record at fault's row on this page (`#entrustment-…`; the details for the vendor itself).
        let subjectHref: String
        let severity: String
        let severityValue: String
        let title: String
        let subject: String
        let message: String
        let basis: String
    }

    struct AuditRow: Sendable, Hashable {
        let id: String
        let at: String
        let actor: String
        let action: String
        let actionValue: String
        let entity: String
        let key: String
        /// "risk_tier: medium → high; notes" — the fields that changed, with short values.
        let changes: String
        /// A link to the record's page, when the console has one (vendors).
        let href: String?
    }

    struct VendorPage: Sendable {
        let key: String
        let name: String
        let legalName: String
        let asOf: Day
        let status: String
        let statusValue: String
        let facts: [Fact]
        let residencies: [ResidencyRow]
        let entrustments: [EntrustmentRow]
        let subEntrustments: [SubEntrustmentRow]
        let received: [RecipientRow]
        /// The drawing (already escaped SVG) and its text form.
        let chainSVG: String
        let chain: [ChainRow]
        /// The next review (`Compliance.reviewState`); nil when the vendor is not in force on the day.
        let review: String?
        let assessments: [AssessmentRow]
        let findings: [FindingRow]
        let audit: [AuditRow]
    }

    /// How many audit rows the vendor page shows (the audit page shows more).
    static let vendorAuditLimit = 20

    /// Resolves `id` as `/v1/vendors/{id}` does (key, name, alias or unambiguous prefix:
    /// `NameResolver`); `nil` when no vendor has that name. An ambiguous name throws the
    /// `InputError` listing the candidates.
    static func resolveVendor(_ store: Store, _ id: String) throws -> String? {
        do {
            return try store.resolveKey(.vendor, id, field: "id")
        } catch let error as InputError where error.issues.first?.code == "input.unknown_vendor" {
            return nil
        }
    }

    /// The vendor page of `key` as of `day`; `nil` when there is no such vendor.
    static func vendor(
        _ store: Store, key: String, day: Day, lang: ReportLanguage, link: VendorLink, ruleLink: VendorLink
    ) throws -> VendorPage? {
        guard let record = try store.record(.vendor, key: key) else { return nil }
        let snapshot = try store.snapshot(asOf: day)
        let audit = try store.audit(since: nil, entity: "vendor", key: key, actor: nil, limit: vendorAuditLimit, newestFirst: true)
        return vendor(record: record, snapshot: snapshot, audit: audit, lang: lang, link: link, ruleLink: ruleLink)
    }

    /// The pure part of `vendor`.
    static func vendor(
        record: Record, snapshot: RegistrySnapshot, audit: Listing, lang: ReportLanguage, link: VendorLink, ruleLink: VendorLink
    ) -> VendorPage {
        let ja = lang == .ja
        let console: ConsoleLanguage = ja ? .ja : .en
        let key = record.key ?? ""
        let day = snapshot.asOf
        let legalName = record.string("legal_name") ?? key
        let name = ja ? record.string("name_ja") ?? legalName : legalName
        let status = Status(validFrom: record.day("valid_from"), validTo: record.day("valid_to"), on: day)
        let separator = ja ? "、" : ", "
        let notRecorded = ja ? "記録なし" : "not recorded"

        // The record's own fields, in the schema's order, as `vendor show` lists them.
        var facts: [Fact] = []
        func add(_ field: String, _ text: String?, link: Bool = false) {
            guard let text, !text.isEmpty else { return }
            let href = link && (text.hasPrefix("https://") || text.hasPrefix("http://")) ? text : nil
            facts.append(Fact(label: self.field(field, lang), value: text, href: href))
        }
        add("key", key)
        add("legal_name", legalName)
        add("name_ja", record.string("name_ja"))
        add("aliases", record.list("aliases").joined(separator: separator))
        add("kinds", record.list("kinds").map { value($0, lang) }.joined(separator: separator))
        add("headquarters", record.string("headquarters").map { "\(countryName($0, snapshot, lang)) (\($0))" })
        add("contracting_country", record.string("contracting_country").map { "\(countryName($0, snapshot, lang)) (\($0))" })
        add("risk_tier", record.string("risk_tier").map { value($0, lang) })
        add("certifications", record.list("certifications").joined(separator: separator))
        add("owner", record.string("owner"))
        for (index, contact) in record.records("contacts").enumerated() {
            let parts = [contact.string("name"), contact.string("role"), contact.string("email")].compactMap { $0 }
            facts.append(Fact(label: (ja ? "連絡先" : "Contact") + (index == 0 ? "" : " \(index + 1)"), value: parts.joined(separator: " — "), href: nil))
        }
        for field in ["website", "trust_url", "privacy_url", "dpa_url", "subprocessors_url"] {
            add(field, record.string(field), link: true)
        }
        add("notes", record.string("notes"))
        add("valid_from", record.string("valid_from"))
        add("valid_to", record.string("valid_to"))

        let residencies = snapshot.residencies(ofVendor: key).map { residency in
            let place: String
            if let country = residency.country {
                place = "\(countryName(country, snapshot, lang)) (\(country))"
            } else {
                let candidates = residency.undisclosed?.candidates.map { countryName($0, snapshot, lang) }.joined(separator: separator) ?? ""
                place = (ja ? "非開示" : "Undisclosed") + (candidates.isEmpty ? "" : (ja ? "（候補: \(candidates)）" : " (candidates: \(candidates))"))
            }
            return ResidencyRow(
                key: residency.key, anchor: anchor("residency", residency.key), service: serviceName(residency.service, snapshot), role: value(residency.role.rawValue, lang),
                place: place, undisclosed: residency.country == nil, region: residency.region ?? "",
                categories: residency.categories.map { categoryName($0, snapshot, lang) }.joined(separator: separator),
                verifiedOn: residency.verifiedOn.description, source: residency.source)
        }

        let entrustments = snapshot.entrustments(ofVendor: key).map { entrustment in
            let contract = Compliance.contractState(entrustment.contract, asOf: day)
            let dpa = Compliance.dpaState(entrustment.contract, asOf: day)
            let c = entrustment.contract
            let subs = entrustment.subEntrustees.map { sub in
                let subName = snapshot.vendor(sub.vendor).map { vendorName($0, lang) } ?? sub.vendor
                return sub.via == key ? subName : subName + (ja ? "（\(sub.via)経由）" : " (via \(sub.via))")
            }
            return EntrustmentRow(
                key: entrustment.key, anchor: anchor("entrustment", entrustment.key), service: serviceName(entrustment.service, snapshot), description: entrustment.description ?? "",
                purposes: entrustment.purposes.map { purposeName($0, snapshot, lang) }.joined(separator: separator),
                categories: entrustment.categories.map { categoryName($0, snapshot, lang) }.joined(separator: separator),
                reference: c.reference ?? notRecorded,
                contract: [c.signedOn.map { (ja ? "締結 " : "signed ") + $0.description }, c.expiresOn.map { (ja ? "満了 " : "expires ") + $0.description }]
                    .compactMap { $0 }.joined(separator: separator),
                contractState: agreement(contract, lang), dpa: [c.dpaSignedOn.map { (ja ? "締結 " : "signed ") + $0.description }, c.dpaExpiresOn.map { (ja ? "満了 " : "expires ") + $0.description }]
                    .compactMap { $0 }.joined(separator: separator),
                dpaState: agreement(dpa, lang), renewal: value(c.renewal, lang),
                noticeDeadline: Compliance.noticeDeadline(c)?.description,
                reentrustment: value(entrustment.reentrustment, lang),
                transferBasis: entrustment.transferBasis.map { value($0, lang) } ?? (entrustment.cloudException ? (ja ? "クラウド例外" : "Cloud exception") : nil),
                subEntrustees: subs.isEmpty ? nil : subs.joined(separator: separator))
        }

        var subEntrustments: [SubEntrustmentRow] = []
        for entrustment in snapshot.entrustments(withSubEntrustee: key) {
            for sub in entrustment.subEntrustees where sub.vendor == key {
                let entrustee = snapshot.vendor(entrustment.vendor)
                let via = snapshot.vendor(sub.via)
                subEntrustments.append(
                    SubEntrustmentRow(
                        entrustment: entrustment.key, entrustee: entrustee.map { vendorName($0, lang) } ?? entrustment.vendor,
                        entrusteeHref: entrustee.map { link($0.key) }, via: via.map { vendorName($0, lang) } ?? sub.via,
                        viaHref: via.map { link($0.key) },
                        countries: sub.countries.isEmpty ? notRecorded : sub.countries.map { countryName($0, snapshot, lang) }.joined(separator: separator),
                        work: sub.work ?? "", approvedOn: sub.approvedOn?.description ?? notRecorded))
            }
        }

        let received =
            snapshot.provisions(toRecipient: key).map { provision in
                RecipientRow(
                    key: provision.key, anchor: anchor("provision", provision.key), kind: ja ? "第三者提供" : "Third-party provision",
                    service: serviceName(provision.service, snapshot), what: ja ? provision.purposeJa ?? provision.purpose : provision.purpose,
                    categories: provision.categories.map { categoryName($0, snapshot, lang) }.joined(separator: separator),
                    basis: value(provision.basis, lang),
                    country: "\(countryName(provision.recipientCountry, snapshot, lang)) (\(provision.recipientCountry))")
            }
            + snapshot.transmissions(toRecipient: key).map { transmission in
                RecipientRow(
                    key: transmission.key, anchor: anchor("transmission", transmission.key), kind: ja ? "外部送信" : "External transmission",
                    service: serviceName(transmission.service, snapshot), what: transmission.tool,
                    categories: transmission.categories.map { categoryName($0, snapshot, lang) }.joined(separator: separator),
                    basis: value(transmission.basis, lang),
                    country: transmission.recipientCountry.map { "\(countryName($0, snapshot, lang)) (\($0))" } ?? notRecorded)
            }

        let labels = SubEntrusteeDiagram.Labels.of(snapshot, lang)
        let (root, truncated) = SubEntrusteeDiagram.tree(of: key, in: snapshot)
        // A vendor that ended is not in the snapshot: the drawing still names it.
        var drawingLabels = labels
        drawingLabels.name = { $0 == key ? name : labels.name($0) }
        let svg = SubEntrusteeDiagram.svg(root, truncated: truncated, labels: drawingLabels, id: "chain-" + String(key.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(40)))
        let chain = SubEntrusteeDiagram.rows(root).map { row in
            ChainRow(
                path: ([name] + row.path.map(drawingLabels.name)).joined(separator: " → "), depth: row.depth,
                name: drawingLabels.name(row.node.vendor), href: snapshot.vendor(row.node.vendor).map { link($0.key) },
                countries: SubEntrusteeDiagram.countriesText(row.node, drawingLabels), entrustments: row.node.entrustments.joined(separator: separator),
                loop: row.node.loop)
        }

        let latest = Compliance.latestAssessments(snapshot, vendor: key)
        let review = snapshot.vendor(key).map { vendor in
            reviewText(Compliance.reviewState(latest: latest, tier: vendor.riskTier, asOf: day), lang)
        }
        let assessments = latest.map { assessment in
            let result = Compliance.evaluate(assessment, in: snapshot)
            let template = result.template
            return AssessmentRow(
                key: assessment.key, anchor: anchor("assessment", assessment.key), template: template.map { (ja ? $0.titleJa : nil) ?? $0.title } ?? assessment.template,
                assessedOn: assessment.assessedOn.description, assessor: assessment.assessor,
                nextReviewOn: assessment.nextReviewOn.description, percent: Int(result.total.percent.rounded()),
                met: result.total.met, partial: result.total.partial, unmet: result.total.unmet, unanswered: result.total.unanswered,
                notApplicable: result.total.notApplicable, items: result.total.items,
                openItems: result.gaps.map { gap in
                    OpenItem(
                        item: gap.item, title: (ja ? template?.item(gap.item)?.titleJa : nil) ?? gap.title,
                        status: gap.status == "unanswered" ? (ja ? "未回答" : "Unanswered") : value(gap.status, lang),
                        statusValue: gap.status, mandatory: gap.mandatory, note: gap.note ?? "")
                })
        }

        let findings = findings(of: key, in: snapshot).map { finding in
            FindingRow(
                rule: finding.rule.id, ruleHref: ruleLink(finding.rule.id),
                subjectHref: "#" + (finding.kind == "vendor" ? "details" : anchor(finding.kind, finding.key)),
                severity: ConsoleRules.severity(finding.severity, console), severityValue: finding.severity.rawValue,
                title: ConsoleRules.title(finding.rule, console), subject: finding.subject, message: finding.message, basis: finding.rule.basis)
        }

        return VendorPage(
            key: key, name: name, legalName: legalName, asOf: day, status: status.label(lang), statusValue: status.rawValue,
            facts: facts, residencies: residencies, entrustments: entrustments, subEntrustments: subEntrustments, received: received,
            chainSVG: svg, chain: chain, review: review, assessments: assessments, findings: findings,
            audit: auditRows(audit, lang, link: link))
    }

    /// The findings of `domicile check` (without a policy) about the vendor: on the vendor
    /// itself, on the entrustments to it, its assessments, its residencies, and the
    /// provisions and transmissions it receives.
    static func findings(of key: String, in snapshot: RegistrySnapshot) -> [Finding] {
        let entrustments = Set(snapshot.entrustments(ofVendor: key).map(\.key))
        let assessments = Set(snapshot.assessments(ofVendor: key).map(\.key))
        let residencies = Set(snapshot.residencies(ofVendor: key).map(\.key))
        let provisions = Set(snapshot.provisions(toRecipient: key).map(\.key))
        let transmissions = Set(snapshot.transmissions(toRecipient: key).map(\.key))
        return CheckReport(snapshot: snapshot).findings.filter { finding in
            switch finding.kind {
            case "vendor": return finding.key == key
            case "entrustment": return entrustments.contains(finding.key)
            case "assessment": return assessments.contains(finding.key)
            case "residency": return residencies.contains(finding.key)
            case "provision": return provisions.contains(finding.key)
            case "transmission": return transmissions.contains(finding.key)
            default: return false
            }
        }
        .sorted { ($1.severity, $0.rule.id, $0.key) < ($0.severity, $1.rule.id, $1.key) }
    }

    static func agreement(_ state: Compliance.AgreementState, _ lang: ReportLanguage) -> String {
        guard lang == .ja else { return state.summary }
        switch state {
        case .missing: return "未記録"
        case .active(let expiresOn): return expiresOn.map { "有効（\($0)まで）" } ?? "有効（期限なし）"
        case .expiring(let on, let days): return "期限間近（\(on)、あと\(days)日）"
        case .expired(let on, let days): return "期限切れ（\(on)、\(days)日経過）"
        }
    }

    static func reviewText(_ state: Compliance.ReviewState, _ lang: ReportLanguage) -> String {
        guard lang == .ja else { return state.summary }
        switch state {
        case .neverAssessed: return "評価の記録なし"
        case .due(let on, let days): return "\(on)まで（あと\(days)日）"
        case .overdue(let since, let days): return "\(since)から期限超過（\(days)日）"
        }
    }
}

// MARK: - The audit log

extension ConsoleVendorData {
    /// The kinds of entity the audit log names, as `domicile audit --entity` takes them
    /// (`Audit.entities` in the CLI).
    static let auditEntities = [
        "organization", "category", "purpose", "service", "vendor", "residency", "entrustment", "provision", "transmission",
        "assessment", "token", "country", "region", "checklist", "evidence",
    ]

    /// The audit page's default and largest `limit`.
    static let auditDefaultLimit = 50
    static let auditMaximumLimit = 500

    struct AuditFilter: Sendable, Hashable {
        var entity: String? = nil
        /// A key, name or unambiguous prefix of a record of `entity` (resolved as `domicile audit --entity KIND/NAME`).
        var key: String? = nil
        var actor: String? = nil
        var limit: Int = ConsoleVendorData.auditDefaultLimit
    }

    struct AuditPage: Sendable {
        let rows: [AuditRow]
        /// The key the filter's name resolved to.
        let key: String?
        let entities: [Option]
        let limit: Int
        /// True when there may be more rows than `limit` shows.
        let more: Bool
    }

    /// The newest changes first, as `domicile audit` lists them. An unknown or ambiguous key
    /// throws the CLI's `InputError` (field `entity`).
    static func audit(_ store: Store, filter: AuditFilter, lang: ReportLanguage, link: VendorLink) throws -> AuditPage {
        var key: String?
        if let entity = filter.entity, let given = filter.key { key = try store.auditKey(entity: entity, given) }
        let listing = try store.audit(
            since: nil, entity: filter.entity, key: key, actor: filter.actor, limit: filter.limit + 1, newestFirst: true)
        let rows = auditRows(listing, lang, link: link)
        return AuditPage(
            rows: Array(rows.prefix(filter.limit)), key: key,
            entities: auditEntities.map { Option(value: $0, label: entityLabel($0, lang), selected: $0 == filter.entity) },
            limit: filter.limit, more: rows.count > filter.limit)
    }

    static func entityLabel(_ entity: String, _ lang: ReportLanguage) -> String {
        let ja: [String: String] = [
            "organization": "事業者", "category": "データ項目", "purpose": "利用目的", "service": "サービス", "vendor": "ベンダー",
            "residency": "保管場所", "entrustment": "委託", "provision": "第三者提供", "transmission": "外部送信", "assessment": "評価",
            "token": "APIトークン", "country": "国", "region": "リージョン", "checklist": "チェックリスト", "evidence": "証跡",
        ]
        return lang == .ja ? ja[entity] ?? entity : entity
    }

    static func actionLabel(_ action: String, _ lang: ReportLanguage) -> String {
        switch (action, lang) {
        case ("add", .en): return "added"
        case ("add", .ja): return "追加"
        case ("edit", .en): return "edited"
        case ("edit", .ja): return "変更"
        case ("end", .en): return "ended"
        case ("end", .ja): return "終了"
        case ("delete", .en): return "deleted"
        case ("delete", .ja): return "削除"
        default: return action
        }
    }

    /// Rows of `Store.audit`'s listing, each with the fields that changed.
    static func auditRows(_ listing: Listing, _ lang: ReportLanguage, link: VendorLink) -> [AuditRow] {
        let index = Dictionary(listing.columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        func cell(_ row: [String], _ column: String) -> String { index[column].map { row[$0] } ?? "" }
        return listing.rows.map { row in
            let entity = cell(row, "entity"), key = cell(row, "key"), action = cell(row, "action")
            let parent = key.split(separator: "#", maxSplits: 1).first.map(String.init) ?? key
            return AuditRow(
                id: cell(row, "id"), at: cell(row, "at"), actor: cell(row, "actor"), action: actionLabel(action, lang),
                actionValue: action, entity: entityLabel(entity, lang), key: key,
                changes: changes(before: cell(row, "before"), after: cell(row, "after"), entity: entity, lang),
                href: entity == "vendor" ? link(parent) : nil)
        }
    }

    /// The fields that differ between an audit row's before and after, each with its old and
    /// new value cut short (`risk_tier: medium → high`); "new"/"removed" for a row with one
    /// side only. The row id is left out, a reference is shown by its key (not its internal
    /// id), and a token's hash is named without its values.
    static func changes(before: String, after: String, entity: String, _ lang: ReportLanguage) -> String {
        func object(_ text: String) -> [String: String] {
            guard !text.isEmpty, let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
            return json.mapValues { value in
                if value is NSNull { return "" }
                if let text = value as? String { return text }
                if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) {
                    return String(decoding: data, as: UTF8.self)
                }
                return "\(value)"
            }
        }
        if before.isEmpty { return lang == .ja ? "新規" : "new" }
        if after.isEmpty { return lang == .ja ? "削除" : "removed" }
        let old = object(before), new = object(after)
        let names = Set(old.keys).union(new.keys)
        // A reference's `*_id` is shown by the `*_key` beside it, which people can read.
        let fields = names.filter { name in
            old[name] != new[name] && name != "id"
                && !(name.hasSuffix("_id") && names.contains(String(name.dropLast(3)) + "_key"))
        }
        func short(_ text: String?) -> String {
            guard let text, !text.isEmpty else { return "∅" }
            return text.count > 60 ? String(text.prefix(59)) + "…" : text
        }
        return fields.sorted().map { field in
            if entity == "token" && field == "token_hash" { return field }
            return "\(field): \(short(old[field])) → \(short(new[field]))"
        }.joined(separator: "; ")
    }
}
