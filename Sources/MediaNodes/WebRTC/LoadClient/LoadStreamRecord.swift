/// One stream as its consumer saw it (loop-confined, inside ``LoadStreamConsumers``).
final class LoadStreamRecord {
    let index: Int
    var connections = 0
    var started = false
    var stops = 0
    var closeFrames = 0
    /// This stream's connections open here now.
    var openHere = 0
    var media = 0
    /// Arrival of the previous media message of the current connection (0: none yet).
    var lastArrival: UInt64 = 0
    var windowMedia = 0
    var firstSequence = -1
    var lastSequence = -1
    var outOfOrder = 0

    init(index: Int) {
        self.index = index
    }

    var summary: LoadStreamSummary {
        LoadStreamSummary(
            index: index, connections: connections, started: started, stops: stops, media: media, windowMedia: windowMedia,
            firstSequence: firstSequence, lastSequence: lastSequence, outOfOrder: outOfOrder)
    }
}

/// One stream's counters at the end of a run.
struct LoadStreamSummary: Sendable {
    var index: Int
    var connections: Int
    var started: Bool
    var stops: Int
    /// Media messages over the whole run, and inside the window.
    var media: Int
    var windowMedia: Int
    /// The first and last `sequenceNumber` of a media message inside the window (-1: none, or binary frames).
    var firstSequence: Int
    var lastSequence: Int
    var outOfOrder: Int

    /// Sequence numbers missing between the window's first and last media message: frames the node
    /// counted but did not deliver (it drops frames for a consumer it cannot write to fast enough).
    var sequenceGaps: Int {
        guard firstSequence >= 0, lastSequence >= firstSequence else { return 0 }
        return max(0, lastSequence - firstSequence + 1 - (windowMedia - outOfOrder))
    }
}

/// What all the consumers saw.
struct LoadStreamConsumerResults: Sendable {
    var streams: [LoadStreamSummary]
    /// Sorted, nanoseconds.
    var jitters: [UInt32]
    /// Sorted, nanoseconds.
    var timerLateness: [UInt32]
    var refusedPaths: Int
    var errors: [String: Int]
    var accepted: Int
    var closedBeforeUpgrade: Int
}
