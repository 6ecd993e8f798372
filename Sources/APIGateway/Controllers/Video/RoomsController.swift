import Foundation
import Hummingbird
import MediaNodes
import Platform

/// Twilio's Video Rooms (`/video/v1/Rooms`): create, list, fetch (by `RM…` SID, or the unique name of the
/// in-progress room), and end (`Status=completed`). The caller's own rooms only: a main account's
/// credentials do not reach its subaccounts' rooms here, as they do not at Twilio (no account in the path).
struct RoomsController: Sendable {
    let rooms: RoomRepository
    let control: RoomControl
    let publicURL: String
    /// Checks `StatusCallback` against the egress guard when a room is created (names are resolved, the
    /// operator's allowlist applies).
    let egress: EgressHTTPClient

    /// The list filters, in the order their links repeat them.
    static let filterNames = ["Status", "UniqueName", "DateCreatedAfter", "DateCreatedBefore"]

    /// Twilio's media regions.
    static let mediaRegions: Set<String> = ["gll", "au1", "br1", "de1", "ie1", "in1", "jp1", "sg1", "us1", "us2"]

    static let maximumUniqueNameLength = 128

    /// Path parameters keep one name per position across the Video routes (the router requires it):
    /// `{RoomSid}`, then `{ParticipantSid}`, then a track's `{Sid}`.
    func register(on routes: RouteRegistrar) {
        routes.post(VideoV1.route("/Rooms"), create)
        routes.get(VideoV1.route("/Rooms"), list)
        routes.get(VideoV1.route("/Rooms/{RoomSid}"), fetch)
        routes.post(VideoV1.route("/Rooms/{RoomSid}"), update)
    }

    /// Creates an in-progress room (201). Every parameter is checked before anything is created; an
    /// in-progress room of the same unique name is 400/53113.
    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let (uniqueName, settings) = try await roomRequest(context.form)
        let room = try await rooms.create(account: principal.accountSid, uniqueName: uniqueName, settings: settings, logger: context.logger)
        return JSONResponse.make(RoomResource(room: room, publicURL: publicURL), status: .created)
    }

    /// The caller's rooms, oldest first.
    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let page = try PageRequest(query: context.query)
        let query = context.query
        var filter = RoomRepository.ListFilter(status: try query.choice("Status"), uniqueName: query.first("UniqueName"))
        filter.createdAfter = try query.first("DateCreatedAfter").map { try ParameterValues.date("DateCreatedAfter", $0) }
        filter.createdBefore = try query.first("DateCreatedBefore").map { try ParameterValues.date("DateCreatedBefore", $0) }
        let rows = try await rooms.list(
            account: principal.accountSid, filter: filter, cursor: page.cursor, pageSize: page.size, logger: context.logger)
        let envelope = ListEnvelope(
            key: "rooms", page: rows, request: page, path: VideoV1.path("/Rooms"), filters: query.selecting(Self.filterNames),
            style: .v1(publicURL: publicURL, mount: VideoV1.mount)
        ) { RoomResource(room: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let room = try await VideoParameters.room("RoomSid", request: request, context: context, rooms: rooms)
        return JSONResponse.make(RoomResource(room: room, publicURL: publicURL))
    }

    /// `Status=completed` ends an in-progress room and disconnects everyone; 202 with the room as it is then.
    /// A room that already ended is answered unchanged (202 too).
    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let room = try await VideoParameters.room("RoomSid", request: request, context: context, rooms: rooms)
        guard let text = context.form.first("Status") else { throw APIError.invalidParameter("Status", "is required") }
        guard RoomStatus(rawValue: text) == .completed else {
            throw APIError.invalidParameter("Status", "only completed can be set (it ends the room)")
        }
        var current = room
        if room.status == .inProgress {
            try await control.end(room.sid, logger: context.logger)
            // By SID: once ended, the room no longer answers to its unique name.
            current = try await rooms.find(room.sid.rawValue, account: room.accountSid, logger: context.logger) ?? room
        }
        return JSONResponse.make(RoomResource(room: current, publicURL: publicURL), status: .accepted)
    }

    /// The unique name (`nil`: the SID) and settings a create request asks for, Twilio's defaults and bounds applied.
    func roomRequest(_ form: FormParameters) async throws -> (uniqueName: String?, settings: RoomSettings) {
        var settings = RoomSettings()
        let uniqueName = try form.first("UniqueName").map(Self.uniqueName)
        if let type = try form.choice("Type", as: RoomType.self) { settings.type = type }
        let limit = RoomSettings.participantLimit(for: settings.type)
        settings.maxParticipants = limit
        if let text = form.first("MaxParticipants") {
            settings.maxParticipants = try ParameterValues.integer(
                "MaxParticipants", text, in: 1...limit, context: " for a \(settings.type.rawValue) room")
        }
        if let text = form.first("MaxParticipantDuration") {
            settings.maxParticipantDuration = try ParameterValues.integer("MaxParticipantDuration", text, in: 600...86_400, context: " seconds")
        }
        if let method = try form.deliveryMethod("StatusCallbackMethod") { settings.statusCallbackMethod = method }
        if let text = form.first("EmptyRoomTimeout") {
            settings.emptyRoomTimeout = try ParameterValues.integer("EmptyRoomTimeout", text, in: 1...60, context: " minutes")
        }
        if let text = form.first("UnusedRoomTimeout") {
            settings.unusedRoomTimeout = try ParameterValues.integer("UnusedRoomTimeout", text, in: 1...60, context: " minutes")
        }
        if let value = try form.boolean("AudioOnly") { settings.audioOnly = value }
        if let value = try form.boolean("RecordParticipantsOnConnect") { settings.recordParticipantsOnConnect = value }
        if let value = try form.boolean("LargeRoom") { settings.largeRoom = value }
        // Accepted for compatibility; TURN is always on and transcription is not offered.
        _ = try form.boolean("EnableTurn")
        _ = try form.boolean("TranscribeParticipantsOnConnect")
        let codecs = form.all("VideoCodecs")
        if !codecs.isEmpty {
            var chosen: [String] = []
            for text in codecs {
                guard let codec = ["VP8", "H264"].first(where: { $0 == text.uppercased() }) else {
                    throw APIError.invalidParameter("VideoCodecs", "each value must be VP8 or H264")
                }
                if !chosen.contains(codec) { chosen.append(codec) }
            }
            settings.videoCodecs = chosen
        }
        if let region = form.first("MediaRegion") {
            guard Self.mediaRegions.contains(region) else {
                throw APIError.invalidParameter("MediaRegion", "must be one of \(Self.mediaRegions.sorted().joined(separator: ", "))")
            }
            settings.mediaRegion = region
        }
        if let url = form.first("StatusCallback"), !url.isEmpty {
            try await egress.checkParameter("StatusCallback", url: url)
            settings.statusCallback = url
        }
        return (uniqueName, settings)
    }

    /// A unique name is how clients and the REST API address an in-progress room, so it cannot be empty
    /// or look like a room SID (the SID would win).
    private static func uniqueName(_ text: String) throws -> String {
        guard !text.isEmpty else { throw APIError.invalidParameter("UniqueName", "must not be empty") }
        guard text.count <= maximumUniqueNameLength else {
            throw APIError.invalidParameter("UniqueName", "must be at most \(maximumUniqueNameLength) characters")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIError.invalidParameter("UniqueName", "must not contain control characters")
        }
        guard SID(text, prefix: .room) == nil else { throw APIError.invalidParameter("UniqueName", "must not be a room SID") }
        return text
    }
}

/// Parameter parsing and path lookups shared by the Video controllers.
enum VideoParameters {
    /// The caller's room that path parameter `name` names: an `RM…` SID (any status), or the unique name of
    /// an in-progress room. Anything else is 404.
    static func room(_ name: String, request: Request, context: GatewayRequestContext, rooms: RoomRepository) async throws -> Room {
        let principal = try context.requirePrincipal()
        guard let value = context.pathValue(name),
            let room = try await rooms.find(value, account: principal.accountSid, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return room
    }

    /// The participant of `room` that path parameter `name` names: a `PA…` SID, or an identity (the
    /// present participant with it, else the latest). Anything else is 404.
    static func participant(
        _ name: String, of room: Room, request: Request, context: GatewayRequestContext, participants: ParticipantRepository
    ) async throws -> Participant {
        guard let value = context.pathValue(name),
            let participant = try await participants.find(value, room: room.sid, account: room.accountSid, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return participant
    }
}
