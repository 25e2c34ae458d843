/// "Did you mean …?" for short identifiers: the allowed value nearest by edit distance,
/// when it is near enough to be a plausible typo.
public enum Suggest {
    public static func closest(to value: String, in candidates: [String], maximumDistance: Int? = nil) -> String? {
        let needle = value.lowercased()
        let limit = maximumDistance ?? max(1, min(3, needle.count / 3 + 1))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(needle, candidate.lowercased())
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        if let best { return best.candidate }
        // "hi" → "high": a unique candidate the value begins
        let prefixed = candidates.filter { !needle.isEmpty && $0.lowercased().hasPrefix(needle) }
        return prefixed.count == 1 ? prefixed[0] : nil
    }

    /// Levenshtein distance, counting an adjacent transposition as one edit.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
