import Foundation
import Hummingbird
import MediaNodes
import Platform

/// `POST /media/v1/Tickets`: turns a client's access token into a join ticket for the node hosting the room,
/// creating the room (as Twilio does for rooms clients name) and placing it when needed.
struct TicketsController: Sendable {
    let accessTokens: AccessTokenVerifier
    let rooms: RoomRepository
    let placement: Placement
    let ticketKey: TicketKeyStore

    func register(on routes: RouteRegistrar) {
        routes.post(MediaV1.route("/Tickets"), create)
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let token = context.form.first("Token"), !token.isEmpty else {
            throw APIError.invalidParameter("Token", "an access token is required")
        }
        let claims = try await accessTokens.verify(token, logger: context.logger)
        guard let grant = claims.videoGrant else {
            throw APIError(status: 401, code: 20106, message: "Invalid Access Token grants: the token has no video grant")
        }
        guard let identity = claims.identity, !identity.isEmpty else { throw VideoError.identityRequired }
        guard let target = context.form.first("Room").flatMap({ $0.isEmpty ? nil : $0 }) ?? grant.room else {
            throw APIError.invalidParameter("Room", "name the room to join (the token's grant names none)")
        }
        let resume = try context.form.first("ParticipantSid").map { text in
            guard let sid = SID(text, prefix: .participant) else {
                throw APIError.invalidParameter("ParticipantSid", "must be a participant SID (PA…)")
            }
            return sid
        }
        let room = try await findOrCreate(target, account: claims.accountSid, context: context)
        if let granted = grant.room, granted != room.uniqueName, granted != room.sid.rawValue {
            throw VideoError.tokenForAnotherRoom
        }
        let placed = try await placement.place(room: room.sid, account: claims.accountSid, logger: context.logger)
        let ticket = JoinTicket(
            account: claims.accountSid, room: room.sid, identity: identity, node: placed.node, resume: resume,
            expires: Date.now.addingTimeInterval(JoinTicket.lifetime))
        return JSONResponse.make(
            TicketResource(room: room, identity: identity, node: placed.node, signalingURL: placed.signalingURL,
                           ticket: ticket.signed(with: try await ticketKey.key(logger: context.logger))),
            status: .created)
    }

    /// The in-progress room `target` names; a name with no such room creates one with the defaults.
    private func findOrCreate(_ target: String, account: SID, context: GatewayRequestContext) async throws -> Room {
        for _ in 0..<2 {
            if let room = try await rooms.find(target, account: account, logger: context.logger) {
                guard room.status == .inProgress else { throw VideoError.roomCompleted }
                return room
            }
            guard SID(target, prefix: .room) == nil else { throw VideoError.roomNotFound(target) }
            do {
                return try await rooms.create(account: account, uniqueName: target, settings: RoomSettings(), logger: context.logger)
            } catch let error as APIError where error.code == 53113 {
                continue  // created concurrently by another join: find it
            }
        }
        throw VideoError.roomExists(target)
    }
}

/// `media.v1.ticket`.
struct TicketResource: JSONRepresentable {
    let room: Room
    let identity: String
    let node: SID
    let signalingURL: String
    let ticket: String

    func write(to json: inout JSONObjectWriter) {
        json.field("room_sid", room.sid.rawValue)
        json.field("room_name", room.uniqueName)
        json.field("identity", identity)
        json.field("node_sid", node.rawValue)
        json.field("signaling_url", signalingURL)
        json.field("ticket", ticket)
        json.field("expires_in", Int(JoinTicket.lifetime))
    }
}

/// Where Parley's media control plane lives: `/media/v1/…`, absolute links as in Twilio's v1 products.
enum MediaV1 {
    static let mount = "/media"
    static let version = "/v1"

    static func route(_ path: String) -> String { mount + version + path }
    static func path(_ path: String) -> String { version + path }
    static func url(_ publicURL: String, _ path: String) -> String { publicURL + mount + version + path }
}
