import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// A `NOTIFY` the server delivered to this connection.
public struct Notification: Sendable, Equatable {
    public let channel: String
    public let payload: String

    public init(channel: String, payload: String) {
        self.channel = channel
        self.payload = payload
    }
}

extension Connection {
    /// Subscribes to `channel` (`LISTEN`). The name is an identifier, not a value, so it
    /// cannot be bound: it must be lower-case letters, digits and underscores.
    public func listen(_ channel: String) throws(PostgresError) {
        guard let first = channel.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
            channel.utf8.count <= 63,
            channel.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") })
        else {
            throw PostgresError(kind: .client, message: "channel '\(channel)' is not a plain lower-case identifier")
        }
        try unsafeExecuteScript("LISTEN \(channel)")
    }

    /// Waits up to `timeout` for notifications and returns those that arrived (none when
    /// the time ran out). Throws `.connection` once the server has gone away: a stopped or
    /// restarted server closes the socket, which wakes the wait at once.
    public func notifications(waitingAtMost timeout: Duration) throws(PostgresError) -> [Notification] {
        let handle = try liveHandle()
        var arrived = drain(handle)
        if !arrived.isEmpty { return arrived }
        let socket = PQsocket(handle)
        guard socket >= 0 else { throw lost() }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = poll(&descriptor, 1, milliseconds)
        if ready < 0 {
            if errno == EINTR { return [] }
            throw lost()
        }
        if ready == 0 { return [] }
        // Readable: a notification, an error report, or the end of the connection.
        guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else { throw lost() }
        arrived = drain(handle)
        return arrived
    }

    private func drain(_ handle: OpaquePointer) -> [Notification] {
        var arrived: [Notification] = []
        while let notify = PQnotifies(handle) {
            arrived.append(
                Notification(channel: String(cString: notify.pointee.relname), payload: String(cString: notify.pointee.extra)))
            PQfreemem(notify)
        }
        return arrived
    }

    private func lost() -> PostgresError {
        PostgresError(kind: .connection, message: "connection to PostgreSQL at \(endpoint) was lost")
    }
}
