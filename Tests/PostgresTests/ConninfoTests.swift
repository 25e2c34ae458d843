import Postgres
import Testing

@Suite("Connection settings")
struct ConninfoTests {
    @Test("An explicit conninfo beats DATABASE_URL")
    func explicitBeatsEnvironment() {
        let resolved = Connection.resolveConninfo(
            "postgresql://explicit@host-a/db", environment: ["DATABASE_URL": "postgresql://env@host-b/db"])
        #expect(resolved == "postgresql://explicit@host-a/db")
    }

    @Test("DATABASE_URL is used when no conninfo is given, or an empty one")
    func environmentWhenNoExplicit() {
        let environment = ["DATABASE_URL": "postgresql://env@host-b/db", "PGHOST": "ignored"]
        #expect(Connection.resolveConninfo(nil, environment: environment) == "postgresql://env@host-b/db")
        #expect(Connection.resolveConninfo("", environment: environment) == "postgresql://env@host-b/db")
    }

    @Test("With neither, the conninfo is empty so libpq applies PG* variables and defaults")
    func emptyOtherwise() {
        #expect(Connection.resolveConninfo(nil, environment: [:]) == "")
        #expect(Connection.resolveConninfo(nil, environment: ["DATABASE_URL": ""]) == "")
        #expect(Connection.resolveConninfo("", environment: ["PGHOST": "db"]) == "")
    }

    @Test("Host and port are parsed from URLs and key=value strings; garbage gives nil")
    func parsedHost() throws {
        let url = try #require(Connection.parsedHost(of: "postgresql://user:secret@db.example:6543/registry"))
        #expect(url.host == "db.example")
        #expect(url.port == "6543")
        let keyValue = try #require(Connection.parsedHost(of: "host=/tmp/pg port=5433 dbname=x"))
        #expect(keyValue.host == "/tmp/pg")
        #expect(keyValue.port == "5433")
        let hostaddr = try #require(Connection.parsedHost(of: "hostaddr=10.0.0.5 dbname=x"))
        #expect(hostaddr.host == "10.0.0.5")
        #expect(Connection.parsedHost(of: "postgresql://[broken") == nil)
        #expect(Connection.parsedHost(of: "host='unterminated") == nil)
    }
}
