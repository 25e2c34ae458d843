import ArgumentParser
import DomicileCore
import DomicileStore
import Foundation
import Postgres

/// Process entry: parse, run, and turn every error into a message and an exit code.
/// 0 ok, 1 findings or failure, 2 bad input (nothing written), 3 database unavailable.
public enum DomicileMain {
    /// Issues printed for one failed command; the rest are counted.
    static let maximumPrintedIssues = 100

    public static func run(_ arguments: [String]) -> Int32 {
        let command: ParsableCommand
        do {
            command = try DomicileCommand.parseAsRoot(arguments)
        } catch {
            let code = DomicileCommand.exitCode(for: error)
            let message = DomicileCommand.fullMessage(for: error)
            if code == .success {
                print(message)
                return 0
            }
            printError(message)
            return 2
        }
        do {
            var command = command
            try command.run()
            return 0
        } catch {
            return report(error)
        }
    }

    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let error as InputError:
            for issue in error.issues.prefix(maximumPrintedIssues) { printError("error: " + TerminalText.escaped("\(issue)")) }
            let rest = error.count - min(error.issues.count, maximumPrintedIssues)
            if rest > 0 { printError("… and \(rest) more error(s) not shown") }
            if error.count > 1 { printError("\(error.count) errors; nothing was written") }
            return 2
        case let error as Issue:
            printError("error: " + TerminalText.escaped("\(error)"))
            return 2
        case let error as StoreError:
            printError("error: \(error)")
            return 2
        case let error as PostgresError where error.kind == .connection:
            printError("error: \(error.message)")
            return 3
        case let error as PostgresError:
            printError("error: \(error.message)" + (error.detail.map { " (\($0))" } ?? ""))
            return error.isIntegrityViolation ? 2 : 1
        case let error as ExitCode:
            return error.rawValue
        default:
            // Argument-parser's own errors, including help requested from a subcommand.
            let code = DomicileCommand.exitCode(for: error)
            let message = DomicileCommand.fullMessage(for: error)
            if code == .success {
                print(message)
                return 0
            }
            printError(message.hasPrefix("Error:") || message.hasPrefix("error:") ? message : "error: \(message)")
            return code == .validationFailure ? 2 : 1
        }
    }
}

/// Writes `message` to standard error, control characters other than line breaks shown escaped.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((TerminalText.escaped(message, keepingNewlines: true) + "\n").utf8))
}
