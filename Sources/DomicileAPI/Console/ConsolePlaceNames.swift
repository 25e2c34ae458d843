import DomicileCore
import DomicileStore
import Foundation

/// The names the Services, Where and Countries pages show for the keys and codes of a `where`
/// answer: a data category's, a country's and a vendor's English name and Japanese name
/// (where the registry has one), a service's name. Read with the queries the API and the
/// command line use (`category list`, `country list`, `vendor list --all`, `service list --all`).
struct PlaceNames: Sendable {
    struct Name: Sendable, Hashable {
        var en: String
        var ja: String?

        /// The name in `ja` or English: the Japanese form where the registry has one.
        func text(ja: Bool) -> String {
            if ja, let name = self.ja, !name.isEmpty { return name }
            return en
        }
    }

    var categories: [String: Name] = [:]
    var countries: [String: Name] = [:]
    var vendors: [String: Name] = [:]
    var services: [String: Name] = [:]

    init(categories: [String: Name] = [:], countries: [String: Name] = [:], vendors: [String: Name] = [:], services: [String: Name] = [:]) {
        self.categories = categories
        self.countries = countries
        self.vendors = vendors
        self.services = services
    }

    static func read(_ store: Store) throws -> PlaceNames {
        var names = PlaceNames()
        for record in try store.records(.category) {
            guard let key = record.key else { continue }
            names.categories[key] = Name(en: record.string("name") ?? key, ja: record.string("name_ja"))
        }
        for record in try store.records(.vendor) {
            guard let key = record.key else { continue }
            names.vendors[key] = Name(en: record.string("legal_name") ?? key, ja: record.string("name_ja"))
        }
        for record in try store.records(.service) {
            guard let key = record.key else { continue }
            names.services[key] = Name(en: record.string("name") ?? key, ja: nil)
        }
        let countries = try store.countries()
        if let code = countries.columns.firstIndex(of: "code"), let en = countries.columns.firstIndex(of: "name_en"),
            let ja = countries.columns.firstIndex(of: "name_ja")
        {
            for row in countries.rows { names.countries[row[code]] = Name(en: row[en], ja: row[ja].isEmpty ? nil : row[ja]) }
        }
        return names
    }

    func category(_ key: String, ja: Bool) -> String { categories[key]?.text(ja: ja) ?? key }
    func country(_ code: String, ja: Bool) -> String { countries[code]?.text(ja: ja) ?? code }
    func vendor(_ key: String, ja: Bool) -> String { vendors[key]?.text(ja: ja) ?? key }
    func service(_ key: String, ja: Bool) -> String { services[key]?.text(ja: ja) ?? key }
}

/// The words of the Services, Where and Countries pages for values the registry stores as
/// codes (roles, kinds of change, regime facts and their values), in English and Japanese.
enum PlaceWords {
    static func role(_ role: String, ja: Bool) -> String {
        let words: [String: (String, String)] = [
            "storage": ("storage", "保管"), "processing": ("processing", "処理"), "backup": ("backup", "バックアップ"),
            "remote_access": ("remote access", "リモートアクセス"), "entrusted": ("entrusted", "委託先"),
        ]
        return words[role].map { ja ? $0.1 : $0.0 } ?? role
    }

    /// A diff's kind of record.
    static func kind(_ kind: String, ja: Bool) -> String {
        let words: [String: (String, String)] = [
            "vendor": ("vendor", "取引先"), "residency": ("residency", "データの所在"), "entrustment": ("entrustment", "委託"),
            "sub_entrustee": ("sub-entrustee", "再委託先"), "contract": ("contract", "契約"), "provision": ("provision", "第三者提供"),
            "transmission": ("transmission", "外部送信"), "assessment": ("assessment", "評価"),
        ]
        return words[kind].map { ja ? $0.1 : $0.0 } ?? kind
    }

    /// A diff's kind of change.
    static func change(_ change: String, ja: Bool) -> String {
        let words: [String: (String, String)] = [
            "started": ("started", "開始"), "ended": ("ended", "終了"), "changed": ("changed", "変更"),
            "signed": ("signed", "締結"), "expired": ("expired", "満了"), "renewed": ("renewed", "自動更新"),
            "term_ended": ("term ended", "期間終了"), "assessed": ("assessed", "評価実施"),
        ]
        return words[change].map { ja ? $0.1 : $0.0 } ?? change
    }

    /// A regime fact's name (`country_regime_fact.fact`, Foreign-Provision GL 5-2 order).
    static func fact(_ fact: String, ja: Bool) -> String {
        let words: [String: (String, String)] = [
            "comprehensive_law": ("Comprehensive data protection law", "個人情報の保護に関する包括的な制度"),
            "eu_member": ("EU member state", "EU加盟国"),
            "eea_member": ("EEA member state", "EEA加盟国"),
            "jp_ppc_equivalent": ("Designated by Japan's PPC as equivalent (APPI Art. 28)", "個人情報保護委員会による同等性の認定（法28条）"),
            "eu_adequacy": ("EU adequacy decision", "EUの十分性認定"),
            "apec_cbpr": ("APEC CBPR System", "APEC CBPRシステム"),
            "global_cbpr": ("Global CBPR Forum", "グローバルCBPRフォーラム"),
            "localization": ("Data localization requirements", "データローカライゼーション規制"),
            "government_access_duty": ("Duty to cooperate with government access", "政府による情報収集への協力義務"),
        ]
        return words[fact].map { ja ? $0.1 : $0.0 } ?? fact
    }

    /// A regime value or flag (`yes`, `partial`, `not_asserted`, …), in the words the whole
    /// console uses (`ConsoleRules.regimeValues`). Unknown is a value of its own:
    /// `not_asserted` says no source asserts it, never "no".
    static func value(_ value: String, ja: Bool) -> String {
        ConsoleRules.regimeValue(value, ja ? .ja : .en)
    }

    /// A source as written (`URL (note) ; URL`): each part, with the URL it starts with when
    /// it starts with one (`http://` or `https://` only: nothing else becomes a link).
    static func sources(_ text: String) -> [(text: String, url: String?)] {
        text.components(separatedBy: " ; ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { part in
            let first = String(part.split(separator: " ", maxSplits: 1).first ?? "")
            let isURL = (first.hasPrefix("https://") || first.hasPrefix("http://")) && first.count > 8
            return (part, isURL ? first : nil)
        }
    }
}
