import Foundation
import HummingbirdWSClient
import Logging

/// What a simulated participant does once joined.
enum LoadRole: Sendable {
    /// Publishes one Opus audio track, sent with this SSRC.
    case publisher(ssrc: UInt32)
    /// Subscribes to the audio of every participant whose identity starts with ``LoadParticipant/publisherPrefix``,
    /// and is ready once this many tracks are in an answered offer.
    case subscriber(publishers: Int)
}

/// One simulated participant: the signaling WebSocket (docs/video.md) and one media peer connection.
struct LoadParticipant: Sendable {
    static let publisherPrefix = "pub-"

    let identity: String
    let role: LoadRole
    let peer: LoadPeer
    let sdp: LoadClientSDP
    /// Replaces the address of the node's candidate, when given.
    let mediaHost: String?
    let logger: Logger

    init(identity: String, role: LoadRole, peer: LoadPeer, certificate: DTLSCertificate, mediaHost: String?, logger: Logger) {
        self.identity = identity
        self.role = role
        self.peer = peer
        self.sdp = LoadClientSDP(credentials: peer.credentials, fingerprint: certificate.fingerprint)
        self.mediaHost = mediaHost
        self.logger = logger
    }

    /// Joins with `ticket`, publishes or subscribes, sends `ready` once media can flow (or why not), then
    /// stays until `stop` and leaves.
    func run(ticket: LoadTicket, ready: LoadSignal<Result<Void, LoadGeneratorError>>, stop: LoadSignal<Void>) async {
        do {
            try await WebSocketClient.connect(
                url: ticket.signalingURL, configuration: .init(maxFrameSize: 1 << 20), logger: logger
            ) { inbound, outbound, _ in
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do {
                            var script = LoadSignalingScript(participant: self)
                            try await outbound.write(.text(try LoadSignalingScript.encode(["type": "join", "ticket": ticket.ticket])))
                            for try await message in inbound.messages(maxSize: 1 << 22) {
                                guard case .text(let text) = message else { continue }
                                for reply in try script.handle(text) { try await outbound.write(.text(reply)) }
                                // Only after the replies went out: a subscriber's answer creates the node's DTLS server.
                                if let readiness = script.takeReadiness() {
                                    try await readiness.value
                                    ready.send(.success(()))
                                }
                            }
                            ready.send(.failure(LoadGeneratorError("\(self.identity): the node closed the signaling connection")))
                        } catch {
                            ready.send(.failure(LoadGeneratorError("\(self.identity): \(error)")))
                        }
                    }
                    _ = await stop.wait()
                    try? await outbound.write(.text(#"{"type":"leave"}"#))
                    group.cancelAll()
                }
            }
        } catch {
            ready.send(.failure(LoadGeneratorError("\(identity): signaling failed: \(error)")))
        }
    }
}

/// A participant's side of the signaling conversation, one message at a time.
struct LoadSignalingScript {
    private let participant: LoadParticipant
    private var subscribed: Set<String> = []
    private var answers: UInt64 = 0
    private var connecting: Task<Void, Error>?
    /// Completes when media can flow; handed out once.
    private var readiness: Task<Void, Error>?
    private var readinessTaken = false

    init(participant: LoadParticipant) {
        self.participant = participant
    }

    /// The connection to wait for before reporting ready, once it is known.
    mutating func takeReadiness() -> Task<Void, Error>? {
        guard !readinessTaken, let readiness else { return nil }
        readinessTaken = true
        return readiness
    }

    /// Handles one message from the node; returns the messages to send back.
    mutating func handle(_ text: String) throws -> [String] {
        guard let message = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
            let type = message["type"] as? String
        else { return [] }
        switch (type, participant.role) {
        case ("error", _):
            throw LoadGeneratorError("node error \(message["code"] ?? "?"): \(message["message"] ?? "")")
        case ("joined", .publisher(let ssrc)):
            let offer = participant.sdp.publishOffer(ssrc: ssrc, streamID: participant.identity).serialized()
            let track: [String: Any] = ["name": "audio", "kind": "audio", "mid": "0"]
            return [try Self.encode(["type": "publish", "id": "publish", "sdp": offer, "tracks": [track]])]
        case ("answer", .publisher):
            let (peer, node) = (participant.peer, try endpoint(in: message))
            readiness = Task { try await peer.connect(to: node).get() }
            return []
        case ("joined", .subscriber):
            let others = message["participants"] as? [[String: Any]] ?? []
            return try others.flatMap { other in
                try subscriptions(publisher: other["identity"] as? String, tracks: other["tracks"] as? [[String: Any]] ?? [])
            }
        case ("track-published", .subscriber):
            // Its participant's identity is not in the push; only publishers publish in a load run.
            return try subscriptions(publisher: LoadParticipant.publisherPrefix, tracks: [message["track"] as? [String: Any] ?? [:]])
        case ("subscriber-offer", .subscriber(let publishers)):
            return try answer(message, expecting: publishers)
        default:
            return []
        }
    }

    /// `subscribe` requests for the audio tracks of a publisher not yet subscribed to.
    private mutating func subscriptions(publisher identity: String?, tracks: [[String: Any]]) throws -> [String] {
        guard identity?.hasPrefix(LoadParticipant.publisherPrefix) == true else { return [] }
        var requests: [String] = []
        for track in tracks where track["kind"] as? String == "audio" {
            guard let sid = track["sid"] as? String, subscribed.insert(sid).inserted else { continue }
            requests.append(try Self.encode(["type": "subscribe", "id": sid, "track": sid]))
        }
        return requests
    }

    /// Answers a subscribe offer; the first one also starts connecting to the node. Ready once an answered
    /// offer carries every publisher's track and the connection is up.
    private mutating func answer(_ message: [String: Any], expecting publishers: Int) throws -> [String] {
        guard let revision = message["revision"] as? Int, let text = message["sdp"] as? String else {
            throw LoadGeneratorError("subscriber-offer without revision or sdp")
        }
        let offer = try SessionDescription(parsing: text)
        answers += 1
        let answer = participant.sdp.subscribeAnswer(to: offer, version: answers).serialized()
        let reply = try Self.encode(["type": "subscriber-answer", "revision": revision, "sdp": answer])
        if connecting == nil {
            let (peer, node) = (participant.peer, try NodeEndpoint(from: offer, hostOverride: participant.mediaHost))
            connecting = Task { try await peer.connect(to: node).get() }
        }
        if (message["tracks"] as? [[String: Any]] ?? []).count >= publishers, readiness == nil { readiness = connecting }
        return [reply]
    }

    private func endpoint(in message: [String: Any]) throws -> NodeEndpoint {
        guard let text = message["sdp"] as? String else { throw LoadGeneratorError("answer without sdp") }
        return try NodeEndpoint(from: try SessionDescription(parsing: text), hostOverride: participant.mediaHost)
    }

    static func encode(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}
