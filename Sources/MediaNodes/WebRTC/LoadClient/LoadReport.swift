import Foundation

/// The outcome of one load run: what publishers sent, what subscribers received through the node, the
/// forwarding delay and, when the node's process was named, its CPU use over the sending window.
public struct LoadReport: Sendable, CustomStringConvertible {
    public var rooms: Int
    public var publishers: Int
    public var subscribers: Int
    /// The sending window, measured.
    public var seconds: Double
    public var packetsSent: Int
    /// Every subscriber of a room should get every packet its room's publishers sent.
    public var forwardsExpected: Int
    public var forwardsReceived: Int
    public var reordered: Int
    public var srtpFailures: Int
    /// Forwarding delay percentiles (publisher send to subscriber receipt, same process), in microseconds.
    public var delayP50: Double
    public var delayP99: Double
    public var delayMax: Double
    /// The node's CPU over the sending window, in cores (1.0 = one core busy).
    public var nodeCores: Double?
    /// The load generator's own CPU over the same window, in cores.
    public var generatorCores: Double

    public var lossPercent: Double {
        forwardsExpected == 0 ? 0 : 100 * Double(max(forwardsExpected - forwardsReceived, 0)) / Double(forwardsExpected)
    }

    public var forwardedPerSecond: Double { seconds > 0 ? Double(forwardsReceived) / seconds : 0 }

    /// Forwarded packets per second per busy node core: the throughput one core would sustain.
    public var forwardedPerCore: Double? {
        nodeCores.flatMap { $0 > 0 ? forwardedPerSecond / $0 : nil }
    }

    public var description: String {
        var lines = [
            "rooms × publishers × subscribers: \(rooms) × \(publishers) × \(subscribers), window \(Self.format(seconds, 2)) s",
            "packets sent:                \(packetsSent) (\(Self.format(Double(packetsSent) / max(seconds, 1e-9), 0))/s)",
            "forwarded packets received:  \(forwardsReceived) of \(forwardsExpected) (\(Self.format(forwardedPerSecond, 0))/s)",
            "loss:                        \(Self.format(lossPercent, 3)) %  (reordered \(reordered), SRTP failures \(srtpFailures))",
            "forwarding delay:            p50 \(Self.format(delayP50, 0)) µs, p99 \(Self.format(delayP99, 0)) µs, max \(Self.format(delayMax, 0)) µs",
        ]
        if let nodeCores {
            lines.append("node CPU:                    \(Self.format(100 * nodeCores, 1)) % of one core")
        }
        if let perCore = forwardedPerCore {
            lines.append("forwarded per node core:     \(Self.format(perCore, 0)) packets/s")
        }
        lines.append("load generator CPU:          \(Self.format(100 * generatorCores, 1)) % of one core")
        return lines.joined(separator: "\n")
    }

    /// Percentiles of delays in nanoseconds, as microseconds (nearest rank).
    static func percentiles(_ sortedNanoseconds: [UInt32], _ fractions: [Double]) -> [Double] {
        guard !sortedNanoseconds.isEmpty else { return fractions.map { _ in 0 } }
        return fractions.map { fraction in
            let rank = min(sortedNanoseconds.count - 1, max(0, Int((fraction * Double(sortedNanoseconds.count)).rounded(.up)) - 1))
            return Double(sortedNanoseconds[rank]) / 1000
        }
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}

/// CPU time a process has used (user + system), from `/proc/<pid>/stat` (Linux).
enum ProcessCPUTime {
    /// Seconds of CPU, or nil when the process or `/proc` is not there.
    static func seconds(pid: Int32?) -> Double? {
        let path = pid.map { "/proc/\($0)/stat" } ?? "/proc/self/stat"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)": state is field 3, utime field 14 and stime field 15 (proc(5)).
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
