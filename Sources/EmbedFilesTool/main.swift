import Foundation

// Usage: EmbedFilesTool PACKAGE_DIR OUTPUT.swift ROOT...
// Writes OUTPUT.swift: an extension of `BuiltInFiles` holding the bytes of every file of each
// ROOT (a file, or a directory: every file below it, hidden ones aside), by path relative to
// PACKAGE_DIR, each as one base64 string literal (string literals compile in a moment where an
// array of bytes would take minutes).
let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: EmbedFilesTool PACKAGE_DIR OUTPUT.swift ROOT...\n".utf8))
    exit(2)
}
let package = URL(fileURLWithPath: arguments[1])
let output = URL(fileURLWithPath: arguments[2])

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("EmbedFilesTool: \(message)\n".utf8))
    exit(1)
}

/// `root` itself when it is a file, else every regular file below it, relative to `package`.
func files(_ root: String) -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: package.appendingPathComponent(root).path, isDirectory: &isDirectory) else {
        fail("\(root) is missing; it is built into domicile")
    }
    guard isDirectory.boolValue else { return [root] }
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: package.appendingPathComponent(root).path) else {
        fail("cannot list \(root)")
    }
    return names.filter { !$0.hasPrefix(".") }.flatMap { files(root + "/" + $0) }
}

var source = """
    // Generated at build time by Plugins/EmbedFiles from the checkout's files; never edit or commit it.

    extension BuiltInFiles {
        static let encoded: [(path: String, base64: String)] = [

    """
for path in arguments.dropFirst(3).flatMap(files).sorted() {
    guard let data = FileManager.default.contents(atPath: package.appendingPathComponent(path).path) else {
        fail("cannot read \(path)")
    }
    // Paths are the checkout's own (letters, digits, -, _, ., /); escape quotes and backslashes anyway.
    let literal = path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    source += "        (\"\(literal)\", \"\(data.base64EncodedString())\"),\n"
}
source += "    ]\n}\n"
// SwiftPM reruns this whenever it relinks the tool; rewriting an unchanged file would
// recompile DomicileFiles each time.
if FileManager.default.contents(atPath: output.path) != Data(source.utf8) {
    do {
        try Data(source.utf8).write(to: output, options: .atomic)
    } catch {
        fail("cannot write \(output.path): \(error)")
    }
}
