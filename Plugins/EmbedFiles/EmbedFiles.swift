import Foundation
import PackagePlugin

/// Builds the files `domicile` reads at run time into it: every migration of `schema/`, every
/// file under `seeds/` and `docs/openapi.yaml`, so that the one executable is an installation.
/// The files stay where they are (the single source); `EmbedFilesTool` turns them into a Swift
/// source in the plugin's work directory at build time, rebuilt whenever one of them changes.
@main
struct EmbedFiles: BuildToolPlugin {
    /// What is built in: directories (every file below, recursively) and single files, relative
    /// to the package's top directory.
    static let roots = ["schema", "seeds", "docs/openapi.yaml"]

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let package = context.package.directoryURL
        var files: [String] = []
        for root in Self.roots {
            files += try Self.files(root, in: package)
        }
        files.sort()
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("BuiltInFiles+Contents.swift")
        return [
            .buildCommand(
                displayName: "Embedding schema/, seeds/ and docs/openapi.yaml (\(files.count) files) in \(target.name)",
                executable: try context.tool(named: "EmbedFilesTool").url,
                arguments: [package.path, output.path] + files,
                inputFiles: files.map { package.appendingPathComponent($0) },
                outputFiles: [output])
        ]
    }

    /// `root` itself when it is a file, else every regular file below it (hidden ones skipped),
    /// as paths relative to `package`.
    static func files(_ root: String, in package: URL) throws -> [String] {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        let url = package.appendingPathComponent(root)
        guard fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw EmbedFilesError("\(url.path) is missing; it is built into domicile")
        }
        guard isDirectory.boolValue else { return [root] }
        var found: [String] = []
        for name in try fileManager.contentsOfDirectory(atPath: url.path) where !name.hasPrefix(".") {
            found += try files(root + "/" + name, in: package)
        }
        return found
    }
}

struct EmbedFilesError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
