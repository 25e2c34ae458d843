import Foundation

/// One record as a person may name it: its key and the names it goes by.
public struct NamedKey: Sendable, Hashable {
    public var key: String
    /// Shown beside the key in messages: the record's (English) name.
    public var label: String?
    /// Every other name it may be called by: English and Japanese names, aliases, a
    /// region's code or city.
    public var names: [String]

    public init(key: String, label: String? = nil, names: [String] = []) {
        self.key = key
        self.label = label
        self.names = names
    }
}

/// What a name a person typed stands for.
public enum NameMatch: Sendable, Equatable {
    /// Exactly one record.
    case found(String)
    /// Several records; the text must be made more precise (or the key given).
    case ambiguous([NamedKey])
    /// No record; the closest ones, nearest first (possibly none).
    case unknown([NamedKey])
}

/// Turns what a person typed for a record (vendor, service, data category, purpose,
/// organization, country, region, checklist item, template, …) into its key. One rule
/// for every command, the `where` filters and the API:
///
/// 1. the key itself;
/// 2. the key in any case, or a name or alias (compared case- and width-insensitively, so
///    `ＡＷＳ`, `aws` and `AWS` are one name), or a dotted key's last segment (`email`);
/// 3. an unambiguous prefix of a key or a name (names only from three characters, or one
///    Japanese character): `amazon` → aws, `user.con` → user.contact when every match lies
///    below it on the taxonomy.
///
/// Several records on one step are ambiguous; none on any is unknown, with the nearest keys
/// and names suggested (edit distance, then the last segment, then names containing the text).
public struct NameResolver: Sendable {
    /// `vendor`, `data category`, `country`: what the record is called in messages.
    public var noun: String
    /// What is accepted, after "is not a known <noun>": `key, legal name or alias`.
    public var forms: String
    /// Stable suffix of issue codes: `input.unknown_<code>`, `input.ambiguous_<code>`.
    public var code: String
    /// Show the label beside every suggested key (codes such as `JP` say little alone).
    public var labelsKeys: Bool
    /// Where to look the keys up, for the message: `domicile vendor list`.
    public var listCommand: String?
    public var candidates: [NamedKey]

    public init(
        noun: String, forms: String = "key or name", code: String? = nil, labelsKeys: Bool = false, listCommand: String? = nil,
        candidates: [NamedKey]
    ) {
        self.noun = noun
        self.forms = forms
        self.code = code ?? noun.replacingOccurrences(of: " ", with: "_")
        self.labelsKeys = labelsKeys
        self.listCommand = listCommand
        self.candidates = candidates
    }

    /// Case, width and spacing folded: `Ｅｍａｉｌ  Address` → `email address`.
    public static func fold(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.lowercased()
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The last segment of a dotted or slashed key: `user.contact.email` → `email`.
    static func lastSegment(_ key: String) -> String? {
        guard let cut = key.lastIndex(where: { $0 == "." || $0 == "/" }) else { return nil }
        let segment = String(key[key.index(after: cut)...])
        return segment.isEmpty ? nil : segment
    }

    public func match(_ text: String) -> NameMatch {
        if candidates.contains(where: { $0.key == text }) { return .found(text) }
        let folded = Self.fold(text)
        guard !folded.isEmpty else { return .unknown([]) }
        let prepared = candidates.map { candidate in
            (candidate: candidate, key: Self.fold(candidate.key), names: candidate.names.map(Self.fold) + [candidate.label.map(Self.fold)].compactMap { $0 })
        }
        func decide(_ matches: [NamedKey], rootOnDots: Bool = false) -> NameMatch? {
            var seen = Set<String>()
            let unique = matches.filter { seen.insert($0.key).inserted }.sorted { $0.key < $1.key }
            if unique.count == 1 { return .found(unique[0].key) }
            if unique.count > 1 {
                // `user.contact` with everything below it: the top of the branch is meant
                if rootOnDots, let root = unique.first(where: { root in unique.allSatisfy { $0.key == root.key || $0.key.hasPrefix(root.key + ".") } }) {
                    return .found(root.key)
                }
                return .ambiguous(unique)
            }
            return nil
        }
        if let found = decide(prepared.filter { $0.key == folded || $0.names.contains(folded) }.map(\.candidate)) { return found }
        if let found = decide(prepared.filter { Self.lastSegment($0.key) == folded }.map(\.candidate)) { return found }
        let namesToo = folded.count >= 3 || folded.unicodeScalars.contains { $0.value > 0x2E7F }
        if let found = decide(
            prepared.filter { $0.key.hasPrefix(folded) || (namesToo && $0.names.contains { $0.hasPrefix(folded) }) }.map(\.candidate),
            rootOnDots: true)
        {
            return found
        }
        return .unknown(suggestions(folded, prepared))
    }

    /// The nearest records to a text no record answers to: at most three; those found by
    /// their key carry no label (unless `labelsKeys`), so a message shows the key alone.
    private func suggestions(_ folded: String, _ prepared: [(candidate: NamedKey, key: String, names: [String])]) -> [NamedKey] {
        // a key near what was typed speaks for itself; a name is shown beside its key
        func keyOnly(_ candidate: NamedKey) -> NamedKey {
            labelsKeys ? candidate : NamedKey(key: candidate.key, label: nil, names: candidate.names)
        }
        /// The candidates nearest `text` by edit distance (within a typo's reach), each as
        /// near by its key or by a name.
        func nearest(_ text: String, _ forms: ((candidate: NamedKey, key: String, names: [String])) -> (key: String, names: [String])) -> [NamedKey] {
            let limit = max(1, min(3, text.count / 3 + 1))
            var found: [(candidate: NamedKey, distance: Int)] = []
            for entry in prepared {
                let (key, names) = forms(entry)
                let byKey = Suggest.editDistance(text, key)
                let byName = names.map { Suggest.editDistance(text, $0) }.min() ?? Int.max
                let distance = min(byKey, byName)
                if distance <= limit { found.append((byKey <= byName ? keyOnly(entry.candidate) : entry.candidate, distance)) }
            }
            guard let least = found.map(\.distance).min() else { return [] }
            let nearest = found.filter { $0.distance == least }
            // `ZZ` is one letter from dozens of codes: no guess at all beats an arbitrary three
            guard nearest.count <= 3 else { return [] }
            return nearest.map(\.candidate).sorted { $0.key < $1.key }
        }
        let near = nearest(folded) { ($0.key, $0.names) }
        if !near.isEmpty { return near }
        // `user.emial` → user.contact.email, by the last segment alone
        if let segment = Self.lastSegment(folded) {
            let bySegment = nearest(segment) { (Self.lastSegment($0.key) ?? $0.key, []) }
            if !bySegment.isEmpty { return bySegment }
        }
        // `web services` is no typo of a key, but part of "Amazon Web Services, Inc."
        guard folded.count >= 3 || folded.unicodeScalars.contains(where: { $0.value > 0x2E7F }) else { return [] }
        return Array(prepared.filter { $0.key.contains(folded) || $0.names.contains { $0.contains(folded) } }.map(\.candidate).prefix(3))
    }

    /// The key `text` names, or an `InputError` (field `field`) saying it is ambiguous or
    /// unknown, with the candidates.
    public func resolve(_ text: String, field: String) throws -> String {
        let outcome = match(text)
        if case .found(let key) = outcome { return key }
        throw InputError(issue(for: text, field: field, outcome))
    }

    /// The issue for an ambiguous or unknown name.
    public func issue(for text: String, field: String, _ outcome: NameMatch) -> Issue {
        switch outcome {
        case .found(let key):
            return Issue(code: "input.resolved_\(code)", field: field, value: text, message: "\(field) '\(text)' is \(noun) \(key)")
        case .ambiguous(let matches):
            var listed = matches.prefix(10).map(describe).joined(separator: ", ")
            if matches.count > 10 { listed += " and \(matches.count - 10) more" }
            return Issue(
                code: "input.ambiguous_\(code)", field: field, value: text,
                message: "\(field) '\(text)' is ambiguous: it matches \(listed); use the key")
        case .unknown(let near):
            var message = "\(field) '\(text)' is not a known \(noun) \(forms)"
            if !near.isEmpty {
                let named = near.map(describe)
                message += "; did you mean " + (named.count > 1 ? named.dropLast().joined(separator: ", ") + " or " + named.last! : named[0]) + "?"
            } else if candidates.isEmpty {
                message += "; there are none yet"
            } else if let listCommand {
                message += "; see `\(listCommand)`"
            }
            return Issue(code: "input.unknown_\(code)", field: field, value: text, message: message)
        }
    }

    private func describe(_ candidate: NamedKey) -> String {
        guard let label = candidate.label, !label.isEmpty, label != candidate.key else { return candidate.key }
        return "\(candidate.key) (\(label))"
    }
}
