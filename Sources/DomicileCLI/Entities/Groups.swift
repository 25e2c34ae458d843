import ArgumentParser
import DomicileCore

// Each group: the options of its kind (named after the fields of docs/registry-format.md,
// with dashes) and the generic add / edit / show / list / end commands.

// MARK: organization

enum OrganizationGroup: EntityGroup {
    static let kind = EntityKind.organization
    static let name = "organization"
    static let listColumns = ["key", "name", "country", "privacy_contact_email"]
    static let addExample = #"domicile organization add assign --name "ASSIGN Inc." --name-ja 株式会社ASSIGN --country JP --privacy-contact-email persona-privacy@a-ssign.com"#
    static let editExample = #"domicile organization edit assign --representative "Taro Yamada, CEO""#
}

struct OrganizationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "organization",
        abstract: "The company itself: the controller named in reports.",
        subcommands: [AddCommand<OrganizationGroup>.self, EditCommand<OrganizationGroup>.self, ShowCommand<OrganizationGroup>.self, ListCommand<OrganizationGroup>.self])
}

// MARK: service

enum ServiceGroup: EntityGroup {
    static let kind = EntityKind.service
    static let name = "service"
    static let listColumns = ["key", "name", "organization", "valid_from", "valid_to"]
    static let addExample = #"domicile service add persona --name PERSONA --organization assign --url https://persona.a-ssign.com --valid-from 2020-04-01"#
    static let editExample = #"domicile service edit PERSONA --owner "Product team""#
}

struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Products and systems that handle personal information.",
        subcommands: [AddCommand<ServiceGroup>.self, EditCommand<ServiceGroup>.self, ShowCommand<ServiceGroup>.self, ListCommand<ServiceGroup>.self, EndCommand<ServiceGroup>.self])
}

// MARK: vendor

enum VendorGroup: EntityGroup {
    static let kind = EntityKind.vendor
    static let name = "vendor"
    static let listColumns = ["key", "legal_name", "kinds", "headquarters", "risk_tier", "valid_to"]
    static let addExample = #"domicile vendor add aws --legal-name "Amazon Web Services, Inc." --aliases AWS,Amazon --kinds cloud_provider --headquarters US --risk-tier high --certifications iso27001,soc2"#
    static let editExample = #"domicile vendor edit AWS --risk-tier critical --dpa-url https://aws.amazon.com/compliance/gdpr-center/"#
}

struct VendorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vendor",
        abstract: "Cloud providers, entrusted partners, third-party and transmission recipients.",
        subcommands: [AddCommand<VendorGroup>.self, EditCommand<VendorGroup>.self, ShowCommand<VendorGroup>.self, ListCommand<VendorGroup>.self, VendorEnd.self])
}

// MARK: residency

enum ResidencyGroup: EntityGroup {
    static let kind = EntityKind.residency
    static let name = "residency"
    static let listColumns = ["key", "service", "vendor", "role", "country", "region", "valid_from", "valid_to"]
    static let addExample = #"domicile residency add persona-aws-tokyo --service persona --vendor aws --role storage --categories user.contact.email,user.name --region aws/ap-northeast-1 --source https://aws.amazon.com/about-aws/global-infrastructure/ --verified-on 2025-04-01 --asserted-by legal@a-ssign.com --valid-from 2020-04-01"#
    static let editExample = #"domicile residency edit persona-aws-tokyo --verified-on 2026-01-15 --source "AWS console, account 1234, region settings""#
}

struct ResidencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "residency",
        abstract: "Where a service's data lives: vendor, role, country or region (or undisclosed), with provenance.",
        subcommands: [AddCommand<ResidencyGroup>.self, EditCommand<ResidencyGroup>.self, ShowCommand<ResidencyGroup>.self, ListCommand<ResidencyGroup>.self, EndCommand<ResidencyGroup>.self])
}

// MARK: transmission

enum TransmissionGroup: EntityGroup {
    static let kind = EntityKind.transmission
    static let name = "transmission"
    static let listColumns = ["key", "service", "tool", "recipient", "information", "purpose", "basis"]
    static let addExample = #"domicile transmission add persona-ga --service persona --tool "Google Analytics" --recipient "Google LLC" --information "Activity on the site,IP address" --purpose "Understanding usage to improve the service" --basis notice --recipient-country US"#
    static let editExample = #"domicile transmission edit persona-ga --basis opt_out --opt-out-url https://tools.google.com/dlpage/gaoptout"#
}

struct TransmissionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transmission",
        abstract: "External transmissions (Telecommunications Business Act Art. 27-12).",
        subcommands: [AddCommand<TransmissionGroup>.self, EditCommand<TransmissionGroup>.self, ShowCommand<TransmissionGroup>.self, ListCommand<TransmissionGroup>.self, EndCommand<TransmissionGroup>.self])
}
