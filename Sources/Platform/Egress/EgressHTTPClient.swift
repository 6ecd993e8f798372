import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// The one outbound HTTP client: webhooks, status callbacks and every other request to a URL someone
/// else configured go through it, behind ``EgressPolicy``.
///
/// The guard is applied twice. Before sending, a host name is resolved and the request refused when every
/// address it resolves to is refused, so refused hosts are normally never contacted. Then, on every new
/// connection, the address actually connected to is checked before any request byte is written: that is
/// the check that counts, since a name may resolve elsewhere the second time (DNS rebinding). Over
/// HTTPS the TLS handshake (with the host name in SNI) precedes that check.
///
/// Redirects are never followed (a 3xx is returned as the response), bodies are not decompressed, at
/// most ``EgressPolicy/defaultMaximumResponseBytes`` of a response are read, and Twilio's connection
/// overrides in the URL fragment (see ``ConnectionOverrides``) set timeouts and immediate retries.
public final class EgressHTTPClient: Sendable {
    /// At most this many clients for non-standard timeout pairs are kept; overrides are rare, and a
    /// request beyond them gets a client of its own for its duration.
    static let maximumExtraClients = 8
    static let userAgent = "Parley-Webhooks/1.0"

    private struct Timeouts: Hashable {
        var connect: Duration
        var read: Duration
    }

    private struct Clients {
        var byTimeouts: [Timeouts: HTTPClient]
        var isShutDown = false
    }

    let policy: EgressPolicy
    private let eventLoopGroup: any EventLoopGroup
    private let resolver: HostResolver
    private let clients: Mutex<Clients>

    /// A client applying `policy`, running on `eventLoopGroup`. Call ``shutdown()`` before dropping it.
    public convenience init(policy: EgressPolicy, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.init(policy: policy, eventLoopGroup: eventLoopGroup, resolver: HostResolver())
    }

    /// `resolver` answers the early check only; tests fool it to reach the connection-time check.
    init(policy: EgressPolicy, eventLoopGroup: any EventLoopGroup, resolver: HostResolver) {
        self.policy = policy
        self.eventLoopGroup = eventLoopGroup
        self.resolver = resolver
        let standard = Timeouts(connect: ConnectionOverrides.standard.connectTimeout, read: ConnectionOverrides.standard.readTimeout)
        let client = Self.makeClient(standard, policy: policy, eventLoopGroup: eventLoopGroup)
        self.clients = Mutex(Clients(byTimeouts: [standard: client]))
    }

    /// Closes every connection. Requests sent afterwards fail with ``OutboundFailure/other(_:)``.
    public func shutdown() async throws {
        let open = clients.withLock { clients in
            let open = Array(clients.byTimeouts.values)
            clients = Clients(byTimeouts: [:], isShutDown: true)
            return open
        }
        for client in open { try await client.shutdown() }
    }

    /// Configuration-time check of a URL a customer gives us (a subscription `Url`, a `StatusCallback`…):
    /// ``EgressPolicy/checkURL(_:)`` on the URL without its fragment, ``ConnectionOverrides/parse(_:)`` of
    /// the fragment (bad overrides are errors) and, when the host is a name, a lookup: throws
    /// ``EgressError/refused(_:reason:)`` if every address the name resolves to is refused. A name that
    /// does not resolve (no such name, no network, no answer within 5 s) is accepted: it is checked again
    /// at delivery.
    public func validate(_ url: String) async throws -> EgressTarget {
        let target = try policy.checkURL(try ConnectionOverrides.parse(url).url)
        guard IPAddress(target.host) == nil,
            let addresses = try? await Self.firstWithin(EgressPolicy.defaultConnectTimeout, { [resolver] in try await resolver.resolve(target.host) })
        else { return target }
        if let refusal = refusal(ofAll: addresses) { throw refusal }
        return target
    }

    /// Sends one request to `request.url` (without its fragment, which holds connection overrides) and
    /// reads the response. Never throws: every failure is in the result.
    public func send(_ request: OutboundRequest) async -> OutboundResult {
        let start = ContinuousClock.now
        var result: OutboundResult
        do {
            let (url, overrides) = try ConnectionOverrides.parse(request.url)
            let target = try policy.checkURL(url)
            guard target.scheme == "http" || target.scheme == "https" else {
                throw EgressError.invalidURL("requests are sent over http or https only")
            }
            // tt bounds the whole send, in-attempt retries included (as Twilio's does).
            let deadline = start + min(overrides.totalTimeout, EgressPolicy.defaultTotalTimeout)
            var tries = 0
            repeat {
                tries += 1
                result = await attempt(request, url: url, target: target, overrides: overrides, deadline: deadline)
            } while tries <= overrides.retryCount && ContinuousClock.now < deadline
                && Self.shouldRetry(result, policy: overrides.retryPolicy)
            result.target = target
            result.tries = tries
        } catch {
            // Parsing and checking the URL throw EgressError only.
            result = OutboundResult(failure: (error as? EgressError).map(OutboundFailure.init) ?? .other("\(error)"))
        }
        result.latency = ContinuousClock.now - start
        return result
    }

    /// One try: the early address check, then the request.
    private func attempt(
        _ request: OutboundRequest, url: String, target: EgressTarget, overrides: ConnectionOverrides,
        deadline: ContinuousClock.Instant
    ) async -> OutboundResult {
        if IPAddress(target.host) == nil, let failure = await earlyCheck(target.host, overrides: overrides, deadline: deadline) {
            return OutboundResult(failure: failure)
        }
        let timeouts = Timeouts(connect: overrides.connectTimeout, read: overrides.readTimeout)
        guard let (client, isOwn) = client(for: timeouts) else { return OutboundResult(failure: .other("the HTTP client is shut down")) }
        var outbound = HTTPClientRequest(url: url)
        outbound.method = .init(rawValue: request.method)
        for (name, value) in request.headers { outbound.headers.add(name: name, value: value) }
        if !outbound.headers.contains(name: "User-Agent") { outbound.headers.add(name: "User-Agent", value: Self.userAgent) }
        if let body = request.body { outbound.body = .bytes(ByteBuffer(bytes: body)) }

        var result = OutboundResult()
        do {
            let response = try await client.execute(outbound, deadline: .now() + TimeAmount(deadline - .now))
            result.statusCode = Int(response.status.code)
            result.headers = response.headers.map { ($0.name, $0.value) }
            // Stop at the limit: leaving the loop cancels the rest of the body and closes the connection.
            for try await chunk in response.body {
                let room = EgressPolicy.defaultMaximumResponseBytes - result.body.count
                if chunk.readableBytes > room {
                    result.body += chunk.readableBytesView.prefix(room)
                    result.bodyTruncated = true
                    break
                }
                result.body += chunk.readableBytesView
            }
        } catch {
            result.failure = Self.failure(for: error, overrides: overrides)
        }
        if isOwn { try? await client.shutdown() }
        return result
    }

    /// A failure when `host` resolves to refused addresses only, or does not resolve in time.
    private func earlyCheck(_ host: String, overrides: ConnectionOverrides, deadline: ContinuousClock.Instant) async -> OutboundFailure? {
        let limit = min(overrides.connectTimeout, deadline - .now)
        do {
            guard let addresses = try await Self.firstWithin(limit, { [resolver] in try await resolver.resolve(host) }) else {
                return .connect("the host name did not resolve within \(Self.milliseconds(limit)) ms")
            }
            return refusal(ofAll: addresses).map(OutboundFailure.init)
        } catch {
            return .connect("\(error)")
        }
    }

    /// The refusal of the first address when every one of `addresses` is refused.
    private func refusal(ofAll addresses: [IPAddress]) -> EgressError? {
        var first: EgressError?
        for address in addresses {
            guard case .refused(let reason) = policy.check(address) else { return nil }
            first = first ?? .refused(address, reason: reason)
        }
        return first
    }

    /// The cached client for `timeouts`, or a new one the caller owns and shuts down once the cache is
    /// full; nil after ``shutdown()``.
    private func client(for timeouts: Timeouts) -> (HTTPClient, isOwn: Bool)? {
        clients.withLock { clients in
            guard !clients.isShutDown else { return nil }
            if let client = clients.byTimeouts[timeouts] { return (client, false) }
            let client = Self.makeClient(timeouts, policy: policy, eventLoopGroup: eventLoopGroup)
            guard clients.byTimeouts.count <= Self.maximumExtraClients else { return (client, true) }
            clients.byTimeouts[timeouts] = client
            return (client, false)
        }
    }

    private static func makeClient(_ timeouts: Timeouts, policy: EgressPolicy, eventLoopGroup: any EventLoopGroup) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(timeouts.connect), read: TimeAmount(timeouts.read)),
            decompression: .disabled,
            http1_1ConnectionDebugInitializer: connectionCheck(policy),
            http2ConnectionDebugInitializer: connectionCheck(policy)
        )
        configuration.httpVersion = .http1Only
        // Idle connections go before common servers drop them (Node.js after 5 s): reusing one the peer is
        // closing fails a request that never reached it. At most 8 connections per endpoint, so one
        // customer's receiver is not flooded.
        configuration.connectionPool = .init(idleTimeout: .seconds(4), concurrentHTTP1ConnectionsPerHostSoftLimit: 8)
        // One connection attempt per request; our own retries (rc) are explicit and counted.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
    }
}

// MARK: - The connection-time check

/// Why a connection was closed before use: its peer is refused. `message` is ``EgressError``'s.
struct ConnectionRefusedByPolicy: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension EgressHTTPClient {
    /// Runs on each new connection before AsyncHTTPClient writes to it: a connection whose peer the
    /// policy refuses is closed and fails with ``ConnectionRefusedByPolicy``.
    static func connectionCheck(_ policy: EgressPolicy) -> @Sendable (Channel) -> EventLoopFuture<Void> {
        { channel in
            guard let refusal = refusal(of: channel.remoteAddress, policy: policy) else {
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(refusal)
        }
    }

    /// Why a connection to `peer` must not be used, or nil when it may.
    static func refusal(of peer: SocketAddress?, policy: EgressPolicy) -> ConnectionRefusedByPolicy? {
        guard let address = peer.flatMap(IPAddress.init) else { return ConnectionRefusedByPolicy(message: "the connection has no IP peer address") }
        guard case .refused(let reason) = policy.check(address) else { return nil }
        return ConnectionRefusedByPolicy(message: EgressError.refused(address, reason: reason).description)
    }
}

// MARK: - Outcomes

extension EgressHTTPClient {
    /// Whether a try's outcome is one `policy` repeats. Refusals and invalid URLs never are.
    static func shouldRetry(_ result: OutboundResult, policy: Set<ConnectionOverrides.RetryReason>) -> Bool {
        switch result.failure {
        case .invalidURL?, .refused?: return false
        case .connect?: return policy.contains(.connect) || policy.contains(.all)
        case .timeout?: return policy.contains(.read) || policy.contains(.all)
        case .other?: return policy.contains(.all)
        case nil:
            switch result.statusCode ?? 0 {
            case 200..<300: return false
            case 400..<500: return policy.contains(.status4xx) || policy.contains(.all)
            case 500..<600: return policy.contains(.status5xx) || policy.contains(.all)
            default: return policy.contains(.all)
            }
        }
    }

    /// `error` as a failure whose message never repeats the URL (query strings may carry secrets).
    static func failure(for error: any Error, overrides: ConnectionOverrides) -> OutboundFailure {
        if let refusal = error as? ConnectionRefusedByPolicy { return .refused(refusal.message) }
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return .connect("no connection within \(Self.milliseconds(overrides.connectTimeout)) ms")
            case .tlsHandshakeTimeout: return .connect("the TLS handshake did not finish in time")
            case .readTimeout: return .timeout("nothing received for \(Self.milliseconds(overrides.readTimeout)) ms")
            case .deadlineExceeded:
                let total = min(overrides.totalTimeout, EgressPolicy.defaultTotalTimeout)
                return .timeout("no complete response within \(Self.milliseconds(total)) ms")
            case .remoteConnectionClosed: return .other("the server closed the connection before responding completely")
            default: return .other("HTTP client: \(error)")
            }
        case let error as NIOConnectionError:
            let reasons = error.connectionErrors.map { "\($0.target.ipAddress ?? "?"): \(describe($0.error))" }
            return .connect(reasons.isEmpty ? "\(error)" : reasons.joined(separator: "; "))
        case let error as IOError: return .connect(describe(error))
        case ChannelError.connectTimeout: return .connect("no connection within \(Self.milliseconds(overrides.connectTimeout)) ms")
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError: return .connect("TLS: \(error)")
        case is CancellationError: return .other("cancelled")
        default: return .other("\(error)")
        }
    }

    /// Whole milliseconds, for messages.
    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? IOError else { return "\(error)" }
        return String(cString: strerror(error.errnoCode)).lowercased()
    }
}

extension OutboundFailure {
    init(_ error: EgressError) {
        switch error {
        case .invalidURL(let reason): self = .invalidURL(reason)
        case .refused: self = .refused(error.description)
        }
    }
}

// MARK: - Public value types

/// One outbound request.
public struct OutboundRequest: Sendable {
    /// The URL as configured; it may carry Twilio connection overrides in its fragment (`#ct=…&rt=…`).
    public var url: String
    /// `GET` or `POST` (any method is sent as given).
    public var method: String
    public var headers: [(String, String)]
    public var body: [UInt8]?

    public init(url: String, method: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
    }
}

/// What came of an ``OutboundRequest``. A result with a ``failure`` failed, even when a status arrived
/// (the body was then cut short).
public struct OutboundResult: Sendable {
    /// Where the request went; nil when the URL was invalid.
    public var target: EgressTarget?
    /// The response status; nil when no response arrived.
    public var statusCode: Int?
    /// The response headers, in order.
    public var headers: [(String, String)]
    /// The response body, up to ``EgressPolicy/defaultMaximumResponseBytes``; the rest is not read.
    public var body: [UInt8]
    public var bodyTruncated: Bool
    /// The whole send, in-attempt retries included.
    public var latency: Duration
    /// 1 plus the in-attempt retries made (`rc`).
    public var tries: Int
    /// Nil when a whole response arrived, whatever its status.
    public var failure: OutboundFailure?

    public init(
        target: EgressTarget? = nil, statusCode: Int? = nil, headers: [(String, String)] = [], body: [UInt8] = [],
        bodyTruncated: Bool = false, latency: Duration = .zero, tries: Int = 1, failure: OutboundFailure? = nil
    ) {
        self.target = target
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
        self.bodyTruncated = bodyTruncated
        self.latency = latency
        self.tries = tries
        self.failure = failure
    }
}

/// Why an outbound request got no (complete) response. Messages never contain the URL.
public enum OutboundFailure: Sendable, Equatable, CustomStringConvertible {
    /// A bad URL or a bad connection-override fragment.
    case invalidURL(String)
    /// The egress guard refused the address; the message names the address and the range.
    case refused(String)
    /// No connection: refused, unreachable, no such host name, TLS failure, connect timeout.
    case connect(String)
    /// Connected, but no complete response within the read or total time.
    case timeout(String)
    case other(String)

    public var description: String {
        switch self {
        case .invalidURL(let message): "invalid outbound URL: \(message)"
        case .refused(let message): message
        case .connect(let message): "could not connect: \(message)"
        case .timeout(let message): "timed out: \(message)"
        case .other(let message): message
        }
    }
}

extension EgressHTTPClient {
    /// `body`'s result, or nil when it has not finished within `limit` (it then finishes unobserved).
    /// Lookups run on a thread that cannot be interrupted, so this waits on them rather than in them.
    static func firstWithin<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        let once = ResumeOnce<T?>()
        return try await withCheckedThrowingContinuation { continuation in
            once.continuation.withLock { $0 = continuation }
            let timer = Task {
                try await Task.sleep(for: limit)
                once.resume(with: .success(nil))
            }
            Task {
                do { once.resume(with: .success(try await body())) } catch { once.resume(with: .failure(error)) }
                timer.cancel()
            }
        }
    }
}

/// A continuation resumed by whichever of two tasks finishes first.
private final class ResumeOnce<T: Sendable>: Sendable {
    let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)

    func resume(with result: Result<T, any Error>) { continuation.withLock { $0.take() }?.resume(with: result) }
}
