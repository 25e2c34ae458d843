// MARK: The Japanese disclosure (issue 12)

extension Checker {
    /// `disclosure.no_japanese`: each value the Japanese disclosure (`report disclosure --lang
    /// ja`) states that has English text only: a purpose, an organization's address,
    /// representative or contact desk, a security measure's public statement, a country's
    /// name or public regime sentence, an opt-out provision's purpose or categories. The
    /// document never prints the English inside Japanese; it is refused until these are
    /// given (or marked, with --allow-missing-translations). A transmission's wording is
    /// `transmission.no_japanese`'s, not repeated here.
    static func disclosure(_ c: Context) -> [Finding] {
        guard !c.snapshot.organizations.isEmpty else { return [] }
        let report = DisclosureReport(c.snapshot, lang: .ja)
        return report.gaps.filter { $0.problem == "untranslated" && $0.kind != "transmission" }.map { gap in
            Finding(.disclosureNoJapanese, gap.kind, gap.key,
                "\(gap.kind) \(gap.key) has no Japanese text for \(gap.field); the Japanese disclosure states it and does not print English in its place: record \(gap.field)")
        }
    }
}
