import DomicileCore
import Foundation
import Testing

/// `domicile due` from the check fixture (Tests/Fixtures/check/clean.yaml, as of 2026-12-01):
/// the dates `check` uses, overdue items marked, windows and owners, and the iCalendar file.
@Suite struct DueListTests {
    static let day = CheckFixture.day

    static func due(_ document: RegistryDocument, within: String = "90d", owner: String? = nil, asOf: Day = day) -> DueList {
        DueList(CheckFixture.snapshot(document, asOf: asOf), until: DueList.windowEnd(within, from: asOf)!, owner: owner)
    }

    static func describe(_ list: DueList) -> String {
        list.items.map { "\($0.date) \($0.kind.rawValue) \($0.entity)/\($0.key) overdue=\($0.overdue)" }.joined(separator: "\n")
    }

    @Test func windowsAreDaysWeeksMonthsOrYearsAndNothingElse() {
        let day = Day("2026-01-31")!
        #expect(DueList.windowEnd("90d", from: day) == day.adding(days: 90))
        #expect(DueList.windowEnd("90", from: day) == day.adding(days: 90))
        #expect(DueList.windowEnd("2w", from: day) == day.adding(days: 14))
        #expect(DueList.windowEnd("1m", from: day) == Day("2026-02-28"))
        #expect(DueList.windowEnd("1y", from: day) == Day("2027-01-31"))
        #expect(DueList.windowEnd("9999y", from: day) == Day("9999-12-31"), "a window stops at the last day there is")
        #expect(DueList.windowEnd("9999m", from: Day("9999-12-01")!) == Day("9999-12-31"))
        for bad in ["", "d", "-5d", "90x", "12345d", "99999999d", "１d", "9 0d"] {
            #expect(DueList.windowEnd(bad, from: day) == nil, "\(bad)")
        }
    }

    @Test func contractEndAndNoticeDeadlineComeFromTheContract() throws {
        var document = try CheckFixture.cleanDocument()
        document.edit(.vendor, "helper") { $0["owner"] = .string("Legal Team") }
        document.edit(.entrustment, "shop-helper-desk") {
            $0.edit("contract") {
                $0["expires_on"] = .string("2027-02-28")
                $0["notice_days"] = .int(60)
            }
        }
        let list = Self.due(document)
        let expiry = try #require(list.items.first { $0.kind == .contractExpiry }, "\(Self.describe(list))")
        #expect(expiry.date == Day("2027-02-28"))
        #expect(expiry.entity == "entrustment" && expiry.key == "shop-helper-desk")
        #expect(expiry.owner == "Legal Team")
        #expect(expiry.source?.contains("APPI Art. 25") == true)
        #expect(!expiry.overdue)
        let notice = try #require(list.items.first { $0.kind == .contractNotice })
        #expect(notice.date == Day("2027-02-28")!.adding(days: -60))
        #expect(notice.what.contains("60 days"))
        // ordered by date: the notice comes first
        #expect(list.items.firstIndex(of: notice)! < list.items.firstIndex(of: expiry)!)
    }

    @Test func overdueItemsAreIncludedWhateverTheWindowAndMarked() throws {
        var document = try CheckFixture.cleanDocument()
        document.edit(.entrustment, "shop-helper-desk") { $0.edit("contract") { $0["expires_on"] = .string("2026-11-01") } }
        let list = Self.due(document, within: "0d")
        let expiry = try #require(list.items.first { $0.kind == .contractExpiry }, "\(Self.describe(list))")
        #expect(expiry.overdue)
        #expect(list.render(.text).contains("overdue"))
        // the same contract, far in the future, is outside a 90-day window
        var later = try CheckFixture.cleanDocument()
        later.edit(.entrustment, "shop-helper-desk") { $0.edit("contract") { $0["expires_on"] = .string("2027-03-02") } }
        #expect(!Self.due(later).items.contains { $0.kind == .contractExpiry })
        later.edit(.entrustment, "shop-helper-desk") { $0.edit("contract") { $0["expires_on"] = .string("2027-03-01") } }
        #expect(Self.due(later).items.contains { $0.kind == .contractExpiry }, "the window's last day is included")
    }

    /// A contract is overdue in `due` exactly when `check` finds it expired: on its expiry day
    /// itself (the first day without cover), not the day before.
    @Test(arguments: ["2026-11-30", "2026-12-01", "2026-12-02"])
    func contractExpiryAgreesWithCheck(_ end: String) throws {
        var document = try CheckFixture.cleanDocument()
        document.edit(.entrustment, "shop-helper-desk") { $0.edit("contract") { $0["expires_on"] = .string(end) } }
        let checkSays = Checker.run(CheckFixture.snapshot(document)).contains { $0.rule.id == "contract.expired" }
        let item = try #require(Self.due(document).items.first { $0.kind == .contractExpiry })
        #expect(item.overdue == checkSays, "expires on \(end)")
    }

    /// The Art. 18(1) check is overdue in `due` exactly when `check` reports
    /// `transfer.basis_check_overdue`, whatever the last check's day.
    @Test(arguments: ["2025-11-29", "2025-11-30", "2025-12-01", "2025-12-02", "2026-06-01", nil as String?])
    func periodicCheckAgreesWithCheck(_ checkedOn: String?) throws {
        var document = try CheckFixture.cleanDocument()
        document.edit(.vendor, "subco") { $0["contracting_country"] = .string("IN") }
        document.edit(.entrustment, "shop-helper-desk") {
            $0["transfer_basis"] = .string("standard_conforming")
            $0["transfer_basis_checked_on"] = checkedOn.map { .string($0) }
        }
        let snapshot = CheckFixture.snapshot(document)
        let checkSays = Checker.run(snapshot).contains { $0.rule.id == "transfer.basis_check_overdue" }
        let list = Self.due(document, within: "1y")
        let item = try #require(list.items.first { $0.kind == .transferCheck }, "\(Self.describe(list))")
        #expect(item.overdue == checkSays, "checked on \(checkedOn ?? "never"): due says \(item.date) overdue=\(item.overdue)")
        #expect(item.key == "shop-helper-desk" && item.what.contains("subco"))
        #expect(item.source?.contains("Rules Art. 18(1)") == true)
        if let checkedOn { #expect(item.date == Day(checkedOn)!.adding(days: 365)) }
    }

    @Test func noPeriodicCheckForAJapaneseOrDesignatedRecipient() throws {
        var document = try CheckFixture.cleanDocument()
        document.edit(.entrustment, "shop-helper-desk") { $0["transfer_basis"] = .string("standard_conforming") }
        #expect(!Self.due(document, within: "1y").items.contains { $0.kind == .transferCheck })
    }

    @Test func retentionEndIsTheRecordsRetainUntil() throws {
        var document = try CheckFixture.cleanDocument()
        try document.add(CheckerTests.provision(basis: "consent", categories: "[user.name]", notified: false, record: true, retainUntil: "2029-02-01"))
        let list = Self.due(document, within: "3y")
        let item = try #require(list.items.first { $0.kind == .retentionEnd }, "\(Self.describe(list))")
        #expect(item.date == Day("2029-02-01"))
        #expect(item.entity == "provision" && item.key == "shop-list")
        #expect(item.source?.contains("Rules Art. 21") == true)
        #expect(!Self.due(document, within: "1y").items.contains { $0.kind == .retentionEnd })
    }

    @Test func reviewsOfTheOrganizationAndOfVendors() throws {
        let document = try CheckFixture.cleanDocument()
        let list = Self.due(document, within: "2y")
        let organization = list.items.filter { $0.kind == .review && $0.entity == "assessment" }
        #expect(organization.contains { $0.key == "acme-security-2026" && $0.date == Day("2027-10-01") }, "\(Self.describe(list))")
        // a vendor's review is dated as check and the vendor report date it
        for item in list.items where item.kind == .review && item.entity == "vendor" {
            let snapshot = CheckFixture.snapshot(document)
            let vendor = try #require(snapshot.vendor(item.key))
            let state = Compliance.reviewState(latest: Compliance.latestAssessments(snapshot, vendor: item.key), tier: vendor.riskTier, asOf: Self.day)
            guard case .due(let on, _) = state else { Issue.record("\(item.key): \(state)"); continue }
            #expect(item.date == on)
        }
    }

    @Test func ownerKeepsOnlyThatOwnersItemsIgnoringCase() throws {
        var document = try CheckFixture.cleanDocument()
        document.edit(.vendor, "helper") { $0["owner"] = .string("Legal Team") }
        let everything = Self.due(document, within: "5y")
        let mine = Self.due(document, within: "5y", owner: "legal team")
        #expect(!mine.items.isEmpty)
        #expect(mine.items.allSatisfy { $0.owner == "Legal Team" })
        #expect(mine.items.count < everything.items.count)
        #expect(Self.due(document, within: "5y", owner: "nobody").items.isEmpty)
    }

    @Test func jsonAndCSVCarryEveryItem() throws {
        var document = try CheckFixture.cleanDocument()
        document.edit(.entrustment, "shop-helper-desk") { $0.edit("contract") { $0["expires_on"] = .string("2026-11-01") } }
        let list = Self.due(document, within: "5y")
        let json = try JSONSerialization.jsonObject(with: Data(list.render(.json).utf8)) as! [String: Any]
        let items = json["items"] as! [[String: Any]]
        #expect(items.count == list.items.count)
        #expect(items.contains { $0["kind"] as? String == "contract_expiry" && $0["overdue"] as? Bool == true })
        #expect(json["as_of"] as? String == "2026-12-01")
        let csv = list.render(.csv).split(separator: "\n")
        #expect(csv.count == list.items.count + 1)
        #expect(csv.first == "date,status,kind,entity,key,owner,what,source")
    }

    // MARK: iCalendar (RFC 5545)

    @Test func icsHasCRLFFoldedLinesEscapedTextAndStableUIDs() throws {
        var document = try CheckFixture.cleanDocument()
        // text that must be escaped, and multi-byte characters that must not be split
        document.edit(.vendor, "helper") { $0["owner"] = .string("法務部, 契約チーム; \\ 担当: 山田太郎と佐藤花子と鈴木一郎と高橋次郎と田中三郎") }
        document.edit(.entrustment, "shop-helper-desk") { $0.edit("contract") { $0["expires_on"] = .string("2027-01-15") } }
        let list = Self.due(document)
        let first = list.render(.ics, generatedAt: Date(timeIntervalSince1970: 1_800_000_000))
        let second = list.render(.ics, generatedAt: Date(timeIntervalSince1970: 1_800_086_400))

        #expect(first.hasPrefix("BEGIN:VCALENDAR\r\n"))
        #expect(first.hasSuffix("END:VCALENDAR\r\n"))
        let bytes = Array(first.utf8)
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            #expect(index > 0 && bytes[index - 1] == 0x0D, "a bare LF at byte \(index)")
        }
        let physical = first.components(separatedBy: "\r\n").dropLast()
        for line in physical { #expect(line.utf8.count <= 75, "\(line.utf8.count) octets: \(line)") }
        #expect(physical.contains { $0.hasPrefix(" ") }, "a long line was folded")
        // every physical line is valid UTF-8 on its own: no character was split
        #expect(physical.allSatisfy { String(validating: Array($0.utf8), as: UTF8.self) != nil })

        let unfolded = first.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("Owner: 法務部\\, 契約チーム\\; \\\\ 担当: 山田太郎"), "\(unfolded)")
        #expect(unfolded.contains("DTSTART;VALUE=DATE:20270115\r\n"))
        #expect(unfolded.contains("DTEND;VALUE=DATE:20270116\r\n"))
        #expect(unfolded.contains("DTSTAMP:20270115T080000Z\r\n"))
        #expect(first.components(separatedBy: "BEGIN:VEVENT").count - 1 == list.items.count)

        func uids(_ text: String) -> [String] {
            text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") }
        }
        #expect(uids(first) == uids(second))
        #expect(Set(uids(first)).count == list.items.count, "UIDs are unique")
        #expect(first != second, "DTSTAMP is the time of generation")
    }

    @Test func escapeAndFoldFollowTheRFC() {
        #expect(ICalendar.escape("a,b;c\\d\ne\r\u{7}") == "a\\,b\\;c\\\\d\\ne")
        let line = "DESCRIPTION:" + String(repeating: "あ", count: 40)
        let folded = ICalendar.fold(line)
        #expect(folded.components(separatedBy: "\r\n").dropLast().allSatisfy { $0.utf8.count <= 75 })
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line + "\r\n")
    }
}
