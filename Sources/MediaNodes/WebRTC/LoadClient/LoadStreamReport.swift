import Foundation

/// The outcome of one media streams load run (``LoadGenerator/runStreams(_:logger:)``): what the consumers
/// received in the measuring window, the send jitter they saw, and the node's CPU over the same window.
public struct LoadStreamReport: Sendable, CustomStringConvertible {
    public var rooms: Int
    public var publishers: Int
    public var perPublisher: Int
    public var format: String
    public var track: String
    public var streamsCreated: Int
    /// From the first create request to the last answer, and to the last consumer's `start`.
    public var createSeconds: Double
    public var startSeconds: Double
    public var windowSeconds: Double
    var results: LoadStreamConsumerResults
    /// The node's CPU over the window, in cores (1.0 = one core busy).
    public var nodeCores: Double?
    /// The load generator's own CPU over the window, in cores.
    public var generatorCores: Double
    /// Consumers that got a `stop` after the publishers left.
    public var stopped = 0
    /// Consumers that got a close frame after the publishers left, and connections still open at the end.
    public var closed = 0
    public var stillOpen = 0

    static let messagesPerSecond = 50.0

    public var streams: Int { results.streams.count }
    public var started: Int { results.streams.filter(\.started).count }
    public var expected: Double { Double(streams) * Self.messagesPerSecond * windowSeconds }
    public var received: Int { results.streams.reduce(0) { $0 + $1.windowMedia } }
    /// Missing `sequenceNumber`s inside the window: frames the node dropped for a slow consumer.
    public var sequenceGaps: Int { results.streams.reduce(0) { $0 + $1.sequenceGaps } }
    public var outOfOrder: Int { results.streams.reduce(0) { $0 + $1.outOfOrder } }
    public var reconnects: Int { results.streams.reduce(0) { $0 + max($1.connections - 1, 0) } }
    /// Streams whose consumer received less than 95 % of the window's 50 messages/s.
    public var starvedStreams: Int {
        results.streams.filter { Double($0.windowMedia) < 0.95 * Self.messagesPerSecond * windowSeconds }.count
    }

    /// Received ÷ expected (50 messages/s per stream over the window), as a shortfall in percent.
    public var shortfallPercent: Double {
        expected > 0 ? max(0, 100 * (expected - Double(received)) / expected) : 0
    }

    public var messagesPerSecond: Double { windowSeconds > 0 ? Double(received) / windowSeconds : 0 }

    /// Streams per busy node core.
    public var streamsPerCore: Double? {
        nodeCores.flatMap { $0 > 0 ? Double(streams) / $0 : nil }
    }

    /// Send jitter percentiles (|inter-arrival gap − 20 ms|, every stream), in milliseconds.
    public var jitter: (p50: Double, p99: Double, p999: Double, max: Double) {
        let values = Self.percentiles(results.jitters, [0.5, 0.99, 0.999, 1.0])
        return (values[0], values[1], values[2], values[3])
    }

    /// The consumer loop's own 20 ms timer lateness, in milliseconds.
    public var consumerLateness: (p50: Double, p99: Double, max: Double) {
        let values = Self.percentiles(results.timerLateness, [0.5, 0.99, 1.0])
        return (values[0], values[1], values[2])
    }

    public var description: String {
        let jitter = self.jitter
        let lateness = consumerLateness
        var lines = [
            "streams:                     \(streams) = \(rooms) rooms × \(publishers) publishers × \(perPublisher) (\(format), \(track))",
            "set-up:                      \(streamsCreated) created in \(Self.format(createSeconds, 1)) s, all started \(Self.format(startSeconds, 1)) s after the first create (\(started) started)",
            "window:                      \(Self.format(windowSeconds, 2)) s",
            "media messages received:     \(received) of \(Self.format(expected, 0)) expected (\(Self.format(messagesPerSecond, 0))/s, shortfall \(Self.format(shortfallPercent, 3)) %)",
            "sequence gaps / out of order: \(sequenceGaps) / \(outOfOrder); reconnects \(reconnects); streams under 95 % of 50/s: \(starvedStreams)",
            "send jitter |gap − 20 ms|:   p50 \(Self.format(jitter.p50, 3)) ms, p99 \(Self.format(jitter.p99, 3)) ms, p99.9 \(Self.format(jitter.p999, 3)) ms, max \(Self.format(jitter.max, 3)) ms (\(results.jitters.count) gaps)",
            "consumer timer lateness:     p50 \(Self.format(lateness.p50, 3)) ms, p99 \(Self.format(lateness.p99, 3)) ms, max \(Self.format(lateness.max, 3)) ms (the consumer's own scheduling)",
        ]
        if let nodeCores {
            lines.append("node CPU:                    \(Self.format(100 * nodeCores, 1)) % of one core")
        }
        if let perCore = streamsPerCore {
            lines.append("streams per node core:       \(Self.format(perCore, 0))")
        }
        lines.append("load generator CPU:          \(Self.format(100 * generatorCores, 1)) % of one core")
        lines.append("stopped:                     \(stopped) of \(streams) consumers got their stop after the publishers left, \(closed) a close frame; \(stillOpen) connections still open \(Int(LoadStreamRun.stopTimeout.components.seconds)) s later")
        if results.accepted != streams || results.closedBeforeUpgrade > 0 || results.refusedPaths > 0 {
            lines.append(
                "consumer connections:        \(results.accepted) accepted, \(results.closedBeforeUpgrade) closed before their upgrade completed here, \(results.refusedPaths) refused (unknown path)")
        }
        for (error, count) in results.errors.sorted(by: { $0.value > $1.value }) {
            lines.append("consumer connection events:  \(count) × \(error)")
        }
        // One line for scripts (scripts/bench-streams.sh).
        let fields: [(String, String)] = [
            ("streams", "\(streams)"), ("rooms", "\(rooms)"), ("publishers", "\(publishers)"), ("per_publisher", "\(perPublisher)"),
            ("window_s", Self.format(windowSeconds, 2)), ("received", "\(received)"), ("expected", Self.format(expected, 0)),
            ("msgs_per_s", Self.format(messagesPerSecond, 0)), ("shortfall_pct", Self.format(shortfallPercent, 3)),
            ("gaps", "\(sequenceGaps)"), ("reconnects", "\(reconnects)"), ("starved", "\(starvedStreams)"),
            ("jitter_p50_ms", Self.format(jitter.p50, 3)), ("jitter_p99_ms", Self.format(jitter.p99, 3)),
            ("jitter_p999_ms", Self.format(jitter.p999, 3)), ("jitter_max_ms", Self.format(jitter.max, 3)),
            ("lateness_p99_ms", Self.format(lateness.p99, 3)), ("lateness_max_ms", Self.format(lateness.max, 3)),
            ("node_cpu_pct", nodeCores.map { Self.format(100 * $0, 1) } ?? "-"),
            ("per_core", streamsPerCore.map { Self.format($0, 0) } ?? "-"),
            ("gen_cpu_pct", Self.format(100 * generatorCores, 1)), ("stopped", "\(stopped)"), ("closed", "\(closed)"), ("still_open", "\(stillOpen)"),
        ]
        lines.append("RESULT " + fields.map { "\($0)=\($1)" }.joined(separator: " "))
        return lines.joined(separator: "\n")
    }

    /// Percentiles (nearest rank) of sorted nanoseconds, in milliseconds.
    static func percentiles(_ sortedNanoseconds: [UInt32], _ fractions: [Double]) -> [Double] {
        LoadReport.percentiles(sortedNanoseconds, fractions).map { $0 / 1000 }
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
