import DomicileCore
import NIOConcurrencyHelpers

/// Rendered answers kept in memory for one registry revision (and one day, since answers
/// default to "as of today"). A newer revision empties the cache, so nothing stale is
/// served and nothing needs invalidating by hand. Bounded: when full, it starts over.
final class ResponseCache: Sendable {
    private struct State {
        var revision: Int64 = -1
        var day: Day?
        var entries: [String: Rendered] = [:]
    }

    private let capacity: Int
    private let state = NIOLockedValueBox(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    func get(_ key: String, revision: Int64, day: Day) -> Rendered? {
        state.withLockedValue { state in
            guard state.revision == revision, state.day == day else { return nil }
            return state.entries[key]
        }
    }

    /// Keeps `rendered` if it is of the newest revision seen; an older one is dropped.
    func put(_ key: String, _ rendered: Rendered, day: Day) {
        guard capacity > 0 else { return }
        state.withLockedValue { state in
            if rendered.revision > state.revision || state.day != day {
                state = State(revision: rendered.revision, day: day)
            }
            guard rendered.revision == state.revision else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = rendered
        }
    }
}
