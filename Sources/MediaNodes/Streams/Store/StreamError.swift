import Platform

/// Why a media stream cannot be created, as Twilio-style errors (400/20001 names the parameter at fault).
/// A room that ended is ``VideoError/roomCompleted``; one without a media node ``VideoError/noMediaNode``.
public enum StreamError {
    /// 400/20001: `Participant` names no connected participant of the room.
    public static func participantNotConnected(_ participant: String) -> APIError {
        .invalidParameter("Participant", "\(participant) is not a connected participant of the room")
    }

    /// 400/20001: the participant already has the most in-progress streams allowed.
    public static let tooManyStreams = APIError.invalidParameter(
        "Participant", "the participant already has \(MediaStreamRepository.maximumPerParticipant) in-progress streams, the most allowed")

    /// 400/20001: an in-progress stream of the room already has this name.
    public static func nameInUse(_ name: String) -> APIError {
        .invalidParameter("Name", "an in-progress stream of the room is already named \(name)")
    }

    /// 400/20001: a present participant, or another stream's bot, already has the bot's identity.
    public static func botIdentityInUse(_ identity: String) -> APIError {
        .invalidParameter("BotIdentity", "\(identity) is already the identity of a participant of the room or of another stream's bot")
    }
}
