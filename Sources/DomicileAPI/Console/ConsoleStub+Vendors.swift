// Placeholders for C2's pages (s4-vendors): delete this file (`git rm`) when the real
// definitions exist in ConsolePage+Vendors.swift / ConsolePage+Audit.swift.
extension ConsolePages {
    static let vendors = placeholder(Bilingual("Vendors", "委託先・提供先"))
    static let vendor = placeholder(Bilingual("Vendor", "委託先・提供先"))
    static let audit = placeholder(Bilingual("Audit", "変更履歴"))
}
