import DomicileCore
import Foundation
import Mustache
import Testing

/// The report view models answer swift-mustache's lookups with a `child(named:)` switch
/// (ReportMustache.swift) instead of `Mirror`: each switch must answer what `Mirror` did, for
/// every stored property, or the rendered Markdown and HTML would change.
@Suite("Report view models answer the templates as Mirror did")
struct ReportMustacheTests {
    /// What swift-mustache 2.1.1's `Mirror.getValue(forKey:)` answers: the stored property of
    /// that name, an optional unwrapped (`nil` when absent).
    static func mirrored(_ value: Any, _ name: String) -> Any? {
        guard let child = Mirror(reflecting: value).children.first(where: { $0.label == name }) else { return nil }
        let inner = Mirror(reflecting: child.value)
        guard inner.displayStyle == .optional else { return child.value }
        return inner.children.first?.value
    }

    /// Walks a model: every DomicileCore struct in it must be a `MustacheParent` whose
    /// `child(named:)` gives the same value (same type, same description) as `Mirror` for each
    /// of its stored properties, and nothing for another name.
    static func check(_ value: Any, path: String, seen: inout Set<String>) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct:
            let type = String(reflecting: Swift.type(of: value))
            guard type.hasPrefix("DomicileCore.") else { return }
            seen.insert(type)
            guard let parent = value as? MustacheParent else {
                Issue.record("\(path): \(type) is not a MustacheParent")
                return
            }
            #expect(parent.child(named: "noSuchField") == nil, "\(path)")
            #expect(parent.child(named: "listing") == nil, "\(path): a computed property is no child")
            for child in mirror.children {
                guard let label = child.label else { continue }
                let expected = mirrored(value, label)
                let actual = parent.child(named: label)
                #expect((expected == nil) == (actual == nil), "\(path).\(label)")
                guard let expected, let actual else { continue }
                #expect(String(reflecting: Swift.type(of: expected)) == String(reflecting: Swift.type(of: actual)), "\(path).\(label)")
                #expect(String(reflecting: expected) == String(reflecting: actual), "\(path).\(label)")
                check(actual, path: "\(path).\(label)", seen: &seen)
            }
        case .collection:
            for (index, element) in mirror.children.enumerated() { check(element.value, path: "\(path)[\(index)]", seen: &seen) }
        case .optional:
            if let wrapped = mirror.children.first { check(wrapped.value, path: path, seen: &seen) }
        default:
            break
        }
    }

    @Test("Every view model's child(named:) matches Mirror, on the crafted registries")
    func childMatchesMirror() throws {
        var seen = Set<String>()
        let snapshots = [Crafted.snapshot(), ReportModelTests.gapRegistry(), CheckFixture.snapshot(try CheckFixture.cleanDocument())]
        for (index, snapshot) in snapshots.enumerated() {
            for kind in ReportKind.allCases {
                for lang in ReportLanguage.allCases {
                    Self.check(ReportRenderer.model(kind, snapshot, lang: lang), path: "\(index) \(kind) \(lang)", seen: &seen)
                }
            }
        }
        let types = [
            "ResidencyReport", "ResidencyReport.Service", "ResidencyReport.Category", "ResidencyReport.Location",
            "ResidencyReport.Country", "ResidencyReport.Fact", "ResidencyReport.Holding", "ResidencyReport.Undisclosed",
            "VendorReport", "VendorReport.Vendor", "VendorReport.Agreement", "VendorReport.Assessment", "VendorReport.Group",
            "VendorReport.Gap", "VendorReport.Review", "VendorReport.Risk", "Compliance.RiskFactor",
            "DisclosureReport", "DisclosureReport.Section", "DisclosureReport.Group", "DisclosureReport.Service",
            "DisclosureReport.ExternalEnvironment", "DisclosureReport.CountrySystem", "DisclosureReport.Transmissions",
            "DisclosureReport.TransmissionRow", "DisclosureReport.Gap",
            "RopaReport", "RopaReport.Controller", "RopaReport.Activity", "RopaReport.Transfer",
        ]
        #expect(Set(types.map { "DomicileCore." + $0 }).subtracting(seen).isEmpty, "not reached: \(Set(types.map { "DomicileCore." + $0 }).subtracting(seen))")
    }

    @Test("Escaping is as before: the fast path only skips values with nothing to escape")
    func escapes() throws {
        let since = Day("2020-01-01")!
        let snapshot = RegistrySnapshot(
            revision: 1, asOf: Day("2026-01-01")!,
            organizations: [S.Organization(key: "o", name: "Tom & Jerry's \"Co\"\nline\r\nend", country: "JP")],
            services: [S.Service(key: "s", name: "Plain name", organization: "o", validFrom: since)],
            countries: Crafted.countries)
        let md = try ReportRenderer.render(.residency, snapshot, format: .md, generatedAt: ReportModelTests.generatedAt).text
        // a lone line feed becomes a space; "\r\n" is one character, neither "\r" nor "\n", and stays
        #expect(md.contains("| Organization | Tom & Jerry's \"Co\" line\r\nend |"))
        let html = try ReportRenderer.render(.residency, snapshot, format: .html, generatedAt: ReportModelTests.generatedAt).text
        #expect(html.contains("<td>Tom &amp; Jerry&#39;s &quot;Co&quot;\nline\r\nend</td>"))
    }
}
