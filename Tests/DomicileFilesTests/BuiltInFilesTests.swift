import DomicileCore
import DomicileFiles
import DomicileStore
import Foundation
import TestSupport
import Testing

@Suite("Files built into domicile")
struct BuiltInFilesTests {
    /// What the checkout holds that the program reads at run time: every file under schema/
    /// and seeds/ (hidden ones aside) and docs/openapi.yaml, by path from the checkout's top.
    static func filesOnDisk() throws -> [String: [UInt8]] {
        let root = TestDatabase.repositoryRoot
        var files: [String: [UInt8]] = [:]
        for directory in ["schema", "seeds"] {
            let top = root.appendingPathComponent(directory)
            let walker = FileManager.default.enumerator(at: top, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
            while let url = walker?.nextObject() as? URL {
                guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
                let relative = String(url.standardizedFileURL.path.dropFirst(top.standardizedFileURL.path.count + 1))
                files[directory + "/" + relative] = [UInt8](try Data(contentsOf: url))
            }
        }
        files["docs/openapi.yaml"] = [UInt8](try Data(contentsOf: root.appendingPathComponent("docs/openapi.yaml")))
        return files
    }

    @Test("The built-in files are the checkout's schema/, seeds/ and docs/openapi.yaml, byte for byte, none missing, none extra")
    func byteIdentical() throws {
        let disk = try Self.filesOnDisk()
        #expect(disk.keys.contains("seeds/examples/persona.yaml"))
        #expect(disk.keys.contains("seeds/checklists/appi-security-2022.yaml"))
        #expect(Set(BuiltInFiles.all.keys) == Set(disk.keys))
        for (path, bytes) in disk {
            #expect(BuiltInFiles.all[path] == bytes, "\(path) differs from the built-in copy")
        }
    }

    @Test("The built-in migrations are the ones of schema/: same versions, names and checksums")
    func migrations() throws {
        let builtIn = try Migration.load(from: .memory(BuiltInFiles.files(under: "schema"), label: "schema/ built in"))
        let onDisk = try Migration.load(from: TestDatabase.schemaDirectory)
        #expect(!builtIn.isEmpty)
        #expect(builtIn == onDisk)
    }

    @Test("Seeding from the built-in files loads what seeding from seeds/ loads, PERSONA included")
    func seedFromBuiltIn() async throws {
        let seeds = FileSource.memory(BuiltInFiles.files(under: "seeds"), label: "seeds/ built in")
        try await TestDatabase.with(.migrated) { db in
            let store = try db.store()
            let (summary, plan) = try Seeder(files: seeds).load(example: "persona", into: store, actor: "test")
            let rows = summary.reference.mapValues(\.rows)
            #expect(rows["countries"] ?? 0 > 200)
            #expect((plan?.added.count ?? 0) > 0)
            // The same files from the directory now change nothing: they are the same files.
            let (again, examplePlanAgain) = try Seeder(directory: TestDatabase.seedsDirectory).load(example: "persona", into: store, actor: "test")
            #expect(again.reference.mapValues(\.rows) == rows)
            #expect(again.reference.values.allSatisfy { $0.changed == 0 })
            #expect(examplePlanAgain?.isEmpty == true)
        }
    }

    @Test("An unknown example from the built-in files is refused listing the built-in examples")
    func unknownExample() async throws {
        let seeds = FileSource.memory(BuiltInFiles.files(under: "seeds"), label: "seeds/ built in")
        try await TestDatabase.with(.seeded) { db in
            let store = try db.store()
            #expect {
                try Seeder(files: seeds).loadExample("nope", into: store, actor: "test")
            } throws: { error in
                let text = String(describing: error)
                return text.contains("nope") && text.contains("persona") && text.contains("kaede")
            }
        }
    }
}
