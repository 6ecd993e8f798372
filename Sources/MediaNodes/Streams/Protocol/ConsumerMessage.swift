import Foundation

/// A JSON message from a stream's consumer, as Parley acts on it (Twilio's bidirectional Media Streams).
/// Anything else is ``ignored(reason:)``: Parley logs the reason and carries on, as Twilio ignores messages it
/// does not understand.
enum ConsumerMessage: Equatable {
    /// Audio to play into the room: μ-law bytes at 8 kHz.
    case media(muLaw: [UInt8])
    /// A mark to echo once the audio sent before it has played.
    case mark(name: String)
    /// Drop the queued audio (and echo the pending marks at once).
    case clear
    case ignored(reason: String)

    /// Reads one text message of the stream `streamSid`. Messages naming another stream are ignored.
    ///
    /// Foundation's parser is fine here: a consumer sends far fewer messages than it receives.
    static func parse(_ json: [UInt8], streamSid: String) -> ConsumerMessage {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any] else {
            return .ignored(reason: "not a JSON object")
        }
        guard let event = object["event"] as? String else {
            return .ignored(reason: "no event")
        }
        guard ["media", "mark", "clear"].contains(event) else {
            return .ignored(reason: "unknown event \"\(event.prefix(32))\"")
        }
        guard let sid = object["streamSid"] as? String else {
            return .ignored(reason: "\(event) without a streamSid")
        }
        guard sid == streamSid else {
            return .ignored(reason: "\(event) for another stream \"\(sid.prefix(40))\"")
        }
        switch event {
        case "media":
            guard let payload = (object["media"] as? [String: Any])?["payload"] as? String else {
                return .ignored(reason: "media without a payload")
            }
            guard let bytes = Data(base64Encoded: payload) else {
                return .ignored(reason: "media payload is not base64")
            }
            return .media(muLaw: [UInt8](bytes))
        case "mark":
            guard let name = (object["mark"] as? [String: Any])?["name"] as? String else {
                return .ignored(reason: "mark without a name")
            }
            return .mark(name: name)
        default:
            return .clear
        }
    }
}
