import Foundation
import Hummingbird
import MediaNodes
import Platform

/// A room's participants (`/video/v1/Rooms/{RoomSid}/Participants`): list, fetch (by `PA…` SID or identity)
/// and kick (`Status=disconnected`). `{RoomSid}` is an `RM…` SID or the unique name of the in-progress room.
struct ParticipantsController: Sendable {
    let rooms: RoomRepository
    let participants: ParticipantRepository
    let control: RoomControl
    let publicURL: String

    /// The list filters, in the order their links repeat them.
    static let filterNames = ["Status", "Identity", "DateCreatedAfter", "DateCreatedBefore"]

    func register(on routes: RouteRegistrar) {
        routes.get(VideoV1.route("/Rooms/{RoomSid}/Participants"), list)
        routes.get(VideoV1.route("/Rooms/{RoomSid}/Participants/{ParticipantSid}"), fetch)
        routes.post(VideoV1.route("/Rooms/{RoomSid}/Participants/{ParticipantSid}"), update)
    }

    /// The room's participants, present and past, oldest first.
    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let room = try await VideoParameters.room("RoomSid", request: request, context: context, rooms: rooms)
        let page = try PageRequest(query: context.query)
        let query = context.query
        var filter = ParticipantRepository.ListFilter(status: try query.choice("Status"), identity: query.first("Identity"))
        filter.createdAfter = try query.first("DateCreatedAfter").map { try ParameterValues.date("DateCreatedAfter", $0) }
        filter.createdBefore = try query.first("DateCreatedBefore").map { try ParameterValues.date("DateCreatedBefore", $0) }
        let rows = try await participants.list(
            room: room.sid, account: room.accountSid, filter: filter, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "participants", page: rows, request: page, path: VideoV1.path(VideoV1.roomPath(room.sid) + "/Participants"),
            filters: query.selecting(Self.filterNames), style: .v1(publicURL: publicURL, mount: VideoV1.mount)
        ) { ParticipantResource(participant: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let room = try await VideoParameters.room("RoomSid", request: request, context: context, rooms: rooms)
        let participant = try await VideoParameters.participant(
            "ParticipantSid", of: room, request: request, context: context, participants: participants)
        return JSONResponse.make(ParticipantResource(participant: participant, publicURL: publicURL))
    }

    /// `Status=disconnected` disconnects a present participant (its connection is closed with `kicked`);
    /// 202 with the participant as it is then. One already gone is answered unchanged (202 too).
    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let room = try await VideoParameters.room("RoomSid", request: request, context: context, rooms: rooms)
        let participant = try await VideoParameters.participant(
            "ParticipantSid", of: room, request: request, context: context, participants: participants)
        guard let text = context.form.first("Status") else { throw APIError.invalidParameter("Status", "is required") }
        guard ParticipantStatus(rawValue: text) == .disconnected else {
            throw APIError.invalidParameter("Status", "only disconnected can be set (it removes the participant from the room)")
        }
        var current = participant
        if participant.status != .disconnected {
            try await control.kick(participant.sid, room: room.sid, logger: context.logger)
            current = try await participants.find(
                participant.sid.rawValue, room: room.sid, account: room.accountSid, logger: context.logger) ?? participant
        }
        return JSONResponse.make(ParticipantResource(participant: current, publicURL: publicURL), status: .accepted)
    }
}
