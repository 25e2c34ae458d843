import Foundation

/// What one run of the `domicile` executable did.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// Standard output followed by standard error.
    public var output: String { stdout + stderr }
}

/// Runs the built `domicile` executable as a user would: a separate process with its own
/// environment, exit status and output streams.
public enum DomicileProcess {
    /// The executable: `DOMICILE_BIN`, else `domicile` beside the test bundle, else the
    /// checkout's debug build.
    public static func binary() throws -> URL {
        let fileManager = FileManager.default
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["DOMICILE_BIN"], !explicit.isEmpty {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("domicile"))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("domicile"))
        candidates.append(TestDatabase.repositoryRoot.appendingPathComponent(".build/debug/domicile"))
        for candidate in candidates where fileManager.isExecutableFile(atPath: candidate.path) {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
        }
        throw TestDatabaseError("cannot find the domicile executable (looked at \(candidates.map(\.path))); build it or set DOMICILE_BIN")
    }

    /// Runs `domicile ARGUMENTS` in the checkout's top directory against `databaseURL`.
    public static func run(
        _ arguments: [String], databaseURL: String?, environment extra: [String: String] = [:],
        directory: URL = TestDatabase.repositoryRoot
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = databaseURL
        environment["DOMICILE_HOME"] = TestDatabase.repositoryRoot.path
        environment["DOMICILE_ACTOR"] = environment["DOMICILE_ACTOR"] ?? "test"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("domicile-run-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return CommandResult(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
