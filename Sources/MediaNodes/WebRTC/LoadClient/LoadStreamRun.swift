import Foundation
import Logging
import NIOCore
import Platform

/// How a streams load run makes its media streams (`POST /video/v1/Rooms/{Room}/Streams`, docs/video.md).
public struct LoadStreamsConfiguration: Sendable {
    /// Streams per publisher, each with its own consumer connection (the gateway allows 4 in progress per
    /// participant). 0 runs the Opus publishers alone: what the node spends before any stream.
    public var perPublisher: Int
    /// HTTP Basic credentials for the REST API: `AccountSid:AuthToken` or `KeySid:Secret`.
    public var username: String
    public var password: String
    /// `Track`, `AudioFormat` and (when set) `SampleRate` of every stream.
    public var track: String
    public var audioFormat: String
    public var sampleRate: Int?
    /// Seconds between the last stream's `start` and the measuring window.
    public var warmUp: Duration
    /// Stream create requests in flight at once.
    public var createConcurrency: Int
    /// The consumer URL's host (the server listens on 127.0.0.1).
    public var consumerHost: String
    /// Writes every in-window media arrival (`stream-index nanoseconds` lines) here, for analysis.
    public var arrivalsPath: String?

    public init(
        perPublisher: Int, username: String, password: String, track: String, audioFormat: String, sampleRate: Int?,
        warmUp: Duration, createConcurrency: Int, consumerHost: String, arrivalsPath: String? = nil
    ) {
        self.arrivalsPath = arrivalsPath
        self.perPublisher = perPublisher
        self.username = username
        self.password = password
        self.track = track
        self.audioFormat = audioFormat
        self.sampleRate = sampleRate
        self.warmUp = warmUp
        self.createConcurrency = createConcurrency
        self.consumerHost = consumerHost
    }
}

/// One streams load run, once the publishers are connected: they start sending real Opus (a 440 Hz tone,
/// which the node decodes), K streams per publisher are created through the REST API towards this
/// process's ``LoadStreamConsumers``; once every consumer has had its `start`, and after a warm-up, the
/// consumers measure a window of ``LoadGeneratorConfiguration/duration`` while the node's CPU is read from
/// `/proc`. Then everyone leaves, which stops the streams (the gateway stops a leaving participant's
/// streams), and the report says how many consumers got their `stop`.
struct LoadStreamRun: Sendable {
    /// How long the node may take to connect every consumer after the last create.
    static let startTimeout: Duration = .seconds(60)
    /// How long the streams may take to stop once the publishers left.
    static let stopTimeout: Duration = .seconds(10)

    let configuration: LoadGeneratorConfiguration
    let streams: LoadStreamsConfiguration
    let consumers: LoadStreamConsumers
    let http: EgressHTTPClient
    let payloads: [[UInt8]]
    let logger: Logger

    /// One second of a 440 Hz tone at half scale, as 50 Opus packets of 20 ms from
    /// ``OpusAudioEncoder`` at 48 kHz (a whole number of periods, so it loops without a click).
    static func tonePayloads() throws -> [[UInt8]] {
        let encoder = try OpusAudioEncoder(sampleRate: 48_000)
        let frame = encoder.frameSampleCount
        return try (0..<50).map { index in
            let samples = (0..<frame).map { offset in
                let t = Double(index * frame + offset) / 48_000
                return Int16(16_000 * sin(2 * Double.pi * 440 * t))
            }
            return try encoder.encode(samples)
        }
    }

    /// Runs the streams and measures them; `leave` makes every participant leave, which stops the streams
    /// (called before the stops are awaited; on failure the caller makes them leave).
    func measure(_ publishers: [(LoadParticipant, room: Int)], leave: () async -> Void) async throws -> LoadStreamReport {
        // The publishers send for as long as they stay; leaving closes their sockets.
        let interval = TimeAmount.nanoseconds(1_000_000_000 / Int64(max(configuration.packetsPerSecond, 1)))
        for (participant, _) in publishers {
            guard case .publisher(let ssrc) = participant.role else { continue }
            participant.peer.startSending(
                ssrc: ssrc, payloadSize: configuration.payloadSize, interval: interval, until: .now() + .hours(24), payloads: payloads)
        }
        let roomNames = (1...configuration.rooms).map { configuration.rooms == 1 ? configuration.room : "\(configuration.room)-\($0)" }
        let planned = publishers.flatMap { publisher in
            (0..<streams.perPublisher).map { _ in (identity: publisher.0.identity, room: roomNames[publisher.room]) }
        }
        let window = configuration.duration
        try await consumers.expect(streams: planned.count, windowSeconds: Self.seconds(window)).get()
        if streams.arrivalsPath != nil { try await consumers.recordArrivals().get() }
        let clock = ContinuousClock()
        let createStart = clock.now
        let sids = try await create(planned)
        let created = createStart.duration(to: clock.now)
        try await waitForStarts(planned.count)
        let allStarted = createStart.duration(to: clock.now)
        try await Task.sleep(for: streams.warmUp)

        // The window: the consumers count what arrives between start and end; the node's CPU is read at both.
        let start = NIODeadline.now() + .milliseconds(5)
        let end = start + .nanoseconds(Int64(Self.seconds(window) * 1e9))
        try await consumers.setWindow(start: start, end: end).get()
        try await Task.sleep(for: .milliseconds(5))
        let nodeStart = ProcessCPUTime.seconds(pid: configuration.nodePID)
        let selfStart = ProcessCPUTime.seconds(pid: nil)
        let wallStart = clock.now
        try await Task.sleep(for: window)
        let nodeEnd = ProcessCPUTime.seconds(pid: configuration.nodePID)
        let selfEnd = ProcessCPUTime.seconds(pid: nil)
        let wall = Self.seconds(wallStart.duration(to: clock.now))
        // Messages of the window's last moments still in flight.
        try await Task.sleep(for: .milliseconds(100))
        let results = try await consumers.results().get()
        if let path = streams.arrivalsPath { try await consumers.writeArrivals(to: path).get() }

        let nodeCores = nodeStart.flatMap { start in nodeEnd.map { ($0 - start) / wall } }
        var report = LoadStreamReport(
            rooms: configuration.rooms, publishers: configuration.publishers, perPublisher: streams.perPublisher,
            format: streams.audioFormat + (streams.sampleRate.map { " \($0) Hz" } ?? ""), track: streams.track,
            streamsCreated: sids.count, createSeconds: Self.seconds(created), startSeconds: Self.seconds(allStarted),
            windowSeconds: Self.seconds(window), results: results, nodeCores: nodeCores,
            generatorCores: ((selfEnd ?? 0) - (selfStart ?? 0)) / wall)
        await leave()
        (report.stopped, report.closed, report.stillOpen) = await waitForStops(planned.count)
        return report
    }

    // MARK: REST

    /// Creates the planned streams, ``LoadStreamsConfiguration/createConcurrency`` at a time; stream `i`'s
    /// consumer URL is `ws://<consumer host>:<port>/i`. Returns their SIDs in order.
    private func create(_ planned: [(identity: String, room: String)]) async throws -> [String] {
        let base = "ws://\(streams.consumerHost):\(consumers.port)/"
        return try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var sids = [String](repeating: "", count: planned.count)
            var next = 0
            func add() {
                guard next < planned.count else { return }
                let (index, stream) = (next, planned[next])
                next += 1
                group.addTask { (index, try await self.createStream(room: stream.room, participant: stream.identity, url: base + String(index))) }
            }
            for _ in 0..<max(streams.createConcurrency, 1) { add() }
            while let (index, sid) = try await group.next() {
                sids[index] = sid
                add()
            }
            return sids
        }
    }

    private func createStream(room: String, participant: String, url: String) async throws -> String {
        var form = [("Url", url), ("Participant", participant), ("Track", streams.track), ("AudioFormat", streams.audioFormat)]
        if let rate = streams.sampleRate { form.append(("SampleRate", String(rate))) }
        let body = form.map { "\($0)=\(Self.formEncoded($1))" }.joined(separator: "&")
        let credentials = Data("\(streams.username):\(streams.password)".utf8).base64EncodedString()
        let request = OutboundRequest(
            url: configuration.gateway + "/video/v1/Rooms/\(Self.pathEncoded(room))/Streams", method: "POST",
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", "Basic \(credentials)")],
            body: Array(body.utf8))
        let result = await http.send(request)
        guard let status = result.statusCode else {
            throw LoadGeneratorError("stream create for \(participant) failed: \(result.failure.map { "\($0)" } ?? "no response")")
        }
        guard status == 201, let object = (try? JSONSerialization.jsonObject(with: Data(result.body))) as? [String: Any],
            let sid = object["sid"] as? String
        else {
            throw LoadGeneratorError("stream create for \(participant) in \(room) answered \(status): \(String(decoding: result.body, as: UTF8.self))")
        }
        return sid
    }

    // MARK: Waiting

    private func waitForStarts(_ count: Int) async throws {
        let deadline = ContinuousClock.now + Self.startTimeout
        var started = 0
        while ContinuousClock.now < deadline {
            started = try await consumers.startedCount().get()
            if started >= count { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw LoadGeneratorError("only \(started) of \(count) stream consumers had their start within \(Self.startTimeout)")
    }

    /// Consumers that got a `stop`, and a close frame, within ``stopTimeout`` of everyone leaving; and the
    /// consumer connections still open then.
    private func waitForStops(_ expected: Int) async -> (stopped: Int, closed: Int, open: Int) {
        let deadline = ContinuousClock.now + Self.stopTimeout
        var counts = (stopped: 0, closed: 0, open: -1)
        while ContinuousClock.now < deadline {
            guard let now = try? await consumers.stopCounts().get() else { break }
            counts = now
            if counts.stopped >= expected, counts.closed >= expected, counts.open == 0 { break }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return counts
    }

    // MARK: Helpers

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    private static func pathEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }
}
