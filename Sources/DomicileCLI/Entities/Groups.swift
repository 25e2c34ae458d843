import ArgumentParser
import DomicileCore

// Each group: the options of its kind (named after the fields of docs/registry-format.md,
// with dashes) and the generic add / edit / show / list / end commands.

// MARK: organization

struct OrganizationFields: EntityFields {
    @Option(help: "Legal name as published.") var name: String?
    @Option(name: .customLong("name-ja"), help: "Japanese name.") var nameJa: String?
    @Option(help: "Country of establishment (ISO 3166-1 alpha-2, e.g. JP).") var country: String?
    @Option(help: "Postal address.") var address: String?
    @Option(help: "Representative's name and title.") var representative: String?
    @Option(name: .customLong("privacy-contact-name"), help: "Name of the complaints and consultations desk.") var privacyContactName: String?
    @Option(name: .customLong("privacy-contact-email"), help: "Its e-mail address.") var privacyContactEmail: String?
    @Option(name: .customLong("privacy-contact-url"), help: "Its web page.") var privacyContactURL: String?
    @Option(name: .customLong("address-ja"), help: "Postal address in Japanese (the Japanese disclosure states it).") var addressJa: String?
    @Option(name: .customLong("representative-ja"), help: "Representative's name and title in Japanese.") var representativeJa: String?
    @Option(name: .customLong("privacy-contact-name-ja"), help: "Name of the desk in Japanese.") var privacyContactNameJa: String?

    func values() -> [String: Value] {
        var values = FieldValues()
        values["name"] = name
        values["name_ja"] = nameJa
        values["country"] = country
        values["address"] = address
        values["representative"] = representative
        values["privacy_contact_name"] = privacyContactName
        values["privacy_contact_email"] = privacyContactEmail
        values["privacy_contact_url"] = privacyContactURL
        values["address_ja"] = addressJa
        values["representative_ja"] = representativeJa
        values["privacy_contact_name_ja"] = privacyContactNameJa
        return values.values
    }
}

enum OrganizationGroup: EntityGroup {
    typealias Fields = OrganizationFields
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

struct ServiceFields: EntityFields {
    @Option(help: "Service name, e.g. PERSONA.") var name: String?
    @Option(help: "Operating organization (key or name).") var organization: String?
    @Option(help: "What the service does.") var description: String?
    @Option(help: "Public URL.") var url: String?
    @Option(help: "Who owns the service internally.") var owner: String?
    @Option(name: .customLong("valid-from"), help: "First day it handled personal information (default today).") var validFrom: String?
    @Option(name: .customLong("valid-to"), help: "Day it stopped (use `end` instead to retire it).") var validTo: String?

    func values() -> [String: Value] {
        var values = FieldValues()
        values["name"] = name
        values["organization"] = organization
        values["description"] = description
        values["url"] = url
        values["owner"] = owner
        values["valid_from"] = validFrom
        values["valid_to"] = validTo
        return values.values
    }
}

enum ServiceGroup: EntityGroup {
    typealias Fields = ServiceFields
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

struct VendorFields: EntityFields {
    @Option(name: .customLong("legal-name"), help: "Legal name (unique).") var legalName: String?
    @Option(name: .customLong("name-ja"), help: "Japanese name.") var nameJa: String?
    @Option(help: "Other names, comma-separated (AWS,Amazon).") var aliases: String?
    @Option(help: "Comma-separated: \(EntitySchema.vendorKinds.joined(separator: ", ")).") var kinds: String?
    @Option(help: "Headquarters country (ISO 3166-1 alpha-2, e.g. US).") var headquarters: String?
    @Option(name: .customLong("contracting-country"), help: "Country of the entity you contract with, when not the headquarters (e.g. JP for a Japanese subsidiary of a US group); APPI Art. 28 turns on it (PPC Q&A 12-4).") var contractingCountry: String?
    @Option(help: "Website URL.") var website: String?
    @Option(name: .customLong("trust-url"), help: "Trust or security page URL.") var trustURL: String?
    @Option(name: .customLong("privacy-url"), help: "Privacy policy URL.") var privacyURL: String?
    @Option(name: .customLong("dpa-url"), help: "Data processing agreement URL.") var dpaURL: String?
    @Option(name: .customLong("subprocessors-url"), help: "Sub-processor list URL.") var subprocessorsURL: String?
    @Option(help: "Comma-separated: \(EntitySchema.certifications.joined(separator: ", ")).") var certifications: String?
    @Option(name: .customLong("risk-tier"), help: "One of: \(EntitySchema.riskTiers.joined(separator: ", ")).") var riskTier: String?
    @Option(help: "Who owns the relationship.") var owner: String?
    @Option(help: "Free notes.") var notes: String?
    @Option(name: .customLong("valid-from"), help: "Relationship start (default today).") var validFrom: String?
    @Option(name: .customLong("valid-to"), help: "Relationship end (use `end` to retire the vendor).") var validTo: String?

    func values() -> [String: Value] {
        var values = FieldValues()
        values["legal_name"] = legalName
        values["name_ja"] = nameJa
        values.list("aliases", aliases)
        values.list("kinds", kinds)
        values["headquarters"] = headquarters
        values["contracting_country"] = contractingCountry
        values["website"] = website
        values["trust_url"] = trustURL
        values["privacy_url"] = privacyURL
        values["dpa_url"] = dpaURL
        values["subprocessors_url"] = subprocessorsURL
        values.list("certifications", certifications)
        values["risk_tier"] = riskTier
        values["owner"] = owner
        values["notes"] = notes
        values["valid_from"] = validFrom
        values["valid_to"] = validTo
        return values.values
    }
}

enum VendorGroup: EntityGroup {
    typealias Fields = VendorFields
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

struct ResidencyFields: EntityFields {
    @Option(help: "Service (key or name).") var service: String?
    @Option(help: "Vendor holding the data (key, legal name or alias).") var vendor: String?
    @Option(help: "One of: \(EntitySchema.residencyRoles.joined(separator: ", ")).") var role: String?
    @Option(help: "Data categories, comma-separated (see `domicile category list`).") var categories: String?
    @Option(help: "Country where the data is (ISO 3166-1 alpha-2).") var country: String?
    @Option(help: "Cloud region as PROVIDER/CODE, e.g. aws/ap-northeast-1 (see `domicile region list`).") var region: String?
    @Option(name: .customLong("undisclosed-reason"), help: "When the provider does not disclose the country: why.") var undisclosedReason: String?
    @Option(help: "With --undisclosed-reason: candidate countries, comma-separated.") var candidates: String?
    @Option(help: "Provenance: the URL or document the claim rests on.") var source: String?
    @Option(name: .customLong("verified-on"), help: "Day the source was checked.") var verifiedOn: String?
    @Option(name: .customLong("asserted-by"), help: "Who records the claim.") var assertedBy: String?
    @Option(help: "Free notes.") var notes: String?
    @Option(name: .customLong("valid-from"), help: "First day the fact holds (default today).") var validFrom: String?
    @Option(name: .customLong("valid-to"), help: "Day it stops holding.") var validTo: String?

    func values() -> [String: Value] {
        var values = FieldValues()
        values["service"] = service
        values["vendor"] = vendor
        values["role"] = role
        values.list("categories", categories)
        values["country"] = country
        values["region"] = region
        var undisclosed = FieldValues()
        undisclosed["reason"] = undisclosedReason
        undisclosed.list("candidates", candidates)
        values.object("undisclosed", undisclosed.values)
        values["source"] = source
        values["verified_on"] = verifiedOn
        values["asserted_by"] = assertedBy
        values["notes"] = notes
        values["valid_from"] = validFrom
        values["valid_to"] = validTo
        return values.values
    }
}

enum ResidencyGroup: EntityGroup {
    typealias Fields = ResidencyFields
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

struct TransmissionFields: EntityFields {
    @Option(help: "Service (key or name).") var service: String?
    @Option(help: "Tag, SDK or module, e.g. \"Google Analytics\".") var tool: String?
    @Option(help: "Recipient vendor (key, legal name or alias).") var recipient: String?
    @Option(help: "Information sent, comma-separated.") var information: String?
    @Option(name: .customLong("information-ja"), help: "The same in Japanese, comma-separated.") var informationJa: String?
    @Option(help: "Data categories, comma-separated.") var categories: String?
    @Option(help: "Purpose of use by the recipient.") var purpose: String?
    @Option(name: .customLong("purpose-ja"), help: "The purpose in Japanese.") var purposeJa: String?
    @Option(help: "One of: \(EntitySchema.transmissionBases.joined(separator: ", ")).") var basis: String?
    @Option(name: .customLong("opt-out-url"), help: "Where users opt out (required for basis opt_out).") var optOutURL: String?
    @Option(name: .customLong("recipient-country"), help: "Recipient's country.") var recipientCountry: String?
    @Option(name: .customLong("valid-from"), help: "First day (default today).") var validFrom: String?
    @Option(name: .customLong("valid-to"), help: "Day it stops.") var validTo: String?

    func values() -> [String: Value] {
        var values = FieldValues()
        values["service"] = service
        values["tool"] = tool
        values["recipient"] = recipient
        values.list("information", information)
        values.list("information_ja", informationJa)
        values.list("categories", categories)
        values["purpose"] = purpose
        values["purpose_ja"] = purposeJa
        values["basis"] = basis
        values["opt_out_url"] = optOutURL
        values["recipient_country"] = recipientCountry
        values["valid_from"] = validFrom
        values["valid_to"] = validTo
        return values.values
    }
}

enum TransmissionGroup: EntityGroup {
    typealias Fields = TransmissionFields
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
