import Platform

/// What the `start` and `stop` messages tell a stream's consumer about the stream. Parley streams a room
/// participant, not a call: `callSid` is null and the room and participant are named instead.
struct MediaStreamDescription: Sendable {
    /// Which of the participant's audio a track carries.
    enum Track: Sendable {
        /// What the participant publishes (its microphone).
        case inbound
        /// What the participant hears (the mix of everyone else in the room).
        case outbound

        /// The track's name in `start.tracks` and `media.track`.
        var wireName: String {
            switch self {
            case .inbound: "inbound"
            case .outbound: "outbound"
            }
        }
    }

    /// How the audio goes to the consumer.
    enum Format: Sendable, Equatable {
        /// Twilio's: G.711 μ-law at 8 kHz, base64 in JSON `media` messages, one message per track and frame.
        case muLaw
        /// Parley's: little-endian signed 16-bit PCM at `sampleRate` in binary frames of 20 ms (``PCM16``),
        /// the two tracks interleaved in one frame when both are streamed.
        case linear16(sampleRate: Int)
    }

    var accountSid: SID
    var streamSid: SID
    var roomSid: SID
    var participantSid: SID
    /// Inbound first when both are streamed (also their channel order in binary frames).
    var tracks: [Track]
    /// `start.customParameters`, in the order given.
    var customParameters: [(name: String, value: String)]
    var format: Format
}
