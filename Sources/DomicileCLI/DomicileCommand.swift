import ArgumentParser

/// The `domicile` root command: it only dispatches.
public struct DomicileCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "domicile",
        abstract: "A data-residency and vendor registry on PostgreSQL.",
        discussion: """
            Connection: --database-url, else DATABASE_URL, else libpq's PG* variables (as psql).
            Exit codes: 0 ok, 1 findings or failure, 2 bad input (nothing written), 3 database unavailable.
            """,
        version: DomicileCommand.version,
        subcommands: [
            Migrate.self, Seed.self, Import.self, Export.self,
            OrganizationCommand.self, ServiceCommand.self, VendorCommand.self, ResidencyCommand.self,
            EntrustCommand.self, ProvisionCommand.self, TransmissionCommand.self, AssessCommand.self,
            Where.self, Diff.self, Check.self,
            Due.self, EvidenceCommand.self,
            CountryCommand.self, RegionCommand.self, ChecklistCommand.self, CategoryCommand.self, PurposeCommand.self, Audit.self,
            Report.self,
            TokenCommand.self, Serve.self, DbCommand.self,
        ]
    )

    /// What `domicile --version` prints.
    public static let version = "0.1.0"

    public init() {}
}
