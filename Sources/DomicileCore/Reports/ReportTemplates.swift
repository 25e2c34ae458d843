import Crypto
import Foundation
import Mustache

/// The Markdown and HTML templates of the reports (Mustache), compiled into the binary so
/// it needs no resource files. Markdown values are escaped as Markdown, HTML values as HTML;
/// the SVG figures are inserted as they are (`{{{…}}}`), drawn by `ReportCharts`.
enum ReportTemplates {
    static let library: MustacheLibrary = {
        MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN")
        MustacheContentTypes.register(HTMLTextContentType(), named: "HTML_TEXT")
        var library = MustacheLibrary()
        for (name, text) in sources {
            // swift-format-ignore: NeverUseForceTry
            try! library.register(text, named: name)
        }
        return library
    }()

    /// Every template by name: a report's is `KIND.FORMAT`; partials have an underscore.
    static let sources: [String: String] = [
        "md_header": mdHeader, "residency.md": residencyMD, "vendors.md": vendorsMD, "disclosure.md": disclosurePublicMD,
        "ropa.md": ropaMD, "html_head": htmlHead, "html_foot": htmlFoot, "residency.html": residencyHTML,
        "vendors.html": vendorsHTML, "disclosure.html": disclosurePublicHTML, "ropa.html": ropaHTML,
        "disclosure_section_md": disclosureSectionMD, "disclosure_section_html": disclosureSectionHTML,
    ]

    static let md = "{{% CONTENT_TYPE: MARKDOWN}}\n"
    /// HTML escaped as swift-mustache's default does it, faster (`HTMLTextContentType`); each
    /// template and partial names it, as a partial starts in the default content type.
    static let html = "{{% CONTENT_TYPE: HTML_TEXT}}\n"

    static let mdHeader = md + """
        # {{header.title}}

        | | |
        |---|---|
        | {{labels.organization}} | {{header.organization}} |
        | {{labels.revision}} | {{header.revision}} |
        | {{labels.asOf}} | {{header.asOf}} |
        | {{labels.generatedAt}} | {{header.generatedAt}} |
        | {{labels.fingerprint}} | {{header.fingerprint}} |

        _{{labels.generatedBy}}_


        """

    static let residencyMD = md + """
        {{> md_header}}
        {{#data}}
        {{^empty(warnings)}}
        ## Warnings

        {{#warnings}}
        - ⚠ {{.}}
        {{/warnings}}

        {{/empty(warnings)}}
        {{#services}}
        ## Service: {{name}} ({{key}})

        Countries: {{#countries}}{{.}}{{^last()}}, {{/last()}}{{/countries}}

        | Data category | Vendor | Role | Country | Region | Basis | Warnings |
        |---|---|---|---|---|---|---|
        {{#categories}}
        {{#locations}}
        | {{name}} ({{key}}){{#sensitive}} — special care{{/sensitive}} | {{vendorName}} | {{role}} | {{#countryName}}{{countryName}}{{/countryName}}{{^countryName}}undisclosed; candidates: {{#candidates}}{{.}}{{^last()}}, {{/last()}}{{/candidates}}{{/countryName}} | {{region}} | {{basis}} | {{#warnings}}⚠ {{.}} {{/warnings}} |
        {{/locations}}
        {{/categories}}

        {{/services}}
        ## Countries

        {{#countries}}
        ### {{name}} ({{code}}){{#nameJa}} — {{nameJa}}{{/nameJa}}

        {{^empty(facts)}}
        | Fact | Value |
        |---|---|
        {{#facts}}
        | {{label}} | {{value}} |
        {{/facts}}

        Confidence: {{confidence}}; source: {{source}}; verified on {{verifiedOn}}.

        {{/empty(facts)}}
        {{#warnings}}
        - ⚠ {{.}}
        {{/warnings}}
        Held here:

        {{#holdings}}
        - {{service}}: {{vendor}} ({{role}}{{#region}}, {{region}}{{/region}}): {{#categories}}{{.}}{{^last()}}, {{/last()}}{{/categories}}
        {{/holdings}}

        {{/countries}}
        ## Undisclosed locations

        {{^undisclosed}}
        None.
        {{/undisclosed}}
        {{#undisclosed}}
        ### {{residency}}

        - Service: {{service}}; vendor: {{vendor}}; role: {{role}}
        - Data categories: {{#categories}}{{.}}{{^last()}}, {{/last()}}{{/categories}}
        - Reason: {{reason}}
        - Candidate countries: {{#candidates}}{{.}}{{^last()}}, {{/last()}}{{/candidates}}
        {{#warnings}}
        - ⚠ {{.}}
        {{/warnings}}

        {{/undisclosed}}
        {{/data}}
        """

    static let vendorsMD = md + """
        {{> md_header}}
        {{#data}}
        Contracts and DPAs expiring within {{expiringWithinDays}} days are reported as expiring.

        | Vendor | Risk tier | Contract | DPA | Review | Risk score |
        |---|---|---|---|---|---|
        {{#vendors}}
        | {{legalName}} ({{key}}) | {{riskTier}} | {{#agreements}}{{contract}} {{/agreements}}{{^agreements}}—{{/agreements}} | {{#agreements}}{{dpa}} {{/agreements}}{{^agreements}}—{{/agreements}} | {{review.summary}} | {{risk.score}} ({{risk.level}}) |
        {{/vendors}}

        {{#vendors}}
        ## {{legalName}} ({{key}})

        - Kinds: {{#kinds}}{{.}}{{^last()}}, {{/last()}}{{/kinds}}
        - Headquarters: {{headquartersName}} ({{headquarters}})
        - Recipient's country (APPI Art. 28): {{recipientCountry}}
        - Risk tier: {{riskTier}} (review every {{review.cadenceMonths}} months)
        - Services: {{#services}}{{.}}{{^last()}}, {{/last()}}{{/services}}
        - Data categories: {{#categories}}{{.}}{{^last()}}, {{/last()}}{{/categories}}
        - Countries reached directly: {{#countriesDirect}}{{.}}{{^last()}}, {{/last()}}{{/countriesDirect}}{{^countriesDirect}}none recorded{{/countriesDirect}}
        - Countries reached through sub-entrustees: {{#countriesThroughSubEntrustees}}{{.}}{{^last()}}, {{/last()}}{{/countriesThroughSubEntrustees}}{{^countriesThroughSubEntrustees}}none{{/countriesThroughSubEntrustees}}
        {{#hasUndisclosed}}
        - Undisclosed location; candidates: {{#undisclosedCandidates}}{{.}}{{^last()}}, {{/last()}}{{/undisclosedCandidates}}
        {{/hasUndisclosed}}
        - Certifications: {{#certifications}}{{.}}{{^last()}}, {{/last()}}{{/certifications}}{{^certifications}}none recorded{{/certifications}}
        - Next review: {{review.summary}}

        {{^empty(agreements)}}
        ### Contracts

        | Entrustment | Reference | Contract | DPA | Renewal | Notice by | Cloud exception | Re-entrustment | Sub-entrustees |
        |---|---|---|---|---|---|---|---|---|
        {{#agreements}}
        | {{entrustment}} | {{reference}} | {{contractSummary}} | {{dpaSummary}} | {{renewal}} | {{noticeDeadline}} | {{#cloudException}}yes{{/cloudException}}{{^cloudException}}no{{/cloudException}} | {{reentrustment}} | {{#subEntrustees}}{{.}}{{^last()}}, {{/last()}}{{/subEntrustees}} |
        {{/agreements}}

        {{/empty(agreements)}}
        ### Assessments

        {{^assessments}}
        Never assessed.

        {{/assessments}}
        {{#assessments}}
        **{{templateTitle}}** ({{template}}): {{key}}, assessed on {{assessedOn}} by {{assessor}}: {{percent}}% complete.

        | Group | Met | Partial | Unmet | Unanswered | N/A | Completion |
        |---|---|---|---|---|---|---|
        {{#groups}}
        | {{group}} {{label}} | {{met}} | {{partial}} | {{unmet}} | {{unanswered}} | {{notApplicable}} | {{percent}}% |
        {{/groups}}

        {{^empty(gaps)}}
        Unmet and partial items:

        | Item | Status | Mandatory | Evidence | Note |
        |---|---|---|---|---|
        {{#gaps}}
        | {{item}} {{title}} | {{status}} | {{#mandatory}}yes{{/mandatory}}{{^mandatory}}no{{/mandatory}} | {{evidence}} | {{note}} |
        {{/gaps}}

        {{/empty(gaps)}}
        {{/assessments}}
        ### Risk score: {{risk.score}} ({{risk.level}})

        | Factor | Points |
        |---|---|
        {{#risk.factors}}
        | {{factor}} | {{points}} |
        {{/risk.factors}}

        {{/vendors}}
        {{/data}}
        """

    static let ropaMD = md + """
        {{> md_header}}
        {{#data}}
        {{#controller}}
        ## Controller

        - Name: {{name}}
        - Country: {{country}}
        {{#address}}
        - Address: {{address}}
        {{/address}}
        {{#representative}}
        - Representative: {{representative}}
        {{/representative}}
        - Contact: {{contact}}

        {{/controller}}
        ## Processing activities

        | Service | Purpose | Data subjects | Categories of personal data | Recipients | Transfers to third countries (safeguard) | Retention |
        |---|---|---|---|---|---|---|
        {{#activities}}
        | {{service}} | {{purposeName}} | {{#dataSubjects}}{{.}}{{^last()}}; {{/last()}}{{/dataSubjects}} | {{#categories}}{{.}}{{^last()}}; {{/last()}}{{/categories}} | {{#recipients}}{{.}}{{^last()}}; {{/last()}}{{/recipients}} | {{#transfers}}{{recipient}} → {{countryName}} ({{safeguard}}){{^last()}}; {{/last()}}{{/transfers}}{{^transfers}}none{{/transfers}} | {{retention}} |
        {{/activities}}

        ## Technical and organisational security measures (Art. 32)

        {{#security}}
        - {{.}}
        {{/security}}
        {{^security}}
        No measures recorded as met.
        {{/security}}
        {{/data}}
        """

    // MARK: HTML

    static let htmlHead = html + """
        <!DOCTYPE html>
        <html lang="{{header.lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="Domicile">
        <meta name="registry-revision" content="{{header.revision}}">
        <meta name="report-fingerprint" content="{{header.fingerprint}}">
        <title>{{header.title}} — {{header.organization}}</title>
        <style>
        body { font-family: system-ui, "Noto Sans CJK JP", "Noto Sans JP", sans-serif; color: #212121; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.5; }
        h1 { border-bottom: 3px solid #1565c0; padding-bottom: .3rem; }
        h2 { border-bottom: 1px solid #90a4ae; margin-top: 2rem; }
        table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .9rem; }
        th, td { border: 1px solid #b0bec5; padding: .25rem .45rem; text-align: left; vertical-align: top; }
        th { background: #eceff1; }
        table.meta { width: auto; }
        table.meta th { font-weight: normal; }
        code, .fingerprint { font-family: ui-monospace, monospace; font-size: .85em; word-break: break-all; }
        .warning { color: #b71c1c; }
        .state-expired, .state-missing, .state-overdue, .state-never_assessed { color: #b71c1c; font-weight: bold; }
        .state-expiring { color: #e65100; font-weight: bold; }
        figure { margin: 1rem 0; overflow-x: auto; }
        figcaption { font-weight: bold; margin-bottom: .4rem; }
        svg.chart { max-width: 100%; height: auto; }
        .note { color: #546e7a; font-size: .9rem; }
        @media print {
          body { margin: 0; max-width: none; font-size: 10pt; }
          h2 { page-break-after: avoid; }
          table, figure { page-break-inside: avoid; }
          a { color: inherit; text-decoration: none; }
        }
        </style>
        </head>
        <body>
        <h1>{{header.title}}</h1>
        <table class="meta">
        <tr><th>{{labels.organization}}</th><td>{{header.organization}}</td></tr>
        <tr><th>{{labels.revision}}</th><td>{{header.revision}}</td></tr>
        <tr><th>{{labels.asOf}}</th><td>{{header.asOf}}</td></tr>
        <tr><th>{{labels.generatedAt}}</th><td>{{header.generatedAt}}</td></tr>
        <tr><th>{{labels.fingerprint}}</th><td class="fingerprint">{{header.fingerprint}}</td></tr>
        </table>
        <p class="note">{{labels.generatedBy}}</p>
        <figure><figcaption>{{labels.dataFlow}}</figcaption>{{{dataFlow}}}</figure>
        <figure><figcaption>{{labels.completion}}</figcaption>{{{completionChart}}}</figure>

        """

    static let htmlFoot = html + """
        </body>
        </html>

        """

    static let residencyHTML = html + """
        {{> html_head}}
        {{#data}}
        {{^empty(warnings)}}
        <h2>Warnings</h2>
        <ul>{{#warnings}}<li class="warning">⚠ {{.}}</li>{{/warnings}}</ul>
        {{/empty(warnings)}}
        {{#services}}
        <h2>Service: {{name}} (<code>{{key}}</code>)</h2>
        <p>Countries: {{#countries}}{{.}}{{^last()}}, {{/last()}}{{/countries}}</p>
        <table>
        <tr><th>Data category</th><th>Vendor</th><th>Role</th><th>Country</th><th>Region</th><th>Basis</th><th>Warnings</th></tr>
        {{#categories}}
        {{#locations}}
        <tr><td>{{name}} <code>{{key}}</code>{{#sensitive}} — special care{{/sensitive}}</td><td>{{vendorName}}</td><td>{{role}}</td><td>{{#countryName}}{{countryName}}{{/countryName}}{{^countryName}}<em>undisclosed</em>; candidates: {{#candidates}}{{.}}{{^last()}}, {{/last()}}{{/candidates}}{{/countryName}}</td><td>{{region}}</td><td>{{basis}}</td><td class="warning">{{#warnings}}⚠ {{.}} {{/warnings}}</td></tr>
        {{/locations}}
        {{/categories}}
        </table>
        {{/services}}
        <h2>Countries</h2>
        {{#countries}}
        <h3>{{name}} ({{code}}){{#nameJa}} — {{nameJa}}{{/nameJa}}</h3>
        {{^empty(facts)}}
        <table>
        {{#facts}}<tr><th>{{label}}</th><td>{{value}}</td></tr>{{/facts}}
        </table>
        <p class="note">Confidence: {{confidence}}; source: {{source}}; verified on {{verifiedOn}}.</p>
        {{/empty(facts)}}
        {{#warnings}}<p class="warning">⚠ {{.}}</p>{{/warnings}}
        <ul>{{#holdings}}<li>{{service}}: {{vendor}} ({{role}}{{#region}}, {{region}}{{/region}}): {{#categories}}{{.}}{{^last()}}, {{/last()}}{{/categories}}</li>{{/holdings}}</ul>
        {{/countries}}
        <h2>Undisclosed locations</h2>
        {{^undisclosed}}<p>None.</p>{{/undisclosed}}
        {{#undisclosed}}
        <h3>{{residency}}</h3>
        <ul>
        <li>Service: {{service}}; vendor: {{vendor}}; role: {{role}}</li>
        <li>Data categories: {{#categories}}{{.}}{{^last()}}, {{/last()}}{{/categories}}</li>
        <li>Reason: {{reason}}</li>
        <li>Candidate countries: {{#candidates}}{{.}}{{^last()}}, {{/last()}}{{/candidates}}</li>
        {{#warnings}}<li class="warning">⚠ {{.}}</li>{{/warnings}}
        </ul>
        {{/undisclosed}}
        {{/data}}
        {{> html_foot}}
        """

    static let vendorsHTML = html + """
        {{> html_head}}
        {{#data}}
        <p>Contracts and DPAs expiring within {{expiringWithinDays}} days are reported as expiring.</p>
        <table>
        <tr><th>Vendor</th><th>Risk tier</th><th>Contract</th><th>DPA</th><th>Review</th><th>Risk score</th></tr>
        {{#vendors}}
        <tr><td>{{legalName}} (<code>{{key}}</code>)</td><td>{{riskTier}}</td><td>{{#agreements}}<span class="state-{{contract}}">{{contract}}</span> {{/agreements}}{{^agreements}}—{{/agreements}}</td><td>{{#agreements}}<span class="state-{{dpa}}">{{dpa}}</span> {{/agreements}}{{^agreements}}—{{/agreements}}</td><td class="state-{{review.state}}">{{review.summary}}</td><td>{{risk.score}} ({{risk.level}})</td></tr>
        {{/vendors}}
        </table>
        {{#vendors}}
        <h2>{{legalName}} (<code>{{key}}</code>)</h2>
        <ul>
        <li>Kinds: {{#kinds}}{{.}}{{^last()}}, {{/last()}}{{/kinds}}</li>
        <li>Headquarters: {{headquartersName}} ({{headquarters}})</li>
        <li>Recipient's country (APPI Art. 28): {{recipientCountry}}</li>
        <li>Risk tier: {{riskTier}} (review every {{review.cadenceMonths}} months)</li>
        <li>Services: {{#services}}{{.}}{{^last()}}, {{/last()}}{{/services}}</li>
        <li>Data categories: {{#categories}}{{.}}{{^last()}}, {{/last()}}{{/categories}}</li>
        <li>Countries reached directly: {{#countriesDirect}}{{.}}{{^last()}}, {{/last()}}{{/countriesDirect}}{{^countriesDirect}}none recorded{{/countriesDirect}}</li>
        <li>Countries reached through sub-entrustees: {{#countriesThroughSubEntrustees}}{{.}}{{^last()}}, {{/last()}}{{/countriesThroughSubEntrustees}}{{^countriesThroughSubEntrustees}}none{{/countriesThroughSubEntrustees}}</li>
        {{#hasUndisclosed}}<li>Undisclosed location; candidates: {{#undisclosedCandidates}}{{.}}{{^last()}}, {{/last()}}{{/undisclosedCandidates}}</li>{{/hasUndisclosed}}
        <li>Certifications: {{#certifications}}{{.}}{{^last()}}, {{/last()}}{{/certifications}}{{^certifications}}none recorded{{/certifications}}</li>
        <li>Next review: <span class="state-{{review.state}}">{{review.summary}}</span></li>
        </ul>
        {{^empty(agreements)}}
        <h3>Contracts</h3>
        <table>
        <tr><th>Entrustment</th><th>Reference</th><th>Contract</th><th>DPA</th><th>Renewal</th><th>Notice by</th><th>Cloud exception</th><th>Re-entrustment</th><th>Sub-entrustees</th></tr>
        {{#agreements}}
        <tr><td>{{entrustment}}</td><td>{{reference}}</td><td class="state-{{contract}}">{{contractSummary}}</td><td class="state-{{dpa}}">{{dpaSummary}}</td><td>{{renewal}}</td><td>{{noticeDeadline}}</td><td>{{#cloudException}}yes{{/cloudException}}{{^cloudException}}no{{/cloudException}}</td><td>{{reentrustment}}</td><td>{{#subEntrustees}}{{.}}{{^last()}}, {{/last()}}{{/subEntrustees}}</td></tr>
        {{/agreements}}
        </table>
        {{/empty(agreements)}}
        <h3>Assessments</h3>
        {{^assessments}}<p class="state-never_assessed">Never assessed.</p>{{/assessments}}
        {{#assessments}}
        <p><strong>{{templateTitle}}</strong> ({{template}}): {{key}}, assessed on {{assessedOn}} by {{assessor}}: {{percent}}% complete.</p>
        <table>
        <tr><th>Group</th><th>Met</th><th>Partial</th><th>Unmet</th><th>Unanswered</th><th>N/A</th><th>Completion</th></tr>
        {{#groups}}<tr><td>{{group}} {{label}}</td><td>{{met}}</td><td>{{partial}}</td><td>{{unmet}}</td><td>{{unanswered}}</td><td>{{notApplicable}}</td><td>{{percent}}%</td></tr>{{/groups}}
        </table>
        {{^empty(gaps)}}
        <table>
        <tr><th>Item</th><th>Status</th><th>Mandatory</th><th>Evidence</th><th>Note</th></tr>
        {{#gaps}}<tr><td>{{item}} {{title}}</td><td>{{status}}</td><td>{{#mandatory}}yes{{/mandatory}}{{^mandatory}}no{{/mandatory}}</td><td>{{evidence}}</td><td>{{note}}</td></tr>{{/gaps}}
        </table>
        {{/empty(gaps)}}
        {{/assessments}}
        <h3>Risk score: {{risk.score}} ({{risk.level}})</h3>
        <table>
        <tr><th>Factor</th><th>Points</th></tr>
        {{#risk.factors}}<tr><td>{{factor}}</td><td>{{points}}</td></tr>{{/risk.factors}}
        </table>
        {{/vendors}}
        {{/data}}
        {{> html_foot}}
        """

    static let ropaHTML = html + """
        {{> html_head}}
        {{#data}}
        {{#controller}}
        <h2>Controller</h2>
        <ul>
        <li>Name: {{name}}</li>
        <li>Country: {{country}}</li>
        {{#address}}<li>Address: {{address}}</li>{{/address}}
        {{#representative}}<li>Representative: {{representative}}</li>{{/representative}}
        <li>Contact: {{contact}}</li>
        </ul>
        {{/controller}}
        <h2>Processing activities</h2>
        <table>
        <tr><th>Service</th><th>Purpose</th><th>Data subjects</th><th>Categories of personal data</th><th>Recipients</th><th>Transfers to third countries (safeguard)</th><th>Retention</th></tr>
        {{#activities}}
        <tr><td>{{service}}</td><td>{{purposeName}}</td><td>{{#dataSubjects}}{{.}}{{^last()}}; {{/last()}}{{/dataSubjects}}</td><td>{{#categories}}{{.}}{{^last()}}; {{/last()}}{{/categories}}</td><td>{{#recipients}}{{.}}{{^last()}}; {{/last()}}{{/recipients}}</td><td>{{#transfers}}{{recipient}} → {{countryName}} ({{safeguard}}){{^last()}}; {{/last()}}{{/transfers}}{{^transfers}}none{{/transfers}}</td><td>{{retention}}</td></tr>
        {{/activities}}
        </table>
        <h2>Technical and organisational security measures (Art. 32)</h2>
        <ul>{{#security}}<li>{{.}}</li>{{/security}}</ul>
        {{^security}}<p>No measures recorded as met.</p>{{/security}}
        {{/data}}
        {{> html_foot}}
        """
}

/// The Content-Security-Policy HTML reports are served with: nothing may load, no script
/// may run, and the only inline style allowed is the reports' own stylesheet (by its hash).
public enum HTMLPolicy {
    /// Allows exactly the stylesheets the templates carry (the internal reports' and the
    /// public disclosure's), by hash; nothing else loads or runs.
    public static let contentSecurityPolicy: String = {
        let hashes = [ReportTemplates.htmlHead, ReportTemplates.disclosurePublicHTML].compactMap { template -> String? in
            guard let open = template.range(of: "<style>"),
                let close = template.range(of: "</style>", range: open.upperBound..<template.endIndex)
            else { return nil }
            let digest = SHA256.hash(data: Data(template[open.upperBound..<close.lowerBound].utf8))
            return "'sha256-" + Data(digest).base64EncodedString() + "'"
        }
        let style = hashes.isEmpty ? "'none'" : hashes.joined(separator: " ")
        return "default-src 'none'; style-src \(style); img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }()
}
