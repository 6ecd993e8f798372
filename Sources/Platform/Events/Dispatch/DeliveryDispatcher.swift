import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Sends due deliveries: claims them in batches, sends each outside any transaction through the egress
/// client, and records the outcome. Runs inside every `parley serve`; any number may share a database.
public final class DeliveryDispatcher: Service, Sendable {
    public struct Configuration: Sendable {
        /// Most requests in flight at once; 0 runs no worker in this process.
        public var concurrency: Int
        /// How long a claim is held before another worker may take the delivery over. Longer than the
        /// longest request (15 s) so a slow receiver is not sent the same delivery twice.
        public var lease: Duration
        /// Longest sleep when nothing wakes the dispatcher (other processes' retries come due, say).
        public var pollInterval: Duration
        public var schedule: RetrySchedule

        public init(concurrency: Int = 64, lease: Duration = .seconds(30), pollInterval: Duration = .seconds(2), schedule: RetrySchedule = .standard) {
            self.concurrency = concurrency
            self.lease = lease
            self.pollInterval = pollInterval
            self.schedule = schedule
        }
    }

    /// The PostgreSQL channel that wakes other processes' dispatchers.
    public static let notificationChannel = "parley_deliveries"
    /// At most one cross-process notification per this interval: NOTIFY is never per event.
    static let broadcastInterval: Duration = .milliseconds(200)

    private let configuration: Configuration
    private let database: Database
    private let claims: DeliveryClaims
    private let client: EgressHTTPClient
    private let breakers: CircuitBreakers
    private let signal: DeliverySignal
    private let recorder: DeliveryRecorder
    private let metrics = DeliveryMetrics()
    private let logger: Logger
    private let inFlight = Atomic<Int>(0)
    /// Finished once the schema is in place: claiming before the migrations ran would fail, and the failed
    /// preparation of a statement sticks to its connection.
    private let (databaseReadiness, databaseReadinessContinuation) = AsyncStream.makeStream(of: Void.self)
    /// Subscriptions that answered 410 and whose disabling is not written yet: their other deliveries,
    /// claimed meanwhile, are failed without being sent.
    private let goneSubscriptions = GoneSubscriptions()

    public init(
        configuration: Configuration, database: Database, secrets: SecretBox, client: EgressHTTPClient,
        breakers: CircuitBreakers = CircuitBreakers(), signal: DeliverySignal, logger: Logger
    ) {
        self.configuration = configuration
        self.database = database
        self.claims = DeliveryClaims(database: database, secrets: secrets, lease: configuration.lease, holder: RandomToken.hex(byteCount: 8))
        self.client = client
        self.breakers = breakers
        self.signal = signal
        self.recorder = DeliveryRecorder(database: database, logger: logger) { [goneSubscriptions, signal] batch in
            goneSubscriptions.remove(batch.compactMap { $0.subscriptionSid.flatMap { SID($0) } })
            Self.wake(signal, forRetriesIn: batch, sooner: configuration.pollInterval)
            if batch.contains(where: { $0.releasesSuccessor && $0.status != "pending" }) { signal.wake() }
        }
        self.logger = logger
    }

    /// Subscribes to other processes' wake-ups; call before the listener runs.
    public func listen(with listener: NotificationListener) {
        listener.on(Self.notificationChannel) { [signal] _ in signal.wake() }
        listener.onResynchronize { [signal] in signal.wake() }
    }

    /// Lets the workers start: call once the database is migrated.
    public func databaseIsReady() {
        databaseReadinessContinuation.finish()
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in databaseReadiness {}
        } onGracefulShutdown: { [databaseReadinessContinuation] in
            databaseReadinessContinuation.finish()
        }
        if Task.isCancelled || Task.isShuttingDownGracefully { return }
        let recording = Task { await recorder.run() }
        let housekeeping = Task { await tick() }
        let broadcasting = Task { await broadcast() }
        await withDiscardingTaskGroup { sends in
            await withGracefulShutdownHandler {
                // With no workers, wakes are only drained: this process enqueues, and broadcasts to others.
                for await _ in signal.wakes where configuration.concurrency > 0 { await fill(&sends) }
            } onGracefulShutdown: { [signal] in
                signal.finish()
            }
        }
        // Every send has finished: write their outcomes, then stop.
        housekeeping.cancel()
        broadcasting.cancel()
        recorder.finish()
        await recording.value
    }

    /// Claims and starts deliveries until the slots are full or nothing more is due.
    private func fill(_ sends: inout DiscardingTaskGroup) async {
        while !Task.isCancelled {
            let free = configuration.concurrency - inFlight.load(ordering: .relaxed)
            guard free > 0 else { return }  // a finishing send wakes us
            let claimed: [ClaimedDelivery]
            do {
                claimed = try await claims.claim(limit: free, logger: logger)
            } catch {
                logger.error("could not claim deliveries", metadata: ["error": "\(String(reflecting: error))"])
                return  // the poll tries again
            }
            for delivery in claimed {
                inFlight.add(1, ordering: .relaxed)
                metrics.inFlight.record(inFlight.load(ordering: .relaxed))
                sends.addTask { [self] in
                    await deliver(delivery)
                    let before = inFlight.subtract(1, ordering: .relaxed).oldValue
                    metrics.inFlight.record(before - 1)
                    if before == configuration.concurrency { signal.wake() }
                }
            }
            if claimed.count < free { return }
        }
    }

    /// Sends one delivery and queues its outcome for recording.
    private func deliver(_ delivery: ClaimedDelivery) async {
        let started = Date.now
        if delivery.attempt == 1 {
            metrics.firstAttemptDelay.recordSeconds(started.timeIntervalSince(delivery.createdAt))
        }
        if let subscription = delivery.subscriptionSid, goneSubscriptions.contains(subscription) {
            return fail(delivery, unsent: "subscription disabled: the receiver answered 410 Gone")
        }
        if delivery.format == .json, delivery.signingSecrets.isEmpty {
            return fail(delivery, unsent: "subscription deleted: nothing to sign with")
        }
        // An unusable URL is the client's to report (as a failed attempt); the breaker needs its endpoint.
        let requestURL = (try? ConnectionOverrides.parse(delivery.url).url) ?? delivery.url
        let target = try? client.policy.checkURL(requestURL)
        if let target, case .rejected(let retryAfter) = breakers.admit(target) {
            metrics.count(.circuitOpen, latency: .zero)
            recorder.add(DeliveryCompletion(
                deliverySid: delivery.sid.rawValue, accountSid: delivery.accountSid.rawValue, attempt: delivery.attempt,
                decision: .postponed(after: retryAfter + .milliseconds(Int64.random(in: 0...1000))), record: nil))
            return
        }
        let result = await client.send(delivery.outboundRequest(now: started))
        if Task.isCancelled { return }  // shutting down hard: the lease hands it to the next worker
        if let target {
            if AttemptOutcome.endpointFailed(result) {
                breakers.recordFailure(target)
            } else if result.statusCode != nil {
                breakers.recordSuccess(target)
            }
        }
        complete(delivery, result: result, started: started, url: requestURL)
    }

    private func complete(_ delivery: ClaimedDelivery, result: OutboundResult, started: Date, url: String) {
        let decision = DeliveryDecision.after(
            result, attemptInSchedule: delivery.attempt - delivery.scheduleStart,
            hasSubscription: delivery.subscriptionSid != nil, schedule: configuration.schedule)
        metrics.count(AttemptOutcome(result), latency: result.latency)
        metrics.count(decision)
        if decision == .gone, let subscription = delivery.subscriptionSid {
            goneSubscriptions.insert(subscription)
        }
        var error = result.failure?.description
        if error == nil, let status = result.statusCode, !(200...299).contains(status) { error = "HTTP \(status)" }
        if result.bodyTruncated { error = (error.map { $0 + "; " } ?? "") + "response longer than the 1 MiB read" }
        recorder.add(DeliveryCompletion(
            deliverySid: delivery.sid.rawValue, accountSid: delivery.accountSid.rawValue, attempt: delivery.attempt,
            decision: decision,
            record: .init(startedAt: started, url: url, responseCode: result.statusCode, latency: result.latency,
                          excerpt: Array(result.body.prefix(DeliveryCompletion.excerptLimit)), error: error),
            subscriptionSid: decision == .gone ? delivery.subscriptionSid?.rawValue : nil, releasesSuccessor: delivery.ordered))
    }

    /// Ends a delivery without sending it.
    private func fail(_ delivery: ClaimedDelivery, unsent reason: String) {
        metrics.count(.failed)
        recorder.add(DeliveryCompletion(
            deliverySid: delivery.sid.rawValue, accountSid: delivery.accountSid.rawValue, attempt: delivery.attempt,
            decision: .failed, record: nil, note: reason, releasesSuccessor: delivery.ordered))
    }

    /// Raises `signal` when the soonest retry just written comes due, if that is before the next poll: a
    /// receiver's `Retry-After: 1` is then honoured to the millisecond, not to the poll.
    private static func wake(_ signal: DeliverySignal, forRetriesIn batch: [DeliveryCompletion], sooner limit: Duration) {
        let soonest = batch.map(\.delaySeconds).filter { $0 >= 0 }.min()
        guard let soonest, soonest < limit.seconds else { return }
        Task {
            try await Task.sleep(for: .milliseconds(Int64(soonest * 1000) + 5))
            signal.wake()
        }
    }

    /// The slow poll, and the oldest-pending gauge.
    private func tick() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: configuration.pollInterval) } catch { return }
            signal.wake()
            if let age = try? await claims.oldestPendingAge(logger: logger) { metrics.oldestPending.record(age) }
        }
    }

    /// Tells other processes about new deliveries, at most once per ``broadcastInterval``, outside any transaction.
    private func broadcast() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: Self.broadcastInterval) } catch { return }
            guard signal.takeBroadcastRequest() else { continue }
            await Self.wakeDispatchers(database: database, logger: logger)
        }
    }

    /// Tells every process's dispatcher that deliveries may be due (for processes that write deliveries but
    /// run no dispatcher, such as media nodes). Best effort: their poll covers a lost notification.
    public static func wakeDispatchers(database: Database, logger: Logger) async {
        do {
            try await database.query("SELECT pg_notify(\(notificationChannel), '')", logger: logger)
        } catch {
            logger.debug("could not notify dispatchers", metadata: ["error": "\(error)"])
        }
    }
}

/// Subscriptions disabled in memory before the database says so.
private final class GoneSubscriptions: Sendable {
    private let sids = Mutex<Set<SID>>([])

    func insert(_ sid: SID) { _ = sids.withLock { $0.insert(sid) } }
    func contains(_ sid: SID) -> Bool { sids.withLock { $0.contains(sid) } }
    func remove(_ written: [SID]) {
        if !written.isEmpty { sids.withLock { $0.subtract(written) } }
    }
}
