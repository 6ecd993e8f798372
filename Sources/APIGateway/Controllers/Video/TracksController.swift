import Foundation
import Hummingbird
import MediaNodes
import Platform

/// A participant's tracks: those it publishes now (`PublishedTracks`) and those it receives now
/// (`SubscribedTracks`), under `/video/v1/Rooms/{RoomSid}/Participants/{ParticipantSid}`. The room may be
/// named by SID or unique name, the participant by SID or identity, as on the participant itself.
struct TracksController: Sendable {
    let rooms: RoomRepository
    let participants: ParticipantRepository
    let publicURL: String

    private static let participantRoute = "/Rooms/{RoomSid}/Participants/{ParticipantSid}"

    func register(on routes: RouteRegistrar) {
        routes.get(VideoV1.route(Self.participantRoute + "/PublishedTracks"), listPublished)
        routes.get(VideoV1.route(Self.participantRoute + "/PublishedTracks/{Sid}"), fetchPublished)
        routes.get(VideoV1.route(Self.participantRoute + "/SubscribedTracks"), listSubscribed)
        routes.get(VideoV1.route(Self.participantRoute + "/SubscribedTracks/{Sid}"), fetchSubscribed)
    }

    @Sendable func listPublished(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let participant = try await participantInPath(request, context)
        let page = try PageRequest(query: context.query)
        let rows = try await participants.publishedTracks(
            participant: participant.sid, account: participant.accountSid, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "published_tracks", page: rows, request: page,
            path: VideoV1.path(VideoV1.participantPath(room: participant.roomSid, participant: participant.sid) + "/PublishedTracks"),
            filters: FormParameters(), style: .v1(publicURL: publicURL, mount: VideoV1.mount)
        ) { PublishedTrackResource(track: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetchPublished(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let participant = try await participantInPath(request, context)
        let sid = try context.sid("Sid", prefix: .track, path: request.uri.path)
        let rows = try await participants.publishedTracks(
            participant: participant.sid, account: participant.accountSid, sid: sid, cursor: .start, pageSize: 1, logger: context.logger)
        guard let track = rows.items.first else { throw APIError.notFound(request.uri.path) }
        return JSONResponse.make(PublishedTrackResource(track: track, publicURL: publicURL))
    }

    @Sendable func listSubscribed(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let participant = try await participantInPath(request, context)
        let page = try PageRequest(query: context.query)
        let rows = try await participants.subscribedTracks(
            participant: participant.sid, account: participant.accountSid, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "subscribed_tracks", page: rows, request: page,
            path: VideoV1.path(VideoV1.participantPath(room: participant.roomSid, participant: participant.sid) + "/SubscribedTracks"),
            filters: FormParameters(), style: .v1(publicURL: publicURL, mount: VideoV1.mount)
        ) { SubscribedTrackResource(subscribed: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetchSubscribed(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let participant = try await participantInPath(request, context)
        let sid = try context.sid("Sid", prefix: .track, path: request.uri.path)
        let rows = try await participants.subscribedTracks(
            participant: participant.sid, account: participant.accountSid, sid: sid, cursor: .start, pageSize: 1, logger: context.logger)
        guard let subscribed = rows.items.first else { throw APIError.notFound(request.uri.path) }
        return JSONResponse.make(SubscribedTrackResource(subscribed: subscribed, publicURL: publicURL))
    }

    /// The caller's room and participant the path names.
    private func participantInPath(_ request: Request, _ context: GatewayRequestContext) async throws -> Participant {
        let room = try await VideoParameters.room("RoomSid", request: request, context: context, rooms: rooms)
        return try await VideoParameters.participant(
            "ParticipantSid", of: room, request: request, context: context, participants: participants)
    }
}
