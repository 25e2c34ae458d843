import Foundation

/// Where a tree of files the program reads comes from (the migrations of `schema/`, the seed
/// files of `seeds/`): a directory on disk, or files built into the program.
public struct FileSource: Sendable {
    enum Storage: Sendable {
        case directory(URL)
        case memory([String: [UInt8]], label: String)
    }

    let storage: Storage

    /// The files of `url` (read when asked for).
    public static func directory(_ url: URL) -> FileSource {
        FileSource(storage: .directory(url))
    }

    /// Files held in memory, by path relative to the tree's top (`examples/persona.yaml`);
    /// `label` names the tree in messages (`seeds/ built into domicile`).
    public static func memory(_ files: [String: [UInt8]], label: String) -> FileSource {
        FileSource(storage: .memory(files, label: label))
    }

    /// The directory on disk, when the files are read from one.
    public var directory: URL? {
        if case .directory(let url) = storage { return url }
        return nil
    }

    /// The bytes of `path` (relative to the top), or `nil` when there is no such file.
    public func contents(_ path: String) -> [UInt8]? {
        switch storage {
        case .directory(let url):
            return FileManager.default.contents(atPath: url.appendingPathComponent(path).path).map { [UInt8]($0) }
        case .memory(let files, _):
            return files[path]
        }
    }

    /// The names of the files directly in `folder` ("" for the top), sorted; throws when the
    /// folder cannot be read.
    public func names(in folder: String) throws -> [String] {
        switch storage {
        case .directory(let url):
            let directory = folder.isEmpty ? url : url.appendingPathComponent(folder)
            return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        case .memory(let files, _):
            let prefix = folder.isEmpty ? "" : folder + "/"
            let names = files.keys.filter { $0.hasPrefix(prefix) }.map { $0.dropFirst(prefix.count) }.filter { !$0.contains("/") }
            guard !names.isEmpty else {
                throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: describe(folder)])
            }
            return names.map(String.init).sorted()
        }
    }

    /// `path` as a message names it: the file's path on disk, or the path within the built-in tree.
    public func describe(_ path: String) -> String {
        switch storage {
        case .directory(let url):
            return path.isEmpty ? url.path : url.appendingPathComponent(path).path
        case .memory(_, let label):
            return path.isEmpty ? label : path + " (" + label + ")"
        }
    }
}
