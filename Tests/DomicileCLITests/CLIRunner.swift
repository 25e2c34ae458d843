import Foundation
import TestSupport

typealias CLIResult = CommandResult

/// The exit-code tests' way to run the binary: `DomicileProcess` with the database taken
/// from `environment`.
enum CLIRunner {
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 120) async throws -> CLIResult {
        try DomicileProcess.run(arguments, databaseURL: environment["DATABASE_URL"], environment: environment, timeout: timeout)
    }
}
