import Foundation
import HTTPTypes
import Platform
import TestSupport
import Testing

/// Bad input gets Twilio's error body with the right status and code, and changes nothing.
@Suite struct ErrorConventionsTests {
    @Test func unknownRouteIs404JSON() async throws {
        try await GatewayHarness.run { gateway in
            for path in ["/nope", "/api/2010-04-01/Nothing.json", "/video/v1/Compositions"] {
                let response = try await gateway.send(.get, path, as: gateway.ownerCredentials)
                #expect(response.status == .notFound)
                let json = try response.json()
                #expect(json["code"] as? Int == 20404)
                #expect(json["status"] as? Int == 404)
                #expect(json["more_info"] as? String == "https://www.twilio.com/docs/errors/20404")
                #expect((json["message"] as? String)?.contains(path) == true)
            }
        }
    }

    @Test func missingOrMalformedCredentialsAre401() async throws {
        try await GatewayHarness.run { gateway in
            let path = "/api/2010-04-01/Accounts/\(gateway.owner.sid).json"
            var headerVariants: [HTTPFields] = [[:]]
            for value in ["Basic !!!notbase64", "Bearer abc", "Basic " + Data("no-colon".utf8).base64EncodedString(), "Basic"] {
                headerVariants.append([.authorization: value])
            }
            for headers in headerVariants {
                let response = try await gateway.send(.get, path, headers: headers)
                #expect(response.status == .unauthorized)
                #expect(try response.errorCode() == (401, 20003))
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            }
            let wrong = Credentials(username: gateway.owner.sid.rawValue, password: String(repeating: "0", count: 32))
            #expect(try await gateway.send(.get, path, as: wrong).errorCode() == (401, 20003))
            let unknown = Credentials(username: SID.generate(.account).rawValue, password: gateway.owner.authToken)
            #expect(try await gateway.send(.get, path, as: unknown).errorCode() == (401, 20003))
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await GatewayHarness.run { gateway in
            let response = try await gateway.send(.delete, "/api/2010-04-01/Accounts/\(gateway.owner.sid).json", as: gateway.ownerCredentials)
            #expect(response.status == .methodNotAllowed)
            #expect(try response.errorCode() == (405, 20405))
            #expect(Set(response.headers[.allow]?.components(separatedBy: ", ") ?? []) == ["GET", "POST"])
        }
    }

    @Test func oversizeBodyIs413AndCreatesNothing() async throws {
        try await GatewayHarness.run(configure: { $0.maximumBodySize = 1024 }) { gateway in
            let before = try await accountCount(gateway)
            let response = try await gateway.send(
                .post, "/api/2010-04-01/Accounts.json", as: gateway.ownerCredentials,
                form: [("FriendlyName", "x"), ("Padding", String(repeating: "a", count: 2048))])
            #expect(response.status == .contentTooLarge)
            #expect(try response.errorCode() == (413, 20413))
            #expect(try await accountCount(gateway) == before)
        }
    }

    @Test func invalidParametersAre400AndChangeNothing() async throws {
        try await GatewayHarness.run { gateway in
            let sub = try await gateway.makeSubaccount(of: gateway.owner, "sub")
            let path = "/api/2010-04-01/Accounts/\(sub.sid).json"
            let cases: [([(String, String)], Int)] = [
                ([("FriendlyName", "renamed"), ("Status", "bogus")], 20001),
                ([("FriendlyName", String(repeating: "n", count: 65)), ("Status", "suspended")], 20002),
            ]
            for (form, code) in cases {
                let response = try await gateway.send(.post, path, as: gateway.ownerCredentials, form: form)
                #expect(try response.errorCode() == (400, code))
            }
            let after = try #require(try await gateway.services.accounts.find(sub.sid, visibleTo: gateway.owner.sid, logger: TestDatabase.logger))
            #expect(after.friendlyName == "sub")
            #expect(after.status == .active)

            let before = try await accountCount(gateway)
            let long = try await gateway.send(
                .post, "/api/2010-04-01/Accounts.json", as: gateway.ownerCredentials, form: [("FriendlyName", String(repeating: "n", count: 65))])
            #expect(try long.errorCode() == (400, 20002))
            #expect(try await accountCount(gateway) == before)
            for query in ["PageSize=abc", "PageSize=0", "Page=-1", "PageToken=garbage", "Status=bogus"] {
                let response = try await gateway.send(.get, "/api/2010-04-01/Accounts.json?\(query)", as: gateway.ownerCredentials)
                #expect(try response.errorCode() == (400, 20001), "\(query)")
            }
            let badEncoding = try await gateway.send(.get, "/api/2010-04-01/Accounts.json?FriendlyName=%zz", as: gateway.ownerCredentials)
            #expect(try badEncoding.errorCode() == (400, 20001))
        }
    }

    @Test func jsonBodiesAreRefused() async throws {
        try await GatewayHarness.run { gateway in
            let response = try await gateway.client.execute(
                uri: "/api/2010-04-01/Accounts.json", method: .post,
                headers: [.authorization: gateway.ownerCredentials.basicHeader, .contentType: "application/json"],
                body: .init(string: #"{"FriendlyName":"x"}"#))
            #expect(try response.errorCode() == (415, 20415))
        }
    }

    @Test func everyResponseCarriesARequestID() async throws {
        try await GatewayHarness.run { gateway in
            for path in ["/health", "/nope", "/api/2010-04-01/Accounts.json"] {
                let id = try #require(try await gateway.send(.get, path).headers[HTTPField.Name("Twilio-Request-Id")!])
                #expect(SID(id, prefix: .request) != nil)
            }
        }
    }

    private func accountCount(_ gateway: GatewayHarness) async throws -> Int {
        try await gateway.services.accounts.count(logger: TestDatabase.logger)
    }
}
