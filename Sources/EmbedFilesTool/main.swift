import Foundation

// Usage: EmbedFilesTool PACKAGE_DIR OUTPUT.swift RELATIVE_PATH...
// Writes OUTPUT.swift: an extension of `BuiltInFiles` holding each file's bytes as one base64
// string literal (string literals compile in a moment where an array of bytes would take minutes).
let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: EmbedFilesTool PACKAGE_DIR OUTPUT.swift RELATIVE_PATH...\n".utf8))
    exit(2)
}
let package = URL(fileURLWithPath: arguments[1])
let output = URL(fileURLWithPath: arguments[2])

var source = """
    // Generated at build time by Plugins/EmbedFiles from the checkout's files; never edit or commit it.

    extension BuiltInFiles {
        static let encoded: [(path: String, base64: String)] = [

    """
for path in arguments.dropFirst(3) {
    guard let data = FileManager.default.contents(atPath: package.appendingPathComponent(path).path) else {
        FileHandle.standardError.write(Data("EmbedFilesTool: cannot read \(path)\n".utf8))
        exit(1)
    }
    // Paths are the checkout's own (letters, digits, -, _, ., /); escape quotes and backslashes anyway.
    let literal = path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    source += "        (\"\(literal)\", \"\(data.base64EncodedString())\"),\n"
}
source += "    ]\n}\n"
do {
    try Data(source.utf8).write(to: output, options: .atomic)
} catch {
    FileHandle.standardError.write(Data("EmbedFilesTool: cannot write \(output.path): \(error)\n".utf8))
    exit(1)
}
