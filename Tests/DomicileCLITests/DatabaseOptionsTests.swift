import Foundation
import TestSupport
import Testing

/// Every command reaches the database through one option group, `DatabaseOptions`: the same
/// options, with the same help, everywhere.
@Suite("domicile database options")
struct DatabaseOptionsTests {
    /// The subcommand names listed under SUBCOMMANDS in a help text (the first of any aliases).
    static func subcommands(_ help: String) -> [String] {
        guard let start = help.range(of: "SUBCOMMANDS:\n") else { return [] }
        return help[start.upperBound...].split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  "), !line.hasPrefix("   "), !line.contains("See '") else { return nil }
            return line.dropFirst(2).split(separator: " ").first.map { String($0.split(separator: ",")[0]) }
        }
    }

    /// The help of `option` in the OPTIONS block: its line and the lines continuing it.
    static func optionHelp(_ option: String, in help: String) -> String? {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        guard let index = lines.firstIndex(where: { $0.hasPrefix("  " + option + " ") }) else { return nil }
        var block = [lines[index]]
        for line in lines[(index + 1)...] {
            guard line.hasPrefix("                          ") else { break }
            block.append(line)
        }
        return block.joined(separator: "\n")
    }

    @Test("Every command takes --database-url and --schema-dir, with the same help everywhere")
    func everyCommandSharesThem() throws {
        var pending = [[String]()]
        var leaves: [[String]: String] = [:]
        while let command = pending.popLast() {
            let result = try DomicileProcess.run(command + ["--help"], databaseURL: nil)
            #expect(result.status == 0, "\(command): \(result)")
            let children = Self.subcommands(result.stdout)
            if children.isEmpty { leaves[command] = result.stdout } else { pending += children.map { command + [$0] } }
        }
        #expect(leaves.count > 40, "\(leaves.keys.sorted { $0.joined(separator: " ") < $1.joined(separator: " ") })")
        #expect(leaves.keys.contains(["vendor", "add"]) && leaves.keys.contains(["serve"]) && leaves.keys.contains(["migrate"]))
        for option in ["--database-url", "--schema-dir"] {
            var texts: [String: [String]] = [:]
            for (command, help) in leaves {
                let text = Self.optionHelp(option, in: help)
                #expect(text != nil, "domicile \(command.joined(separator: " ")) lacks \(option)")
                if let text { texts[text, default: []].append(command.joined(separator: " ")) }
            }
            #expect(texts.count == 1, "\(option) is described differently: \(texts)")
        }
    }
}
