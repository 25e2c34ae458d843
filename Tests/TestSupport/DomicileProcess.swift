import Foundation

/// What one run of the `domicile` executable did.
public struct CommandResult: Sendable, CustomStringConvertible {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// Standard output followed by standard error.
    public var output: String { stdout + stderr }

    public var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    public var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

    public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
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

    /// Runs `domicile ARGUMENTS` in `directory` (default: the checkout's top) with a clean
    /// environment: no inherited `DATABASE_URL`, `PG*` or `DOMICILE_*` variables, but
    /// `DATABASE_URL` = `databaseURL` when given, `DOMICILE_HOME` at the checkout,
    /// `DOMICILE_ACTOR=test`, then `environment`. Killed after `timeout` seconds.
    /// `executable` runs another copy of the program than `binary()`.
    public static func run(
        _ arguments: [String], databaseURL: String?, environment extra: [String: String] = [:],
        directory: URL = TestDatabase.repositoryRoot, timeout: Double = 120, executable: URL? = nil
    ) throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            key != "DATABASE_URL" && !key.hasPrefix("PG") && !key.hasPrefix("DOMICILE_")
        }
        environment["DATABASE_URL"] = databaseURL
        environment["DOMICILE_HOME"] = TestDatabase.repositoryRoot.path
        environment["DOMICILE_ACTOR"] = "test"
        environment.merge(extra) { _, new in new }

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("domicile-run-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = try executable ?? binary()
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        try out.close()
        try err.close()
        return CommandResult(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
