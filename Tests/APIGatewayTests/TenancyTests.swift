import Foundation
import Platform
import TestSupport
import Testing

/// Subaccounts, keys and account status through the HTTP API.
@Suite struct TenancyTests {
    @Test func parentCreatesAndActsOnSubaccounts() async throws {
        try await GatewayHarness.run { gateway in
            let created = try await gateway.send(.post, "/api/2010-04-01/Accounts.json", as: gateway.ownerCredentials, form: [("FriendlyName", "child")])
            #expect(created.status == .created)
            let json = try created.json()
            let sid = try #require(json["sid"] as? String)
            #expect(json["owner_account_sid"] as? String == gateway.owner.sid.rawValue)
            #expect((json["auth_token"] as? String)?.count == 32)
            #expect(json["uri"] as? String == "/2010-04-01/Accounts/\(sid).json")
            #expect(try await gateway.send(.get, "/api/2010-04-01/Accounts/\(sid).json", as: gateway.ownerCredentials).status == .ok)
            // The parent manages the subaccount's keys.
            let key = try await gateway.send(.post, "/api/2010-04-01/Accounts/\(sid)/Keys.json", as: gateway.ownerCredentials, form: [])
            #expect(key.status == .created)
        }
    }

    @Test func subaccountSeesNeitherParentNorSiblings() async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.makeSubaccount(of: gateway.owner, "first")
            let second = try await gateway.makeSubaccount(of: gateway.owner, "second")
            let asFirst = Credentials(account: first)
            for target in [gateway.owner.sid, second.sid] {
                for path in ["/api/2010-04-01/Accounts/\(target).json", "/api/2010-04-01/Accounts/\(target)/Keys.json"] {
                    #expect(try await gateway.send(.get, path, as: asFirst).errorCode() == (404, 20404))
                }
            }
            let list = try await gateway.send(.get, "/api/2010-04-01/Accounts.json", as: asFirst).json()
            #expect((list["accounts"] as? [[String: Any]])?.compactMap { $0["sid"] as? String } == [first.sid.rawValue])
            let nested = try await gateway.send(.post, "/api/2010-04-01/Accounts.json", as: asFirst, form: [])
            #expect(try nested.errorCode() == (403, 20403))
        }
    }

    @Test func suspendedAccountsCannotAuthenticateUntilReactivated() async throws {
        try await GatewayHarness.run { gateway in
            let sub = try await gateway.makeSubaccount(of: gateway.owner, "sub")
            let subPath = "/api/2010-04-01/Accounts/\(sub.sid).json"
            #expect(try await gateway.send(.get, subPath, as: Credentials(account: sub)).status == .ok)  // now cached
            let suspended = try await gateway.send(.post, subPath, as: gateway.ownerCredentials, form: [("Status", "suspended")])
            #expect(try suspended.json()["status"] as? String == "suspended")
            #expect(try await gateway.send(.get, subPath, as: Credentials(account: sub)).errorCode() == (401, 20005))
            #expect(try await gateway.send(.post, subPath, as: gateway.ownerCredentials, form: [("Status", "active")]).status == .ok)
            #expect(try await gateway.send(.get, subPath, as: Credentials(account: sub)).status == .ok)
        }
    }

    @Test func closingIsFinalAndNobodyChangesTheirOwnStatus() async throws {
        try await GatewayHarness.run { gateway in
            let sub = try await gateway.makeSubaccount(of: gateway.owner, "sub")
            let subPath = "/api/2010-04-01/Accounts/\(sub.sid).json"
            #expect(try await gateway.send(.post, subPath, as: gateway.ownerCredentials, form: [("Status", "closed")]).status == .ok)
            #expect(try await gateway.send(.get, subPath, as: Credentials(account: sub)).errorCode() == (401, 20005))
            #expect(try await gateway.send(.post, subPath, as: gateway.ownerCredentials, form: [("Status", "active")]).errorCode() == (400, 20001))
            let own = "/api/2010-04-01/Accounts/\(gateway.owner.sid).json"
            #expect(try await gateway.send(.post, own, as: gateway.ownerCredentials, form: [("Status", "suspended")]).errorCode() == (400, 20001))
            let renamed = try await gateway.send(.post, own, as: gateway.ownerCredentials, form: [("FriendlyName", "Renamed")])
            #expect(try renamed.json()["friendly_name"] as? String == "Renamed")
        }
    }

    @Test func keysAuthenticateUntilDeleted() async throws {
        try await GatewayHarness.run { gateway in
            let keysPath = "/api/2010-04-01/Accounts/\(gateway.owner.sid)/Keys.json"
            let created = try await gateway.send(.post, keysPath, as: gateway.ownerCredentials, form: [("FriendlyName", "ci")])
            let json = try created.json()
            let sid = try #require(json["sid"] as? String)
            let secret = try #require(json["secret"] as? String)
            let asKey = Credentials(username: sid, password: secret)
            let fetched = try await gateway.send(.get, "/api/2010-04-01/Accounts/\(gateway.owner.sid).json", as: asKey)
            #expect(fetched.status == .ok)
            let listed = try await gateway.send(.get, keysPath, as: asKey).json()
            let keys = try #require(listed["keys"] as? [[String: Any]])
            #expect(keys.count == 1 && keys[0]["secret"] == nil)
            #expect(try await gateway.send(.get, "/api/2010-04-01/Accounts/\(gateway.owner.sid)/Keys/\(sid).json", as: asKey).json()["secret"] == nil)
            let deleted = try await gateway.send(.delete, "/api/2010-04-01/Accounts/\(gateway.owner.sid)/Keys/\(sid).json", as: gateway.ownerCredentials)
            #expect(deleted.status == .noContent)
            #expect(try await gateway.send(.get, keysPath, as: asKey).errorCode() == (401, 20003))
        }
    }
}
