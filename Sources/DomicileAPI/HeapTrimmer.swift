import NIOConcurrencyHelpers
import Postgres

/// Hands the memory a render freed back to the system (`Heap.trim()`), so the server returns
/// to its idle size plus what the cache keeps after a report or a burst of large answers.
///
/// At most one trim per `interval` while renders go on, and one `interval` after the last:
/// a trim walks the heap (milliseconds), which a render of a large answer dwarfs and a
/// cached answer never pays.
final class HeapTrimmer: Sendable {
    /// The server's trimmer.
    static let shared = HeapTrimmer(interval: .seconds(1))

    private struct State {
        var scheduled = false
        var rendersSinceTrim = 0
    }

    let interval: Duration
    private let state = NIOLockedValueBox(State())

    init(interval: Duration) {
        self.interval = interval
    }

    /// A render ended: trim within `interval`.
    func renderEnded() {
        let start = state.withLockedValue { state -> Bool in
            state.rendersSinceTrim += 1
            guard !state.scheduled else { return false }
            state.scheduled = true
            return true
        }
        guard start else { return }
        let interval = self.interval
        Task.detached { [self] in
            while true {
                try? await Task.sleep(for: interval)
                let trim = state.withLockedValue { state -> Bool in
                    guard state.rendersSinceTrim > 0 else {
                        state.scheduled = false
                        return false
                    }
                    state.rendersSinceTrim = 0
                    return true
                }
                guard trim else { return }
                Heap.trim()
            }
        }
    }
}
