import Synchronization

/// Groups writes that arrive concurrently into batches: one transaction for many items instead of one each.
///
/// Items queue while the previous batch is being written, so batches grow with load and a quiet system writes
/// each item at once (no timer, no added latency). Every caller waits for its own item's batch and gets its own
/// result, or the batch's error.
public final class BatchWriter<Item: Sendable, Output: Sendable>: Sendable {
    /// Writes a batch, returning one output per item, in order.
    public typealias Write = @Sendable ([Item]) async throws -> [Output]

    /// An item and who waits for its output (nobody for ``enqueue(_:)``).
    private typealias Waiter = (item: Item, continuation: CheckedContinuation<Output, any Error>?)

    private let maximumBatch: Int
    private let write: Write
    /// What waits for the next batch, and whether a task is writing batches now.
    private let state = Mutex<(queue: [Waiter], writing: Bool)>(([], false))

    public init(maximumBatch: Int, write: @escaping Write) {
        precondition(maximumBatch > 0)
        self.maximumBatch = maximumBatch
        self.write = write
    }

    /// Queues `item` and returns its output once its batch is written.
    public func submit(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            append((item, continuation))
        }
    }

    /// Queues `item` without waiting for it: items queued by one caller are written in the order queued. A failed
    /// batch is lost (the write should log it).
    public func enqueue(_ item: Item) {
        append((item, nil))
    }

    private func append(_ waiter: Waiter) {
        let startWriter = state.withLock { state -> Bool in
            state.queue.append(waiter)
            if state.writing { return false }
            state.writing = true
            return true
        }
        // The writer is a task of its own: it outlives any one caller's cancellation, as the writes must.
        if startWriter { Task { await self.writeUntilEmpty() } }
    }

    private func writeUntilEmpty() async {
        while true {
            let batch = state.withLock { state -> [Waiter] in
                let batch = Array(state.queue.prefix(maximumBatch))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                let outputs = try await write(batch.map(\.item))
                precondition(outputs.count == batch.count, "a batch write must return one output per item")
                for (waiter, output) in zip(batch, outputs) { waiter.continuation?.resume(returning: output) }
            } catch {
                for waiter in batch { waiter.continuation?.resume(throwing: error) }
            }
        }
    }
}
