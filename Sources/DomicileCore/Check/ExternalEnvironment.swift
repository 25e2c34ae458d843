/// The countries of the external environment (PPC GL §10-7): where the business's personal
/// data is handled abroad, itself or through others. Shared by the disclosure (which names
/// them with a summary of each one's system) and `domicile check` (environment.no_regime_facts).
public enum ExternalEnvironment {
    /// Country code → why it is part of the external environment (the first reason found), for
    /// `service` or for every service:
    /// - the country of each residency (the server's country), whoever the provider is: a
    ///   Japanese recipient with servers abroad owes no Art. 28 basis, but the server country
    ///   is part of the environment (GL 10-7; Q&A 10-24);
    /// - the recipient country (contracting entity, else headquarters) of each vendor holding
    ///   the data, the cloud provider under the cloud exception included: both the provider's
    ///   and the server's country (My Number Q&A 16-4; Q&A 10-25);
    /// - each entrustee's recipient country, and each sub-entrustee's countries and recipient
    ///   country (Q&A 10-24).
    /// The home country is included when it appears; callers leave it out.
    public static func countries(_ snapshot: RegistrySnapshot, service: String? = nil) -> [String: String] {
        var result: [String: String] = [:]
        func add(_ code: String, _ why: String) { if result[code] == nil { result[code] = why } }
        let residencies = service.map { snapshot.residencies(ofService: $0) } ?? snapshot.residencies
        for r in residencies {
            if let country = r.country { add(country, "residency \(r.key) keeps data there") }
            if let vendor = snapshot.vendor(r.vendor) {
                add(vendor.recipientCountry, "\(vendor.key), which holds data in residency \(r.key), is there")
            }
        }
        let entrustments = service.map { snapshot.entrustments(ofService: $0) } ?? snapshot.entrustments
        for e in entrustments {
            if let vendor = snapshot.vendor(e.vendor) {
                add(vendor.recipientCountry, "\(e.cloudException ? "cloud provider" : "entrustee") \(vendor.key) of \(e.key) is there")
            }
            for sub in e.subEntrustees {
                for country in sub.countries { add(country, "sub-entrustee \(sub.vendor) of \(e.key) handles data there") }
                if let vendor = snapshot.vendor(sub.vendor) {
                    add(vendor.recipientCountry, "sub-entrustee \(sub.vendor) of \(e.key) is there")
                }
            }
        }
        return result
    }
}
