import Foundation
import HTTPTypes
import Platform
import TestSupport
import Testing

/// `Idempotency-Key` on POST.
@Suite struct IdempotencyTests {
    static let key = HTTPField.Name("Idempotency-Key")!

    @Test func sameKeySameParametersReplaysWithoutWritingTwice() async throws {
        try await GatewayHarness.run { gateway in
            let before = try await gateway.services.accounts.count(logger: TestDatabase.logger)
            let first = try await gateway.send(.post, "/api/2010-04-01/Accounts.json", as: gateway.ownerCredentials, form: [("FriendlyName", "once")], headers: [Self.key: "k-1"])
            let second = try await gateway.send(.post, "/api/2010-04-01/Accounts.json", as: gateway.ownerCredentials, form: [("FriendlyName", "once")], headers: [Self.key: "k-1"])
            #expect(first.status == .created && second.status == .created)
            #expect(first.body == second.body)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(first.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
            #expect(try await gateway.services.accounts.count(logger: TestDatabase.logger) == before + 1)
        }
    }

    @Test func sameKeyOtherParametersIs422() async throws {
        try await GatewayHarness.run { gateway in
            _ = try await gateway.send(.post, "/api/2010-04-01/Accounts.json", as: gateway.ownerCredentials, form: [("FriendlyName", "a")], headers: [Self.key: "k-2"])
            let reused = try await gateway.send(.post, "/api/2010-04-01/Accounts.json", as: gateway.ownerCredentials, form: [("FriendlyName", "b")], headers: [Self.key: "k-2"])
            #expect(try reused.errorCode() == (422, 20422))
        }
    }

    @Test func failedRequestLeavesTheKeyFree() async throws {
        try await GatewayHarness.run { gateway in
            let bad = try await gateway.send(.post, "/api/2010-04-01/Accounts.json", as: gateway.ownerCredentials, form: [("FriendlyName", String(repeating: "x", count: 65))], headers: [Self.key: "k-3"])
            #expect(bad.status == .badRequest)
            let good = try await gateway.send(.post, "/api/2010-04-01/Accounts.json", as: gateway.ownerCredentials, form: [("FriendlyName", "fixed")], headers: [Self.key: "k-3"])
            #expect(good.status == .created)
        }
    }

    @Test func keysAreScopedByAccount() async throws {
        try await GatewayHarness.run { gateway in
            let other = try await gateway.makeMainAccount("other")
            let mine = try await gateway.send(.post, "/api/2010-04-01/Accounts.json", as: gateway.ownerCredentials, form: [("FriendlyName", "x")], headers: [Self.key: "shared"])
            let theirs = try await gateway.send(.post, "/api/2010-04-01/Accounts.json", as: Credentials(account: other), form: [("FriendlyName", "x")], headers: [Self.key: "shared"])
            #expect(theirs.status == .created)
            #expect(try theirs.json()["sid"] as? String != (try mine.json()["sid"] as? String))
        }
    }
}

/// The per-account token bucket.
@Suite struct RateLimitTests {
    @Test func excessRequestsGet429WithRetryAfter() async throws {
        try await GatewayHarness.run(configure: { $0.rateLimit = .init(ratePerSecond: 0.5, burst: 2) }) { gateway in
            let path = "/api/2010-04-01/Accounts/\(gateway.owner.sid).json"
            #expect(try await gateway.send(.get, path, as: gateway.ownerCredentials).status == .ok)
            #expect(try await gateway.send(.get, path, as: gateway.ownerCredentials).status == .ok)
            let limited = try await gateway.send(.get, path, as: gateway.ownerCredentials)
            #expect(try limited.errorCode() == (429, 20429))
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // Another tenant has its own bucket.
            let other = try await gateway.makeMainAccount("other")
            #expect(try await gateway.send(.get, "/api/2010-04-01/Accounts/\(other.sid).json", as: Credentials(account: other)).status == .ok)
        }
    }
}
