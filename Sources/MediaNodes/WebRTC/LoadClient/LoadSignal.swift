/// A one-shot, single-waiter hand-off between the load generator's tasks: one side ``send(_:)``s a value
/// once, the other ``wait()``s for it. Waiting is cancellation-aware (it returns nil), so a participant
/// whose connection died can be torn down without anyone having to send it anything.
struct LoadSignal<Value: Sendable>: Sendable {
    private let stream: AsyncStream<Value>
    private let continuation: AsyncStream<Value>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Value.self, bufferingPolicy: .bufferingOldest(1))
    }

    /// Delivers `value`; later sends are ignored.
    func send(_ value: Value) {
        continuation.yield(value)
        continuation.finish()
    }

    /// The value sent, or nil when the waiting task was cancelled first.
    func wait() async -> Value? {
        var iterator = stream.makeAsyncIterator()
        return await iterator.next()
    }
}

/// Why the load generator gave up.
struct LoadGeneratorError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
