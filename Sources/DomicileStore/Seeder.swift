import DomicileCore
import Foundation
import Postgres

/// Loads `seeds/`: reference data (countries, regimes, cloud regions, checklists,
/// categories, purposes) and, on request, an example registry. Idempotent.
public struct Seeder {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func loadReference(into store: Store, actor: String) throws {
        // Filled in with the seeds (issue 3).
    }
}
