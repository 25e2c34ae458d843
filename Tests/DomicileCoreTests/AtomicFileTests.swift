import DomicileCore
import Foundation
import Testing

/// `AtomicFile`: how `report -o FILE` writes a report as it is rendered.
@Suite("Atomic file writes")
struct AtomicFileTests {
    struct SourceFailed: Error {}

    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("Chunks are written to a temporary file renamed over the destination once all are written")
    func writesWhole() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("report.md").path
        try Data("old report\n".utf8).write(to: URL(fileURLWithPath: path))
        var chunks = [Array("# Report\n".utf8), Array("| a | b |\n".utf8), Array("end\n".utf8)][...]
        try AtomicFile.write(to: path) { chunks.popFirst() }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "# Report\n| a | b |\nend\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report.md"])
    }

    @Test("A failure part way (the source of the bytes, e.g. the database going away) leaves the old file as it was and no partial one")
    func failureLeavesNothing() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("report.md").path
        try Data("old report\n".utf8).write(to: URL(fileURLWithPath: path))
        var sent = 0
        #expect(throws: SourceFailed.self) {
            try AtomicFile.write(to: path) {
                sent += 1
                if sent > 2 { throw SourceFailed() }
                return Array(String(repeating: "row\n", count: 10_000).utf8)
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old report\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report.md"], "a temporary file was left")

        // nothing there before: nothing there after
        let fresh = directory.appendingPathComponent("new.md").path
        #expect(throws: SourceFailed.self) { try AtomicFile.write(to: fresh) { throw SourceFailed() } }
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }

    @Test("A directory that does not exist is an error, and nothing is written")
    func unwritable() throws {
        let path = "/nonexistent-\(UUID().uuidString)/report.md"
        #expect(throws: AtomicFile.Failure.self) { try AtomicFile.write(to: path) { nil } }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
