import Foundation
import PackagePlugin

/// Builds the files `domicile` reads at run time into it: every migration of `schema/`, every
/// file under `seeds/` and `docs/openapi.yaml`, so that the one executable is an installation.
/// The files stay where they are (the single source); `EmbedFilesTool` turns them into a Swift
/// source in the plugin's work directory at build time.
@main
struct EmbedFiles: BuildToolPlugin {
    /// What is built in, relative to the package's top directory: directories (every file
    /// below, recursively, hidden ones aside) and single files.
    static let roots = ["schema", "seeds", "docs/openapi.yaml"]

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let package = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("BuiltInFiles+Contents.swift")
        // SwiftPM plans this once and keeps the plan while the package is unchanged, so the tool
        // lists the directories itself when it runs, and the directories are inputs beside the
        // files: a file added to or removed from one changes its modification time and reruns it.
        var inputs: [URL] = []
        for root in Self.roots {
            let url = package.appendingPathComponent(root)
            inputs.append(url)
            let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
            while let found = walker?.nextObject() as? URL { inputs.append(found) }
        }
        return [
            .buildCommand(
                displayName: "Embedding schema/, seeds/ and docs/openapi.yaml in \(target.name)",
                executable: try context.tool(named: "EmbedFilesTool").url,
                arguments: [package.path, output.path] + Self.roots,
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
