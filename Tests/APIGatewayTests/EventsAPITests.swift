import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Platform
import TestSupport
import Testing

/// `/events/v1/Subscriptions` and `/events/v1/Deliveries` over HTTP.
@Suite struct EventsAPITests {
    static let subscriptions = "/events/v1/Subscriptions"
    static let deliveries = "/events/v1/Deliveries"
    static let hook = "https://203.0.113.10/hook"

    /// Creates one of the owner's subscriptions: to `hook` for `account.*` unless `parameters` set `Url` or `EventTypes`.
    private func createSubscription(_ gateway: GatewayHarness, _ parameters: [(String, String)] = []) async throws -> [String: Any] {
        let defaults = [("Url", Self.hook), ("EventTypes", "account.*")].filter { name, _ in !parameters.contains { $0.0 == name } }
        let response = try await gateway.send(.post, Self.subscriptions, as: gateway.ownerCredentials, form: defaults + parameters)
        #expect(response.status == .created)
        return try response.json()
    }

    @Test func subscriptionLifecycle() async throws {
        try await GatewayHarness.run { gateway in
            let owner = gateway.ownerCredentials
            let created = try await createSubscription(gateway, [("FriendlyName", "ops")])
            let sid = try #require(created["sid"] as? String)
            #expect(sid.hasPrefix("ES"))
            #expect(created["account_sid"] as? String == gateway.owner.sid.rawValue)
            #expect(created["url"] as? String == Self.hook)
            #expect(created["event_types"] as? [String] == ["account.*"])
            #expect(created["format"] as? String == "json" && created["method"] as? String == "POST")
            #expect(created["enabled"] as? Bool == true && created["disabled_reason"] is NSNull)
            #expect(created["friendly_name"] as? String == "ops" && created["previous_secret_expires_at"] is NSNull)
            #expect((created["date_created"] as? String)?.hasSuffix("Z") == true)
            let secret = try #require(created["secret"] as? String)
            #expect(try WebhookSecret(parsing: secret).serialized == secret && secret.hasPrefix("whsec_"))
            let links = try #require(created["links"] as? [String: String])
            #expect(links["self"] == "https://parley.test/events/v1/Subscriptions/\(sid)")
            #expect(links["deliveries"] == "https://parley.test/events/v1/Deliveries?SubscriptionSid=\(sid)")

            let path = "\(Self.subscriptions)/\(sid)"
            let fetched = try await gateway.send(.get, path, as: owner).json()
            #expect(fetched["sid"] as? String == sid && fetched["secret"] == nil)

            let listed = try await gateway.send(.get, Self.subscriptions, as: owner).json()
            let items = try #require(listed["subscriptions"] as? [[String: Any]])
            #expect(items.map { $0["sid"] as? String } == [sid] && items[0]["secret"] == nil)
            let meta = try #require(listed["meta"] as? [String: Any])
            #expect(meta["key"] as? String == "subscriptions")
            #expect(meta["url"] as? String == "https://parley.test/events/v1/Subscriptions?PageSize=50&Page=0")
            let disabledOnly = try await gateway.send(.get, "\(Self.subscriptions)?Enabled=FALSE", as: owner).json()
            #expect((disabledOnly["subscriptions"] as? [Any])?.isEmpty == true)

            let updated = try await gateway.send(
                .post, path, as: owner,
                form: [("Url", "https://203.0.113.11/form"), ("EventTypes", "key.created,key.deleted"), ("Format", "form"), ("Method", "get"),
                       ("Enabled", "false"), ("FriendlyName", "renamed")])
            #expect(updated.status == .ok)
            let changed = try updated.json()
            #expect(changed["url"] as? String == "https://203.0.113.11/form" && changed["event_types"] as? [String] == ["key.created", "key.deleted"])
            #expect(changed["format"] as? String == "form" && changed["method"] as? String == "GET")
            #expect(changed["enabled"] as? Bool == false && changed["friendly_name"] as? String == "renamed" && changed["secret"] == nil)

            let rotated = try await gateway.send(.post, "\(path)/RotateSecret", as: owner)
            #expect(rotated.status == .ok)
            let rotatedJSON = try rotated.json()
            let newSecret = try #require(rotatedJSON["secret"] as? String)
            #expect(newSecret != secret && newSecret.hasPrefix("whsec_"))
            #expect(rotatedJSON["previous_secret_expires_at"] is String)

            #expect(try await gateway.send(.delete, path, as: owner).status == .noContent)
            #expect(try await gateway.send(.get, path, as: owner).errorCode() == (404, 20404))
            #expect(try await gateway.send(.delete, path, as: owner).errorCode() == (404, 20404))
        }
    }

    @Test func eventTypesRepeatAndCommaSeparate() async throws {
        try await GatewayHarness.run { gateway in
            let created = try await gateway.send(
                .post, Self.subscriptions, as: gateway.ownerCredentials,
                form: [("Url", Self.hook), ("EventTypes", " account.created , key.*,"), ("EventTypes", "account.created"), ("EventTypes", "*")])
            #expect(try created.json()["event_types"] as? [String] == ["account.created", "key.*", "*"])
        }
    }

    @Test func invalidParametersAre400AndCreateNothing() async throws {
        try await GatewayHarness.run { gateway in
            let owner = gateway.ownerCredentials
            let types = ("EventTypes", "account.*")
            let url = ("Url", Self.hook)
            let invalid: [[(String, String)]] = [
                [types],
                [url],
                [url, ("EventTypes", "")],
                [url, ("EventTypes", " , ")],
                [url, ("EventTypes", "acc*unt")],
                [url, ("EventTypes", "account.craeted")],
                [url, types, ("Format", "xml")],
                [url, types, ("Method", "PUT")],
                [url, types, ("Method", "GET")],
                [url, types, ("Method", "GET"), ("Format", "json")],
                [url, types, ("Enabled", "yes")],
                [("Url", "http://10.0.0.1/x"), types],
                [("Url", "http://127.0.0.1/x"), types],
                [("Url", "http://[::1]/x"), types],
                [("Url", "not a url"), types],
                [("Url", "ws://203.0.113.10/x"), types],
                [("Url", "https://203.0.113.10/x#ct=1"), types],
            ]
            for form in invalid {
                let response = try await gateway.send(.post, Self.subscriptions, as: owner, form: form)
                #expect(try response.errorCode() == (400, 20001), "\(form)")
            }
            let tooLong = try await gateway.send(.post, Self.subscriptions, as: owner, form: [url, types, ("FriendlyName", String(repeating: "x", count: 65))])
            #expect(try tooLong.errorCode() == (400, 20002))
            let listed = try await gateway.send(.get, Self.subscriptions, as: owner).json()
            #expect((listed["subscriptions"] as? [Any])?.isEmpty == true)
            #expect(try await gateway.send(.get, "\(Self.subscriptions)?Enabled=maybe", as: owner).errorCode() == (400, 20001))

            // Updates are checked the same way, against what the subscription already is.
            let formGet = try await createSubscription(gateway, [("Format", "form"), ("Method", "GET")])
            let path = "\(Self.subscriptions)/\(try #require(formGet["sid"] as? String))"
            for form in [[("Format", "json")], [("Url", "http://10.0.0.1/x")], [("EventTypes", "nope.*")], [("Enabled", "1")], [("Url", "")]] {
                #expect(try await gateway.send(.post, path, as: owner, form: form).errorCode() == (400, 20001), "\(form)")
            }
            let unchanged = try await gateway.send(.get, path, as: owner).json()
            #expect(unchanged["format"] as? String == "form" && unchanged["url"] as? String == Self.hook)
        }
    }

    @Test func otherAccountsSeeNothing() async throws {
        try await GatewayHarness.run { gateway in
            let sid = try #require(try await createSubscription(gateway)["sid"] as? String)
            _ = try await gateway.send(.post, "/api/2010-04-01/Accounts/\(gateway.owner.sid).json", as: gateway.ownerCredentials, form: [("FriendlyName", "Renamed")])
            let delivery = try #require(try await deliveries(gateway, "").first?["sid"] as? String)

            let stranger = Credentials(account: try await gateway.makeMainAccount("stranger"))
            let sub = Credentials(account: try await gateway.makeSubaccount(of: gateway.owner, "sub"))
            for outsider in [stranger, sub] {
                for (method, path) in [
                    (.get, "\(Self.subscriptions)/\(sid)"), (.post, "\(Self.subscriptions)/\(sid)/RotateSecret"), (.delete, "\(Self.subscriptions)/\(sid)"),
                    (.get, "\(Self.deliveries)/\(delivery)"), (.get, "\(Self.deliveries)/\(delivery)/Attempts"), (.post, "\(Self.deliveries)/\(delivery)/Replay"),
                ] as [(HTTPRequest.Method, String)] {
                    #expect(try await gateway.send(method, path, as: outsider).errorCode() == (404, 20404), "\(method) \(path)")
                }
                let lists = [Self.subscriptions, Self.deliveries]
                for list in lists {
                    let json = try await gateway.send(.get, list, as: outsider).json()
                    #expect((json[list == Self.subscriptions ? "subscriptions" : "deliveries"] as? [Any])?.isEmpty == true)
                }
            }
            // Malformed SIDs name nothing either.
            #expect(try await gateway.send(.get, "\(Self.subscriptions)/ES123", as: gateway.ownerCredentials).errorCode() == (404, 20404))
            #expect(try await gateway.send(.get, "\(Self.deliveries)/\(sid)", as: gateway.ownerCredentials).errorCode() == (404, 20404))
        }
    }

    /// The owner's deliveries listed with `query`.
    private func deliveries(_ gateway: GatewayHarness, _ query: String) async throws -> [[String: Any]] {
        let json = try await gateway.send(.get, Self.deliveries + query, as: gateway.ownerCredentials).json()
        return try #require(json["deliveries"] as? [[String: Any]])
    }

    @Test func deliveriesListFetchAttemptsAndReplay() async throws {
        try await GatewayHarness.run { gateway in
            let owner = gateway.ownerCredentials
            let accountHook = try #require(try await createSubscription(gateway)["sid"] as? String)
            let keyHook = try #require(
                try await createSubscription(gateway, [("Url", "https://203.0.113.12/keys"), ("EventTypes", "key.*"), ("Format", "form")])["sid"] as? String)
            _ = try await gateway.send(.post, "/api/2010-04-01/Accounts/\(gateway.owner.sid).json", as: owner, form: [("FriendlyName", "Renamed")])
            _ = try await gateway.send(.post, "/api/2010-04-01/Accounts/\(gateway.owner.sid)/Keys.json", as: owner, form: [])

            let all = try await deliveries(gateway, "")
            #expect(all.map { $0["event_type"] as? String } == ["account.updated", "key.created"])
            let first = all[0]
            let sid = try #require(first["sid"] as? String)
            #expect(sid.hasPrefix("ED") && first["subscription_sid"] as? String == accountHook)
            #expect((first["event_sid"] as? String)?.hasPrefix("EV") == true)
            #expect(first["url"] as? String == Self.hook && first["format"] as? String == "json" && first["method"] as? String == "POST")
            #expect(first["status"] as? String == "pending" && first["attempt_count"] as? Int == 0)
            #expect(first["next_attempt_at"] is String && first["date_delivered"] is NSNull && first["last_response_code"] is NSNull)
            let links = try #require(first["links"] as? [String: String])
            #expect(links["self"] == "https://parley.test/events/v1/Deliveries/\(sid)")
            #expect(links["attempts"] == "https://parley.test/events/v1/Deliveries/\(sid)/Attempts")
            #expect(links["replay"] == "https://parley.test/events/v1/Deliveries/\(sid)/Replay")

            let eventSid = try #require(first["event_sid"] as? String)
            #expect(try await deliveries(gateway, "?SubscriptionSid=\(keyHook)").map { $0["event_type"] as? String } == ["key.created"])
            #expect(try await deliveries(gateway, "?EventType=account.updated").map { $0["sid"] as? String } == [sid])
            #expect(try await deliveries(gateway, "?EventSid=\(eventSid)").map { $0["sid"] as? String } == [sid])
            #expect(try await deliveries(gateway, "?Url=https%3A%2F%2F203.0.113.12%2Fkeys").count == 1)
            #expect(try await deliveries(gateway, "?Status=pending").count == 2)
            #expect(try await deliveries(gateway, "?Status=delivered").isEmpty)
            #expect(try await deliveries(gateway, "?DateCreatedAfter=2000-01-01T00:00:00Z&DateCreatedBefore=2999-01-01").count == 2)
            #expect(try await deliveries(gateway, "?DateCreatedAfter=2999-01-01T00:00:00.000Z").isEmpty)
            let paged = try await gateway.send(.get, "\(Self.deliveries)?Status=pending&PageSize=1", as: owner).json()
            let meta = try #require(paged["meta"] as? [String: Any])
            #expect((meta["next_page_url"] as? String)?.hasPrefix("https://parley.test/events/v1/Deliveries?Status=pending&PageSize=1&Page=1&PageToken=") == true)
            for query in ["?Status=lost", "?SubscriptionSid=ED123", "?EventSid=\(sid)", "?DateCreatedAfter=yesterday", "?DateCreatedBefore=2026-13-01"] {
                #expect(try await gateway.send(.get, Self.deliveries + query, as: owner).errorCode() == (400, 20001), "\(query)")
            }

            let fetched = try await gateway.send(.get, "\(Self.deliveries)/\(sid)", as: owner).json()
            #expect(fetched["sid"] as? String == sid && fetched["event_type"] as? String == "account.updated")

            try await gateway.services.database.query(
                """
                INSERT INTO delivery_attempts (delivery_sid, number, account_sid, started_at, url, response_code, latency_ms, response_excerpt)
                VALUES (\(sid), 1, \(gateway.owner.sid.rawValue), now(), \(Self.hook), 503, 41.25, \(ByteBuffer(string: "busy")))
                """, logger: TestDatabase.logger)
            try await gateway.services.database.query(
                """
                UPDATE deliveries SET status = 'failed', attempt_count = 1, next_attempt_at = NULL, last_response_code = 503,
                    last_error = 'HTTP 503' WHERE sid = \(sid)
                """, logger: TestDatabase.logger)
            let attempts = try await gateway.send(.get, "\(Self.deliveries)/\(sid)/Attempts", as: owner).json()
            let attempt = try #require((attempts["attempts"] as? [[String: Any]])?.first)
            #expect(attempt["number"] as? Int == 1 && attempt["delivery_sid"] as? String == sid && attempt["response_code"] as? Int == 503)
            #expect(attempt["latency_ms"] as? Int == 41 && attempt["response_body"] as? String == "busy" && attempt["error"] is NSNull)
            #expect(attempt["account_sid"] as? String == gateway.owner.sid.rawValue && attempt["url"] as? String == Self.hook)
            #expect(attempt["date_started"] is String)
            #expect((attempts["meta"] as? [String: Any])?["key"] as? String == "attempts")

            let replayed = try await gateway.send(.post, "\(Self.deliveries)/\(sid)/Replay", as: owner)
            #expect(replayed.status == .ok)
            let replayedJSON = try replayed.json()
            #expect(replayedJSON["status"] as? String == "pending" && replayedJSON["last_error"] is NSNull && replayedJSON["next_attempt_at"] is String)
            #expect(replayedJSON["attempt_count"] as? Int == 1)

            #expect(try await gateway.send(.delete, "\(Self.subscriptions)/\(accountHook)", as: owner).status == .noContent)
            let orphan = try await gateway.send(.get, "\(Self.deliveries)/\(sid)", as: owner).json()
            #expect(orphan["status"] as? String == "failed" && orphan["last_error"] as? String == "subscription deleted")
            #expect(orphan["subscription_sid"] is NSNull)
            #expect(try await gateway.send(.post, "\(Self.deliveries)/\(sid)/Replay", as: owner).errorCode() == (400, 20001))
        }
    }
}
