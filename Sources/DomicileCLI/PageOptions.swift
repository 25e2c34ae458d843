import ArgumentParser
import DomicileCore

/// `--limit N` and `--after KEY` of the list commands: pages by keyset, in the order the
/// list is sorted by (its key or code). A script pages by passing the last key it printed as
/// the next `--after`; a record added or ended meanwhile is simply in or out of the pages
/// still to come, and none is printed twice.
struct PageOptions: ParsableArguments {
    static let maximumLimit = 1000

    @Option(help: ArgumentHelp("Print at most this many rows (1 to \(PageOptions.maximumLimit)).", valueName: "n"))
    var limit: Int?

    @Option(help: ArgumentHelp("Only rows whose key sorts after this one (code-point order): the last key of the previous page.", valueName: "key"))
    var after: String?

    func validate() throws {
        if let limit, !(1...Self.maximumLimit).contains(limit) {
            throw InputError(Issue.invalid("limit", String(limit), expected: "a whole number from 1 to \(Self.maximumLimit)"))
        }
        if let after, after.isEmpty || after.unicodeScalars.count > 200 || after.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw InputError(Issue.invalid("after", String(after.prefix(40)), expected: "a key of 1 to 200 printable characters"))
        }
    }

    /// Whether a page was asked for.
    var isPaging: Bool { limit != nil || after != nil }

    /// The rows of `listing` whose `column` sorts after `--after`, at most `--limit` of them
    /// (a listing already sorted by that column).
    func page(_ listing: Listing, column: String) -> Listing {
        guard isPaging, let index = listing.columns.firstIndex(of: column) else { return listing }
        var rows = listing.rows
        if let after { rows = rows.filter { Self.sortsAfter($0[index], after) } }
        if let limit { rows = Array(rows.prefix(limit)) }
        return Listing(columns: listing.columns, rows: rows)
    }

    /// The rows of `listing` in code-point order of `key` (stable, so rows with one key keep
    /// their order), those whose key sorts after `--after`, at most `--limit` of them: for
    /// listings whose key is made of several columns (a region's `provider/code`) or that are
    /// otherwise sorted (tokens, oldest first, page by name). Unchanged when no page is asked.
    func page(_ listing: Listing, key: ([String]) -> String) -> Listing {
        guard isPaging else { return listing }
        var rows = listing.rows.enumerated().sorted { left, right in
            let (a, b) = (key(left.element), key(right.element))
            return a == b ? left.offset < right.offset : a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
        }.map(\.element)
        if let after { rows = rows.filter { Self.sortsAfter(key($0), after) } }
        if let limit { rows = Array(rows.prefix(limit)) }
        return Listing(columns: listing.columns, rows: rows)
    }

    /// The same records, kept as `page` keeps a listing's rows (by their `key`).
    func page(_ records: [Record]) -> [Record] {
        guard isPaging else { return records }
        var records = records
        if let after { records = records.filter { Self.sortsAfter($0.string("key") ?? "", after) } }
        if let limit { records = Array(records.prefix(limit)) }
        return records
    }

    /// Code-point order, as the database's `COLLATE "C"` sorts keys.
    static func sortsAfter(_ key: String, _ after: String) -> Bool {
        after.unicodeScalars.lexicographicallyPrecedes(key.unicodeScalars)
    }
}
