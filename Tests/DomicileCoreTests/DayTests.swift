import DomicileCore
import Foundation
import Testing

@Suite("Days")
struct DayTests {
    /// The API computes "today" on every request without a calendar object; it must agree
    /// with the calendar everywhere: leap days, century years, the epoch, before it.
    @Test func utcArithmeticAgreesWithTheGregorianCalendar() {
        let instants: [TimeInterval] = [
            0, -1, 86_399, 86_400, -86_400, 951_782_400, 951_868_799, 951_868_800,  // 2000-02-29 (a leap century)
            4_107_456_000, 4_107_542_400,  // 2100-02-28 / 2100-03-01 (not a leap century)
            1_795_856_400, 1_798_761_599, 1_798_761_600, -2_208_988_800, 253_402_300_799,
        ]
        var samples = instants
        // Every 31.6 hours (so every hour of the day comes round) across 1969–2101.
        var instant: TimeInterval = -31_536_000
        while instant < 4_133_980_800 {
            samples.append(instant)
            instant += 113_777
        }
        for seconds in samples {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Day(utc: date) == Day(date), "\(seconds)")
        }
    }
}
