import Foundation

/// The files `domicile` reads at run time, built into it from the checkout (Plugins/EmbedFiles):
/// `schema/*.sql`, everything under `seeds/`, and `docs/openapi.yaml`, byte for byte. Paths are
/// relative to the checkout's top directory, e.g. `seeds/examples/persona.yaml`.
public enum BuiltInFiles {
    /// Every built-in file: path → bytes (decoded once, on first use).
    public static let all: [String: [UInt8]] = Dictionary(
        encoded.map { entry in
            guard let data = Data(base64Encoded: entry.base64) else {
                preconditionFailure("the generated base64 of \(entry.path) does not decode")
            }
            return (entry.path, [UInt8](data))
        },
        uniquingKeysWith: { first, _ in first })

    /// The files below `directory` (e.g. `"seeds"`), with paths relative to it:
    /// `["countries.csv", "examples/persona.yaml", …]`.
    public static func files(under directory: String) -> [String: [UInt8]] {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        var files: [String: [UInt8]] = [:]
        for (path, bytes) in all where path.hasPrefix(prefix) {
            files[String(path.dropFirst(prefix.count))] = bytes
        }
        return files
    }
}
