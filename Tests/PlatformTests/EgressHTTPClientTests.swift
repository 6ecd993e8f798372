import NIOCore
import NIOPosix
@testable import Platform
import Synchronization
import Testing

/// Real requests over 127.0.0.1 to a ``LoopbackHTTPServer``.
@Suite struct EgressHTTPClientTests {
    /// Loopback allowlisted, as an operator whose webhooks run on the same machine would set it.
    static let loopbackAllowed = EgressPolicy(allowing: [try! IPAddressRange("127.0.0.0/8")])

    /// Runs `body` with a client and a server, shutting both down afterwards.
    func withClientAndServer(
        policy: EgressPolicy = loopbackAllowed, resolver: HostResolver = HostResolver(),
        replies: [LoopbackHTTPServer.Reply] = [], fallback: LoopbackHTTPServer.Reply = .respond(status: 200),
        _ body: (EgressHTTPClient, LoopbackHTTPServer) async throws -> Void
    ) async throws {
        let server = try await LoopbackHTTPServer.start(replies: replies, fallback: fallback)
        let client = EgressHTTPClient(policy: policy, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, resolver: resolver)
        do {
            try await body(client, server)
        } catch {
            try? await client.shutdown()
            try? await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    // MARK: Delivery

    @Test func postArrivesIntactAndTheResponseComesBack() async throws {
        try await withClientAndServer(replies: [.respond(status: 200, headers: [("X-Reply", "yes")], body: Array("<Response/>".utf8))]) { client, server in
            let body = Array("EventSid=EV1&FriendlyName=Caf%C3%A9".utf8)
            let result = await client.send(OutboundRequest(
                url: "http://127.0.0.1:\(server.port)/hook?x=1#rc=1",
                method: "POST",
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", "abc=")],
                body: body))

            #expect(result.failure == nil)
            #expect(result.statusCode == 200)
            #expect(result.body == Array("<Response/>".utf8))
            #expect(result.headers.contains { $0.0.lowercased() == "x-reply" && $0.1 == "yes" })
            #expect(!result.bodyTruncated)
            #expect(result.tries == 1)
            #expect(result.target == EgressTarget(scheme: "http", host: "127.0.0.1", port: server.port))
            let received = try #require(server.requests.only)
            #expect(received.method == "POST")
            #expect(received.uri == "/hook?x=1")
            #expect(received.header("Content-Type") == "application/x-www-form-urlencoded")
            #expect(received.header("X-Twilio-Signature") == "abc=")
            #expect(received.header("User-Agent") == "Parley-Webhooks/1.0")
            #expect(received.body == body)
        }
    }

    @Test func getWorksAndKeepsTheCallersUserAgent() async throws {
        try await withClientAndServer(replies: [.respond(status: 204)]) { client, server in
            let result = await client.send(OutboundRequest(
                url: "http://127.0.0.1:\(server.port)/status?CallSid=CA1", method: "GET", headers: [("user-agent", "Mine/2")]))
            #expect(result.failure == nil)
            #expect(result.statusCode == 204)
            let received = try #require(server.requests.only)
            #expect(received.method == "GET")
            #expect(received.uri == "/status?CallSid=CA1")
            #expect(received.headers.filter { $0.0.lowercased() == "user-agent" }.map(\.1) == ["Mine/2"])
        }
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        try await withClientAndServer(fallback: .respond(status: 302, headers: [("Location", "/elsewhere")])) { client, server in
            let result = await client.send(OutboundRequest(url: "http://127.0.0.1:\(server.port)/hook", method: "POST"))
            #expect(result.failure == nil)
            #expect(result.statusCode == 302)
            #expect(result.headers.contains { $0.0.lowercased() == "location" && $0.1 == "/elsewhere" })
            #expect(server.requests.map(\.uri) == ["/hook"])
        }
    }

    @Test func responsesAreReadUpToOneMebibyte() async throws {
        let limit = EgressPolicy.defaultMaximumResponseBytes
        let exact = [UInt8](repeating: 0x61, count: limit)
        let over = [UInt8](repeating: 0x62, count: limit + 1000)
        try await withClientAndServer(replies: [.respond(status: 200, body: exact), .respond(status: 200, body: over)]) { client, server in
            let url = "http://127.0.0.1:\(server.port)/"
            let whole = await client.send(OutboundRequest(url: url, method: "GET"))
            #expect(whole.failure == nil)
            #expect(whole.body == exact)
            #expect(!whole.bodyTruncated)

            let cut = await client.send(OutboundRequest(url: url, method: "GET"))
            #expect(cut.failure == nil)
            #expect(cut.statusCode == 200)
            #expect(cut.body.count == limit)
            #expect(cut.body.allSatisfy { $0 == 0x62 })
            #expect(cut.bodyTruncated)
        }
    }

    // MARK: Timeouts, failures, retries

    @Test func totalTimeoutFromTheFragment() async throws {
        try await withClientAndServer(fallback: .hang) { client, server in
            let result = await client.send(OutboundRequest(url: "http://127.0.0.1:\(server.port)/#tt=300", method: "POST"))
            #expect(result.failure == .timeout("no complete response within 300 ms"))
            #expect(result.statusCode == nil)
            #expect(result.latency >= .milliseconds(250))
            #expect(result.latency < .seconds(3))
            #expect(server.requests.count == 1)
        }
    }

    @Test func totalTimeoutBoundsInAttemptRetries() async throws {
        try await withClientAndServer(fallback: .hang) { client, server in
            let result = await client.send(OutboundRequest(url: "http://127.0.0.1:\(server.port)/#tt=500&rt=200&rc=5&rp=rt", method: "GET"))
            guard case .timeout? = result.failure else {
                Issue.record("expected a timeout, got \(String(describing: result.failure))")
                return
            }
            #expect((2...3).contains(result.tries))
            #expect(result.latency < .seconds(2))
            #expect(server.requests.count == result.tries)
        }
    }

    @Test func readTimeoutFromTheFragment() async throws {
        try await withClientAndServer(fallback: .hang) { client, server in
            let result = await client.send(OutboundRequest(url: "http://127.0.0.1:\(server.port)/#rt=200", method: "GET"))
            #expect(result.failure == .timeout("nothing received for 200 ms"))
            #expect(result.latency < .seconds(3))
        }
    }

    @Test func closedPortIsAConnectFailure() async throws {
        let closed = try await LoopbackHTTPServer.start()
        try await closed.shutdown()
        let client = EgressHTTPClient(policy: Self.loopbackAllowed)
        let result = await client.send(OutboundRequest(url: "http://127.0.0.1:\(closed.port)/#rc=2&rp=rt", method: "POST"))
        try await client.shutdown()
        guard case .connect(let message)? = result.failure else {
            Issue.record("expected a connect failure, got \(String(describing: result.failure))")
            return
        }
        // Refused, or reset when a parallel test's listener races for the freed port: a connect failure either way.
        #expect(message.contains("refused") || message.contains("reset"), "\(message)")
        #expect(result.tries == 1, "rp=rt does not retry connect failures")
    }

    @Test func retriesWithinTheAttemptPerTheFragment() async throws {
        let replies: [LoopbackHTTPServer.Reply] = [.respond(status: 503), .respond(status: 503), .respond(status: 200, body: [1])]
        try await withClientAndServer(replies: replies) { client, server in
            let result = await client.send(OutboundRequest(url: "http://127.0.0.1:\(server.port)/#rc=2&rp=5xx", method: "POST", body: [9]))
            #expect(result.failure == nil)
            #expect(result.statusCode == 200)
            #expect(result.body == [1])
            #expect(result.tries == 3)
            #expect(server.requests.map(\.body) == [[9], [9], [9]])
        }
    }

    @Test func defaultRetryPolicyDoesNotRepeatStatuses() async throws {
        try await withClientAndServer(replies: [.respond(status: 503), .respond(status: 200)]) { client, server in
            let result = await client.send(OutboundRequest(url: "http://127.0.0.1:\(server.port)/#rc=3", method: "POST"))
            #expect(result.statusCode == 503)
            #expect(result.failure == nil)
            #expect(result.tries == 1)
            #expect(server.requests.count == 1)
        }
    }

    @Test func retryPolicyOnFailures() {
        let table: [(OutboundFailure, Set<ConnectionOverrides.RetryReason>, Bool)] = [
            (.refused("r"), [.all, .connect, .read], false),
            (.invalidURL("u"), [.all], false),
            (.connect("c"), [.connect], true),
            (.connect("c"), [.read, .status5xx], false),
            (.connect("c"), [.all], true),
            (.timeout("t"), [.read], true),
            (.timeout("t"), [.connect], false),
            (.other("o"), [.connect, .read, .status4xx, .status5xx], false),
            (.other("o"), [.all], true),
        ]
        for (failure, policy, retried) in table {
            #expect(EgressHTTPClient.shouldRetry(OutboundResult(failure: failure), policy: policy) == retried, "\(failure) with \(policy)")
        }
    }

    @Test func retryPolicyOnStatuses() {
        let table: [(Int, Set<ConnectionOverrides.RetryReason>, Bool)] = [
            (200, [.all, .status4xx, .status5xx], false),
            (302, [.status4xx, .status5xx], false),
            (302, [.all], true),
            (404, [.status4xx], true),
            (404, [.status5xx, .connect], false),
            (500, [.status5xx], true),
            (500, [.all], true),
        ]
        for (status, policy, retried) in table {
            #expect(EgressHTTPClient.shouldRetry(OutboundResult(statusCode: status), policy: policy) == retried, "\(status) with \(policy)")
        }
    }

    @Test func invalidURLsAreReportedWithoutSending() async throws {
        let client = EgressHTTPClient(policy: EgressPolicy())
        let noScheme = await client.send(OutboundRequest(url: "example.com/hook?token=secret", method: "POST"))
        #expect(noScheme.failure == .invalidURL("expected scheme://host[:port][/path]"))
        #expect(noScheme.target == nil)
        let websocket = await client.send(OutboundRequest(url: "wss://example.com/stream", method: "GET"))
        #expect(websocket.failure == .invalidURL("requests are sent over http or https only"))
        let badFragment = await client.send(OutboundRequest(url: "https://example.com/#rc=9", method: "POST"))
        #expect(badFragment.failure == .invalidURL("URL fragment (connection overrides): rc must be a whole number from 0 to 5"))
        try await client.shutdown()
    }

    @Test func sendAfterShutdownFails() async throws {
        try await withClientAndServer { client, server in
            try await client.shutdown()
            let result = await client.send(OutboundRequest(url: "http://127.0.0.1:\(server.port)/", method: "GET"))
            #expect(result.failure == .other("the HTTP client is shut down"))
            #expect(server.connections == 0)
        }
    }

    // MARK: The egress guard

    @Test func loopbackLiteralIsRefusedWithoutConnecting() async throws {
        try await withClientAndServer(policy: EgressPolicy()) { client, server in
            let result = await client.send(OutboundRequest(url: "http://127.0.0.1:\(server.port)/#rc=5&rp=all", method: "POST"))
            #expect(result.failure == .refused(EgressError.refused(IPAddress("127.0.0.1")!, reason: "127.0.0.0/8 (loopback)").description))
            #expect(result.tries == 1)
            try await Task.sleep(for: .milliseconds(100))
            #expect(server.connections == 0)
        }
    }

    @Test func nameResolvingToLoopbackIsRefusedWithoutConnecting() async throws {
        try await withClientAndServer(policy: EgressPolicy()) { client, server in
            let result = await client.send(OutboundRequest(url: "http://localhost:\(server.port)/", method: "POST"))
            guard case .refused(let message)? = result.failure else {
                Issue.record("expected a refusal, got \(String(describing: result.failure))")
                return
            }
            #expect(message.contains("loopback"))
            #expect(result.target == EgressTarget(scheme: "http", host: "localhost", port: server.port))
            try await Task.sleep(for: .milliseconds(100))
            #expect(server.connections == 0)
        }
    }

    /// DNS rebinding: the early lookup says "public", the connection lands on loopback. The connection
    /// check closes it before a byte is written, and the failure says why.
    @Test func connectionToARefusedPeerIsClosedBeforeAnyByte() async throws {
        let fooled = HostResolver { _ in [IPAddress("93.184.216.34")!] }
        try await withClientAndServer(policy: EgressPolicy(), resolver: fooled) { client, server in
            let result = await client.send(OutboundRequest(url: "http://localhost:\(server.port)/#rc=2&rp=all", method: "POST", body: [1, 2, 3]))
            #expect(result.failure == .refused(EgressError.refused(IPAddress("127.0.0.1")!, reason: "127.0.0.0/8 (loopback)").description))
            #expect(result.tries == 1)
            #expect(result.statusCode == nil)
            #expect(await eventually { server.connections >= 1 && server.openConnections == 0 })
            #expect(server.bytesReceived == 0)
            #expect(server.requests.isEmpty)
        }
    }

    @Test func connectionCheckClassifiesPeers() throws {
        let policy = EgressPolicy()
        #expect(EgressHTTPClient.refusal(of: try SocketAddress(ipAddress: "93.184.216.34", port: 443), policy: policy) == nil)
        #expect(EgressHTTPClient.refusal(of: try SocketAddress(ipAddress: "2606:2800:220:1::1", port: 443), policy: policy) == nil)
        #expect(EgressHTTPClient.refusal(of: try SocketAddress(ipAddress: "169.254.169.254", port: 80), policy: policy)?.message
            == EgressError.refused(IPAddress("169.254.169.254")!, reason: "169.254.0.0/16 (link-local, including the cloud metadata service 169.254.169.254)").description)
        #expect(EgressHTTPClient.refusal(of: try SocketAddress(ipAddress: "::ffff:10.0.0.1", port: 80), policy: policy)?.message
            == EgressError.refused(IPAddress("::ffff:10.0.0.1")!, reason: "10.0.0.0/8 (private network)").description)
        #expect(EgressHTTPClient.refusal(of: try SocketAddress(ipAddress: "::1", port: 80), policy: policy) != nil)
        #expect(EgressHTTPClient.refusal(of: try SocketAddress(ipAddress: "::1", port: 80), policy: EgressPolicy(allowing: [try IPAddressRange("::1")])) == nil)
        #expect(EgressHTTPClient.refusal(of: nil, policy: policy)?.message == "the connection has no IP peer address")
    }

    @Test(arguments: [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "https://[::1]/",
    ])
    func validateRefuses(url: String) async throws {
        let client = EgressHTTPClient(policy: EgressPolicy())
        let error = await #expect(throws: EgressError.self) { try await client.validate(url) }
        try await client.shutdown()
        guard case .refused? = error else { Issue.record("expected a refusal, got \(String(describing: error))"); return }
    }

    @Test func validateAcceptsPublicAddressesAndUnresolvedNames() async throws {
        let client = EgressHTTPClient(policy: EgressPolicy())
        #expect(try await client.validate("http://93.184.216.34/hook#ct=1000") == EgressTarget(scheme: "http", host: "93.184.216.34", port: 80))
        #expect(try await client.validate("https://Nonexistent.invalid/") == EgressTarget(scheme: "https", host: "nonexistent.invalid", port: 443))
        try await client.shutdown()
    }

    @Test func validateRejectsBadFragmentsAndURLs() async throws {
        let client = EgressHTTPClient(policy: EgressPolicy())
        await #expect(throws: EgressError.invalidURL("URL fragment (connection overrides): unknown connection override \"x\" (known: ct, rt, tt, rc, rp)")) {
            try await client.validate("https://93.184.216.34/#x=1")
        }
        await #expect(throws: EgressError.invalidURL("credentials in the URL (user:password@) are not allowed")) {
            try await client.validate("https://user:pass@example.com/")
        }
        try await client.shutdown()
    }

    @Test func validateAcceptsLoopbackWhenAllowlisted() async throws {
        let client = EgressHTTPClient(policy: Self.loopbackAllowed)
        #expect(try await client.validate("http://localhost:3000/").host == "localhost")
        try await client.shutdown()
    }

    @Test func validateRefusesANameOnlyWhenEveryAddressIsRefused() async throws {
        let mixed = HostResolver { _ in [IPAddress("10.0.0.1")!, IPAddress("93.184.216.34")!] }
        let client = EgressHTTPClient(policy: EgressPolicy(), eventLoopGroup: MultiThreadedEventLoopGroup.singleton, resolver: mixed)
        #expect(try await client.validate("https://hooks.example.com/").host == "hooks.example.com")
        try await client.shutdown()

        let allPrivate = HostResolver { _ in [IPAddress("10.0.0.1")!, IPAddress("fd00::1")!] }
        let refusing = EgressHTTPClient(policy: EgressPolicy(), eventLoopGroup: MultiThreadedEventLoopGroup.singleton, resolver: allPrivate)
        await #expect(throws: EgressError.refused(IPAddress("10.0.0.1")!, reason: "10.0.0.0/8 (private network)")) {
            try await refusing.validate("https://hooks.example.com/")
        }
        try await refusing.shutdown()
    }
}

@Suite struct HostResolverTests {
    @Test func cachesAnswersButNotFailures() async throws {
        let calls = Counter()
        let resolver = HostResolver { host in
            calls.increment()
            guard host == "a.example" else { throw ResolutionError(message: "no such name") }
            return [IPAddress("93.184.216.34")!]
        }
        #expect(try await resolver.resolve("a.example") == [IPAddress("93.184.216.34")!])
        #expect(try await resolver.resolve("a.example") == [IPAddress("93.184.216.34")!])
        #expect(calls.value == 1)
        await #expect(throws: ResolutionError.self) { try await resolver.resolve("b.example") }
        await #expect(throws: ResolutionError.self) { try await resolver.resolve("b.example") }
        #expect(calls.value == 3)
    }

    @Test func expiredAnswersAreLookedUpAgain() async throws {
        let calls = Counter()
        let resolver = HostResolver(timeToLive: .milliseconds(50)) { _ in
            calls.increment()
            return [IPAddress("93.184.216.34")!]
        }
        _ = try await resolver.resolve("a.example")
        try await Task.sleep(for: .milliseconds(80))
        _ = try await resolver.resolve("a.example")
        #expect(calls.value == 2)
    }

    @Test func systemLookupFindsLoopbackForLocalhost() async throws {
        let addresses = try await HostResolver.system("localhost")
        #expect(addresses.contains(IPAddress("127.0.0.1")!) || addresses.contains(IPAddress("::1")!))
        #expect(addresses.allSatisfy { $0 == IPAddress("127.0.0.1")! || $0 == IPAddress("::1")! || $0.description.hasPrefix("127.") })
    }

    @Test func firstWithinGivesUpOnSlowWork() async throws {
        let start = ContinuousClock.now
        let answer = try await EgressHTTPClient.firstWithin(.milliseconds(50)) {
            try await Task.sleep(for: .seconds(10))
            return 1
        }
        #expect(answer == nil)
        // Far below the work's 10 s, with room for a loaded machine's scheduling.
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(try await EgressHTTPClient.firstWithin(.seconds(5)) { 7 } == 7)
    }
}

private final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}

extension Array {
    /// The single element, or nil when there are none or several.
    fileprivate var only: Element? { count == 1 ? first : nil }
}
