import DomicileStore
import Foundation

/// Loads the reference seeds into a template database.
enum TestSeeds {
    static func load(into store: Store) throws {
        try Seeder(directory: TestDatabase.seedsDirectory).loadReference(into: store, actor: "test-template")
    }
}
