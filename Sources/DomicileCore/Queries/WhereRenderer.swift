import Foundation

/// `where` answers as a table, JSON or CSV. The CLI prints these bytes and the HTTP API
/// serves them, so both give the same JSON (its shape is documented in docs/cli.md).
extension WhereAnswer {
    public func render(_ format: ListingFormat) -> String {
        switch (format, query.grouping) {
        case (.json, _): return JSONOutput.text(output)
        case (.table, .country?): return countryListing().table() + notes(undisclosed: false)
        case (.table, .service?): return serviceListing().table() + notes(undisclosed: false)
        case (_, .country?): return countryListing().render(format)
        case (_, .service?): return serviceListing().render(format)
        case (.table, nil): return rowListing(table: true).table() + notes(undisclosed: true)
        case (.csv, nil): return rowListing(table: false).csv()
        }
    }

    /// One line per cycle, for output that has no place for them (CSV goes to stdout; these to stderr).
    public var cycleMessages: [String] {
        cycles.map { cycle in
            "entrustment \(cycle.entrustment) (service \(cycle.service)) has a sub-entrustee cycle: "
                + cycle.path.joined(separator: " → ") + "; it was followed once, not looped"
        }
    }

    // MARK: Rows

    static let rowColumns = ["service", "category", "vendor", "role", "region", "country"]
    static let provenanceColumns = ["valid_from", "verified_on", "asserted_by", "source"]

    func rowListing(table: Bool) -> Listing {
        if table {
            let columns = Self.rowColumns + (query.transitive ? ["path"] : []) + Self.provenanceColumns
            let rows = rows.map { row in
                [row.service, row.category, row.vendor, row.role, row.region ?? "", Self.countryCell(row)]
                    + (query.transitive ? [row.pathText] : [])
                    + [row.validFrom.description, row.provenance.verifiedOn?.description ?? "", row.provenance.assertedBy ?? "", row.provenance.source]
            }
            return Listing(columns: columns, rows: rows)
        }
        let columns = Self.rowColumns + ["undisclosed_reason", "candidates"] + Self.provenanceColumns + ["path", "kind", "record"]
        let rows = rows.map { row in
            [row.service, row.category, row.vendor, row.role, row.region ?? "", row.country ?? "undisclosed",
             row.undisclosed?.reason ?? "", (row.undisclosed?.candidates ?? []).joined(separator: ";"),
             row.validFrom.description, row.provenance.verifiedOn?.description ?? "", row.provenance.assertedBy ?? "",
             row.provenance.source, row.pathText, row.kind.rawValue, row.record]
        }
        return Listing(columns: columns, rows: rows)
    }

    static func countryCell(_ row: WhereRow) -> String {
        if let country = row.country { return country }
        let candidates = row.undisclosed?.candidates ?? []
        return candidates.isEmpty ? "undisclosed" : "undisclosed (" + candidates.joined(separator: "/") + "?)"
    }

    /// Below the table: why each undisclosed row is undisclosed (for row tables), and the cycles met.
    func notes(undisclosed: Bool) -> String {
        var lines: [String] = []
        var seen = Set<String>()
        for row in rows where undisclosed {
            guard let undisclosed = row.undisclosed else { continue }
            let line = "\(row.record)" + (row.kind == .residency ? "" : " (\(row.vendor))") + ": " + undisclosed.reason
            if seen.insert(line).inserted { lines.append(line) }
        }
        var text = ""
        if !lines.isEmpty { text += "\nundisclosed:\n" + lines.map { "  " + $0 + "\n" }.joined() }
        if !cycles.isEmpty { text += "\ncycles:\n" + cycleMessages.map { "  " + $0 + "\n" }.joined() }
        return text
    }

    // MARK: Summaries

    func countryListing() -> Listing {
        let columns = [
            "country", "name_en", "name_ja", "services", "categories", "vendors", "rows", "eu_member", "eea_member",
            "eu_adequacy", "jp_ppc_equivalent", "apec_cbpr", "comprehensive_law", "localization", "confidence",
        ]
        let rows = byCountry().map { summary -> [String] in
            let flags = summary.regime?.flags
            // the facts assert membership and participation, never their absence: not "no"
            func yesNo(_ value: Bool?) -> String { value.map { $0 ? "yes" : "not_asserted" } ?? "" }
            return [
                summary.country ?? "undisclosed", summary.regime?.nameEn ?? "", summary.regime?.nameJa ?? "",
                String(summary.services.count), String(summary.categories.count), String(summary.vendors.count), String(summary.rows),
                yesNo(flags?.euMember), yesNo(flags?.eeaMember), flags?.euAdequacy ?? "", flags?.jpPpcEquivalent ?? "",
                yesNo(flags?.apecCbpr), flags?.comprehensiveLaw ?? "", flags?.localization ?? "", flags?.confidence ?? "",
            ]
        }
        return Listing(columns: columns, rows: rows)
    }

    func serviceListing() -> Listing {
        let rows = byService().map { summary in
            [summary.service, summary.countries.joined(separator: " "), String(summary.undisclosed), String(summary.categories.count),
             String(summary.vendors.count), String(summary.rows)]
        }
        return Listing(columns: ["service", "countries", "undisclosed", "categories", "vendors", "rows"], rows: rows)
    }
}
