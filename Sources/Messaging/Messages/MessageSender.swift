import Foundation
import Logging
import Platform
import ServiceLifecycle
import Synchronization

/// Sends queued messages when their slot comes: claims the due ones, hands each to its carrier connection and
/// records the outcome, many at once. Wakes when a message is created here (``wake()``), when the next slot comes, and at least
/// every `pollInterval` (messages created by other gateways).
public final class MessageSender: Service, Sendable {
    let lifecycle: MessageLifecycle
    let carriers: [String: any CarrierConnection]
    let logger: Logger
    let pollInterval: Duration
    private let alarm: Alarm
    private let readiness: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation) = AsyncStream.makeStream()
    /// Messages claimed in one go.
    static let batchSize = 256
    /// Messages being sent at once, at most (a carrier that does not answer holds only these).
    static let maximumInFlight = 1024
    private let inFlight = Atomic<Int>(0)

    /// - Parameter alarm: rung when messages are queued (by the API, by inbound replies) to send them at once.
    public init(
        lifecycle: MessageLifecycle, carriers: [any CarrierConnection], alarm: Alarm, logger: Logger, pollInterval: Duration = .milliseconds(500)
    ) {
        self.alarm = alarm
        self.lifecycle = lifecycle
        self.carriers = Dictionary(carriers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.logger = logger
        self.pollInterval = pollInterval
    }

    /// The schema is migrated: sending may start.
    public func databaseIsReady() {
        readiness.continuation.finish()
    }

    /// A message was queued: look now.
    public func wake() {
        alarm.ring()
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in self.readiness.stream {}
            // Each message is sent by a task of its own, so one slow or unreachable carrier holds only its own
            // messages: the loop claims more whenever fewer than `maximumInFlight` are out.
            await withDiscardingTaskGroup { sends in
                while !Task.isCancelled {
                    let free = Self.maximumInFlight - self.inFlight.load(ordering: .relaxed)
                    guard free > 0 else {
                        await self.alarm.wait(atMost: self.pollInterval)
                        continue
                    }
                    do {
                        let due = try await self.lifecycle.claimDue(limit: min(free, Self.batchSize), logger: self.logger)
                        for message in due {
                            self.inFlight.add(1, ordering: .relaxed)
                            sends.addTask {
                                await self.send(message)
                                self.inFlight.subtract(1, ordering: .relaxed)
                                self.alarm.ring()
                            }
                        }
                        if !due.isEmpty { continue }
                        var wait = self.pollInterval
                        if let next = try await self.lifecycle.nextSlot(logger: self.logger) {
                            wait = min(wait, .milliseconds(max(1, Int64(next.timeIntervalSinceNow * 1000) + 1)))
                        }
                        await self.alarm.wait(atMost: wait)
                    } catch {
                        self.logger.error("message sending failed; retrying", metadata: ["error": "\(error)"])
                        await self.alarm.wait(atMost: .seconds(1))
                    }
                }
            }
        }
    }

    private func send(_ message: Message) async {
        let outcome: CarrierOutcome
        if let carrier = carriers[message.connection] {
            outcome = await carrier.submit(message)
        } else {
            // Twilio's 30008: the number's connection is not configured on this gateway.
            outcome = .rejected(errorCode: 30008, reason: "no carrier connection named \(message.connection)")
        }
        // Recorded even while the sender is being cancelled at shutdown: an interrupted message must get back to
        // the queue (an unstructured task does not inherit the cancellation).
        let (lifecycle, logger) = (lifecycle, logger)
        await Task {
            do {
                try await lifecycle.record(outcome, for: message.sid, logger: logger)
            } catch {
                logger.error("could not record a carrier outcome", metadata: ["message": "\(message.sid)", "error": "\(error)"])
            }
        }.value
    }
}

/// A wake-up that can be waited for with a time limit; rings that come while nobody waits are kept (one).
public final class Alarm: Sendable {
    private let state = Mutex<(rung: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    public init() {}

    public func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.rung = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at the next ring (at once if one came since the last wait) or after `limit`.
    func wait(atMost limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let ringNow = self.state.withLock { state -> Bool in
                        if state.rung {
                            state.rung = false
                            return true
                        }
                        state.waiter = continuation
                        return false
                    }
                    if ringNow { continuation.resume() }
                }
            }
            group.addTask {
                // Rings at the limit, or at once when cancelled (a ring came first, or the sender is stopping:
                // the waiter above must not outlive it). A ring nobody waits for is cleared below.
                try? await Task.sleep(for: limit)
                self.ring()
            }
            await group.next()
            group.cancelAll()
        }
        state.withLock { $0.rung = false }
    }
}
