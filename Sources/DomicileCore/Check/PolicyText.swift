import Foundation

/// A published privacy policy (plain text or Markdown) read for the names it states:
/// countries in English or Japanese, recipients, tools. `domicile check --policy` compares
/// them with the registry.
///
/// Matching is deliberately literal, so a finding can be explained: the text is NFKC-normalized
/// (full-width letters become ASCII), Markdown emphasis and line breaks are removed, and a name
/// counts where it stands as a whole word. Latin names are matched without regard to case
/// (recipients, tools) or, for countries, as written or in capitals ("Japan", "JAPAN"), so the
/// bird in "turkey" is not Türkiye. A Japanese name in katakana must not be part of a longer
/// katakana word (インド is not in ウインドウ). Where names overlap, the longest wins
/// ("Papua New Guinea" is not also Guinea, インドネシア is not インド).
public struct PolicyText: Sendable {
    /// The normalized text.
    public let text: String
    private let scalars: [Unicode.Scalar]
    private let folded: [Unicode.Scalar]

    public init(_ raw: String) {
        var text = raw.precomposedStringWithCompatibilityMapping
        // Markdown emphasis and code marks; a table's pipes and a heading's hashes stay,
        // they separate words anyway.
        for mark in ["**", "__", "`"] { text = text.replacingOccurrences(of: mark, with: "") }
        text = text.replacingOccurrences(of: "\u{00A0}", with: " ")
        text = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        self.text = text
        scalars = Array(text.unicodeScalars)
        folded = Array(text.lowercased().unicodeScalars)
    }

    /// Whether any of `names` occurs as a whole word, ignoring case.
    public func mentions(anyOf names: [String]) -> Bool {
        names.contains { name in
            let needle = Array(Self.normalizedName(name).lowercased().unicodeScalars)
            return !needle.isEmpty && !occurrences(of: needle, in: folded).isEmpty
        }
    }

    /// The countries the text names, by code, with the words that named each.
    /// `names` maps each country code to its names (English, Japanese, official, common).
    public func countries(named names: [String: [String]]) -> [String: [String]] {
        var matches: [(start: Int, end: Int, code: String?)] = []
        for (code, list) in names {
            for name in Set(list) {
                let normalized = Self.normalizedName(name)
                guard !normalized.isEmpty else { continue }
                var forms = [normalized]
                if normalized.unicodeScalars.contains(where: { $0.properties.isLowercase }) { forms.append(normalized.uppercased()) }
                for form in forms {
                    for range in occurrences(of: Array(form.unicodeScalars), in: scalars) {
                        matches.append((range.lowerBound, range.upperBound, code))
                    }
                }
            }
        }
        // Phrases that contain a country's name but do not name the country.
        for phrase in Self.notCountries {
            for range in occurrences(of: Array(phrase.unicodeScalars), in: scalars) {
                matches.append((range.lowerBound, range.upperBound, nil))
            }
        }
        matches.sort { ($0.start, $1.end) < ($1.start, $0.end) }
        var found: [String: [String]] = [:]
        var end = 0
        for match in matches where match.start >= end {
            end = match.end
            guard let code = match.code else { continue }
            let words = String(String.UnicodeScalarView(scalars[match.start..<match.end]))
            if !(found[code]?.contains(words) ?? false) { found[code, default: []].append(words) }
        }
        return found
    }

    /// Whether the text says that some storage location is not disclosed or cannot be
    /// identified (Q&A 10-25), in English or Japanese.
    public var mentionsUndisclosedLocation: Bool {
        let lower = text.lowercased()
        let english = ["not disclosed", "undisclosed", "not be disclosed", "not identifiable", "cannot be identified",
                       "not be identifiable", "may not be identified", "unknown country", "not be identified"]
        let japanese = ["非公開", "開示されて", "公開されて", "特定できない", "特定することができない", "特定できません"]
        return english.contains { lower.contains($0) } || japanese.contains { text.contains($0) }
    }

    // MARK: Matching

    /// Start and end offsets of every whole-word occurrence of `needle` in `haystack`.
    private func occurrences(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> [Range<Int>] {
        guard let first = needle.first, needle.count <= haystack.count else { return [] }
        var ranges: [Range<Int>] = []
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, Array(haystack[index..<(index + needle.count)]) == needle,
                Self.isBoundary(before: index, in: haystack, first: first),
                Self.isBoundary(after: index + needle.count, in: haystack, last: needle[needle.count - 1])
            {
                ranges.append(index..<(index + needle.count))
            }
            index += 1
        }
        return ranges
    }

    /// A Latin or digit name may not continue a word; a katakana name may not continue a
    /// katakana word. Kanji and other scripts have no word boundaries (日本国内 names Japan).
    private static func isBoundary(before index: Int, in text: [Unicode.Scalar], first: Unicode.Scalar) -> Bool {
        guard index > 0 else { return true }
        return !joins(text[index - 1], first)
    }

    private static func isBoundary(after index: Int, in text: [Unicode.Scalar], last: Unicode.Scalar) -> Bool {
        guard index < text.count else { return true }
        return !joins(last, text[index])
    }

    private static func joins(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        if isWordCharacter(a), isWordCharacter(b) { return true }
        return isKatakana(a) && isKatakana(b)
    }

    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.properties.isAlphabetic && scalar.value < 0x2E80) || ("0"..."9").contains(scalar)
    }

    private static func isKatakana(_ scalar: Unicode.Scalar) -> Bool {
        (0x30A1...0x30FA).contains(scalar.value) || scalar.value == 0x30FC || (0x31F0...0x31FF).contains(scalar.value)
    }

    static func normalizedName(_ name: String) -> String {
        name.precomposedStringWithCompatibilityMapping
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Place names that contain a country's name (New Mexico is not Mexico).
    static let notCountries = ["New Mexico", "New Jersey", "ニューメキシコ", "ニュージャージー"]
}
