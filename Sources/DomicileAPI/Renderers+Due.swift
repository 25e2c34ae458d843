import DomicileCore
import DomicileStore
import Foundation

extension Renderers {
    static let dueParameters = ["within", "owner", "as_of", "organization"]

    /// `domicile due --format json`: `DueList` from the request's snapshot.
    static func due(_ request: EndpointRequest) async throws -> Rendered {
        try await due(request, format: .json)
    }

    /// `domicile due --format ics`: the iCalendar file a team calendar subscribes to.
    static func dueCalendar(_ request: EndpointRequest) async throws -> Rendered {
        try await due(request, format: .ics)
    }

    static func due(_ request: EndpointRequest, format: DueList.Format) async throws -> Rendered {
        let query = request.query
        let asOf = try query.day("as_of") ?? request.today
        let within = try query.text("within") ?? DueList.defaultWindow
        guard let until = DueList.windowEnd(within, from: asOf) else {
            throw APIError(Issue.invalid("within", within, expected: DueList.windowExpected))
        }
        let owner = try query.text("owner")
        let organization = try query.text("organization")
        return try await request.read { store in
            let list = DueList(try store.snapshot(asOf: asOf).scoped(to: organization), until: until, owner: owner)
            let body = list.render(format)
            return format == .ics ? Rendered.Content(body: body, contentType: ICalendar.contentType) : .json(body)
        }
    }
}
