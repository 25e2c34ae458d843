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

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var schema: SchemaOptions
    @OptionGroup var actor: ActorOptions

    @Option(help: ArgumentHelp("Also load seeds/examples/NAME.yaml: persona, or kaede (two organizations).", valueName: "name"))
    var example: String?

    @Option(name: .customLong("seeds-dir"), help: ArgumentHelp("Directory of seed files (default: seeds/ of the checkout).", valueName: "dir"))
    var seedsDirectory: String?

    func run() throws {
        let store = try connection.migratedStore(schema: schema)
        let directory = try seedsDirectory.map { URL(fileURLWithPath: $0) } ?? ResourceLocator.directory("seeds")
        let seeder = Seeder(directory: directory)
        let summary = try seeder.loadReference(into: store, actor: actor.resolved)
        let counts = summary.reference.sorted { $0.key < $1.key }.map { "\($0.value.rows) \($0.key)" }.joined(separator: ", ")
        let changed = summary.reference.values.reduce(0) { $0 + $1.changed }
        print("reference data: \(counts); \(changed) row(s) added or changed")
        print("categories and purposes: \(summary.registry.summary)")
        if let example {
            let plan = try seeder.loadExample(example, into: store, actor: actor.resolved)
            print("example \(example): \(plan.summary)")
        }
    }
}
