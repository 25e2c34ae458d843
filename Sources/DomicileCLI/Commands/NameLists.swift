import ArgumentParser
import DomicileCore
import DomicileStore
import Foundation

// `category list` and `purpose list`: the keys and the names by which a data category or a
// purpose may be given to every other command (docs/cli.md, "Names, not keys").

/// `--lang en|ja` for a listing of names: which language the table's name column is in.
struct NameLanguageOption: ParsableArguments {
    @Option(help: ArgumentHelp("en or ja: the table's name column in English (default) or Japanese; JSON and CSV carry both.", valueName: "lang"))
    var lang: NameLanguage = .en
}

enum NameLanguage: String, CaseIterable, ExpressibleByArgument {
    case en, ja
}

/// A listing of named records: key, name in `lang` (Japanese falling back to English), the
/// name in the other language, then `extra` fields. JSON keeps every field of the records.
func nameListing(_ records: [Record], kind: EntityKind, lang: NameLanguage, extra: [String]) -> Listing {
    guard lang == .ja else {
        return Listing(records: records, schema: kind.schema, columns: ["key", "name", "name_ja"] + extra)
    }
    let rows = records.map { record in
        [record.string("key") ?? "", record.string("name_ja") ?? record.string("name") ?? "", record.string("name") ?? ""]
            + extra.map { Listing.cell(record[$0]) }
    }
    return Listing(columns: ["key", "name_ja", "name"] + extra, rows: rows, records: records, schema: kind.schema)
}

struct PurposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purpose",
        abstract: "Purposes of use, as the privacy policy states them.",
        subcommands: [PurposeList.self])
}

struct PurposeList: ListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List purposes: key, English and Japanese name, the data categories each needs.",
        discussion: """
            A purpose may be named by its key, its English or Japanese name, or an
            unambiguous prefix wherever a command takes one (entrust --purposes).
            Add your own in a registry file's purposes section.

            Examples:
              domicile purpose list
              domicile purpose list --lang ja
              domicile purpose list --format csv > purposes.csv
              domicile purpose list --limit 20 --after KEY
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: ListingOptions
    @OptionGroup var language: NameLanguageOption
    @OptionGroup var page: PageOptions

    func render(_ store: Store) throws -> String {
        let records = page.page(try store.records(.purpose))
        if output.format == .csv { return RegistryCSV.emit(records, kind: .purpose) }
        return nameListing(records, kind: .purpose, lang: language.lang, extra: ["categories"]).render(output.format)
    }
}

extension Audit {
    /// The audit rows as JSON: each row an object whose `before` and `after` are the row's
    /// JSON objects (null when absent), and `id` a number.
    static func json(_ listing: Listing) -> String {
        let rows: [[String: JSONValue]] = listing.rows.map { row in
            var object: [String: JSONValue] = [:]
            for (column, cell) in zip(listing.columns, row) {
                switch column {
                case "before", "after":
                    object[column] = cell.isEmpty ? .null : (try? JSONDecoder().decode(JSONValue.self, from: Data(cell.utf8))) ?? .string(cell)
                case "id":
                    object[column] = Int64(cell).map(JSONValue.int) ?? .string(cell)
                default:
                    object[column] = .string(cell)
                }
            }
            return object
        }
        return JSONOutput.text(rows)
    }
}
