import DomicileCore

/// A vendor's sub-entrustee chain — the vendor, the sub-entrustees that work for it, theirs,
/// and so on, each with the countries recorded for it — as a tree, drawn as inline SVG for
/// the console's vendor page, with the same chain as text rows for a list beside it.
///
/// Pure: built from a `RegistrySnapshot`, no I/O. The SVG uses presentation attributes only
/// (no `style` attribute, no script), so the console's strict Content-Security-Policy holds,
/// and names itself with `<title>` and `<desc>`. Every text is escaped here: the drawing is
/// the one piece of a page not written by the template engine.
enum SubEntrusteeDiagram {
    /// One vendor of the chain.
    struct Node: Sendable, Hashable {
        /// The vendor's key (a sub-entrustee may name a vendor the registry lacks).
        let vendor: String
        /// Where it handles the data: for a sub-entrustee, the countries its sub-entrustment
        /// records (empty: none recorded); for the root, the countries of its own residencies
        /// and sub-entrustments (`Compliance.countries(of:).direct`).
        let countries: [String]
        /// The entrustments that record this link (empty for the root).
        let entrustments: [String]
        /// Those that work for it, by vendor key.
        let children: [Node]
        /// The vendor already appears above it on this branch: a loop, not followed again.
        let loop: Bool
    }

    /// Branches deeper than this, or trees larger than `maximumNodes`, are cut (and marked):
    /// a registry's chains are a few levels deep, and a page must stay bounded whatever is recorded.
    static let maximumDepth = 12
    static let maximumNodes = 200

    /// The chain below `vendor`: the sub-entrustees recorded, in the entrustments in force on
    /// the snapshot's day, as working `via` it — in entrustments to it and in those that
    /// name it as a sub-entrustee — then those working via each of them. A vendor met twice
    /// under one parent is one node (its countries and entrustments merged); one already on
    /// the branch is a loop. `truncated` says whether the bounds cut the tree.
    static func tree(of vendor: String, in snapshot: RegistrySnapshot) -> (root: Node, truncated: Bool) {
        var seen = Set<String>()
        var entrustments: [RegistrySnapshot.Entrustment] = []
        for entrustment in snapshot.entrustments(ofVendor: vendor) + snapshot.entrustments(withSubEntrustee: vendor)
        where seen.insert(entrustment.key).inserted {
            entrustments.append(entrustment)
        }
        // via → (sub-entrustee → (countries, entrustments))
        var edges: [String: [String: (countries: Set<String>, entrustments: Set<String>)]] = [:]
        for entrustment in entrustments {
            for sub in entrustment.subEntrustees {
                var edge = edges[sub.via, default: [:]][sub.vendor] ?? ([], [])
                edge.countries.formUnion(sub.countries)
                edge.entrustments.insert(entrustment.key)
                edges[sub.via, default: [:]][sub.vendor] = edge
            }
        }
        var count = 1
        var truncated = false
        func children(of parent: String, path: Set<String>, depth: Int) -> [Node] {
            guard let below = edges[parent] else { return [] }
            var nodes: [Node] = []
            for key in below.keys.sorted() {
                guard count < maximumNodes, depth < maximumDepth else {
                    truncated = true
                    break
                }
                count += 1
                let edge = below[key]!
                let isLoop = path.contains(key)
                nodes.append(
                    Node(
                        vendor: key, countries: edge.countries.sorted(), entrustments: edge.entrustments.sorted(),
                        children: isLoop ? [] : children(of: key, path: path.union([key]), depth: depth + 1), loop: isLoop))
            }
            return nodes
        }
        let root = Node(
            vendor: vendor, countries: Compliance.countries(of: vendor, in: snapshot).direct, entrustments: [],
            children: children(of: vendor, path: [vendor], depth: 1), loop: false)
        return (root, truncated)
    }

    /// One line of the text form: the path from the root to a sub-entrustee.
    struct Row: Sendable, Hashable {
        /// The vendors from the root's first sub-entrustee down to this one (keys).
        let path: [String]
        /// Depth below the root (1: works for the root itself).
        let depth: Int
        let node: Node
    }

    /// Every node below the root, depth first, in the order the drawing shows them.
    static func rows(_ root: Node) -> [Row] {
        var rows: [Row] = []
        func walk(_ node: Node, _ path: [String]) {
            for child in node.children {
                let childPath = path + [child.vendor]
                rows.append(Row(path: childPath, depth: childPath.count, node: child))
                walk(child, childPath)
            }
        }
        walk(root, [])
        return rows
    }

    /// What the drawing writes, in the page's language.
    struct Labels: Sendable {
        /// The vendor's name as the page shows it (its Japanese name in Japanese, when recorded).
        var name: @Sendable (String) -> String
        /// A country's name as the page shows it.
        var country: @Sendable (String) -> String
        var noCountry: String
        var loop: String
        var truncated: String
        var title: @Sendable (String) -> String
        /// The description: the root's name and how many sub-entrustees there are, at how many levels.
        var description: @Sendable (_ root: String, _ count: Int, _ levels: Int) -> String
        var separator: String

        static func of(_ snapshot: RegistrySnapshot, _ lang: ReportLanguage) -> Labels {
            let ja = lang == .ja
            return Labels(
                name: { key in
                    guard let vendor = snapshot.vendor(key) else { return key }
                    return ja ? vendor.nameJa ?? vendor.legalName : vendor.legalName
                },
                country: { code in ja ? snapshot.countryNameJa(code) : snapshot.countryName(code) },
                noCountry: ja ? "国の記録なし" : "no country recorded",
                loop: ja ? "（循環: 上位に同じ委託先）" : "(loop: already above)",
                truncated: ja ? "（一部省略）" : "(cut short)",
                title: { ja ? "\($0)の再委託先の連鎖" : "Sub-entrustee chain of \($0)" },
                description: { root, count, levels in
                    ja
                        ? (count == 0 ? "\(root)の再委託先は記録されていません。" : "\(root)の再委託先は\(count)社（\(levels)階層）です。")
                        : (count == 0
                            ? "No sub-entrustee of \(root) is recorded."
                            : "\(root) has \(count) sub-entrustee\(count == 1 ? "" : "s") over \(levels) level\(levels == 1 ? "" : "s").")
                },
                separator: ja ? "、" : ", ")
        }
    }

    /// The countries of `node` as a line of text.
    static func countriesText(_ node: Node, _ labels: Labels) -> String {
        node.countries.isEmpty ? labels.noCountry : node.countries.map { "\(labels.country($0)) (\($0))" }.joined(separator: labels.separator)
    }

    /// The tree as an indented diagram: one box per vendor (its name, and its countries below),
    /// a line from each parent down and across to each child. `id` makes the `<title>` and
    /// `<desc>` ids unique on the page.
    static func svg(_ root: Node, truncated: Bool = false, labels: Labels, id: String = "chain") -> String {
        let rows = rows(root)
        let indent = 28.0, rowHeight = 56.0, boxHeight = 44.0, margin = 8.0
        let levels = rows.map(\.depth).max() ?? 0
        let rootName = labels.name(root.vendor)
        func width(_ node: Node) -> Double {
            let name = labels.name(node.vendor) + (node.loop ? " " + labels.loop : "")
            let text = max(Listing.displayWidth(name), Listing.displayWidth(countriesText(node, labels)))
            return max(180, Double(text) * 7.2 + 20)
        }
        var body = ""
        var maxRight = 0.0
        // (depth, top) of the rows, for the connectors.
        var lastTopAtDepth: [Int: Double] = [0: margin]
        func box(_ node: Node, depth: Int, top: Double) {
            let x = margin + Double(depth) * indent
            let w = width(node)
            maxRight = max(maxRight, x + w)
            body += "<g>"
            body += "<rect x=\"\(ReportCharts.number(x))\" y=\"\(ReportCharts.number(top))\" width=\"\(ReportCharts.number(w))\" height=\"\(ReportCharts.number(boxHeight))\" rx=\"4\""
                + " fill=\"\(depth == 0 ? "#e8eef7" : "#ffffff")\" stroke=\"\(node.loop ? "#8a4b00" : "#1f4e8c")\""
                + (node.loop ? " stroke-dasharray=\"4 3\"" : "") + " stroke-width=\"1.5\"/>"
            let name = labels.name(node.vendor) + (node.loop ? " " + labels.loop : "")
            body += "<text x=\"\(ReportCharts.number(x + 10))\" y=\"\(ReportCharts.number(top + 18))\" font-weight=\"bold\" fill=\"#111111\">\(ReportCharts.escape(name))</text>"
            body += "<text x=\"\(ReportCharts.number(x + 10))\" y=\"\(ReportCharts.number(top + 36))\" fill=\"#333333\">\(ReportCharts.escape(countriesText(node, labels)))</text>"
            body += "</g>"
        }
        box(root, depth: 0, top: margin)
        var top = margin
        for row in rows {
            top += rowHeight
            box(row.node, depth: row.depth, top: top)
            // From the parent's box (the last one drawn one level up) down, then across.
            let parentTop = lastTopAtDepth[row.depth - 1] ?? margin
            let lineX = margin + Double(row.depth - 1) * indent + indent / 2
            let middle = top + boxHeight / 2
            body += "<path d=\"M\(ReportCharts.number(lineX)) \(ReportCharts.number(parentTop + boxHeight)) V\(ReportCharts.number(middle)) H\(ReportCharts.number(lineX + indent / 2))\""
                + " fill=\"none\" stroke=\"#1f4e8c\" stroke-width=\"1.5\"/>"
            lastTopAtDepth[row.depth] = top
        }
        var height = top + boxHeight + margin
        if truncated {
            body += "<text x=\"\(ReportCharts.number(margin))\" y=\"\(ReportCharts.number(height + 12))\" fill=\"#8a4b00\">\(ReportCharts.escape(labels.truncated))</text>"
            height += 20
        }
        let totalWidth = maxRight + margin
        let title = labels.title(rootName)
        let description = labels.description(rootName, rows.count, levels) + (truncated ? " " + labels.truncated : "")
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" class=\"diagram\""
            + " viewBox=\"0 0 \(ReportCharts.number(totalWidth)) \(ReportCharts.number(height))\" width=\"\(ReportCharts.number(totalWidth))\" height=\"\(ReportCharts.number(height))\""
            + " font-family=\"sans-serif\" font-size=\"12\">"
            + "<title id=\"\(id)-title\">\(ReportCharts.escape(title))</title><desc id=\"\(id)-desc\">\(ReportCharts.escape(description))</desc>"
            + body + "</svg>"
    }
}
