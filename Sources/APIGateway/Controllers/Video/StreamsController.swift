import Foundation
import Hummingbird
import MediaNodes
import Platform

/// A room's media streams (`/video/v1/Rooms/{RoomSid}/Streams`, ours: Twilio's Calls Streams with the room
/// and participant in place of the call): create, list, fetch and stop (`Status=stopped`), by `MZ…` SID or
/// name. `{RoomSid}` is an `RM…` SID or the unique name of the in-progress room.
struct StreamsController: Sendable {
    let rooms: RoomRepository
    let streams: MediaStreamRepository
    let control: StreamControl
    /// For the account's auth token, which signs the WebSocket upgrade.
    let accounts: AccountRepository
    let publicURL: String
    /// Checks `Url` and `StatusCallback` against the egress guard (names are resolved, the operator's
    /// allowlist applies).
    let egress: EgressHTTPClient

    /// The list filters, in the order their links repeat them.
    static let filterNames = ["Status"]

    static let maximumNameLength = 64
    static let maximumBotIdentityLength = 128
    /// `Parameter1.Name` … `Parameter99.Name`.
    static let customParameterIndexes = 1...99

    func register(on routes: RouteRegistrar) {
        routes.post(VideoV1.route("/Rooms/{RoomSid}/Streams"), create)
        routes.get(VideoV1.route("/Rooms/{RoomSid}/Streams"), list)
        routes.get(VideoV1.route("/Rooms/{RoomSid}/Streams/{Sid}"), fetch)
        routes.post(VideoV1.route("/Rooms/{RoomSid}/Streams/{Sid}"), update)
    }

    /// Starts streaming a connected participant's audio (201). Every parameter is checked before anything is
    /// created; the room's state is checked with its row locked (see ``MediaStreamRepository``).
    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let room = try await VideoParameters.room("RoomSid", request: request, context: context, rooms: rooms)
        guard let account = try await accounts.find(room.accountSid, visibleTo: room.accountSid, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        let new = try await streamRequest(context.form, authToken: account.authToken)
        let stream = try await control.start(new, room: room.sid, account: room.accountSid, logger: context.logger)
        return JSONResponse.make(StreamResource(stream: stream, publicURL: publicURL), status: .created)
    }

    /// The room's streams, oldest first.
    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let room = try await VideoParameters.room("RoomSid", request: request, context: context, rooms: rooms)
        let page = try PageRequest(query: context.query)
        let query = context.query
        let rows = try await streams.list(
            room: room.sid, account: room.accountSid, status: try query.choice("Status"), cursor: page.cursor, pageSize: page.size,
            logger: context.logger)
        let envelope = ListEnvelope(
            key: "streams", page: rows, request: page, path: VideoV1.path(VideoV1.roomPath(room.sid) + "/Streams"),
            filters: query.selecting(Self.filterNames), style: .v1(publicURL: publicURL, mount: VideoV1.mount)
        ) { StreamResource(stream: $0, publicURL: publicURL) }
        return JSONResponse.make(envelope)
    }

    @Sendable func fetch(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let stream = try await streamInPath(request, context)
        return JSONResponse.make(StreamResource(stream: stream, publicURL: publicURL))
    }

    /// `Status=stopped` stops an in-progress stream (`stream-stopped`); 200 with the stream as it is then.
    /// One already stopped is answered unchanged.
    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let stream = try await streamInPath(request, context)
        guard let text = context.form.first("Status") else { throw APIError.invalidParameter("Status", "is required") }
        guard MediaStreamStatus(rawValue: text) == .stopped else {
            throw APIError.invalidParameter("Status", "only stopped can be set (it stops the stream)")
        }
        var current = stream
        if stream.status == .inProgress {
            try await control.stop(stream.sid, logger: context.logger)
            current = try await streams.find(
                stream.sid.rawValue, room: stream.roomSid, account: stream.accountSid, logger: context.logger) ?? stream
        }
        return JSONResponse.make(StreamResource(stream: current, publicURL: publicURL))
    }

    /// The caller's room and the stream of it the path names: an `MZ…` SID, or a name (the in-progress stream
    /// with it, else the latest). Anything else is 404.
    private func streamInPath(_ request: Request, _ context: GatewayRequestContext) async throws -> MediaStream {
        let room = try await VideoParameters.room("RoomSid", request: request, context: context, rooms: rooms)
        guard let value = context.pathValue("Sid"),
            let stream = try await streams.find(value, room: room.sid, account: room.accountSid, logger: context.logger)
        else { throw APIError.notFound(request.uri.path) }
        return stream
    }

    /// The stream a create request asks for, defaults applied; `authToken` signs the upgrade request.
    func streamRequest(_ form: FormParameters, authToken: String) async throws -> MediaStreamRepository.NewStream {
        guard let url = form.first("Url"), !url.isEmpty else { throw APIError.invalidParameter("Url", "is required") }
        guard !url.contains("#") else { throw APIError.invalidParameter("Url", "must not have a fragment (#…)") }
        try await egress.checkParameter("Url", url: url, schemes: ["ws", "wss"])
        guard let participant = form.first("Participant"), !participant.isEmpty else {
            throw APIError.invalidParameter("Participant", "is required (a participant SID or identity)")
        }
        var new = MediaStreamRepository.NewStream(
            participant: participant, url: url, upgradeSignature: TwilioSignature.sign(url: url, formParameters: [], authToken: authToken))
        new.name = try form.first("Name").map(Self.name)
        if let text = form.first("Track") {
            guard let track = MediaStreamTrack(parameter: text) else {
                throw APIError.invalidParameter("Track", "must be inbound_track, outbound_track or both_tracks (or inbound, outbound, both)")
            }
            new.track = track
        }
        new.parameters = try Self.customParameters(form)
        if let callback = form.first("StatusCallback"), !callback.isEmpty {
            try await egress.checkParameter("StatusCallback", url: callback)
            new.statusCallback = callback
        }
        if let method = try form.deliveryMethod("StatusCallbackMethod") { new.statusCallbackMethod = method }
        new.audioFormat = try Self.audioFormat(form)
        if let value = try form.boolean("Bidirectional") { new.bidirectional = value }
        if let identity = form.first("BotIdentity") {
            guard new.bidirectional else {
                throw APIError.invalidParameter("BotIdentity", "is only for bidirectional streams (Bidirectional=true)")
            }
            new.botIdentity = try Self.botIdentity(identity)
        }
        if let text = form.first("ReconnectAttempts") {
            new.reconnectAttempts = try ParameterValues.integer("ReconnectAttempts", text, in: 0...10)
        }
        return new
    }

    /// `AudioFormat` (default `audio/x-mulaw`) at `SampleRate` (the format's default when absent).
    private static func audioFormat(_ form: FormParameters) throws -> MediaStreamAudioFormat {
        let encoding = try form.choice("AudioFormat", as: MediaStreamAudioFormat.Encoding.self) ?? .mulaw
        guard let text = form.first("SampleRate") else { return MediaStreamAudioFormat(encoding: encoding)! }
        guard let rate = Int(text), let format = MediaStreamAudioFormat(encoding: encoding, sampleRate: rate) else {
            let rates = encoding.sampleRates.sorted().map(String.init)
            let choice = rates.count == 1 ? rates[0] : "one of " + rates.joined(separator: ", ")
            throw APIError.invalidParameter("SampleRate", "must be \(choice) for \(encoding.rawValue)")
        }
        return format
    }

    /// `Parameter{N}.Name` / `Parameter{N}.Value` for N = 1…99, ordered by N. A value without a name, a name
    /// given twice, and any other `Parameter…` key are refused; a name without a value has an empty value.
    static func customParameters(_ form: FormParameters) throws -> [MediaStreamParameter] {
        var names: [Int: String] = [:]
        var values: [Int: String] = [:]
        for (key, value) in form.pairs where key.hasPrefix("Parameter") {
            guard let parsed = customParameterKey(key) else {
                throw APIError.invalidParameter(
                    key, "custom parameters are Parameter1.Name and Parameter1.Value to Parameter99.Name and Parameter99.Value")
            }
            guard (parsed.isName ? names[parsed.index] : values[parsed.index]) == nil else {
                throw APIError.invalidParameter(key, "is given more than once")
            }
            if parsed.isName { names[parsed.index] = value } else { values[parsed.index] = value }
        }
        if let index = values.keys.first(where: { names[$0] == nil }) {
            throw APIError.invalidParameter("Parameter\(index).Name", "is required with Parameter\(index).Value")
        }
        var parameters: [MediaStreamParameter] = []
        for (index, name) in names.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty else { throw APIError.invalidParameter("Parameter\(index).Name", "must not be empty") }
            guard !parameters.contains(where: { $0.name == name }) else {
                throw APIError.invalidParameter("Parameter\(index).Name", "repeats the name of another parameter")
            }
            parameters.append(MediaStreamParameter(name: name, value: values[index] ?? ""))
        }
        return parameters
    }

    /// `(N, true)` for `ParameterN.Name`, `(N, false)` for `ParameterN.Value`; N written without leading zeros.
    private static func customParameterKey(_ key: String) -> (index: Int, isName: Bool)? {
        let rest = key.dropFirst("Parameter".count)
        guard let dot = rest.firstIndex(of: "."), let index = Int(rest[..<dot]), String(index) == rest[..<dot],
            customParameterIndexes.contains(index)
        else { return nil }
        switch rest[rest.index(after: dot)...] {
        case "Name": return (index, true)
        case "Value": return (index, false)
        default: return nil
        }
    }

    /// A name is how the REST API addresses a stream, so it cannot be empty or look like a stream SID.
    private static func name(_ text: String) throws -> String {
        try checkText(text, parameter: "Name", maximumLength: maximumNameLength)
        guard SID(text, prefix: .mediaStream) == nil else { throw APIError.invalidParameter("Name", "must not be a stream SID") }
        return text
    }

    private static func botIdentity(_ text: String) throws -> String {
        try checkText(text, parameter: "BotIdentity", maximumLength: maximumBotIdentityLength)
        return text
    }

    private static func checkText(_ text: String, parameter: String, maximumLength: Int) throws {
        guard !text.isEmpty else { throw APIError.invalidParameter(parameter, "must not be empty") }
        guard text.count <= maximumLength else { throw APIError.invalidParameter(parameter, "must be at most \(maximumLength) characters") }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIError.invalidParameter(parameter, "must not contain control characters")
        }
    }
}
