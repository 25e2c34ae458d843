/// What paging a `where` answer needs: a total order and a key per row.
extension WhereRow {
    /// `rows` in the statement's order (service, category, country, vendor, role, record),
    /// with rows equal on all of those (a sub-entrustee reached by two paths) put in the order
    /// of their kind and path, so the same registry always gives the same order.
    public static func orderingTies(_ rows: [WhereRow]) -> [WhereRow] {
        var ordered: [WhereRow] = []
        ordered.reserveCapacity(rows.count)
        var index = rows.startIndex
        while index < rows.endIndex {
            var end = index + 1
            while end < rows.endIndex, rows[end].sortKey == rows[index].sortKey { end += 1 }
            if end - index == 1 {
                ordered.append(rows[index])
            } else {
                ordered += rows[index..<end].sorted { ($0.kind.rawValue, $0.path.joined(separator: "\u{1E}")) < ($1.kind.rawValue, $1.path.joined(separator: "\u{1E}")) }
            }
            index = end
        }
        return ordered
    }

    private var sortKey: [String?] { [service, category, country, vendor, role, record] }

    /// One key per row, unique within the answer: the row's fields that tell it from the
    /// others, joined by U+001F (a key or code holds no control character), and the
    /// occurrence's number when two rows are alike in all of them.
    public static func pageKeys(_ rows: [WhereRow]) -> [String] {
        var seen: [String: Int] = [:]
        return rows.map { row in
            let key = [row.service, row.category, row.country ?? "", row.vendor, row.role, row.record, row.kind.rawValue, row.path.joined(separator: "\u{1E}")]
                .joined(separator: "\u{1F}")
            let count = seen[key, default: 0]
            seen[key] = count + 1
            return count == 0 ? key : key + "\u{1F}\(count)"
        }
    }
}
