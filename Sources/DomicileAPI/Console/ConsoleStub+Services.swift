// Placeholders for C3's pages (s4-services): delete this file (`git rm`) when the real
// definitions exist in ConsolePage+Services.swift / +Where.swift / +Countries.swift.
extension ConsolePages {
    static let services = placeholder(Bilingual("Services", "サービス"))
    static let `where` = placeholder(Bilingual("Where", "保存場所の検索"))
    static let countries = placeholder(Bilingual("Countries", "国・地域"))
    static let country = placeholder(Bilingual("Country", "国・地域"))
}
