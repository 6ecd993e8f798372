import Synchronization

/// "There may be deliveries due": raised after commits that recorded events, by other processes'
/// notifications, by the poll timer, and when a busy dispatcher frees a slot.
///
/// Wakes coalesce: however many arrive while the dispatcher is busy, it sees one. Local wakes also ask
/// for a cross-process notification, which ``takeBroadcastRequest()`` hands to the dispatcher to send
/// at a limited rate.
public final class DeliverySignal: Sendable {
    private let continuation: AsyncStream<Void>.Continuation
    /// The dispatcher's end; iterate it once.
    public let wakes: AsyncStream<Void>
    private let broadcastRequested = Atomic<Bool>(false)

    public init() {
        (wakes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Wakes this process's dispatcher.
    public func wake() {
        continuation.yield()
    }

    /// Wakes this process's dispatcher and, soon, other processes' (new events were committed here).
    public func wakeEverywhere() {
        broadcastRequested.store(true, ordering: .relaxed)
        continuation.yield()
    }

    /// Whether a cross-process wake was asked for since the last call.
    public func takeBroadcastRequest() -> Bool {
        broadcastRequested.exchange(false, ordering: .relaxed)
    }

    /// Ends the stream (the dispatcher stops).
    public func finish() {
        continuation.finish()
    }
}
