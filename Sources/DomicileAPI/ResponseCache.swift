import DomicileCore
import NIOConcurrencyHelpers
import NIOCore

/// What an answer is for: the route and each of its parameters, decoded. Never text built
/// from the request, so `?category=a%26vendor%3Db` (one parameter) and
/// `?category=a&vendor=b` (two) are different keys, and parameter order does not matter.
public struct CacheKey: Hashable, Sendable {
    /// The route as documented: `/v1/vendors/{id}`.
    public var route: String
    /// Path parameters, percent-decoded.
    public var path: [String: String]
    /// Query parameters, percent-decoded (each at most once: a repeated one is a 400).
    public var query: [String: String]

    public init(route: String, path: [String: String] = [:], query: [String: String] = [:]) {
        self.route = route
        self.path = path
        self.query = query
    }

    /// Bytes the key takes in memory, roughly.
    var cost: Int {
        route.utf8.count + (path.map { $0.key.utf8.count + $0.value.utf8.count + 32 }.reduce(0, +))
            + (query.map { $0.key.utf8.count + $0.value.utf8.count + 32 }.reduce(0, +))
    }
}

/// Rendered answers kept in memory for one registry revision and one day (answers default
/// to "as of today"): a newer revision or another day empties it, so nothing stale is served
/// and nothing needs invalidating by hand.
///
/// Bounded in bytes (`capacityBytes`, every variant's body and key counted) and in entries;
/// when full, the least recently used answers go first. An answer larger than the whole
/// budget is served but not kept.
///
/// One render per answer: requests for an answer that is being rendered wait for that
/// render (`answer(for:revision:day:deadline:render:)`) instead of rendering it again.
public final class ResponseCache: Sendable {
    /// Bytes counted for an entry besides its body and key (bookkeeping, headers' text).
    static let entryOverhead = 256

    private struct Entry {
        var rendered: Rendered
        var cost: Int
        var tick: UInt64
    }

    private struct State {
        var revision: Int64 = -1
        var day: Day?
        var entries: [CacheKey: Entry] = [:]
        /// Keys in order of use, oldest first, with the tick of that use; a key used again is
        /// appended again and its older places are skipped when they come up.
        var order: [(key: CacheKey, tick: UInt64)] = []
        var orderStart = 0
        var tick: UInt64 = 0
        var bytes = 0
        var flights: [FlightKey: Task<Rendered, any Error>] = [:]
        var hits = 0
        var renders = 0
        var evictions = 0
    }

    private struct FlightKey: Hashable {
        let key: CacheKey
        let revision: Int64
        let day: Day
    }

    /// The byte budget.
    public let capacityBytes: Int
    /// The most answers kept.
    public let capacityEntries: Int
    private let state = NIOLockedValueBox(State())

    public init(capacityBytes: Int, capacityEntries: Int = 100_000) {
        self.capacityBytes = max(0, capacityBytes)
        self.capacityEntries = max(0, capacityEntries)
    }

    /// Counters, for tests and the operator.
    public struct Statistics: Sendable, Equatable {
        /// Answers served from memory.
        public var hits: Int
        /// Answers rendered (a render shared by waiting requests counts once).
        public var renders: Int
        /// Answers dropped to stay within the budget.
        public var evictions: Int
        /// Answers kept now, and the bytes they are counted as.
        public var entries: Int
        public var bytes: Int
    }

    public var statistics: Statistics {
        state.withLockedValue { state in
            Statistics(hits: state.hits, renders: state.renders, evictions: state.evictions, entries: state.entries.count, bytes: state.bytes)
        }
    }

    /// The kept answer, if it is of `revision` and `day`; a hit counts as a use.
    func get(_ key: CacheKey, revision: Int64, day: Day) -> Rendered? {
        state.withLockedValue { state in
            guard state.revision == revision, state.day == day, var entry = state.entries[key] else { return nil }
            state.tick &+= 1
            entry.tick = state.tick
            state.entries[key] = entry
            state.order.append((key, state.tick))
            Self.compact(&state)
            state.hits += 1
            return entry.rendered
        }
    }

    /// Keeps `rendered` if it is of the newest revision seen; an older one is dropped.
    func put(_ key: CacheKey, _ rendered: Rendered, day: Day) {
        let cost = Self.cost(of: rendered.content.body) + key.cost + Self.entryOverhead
        // A streamed report is kept by its response once sent, as bytes (`RegistryAnswers.streamed`).
        guard capacityEntries > 0, cost <= capacityBytes, rendered.content.chunks == nil else { return }
        state.withLockedValue { state in
            if rendered.revision > state.revision || state.day != day {
                let counters = (state.hits, state.renders, state.evictions, state.flights)
                state = State(revision: rendered.revision, day: day)
                (state.hits, state.renders, state.evictions, state.flights) = counters
            }
            guard rendered.revision == state.revision else { return }
            if let old = state.entries.removeValue(forKey: key) { state.bytes -= old.cost }
            while state.bytes + cost > capacityBytes || state.entries.count >= capacityEntries {
                guard Self.evictOldest(&state) else { break }
            }
            state.tick &+= 1
            state.entries[key] = Entry(rendered: rendered, cost: cost, tick: state.tick)
            state.order.append((key, state.tick))
            state.bytes += cost
            Self.compact(&state)
        }
    }

    /// The bytes a kept body holds: its storage, not only what it shows (a slice of a larger
    /// buffer keeps the whole buffer alive).
    static func cost(of body: ByteBuffer) -> Int {
        max(body.readableBytes, body.capacity, body.storageCapacity)
    }

    private static func evictOldest(_ state: inout State) -> Bool {
        while state.orderStart < state.order.count {
            let (key, tick) = state.order[state.orderStart]
            state.orderStart += 1
            guard let entry = state.entries[key], entry.tick == tick else { continue }
            state.entries[key] = nil
            state.bytes -= entry.cost
            state.evictions += 1
            return true
        }
        return false
    }

    /// Drops the used-up front of `order` and stale places, so it stays proportional to the entries.
    private static func compact(_ state: inout State) {
        guard state.order.count > 64, state.order.count > 2 * state.entries.count + 64 || state.orderStart > state.order.count / 2 else { return }
        state.order = state.order[state.orderStart...].filter { state.entries[$0.key]?.tick == $0.tick }
        state.orderStart = 0
    }

    /// The answer for `key` at `revision`: from memory, else from a render already running
    /// for it, else from `render` (run once, whoever waits for it). Each caller waits at most
    /// until `deadline` (then `request.timeout`); the render itself is given `limit`.
    /// A streamed report (`Rendered.Content.chunks`) that fits the budget, rendered whole:
    /// kept, and shared by every request that came meanwhile, so a burst renders it once.
    /// One larger than the budget stays streamed, rendered again for each request, whatever
    /// its size never held whole (the part rendered to find out is dropped).
    private func whole(_ rendered: Rendered) -> Rendered {
        guard var chunks = rendered.content.chunks else { return rendered }
        var body = ByteBuffer()
        while let chunk = chunks.next() {
            guard body.readableBytes + chunk.count <= capacityBytes else { return rendered }
            body.writeBytes(chunk)
        }
        var content = rendered.content
        content.chunks = nil
        content.body = body
        return Rendered(revision: rendered.revision, content: content)
    }

    func answer(
        for key: CacheKey, revision: Int64, day: Day, deadline: ContinuousClock.Instant, limit: Duration,
        render: @escaping @Sendable () async throws -> Rendered
    ) async throws -> Rendered {
        if let cached = get(key, revision: revision, day: day) { return cached }
        let flightKey = FlightKey(key: key, revision: revision, day: day)
        let task: Task<Rendered, any Error> = state.withLockedValue { state in
            if let running = state.flights[flightKey] { return running }
            state.renders += 1
            let task = Task<Rendered, any Error> { [self] in
                defer { _ = self.state.withLockedValue { $0.flights.removeValue(forKey: flightKey) } }
                let rendered = try await withTimeout(limit) { [self] in self.whole(try await render()) }
                self.put(key, rendered, day: day)
                return rendered
            }
            state.flights[flightKey] = task
            return task
        }
        return try await withTimeout(deadline - .now, limit: limit) { try await task.value }
    }
}
