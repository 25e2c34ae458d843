import DomicileCore
import DomicileStore
import Foundation
import HTTPTypes

extension Paging {
    static let linkHeader = HTTPField.Name("Link")!
}

/// What a read transaction built, and the revision it saw.
private struct Read<Value: Sendable>: Sendable {
    var revision: Int64
    var value: Value
}

/// The pages of the list endpoints (`limit`, `cursor`): the same rows, renderer and order
/// as the whole list, cut by key.
extension Renderers {
    /// A page of `/v1/vendors` or `/v1/services`: one statement reads the page and its
    /// revision (`Store.recordsPage`), keyset on the key.
    static func listPage(_ kind: EntityKind, _ request: EndpointRequest, day requested: Day?, paging: Paging) async throws -> Rendered {
        let day = paging.day(requested)
        let after = paging.cursor?.after
        let limit = paging.limit
        let page = try await request.database.withStore { store in
            try store.recordsPage(kind, asOf: day, after: after, limit: limit)
        }
        try paging.check(revision: page.revision)
        var content = Rendered.Content.json(Listing(records: page.records, schema: kind.schema, columns: ["key"]).render(.json))
        content.link = paging.link(more: page.more, last: page.records.last?.string("key"), revision: page.revision, day: day)
        return Rendered(revision: page.revision, content: content)
    }

    /// A page of `/v1/countries`: the codes after the cursor's, from the country list
    /// (the ISO 3166-1 table, about 250 rows) read at one revision.
    static func countriesPage(_ request: EndpointRequest, paging: Paging) async throws -> Rendered {
        let read = try await request.database.withStore { store in
            let (revision, listing) = try store.readSnapshot { try $0.countries() }
            return Read(revision: revision, value: listing)
        }
        let (revision, listing) = (read.revision, read.value)
        try paging.check(revision: revision)
        let column = listing.columns.firstIndex(of: "code") ?? 0
        let after = paging.cursor?.after
        let following = listing.rows.filter { row in after.map { row[column] > $0 } ?? true }
        let rows = Array(following.prefix(paging.limit))
        var content = Rendered.Content.json(Listing(columns: listing.columns, rows: rows).render(.json))
        content.link = paging.link(more: following.count > rows.count, last: rows.last?[column], revision: revision, day: nil)
        return Rendered(revision: revision, content: content)
    }

    /// A page of `/v1/where`: the answer of one statement at one revision, cut after the
    /// cursor's row (its fields as the key; `WhereRow.orderingTies` makes the order total), or
    /// with `by`, after the cursor's country or service. `cycles` come whole on every page.
    static func wherePage(_ request: EndpointRequest, _ whereRequest: WhereRequest, format: ListingFormat, paging: Paging) async throws -> Rendered {
        var pinned = whereRequest
        if let cursor = paging.cursor { pinned.asOf = cursor.day }
        let whereRequest = pinned
        let today = request.today
        let read = try await request.database.withStore { store in
            let (revision, answer) = try store.readSnapshot { store in try whereAnswer(store, whereRequest, today: today) }
            return Read(revision: revision, value: answer)
        }
        let (revision, answer) = (read.revision, read.value)
        try paging.check(revision: revision)
        var page = answer
        let keys: [String]
        let start: Int
        let end: Int
        switch answer.query.grouping {
        case nil:
            keys = WhereRow.pageKeys(answer.rows)
            start = try paging.start(in: keys, revision: revision)
            end = min(keys.count, start + paging.limit)
            page.rows = Array(answer.rows[start..<end])
        case .country?:
            keys = answer.byCountry().map { $0.country ?? "" }
            start = try paging.start(in: keys, revision: revision)
            end = min(keys.count, start + paging.limit)
            let chosen = Set(keys[start..<end])
            page.rows = answer.rows.filter { chosen.contains($0.country ?? "") }
        case .service?:
            keys = answer.byService().map(\.service)
            start = try paging.start(in: keys, revision: revision)
            end = min(keys.count, start + paging.limit)
            let chosen = Set(keys[start..<end])
            page.rows = answer.rows.filter { chosen.contains($0.service) }
        }
        let body = page.render(format)
        var content: Rendered.Content = format == .csv ? .csv(body) : .json(body)
        content.link = paging.link(more: end < keys.count, last: end > start ? keys[end - 1] : nil, revision: revision, day: answer.query.asOf)
        return Rendered(revision: revision, content: content)
    }
}
