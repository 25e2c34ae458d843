import Mustache

// How the Markdown and HTML templates reach the view models' fields: a `child(named:)`
// switch over each type's stored properties, so swift-mustache looks a `{{field}}` up
// without reflecting over the value (`Mirror`), which made rendering the large tables slow.
// Each switch answers exactly what `Mirror` answered: every stored property by its name, an
// optional one unwrapped (`nil` when absent, so the lookup goes on up the context stack, as
// `{{name}}` inside `{{#locations}}` finds the category's name), and `nil` for any other name.
// ReportMustacheTests checks each type's switch against `Mirror`.

extension ReportHeader: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "kind": return kind
        case "title": return title
        case "lang": return lang
        case "organization": return organization
        case "revision": return revision
        case "asOf": return asOf
        case "generatedAt": return generatedAt
        case "fingerprint": return fingerprint
        default: return nil
        }
    }
}

// MARK: Residency

extension ResidencyReport: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "services": return services
        case "countries": return countries
        case "undisclosed": return undisclosed
        case "warnings": return warnings
        default: return nil
        }
    }
}

extension ResidencyReport.Location: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "vendor": return vendor
        case "vendorName": return vendorName
        case "role": return role
        case "country": return country
        case "countryName": return countryName
        case "region": return region
        case "undisclosed": return undisclosed
        case "reason": return reason
        case "candidates": return candidates
        case "source": return source
        case "basis": return basis
        case "warnings": return warnings
        default: return nil
        }
    }
}

extension ResidencyReport.Category: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "key": return key
        case "name": return self.name
        case "sensitive": return sensitive
        case "locations": return locations
        default: return nil
        }
    }
}

extension ResidencyReport.Service: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "key": return key
        case "name": return self.name
        case "countries": return countries
        case "categories": return categories
        default: return nil
        }
    }
}

extension ResidencyReport.Holding: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "service": return service
        case "vendor": return vendor
        case "role": return role
        case "region": return region
        case "categories": return categories
        default: return nil
        }
    }
}

extension ResidencyReport.Country: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "code": return code
        case "name": return self.name
        case "nameJa": return nameJa
        case "facts": return facts
        case "confidence": return confidence
        case "source": return source
        case "verifiedOn": return verifiedOn
        case "holdings": return holdings
        case "warnings": return warnings
        default: return nil
        }
    }
}

extension ResidencyReport.Fact: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "label": return label
        case "value": return value
        default: return nil
        }
    }
}

extension ResidencyReport.Undisclosed: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "residency": return residency
        case "service": return service
        case "vendor": return vendor
        case "role": return role
        case "categories": return categories
        case "reason": return reason
        case "candidates": return candidates
        case "warnings": return warnings
        default: return nil
        }
    }
}

// MARK: Vendors

extension VendorReport: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "expiringWithinDays": return expiringWithinDays
        case "vendors": return vendors
        default: return nil
        }
    }
}

extension VendorReport.Agreement: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "entrustment": return entrustment
        case "service": return service
        case "reference": return reference
        case "contract": return contract
        case "contractSummary": return contractSummary
        case "dpa": return dpa
        case "dpaSummary": return dpaSummary
        case "renewal": return renewal
        case "noticeDeadline": return noticeDeadline
        case "cloudException": return cloudException
        case "reentrustment": return reentrustment
        case "subEntrustees": return subEntrustees
        default: return nil
        }
    }
}

extension VendorReport.Group: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "group": return group
        case "label": return label
        case "met": return met
        case "partial": return partial
        case "unmet": return unmet
        case "notApplicable": return notApplicable
        case "unanswered": return unanswered
        case "applicable": return applicable
        case "percent": return percent
        default: return nil
        }
    }
}

extension VendorReport.Gap: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "item": return item
        case "title": return title
        case "status": return status
        case "mandatory": return mandatory
        case "evidence": return evidence
        case "note": return note
        default: return nil
        }
    }
}

extension VendorReport.Assessment: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "key": return key
        case "template": return template
        case "templateTitle": return templateTitle
        case "assessedOn": return assessedOn
        case "assessor": return assessor
        case "percent": return percent
        case "groups": return groups
        case "gaps": return gaps
        default: return nil
        }
    }
}

extension VendorReport.Review: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "state": return state
        case "summary": return summary
        case "due": return due
        case "cadenceMonths": return cadenceMonths
        default: return nil
        }
    }
}

extension VendorReport.Risk: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "score": return score
        case "level": return level
        case "factors": return factors
        default: return nil
        }
    }
}

extension Compliance.RiskFactor: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "factor": return factor
        case "points": return points
        default: return nil
        }
    }
}

extension VendorReport.Vendor: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "key": return key
        case "legalName": return legalName
        case "nameJa": return nameJa
        case "kinds": return kinds
        case "headquarters": return headquarters
        case "headquartersName": return headquartersName
        case "recipientCountry": return recipientCountry
        case "riskTier": return riskTier
        case "services": return services
        case "categories": return categories
        case "countriesDirect": return countriesDirect
        case "countriesThroughSubEntrustees": return countriesThroughSubEntrustees
        case "undisclosedCandidates": return undisclosedCandidates
        case "hasUndisclosed": return hasUndisclosed
        case "agreements": return agreements
        case "assessments": return assessments
        case "review": return review
        case "certifications": return certifications
        case "risk": return risk
        default: return nil
        }
    }
}

// MARK: Disclosure

extension DisclosureReport: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "lang": return lang
        case "title": return title
        case "organization": return organization
        case "intro": return intro
        case "sections": return sections
        case "services": return services
        case "closing": return closing
        case "gaps": return gaps
        default: return nil
        }
    }
}

extension DisclosureReport.Gap: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "kind": return kind
        case "key": return key
        case "field": return field
        case "problem": return problem
        case "message": return message
        default: return nil
        }
    }
}

extension DisclosureReport.Section: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "id": return id
        case "heading": return heading
        case "paragraphs": return paragraphs
        case "items": return items
        case "after": return after
        case "groups": return groups
        default: return nil
        }
    }
}

extension DisclosureReport.Group: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "heading": return heading
        case "items": return items
        default: return nil
        }
    }
}

extension DisclosureReport.CountrySystem: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "code": return code
        case "name": return self.name
        case "parts": return parts
        case "ja": return ja
        default: return nil
        }
    }
}

extension DisclosureReport.ExternalEnvironment: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "heading": return heading
        case "intro": return intro
        case "facts": return facts
        case "undisclosedNote": return undisclosedNote
        case "systemsHeading": return systemsHeading
        case "countrySystems": return countrySystems
        default: return nil
        }
    }
}

extension DisclosureReport.TransmissionRow: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "tool": return tool
        case "recipient": return recipient
        case "information": return information
        case "purpose": return purpose
        case "optOut": return optOut
        case "optOutLink": return optOutLink
        default: return nil
        }
    }
}

extension DisclosureReport.Transmissions: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "heading": return heading
        case "intro": return intro
        case "notes": return notes
        case "columns": return columns
        case "hasOptOut": return hasOptOut
        case "rows": return rows
        default: return nil
        }
    }
}

extension DisclosureReport.Service: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "key": return key
        case "name": return self.name
        case "heading": return heading
        case "externalEnvironment": return externalEnvironment
        case "transmissions": return transmissions
        default: return nil
        }
    }
}

// MARK: ROPA

extension RopaReport: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "controller": return controller
        case "activities": return activities
        case "security": return security
        default: return nil
        }
    }
}

extension RopaReport.Controller: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "name": return self.name
        case "country": return country
        case "address": return address
        case "representative": return representative
        case "contact": return contact
        default: return nil
        }
    }
}

extension RopaReport.Transfer: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "recipient": return recipient
        case "country": return country
        case "countryName": return countryName
        case "safeguard": return safeguard
        default: return nil
        }
    }
}

extension RopaReport.Activity: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "service": return service
        case "purpose": return purpose
        case "purposeName": return purposeName
        case "dataSubjects": return dataSubjects
        case "categories": return categories
        case "recipients": return recipients
        case "transfers": return transfers
        case "retention": return retention
        default: return nil
        }
    }
}
