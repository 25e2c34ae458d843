import Foundation
import TestSupport

/// What one run of the `domicile` binary did.
struct CLIResult: Sendable, CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String

    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

struct CLIRunnerError: Error, CustomStringConvertible {
    let description: String
}

/// Runs the built `domicile` executable as a subprocess, the way a user or script would.
enum CLIRunner {
    /// `DOMICILE_BIN`, else `domicile` next to the test bundle (SwiftPM puts both in the build directory).
    static func binary() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["DOMICILE_BIN"], !path.isEmpty { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]))
        for executable in candidates {
            var directory = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            // On macOS the test binary sits inside a .xctest bundle (…/x.xctest/Contents/MacOS/x).
            while directory.pathExtension == "xctest" || ["MacOS", "Contents"].contains(directory.lastPathComponent)
                || directory.path.contains(".xctest/")
            {
                directory.deleteLastPathComponent()
            }
            let binary = directory.appendingPathComponent("domicile")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        throw CLIRunnerError(description: "cannot find the domicile binary near \(candidates.map(\.path)); build it or set DOMICILE_BIN")
    }

    /// Runs `domicile arguments…` with a clean environment: no inherited DATABASE_URL or PG* variables,
    /// DOMICILE_HOME at the checkout, plus `environment`. Kills it after `timeout` seconds.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], timeout: Double = 120
    ) async throws -> CLIResult {
        var env = ProcessInfo.processInfo.environment.filter { key, _ in
            key != "DATABASE_URL" && !key.hasPrefix("PG") && !key.hasPrefix("DOMICILE_")
        }
        env["DOMICILE_HOME"] = TestDatabase.repositoryRoot.path
        env.merge(environment) { _, new in new }

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("domicile-cli-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.environment = env
        process.currentDirectoryURL = scratch
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err

        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        }
        try out.close()
        try err.close()
        return CLIResult(
            status: status,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
