import DomicileCore
import DomicileStore
import Foundation
import HTTPTypes

/// Pages of a list answer (`/v1/vendors`, `/v1/services`, `/v1/countries`, `/v1/where`):
/// `limit` rows after the `cursor`, and `Link: <…>; rel="next"` while more follow.
///
/// A page is as of one registry revision, and its cursor says which (and which day, for the
/// lists that default to today), with the key of the page's last row. The next page is read
/// at the registry's current revision; when that is no longer the cursor's, the answer is
/// `410 request.stale_cursor` (start again without `cursor`): the server keeps no old
/// revisions, and reading the next rows of a changed list could skip or repeat one.
///
/// The cursor is opaque (base64url) and carries a checksum: a changed byte, a cursor of
/// another list or of other filters is a 400 naming `cursor`. It is not signed: it holds
/// nothing a client could not ask for (a key, a revision, a day), so any instance of the
/// server reads another's.
struct Paging: Sendable {
    static let parameters = ["limit", "cursor"]
    /// The largest `limit`.
    static let maximumLimit = 1000
    /// The page size of a request that gives `cursor` without `limit`.
    static let defaultLimit = 100

    let limit: Int
    let cursor: PageCursor?
    /// The route as documented (`/v1/vendors`): the Link's path, and what the cursor is for.
    let route: String
    /// Every other parameter, decoded: the next page's URL keeps them.
    let others: [String: String]

    /// The paging a request asks for, or `nil` when it gives neither `limit` nor `cursor`
    /// (the whole list, as before pages existed).
    static func parse(_ query: QueryParameters, route: String) throws -> Paging? {
        let limitText = query["limit"]
        let cursorText = query["cursor"]
        guard limitText != nil || cursorText != nil else { return nil }
        var limit = defaultLimit
        if let limitText {
            guard limitText.utf8.count <= 4, limitText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(limitText),
                (1...maximumLimit).contains(value)
            else {
                throw APIError(Issue.invalid("limit", String(limitText.prefix(40)), expected: "a whole number from 1 to \(maximumLimit)"))
            }
            limit = value
        }
        var others = query.values
        others["limit"] = nil
        others["cursor"] = nil
        var cursor: PageCursor?
        if let cursorText {
            let decoded = try PageCursor(decoding: cursorText)
            guard decoded.route == route, decoded.filters == Self.filters(others) else {
                throw APIError(
                    .badRequest, code: "input.invalid_cursor",
                    message: "this cursor belongs to another list or to other parameters than \(route) with these; "
                        + "follow the Link header's next URL as given, or start again without cursor",
                    field: "cursor", value: String(cursorText.prefix(40)))
            }
            cursor = decoded
        }
        return Paging(limit: limit, cursor: cursor, route: route, others: others)
    }

    /// What a cursor must match: the request's parameters but the page size and the output
    /// format (which may change between pages), as a short digest.
    static func filters(_ others: [String: String]) -> String {
        let text = others.filter { $0.key != "format" }.sorted { $0.key < $1.key }.map { $0.key + "=" + $0.value }.joined(separator: "\u{0}")
        return String(APIToken.hash(text).prefix(16))
    }

    /// The day the pages are of: the cursor's, so a walk that crosses midnight stays on one day.
    func day(_ requested: Day?) -> Day? {
        guard let cursor else { return requested }
        return cursor.day.isEmpty ? nil : Day(cursor.day)
    }

    /// A 410 unless the page was read at the cursor's revision.
    func check(revision: Int64) throws {
        guard let cursor, cursor.revision != revision else { return }
        throw APIError(
            .gone, code: "request.stale_cursor",
            message: "the registry has changed since this cursor was issued (revision \(cursor.revision), now \(revision)); "
                + "a page is as of one revision: start again without cursor",
            field: "cursor")
    }

    /// `<route?…&cursor=…>; rel="next"` for the page after `last`, or `nil` when none follows.
    func link(more: Bool, last: String?, revision: Int64, day: Day?) -> String? {
        guard more, let last else { return nil }
        let next = PageCursor(route: route, filters: Self.filters(others), revision: revision, day: day?.description ?? "", after: last)
        var parameters = others
        parameters["limit"] = String(limit)
        parameters["cursor"] = next.encoded()
        let query = parameters.sorted { $0.key < $1.key }.map { Self.escape($0.key) + "=" + Self.escape($0.value) }.joined(separator: "&")
        return "<\(route)?\(query)>; rel=\"next\""
    }

    /// The index of the first row after the cursor's in `keys` (the rows' keys in answer
    /// order); a cursor naming no row of the answer (it cannot, at the same revision and
    /// day) is stale.
    func start(in keys: [String], revision: Int64) throws -> Int {
        guard let cursor else { return 0 }
        guard let index = keys.firstIndex(of: cursor.after) else {
            throw APIError(
                .gone, code: "request.stale_cursor",
                message: "the row this cursor continues after is no longer in the answer; start again without cursor", field: "cursor")
        }
        return index + 1
    }

    /// Unreserved characters (RFC 3986) as they are, every other byte percent-encoded.
    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(digits[Int(byte >> 4)])
                out.unicodeScalars.append(digits[Int(byte & 0x0f)])
            }
        }
        return out
    }
}

/// Where a walk through a list's pages stands: which list (route and filters), the
/// revision and day its pages are of, and the key of the last row given.
struct PageCursor: Codable, Sendable, Equatable {
    var route: String
    var filters: String
    var revision: Int64
    /// `YYYY-MM-DD`, or empty for a list of every day (`all=true`, countries).
    var day: String
    /// The last row's key (a `where` row: its fields joined by U+001F).
    var after: String

    enum CodingKeys: String, CodingKey { case route = "r", filters = "f", revision = "v", day = "d", after = "a" }

    init(route: String, filters: String, revision: Int64, day: String, after: String) {
        self.route = route
        self.filters = filters
        self.revision = revision
        self.day = day
        self.after = after
    }

    /// base64url (no padding) of a 16-digit checksum and the JSON of the fields.
    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
        let data = Data((Self.checksum(json) + json).utf8)
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads a cursor; anything that is not one this server wrote, unchanged, is a 400.
    init(decoding text: String) throws {
        let refused = APIError(
            .badRequest, code: "input.invalid_cursor",
            message: "cursor '\(text.prefix(40))\(text.count > 40 ? "…" : "")' is not a cursor this API gave (changed or cut short); "
                + "use the Link header's next URL as given, or start again without cursor",
            field: "cursor", value: String(text.prefix(40)))
        guard !text.isEmpty, text.utf8.count <= 3000,
            text.utf8.allSatisfy({ $0 < 0x80 && (Character(UnicodeScalar($0)).isLetter || Character(UnicodeScalar($0)).isNumber || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")) })
        else { throw refused }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let whole = String(data: data, encoding: .utf8), whole.utf8.count > 16 else { throw refused }
        let sum = String(whole.prefix(16))
        let json = String(whole.dropFirst(16))
        guard sum == Self.checksum(json), let cursor = try? JSONDecoder().decode(PageCursor.self, from: Data(json.utf8)) else { throw refused }
        // The same text back, or it was not written by `encoded()` (e.g. other padding bits).
        guard cursor.encoded() == text else { throw refused }
        self = cursor
    }

    private static func checksum(_ json: String) -> String {
        String(APIToken.hash("domicile page cursor 1\n" + json).prefix(16))
    }
}
