import DomicileCore
import Foundation

/// Where the console shows a record: the page (and the anchor on it) a finding, a due item
/// or a table row links to.
///
/// Vendor pages (`/vendors/{key}`) give each of the vendor's records a row with the id
/// `KIND-KEY` (`entrustment-persona-support-desk`, `residency-…`, `assessment-…`,
/// `provision-…`, `transmission-…`), so a link can land on it.
enum ConsoleLinks {
    /// The vendor page.
    static func vendor(_ key: String, _ view: ConsoleView) -> String {
        view.href("/vendors/" + ConsoleView.percentEncoded(key))
    }

    /// The country page.
    static func country(_ code: String, _ view: ConsoleView) -> String {
        view.href("/countries/" + ConsoleView.percentEncoded(code))
    }

    /// The page of the record `kind`/`key` (as a finding or a due item names it): the vendor
    /// page for a vendor's records, the country page for a country, the overview for an
    /// organization; `nil` when the record is not in the snapshot.
    static func record(kind: String, key: String, in snapshot: RegistrySnapshot, _ view: ConsoleView) -> String? {
        let anchor = "#" + kind + "-" + ConsoleView.percentEncoded(key)
        switch kind {
        case "vendor":
            return vendor(key, view)
        case "country":
            return country(key, view)
        case "organization":
            return view.href("/") + "#organization-" + ConsoleView.percentEncoded(key)
        case "entrustment":
            return snapshot.entrustments.first { $0.key == key }.map { vendor($0.vendor, view) + anchor }
        case "residency":
            return snapshot.residencies.first { $0.key == key }.map { vendor($0.vendor, view) + anchor }
        case "assessment":
            guard let assessment = snapshot.assessments.first(where: { $0.key == key }) else { return nil }
            if let owner = assessment.vendor { return vendor(owner, view) + anchor }
            return assessment.organization.map { view.href("/") + "#organization-" + ConsoleView.percentEncoded($0) }
        case "provision":
            return snapshot.provisions.first { $0.key == key }.flatMap { snapshot.vendor($0.recipient) }.map { vendor($0.key, view) + anchor }
        case "transmission":
            return snapshot.transmissions.first { $0.key == key }.flatMap { snapshot.vendor($0.recipient) }.map { vendor($0.key, view) + anchor }
        default:
            return nil
        }
    }

    /// The check page's section of rule `id` (its findings and what the rule asks).
    static func rule(_ id: String, _ view: ConsoleView) -> String {
        view.href("/check") + "#rule-" + ConsoleView.percentEncoded(id)
    }
}
