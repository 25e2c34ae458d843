import ArgumentParser
import DomicileCore
import DomicileStore
import Foundation
import Postgres

/// Shell completion (`domicile --generate-completion-script bash|zsh|fish`): record keys and
/// names come from the database the command line names (`--database-url`, else
/// `DATABASE_URL`, else libpq's `PG*`), and when it cannot be reached the completion is
/// silently empty; enumerations and report kinds are fixed lists.
enum Completions {
    /// Keys (and, once something is typed, names and aliases) of `target` beginning with
    /// what is typed.
    static func names(_ target: NameTarget) -> CompletionKind {
        .custom { words, _, prefix in candidates(target, words: words, prefix: prefix) }
    }

    /// `--entity`: the audited kinds, and `KIND/KEY` once a kind and a slash are typed.
    static let auditEntity = CompletionKind.custom { words, _, prefix in
        guard let slash = prefix.firstIndex(of: "/") else {
            return Audit.entities.filter { $0.hasPrefix(prefix) }
        }
        let kind = String(prefix[..<slash])
        let rest = String(prefix[prefix.index(after: slash)...])
        let target: NameTarget?
        switch kind {
        case "country": target = .country
        case "region": target = .region
        case "checklist": target = .template
        default: target = EntityKind(rawValue: kind).map { .record($0) }
        }
        guard let target else { return [] }
        return candidates(target, words: words, prefix: rest).map { kind + "/" + $0 }
    }

    static func candidates(_ target: NameTarget, words: [String], prefix: String) -> [String] {
        guard let resolver = try? store(words: words)?.nameResolver(target) else { return [] }
        return matching(resolver.candidates, prefix: prefix)
    }

    /// Keys beginning with `prefix` (case- and width-insensitively), then, when `prefix` is
    /// not empty, the names and aliases beginning with it; each once.
    static func matching(_ candidates: [NamedKey], prefix: String) -> [String] {
        let folded = NameResolver.fold(prefix)
        var seen = Set<String>()
        var result = candidates.map(\.key).filter { NameResolver.fold($0).hasPrefix(folded) && seen.insert($0).inserted }
        if !folded.isEmpty {
            for candidate in candidates {
                for name in [candidate.label].compactMap({ $0 }) + candidate.names
                where NameResolver.fold(name).hasPrefix(folded) && seen.insert(name).inserted {
                    result.append(name)
                }
            }
        }
        return result
    }

    /// A store on the database the words name, or nil; never waits long.
    static func store(words: [String]) -> Store? {
        var url: String?
        for (index, word) in words.enumerated() {
            if word == "--database-url", index + 1 < words.count {
                url = unquoted(words[index + 1])
            } else if word.hasPrefix("--database-url=") {
                url = unquoted(String(word.dropFirst("--database-url=".count)))
            }
        }
        if let variable = url, variable.hasPrefix("$") {
            // the shell passes the word as typed: `--database-url $DATABASE_URL`
            url = ProcessInfo.processInfo.environment[String(variable.dropFirst().trimmingCharacters(in: CharacterSet(charactersIn: "{}")))]
        }
        // a completion that hangs on an unreachable server is worse than none
        setenv("PGCONNECT_TIMEOUT", "2", 0)
        guard let connection = try? Connection(conninfo: url) else { return nil }
        return Store(connection: connection)
    }

    private static func unquoted(_ word: String) -> String {
        var text = word
        for quote in ["\"", "'"] where text.count >= 2 && text.hasPrefix(quote) && text.hasSuffix(quote) {
            text = String(text.dropFirst().dropLast())
        }
        return text
    }
}
