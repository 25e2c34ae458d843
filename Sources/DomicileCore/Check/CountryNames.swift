import Foundation

/// The names a policy may use for a country: the countries table's English, Japanese and
/// official names, the forms a list-style name stands for ("Korea, Republic of" →
/// "Republic of Korea"; "大韓民国 (韓国)" → 大韓民国, 韓国), and the common short names
/// below that no table column holds.
public enum CountryNames {
    /// One country's names as the countries table gives them.
    public struct Entry: Sendable, Hashable {
        public var code: String
        public var nameEN: String
        public var nameJA: String?
        public var officialNameEN: String?

        public init(code: String, nameEN: String, nameJA: String? = nil, officialNameEN: String? = nil) {
            self.code = code
            self.nameEN = nameEN
            self.nameJA = nameJA
            self.officialNameEN = officialNameEN
        }
    }

    /// Code → every name, for `PolicyText.countries(named:)`. A derived short form that two
    /// countries share ("Korea") is dropped unless `common` assigns it.
    public static func names(_ entries: [Entry]) -> [String: [String]] {
        var names: [String: Set<String>] = [:]
        var derived: [String: Set<String>] = [:]
        for entry in entries {
            var own: Set<String> = [entry.nameEN]
            if let official = entry.officialNameEN { own.insert(official) }
            if let japanese = entry.nameJA { own.formUnion(variants(ofJapanese: japanese)) }
            names[entry.code, default: []].formUnion(own)
            for form in variants(ofEnglish: entry.nameEN) + (entry.officialNameEN.map(variants(ofEnglish:)) ?? []) {
                derived[form, default: []].insert(entry.code)
            }
        }
        let assigned = Set(common.values.flatMap { $0 })
        for (form, codes) in derived where codes.count == 1 && !assigned.contains(form) {
            names[codes.first!, default: []].insert(form)
        }
        for (code, forms) in common where names[code] != nil { names[code, default: []].formUnion(forms) }
        return names.mapValues { $0.sorted() }
    }

    /// "Korea, Republic of" → "Korea", "Republic of Korea"; "Holy See (Vatican City State)" →
    /// "Holy See", "Vatican City State"; "The Bahamas" → "Bahamas".
    static func variants(ofEnglish name: String) -> [String] {
        var forms: [String] = []
        if let comma = name.range(of: ", ") {
            let head = String(name[..<comma.lowerBound])
            let tail = String(name[comma.upperBound...])
            forms.append(head)
            if tail.hasSuffix(" of") || tail.hasSuffix(" of the") { forms.append(tail + " " + head) }
        }
        if let open = name.firstIndex(of: "("), name.hasSuffix(")") {
            forms.append(String(name[..<open]).trimmingCharacters(in: .whitespaces))
            forms.append(String(name[name.index(after: open)..<name.index(before: name.endIndex)]))
        }
        if name.hasPrefix("The ") { forms.append(String(name.dropFirst(4))) }
        return forms.filter { !$0.isEmpty && $0 != name }
    }

    /// "大韓民国 (韓国)" → 大韓民国 (韓国), 大韓民国, 韓国.
    static func variants(ofJapanese name: String) -> Set<String> {
        var forms: Set<String> = [name]
        let normalized = PolicyText.normalizedName(name)
        if let open = normalized.firstIndex(of: "("), normalized.hasSuffix(")") {
            forms.insert(String(normalized[..<open]).trimmingCharacters(in: .whitespaces))
            forms.insert(String(normalized[normalized.index(after: open)..<normalized.index(before: normalized.endIndex)]))
        }
        return forms.filter { !$0.isEmpty }
    }

    /// Short and Japanese names in common use that the countries table does not hold.
    /// "US" alone is left out: in capitals it is also the pronoun ("CONTACT US").
    public static let common: [String: [String]] = [
        "US": ["United States of America", "USA", "U.S.A.", "U.S.", "アメリカ合衆国", "アメリカ"],
        "GB": ["UK", "U.K.", "Great Britain", "Britain", "England", "イギリス", "連合王国"],
        "KR": ["South Korea", "Republic of Korea", "Korea", "韓国", "大韓民国"],
        "KP": ["North Korea", "北朝鮮"],
        "TW": ["Taiwan", "台湾"],
        "CN": ["PRC", "Mainland China", "中華人民共和国"],
        "HK": ["Hong Kong SAR"],
        "RU": ["Russia", "ロシア"],
        "AU": ["オーストラリア", "豪州"],
        "VN": ["Vietnam", "ベトナム"],
        "LA": ["Laos", "ラオス"],
        "SY": ["Syria", "シリア"],
        "IR": ["Iran", "イラン"],
        "VE": ["Venezuela", "ベネズエラ"],
        "BO": ["Bolivia", "ボリビア"],
        "TZ": ["Tanzania", "タンザニア"],
        "MD": ["Moldova", "モルドバ"],
        "CZ": ["Czech Republic", "チェコ"],
        "TR": ["Turkey", "Türkiye", "トルコ"],
        "NL": ["The Netherlands", "Holland"],
        "AE": ["UAE", "U.A.E."],
        "BN": ["Brunei", "ブルネイ"],
        "VA": ["Vatican", "Vatican City", "バチカン"],
        "CD": ["DR Congo", "Democratic Republic of the Congo", "コンゴ民主共和国"],
        "PS": ["Palestine", "パレスチナ"],
        "FM": ["Micronesia", "ミクロネシア"],
        "DE": ["ドイツ連邦共和国"],
        "FR": ["フランス共和国"],
        "SG": ["シンガポール共和国"],
        "IN": ["インド共和国"],
        "JP": ["日本国"],
    ]
}
