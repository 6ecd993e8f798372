import Platform
import Synchronization
import Testing

@Suite struct BatchWriterTests {
    struct Refused: Error {}

    /// Writes that arrive while a batch is being written form the next batch; each caller gets its own output.
    @Test func writesArrivingDuringABatchShareTheNextOne() async throws {
        let batches = Mutex<[[Int]]>([])
        let (firstWriteStarted, started) = AsyncStream.makeStream(of: Void.self)
        let (gate, opened) = AsyncStream.makeStream(of: Void.self)
        let writer = BatchWriter<Int, String>(maximumBatch: 3) { batch in
            let isFirst = batches.withLock { batches in
                batches.append(batch)
                return batches.count == 1
            }
            if isFirst {
                started.yield()
                for await _ in gate { break }
            }
            return batch.map { "output \($0)" }
        }
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            group.addTask { (0, try await writer.submit(0)) }
            for await _ in firstWriteStarted { break }
            for item in 1...5 { group.addTask { (item, try await writer.submit(item)) } }
            // The five are queued within moments; the first batch is still being written until the gate opens.
            try await Task.sleep(for: .milliseconds(200))
            opened.yield()
            for try await (item, output) in group { #expect(output == "output \(item)") }
        }
        let written = batches.withLock { $0 }
        #expect(written.first == [0])
        #expect(written.dropFirst().map(\.count) == [3, 2])
        #expect(Set(written.joined()) == Set(0...5))
    }

    @Test func aFailedBatchFailsItsItemsAndTheNextBatchIsWritten() async throws {
        let writer = BatchWriter<Int, Int>(maximumBatch: 10) { batch in
            if batch.contains(13) { throw Refused() }
            return batch.map { $0 * 2 }
        }
        await #expect(throws: Refused.self) { try await writer.submit(13) }
        #expect(try await writer.submit(21) == 42)
    }
}
