import DomicileCore
import Foundation
import Postgres

/// `diff`: what started, ended or changed in the registry between two days.
extension Store {
    /// The vendors, residencies, entrustments, provisions and transmissions whose `valid_from`
    /// or `valid_to` falls after `from` and on or before `to`, the entrustments with a
    /// sub-entrustee whose own valid time starts or ends then or whose contract was signed or
    /// ended then, and the assessments made then: one statement per kind (eight in all), read
    /// with the same queries as export, then paired by `RegistryDiff`.
    public func diff(from: Day, to: Day) throws -> RegistryDiff {
        var records: [EntityKind: [Record]] = [:]
        for kind in RegistryDiff.kinds {
            // the keys come from the table itself, so its valid_from and valid_to indexes serve
            let table = Self.tables[kind]!
            let sql = "SELECT * FROM (" + Self.readQueries[kind]! + ") AS record WHERE key IN (SELECT key FROM " + table
                + " WHERE valid_from > $1::date AND valid_from <= $2::date UNION SELECT key FROM " + table
                + " WHERE valid_to > $1::date AND valid_to <= $2::date) ORDER BY key COLLATE \"C\""
            records[kind] = try connection.query(sql, [from.description, to.description]).rows.map { row in
                kind.schema.withoutDefaults(try Self.record(from: row, schema: kind.schema))
            }
        }
        // the entrustments with a sub-entrustee whose own valid_from or valid_to falls in between
        let subSQL = "SELECT * FROM (" + Self.readQueries[.entrustment]! + """
            ) AS record WHERE key IN (SELECT e.key FROM sub_entrustee se JOIN entrustment e ON e.id = se.entrustment_id
                WHERE (se.valid_from > $1::date AND se.valid_from <= $2::date)
                   OR (se.valid_to > $1::date AND se.valid_to <= $2::date))
            ORDER BY key COLLATE "C"
            """
        let subEntrustments = try connection.query(subSQL, [from.description, to.description]).rows.map { row in
            EntityKind.entrustment.schema.withoutDefaults(try Self.record(from: row, schema: EntityKind.entrustment.schema))
        }
        // contract events and assessments made in between
        let contractSQL = "SELECT * FROM (" + Self.readQueries[.entrustment]! + """
            ) AS record WHERE key IN (SELECT key FROM entrustment
                WHERE (contract_signed_on > $1::date AND contract_signed_on <= $2::date)
                   OR (contract_expires_on > $1::date AND contract_expires_on <= $2::date))
            ORDER BY key COLLATE "C"
            """
        let contracts = try connection.query(contractSQL, [from.description, to.description]).rows.map { row in
            EntityKind.entrustment.schema.withoutDefaults(try Self.record(from: row, schema: EntityKind.entrustment.schema))
        }
        let assessmentSQL = "SELECT * FROM (" + Self.readQueries[.assessment]! + """
            ) AS record WHERE key IN (SELECT key FROM assessment WHERE assessed_on > $1::date AND assessed_on <= $2::date)
            ORDER BY key COLLATE "C"
            """
        let assessments = try connection.query(assessmentSQL, [from.description, to.description]).rows.map { row in
            EntityKind.assessment.schema.withoutDefaults(try Self.record(from: row, schema: EntityKind.assessment.schema))
        }
        return RegistryDiff(
            from: from, to: to, records: records, subEntrustments: subEntrustments, contracts: contracts,
            assessments: assessments)
    }

    /// Validates a typed request (`from`, `to` default today) and answers it; issues name
    /// `from` and `to`. The CLI and the HTTP API both call this.
    public func diff(_ request: DiffRequest, today: Day = .today) throws -> RegistryDiff {
        let range = try request.validated(today: today)
        return try diff(from: range.from, to: range.to)
    }
}
