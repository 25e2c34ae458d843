/// The JSON of `domicile diff --format json`: `from`, `to` and `changes`, each change with
/// `date`, `change`, `kind`, `key`, `previous_key` (or `null`), `service`, `fields` (each
/// `field`, `before`, `after`), `record` and `previous` (or `null`). For kind `sub_entrustee`,
/// `key` is its entrustment and `record` the sub-entrustee.
public struct DiffOutput: Encodable, Sendable {
    public var from, to: String
    public var changes: [Change]

    enum CodingKeys: String, CodingKey, CaseIterable { case from, to, changes }

    public struct Change: Encodable, Sendable {
        public var date, change, kind, key: String
        @NullWhenAbsent public var previousKey: String?
        public var service: String
        public var fields: [Field]
        public var record: RecordOutput
        @NullWhenAbsent public var previous: RecordOutput?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case date, change, kind, key, previousKey = "previous_key", service, fields, record, previous
        }
    }

    /// One field of a `changed` record, before and after, as text.
    public struct Field: Encodable, Sendable {
        public var field, before, after: String

        enum CodingKeys: String, CodingKey, CaseIterable { case field, before, after }
    }
}

extension RegistryDiff {
    /// This diff as its JSON document.
    public var output: DiffOutput {
        DiffOutput(
            from: from.description, to: to.description,
            changes: changes.map { change in
                DiffOutput.Change(
                    date: change.date.description, change: change.change.rawValue, kind: change.kindName, key: change.key,
                    previousKey: change.previousKey, service: change.service,
                    fields: change.fields.map { DiffOutput.Field(field: $0.field, before: $0.before, after: $0.after) },
                    record: RecordOutput(change.record, schema: change.subEntrustee == nil ? change.kind.schema : EntitySchema.subEntrustee),
                    previous: change.previous.map { RecordOutput($0, schema: change.kind.schema) })
            })
    }
}
