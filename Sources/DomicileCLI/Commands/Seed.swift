import ArgumentParser
import DomicileStore
import Foundation

struct Seed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load reference data, and optionally an example registry.",
        discussion: """
            Loads seeds/: every ISO 3166-1 country with English and Japanese names and the
            regime facts (with source and confidence), cloud regions, the checklist templates
            appi-security-2022 and appi-entrustee-supervision, and the common data categories
            and purposes. Reference data is brought up to date with seeds/; categories,
            purposes and the example are only added where missing, so running it again keeps
            what people have edited since.

            Examples:
              domicile seed
              domicile seed --example persona
              domicile seed --example kaede    # a group of two organizations
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions

    @Option(help: ArgumentHelp("Also load seeds/examples/NAME.yaml: persona, or kaede (two organizations).", valueName: "name"))
    var example: String?

    @Option(name: .customLong("seeds-dir"), help: ArgumentHelp("Directory of seed files (default: the seeds/ built into domicile).", valueName: "dir"))
    var seedsDirectory: String?

    func run() throws {
        let store = try database.migratedStore()
        let seeder = Seeder(files: try ResourceLocator.tree("seeds", override: seedsDirectory))
        // One transaction for the reference data and the example.
        let (summary, examplePlan) = try seeder.load(example: example, into: store, actor: actor.resolved)
        let counts = summary.reference.sorted { $0.key < $1.key }.map { "\($0.value.rows) \($0.key)" }.joined(separator: ", ")
        let changed = summary.reference.values.reduce(0) { $0 + $1.changed }
        print("reference data: \(counts); \(changed) row(s) added or changed")
        print("categories and purposes: \(summary.registry.summary)")
        if let example, let examplePlan {
            print("example \(example): \(examplePlan.summary)")
        }
    }
}
