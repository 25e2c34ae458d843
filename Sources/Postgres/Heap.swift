import CLibPQ
import Foundation

/// The C allocator's settings for a long-running server (glibc's malloc, which Swift and
/// libpq allocate with).
///
/// Left alone, glibc gives every thread that allocates at once an arena of its own (up to
/// eight per core), grows its mmap threshold after a large block is freed (so later large
/// blocks come from an arena, not from mmap), and returns an arena's memory to the system
/// only from its top. A server that renders a large answer on one thread and the next on
/// another then keeps the peak of each: the resident size after a report stayed at several
/// times the idle size. `configureForServer()` fixes the arenas and the threshold, and
/// `trim()` hands free pages back after a large answer.
public enum Heap {
    /// Arenas at most: libpq calls run on the pool's threads, rendering on Swift's and
    /// NIO's; two arenas keep contention low on the lock and the heap in few places.
    public static let arenas: Int32 = 2
    /// Blocks of this size or more are mapped on their own and unmapped when freed
    /// (glibc's default, fixed: it no longer rises after a large free).
    public static let mmapThreshold: Int32 = 128 * 1024

    /// Whether glibc's defaults were asked for (`DOMICILE_HEAP=glibc` in the environment):
    /// then the settings are left alone and `trim()` does nothing, to compare or to diagnose.
    public static let keepsDefaults = ProcessInfo.processInfo.environment["DOMICILE_HEAP"] == "glibc"

    /// Call once, before threads start. Settings the operator gave glibc in its own
    /// environment variables (`MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_`) win.
    public static func configureForServer(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard !keepsDefaults else { return }
        if environment["MALLOC_ARENA_MAX"] == nil { _ = mallopt(M_ARENA_MAX, arenas) }
        if environment["MALLOC_MMAP_THRESHOLD_"] == nil {
            // Fixing the mmap threshold also fixes the trim threshold (glibc ties them).
            _ = mallopt(M_MMAP_THRESHOLD, mmapThreshold)
            _ = mallopt(M_TRIM_THRESHOLD, 2 * mmapThreshold)
        }
    }

    /// Returns the free pages of every arena to the system (`malloc_trim(0)`): what a large
    /// answer's rendering left behind. Costs a walk of the heap (milliseconds); call it after
    /// large work, not per request.
    public static func trim() {
        guard !keepsDefaults else { return }
        _ = malloc_trim(0)
    }
}
