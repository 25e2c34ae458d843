import Foundation

/// An iCalendar file (RFC 5545) of what falls due, for a team calendar to subscribe to:
/// one all-day event per item (`DTSTART;VALUE=DATE`, `DTEND` the day after), its UID stable
/// across runs, text escaped (§3.3.11), lines ending in CRLF and folded at 75 octets
/// (§3.1) without splitting a UTF-8 character.
public enum ICalendar {
    public static let contentType = "text/calendar; charset=utf-8"

    public static func render(_ list: DueList, generatedAt: Date) -> String {
        let stamp = timestamp(generatedAt)
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Domicile//due//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape("Domicile: what falls due"),
        ]
        for item in list.items {
            let heading = (item.overdue ? "OVERDUE: " : "") + summary(item.kind) + ": \(item.entity) \(item.key)"
            var description = item.what
            if let owner = item.owner { description += "\nOwner: \(owner)" }
            if let source = item.source { description += "\nSource: \(source)" }
            lines += [
                "BEGIN:VEVENT",
                "UID:" + escape(item.uid),
                "DTSTAMP:" + stamp,
                "DTSTART;VALUE=DATE:" + date(item.date),
                "DTEND;VALUE=DATE:" + date(item.date.adding(days: 1)),
                "SUMMARY:" + escape(heading),
                "DESCRIPTION:" + escape(description),
                "CATEGORIES:" + escape(item.kind.rawValue),
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined()
    }

    static func summary(_ kind: DueList.Kind) -> String {
        switch kind {
        case .contractExpiry: return "Contract ends"
        case .contractNotice: return "Notice deadline"
        case .dpaExpiry: return "DPA ends"
        case .review: return "Review due"
        case .transferCheck: return "Art. 18 periodic check"
        case .retentionEnd: return "Record retention ends"
        }
    }

    /// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks; other
    /// control characters, which a TEXT value may not hold, are dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": continue
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// One content line, folded (RFC 5545 §3.1): at most 75 octets a line, continuation
    /// lines begin with a space, and every line ends in CRLF.
    public static func fold(_ line: String) -> String {
        var out = ""
        var length = 0
        for character in line {
            let octets = String(character).utf8.count
            if length + octets > 75 {
                out += "\r\n "
                length = 1
            }
            out.append(character)
            length += octets
        }
        return out + "\r\n"
    }

    static func date(_ day: Day) -> String { String(format: "%04d%02d%02d", day.year, day.month, day.day) }

    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
