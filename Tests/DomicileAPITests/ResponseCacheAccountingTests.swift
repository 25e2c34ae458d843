import DomicileCore
import NIOCore
import Testing

@testable import DomicileAPI

/// The cache counts what a kept answer holds in memory, so its budget bounds the server's
/// memory (docs/operations.md, "Memory and --cache-bytes").
@Suite("Response cache accounting")
struct ResponseCacheAccountingTests {
    static let day = Day("2026-01-01")!

    /// An answer whose bytes are a slice of a larger buffer keeps that whole buffer alive.
    static func slice(of size: Int) -> Rendered {
        let whole = ByteBuffer(repeating: UInt8(ascii: "a"), count: size)
        var content = Rendered.Content(body: "", contentType: "text/plain")
        content.body = whole.getSlice(at: 0, length: 16)!
        return Rendered(revision: 1, content: content)
    }

    @Test("A kept answer counts the buffer it keeps alive, so the budget holds however the body was built")
    func keptBytesAreTheBuffersBytes() {
        let budget = 1_048_576
        let size = 300 * 1024
        let cache = ResponseCache(capacityBytes: budget)
        cache.put(CacheKey(route: "/a"), Self.slice(of: size), day: Self.day)
        #expect(cache.statistics.entries == 1)
        #expect(cache.statistics.bytes >= size, "a 16-byte slice of \(size) bytes counted as \(cache.statistics.bytes)")
        for route in ["/b", "/c", "/d"] {
            cache.put(CacheKey(route: route), Self.slice(of: size), day: Self.day)
        }
        // Four such answers hold more than the budget: the oldest went.
        let statistics = cache.statistics
        #expect(statistics.bytes <= budget, "\(statistics)")
        #expect(statistics.bytes >= statistics.entries * size, "\(statistics)")
        #expect(statistics.entries < 4)
        #expect(statistics.evictions == 4 - statistics.entries)
        // The most recent answer is kept; the oldest is not.
        #expect(cache.get(CacheKey(route: "/d"), revision: 1, day: Self.day) != nil)
        #expect(cache.get(CacheKey(route: "/a"), revision: 1, day: Self.day) == nil)
    }

    @Test("An answer whose buffer is larger than the whole budget is served but not kept")
    func largerThanTheBudgetIsNotKept() {
        let cache = ResponseCache(capacityBytes: 64 * 1024)
        cache.put(CacheKey(route: "/big"), Self.slice(of: 96 * 1024), day: Self.day)
        #expect(cache.statistics.entries == 0)
        #expect(cache.statistics.bytes == 0)
    }
}
