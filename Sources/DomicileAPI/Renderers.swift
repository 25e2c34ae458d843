import DomicileCore
import DomicileStore
import Foundation
import HTTPTypes

/// The registry endpoints: each calls the store query and the Core renderer the command
/// line uses for the same answer (`service list --format json`, `vendor show ID --format
/// json`, `country list --format json`, …).
enum Renderers {
    /// `?as_of=DAY` (default today) or `?all=true`, as `list --as-of` and `list --all`.
    private static func listingDay(_ request: EndpointRequest) throws -> Day? {
        let asOf = try request.query.day("as_of")
        let all = try request.query.bool("all") ?? false
        // Either parameter, never both (whatever `all` says), as docs/openapi.yaml states.
        if request.query["all"] != nil, asOf != nil {
            throw APIError(.badRequest, code: "request.conflicting_parameters", message: "as_of and all exclude each other", field: "all")
        }
        return all ? nil : asOf ?? request.today
    }

    private static func list(_ kind: EntityKind, _ request: EndpointRequest) async throws -> Rendered {
        let day = try listingDay(request)
        if let paging = try Paging.parse(request.query, route: kind == .vendor ? "/v1/vendors" : "/v1/services") {
            return try await listPage(kind, request, day: day, paging: paging)
        }
        return try await request.read { store in
            let records = try store.records(kind, asOf: day)
            return .json(Listing(records: records, schema: kind.schema, columns: ["key"]).render(.json))
        }
    }

    static func services(_ request: EndpointRequest) async throws -> Rendered {
        try await list(.service, request)
    }

    static func vendors(_ request: EndpointRequest) async throws -> Rendered {
        try await list(.vendor, request)
    }

    /// One vendor by key, legal name or alias, as `vendor show ID --format json`.
    static func vendor(_ request: EndpointRequest) async throws -> Rendered {
        let id = request.path["id"] ?? ""
        // A key (what links and tools send): the record and its revision in one statement.
        if let found = try await request.readOne({ store in try store.recordAtRevision(.vendor, key: id) }) {
            return Rendered(revision: found.revision, content: .json(Listing.json(found.record, schema: EntityKind.vendor.schema)))
        }
        return try await request.read { store in
            let key: String
            do {
                key = try store.resolveKey(.vendor, id, field: "id")
            } catch let error as InputError {
                let status: HTTPResponse.Status = error.issues.first?.code == "input.unknown_vendor" ? .notFound : .badRequest
                throw APIError(error.issues[0], status: status)
            }
            guard let record = try store.record(.vendor, key: key) else {
                throw APIError(.notFound, code: "input.unknown_vendor", message: "vendor '\(id)' does not exist", field: "id", value: id)
            }
            return .json(Listing.json(record, schema: EntityKind.vendor.schema))
        }
    }

    static func countries(_ request: EndpointRequest) async throws -> Rendered {
        if let paging = try Paging.parse(request.query, route: "/v1/countries") { return try await countriesPage(request, paging: paging) }
        return try await request.read { store in .json(try store.countries().render(.json)) }
    }

    /// One country by ISO 3166-1 alpha-2 code, as `country show CC --format json` (the object).
    static func country(_ request: EndpointRequest) async throws -> Rendered {
        let code = request.path["code"] ?? ""
        // The country and the revision in one statement; the transaction only for a 404's guess.
        if let found = try await request.readOne({ store in try store.countryAtRevision(code: code.uppercased()) }) {
            return Rendered(revision: found.revision, content: .json(found.listing.jsonObject(row: 0)))
        }
        return try await request.read { store in
            let listing = try store.countries(code: code.uppercased())
            guard let row = listing.rows.first else {
                let index = try store.referenceIndex()
                var message = "country '\(code)' is not an ISO 3166-1 alpha-2 code"
                if let guess = CountryGuess.guess(code, countries: index.countries) {
                    message += "; did you mean \(guess) (\(index.countries[guess] ?? guess))?"
                }
                throw APIError(.notFound, code: "input.unknown_country", message: message, field: "code", value: code)
            }
            return .json(Listing(columns: listing.columns, rows: [row]).jsonObject(row: 0))
        }
    }
}

extension Renderers {
    static let whereParameters = ["service", "category", "country", "vendor", "role", "region", "as_of", "transitive", "by", "format"] + Paging.parameters

    /// `domicile where`: the same request, validated by `Store.whereQuery` (so the same
    /// messages, naming the parameter), answered by `Store.where` and rendered by
    /// `WhereAnswer.render` as JSON (default) or CSV.
    static func `where`(_ request: EndpointRequest) async throws -> Rendered {
        let query = request.query
        let format: ListingFormat = try query.choice("format", ["json", "csv"]) == "csv" ? .csv : .json
        let whereRequest = WhereRequest(
            service: try query.text("service"), category: try query.text("category"), country: try query.text("country"),
            vendor: try query.text("vendor"), role: try query.text("role"), region: try query.text("region"),
            asOf: try query.text("as_of"), transitive: try query.bool("transitive") ?? false, by: try query.text("by"))
        let today = request.today
        if let paging = try Paging.parse(query, route: "/v1/where") {
            return try await wherePage(request, whereRequest, format: format, paging: paging)
        }
        return try await request.read { store in
            let body = try whereAnswer(store, whereRequest, today: today).render(format)
            return format == .csv ? .csv(body) : .json(body)
        }
    }

    /// `Store.where` for the request; a filter naming what does not exist (vendor, service,
    /// category, country, region) is a 404, as `/v1/vendors/{id}` is; a malformed one a 400.
    static func whereAnswer(_ store: Store, _ whereRequest: WhereRequest, today: Day) throws -> WhereAnswer {
        let query: WhereQuery
        do {
            query = try store.whereQuery(whereRequest, today: today)
        } catch let error as InputError {
            let issue = error.issues[0]
            throw APIError(issue, status: issue.code.hasPrefix("input.unknown_") ? .notFound : .badRequest)
        }
        return try store.where(query)
    }
}

extension Renderers {
    static let reportParameters = [
        "format", "lang", "as_of", "expiring_within", "organization", "allow_findings", "allow_missing_translations",
    ]

    /// `domicile report KIND`: `Store.snapshot` read in the request's transaction, rendered by
    /// `ReportRenderer.render`, the command's own entry point; the same options, checked by
    /// `ReportRequest.parse`. Cached per registry revision like every answer.
    static func report(_ request: EndpointRequest) async throws -> Rendered {
        try await report(request, kind: request.path["kind"] ?? "")
    }

    /// `/v1/reports/disclosure`: a route of its own, since its formats differ (no CSV).
    static func disclosure(_ request: EndpointRequest) async throws -> Rendered {
        try await report(request, kind: ReportKind.disclosure.rawValue)
    }

    static func report(_ request: EndpointRequest, kind: String) async throws -> Rendered {
        let query = request.query
        let parsed = try ReportRequest.parse(
            ReportRequest.Input(
                kind: kind, format: query["format"], lang: query["lang"], asOf: query["as_of"], expiringWithin: query["expiring_within"],
                organization: query["organization"], allowFindings: query["allow_findings"],
                allowMissingTranslations: query["allow_missing_translations"]),
            spelling: .query)
        let asOf = parsed.asOf ?? request.today
        return try await request.read { store in
            let snapshot = try store.snapshot(asOf: asOf, skipping: parsed.kind.unread(parsed.format)).scoped(to: parsed.organization)
            // As `report disclosure`: not published while a disclosed fact is to be completed.
            if parsed.kind == .disclosure {
                let blockers = DisclosureReport.blockers(
                    snapshot, lang: parsed.lang, allowFindings: parsed.allowFindings, allowMissingTranslations: parsed.allowMissingTranslations)
                if !blockers.isEmpty {
                    throw APIError(
                        .unprocessableContent, code: "report.disclosure_incomplete",
                        message: "the disclosure is not ready to publish (\(blockers.count) to complete): "
                            + blockers.joined(separator: "; ")
                            + "; complete them, or pass allow_findings=true / allow_missing_translations=true for a draft with each gap marked")
                }
            }
            // Rendered as it is sent, from the snapshot read here (`RegistryAnswers.streamed`).
            return Rendered.Content(
                chunks: try ReportRenderer.stream(
                    parsed.kind, snapshot, format: parsed.format, lang: parsed.lang, generatedAt: Date(), options: parsed.options))
        }
    }
}

extension Renderers {
    static let checkParameters = ["as_of", "format", "fail_on", "skip", "organization"]

    /// `domicile check` without `--policy`: `Store.snapshot` and `CheckReport` (the command's
    /// rules and renderer), JSON (default) or text. Always 200: findings are the answer, and
    /// `failed` says whether one reaches `fail_on`, as the command's exit status does.
    static func check(_ request: EndpointRequest) async throws -> Rendered {
        let query = request.query
        let asOf = try query.day("as_of") ?? request.today
        let format: CheckFormat = try query.choice("format", CheckFormat.allCases.map(\.rawValue)).flatMap(CheckFormat.init(rawValue:)) ?? .json
        let failOn: Severity = try query.choice("fail_on", Severity.allCases.map(\.rawValue)).flatMap(Severity.init(rawValue:)) ?? .error
        // Empty (`skip=`) skips nothing.
        let skip = (query["skip"] == "" ? nil : try query.text("skip", maximum: 2000) ?? "").map {
            $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        } ?? []
        let known = CheckRule.all.map(\.id)
        if let unknown = skip.first(where: { !known.contains($0) }) {
            // No such rule: a 404, as an unknown report kind is.
            throw APIError(Issue.notAllowed("skip", unknown, allowed: known, code: "input.unknown_rule"), status: .notFound)
        }
        let organization = try query.text("organization")
        return try await request.read { store in
            let report = CheckReport(snapshot: try store.snapshot(asOf: asOf).scoped(to: organization), skipping: skip)
            let body = report.render(format, failOn: failOn)
            return format == .json ? .json(body) : Rendered.Content(body: body, contentType: "text/plain; charset=utf-8")
        }
    }
}

extension Rendered.Content {
    static func csv(_ text: String) -> Self { Self(body: text, contentType: "text/csv; charset=utf-8") }

    static func json(_ text: String) -> Self { Self(body: text, contentType: "application/json; charset=utf-8") }
}
