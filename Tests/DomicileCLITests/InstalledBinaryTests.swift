import Foundation
import TestSupport
import Testing

/// The executable copied out of the checkout is an installation: it migrates, seeds and
/// reports from the files built into it, whatever the working directory.
@Suite("domicile copied out of the checkout")
struct InstalledBinaryTests {
    /// Runs a copy of the built executable, placed in an empty directory outside the checkout,
    /// from that directory, with `DOMICILE_HOME` empty (nothing points back at the checkout).
    static func runCopy(_ arguments: [String], in directory: URL, databaseURL: String?, environment extra: [String: String] = [:]) throws -> CommandResult {
        let copy = directory.appendingPathComponent("domicile")
        if !FileManager.default.fileExists(atPath: copy.path) {
            try FileManager.default.copyItem(at: try DomicileProcess.binary(), to: copy)
        }
        return try DomicileProcess.run(
            arguments, databaseURL: databaseURL, environment: ["DOMICILE_HOME": ""].merging(extra) { _, new in new },
            directory: directory, executable: copy)
    }

    static func withEmptyDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("domicile-installed-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(!directory.path.hasPrefix(TestDatabase.repositoryRoot.path))
        return try await body(directory)
    }

    @Test("A copy in an empty directory migrates, seeds PERSONA and reports as the checkout's build does")
    func migrateSeedReport() async throws {
        try await Self.withEmptyDirectory { directory in
            try await TestDatabase.withEmpty { copied in
                try await TestDatabase.withEmpty { checkout in
                    for arguments in [["migrate"], ["seed", "--example", "persona"]] {
                        let result = try Self.runCopy(arguments, in: directory, databaseURL: copied.url)
                        #expect(result.status == 0, "\(arguments): \(result)")
                        let reference = try DomicileProcess.run(arguments, databaseURL: checkout.url)
                        #expect(reference.status == 0, "\(arguments): \(reference)")
                        #expect(result.stdout == reference.stdout, "\(arguments): the copy printed \(result.stdout), the checkout's build \(reference.stdout)")
                    }
                    let status = try Self.runCopy(["migrate", "--status"], in: directory, databaseURL: copied.url)
                    #expect(status.status == 0 && !status.stdout.contains("pending") && !status.stdout.contains("CHANGED"), "\(status)")
                    let report = ["report", "residency", "--as-of", "2025-04-01", "--format", "json"]
                    let epoch = ["SOURCE_DATE_EPOCH": "1767225600"]
                    let fromCopy = try Self.runCopy(report, in: directory, databaseURL: copied.url, environment: epoch)
                    let fromCheckout = try DomicileProcess.run(report, databaseURL: checkout.url, environment: epoch)
                    #expect(fromCopy.status == 0, "\(fromCopy)")
                    #expect(fromCopy.stdout.contains("aws"), "\(fromCopy)")
                    #expect(fromCopy.stdout == fromCheckout.stdout)
                }
            }
        }
    }

    @Test("DOMICILE_HOME still overrides the built-in files: one without schema/ is refused, naming it, exit 2")
    func homeOverrides() async throws {
        try await Self.withEmptyDirectory { directory in
            let result = try Self.runCopy(
                ["migrate"], in: directory, databaseURL: "postgresql://postgres@127.0.0.1:1/domicile",
                environment: ["DOMICILE_HOME": directory.path])
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains(directory.appendingPathComponent("schema").path), "\(result)")
        }
    }

    @Test("--seeds-dir still overrides the built-in seeds: an empty directory is refused naming a missing seed file")
    func seedsDirOverrides() async throws {
        try await Self.withEmptyDirectory { directory in
            try await TestDatabase.with(.migrated) { db in
                let result = try Self.runCopy(["seed", "--seeds-dir", directory.path], in: directory, databaseURL: db.url)
                #expect(result.status == 2, "\(result)")
                #expect(result.stderr.contains(directory.path), "\(result)")
            }
        }
    }
}
