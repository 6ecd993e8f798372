import ArgumentParser
import Foundation
import MediaNodes

/// `parley loadgen`: drives a gateway and its media nodes with synthetic WebRTC participants (or, with
/// `--srtp-only`, times libsrtp2 alone) and prints what the SFU forwarded; with `--streams-per-publisher`,
/// streams the publishers' audio to WebSocket consumers it runs itself and prints the streams' send jitter
/// and the node's CPU. See docs/benchmarks.md.
struct LoadgenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadgen",
        abstract: "Load-test the media nodes: N audio publishers and M subscribers per room, over real ICE, DTLS and SRTP.")

    @Option(help: "Gateway base URL.") var gateway: String = "http://127.0.0.1:8080"
    @Option(help: "Account SID (AC…) the access tokens act for.") var accountSid: String?
    @Option(help: "API key SID (SK…) that signs the access tokens.") var apiKey: String?
    @Option(help: "The API key's secret.") var apiSecret: String?
    @Option(help: "Room name (suffixed -1, -2… with several rooms).") var room: String = "loadgen"
    @Option(help: "Rooms, each with its own publishers and subscribers.") var rooms: Int = 1
    @Option(name: .shortAndLong, help: "Publishers per room, one Opus audio track each.") var publishers: Int = 10
    @Option(name: .shortAndLong, help: "Subscribers per room, each subscribed to every publisher (default 10; 0 with --streams-per-publisher).")
    var subscribers: Int?
    @Option(help: "Seconds of sending.") var duration: Int = 20
    @Option(help: "Packets per second per publisher (50: 20 ms Opus frames).") var packetRate: Int = 50
    @Option(help: "RTP payload bytes per packet (about a 48 kb/s Opus frame).") var payloadSize: Int = 120
    @Option(help: "PID of the node's process, for its CPU use (utime+stime over the sending window).") var nodePid: Int32?
    @Option(help: "Address to send media to instead of the one in the node's candidates.") var mediaHost: String?
    @Option(help: "Event loops for the generator's sockets.") var threads: Int = 1
    @Option(help: "Participants connected at once during setup.") var connectBatch: Int = 10
    @Option(help: ArgumentHelp(
        "Media streams mode: streams per publisher (0-4), made through the REST API towards WebSocket consumers this process runs.",
        discussion: "Publishers then send real Opus (a 440 Hz tone) and there are no subscribers; reports per-stream send jitter and the node's CPU."))
    var streamsPerPublisher: Int?
    @Option(help: "With streams: the account's auth token for the REST API (default: the API key and secret).") var authToken: String?
    @Option(help: "With streams: Track of every stream.") var streamTrack: String = "inbound_track"
    @Option(help: "With streams: AudioFormat of every stream (audio/x-mulaw or audio/x-l16).") var streamAudioFormat: String = "audio/x-mulaw"
    @Option(help: "With streams: SampleRate of every stream (audio/x-l16).") var streamSampleRate: Int?
    @Option(help: "With streams: seconds between the last stream's start and the measuring window.") var warmUp: Int = 3
    @Option(help: "With streams: stream create requests in flight at once.") var createConcurrency: Int = 8
    @Option(help: "With streams: host of the consumer URLs (the consumers listen on 127.0.0.1).") var consumerHost: String = "127.0.0.1"
    @Option(help: "With streams: write every media message's arrival in the window here (`stream-index nanoseconds` lines).")
    var arrivalsFile: String?
    @Flag(help: "Only time libsrtp2 protect+unprotect per packet for both SRTP profiles; no server needed.") var srtpOnly = false
    @Option(help: "With --srtp-only: packets per run.") var srtpPackets: Int = 1_000_000
    @Option(help: "With --srtp-only: packet size in bytes, RTP header included.") var srtpPacketSize: Int = 172
    @Option(help: "With --srtp-only: runs (the median is printed).") var srtpRuns: Int = 5

    func validate() throws {
        guard srtpOnly || (accountSid != nil && apiKey != nil && apiSecret != nil) else {
            throw ValidationError("--account-sid, --api-key and --api-secret are required (they mint the access tokens)")
        }
        guard rooms > 0, publishers > 0, duration > 0, packetRate > 0, threads > 0, connectBatch > 0 else {
            throw ValidationError("counts, --duration, --packet-rate, --threads and --connect-batch must be positive")
        }
        if let streamsPerPublisher {
            guard (0...4).contains(streamsPerPublisher) else {
                throw ValidationError("--streams-per-publisher is 0-4 (the gateway allows 4 in-progress streams per participant)")
            }
            guard (subscribers ?? 0) == 0 else {
                throw ValidationError("--streams-per-publisher runs without subscribers (the publishers send real Opus, not delay probes)")
            }
            guard warmUp >= 0, createConcurrency > 0, packetRate == 50 else {
                throw ValidationError("--warm-up must not be negative, --create-concurrency positive, and streams need --packet-rate 50 (20 ms frames)")
            }
        } else if (subscribers ?? 10) <= 0 {
            throw ValidationError("--subscribers must be positive")
        }
        guard (12...1200).contains(payloadSize), srtpPackets > 0, srtpRuns > 0, (12...1500).contains(srtpPacketSize) else {
            throw ValidationError("--payload-size is 12-1200 bytes, --srtp-packet-size 12-1500; SRTP counts are positive")
        }
    }

    func run() async throws {
        if srtpOnly {
            print("libsrtp2 cost per \(srtpPacketSize)-byte packet, median of \(srtpRuns) runs of \(srtpPackets) packets:")
            for result in try SRTPBenchmark.run(packets: srtpPackets, packetSize: srtpPacketSize, runs: srtpRuns) { print("  \(result)") }
            return
        }
        let logger = CommandLogging.bootstrap(defaultLevel: .warning)
        let streams = streamsPerPublisher.map { perPublisher in
            LoadStreamsConfiguration(
                perPublisher: perPublisher, username: authToken == nil ? apiKey ?? "" : accountSid ?? "",
                password: authToken ?? apiSecret ?? "", track: streamTrack, audioFormat: streamAudioFormat, sampleRate: streamSampleRate,
                warmUp: .seconds(warmUp), createConcurrency: createConcurrency, consumerHost: consumerHost,
                arrivalsPath: arrivalsFile)
        }
        let configuration = LoadGeneratorConfiguration(
            gateway: gateway, accountSID: accountSid ?? "", apiKeySID: apiKey ?? "", apiKeySecret: apiSecret ?? "", room: room,
            rooms: rooms, publishers: publishers, subscribers: subscribers ?? (streams == nil ? 10 : 0), duration: .seconds(duration),
            packetsPerSecond: packetRate, payloadSize: payloadSize, nodePID: nodePid, mediaHost: mediaHost, threads: threads,
            connectBatch: connectBatch, streams: streams)
        if streams != nil {
            print(try await LoadGenerator.runStreams(configuration, logger: logger))
        } else {
            print(try await LoadGenerator.run(configuration, logger: logger))
        }
    }
}
