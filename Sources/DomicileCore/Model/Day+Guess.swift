import Foundation

extension Day {
    /// The date a malformed one most likely means, for "did you mean …?": other separators
    /// (`2026/04/01`, `2026.4.1`), none (`20260401`), or a day past the month's end
    /// (`2026-02-30` → `2026-02-28`). `nil` when there is no single likely reading.
    public static func guess(_ text: String) -> Day? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var parts = trimmed.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).map(String.init)
        if parts.count == 1, trimmed.count == 8, trimmed.allSatisfy(\.isNumber) {
            let digits = Array(trimmed)
            parts = [String(digits[0..<4]), String(digits[4..<6]), String(digits[6..<8])]
        }
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            year >= 1, (1...12).contains(month), parts[1].count <= 2, parts[2].count <= 2, day >= 1
        else { return nil }
        return Day(String(format: "%04d-%02d-%02d", year, month, min(day, daysIn(month: month, year: year))))
    }
}

extension Issue {
    /// A date that is not `YYYY-MM-DD`, with the date it most likely means when there is one.
    public static func invalidDate(_ field: String, _ value: String) -> Issue {
        var issue = Issue.invalid(field, value, expected: "an ISO 8601 date YYYY-MM-DD, e.g. 2025-04-01")
        if let guess = Day.guess(value), guess.description != value { issue.message += "; did you mean \(guess)?" }
        return issue
    }
}
