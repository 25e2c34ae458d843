import DomicileCore
import Postgres

extension Store {
    /// The audit log's key for what a person typed after `--entity KIND/`: a key the log
    /// holds as it is (a child row's `aws#contact0` too), else the record's name or prefix
    /// resolved as everywhere (`NameResolver`). Unknown or ambiguous is an `InputError` on
    /// field `entity` naming the nearest keys, never an empty answer.
    public func auditKey(entity: String, _ text: String) throws -> String {
        if try connection.query("SELECT 1 FROM audit_log WHERE entity = $1 AND entity_key = $2 LIMIT 1", [entity, text]).first != nil {
            return text
        }
        let resolver: NameResolver
        switch entity {
        case "country": resolver = try nameResolver(.country)
        case "region": resolver = try nameResolver(.region)
        case "checklist": resolver = try nameResolver(.template)
        default:
            if let kind = EntityKind(rawValue: entity) {
                resolver = try nameResolver(.record(kind))
            } else {
                // tokens: the names the log has seen
                let keys = try connection.query(
                    "SELECT DISTINCT entity_key AS key FROM audit_log WHERE entity = $1 AND entity_key IS NOT NULL ORDER BY 1", [entity]
                ).rows.map { NamedKey(key: try $0.decode(String.self, "key")) }
                resolver = NameResolver(noun: entity, forms: "name", candidates: keys)
            }
        }
        return try resolver.resolve(text, field: "entity")
    }
}
