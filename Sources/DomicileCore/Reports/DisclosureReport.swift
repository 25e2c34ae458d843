/// The privacy-policy text a company publishes, generated from the registry (issue 12): the
/// items APPI Art. 32(1) and Cabinet Order Art. 10 require to be made known (name, address and
/// representative; purposes of use; how to make requests; security measures; the contact for
/// complaints), the third-party provision rule of Art. 27(1) with its exceptions in general
/// terms, opt-out provisions (Art. 27(2)), entrustment (Art. 27(5)(i)), the external
/// environment (PPC General Rules Guideline 10-7; Cabinet Order Art. 10(i)) and the
/// external-transmission table (Telecommunications Business Act Art. 27-12; Enforcement
/// Rules Art. 22-2-29), in English or Japanese. Nothing internal is in it: no checklist state,
/// no reviewer note, no individual legal-exception provision, no provenance (that travels
/// as metadata, `ReportHeader`).
///
/// A value the document needs and does not have (missing, or a placeholder such as "-" or
/// "TBD"), and a Japanese text missing from the Japanese document, are `gaps`: the text holds
/// a visible "to be completed" mark in its place, never the English text inside Japanese.
/// `DisclosureReport.blockers` turns gaps and the check's errors on disclosed facts into the
/// list that stops `report disclosure` unless allowed.
public struct DisclosureReport: Encodable, Sendable {
    /// A fact the document needs and lacks: `missing` (absent or a placeholder) or
    /// `untranslated` (the Japanese document and no Japanese text).
    public struct Gap: Encodable, Sendable, Hashable {
        public let kind: String
        public let key: String
        public let field: String
        public let problem: String
        public let message: String

        public var subject: String { "\(kind)/\(key).\(field)" }
    }

    public struct Section: Encodable, Sendable {
        public let id: String
        public let heading: String
        /// Paragraphs before the list.
        public let paragraphs: [String]
        public let items: [String]
        /// Paragraphs after the list.
        public let after: [String]
        public let groups: [Group]
    }

    public struct Group: Encodable, Sendable {
        public let heading: String
        public let items: [String]
    }

    public struct CountrySystem: Encodable, Sendable {
        public let code: String
        public let name: String
        public let parts: [Group]
        let ja: Bool

        enum CodingKeys: String, CodingKey { case code, name, parts }

        /// The parts' sentences as one paragraph.
        public var summary: String { parts.flatMap(\.items).joined(separator: ja ? "" : " ") }
    }

    public struct ExternalEnvironment: Encodable, Sendable {
        public let heading: String
        public let intro: String
        public let facts: [Group]
        public let undisclosedNote: String?
        public let systemsHeading: String
        public let countrySystems: [CountrySystem]

        /// The first line of the fact whose heading starts with `label`'s words.
        func fact(_ heading: (String, String)) -> String? {
            facts.first { $0.heading == heading.0 || $0.heading == heading.1 }?.items.first
        }
        public var providerCountries: String? { fact(("Cloud service provider's country", "クラウドサービス提供事業者の所在国")) }
        public var storageCountries: String? { fact(("Data storage countries", "データの保管国")) }
        public var entrusteeCountries: String? {
            fact(("Countries where entrusted partners handle personal data", "委託先が個人データを取り扱う国"))
        }
    }

    public struct TransmissionRow: Encodable, Sendable {
        public let tool: String
        public let recipient: String
        public let information: String
        public let purpose: String
        public let optOut: String?
        /// `optOut` when it is a web address (a link in HTML).
        public let optOutLink: String?
    }

    public struct Transmissions: Encodable, Sendable {
        public let heading: String
        public let intro: String
        public let notes: [String]
        public let columns: [String]
        public let hasOptOut: Bool
        public let rows: [TransmissionRow]
    }

    public struct Service: Encodable, Sendable {
        public let key: String
        public let name: String
        public let heading: String
        public let externalEnvironment: ExternalEnvironment
        public let transmissions: Transmissions?
    }

    public let lang: String
    public let title: String
    public let organization: String
    public let intro: String
    /// Purposes, third-party provision, entrustment, security measures: in this order.
    public let sections: [Section]
    public let services: [Service]
    /// Requests, contact and the business operator (Art. 32(1)(i), (iii), (iv)).
    public let closing: [Section]
    /// What is to be completed; empty in a publishable document.
    public let gaps: [Gap]

    /// The mark that stands in the text for a gap.
    static func mark(_ subject: String, _ ja: Bool) -> String {
        ja ? "【要記入：\(subject)】" : "(To be completed: \(subject))"
    }

    static func untranslatedMark(_ subject: String) -> String { "【日本語未登録：\(subject)】" }

    public static func title(_ lang: ReportLanguage) -> String {
        lang == .ja ? "個人情報の取扱いについて" : "Handling of Personal Information"
    }

    /// Collects gaps while the document is built.
    final class Texts {
        let ja: Bool
        var gaps: [Gap] = []

        init(ja: Bool) { self.ja = ja }

        /// The text in the document's language; a mark and a gap when it is missing.
        func text(_ en: String?, _ japanese: String?, kind: String, key: String, field: String) -> String {
            let enField = field
            let jaField = field + "_ja"
            if ja {
                if let japanese, !Checker.isPlaceholder(japanese) { return japanese }
                if let en, !Checker.isPlaceholder(en) {
                    return gap(kind, key, jaField, "untranslated", "\(kind) \(key) has no Japanese \(field) (\(jaField)); the Japanese document never prints the English text")
                }
                return gap(kind, key, jaField, "missing", "\(kind) \(key) has no \(jaField) (empty or a placeholder such as '-' or 'TBD')")
            }
            if let en, !Checker.isPlaceholder(en) { return en }
            return gap(kind, key, enField, "missing", "\(kind) \(key) has no \(enField) (empty or a placeholder such as '-' or 'TBD')")
        }

        func gap(_ kind: String, _ key: String, _ field: String, _ problem: String, _ message: String) -> String {
            let gap = Gap(kind: kind, key: key, field: field, problem: problem, message: message)
            if !gaps.contains(gap) { gaps.append(gap) }
            return problem == "untranslated" ? DisclosureReport.untranslatedMark(gap.subject) : DisclosureReport.mark(gap.subject, ja)
        }
    }

    public init(_ snapshot: RegistrySnapshot, lang: ReportLanguage) {
        let ja = lang == .ja
        let t = Texts(ja: ja)
        self.lang = lang.rawValue
        title = Self.title(lang)
        let sep = ja ? "、" : ", "
        let colon = ja ? "：" : ": "
        let org = snapshot.organizations.first
        let orgKey = org?.key ?? "organization"
        let orgName: String
        if let org {
            // A company's registered name may be in Latin script in Japanese text (株式会社ASSIGN, Google LLC).
            orgName = ja ? (org.nameJa ?? org.name) : org.name
        } else {
            orgName = t.gap("organization", "-", "name", "missing", "the registry holds no organization (organization add)")
        }
        organization = orgName

        func countryName(_ code: String) -> String {
            guard ja else { return snapshot.countryName(code) }
            guard let name = snapshot.country(code)?.nameJa, !name.isEmpty else {
                return t.gap("country", code, "name_ja", "untranslated", "country \(code) has no Japanese name")
            }
            // Japanese text takes full-width brackets: 大韓民国（韓国）, not 大韓民国 (韓国).
            return name.replacingOccurrences(of: " (", with: "（").replacingOccurrences(of: ")", with: "）")
        }
        func vendorName(_ key: String) -> String {
            guard let vendor = snapshot.vendor(key) else { return key }
            return ja ? (vendor.nameJa ?? vendor.legalName) : vendor.legalName
        }

        intro =
            ja
            ? "\(orgName)（以下「当社」といいます。）は、個人情報の保護に関する法律（以下「個人情報保護法」といいます。）その他の関係法令を遵守し、個人情報を以下のとおり取り扱います。"
            : "\(orgName) (\"we\") complies with the Act on the Protection of Personal Information (the \"APPI\") and other applicable laws, and handles personal information as follows."

        var sections: [Section] = []

        // Purposes of use (APPI Arts. 17(1), 21(1), 32(1)(ii)).
        // The organization's purposes, as the ROPA finds them: those its services' entrustments
        // name and those keyed SERVICE-… (purposes are shared reference data).
        let named = Set(snapshot.entrustments.flatMap(\.purposes))
        let serviceKeys = snapshot.services.map(\.key)
        let purposes = snapshot.purposes
            .filter { purpose in named.contains(purpose.key) || serviceKeys.contains { purpose.key.hasPrefix($0 + "-") } }
            .map { t.text($0.name, $0.nameJa, kind: "purpose", key: $0.key, field: "name") }
        sections.append(
            Section(
                id: "purposes", heading: ja ? "個人情報の利用目的" : "Purposes of Use of Personal Information",
                paragraphs: [
                    purposes.isEmpty
                        ? t.gap("purpose", "-", "name", "missing", "the registry holds no purpose of use (APPI Art. 32(1)(ii))")
                        : ja ? "当社は、取得した個人情報を以下の目的のために利用します。" : "We use the personal information we obtain for the following purposes."
                ],
                items: purposes, after: [], groups: []))

        // Provision to third parties (APPI Art. 27): the rule and its exceptions in general terms;
        // individual provisions under an exception are never listed.
        var provisionAfter: [String] = []
        let optOut = snapshot.provisions.filter { $0.basis == "opt_out" }
        for provision in optOut {
            let categories = provision.categories.map { key in
                t.text(snapshot.category(key)?.name, snapshot.category(key)?.nameJa, kind: "data_category", key: key, field: "name")
            }
            let purpose = t.text(provision.purpose, provision.purposeJa, kind: "provision", key: provision.key, field: "purpose")
            provisionAfter.append(
                ja
                    ? "当社は、本人の求めに応じて提供を停止することを条件に、\(categories.joined(separator: sep))を、\(purpose)のため、\(vendorName(provision.recipient))（\(countryName(provision.recipientCountry))）に提供します（個人情報保護法第27条第2項）。提供の停止は、下記の窓口にお申し出ください。"
                    : "We provide \(categories.joined(separator: sep)) to \(vendorName(provision.recipient)) (\(countryName(provision.recipientCountry))) for the purpose of \(purpose), and stop providing a person's data at their request (APPI Art. 27(2)); please make the request to the contact below.")
        }
        // Joint use (APPI Art. 27(5)(iii)): the data, the joint users, the purpose and who is
        // responsible are made known; the business itself is the one responsible here.
        for provision in snapshot.provisions where provision.basis == "joint_use" {
            let categories = provision.categories.map { key in
                t.text(snapshot.category(key)?.name, snapshot.category(key)?.nameJa, kind: "data_category", key: key, field: "name")
            }
            let purpose = t.text(provision.purpose, provision.purposeJa, kind: "provision", key: provision.key, field: "purpose")
            provisionAfter.append(
                ja
                    ? "当社は、\(categories.joined(separator: sep))を、\(purpose)のため、\(vendorName(provision.recipient))（\(countryName(provision.recipientCountry))）と共同して利用します。当該個人データの管理について責任を有する者は、\(orgName)です（個人情報保護法第27条第5項第3号）。"
                    : "We use \(categories.joined(separator: sep)) jointly with \(vendorName(provision.recipient)) (\(countryName(provision.recipientCountry))) for the purpose of \(purpose); \(orgName) is responsible for its management (APPI Art. 27(5)(iii)).")
        }
        sections.append(
            Section(
                id: "third-parties", heading: ja ? "個人情報の第三者提供" : "Provision of Personal Information to Third Parties",
                paragraphs: [
                    ja
                        ? "当社は、原則として、あらかじめ本人の同意を得ないで、個人データを第三者に提供しません。ただし、次の場合には、個人情報保護法に基づき、本人の同意を得ないで提供することがあります。"
                        : "As a general rule, we do not provide personal information to third parties without the consent of the user. However, in the following cases, we may provide personal information without the user's consent, as the APPI permits."
                ],
                items: ja
                    ? [
                        "法令に基づく場合",
                        "人の生命、身体又は財産の保護のために必要がある場合であって、本人の同意を得ることが困難であるとき",
                        "国の機関若しくは地方公共団体又はその委託を受けた者が法令の定める事務を遂行することに対して協力する必要がある場合であって、本人の同意を得ることにより当該事務の遂行に支障を及ぼすおそれがあるとき",
                    ]
                    : [
                        "When required by law",
                        "When necessary to protect a person's life, body, or property, and it is difficult to obtain the person's consent",
                        "When it is necessary to cooperate with a national institution, local public body, or a person entrusted by them to perform the duties prescribed by law, and obtaining the person's consent would likely hinder the performance of those duties",
                    ],
                after: provisionAfter, groups: []))

        // Entrustment (APPI Arts. 25, 27(5)(i)): stated when a partner handles the data.
        if snapshot.entrustments.contains(where: { !$0.cloudException }) {
            sections.append(
                Section(
                    id: "entrustment", heading: ja ? "個人情報の取扱いの委託" : "Entrustment of the Handling of Personal Information",
                    paragraphs: [
                        ja
                            ? "当社は、事業運営上、個人情報の取扱いの全部又は一部を業務委託先に委託することがあります。この場合、個人情報を適切に保護できる管理体制を有する委託先を選定し、契約等において個人情報の漏えい防止等に必要な事項を定めた上で、委託先に対する必要かつ適切な監督を行います。"
                            : "For business operations, we may entrust the handling of personal information to a business partner. In this case, we select a business partner that has a management system that can appropriately protect personal information, and stipulate the necessary matters for the prevention of leakage of personal information through contracts, etc."
                    ],
                    items: [], after: [], groups: []))
        }

        // Security measures (APPI Arts. 23, 32(1)(iv); Cabinet Order Art. 10(i); GL 10): the
        // organization's own public sentence for each measure answered met; a measure without
        // one is not published (never as a bare checklist title).
        var groups: [(String, [String])] = []
        let latest = snapshot.organizations.flatMap { Compliance.latestAssessments(snapshot, organization: $0.key) }
        for assessment in latest {
            guard let template = snapshot.template(assessment.template) else { continue }
            let answers = Dictionary(assessment.answers.map { ($0.item, $0) }, uniquingKeysWith: { a, _ in a })
            for item in template.items where item.group != "EXT" {
                guard let answer = answers[item.id], answer.status == .met,
                    answer.publicStatement != nil || answer.publicStatementJa != nil
                else { continue }
                let sentence = t.text(
                    answer.publicStatement, answer.publicStatementJa, kind: "assessment", key: "\(assessment.key)#\(item.id)",
                    field: "public_statement")
                let heading = ChecklistGroups.label(item.group, lang)
                if let index = groups.firstIndex(where: { $0.0 == heading }) {
                    if !groups[index].1.contains(sentence) { groups[index].1.append(sentence) }
                } else {
                    groups.append((heading, [sentence]))
                }
            }
        }
        let securityIntro: String
        if groups.isEmpty {
            securityIntro = t.gap(
                "organization", orgKey, "security_measures", "missing",
                latest.isEmpty
                    ? "the organization has no security assessment; record one with a public statement per measure (assess add, assess answer --public-statement/--public-statement-ja)"
                    : "no met measure has a public statement (assess answer ITEM --public-statement/--public-statement-ja)")
        } else {
            securityIntro =
                ja
                ? "当社は、個人データの漏えい、滅失又は毀損の防止その他の個人データの安全管理のため、以下の措置を講じています。"
                : "We take the following measures to prevent leakage, loss or damage of personal data and otherwise manage it securely."
        }
        sections.append(
            Section(
                id: "security", heading: ja ? "安全管理措置" : "Security Control Measures", paragraphs: [securityIntro], items: [],
                after: [], groups: groups.map { Group(heading: $0.0, items: $0.1) }))
        self.sections = sections

        services = snapshot.services.map { service in
            Self.service(service, snapshot, t, countryName: countryName, vendorName: vendorName, home: org?.country ?? "JP")
        }

        // Requests and contact (APPI Arts. 32(1)(iii)-(iv), 33-35, 40; Cabinet Order Art. 10(ii)).
        var closing: [Section] = []
        var contactItems: [String] = []
        if let org {
            if org.privacyContactName != nil || org.privacyContactNameJa != nil {
                contactItems.append(t.text(org.privacyContactName, org.privacyContactNameJa, kind: "organization", key: org.key, field: "privacy_contact_name"))
            }
            if let email = org.privacyContactEmail { contactItems.append((ja ? "メールアドレス" : "Email") + colon + email) }
            if let url = org.privacyContactURL { contactItems.append((ja ? "ウェブサイト" : "Web") + colon + url) }
            if org.privacyContactEmail == nil && org.privacyContactURL == nil {
                contactItems.append(t.gap("organization", org.key, "privacy_contact_email", "missing", "organization \(org.key) has no privacy contact (privacy_contact_email or privacy_contact_url; APPI Art. 32(1)(iv), Cabinet Order Art. 10(ii))"))
            }
        }
        closing.append(
            Section(
                id: "requests", heading: ja ? "開示等の請求及びお問い合わせ窓口" : "Requests for Disclosure and Contact",
                paragraphs: [
                    ja
                        ? "保有個人データの利用目的の通知、開示、内容の訂正、追加又は削除、利用の停止、消去及び第三者への提供の停止、並びに第三者提供記録の開示の請求は、本人確認を行った上で、合理的な範囲で速やかに対応いたします。これらの請求及び個人情報の取扱いに関する苦情・相談は、以下の窓口までご連絡ください。"
                        : "Regarding requests from users for notification of the purpose of use, disclosure, correction, addition or deletion, suspension of use, erasure, suspension of provision to third parties, or disclosure of third-party provision records of retained personal data, we will promptly respond within a reasonable range after confirming the user's identity. Please send such requests, and complaints and consultations regarding the handling of personal information, to the following contact."
                ],
                items: contactItems, after: [], groups: []))

        // The business operator (APPI Art. 32(1)(i)).
        var operatorItems: [String] = []
        if let org {
            operatorItems.append((ja ? "名称" : "Name") + colon + orgName)
            operatorItems.append((ja ? "住所" : "Address") + colon + t.text(org.address, org.addressJa, kind: "organization", key: org.key, field: "address"))
            operatorItems.append(
                (ja ? "代表者" : "Representative") + colon
                    + t.text(org.representative, org.representativeJa, kind: "organization", key: org.key, field: "representative"))
        }
        closing.append(
            Section(
                id: "operator", heading: ja ? "事業者の名称、住所及び代表者" : "Name, Address and Representative of the Business Operator",
                paragraphs: [], items: operatorItems, after: [], groups: []))
        self.closing = closing
        gaps = t.gaps
    }

    static func service(
        _ service: RegistrySnapshot.Service, _ snapshot: RegistrySnapshot, _ t: Texts, countryName: (String) -> String,
        vendorName: (String) -> String, home: String
    ) -> Service {
        let ja = t.ja
        let sep = ja ? "、" : ", "
        let residencies = snapshot.residencies(ofService: service.key)
        let providers = Set(residencies.map(\.vendor)).compactMap { snapshot.vendor($0) }.filter { $0.kinds.contains(.cloudProvider) }
        // The provider's country is its contracting entity's (GL 10-7 names both it and the servers').
        let providerCountries = Set(providers.map(\.recipientCountry)).sorted()
        let storage = Set(residencies.filter { $0.role == .storage || $0.role == .backup }.compactMap(\.country)).sorted()
        let handled = Set(residencies.compactMap(\.country)).union(storage).sorted()
        let entrustments = snapshot.entrustments(ofService: service.key)
        let residencyVendors = Set(residencies.map(\.vendor))
        var entrusteeCountries = Set<String>()
        for entrustment in entrustments where !entrustment.cloudException {
            if !residencyVendors.contains(entrustment.vendor), let vendor = snapshot.vendor(entrustment.vendor) {
                entrusteeCountries.insert(vendor.recipientCountry)
            }
            for sub in entrustment.subEntrustees {
                entrusteeCountries.formUnion(sub.countries)
                if let vendor = snapshot.vendor(sub.vendor) { entrusteeCountries.insert(vendor.recipientCountry) }
            }
        }
        let extraEntrustee = entrusteeCountries.subtracting(handled).sorted()
        let undisclosed = residencies.filter { $0.undisclosed != nil }
        let candidates = Set(undisclosed.flatMap { $0.undisclosed?.candidates ?? [] }).sorted()
        let foreign = Set(providerCountries + handled + entrusteeCountries)
            .union(DomicileCore.ExternalEnvironment.countries(snapshot, service: service.key).keys).subtracting([home]).sorted()
        func list(_ codes: [String]) -> String { codes.map(countryName).joined(separator: sep) }

        var facts: [Group] = []
        if !providerCountries.isEmpty {
            facts.append(Group(heading: ja ? "クラウドサービス提供事業者の所在国" : "Cloud service provider's country", items: [list(providerCountries)]))
        }
        facts.append(Group(heading: ja ? "データの保管国" : "Data storage countries", items: [list(storage.isEmpty ? handled : storage)]))
        if !extraEntrustee.isEmpty {
            facts.append(Group(heading: ja ? "委託先が個人データを取り扱う国" : "Countries where entrusted partners handle personal data", items: [list(extraEntrustee)]))
        }
        var note: String?
        if !undisclosed.isEmpty {
            note =
                ja
                ? "※一部のクラウドサービスについては、データの保管場所が開示されておらず、データの保管国を特定できない場合があります。"
                : "* For some cloud services, the location of data storage may not be disclosed, and the data storage country may not be identifiable."
            if !candidates.isEmpty { note! += ja ? "（想定される国：\(list(candidates))）" : " (Possible countries: \(list(candidates)).)" }
        }
        let environment = ExternalEnvironment(
            heading: ja ? "外的環境の把握" : "Understanding the External Environment",
            intro: ja
                ? "当社は、クラウドサービス上で個人データを保管している以下の国における個人情報の保護に関する制度を把握した上で、安全管理措置を実施します。"
                : "We will implement security management measures after understanding the system for protecting personal information in the following countries where personal data is stored on cloud services.",
            facts: facts, undisclosedNote: note,
            systemsHeading: ja ? "外国における個人情報の保護に関する制度" : "Each foreign country's system for the protection of personal information",
            countrySystems: foreign.map { CountrySystem(code: $0, name: countryName($0), parts: Self.system($0, snapshot, t), ja: ja) })

        let rows = snapshot.transmissions(ofService: service.key).map { transmission -> TransmissionRow in
            let information: String
            if ja {
                information =
                    transmission.informationJa.isEmpty || transmission.informationJa.allSatisfy(Checker.isPlaceholder)
                    ? t.text(transmission.information.isEmpty ? nil : "x", nil, kind: "transmission", key: transmission.key, field: "information")
                    : transmission.informationJa.joined(separator: sep)
            } else {
                information =
                    transmission.information.allSatisfy(Checker.isPlaceholder)
                    ? t.text(nil, nil, kind: "transmission", key: transmission.key, field: "information")
                    : transmission.information.joined(separator: sep)
            }
            var optOut: String?
            if let url = transmission.optOutURL {
                optOut = url
            } else if transmission.basis == "opt_out" {
                optOut = t.gap("transmission", transmission.key, "opt_out_url", "missing", "transmission \(transmission.key) is opt-out and names no way to opt out (opt_out_url; TBA Art. 27-12, Enforcement Rules Art. 22-2-29)")
            }
            return TransmissionRow(
                tool: transmission.tool, recipient: vendorName(transmission.recipient), information: information,
                purpose: t.text(transmission.purpose, transmission.purposeJa, kind: "transmission", key: transmission.key, field: "purpose"),
                optOut: optOut, optOutLink: transmission.optOutURL)
        }
        let hasOptOut = rows.contains { $0.optOut != nil }
        var columns =
            ja
            ? ["サービス名", "送信先の名称", "送信される情報", "利用目的"]
            : ["Service Name", "Name of the Recipient", "Information to be Sent", "Purpose of Information Use"]
        if hasOptOut { columns.append(ja ? "オプトアウトの方法" : "How to Opt Out") }
        let transmissions =
            rows.isEmpty
            ? nil
            : Transmissions(
                heading: ja ? "電気通信事業法に基づく外部送信に関する公表" : "Disclosure of User Information External Transmission by the Telecommunications Business Act",
                intro: ja
                    ? "電気通信事業法第27条の12及び電気通信事業法施行規則第22条の2の29に基づき、利用者の情報の外部送信について、送信される利用者に関する情報の内容、送信先において当該情報を取り扱う者の氏名又は名称及び当該情報の利用目的を以下のとおり公表します。"
                    : "Under Article 27-12 of the Telecommunications Business Act and Article 22-2-29 of its Enforcement Rules, the content of the information about users that is transmitted to outside parties, the name of the person who handles the information at the destination, and the purpose of using the information are as follows.",
                notes: hasOptOut
                    ? [ja ? "オプトアウトの方法が記載されている送信については、記載の方法により、送信される情報の利用を停止することができます。" : "Where a way to opt out is given, you can stop the use of the information sent by following it."]
                    : [],
                columns: columns, hasOptOut: hasOptOut, rows: rows)

        return Service(
            key: service.key, name: service.name,
            heading: ja ? "\(service.name)における個人情報の取扱い" : "Handling of Personal Information in \(service.name)",
            externalEnvironment: environment, transmissions: transmissions)
    }

    /// A foreign country's system in the structure of the PPC's information on foreign
    /// systems (Foreign-Provision Guideline 5-2; PPC Rules Art. 17(2)): (i) whether a system
    /// exists; (ii) indicators (EU/EEA, PPC designation, EU adequacy, APEC CBPR, Global CBPR);
    /// (iii) obligations or rights corresponding to the OECD Privacy Guidelines' eight
    /// principles that are absent, which the facts do not hold: the reader is pointed to the
    /// PPC's survey when it covers the country; (iv) systems that may seriously affect the
    /// person's rights (localization, government access). Only the public sentences of sourced
    /// facts in force on the day (`verified`, `reported`) are published; reviewer notes never are.
    static func system(_ code: String, _ snapshot: RegistrySnapshot, _ t: Texts) -> [Group] {
        let ja = t.ja
        let country = snapshot.country(code)
        let facts = (country?.facts ?? []).filter(\.publishable)
        guard !facts.isEmpty else {
            return [Group(heading: ja ? "制度の有無" : "Whether a system exists", items: [t.gap("country", code, "regime_facts", "missing", "country \(code) has no sourced regime facts to publish (seeds/country-regime-facts.csv; PPC GL 10-7)")])]
        }
        func sentences(_ kinds: Set<String>) -> [String] {
            var out: [String] = []
            for fact in facts where kinds.contains(fact.fact) {
                let text = t.text(fact.publicEn, fact.publicJa, kind: "country", key: code, field: "fact.\(fact.fact).public")
                if !out.contains(text) { out.append(text) }
            }
            return out
        }
        let indicators: Set<String> = ["eu_member", "eea_member", "jp_ppc_equivalent", "eu_adequacy", "apec_cbpr", "global_cbpr"]
        let known = indicators.union(["comprehensive_law"])
        var parts: [Group] = []
        let system = sentences(["comprehensive_law"])
        parts.append(Group(heading: ja ? "制度の有無" : "Whether a system exists", items: system.isEmpty ? [ja ? "個人情報の保護に関する制度の有無について公表できる情報はありません。" : "No published information on whether a system exists."] : system))
        let indicatorSentences = sentences(indicators)
        if !indicatorSentences.isEmpty {
            parts.append(Group(heading: ja ? "指標となり得る情報" : "Information that may serve as an indicator", items: indicatorSentences))
        }
        let designated = ["yes", "home"].contains(country?.regime?.ppcEquivalent ?? "")
        if !designated && country?.regime?.ppcSurvey == "yes" {
            parts.append(
                Group(
                    heading: ja ? "OECDプライバシーガイドライン8原則に対応する事業者の義務又は本人の権利の不存在" : "Absence of obligations of businesses or rights of individuals corresponding to the eight principles of the OECD Privacy Guidelines",
                    items: [
                        ja
                            ? "OECDプライバシーガイドライン8原則に対応する事業者の義務又は本人の権利の不存在については、個人情報保護委員会の「外国における個人情報の保護に関する制度等の調査」をご参照ください。"
                            : "For any obligations of businesses or rights of individuals corresponding to the eight principles of the OECD Privacy Guidelines that its system lacks, see the Personal Information Protection Commission's survey of foreign systems for the protection of personal information."
                    ]))
        }
        let serious = Set(facts.map(\.fact)).subtracting(known)
        let seriousSentences = sentences(serious)
        if !seriousSentences.isEmpty {
            parts.append(Group(heading: ja ? "本人の権利利益に重大な影響を及ぼす可能性のある制度" : "Systems that may seriously affect the rights and interests of the person", items: seriousSentences))
        }
        return parts
    }

    /// A foreign country's system as one paragraph (the parts of `system`, in their order).
    public static func summary(_ code: String, _ snapshot: RegistrySnapshot, _ lang: ReportLanguage) -> String {
        system(code, snapshot, Texts(ja: lang == .ja)).flatMap(\.items).joined(separator: lang == .ja ? "" : " ")
    }

    /// Check rules whose errors concern what the disclosure states: any of them stops it.
    public static let disclosedRules: Set<String> = [
        CheckRule.environmentNoRegimeFacts.id, CheckRule.undisclosedNoReason.id, CheckRule.transmissionIncomplete.id,
        CheckRule.subEntrusteeNotInRegistry.id, CheckRule.subEntrusteeNoCountry.id, CheckRule.vendorEndedInUse.id,
        CheckRule.organizationNeverAssessed.id, CheckRule.optOutSensitive.id, CheckRule.optOutUnnotified.id,
    ]

    /// What stops the disclosure: its gaps (`missing` unless `allowFindings`, `untranslated`
    /// unless `allowMissingTranslations`) and the check's errors under `disclosedRules`
    /// (unless `allowFindings`), one line each, naming the record and the field.
    public static func blockers(
        _ snapshot: RegistrySnapshot, lang: ReportLanguage, allowFindings: Bool, allowMissingTranslations: Bool
    ) -> [String] {
        let report = DisclosureReport(snapshot, lang: lang)
        var lines: [String] = []
        for gap in report.gaps {
            if gap.problem == "untranslated" ? !allowMissingTranslations : !allowFindings {
                lines.append("\(gap.subject): \(gap.message)")
            }
        }
        if !allowFindings {
            for finding in Checker.run(snapshot) where finding.severity == .error && disclosedRules.contains(finding.rule.id) {
                lines.append("\(finding.rule.id) \(finding.subject): \(finding.message)")
            }
        }
        return lines
    }
}
