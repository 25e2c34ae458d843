/// Inline SVG figures of the HTML reports: drawn here, so the file needs nothing from
/// the network and prints as it shows.
public enum ReportCharts {
    /// Text escaped for XML content and attribute values (the console's diagram uses it too).
    public static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A coordinate to one decimal, without a trailing ".0".
    public static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Stacked bars, one per checklist group of each latest assessment (the organization's
    /// and every vendor's): met, partial, unmet or unanswered, not applicable.
    public static func completionChart(_ snapshot: RegistrySnapshot, lang: ReportLanguage) -> String {
        var assessments = snapshot.organizations.flatMap { Compliance.latestAssessments(snapshot, organization: $0.key) }
        assessments += snapshot.vendors.flatMap { Compliance.latestAssessments(snapshot, vendor: $0.key) }
        struct Bar {
            let label: String
            let completion: Compliance.GroupCompletion
        }
        var bars: [(title: String, bars: [Bar])] = []
        for assessment in assessments {
            let result = Compliance.evaluate(assessment, in: snapshot)
            let subject = assessment.organization.flatMap { key in
                snapshot.organizations.first { $0.key == key }.map { (lang == .ja ? $0.nameJa : nil) ?? $0.name }
            }
                ?? assessment.vendor.flatMap { snapshot.vendor($0)?.legalName } ?? ""
            bars.append(
                (
                    "\(subject) — \(assessment.template) (\(assessment.assessedOn), \(Int(result.total.percent.rounded()))%)",
                    result.groups.map { Bar(label: "\($0.group) \(ChecklistGroups.label($0.group, lang))", completion: $0) }
                ))
        }
        let labelWidth = 330.0, barWidth = 360.0, rowHeight = 22.0, width = labelWidth + barWidth + 60
        var y = 30.0
        var body = ""
        let legend: [(String, String)] =
            lang == .ja
            ? [("#2e7d32", "実施"), ("#f9a825", "一部"), ("#c62828", "未実施・未回答"), ("#bdbdbd", "対象外")]
            : [("#2e7d32", "met"), ("#f9a825", "partial"), ("#c62828", "unmet or unanswered"), ("#bdbdbd", "not applicable")]
        var x = 0.0
        for (color, label) in legend {
            body += "<rect x=\"\(number(x))\" y=\"4\" width=\"12\" height=\"12\" fill=\"\(color)\"/>"
            body += "<text x=\"\(number(x + 16))\" y=\"14\">\(escape(label))</text>"
            x += 30 + Double(Listing.displayWidth(label)) * 6.5
        }
        if bars.isEmpty {
            body += "<text x=\"0\" y=\"\(number(y + 14))\">\(lang == .ja ? "評価は登録されていません" : "No assessments recorded")</text>"
            y += rowHeight
        }
        for (title, rows) in bars {
            y += 8
            body += "<text x=\"0\" y=\"\(number(y + 12))\" font-weight=\"bold\">\(escape(title))</text>"
            y += rowHeight
            for bar in rows {
                let c = bar.completion
                body += "<text x=\"0\" y=\"\(number(y + 13))\">\(escape(bar.label))</text>"
                var offset = labelWidth
                let segments: [(Int, String)] = [
                    (c.met, "#2e7d32"), (c.partial, "#f9a825"), (c.unmet + c.unanswered, "#c62828"), (c.notApplicable, "#bdbdbd"),
                ]
                for (count, color) in segments where count > 0 && c.items > 0 {
                    let w = barWidth * Double(count) / Double(c.items)
                    body += "<rect x=\"\(number(offset))\" y=\"\(number(y + 2))\" width=\"\(number(w))\" height=\"\(number(rowHeight - 6))\" fill=\"\(color)\"><title>\(count)</title></rect>"
                    offset += w
                }
                body += "<text x=\"\(number(labelWidth + barWidth + 6))\" y=\"\(number(y + 13))\">\(Int(c.percent.rounded()))%</text>"
                y += rowHeight
            }
        }
        let height = y + 6
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(lang == .ja ? "チェックリスト達成状況" : "Checklist completion")\" class=\"chart\" viewBox=\"0 0 \(number(width)) \(number(height))\" width=\"\(number(width))\" height=\"\(number(height))\" font-family=\"sans-serif\" font-size=\"12\">"
            + body + "</svg>"
    }

    /// Services on the left, the vendors that receive their data in the middle, the
    /// countries the data reaches on the right; dashed lines lead to undisclosed locations.
    public static func dataFlow(_ snapshot: RegistrySnapshot, lang: ReportLanguage) -> String {
        struct Edge: Hashable { let from: String, to: String }
        var vendorEdges: [(from: String, to: String, label: String, dashed: Bool)] = []
        var countryEdges: [(from: String, to: String, dashed: Bool)] = []
        var seenVendorEdges = Set<Edge>(), seenCountryEdges = Set<Edge>()
        func addVendor(_ service: String, _ vendor: String, _ label: String, dashed: Bool = false) {
            if seenVendorEdges.insert(Edge(from: service, to: vendor)).inserted {
                vendorEdges.append((service, vendor, label, dashed))
            }
        }
        func addCountry(_ vendor: String, _ country: String, dashed: Bool = false) {
            if seenCountryEdges.insert(Edge(from: vendor, to: country)).inserted { countryEdges.append((vendor, country, dashed)) }
        }
        let undisclosedNode = "?"
        for residency in snapshot.residencies {
            addVendor(residency.service, residency.vendor, residency.role.rawValue)
            if let country = residency.country { addCountry(residency.vendor, country) } else { addCountry(residency.vendor, undisclosedNode, dashed: true) }
        }
        for entrustment in snapshot.entrustments {
            addVendor(entrustment.service, entrustment.vendor, "entrustee")
            for sub in entrustment.subEntrustees {
                addVendor(entrustment.service, sub.vendor, "sub-entrustee via \(sub.via)", dashed: true)
                for country in sub.countries { addCountry(sub.vendor, country) }
            }
            if !snapshot.hasResidencies(vendor: entrustment.vendor), let vendor = snapshot.vendor(entrustment.vendor) {
                addCountry(vendor.key, vendor.headquarters)
            }
        }
        for transmission in snapshot.transmissions {
            addVendor(transmission.service, transmission.recipient, "transmission")
            if let country = transmission.recipientCountry { addCountry(transmission.recipient, country) }
        }
        for provision in snapshot.provisions {
            addVendor(provision.service, provision.recipient, "provision")
            addCountry(provision.recipient, provision.recipientCountry)
        }
        let edgeServices = Set(vendorEdges.map(\.from))
        let services = snapshot.services.map(\.key).filter(edgeServices.contains)
        var vendors: [String] = []
        var seenVendors = Set<String>()
        for edge in vendorEdges where seenVendors.insert(edge.to).inserted { vendors.append(edge.to) }
        var countries = Set(countryEdges.map(\.to)).subtracting([undisclosedNode]).sorted()
        if countryEdges.contains(where: { $0.to == undisclosedNode }) { countries.append(undisclosedNode) }

        let rowHeight = 46.0, boxHeight = 30.0, columnX = [10.0, 290.0, 570.0], boxWidth = 200.0
        let rows = Double(max(services.count, vendors.count, countries.count, 1))
        let height = rows * rowHeight + 40
        func top(_ index: Int, of count: Int) -> Double {
            let offset = (height - 30 - Double(count) * rowHeight) / 2
            return 30 + offset + Double(index) * rowHeight + (rowHeight - boxHeight) / 2
        }
        var body = ""
        let headers = lang == .ja ? ["サービス", "提供先・委託先", "国・地域"] : ["Service", "Vendor", "Country"]
        for (index, header) in headers.enumerated() {
            body += "<text x=\"\(number(columnX[index] + boxWidth / 2))\" y=\"16\" text-anchor=\"middle\" font-weight=\"bold\">\(escape(header))</text>"
        }
        func center(_ column: Int, _ index: Int, _ count: Int) -> (Double, Double) {
            (columnX[column], top(index, of: count) + boxHeight / 2)
        }
        func edge(_ from: (Double, Double), _ to: (Double, Double), dashed: Bool, label: String?) {
            let x1 = from.0 + boxWidth, y1 = from.1, x2 = to.0, y2 = to.1, mid = (x1 + x2) / 2
            body += "<path d=\"M\(number(x1)),\(number(y1)) C\(number(mid)),\(number(y1)) \(number(mid)),\(number(y2)) \(number(x2)),\(number(y2))\" fill=\"none\" stroke=\"#607d8b\" stroke-width=\"1.5\"\(dashed ? " stroke-dasharray=\"5,4\"" : "") marker-end=\"url(#arrow)\">"
            if let label { body += "<title>\(escape(label))</title>" }
            body += "</path>"
        }
        func positions(_ keys: [String]) -> [String: Int] {
            Dictionary(keys.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        }
        let servicePosition = positions(services), vendorPosition = positions(vendors), countryPosition = positions(countries)
        for e in vendorEdges {
            guard let s = servicePosition[e.from], let v = vendorPosition[e.to] else { continue }
            edge(center(0, s, services.count), center(1, v, vendors.count), dashed: e.dashed, label: e.label)
        }
        for e in countryEdges {
            guard let v = vendorPosition[e.from], let c = countryPosition[e.to] else { continue }
            edge(center(1, v, vendors.count), center(2, c, countries.count), dashed: e.dashed, label: nil)
        }
        func box(_ column: Int, _ index: Int, _ count: Int, _ label: String, fill: String, dashed: Bool = false) {
            let y = top(index, of: count)
            body += "<rect x=\"\(number(columnX[column]))\" y=\"\(number(y))\" width=\"\(number(boxWidth))\" height=\"\(number(boxHeight))\" rx=\"6\" fill=\"\(fill)\" stroke=\"#37474f\"\(dashed ? " stroke-dasharray=\"4,3\"" : "")/>"
            let shown = label.count > 30 ? String(label.prefix(29)) + "…" : label
            body += "<text x=\"\(number(columnX[column] + boxWidth / 2))\" y=\"\(number(y + boxHeight / 2 + 4))\" text-anchor=\"middle\"><title>\(escape(label))</title>\(escape(shown))</text>"
        }
        for (index, key) in services.enumerated() {
            box(0, index, services.count, snapshot.service(key)?.name ?? key, fill: "#e3f2fd")
        }
        for (index, key) in vendors.enumerated() {
            box(1, index, vendors.count, snapshot.vendor(key)?.legalName ?? key, fill: "#fff8e1")
        }
        for (index, code) in countries.enumerated() {
            if code == undisclosedNode {
                box(2, index, countries.count, lang == .ja ? "非開示（保管国不明）" : "Undisclosed location", fill: "#fce4ec", dashed: true)
            } else {
                let name = lang == .ja ? snapshot.countryNameJa(code) : snapshot.countryName(code)
                let flag = Compliance.needsTransferBasis(code, in: snapshot) ? "#ffebee" : "#e8f5e9"
                box(2, index, countries.count, "\(name) (\(code))", fill: flag)
            }
        }
        let width = columnX[2] + boxWidth + 10
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(lang == .ja ? "データの流れ" : "Data flow")\" class=\"chart\" viewBox=\"0 0 \(number(width)) \(number(height))\" width=\"\(number(width))\" height=\"\(number(height))\" font-family=\"sans-serif\" font-size=\"12\">"
            + "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#607d8b\"/></marker></defs>"
            + body + "</svg>"
    }
}
