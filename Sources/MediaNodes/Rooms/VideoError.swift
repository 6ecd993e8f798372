import Platform

/// Video's errors, with Twilio's codes where Twilio has one.
public enum VideoError {
    /// 400/53113: an in-progress room already has this unique name.
    public static func roomExists(_ name: String) -> APIError {
        APIError(status: 400, code: 53113, message: "Room exists: an in-progress room is already named \(name)")
    }

    /// 400/53105: the room is full.
    public static let roomFull = APIError(status: 400, code: 53105, message: "Room contains too many Participants")

    /// 400/53118: the room has ended.
    public static let roomCompleted = APIError(status: 400, code: 53118, message: "Room is completed")

    /// 404/53106: no room by that name or SID.
    public static func roomNotFound(_ name: String) -> APIError {
        APIError(status: 404, code: 53106, message: "Room \(name) does not exist")
    }

    /// 403/53103: the token's grant names another room.
    public static let tokenForAnotherRoom = APIError(
        status: 403, code: 53103, message: "The access token's video grant is for another room")

    /// 401/20106: a video token without `grants.identity`.
    public static let identityRequired = APIError(
        status: 401, code: 20106, message: "Invalid Access Token grants: a video token needs an identity")

    /// 503/53000: no healthy media node can take the room.
    public static let noMediaNode = APIError(
        status: 503, code: 53000, message: "No media node is available to host the room; try again shortly")

    /// 401/53002: a join ticket that is malformed, badly signed, expired or for another node.
    public static let invalidTicket = APIError(status: 401, code: 53002, message: "Invalid or expired join ticket")
}
