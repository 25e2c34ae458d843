import DomicileAPI
import Foundation
import Postgres
import Testing
import TestSupport

@Suite("API time limit")
struct APILimitsTests {
    /// A request stuck behind a lock another session holds is answered 503 once the request
    /// timeout has passed, and the server answers normally once the lock is gone.
    @Test func requestStuckInTheDatabaseIsA503TimeoutAndTheServerCarriesOn() async throws {
        try await APITest.withPersona { db in
            let token = try APITest.token(db)
            let locker = try db.connect()
            // The limit is long enough for an ordinary request on a loaded machine; the stuck
            // one waits it out.
            try await APITest.with(url: db.url, requestTimeout: .seconds(10)) { client in
                #expect(try await client.get("/v1/services", token: token).status == 200)
                try locker.unsafeExecuteScript("BEGIN; LOCK TABLE vendor IN ACCESS EXCLUSIVE MODE")
                let stuck = try await client.get("/v1/vendors", token: token)
                #expect(stuck.status == 503)
                #expect(stuck.errorCode == "request.timeout")
                #expect(stuck.headers["retry-after"] != nil)
                try locker.unsafeExecuteScript("ROLLBACK")
                #expect(try await client.get("/v1/vendors", token: token).status == 200)
            }
            locker.close()
        }
    }
}
