import Foundation

/// What a record may refer to: reference data and the keys of existing records
/// (from the database and from the same import file).
public struct ReferenceIndex: Sendable {
    /// ISO code → English name.
    public var countries: [String: String]
    /// `provider/code` → country code.
    public var regions: [String: String]
    /// template key → item ids in template order.
    public var templates: [String: [String]]
    /// Keys of registry records by kind.
    public var keys: [EntityKind: Set<String>]
    /// Data categories marked special-care (要配慮個人情報, APPI Art. 2(3)); their
    /// sub-categories are special-care too (`sensitiveAncestor(of:)`).
    public var sensitiveCategories: Set<String> = []

    public init(
        countries: [String: String] = [:], regions: [String: String] = [:], templates: [String: [String]] = [:],
        keys: [EntityKind: Set<String>] = [:]
    ) {
        self.countries = countries
        self.regions = regions
        self.templates = templates
        self.keys = keys
    }

    public func contains(_ kind: EntityKind, _ key: String) -> Bool { keys[kind]?.contains(key) ?? false }

    public mutating func add(_ document: RegistryDocument) {
        for (kind, records) in document.records {
            keys[kind, default: []].formUnion(records.compactMap(\.key))
        }
        for category in document[.category] {
            guard let key = category.key, let sensitive = category.bool("sensitive") else { continue }
            if sensitive { sensitiveCategories.insert(key) } else { sensitiveCategories.remove(key) }
        }
    }

    /// The special-care category `key` is, or belongs to (`user.health` for
    /// `user.health.checkup`), if any.
    public func sensitiveAncestor(of key: String) -> String? {
        var current = key
        while true {
            if sensitiveCategories.contains(current) { return current }
            guard let dot = current.lastIndex(of: ".") else { return nil }
            current = String(current[..<dot])
        }
    }
}

/// Checks a record against its schema and the domain's rules; pure, no I/O.
/// Every problem is reported, not only the first.
public struct Validator: Sendable {
    public let index: ReferenceIndex

    public init(index: ReferenceIndex) {
        self.index = index
    }

    static let keyPattern = try! NSRegularExpression(pattern: "^[a-z0-9][a-z0-9._-]{0,79}$")
    static let categoryPattern = try! NSRegularExpression(pattern: "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$")
    static let urlPattern = try! NSRegularExpression(pattern: "^https?://[^\\s]+$")
    static let emailPattern = try! NSRegularExpression(pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")

    /// The issue with `text` as a key (lower-case letters, digits, '.', '_', '-'), if any.
    public static func keyIssue(_ field: String, _ text: String) -> Issue? {
        Self(index: ReferenceIndex()).check(scalar: text, type: .key, name: field).first
    }

    static func matches(_ pattern: NSRegularExpression, _ text: String) -> Bool {
        pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Fills in what can be derived (a residency's country from its region) and puts
    /// unordered lists in the order the database returns them, so comparing a file's record
    /// with the stored one sees only real differences.
    public func normalize(_ record: Record, kind: EntityKind) -> Record {
        var record = kind.schema.withoutDefaults(record)
        if kind == .residency, record.string("country") == nil, let region = record.string("region"),
            let country = index.regions[region]
        {
            record["country"] = .string(country)
        }
        for field in kind.schema.fields {
            if case .references = field.type, let list = record[field.name]?.list {
                record[field.name] = .list(list.sorted())
            }
        }
        switch kind {
        case .entrustment:
            // `via` defaults to the entrustee itself; stored that way, so compare it that way
            let subs = record.records("sub_entrustees").map { sub -> Record in
                var sub = sub
                if sub.string("via") == record.string("vendor") { sub["via"] = nil }
                return sub
            }
            record["sub_entrustees"] = .records(subs.sorted { ($0.string("vendor") ?? "") < ($1.string("vendor") ?? "") })
        case .provision:
            if var notification = record.object("ppc_notification"), let items = notification["items"]?.list {
                notification["items"] = .list(items.sorted())
                record["ppc_notification"] = .object(notification)
            }
            record["records"] = .records(record.records("records").sorted {
                ($0.string("provided_on") ?? "", $0.string("data_subjects") ?? "") < ($1.string("provided_on") ?? "", $1.string("data_subjects") ?? "")
            })
        case .assessment:
            let order = record.string("template").flatMap { index.templates[$0] } ?? []
            let position = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            record["answers"] = .records(record.records("answers").sorted {
                (position[$0.string("item") ?? ""] ?? Int.max, $0.string("item") ?? "") < (position[$1.string("item") ?? ""] ?? Int.max, $1.string("item") ?? "")
            })
        default:
            break
        }
        return record
    }

    /// All issues of `record`, each located where the field was read.
    public func validate(_ record: Record, kind: EntityKind) -> [Issue] {
        var issues = check(record, schema: kind.schema, prefix: "")
        issues += rules(record, kind: kind)
        return issues
    }

    // MARK: Field checks

    func check(_ record: Record, schema: EntitySchema, prefix: String) -> [Issue] {
        var issues: [Issue] = []
        for field in schema.fields {
            let name = prefix + field.name
            guard let value = record[field.name] else {
                if field.required { issues.append(Issue.missing(name).located(record.location)) }
                continue
            }
            let location = record.location(of: field.name)
            switch (field.type, value) {
            case (.object(let nested), .object(let inner)):
                issues += check(inner, schema: nested, prefix: name + ".")
            case (.records(let nested), .records(let items)):
                for item in items { issues += check(item, schema: nested, prefix: name + ".") }
            case (_, .list(let items)):
                for item in items { issues += check(scalar: item, type: field.type, name: name).map { $0.located(location) } }
                if Set(items).count != items.count {
                    issues.append(Issue(code: "input.duplicate_value", field: name, value: items.joined(separator: ", "), message: "\(name) lists a value twice: \(items.joined(separator: ", "))", location: location))
                }
            case (_, .string(let text)):
                issues += check(scalar: text, type: field.type, name: name).map { $0.located(location) }
            case (.int(let range), .int(let number)) where !range.contains(number):
                issues.append(Issue.invalid(name, String(number), expected: "a whole number from \(range.lowerBound) to \(range.upperBound)").located(location))
            default:
                break
            }
        }
        return issues
    }

    func check(scalar text: String, type: FieldType, name: String) -> [Issue] {
        // libpq passes values as C strings: a NUL would silently cut the value short
        if text.unicodeScalars.contains("\u{0}") {
            return [Issue(code: "input.invalid_character", field: name, value: String(text.prefix(40)), message: "\(name) contains a NUL character (U+0000), which a value cannot hold; remove it")]
        }
        switch type {
        case .key:
            return Self.matches(Self.keyPattern, text) ? [] : [
                Issue.invalid(name, text, expected: "a key of lower-case letters, digits, '.', '_' or '-' (at most 80, starting with a letter or digit), e.g. \(Self.slug(text))")
            ]
        case .categoryKey:
            return Self.matches(Self.categoryPattern, text) ? [] : [
                Issue.invalid(name, text, expected: "a dotted key of lower-case words, e.g. user.contact.email")
            ]
        case .text(let max), .texts(let max):
            // Counted as PostgreSQL counts (code points), so what passes here fits the column.
            let length = text.unicodeScalars.count
            if length > max {
                return [Issue(code: "input.too_long", field: name, value: String(text.prefix(40)) + "…", message: "\(name) is \(length) characters long; at most \(max) are allowed")]
            }
            if let issue = Self.controlCharacterIssue(text, name: name, multiLine: max >= EntitySchema.longText && !type.isList) {
                return [issue]
            }
            if case .texts = type, text.contains(";") {
                return [Issue(code: "input.invalid_character", field: name, value: text, message: "\(name) '\(text)' contains ';', which separates list items in CSV; write the item without it")]
            }
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                return [Issue.missing(name)]
            }
            return []
        case .date:
            return Day(text) != nil ? [] : [Issue.invalid(name, text, expected: "an ISO 8601 date YYYY-MM-DD, e.g. 2025-04-01")]
        case .country, .countries:
            return index.countries[text] != nil ? [] : [countryIssue(name, text)]
        case .enumeration(let allowed), .enumerations(let allowed):
            return allowed.contains(text) ? [] : [Issue.notAllowed(name, text, allowed: allowed)]
        case .url:
            return Self.matches(Self.urlPattern, text) && text.unicodeScalars.count <= 2000 ? [] : [Issue.invalid(name, text, expected: "an http:// or https:// URL")]
        case .email:
            return Self.matches(Self.emailPattern, text) ? [] : [Issue.invalid(name, text, expected: "an e-mail address such as privacy@example.com")]
        case .region:
            guard index.regions[text] == nil else { return [] }
            var message = "\(name) '\(text)' is not a known cloud region; write PROVIDER/CODE as listed by `domicile region list`, e.g. aws/ap-northeast-1"
            let all = index.regions.keys.sorted()
            if let guess = Suggest.closest(to: text, in: all) ?? all.first(where: { $0.hasSuffix("/" + text) }) {
                message += " (did you mean \(guess)?)"
            }
            return [Issue(code: "input.unknown_region", field: name, value: text, message: message)]
        case .reference(let kind), .references(let kind):
            guard !index.contains(kind, text) else { return [] }
            var message = "\(name) '\(text)' is not a known \(kind.rawValue)"
            let keys = (index.keys[kind] ?? []).sorted()
            if let guess = Suggest.closest(to: text, in: keys) ?? Self.closestByLastSegment(text, in: keys) {
                message += "; did you mean \(guess)?"
            } else if keys.isEmpty {
                message += "; there are none yet: add it first"
            } else {
                message += "; see `domicile \(kind == .category ? "category" : kind.rawValue) list`"
            }
            return [Issue(code: "input.unknown_\(kind.rawValue)", field: name, value: text, message: message)]
        case .template:
            guard index.templates[text] == nil else { return [] }
            return [Issue.notAllowed(name, text, allowed: index.templates.keys.sorted(), code: "input.unknown_template")]
        case .checklistItem, .bool, .int, .object, .records:
            return []
        }
    }

    /// "country 'JA' is not an ISO 3166-1 code; did you mean JP (Japan)?"
    func countryIssue(_ name: String, _ text: String) -> Issue {
        var message = "\(name) '\(text)' is not an ISO 3166-1 alpha-2 country code"
        if let guess = CountryGuess.guess(text, countries: index.countries) {
            message += "; did you mean \(guess) (\(index.countries[guess] ?? guess))?"
        } else {
            message += "; see `domicile country list`"
        }
        return Issue(code: "input.unknown_country", field: name, value: text, message: message)
    }

    /// For dotted keys: `user.emial` → `user.contact.email`, by the last segment alone.
    static func closestByLastSegment(_ text: String, in keys: [String]) -> String? {
        guard let last = text.split(separator: ".").last.map(String.init) else { return nil }
        let byLast = Dictionary(grouping: keys, by: { $0.split(separator: ".").last.map(String.init) ?? $0 })
        guard let segment = Suggest.closest(to: last, in: byLast.keys.sorted()), var matches = byLast[segment] else { return nil }
        if matches.count > 1, let first = text.split(separator: ".").first {
            matches = matches.filter { $0.hasPrefix(first + ".") }  // user.emial → the user.… one
        }
        return matches.count == 1 ? matches[0] : nil
    }

    static func slug(_ text: String) -> String {
        let lowered = text.lowercased().map { $0.isLetter && $0.isASCII || $0.isNumber ? $0 : "-" }
        let collapsed = String(lowered).split(separator: "-").joined(separator: "-")
        return collapsed.isEmpty ? "my-key" : String(collapsed.prefix(80))
    }

    // MARK: Domain rules

    func rules(_ record: Record, kind: EntityKind) -> [Issue] {
        var issues: [Issue] = []
        func order(_ start: String, _ end: String, in record: Record, prefix: String = "") {
            guard let from = record.day(start), let to = record.day(end), to <= from else { return }
            issues.append(
                Issue(
                    code: "input.end_before_start", field: prefix + end, value: to.description,
                    message: "\(prefix + end) \(to) is not after \(prefix + start) \(from); an end must come after the start",
                    location: record.location(of: end)))
        }
        order("valid_from", "valid_to", in: record)
        switch kind {
        case .category:
            if let key = record.key, let dot = key.lastIndex(of: ".") {
                let parent = String(key[..<dot])
                if !index.contains(.category, parent) {
                    issues.append(Issue(code: "input.unknown_category", field: "key", value: key, message: "data category '\(key)' needs its parent '\(parent)' to exist first", location: record.location(of: "key")))
                }
            }
        case .residency:
            let country = record.string("country")
            let undisclosed = record.object("undisclosed")
            if country == nil, undisclosed == nil, record.string("region") == nil {
                issues.append(Issue(code: "input.missing_location", field: "country", value: nil, message: "a residency needs a country (or a region), or undisclosed with a reason when the provider does not disclose it", location: record.location))
            }
            if undisclosed != nil, country != nil || record.string("region") != nil {
                let given = [country.map { "country \($0)" }, record.string("region").map { "region \($0)" }].compactMap { $0 }.joined(separator: " and ")
                issues.append(Issue(code: "input.conflicting_location", field: "undisclosed", value: country ?? record.string("region"), message: "a residency has either a country/region or undisclosed, not both: this one gives \(given) and undisclosed; remove one", location: record.location(of: "undisclosed")))
            }
            if let region = record.string("region"), let regionCountry = index.regions[region], let country,
                country != regionCountry
            {
                issues.append(Issue(code: "input.region_country_mismatch", field: "region", value: region, message: "region '\(region)' is in \(regionCountry) (\(index.countries[regionCountry] ?? regionCountry)), not \(country); fix the country or the region", location: record.location(of: "region")))
            }
        case .entrustment:
            if record.bool("cloud_exception") == true, record.string("cloud_exception_basis") == nil {
                issues.append(Issue(code: "input.missing_field", field: "cloud_exception_basis", value: nil, message: "cloud_exception_basis is required when cloud_exception is true: cite the contract clause and the access control", location: record.location(of: "cloud_exception")))
            }
            if let contract = record.object("contract") {
                order("signed_on", "expires_on", in: contract, prefix: "contract.")
                order("dpa_signed_on", "dpa_expires_on", in: contract, prefix: "contract.")
            }
            var chain = Set([record.string("vendor")].compactMap { $0 })
            let subs = record.records("sub_entrustees")
            for sub in subs { if let vendor = sub.string("vendor") { chain.insert(vendor) } }
            var seen = Set<String>()
            for sub in subs {
                guard let vendor = sub.string("vendor") else { continue }
                if !seen.insert(vendor).inserted || vendor == record.string("vendor") {
                    issues.append(Issue(code: "input.duplicate_value", field: "sub_entrustees.vendor", value: vendor, message: "sub-entrustee '\(vendor)' is listed twice or is the entrustee itself", location: sub.location(of: "vendor")))
                }
                // its own valid time: an end after its start, or after the entrustment's when it has none
                if let end = sub.day("valid_to") {
                    let own = sub.day("valid_from")
                    if let start = own ?? record.day("valid_from"), end <= start {
                        let since = own == nil ? "valid_from \(start) (the entrustment's start)" : "sub_entrustees.valid_from \(start)"
                        issues.append(Issue(code: "input.end_before_start", field: "sub_entrustees.valid_to", value: end.description, message: "sub_entrustees.valid_to \(end) of sub-entrustee '\(vendor)' is not after \(since); an end must come after the start", location: sub.location(of: "valid_to")))
                    }
                }
                issues += Self.subEntrusteeOutside(sub, vendor: vendor, of: record)
                if let via = sub.string("via"), !chain.contains(via) || via == vendor {
                    issues.append(Issue(code: "input.invalid_via", field: "sub_entrustees.via", value: via, message: "sub_entrustees.via '\(via)' must be the entrustee (\(record.string("vendor") ?? "?")) or another sub-entrustee of this entrustment", location: sub.location(of: "via")))
                }
            }
            // Every chain of `via` must lead back to the entrustee, without a loop.
            let entrustee = record.string("vendor") ?? ""
            let parent = Dictionary(subs.compactMap { sub in sub.string("vendor").map { ($0, sub.string("via") ?? entrustee) } }, uniquingKeysWith: { first, _ in first })
            for sub in subs {
                guard let start = sub.string("vendor") else { continue }
                var current = start
                var visited: Set<String> = [start]
                while current != entrustee, let next = parent[current] {
                    if !visited.insert(next).inserted && next != entrustee {
                        issues.append(Issue(code: "input.invalid_via", field: "sub_entrustees.via", value: sub.string("via"), message: "sub-entrustee '\(start)' does not lead back to the entrustee \(entrustee): its via chain loops (\(visited.sorted().joined(separator: " → ")))", location: sub.location(of: "via")))
                        break
                    }
                    current = next
                }
            }
        case .provision:
            if record.string("basis") == "legal_exception", record.string("legal_exception") == nil {
                issues.append(Issue(code: "input.missing_field", field: "legal_exception", value: nil, message: "legal_exception is required when basis is legal_exception: name the APPI Art. 27(1) item", location: record.location(of: "basis")))
            }
            if record.string("basis") == "opt_out" {
                for category in record.list("categories") {
                    guard let sensitive = index.sensitiveAncestor(of: category) else { continue }
                    let what = sensitive == category ? "" : " (part of \(sensitive))"
                    issues.append(Issue(code: "input.opt_out_sensitive", field: "basis", value: "opt_out", message: "basis opt_out is not allowed for category '\(category)'\(what): it is special-care personal information (要配慮個人情報, APPI Art. 2(3); Cabinet Order Art. 2), which APPI Art. 27(2) excludes from provision by opt-out; obtain the person's consent (basis consent) or rely on an Art. 27(1) exception (basis legal_exception)", location: record.location(of: "basis") ?? record.location(of: "categories")))
                }
            }
            // (the retention period itself is checked by the importer, which knows the stored records)
            var seenRecords = Set<String>()
            for item in record.records("records") {
                order("provided_on", "retain_until", in: item, prefix: "records.")
                switch (item.string("method"), record.string("basis")) {
                case ("batch", "opt_out"?):
                    issues.append(Issue(code: "input.record_method_not_allowed", field: "records.method", value: "batch", message: "records.method batch is not allowed for an opt-out provision: PPC Rules Art. 19(2) allows one record for continuous or repeated provision except provision under APPI Art. 27(2); record each provision (method each)", location: item.location(of: "method")))
                case ("contract", let basis?) where basis != "consent":
                    issues.append(Issue(code: "input.record_method_not_allowed", field: "records.method", value: "contract", message: "records.method contract is not allowed for a provision on basis \(basis): PPC Rules Art. 19(3) lets a contract stand for the record only for provision on consent (APPI Arts. 27(1), 28(1)) tied to goods or services supplied to the person, and only when it states the items of Rules Art. 20(1); record each provision (method each)", location: item.location(of: "method")))
                default:
                    break
                }
                if let last = item.day("last_provided_on"), let first = item.day("provided_on"), last < first {
                    issues.append(Issue(code: "input.end_before_start", field: "records.last_provided_on", value: last.description, message: "records.last_provided_on \(last) is before records.provided_on \(first); it is the last provision the record covers", location: item.location(of: "last_provided_on")))
                }
                let identity = "\(item.string("provided_on") ?? "") \(item.string("data_subjects") ?? "")"
                if !seenRecords.insert(identity).inserted {
                    issues.append(Issue(code: "input.duplicate_value", field: "records", value: identity, message: "the provision record of \(item.string("provided_on") ?? "?") for '\(item.string("data_subjects") ?? "?")' is listed twice", location: item.location(of: "provided_on")))
                }
            }
        case .transmission:
            if record.string("basis") == "opt_out", record.string("opt_out_url") == nil {
                issues.append(Issue(code: "input.missing_field", field: "opt_out_url", value: nil, message: "opt_out_url is required when basis is opt_out (the opt-out details must be published)", location: record.location(of: "basis")))
            }
        case .assessment:
            let subjects = [record.string("organization"), record.string("vendor")].compactMap { $0 }
            if subjects.count != 1 {
                issues.append(Issue(code: "input.invalid_subject", field: "organization", value: nil, message: "an assessment has exactly one subject: organization or vendor", location: record.location))
            }
            order("assessed_on", "next_review_on", in: record)
            let items = Set(record.string("template").flatMap { index.templates[$0] } ?? [])
            var seen = Set<String>()
            for answer in record.records("answers") {
                guard let item = answer.string("item") else { continue }
                if !items.isEmpty, !items.contains(item) {
                    var message = "answers.item '\(item)' is not an item of template '\(record.string("template") ?? "")'"
                    if let guess = Suggest.closest(to: item, in: items.sorted()) { message += "; did you mean \(guess)?" }
                    issues.append(Issue(code: "input.unknown_item", field: "answers.item", value: item, message: message, location: answer.location(of: "item")))
                }
                if !seen.insert(item).inserted {
                    issues.append(Issue(code: "input.duplicate_value", field: "answers.item", value: item, message: "item \(item) is answered twice", location: answer.location(of: "item")))
                }
                if let status = answer.string("status"), ["met", "partial"].contains(status), answer.string("evidence") == nil {
                    issues.append(Issue(code: "input.missing_field", field: "answers.evidence", value: nil, message: "answers.evidence is required for \(item) because its status is \(status)", location: answer.location(of: "status")))
                }
            }
        case .organization, .purpose, .service, .vendor:
            break
        }
        return issues
    }
}

extension Validator {
    /// A sub-entrustee works inside its entrustment's valid time: it does not start before
    /// the entrustment, nor after it ended, nor end after it (issue 13 point 11; APPI Art. 25:
    /// re-entrustment is part of the entrusted handling). No valid_from means "since the
    /// entrustment began", no valid_to "as long as it holds".
    static func subEntrusteeOutside(_ sub: Record, vendor: String, of entrustment: Record) -> [Issue] {
        guard let start = entrustment.day("valid_from") else { return [] }
        let end = entrustment.day("valid_to")
        let span = "\(start) to \(end.map { "\($0) (exclusive)" } ?? "ongoing")"
        var issues: [Issue] = []
        if let from = sub.day("valid_from") {
            if from < start {
                issues.append(Issue(code: "input.sub_entrustee_outside", field: "sub_entrustees.valid_from", value: from.description, message: "sub_entrustees.valid_from \(from) of sub-entrustee '\(vendor)' is before its entrustment began (\(start)); a sub-entrustee cannot start before its entrustment: give a day from \(start), or leave valid_from empty", location: sub.location(of: "valid_from")))
            } else if let end, from >= end {
                issues.append(Issue(code: "input.sub_entrustee_outside", field: "sub_entrustees.valid_from", value: from.description, message: "sub_entrustees.valid_from \(from) of sub-entrustee '\(vendor)' is not before its entrustment's end (\(end)); a sub-entrustee works within its entrustment (\(span))", location: sub.location(of: "valid_from")))
            }
        }
        if let to = sub.day("valid_to"), let end, to > end {
            issues.append(Issue(code: "input.sub_entrustee_outside", field: "sub_entrustees.valid_to", value: to.description, message: "sub_entrustees.valid_to \(to) of sub-entrustee '\(vendor)' is after its entrustment ends (\(end)); a sub-entrustee cannot outlive its entrustment: give a day up to \(end), or leave valid_to empty", location: sub.location(of: "valid_to")))
        }
        return issues
    }
}

/// Guesses the country a user meant by an invalid code: alpha-3 codes, names, and the
/// usual confusions with language codes (JA → JP, UK → GB, KO → KR, …).
public enum CountryGuess {
    static let confusions: [String: String] = [
        "JA": "JP", "JPN": "JP", "UK": "GB", "EN": "GB", "KO": "KR", "ZH": "CN", "EL": "GR", "DA": "DK",
        "SV": "SE", "CS": "CZ", "HE": "IL", "VI": "VN", "UA": "UA", "USA": "US", "GER": "DE", "SP": "ES",
    ]

    public static func guess(_ text: String, countries: [String: String]) -> String? {
        let upper = text.uppercased()
        if countries[upper] != nil { return upper }
        if let known = confusions[upper], countries[known] != nil { return known }
        let lowered = text.lowercased()
        if let byName = countries.first(where: { $0.value.lowercased() == lowered }) { return byName.key }
        let prefixed = countries.filter { $0.value.lowercased().hasPrefix(lowered) }
        if prefixed.count == 1 { return prefixed.first?.key }
        return nil
    }
}
