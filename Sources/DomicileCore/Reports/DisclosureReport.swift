/// The text a privacy policy needs, generated from the registry: security control
/// measures by group, the external environment (APPI; PPC General Rules Guideline §10-7),
/// the entrustment statement, third-party provisions and the external-transmission table
/// (Telecommunications Business Act Art. 27-12), in English or Japanese.
public struct DisclosureReport: Encodable, Sendable {
    public struct MeasureGroup: Encodable, Sendable {
        public let group: String
        public let heading: String
        public let measures: [String]
    }

    public struct CountrySummary: Encodable, Sendable {
        public let code: String
        public let name: String
        public let summary: String
    }

    public struct ExternalEnvironment: Encodable, Sendable {
        public let heading: String
        public let intro: String
        public let providerCountriesLabel: String
        public let providerCountries: String
        public let storageCountriesLabel: String
        public let storageCountries: String
        /// Countries where entrustees handle the data, when some are not storage countries.
        public let entrusteeCountries: String?
        public let entrusteeCountriesLabel: String
        public let undisclosedNote: String?
        public let candidatesNote: String?
        public let systemsHeading: String
        public let countrySystems: [CountrySummary]
    }

    public struct TransmissionRow: Encodable, Sendable {
        public let tool: String
        public let recipient: String
        public let information: String
        public let purpose: String
    }

    public struct Transmissions: Encodable, Sendable {
        public let heading: String
        public let intro: String
        public let columns: [String]
        public let rows: [TransmissionRow]
    }

    public struct Service: Encodable, Sendable {
        public let key: String
        public let name: String
        public let heading: String
        public let externalEnvironment: ExternalEnvironment
        public let entrustmentHeading: String
        public let entrustment: String?
        public let provisionsHeading: String
        public let provisions: [String]
        public let transmissions: Transmissions?
    }

    public let lang: String
    public let organization: String
    public let securityHeading: String
    public let securityIntro: String
    public let security: [MeasureGroup]
    public let services: [Service]

    public init(_ snapshot: RegistrySnapshot, lang: ReportLanguage) {
        let ja = lang == .ja
        self.lang = lang.rawValue
        let organization = snapshot.organizations.first
        self.organization = (ja ? organization?.nameJa : nil) ?? organization?.name ?? ""
        // Japanese text takes full-width brackets: 大韓民国（韓国）, not 大韓民国 (韓国).
        func name(_ code: String) -> String {
            ja ? snapshot.countryNameJa(code).replacingOccurrences(of: " (", with: "（").replacingOccurrences(of: ")", with: "）")
                : snapshot.countryName(code)
        }
        func list(_ codes: [String]) -> String { codes.map(name).joined(separator: ja ? "、" : ", ") }

        // Security measures: the met items of the organization's latest assessments, by group.
        securityHeading = ja ? "安全管理措置" : "Security Control Measures"
        securityIntro =
            ja
            ? "当社は、個人データの漏えい、滅失またはき損の防止その他の個人データの安全管理のために、以下の措置を講じています。"
            : "We take the following measures to prevent leakage, loss or damage of personal data and otherwise manage it securely."
        var groups: [String: [String]] = [:]
        var order: [String] = []
        let latest = snapshot.organizations.flatMap { Compliance.latestAssessments(snapshot, organization: $0.key) }
        for assessment in latest {
            guard let template = snapshot.template(assessment.template) else { continue }
            let met = Set(assessment.answers.filter { $0.status == .met }.map(\.item))
            for item in template.items where met.contains(item.id) && item.group != "EXT" {
                if !order.contains(item.group) { order.append(item.group) }
                let title = (ja ? item.titleJa : nil) ?? item.title
                if !groups[item.group, default: []].contains(title) { groups[item.group, default: []].append(title) }
            }
        }
        security = order.map { MeasureGroup(group: $0, heading: ChecklistGroups.label($0, lang), measures: groups[$0]!) }

        services = snapshot.services.map { service in
            let residencies = snapshot.residencies(ofService: service.key)
            let providers = Set(residencies.map(\.vendor)).compactMap { snapshot.vendor($0) }
                .filter { $0.kinds.contains(.cloudProvider) }
            // the provider's country is its contracting entity's (GL 10-7: both it and the server's)
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
            let home = organization?.country ?? "JP"
            let foreign = Set(providerCountries + handled + entrusteeCountries)
                .union(DomicileCore.ExternalEnvironment.countries(snapshot, service: service.key).keys).subtracting([home]).sorted()

            let environment = ExternalEnvironment(
                heading: ja ? "外的環境の把握" : "Understanding the External Environment",
                intro: ja
                    ? "当社は、クラウドサービス上で個人データを保管している以下の国における個人情報の保護に関する制度を把握した上で、安全管理措置を実施します。"
                    : "We will implement security management measures after understanding the system for protecting personal information in the following countries where personal data is stored on cloud services.",
                providerCountriesLabel: ja ? "クラウドサービス提供事業者の所在国" : "Cloud service provider's country",
                providerCountries: list(providerCountries),
                storageCountriesLabel: ja ? "データの保管国" : "Data storage countries",
                storageCountries: list(storage.isEmpty ? handled : storage),
                entrusteeCountries: extraEntrustee.isEmpty ? nil : list(extraEntrustee),
                entrusteeCountriesLabel: ja ? "委託先が個人データを取り扱う国" : "Countries where entrusted partners handle personal data",
                undisclosedNote: undisclosed.isEmpty
                    ? nil
                    : ja
                        ? "※一部のクラウドサービスについては、データの保管場所が開示されておらず、データの保管国を特定できない場合があります。"
                        : "* For some cloud services, the location of data storage may not be disclosed, and the data storage country may not be identifiable.",
                candidatesNote: candidates.isEmpty
                    ? nil
                    : ja ? "（想定される国：\(list(candidates))）" : "(Possible countries: \(list(candidates)).)",
                systemsHeading: ja ? "外国の個人情報保護制度の概要" : "Summary of each foreign country's system",
                countrySystems: foreign.map { CountrySummary(code: $0, name: name($0), summary: Self.summary($0, snapshot, lang)) })

            let contracted = entrustments.contains { !$0.cloudException }
            let entrustment: String? =
                !contracted
                ? nil
                : ja
                    ? "当社は、事業運営上、個人情報の取扱いの全部または一部を業務委託先に委託することがあります。この場合、個人情報を適切に保護できる管理体制を有する委託先を選定し、契約等において個人情報の漏えい防止等に必要な事項を定めます。"
                    : "For business operations, we may entrust the handling of personal information to a business partner. In this case, we select a business partner that has a management system that can appropriately protect personal information, and stipulate the necessary matters for the prevention of leakage of personal information through contracts, etc."

            let provisions = snapshot.provisions(ofService: service.key).map { provision -> String in
                let recipient = snapshot.vendor(provision.recipient)
                let recipientName = (ja ? recipient?.nameJa : nil) ?? recipient?.legalName ?? provision.recipient
                let categories = provision.categories.map { key in
                    (ja ? snapshot.category(key)?.nameJa : nil) ?? snapshot.category(key)?.name ?? key
                }
                return ja
                    ? "\(recipientName)（\(name(provision.recipientCountry))）：\(categories.joined(separator: "、"))（目的：\(provision.purpose)）"
                    : "\(recipientName) (\(name(provision.recipientCountry))): \(categories.joined(separator: ", ")) (purpose: \(provision.purpose))"
            }

            let rows = snapshot.transmissions(ofService: service.key).map { transmission in
                let recipient = snapshot.vendor(transmission.recipient)
                return TransmissionRow(
                    tool: transmission.tool,
                    recipient: (ja ? recipient?.nameJa : nil) ?? recipient?.legalName ?? transmission.recipient,
                    information: (ja && !transmission.informationJa.isEmpty ? transmission.informationJa : transmission.information)
                        .joined(separator: ja ? "、" : ", "),
                    purpose: (ja ? transmission.purposeJa : nil) ?? transmission.purpose)
            }
            let transmissions =
                rows.isEmpty
                ? nil
                : Transmissions(
                    heading: ja ? "電気通信事業法に基づく外部送信に関する公表" : "Disclosure of User Information External Transmission by the Telecommunications Business Act",
                    intro: ja
                        ? "電気通信事業法第27条の12に基づき、利用者の情報の外部送信について、送信される情報の内容、送信先の名称および利用目的を以下のとおり公表します。"
                        : "Under Article 27-12 of the Telecommunications Business Act, the information about users that is sent to outside parties, the name of the recipient and the purpose of use are as follows.",
                    columns: ja
                        ? ["サービス名", "送信先の名称", "送信される情報", "利用目的"]
                        : ["Service Name", "Name of the Recipient", "Information to be Sent", "Purpose of Information Use"],
                    rows: rows)

            return Service(
                key: service.key, name: service.name,
                heading: ja ? "\(service.name)における個人情報の取扱い" : "Handling of personal information in \(service.name)",
                externalEnvironment: environment, entrustmentHeading: ja ? "個人情報の取扱いの委託" : "Entrustment of personal information",
                entrustment: entrustment, provisionsHeading: ja ? "第三者提供" : "Provision to third parties",
                provisions: provisions, transmissions: transmissions)
        }
    }

    /// A foreign country's system, from the public sentences of its regime facts in force on
    /// the snapshot's day, in the order of the Foreign-Provision Guideline 5-2 viewpoints:
    /// (i) whether a system exists; (ii) indicators (EU/EEA, PPC designation, EU adequacy,
    /// APEC CBPR, Global CBPR); (iii) the OECD-8 gaps, which the facts do not hold: the
    /// reader is pointed to the PPC's survey when it covers the country; (iv) systems that
    /// may seriously affect rights (localization, government-access duties). Only sourced
    /// facts (`verified`, `reported`) are published; reviewer notes never are.
    public static func summary(_ code: String, _ snapshot: RegistrySnapshot, _ lang: ReportLanguage) -> String {
        let ja = lang == .ja
        let country = snapshot.country(code)
        let facts = (country?.facts ?? []).filter(\.publishable)
        guard !facts.isEmpty else {
            return ja ? "制度に関する情報は登録されていません。" : "No information on its system is recorded."
        }
        var sentences: [String] = []
        let indicators: Set<String> = ["comprehensive_law", "eu_member", "eea_member", "jp_ppc_equivalent", "eu_adequacy", "apec_cbpr", "global_cbpr"]
        for fact in facts where indicators.contains(fact.fact) {
            let text = ja ? fact.publicJa : fact.publicEn
            if !sentences.contains(text) { sentences.append(text) }
        }
        let designated = ["yes", "home"].contains(country?.regime?.ppcEquivalent ?? "")
        if !designated && country?.regime?.ppcSurvey == "yes" {
            sentences.append(
                ja
                    ? "OECDプライバシーガイドライン8原則に対応する事業者の義務又は本人の権利の不存在については、個人情報保護委員会の「外国における個人情報の保護に関する制度等の調査」をご参照ください。"
                    : "For any obligations of businesses or rights of individuals corresponding to the eight principles of the OECD Privacy Guidelines that its system lacks, see the Personal Information Protection Commission's survey of foreign systems for the protection of personal information.")
        }
        for fact in facts where !indicators.contains(fact.fact) {
            let text = ja ? fact.publicJa : fact.publicEn
            if !sentences.contains(text) { sentences.append(text) }
        }
        return sentences.joined(separator: ja ? "" : " ")
    }
}
