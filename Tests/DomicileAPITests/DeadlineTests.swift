import DomicileCore
import Foundation
import NIOCore
import Testing

@testable import DomicileAPI

/// Every uncached answer runs under two time limits (`withTimeout`: its render's and its
/// caller's). A limit's timer must go when the answer is done: with `Task.sleep` each stayed
/// queued for the whole 30 s, holding about 0.7 KiB, so a burst of 80,000 small answers left
/// the server 60 MiB larger for half a minute (docs/benchmarks.md, "Memory after a load").
@Suite("Deadlines")
struct DeadlineTests {
    /// Waits up to 5 s for `tracker`'s timers to be gone (a cancelled timer leaves its event
    /// loop's queue on that loop's thread, just after the cancellation).
    static func drained(_ tracker: Deadline.Tracker) async throws -> Int {
        for _ in 0..<100 where tracker.pending > 0 { try await Task.sleep(for: .milliseconds(50)) }
        return tracker.pending
    }

    @Test("A burst of 2,000 answers under a 30 s limit leaves no timer waiting once they are done")
    func burstLeavesNoTimer() async throws {
        let tracker = Deadline.Tracker()
        let answers = try await Deadline.$tracker.withValue(tracker) {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<2_000 {
                    group.addTask { try await withTimeout(.seconds(30)) { n } }
                }
                return try await group.reduce(0, +)
            }
        }
        #expect(answers == (0..<2_000).reduce(0, +))
        #expect(tracker.started == 2_000, "each answer's limit is a Deadline timer")
        #expect(try await Self.drained(tracker) == 0)
    }

    @Test("An answer slower than its limit is still a request.timeout, and its timer is gone too")
    func slowAnswerTimesOut() async throws {
        let tracker = Deadline.Tracker()
        await Deadline.$tracker.withValue(tracker) {
            do {
                _ = try await withTimeout(.milliseconds(20), limit: .seconds(30)) {
                    try await Task.sleep(for: .seconds(60))
                    return 1
                }
                Issue.record("a 60 s answer under a 20 ms limit returned")
            } catch let error as APIError {
                #expect(error.code == "request.timeout")
                #expect(error.message.contains("30 s"), "the message names the configured limit: \(error.message)")
            } catch {
                Issue.record("expected request.timeout, got \(error)")
            }
        }
        #expect(try await Self.drained(tracker) == 0)
    }

    @Test("A cancelled caller stops sleeping at once, its timer cancelled with it")
    func cancelledSleepEnds() async throws {
        let tracker = Deadline.Tracker()
        let sleeper = Task {
            try await Deadline.$tracker.withValue(tracker) { try await Deadline.sleep(for: .seconds(3_600)) }
        }
        try await Task.sleep(for: .milliseconds(20))
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(try await Self.drained(tracker) == 0)
    }
}
