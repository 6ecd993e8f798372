import Platform

/// Writes the messages of one stream to its consumer in Twilio's Media Streams protocol, as UTF-8 JSON
/// bytes, and keeps the stream's counters: `sequenceNumber` counts every message from `start` on (from 1;
/// `connected` is not counted), `chunk` counts each track's `media` messages (from 1). Binary frames
/// (``PCM16``) carry no counter and are not counted. Counters are JSON strings, as Twilio sends them.
///
/// Media goes out one 20 ms frame per tick, so a track's `timestamp` (milliseconds since the stream started)
/// is its chunk's start: 20 × (chunk − 1). A writer lives as long as one consumer connection.
///
/// `media` messages are built by hand from precomputed pieces into one buffer of the right size, with the
/// μ-law and base64 written straight into it; the rare ones go through ``JSONObjectWriter``.
struct MediaStreamWriter {
    let stream: MediaStreamDescription
    private var sequenceNumber = 0
    private var inboundChunk = 0
    private var outboundChunk = 0
    /// `,"streamSid":"MZ…"}`: the end of every `media` message.
    private let streamSidSuffix: [UInt8]
    /// μ-law codes of the frame being written (reused).
    private var codes: [UInt8] = []

    private static let connectedMessage: [UInt8] = Array(#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#.utf8)

    private static let mediaPrefix: [UInt8] = Array(#"{"event":"media","sequenceNumber":""#.utf8)
    private static let inboundTrack: [UInt8] = Array(#"","media":{"track":"inbound","chunk":""#.utf8)
    private static let outboundTrack: [UInt8] = Array(#"","media":{"track":"outbound","chunk":""#.utf8)
    private static let timestampKey: [UInt8] = Array(#"","timestamp":""#.utf8)
    private static let payloadKey: [UInt8] = Array(#"","payload":""#.utf8)
    private static let mediaEnd: [UInt8] = Array(#""}"#.utf8)

    init(stream: MediaStreamDescription) {
        self.stream = stream
        var suffix = Array(#","streamSid":"#.utf8)
        JSONObjectWriter.appendString(stream.streamSid.rawValue, to: &suffix)
        suffix.append(UInt8(ascii: "}"))
        self.streamSidSuffix = suffix
    }

    /// The `connected` message, the connection's first (not counted).
    func connected() -> [UInt8] { Self.connectedMessage }

    /// The `start` message: the stream's identity, tracks, custom parameters and media format.
    mutating func start() -> [UInt8] {
        var json = JSONObjectWriter()
        json.field("event", "start")
        json.field("sequenceNumber", String(nextSequenceNumber()))
        json.field("start") { start in
            start.field("accountSid", stream.accountSid.rawValue)
            start.field("streamSid", stream.streamSid.rawValue)
            start.field("callSid", nil as String?)
            start.field("roomSid", stream.roomSid.rawValue)
            start.field("participantSid", stream.participantSid.rawValue)
            var tracks = [UInt8(ascii: "[")]
            for (index, track) in stream.tracks.enumerated() {
                if index > 0 { tracks.append(UInt8(ascii: ",")) }
                JSONObjectWriter.appendString(track.wireName, to: &tracks)
            }
            tracks.append(UInt8(ascii: "]"))
            start.field("tracks", json: tracks)
            start.field("customParameters") { parameters in
                for parameter in stream.customParameters { parameters.field(parameter.name, parameter.value) }
            }
            start.field("mediaFormat") { format in
                switch stream.format {
                case .muLaw:
                    format.field("encoding", "audio/x-mulaw")
                    format.field("sampleRate", 8000)
                    format.field("channels", 1)
                case .linear16(let sampleRate):
                    format.field("encoding", "audio/x-l16")
                    format.field("sampleRate", sampleRate)
                    format.field("channels", stream.tracks.count)
                    format.field("byteOrder", "little-endian")
                }
            }
        }
        json.field("streamSid", stream.streamSid.rawValue)
        return json.finished()
    }

    /// A `media` message carrying the next 20 ms frame of `track` (μ-law streams; `samples` at 8 kHz).
    mutating func media(track: MediaStreamDescription.Track, samples: [Int16]) -> [UInt8] {
        let sequence = nextSequenceNumber()
        let chunk: Int
        switch track {
        case .inbound:
            inboundChunk += 1
            chunk = inboundChunk
        case .outbound:
            outboundChunk += 1
            chunk = outboundChunk
        }
        codes.removeAll(keepingCapacity: true)
        MuLaw.encode(samples, appendingTo: &codes)

        var bytes: [UInt8] = []
        // 3 × 20 digits bounds the counters; one allocation per message.
        bytes.reserveCapacity(Self.mediaPrefix.count + Self.outboundTrack.count + Self.timestampKey.count
            + Self.payloadKey.count + Self.mediaEnd.count + 60 + Base64.encodedCount(of: codes.count) + streamSidSuffix.count)
        bytes.append(contentsOf: Self.mediaPrefix)
        Self.appendDecimal(sequence, to: &bytes)
        bytes.append(contentsOf: track == .inbound ? Self.inboundTrack : Self.outboundTrack)
        Self.appendDecimal(chunk, to: &bytes)
        bytes.append(contentsOf: Self.timestampKey)
        Self.appendDecimal((chunk - 1) * 20, to: &bytes)
        bytes.append(contentsOf: Self.payloadKey)
        Base64.append(codes, to: &bytes)
        bytes.append(contentsOf: Self.mediaEnd)
        bytes.append(contentsOf: streamSidSuffix)
        return bytes
    }

    /// A `mark` message echoing the consumer's mark `name` once the audio before it has played.
    mutating func mark(name: String) -> [UInt8] {
        var json = JSONObjectWriter()
        json.field("event", "mark")
        json.field("sequenceNumber", String(nextSequenceNumber()))
        json.field("streamSid", stream.streamSid.rawValue)
        json.field("mark") { $0.field("name", name) }
        return json.finished()
    }

    /// The `stop` message, the stream's last.
    mutating func stop() -> [UInt8] {
        var json = JSONObjectWriter()
        json.field("event", "stop")
        json.field("sequenceNumber", String(nextSequenceNumber()))
        json.field("streamSid", stream.streamSid.rawValue)
        json.field("stop") { stop in
            stop.field("accountSid", stream.accountSid.rawValue)
            stop.field("callSid", nil as String?)
            stop.field("roomSid", stream.roomSid.rawValue)
            stop.field("participantSid", stream.participantSid.rawValue)
        }
        return json.finished()
    }

    private mutating func nextSequenceNumber() -> Int {
        sequenceNumber += 1
        return sequenceNumber
    }

    /// Appends the decimal digits of `value` (not negative), without building a `String`.
    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        assert(value >= 0)
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
