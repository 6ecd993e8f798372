@testable import APIGateway
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import MediaNodes
import Platform
import TestSupport
import Testing

/// Media streams of room participants (`/video/v1/Rooms/{RoomSid}/Streams`) over HTTP, their status callbacks,
/// and the node's side of the repository.
@Suite struct VideoStreamsAPITests: VideoAPITesting {
    static let consumer = "wss://203.0.113.10/media"
    static let callback = "https://203.0.113.10/streams"

    /// A room named `name` placed on a node, with `identities` connected.
    func roomWith(_ gateway: GatewayHarness, _ identities: [String], name: String = "standup") async throws -> (SID, SID, [Participant]) {
        let account = gateway.owner.sid
        let room = try roomSid(try await createRoom(gateway, [("UniqueName", name)]))
        let node = try await place(gateway, room: room, account: account)
        var participants: [Participant] = []
        for identity in identities {
            participants.append(try await connect(gateway, identity, room: room, account: account, node: node))
        }
        return (room, node, participants)
    }

    /// Creates a stream and expects 201.
    @discardableResult
    func createStream(_ gateway: GatewayHarness, room: SID, _ form: [(String, String)]) async throws -> [String: Any] {
        let response = try await gateway.send(.post, "\(Self.rooms)/\(room)/Streams", as: gateway.ownerCredentials, form: form)
        #expect(response.status == .created, "\(form): \(String(buffer: response.body))")
        return try response.json()
    }

    func streamSid(_ stream: [String: Any]) throws -> SID {
        let text = try #require(stream["sid"] as? String)
        return try #require(SID(text, prefix: .mediaStream))
    }

    /// The status callbacks queued for `stream`, oldest first, as parameter dictionaries.
    func callbacks(_ gateway: GatewayHarness, _ stream: SID) async throws -> [[String: String]] {
        let rows = try await gateway.services.database.query(
            "SELECT payload FROM deliveries WHERE ordering_key = \(stream.rawValue) ORDER BY seq", logger: TestDatabase.logger)
        return try rows.map { row in
            let pairs = try FormEncoding.decode(String(buffer: try row.decode(ByteBuffer.self)))
            return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        }
    }

    func streamCount(_ gateway: GatewayHarness) async throws -> Int {
        try await gateway.services.database.query("SELECT count(*)::int FROM media_streams", logger: TestDatabase.logger)[0].decode(Int.self)
    }

    // MARK: Create, fetch, list, stop

    @Test func createFetchListAndStop() async throws {
        try await GatewayHarness.run { gateway in
            let owner = gateway.ownerCredentials
            let (room, _, people) = try await roomWith(gateway, ["alice", "bob"])
            let (alice, bob) = (people[0], people[1])
            let created = try await createStream(gateway, room: room, [
                ("Url", Self.consumer), ("Participant", "alice"), ("Name", "transcribe"), ("Track", "both"),
                ("Parameter2.Name", "Empty"), ("Parameter1.Name", "FirstName"), ("Parameter1.Value", "Jane"),
                ("StatusCallback", Self.callback), ("StatusCallbackMethod", "get"), ("ReconnectAttempts", "5"),
            ])
            let first = try streamSid(created)
            #expect(Set(created.keys) == [
                "sid", "account_sid", "room_sid", "participant_sid", "name", "status", "track", "audio_format", "sample_rate",
                "bidirectional", "bot_participant_sid", "status_callback", "status_callback_method", "error", "date_created",
                "date_updated", "url",
            ])
            #expect(created["account_sid"] as? String == gateway.owner.sid.rawValue && created["room_sid"] as? String == room.rawValue)
            #expect(created["participant_sid"] as? String == alice.sid.rawValue && created["name"] as? String == "transcribe")
            #expect(created["status"] as? String == "in-progress" && created["track"] as? String == "both_tracks")
            #expect(created["audio_format"] as? String == "audio/x-mulaw" && created["sample_rate"] as? Int == 8000)
            #expect(created["bidirectional"] as? Bool == false && created["bot_participant_sid"] is NSNull && created["error"] is NSNull)
            #expect(created["status_callback"] as? String == Self.callback && created["status_callback_method"] as? String == "GET")
            #expect(created["url"] as? String == "\(Self.base)/Rooms/\(room)/Streams/\(first)")
            #expect((created["date_created"] as? String)?.hasSuffix("Z") == true)

            // What the node reads: the URL, the ordered parameters and the upgrade signature.
            let stored = try #require(try await gateway.services.streams.load(first, logger: TestDatabase.logger))
            #expect(stored.url == Self.consumer && stored.reconnectAttempts == 5 && stored.botIdentity == nil)
            #expect(stored.parameters == [.init(name: "FirstName", value: "Jane"), .init(name: "Empty", value: "")])
            #expect(stored.upgradeSignature == TwilioSignature.sign(url: Self.consumer, formParameters: [], authToken: gateway.owner.authToken))
            #expect(stored.track.includesInbound && stored.track.includesOutbound)

            let second = try streamSid(try await createStream(gateway, room: room, [
                ("Url", "ws://203.0.113.10:8080/bot"), ("Participant", bob.sid.rawValue), ("AudioFormat", "audio/x-l16"),
                ("Bidirectional", "true"), ("Track", "outbound"),
            ]))
            let bot = try #require(try await gateway.services.streams.load(second, logger: TestDatabase.logger))
            #expect(bot.audioFormat == MediaStreamAudioFormat(encoding: .l16, sampleRate: 16000) && bot.botIdentity == second.rawValue)
            #expect(bot.track == .outbound && bot.statusCallback == nil && bot.reconnectAttempts == 2)
            let third = try streamSid(try await createStream(gateway, room: room, [
                ("Url", Self.consumer), ("Participant", "alice"), ("AudioFormat", "audio/x-l16"), ("SampleRate", "48000"),
                ("Bidirectional", "true"), ("BotIdentity", "alice's assistant"),
            ]))

            // Fetch by SID or name, under the room's SID or unique name.
            let streams = "\(Self.rooms)/\(room)/Streams"
            for path in ["\(streams)/\(first)", "\(streams)/transcribe", "\(Self.rooms)/standup/Streams/transcribe"] {
                let fetched = try await gateway.send(.get, path, as: owner)
                #expect(fetched.status == .ok, "\(path)")
                #expect(try fetched.json()["sid"] as? String == first.rawValue, "\(path)")
            }
            for path in ["\(streams)/nothing", "\(streams)/MZ\(String(repeating: "0", count: 32))", "\(Self.rooms)/nowhere/Streams"] {
                #expect(try await gateway.send(.get, path, as: owner).errorCode() == (404, 20404), "\(path)")
            }

            // List, paged and filtered.
            func listed(_ query: String) async throws -> [String] {
                let response = try await gateway.send(.get, streams + query, as: owner)
                #expect(response.status == .ok, "\(query)")
                return try #require(try response.json()["streams"] as? [[String: Any]]).compactMap { $0["sid"] as? String }
            }
            #expect(try await listed("") == [first, second, third].map(\.rawValue))
            let page = try await gateway.send(.get, streams + "?PageSize=2", as: owner).json()
            let meta = try #require(page["meta"] as? [String: Any])
            #expect(meta["key"] as? String == "streams")
            let next = try #require(meta["next_page_url"] as? String)
            #expect(next.hasPrefix("\(Self.base)/Rooms/\(room)/Streams?PageSize=2&Page=1&PageToken="))
            #expect(try await listed(String(next.dropFirst("\(Self.base)/Rooms/\(room)/Streams".count))) == [third.rawValue])

            // Stop by name: one stream-stopped callback; stopping again changes nothing.
            for form in [[], [("Status", "in-progress")], [("Status", "completed")]] {
                #expect(try await gateway.send(.post, "\(streams)/transcribe", as: owner, form: form).errorCode() == (400, 20001), "\(form)")
            }
            let stopped = try await gateway.send(.post, "\(streams)/transcribe", as: owner, form: [("Status", "stopped")])
            #expect(stopped.status == .ok)
            #expect(try stopped.json()["status"] as? String == "stopped")
            let again = try await gateway.send(.post, "\(streams)/\(first)", as: owner, form: [("Status", "stopped")])
            #expect(again.status == .ok)
            #expect(try again.json()["status"] as? String == "stopped")
            let sent = try await callbacks(gateway, first)
            #expect(sent.count == 1)
            #expect(sent.first?["StreamEvent"] == "stream-stopped" && sent.first?["StreamSid"] == first.rawValue)
            #expect(sent.first?["StreamName"] == "transcribe" && sent.first?["RoomSid"] == room.rawValue)
            #expect(sent.first?["ParticipantSid"] == alice.sid.rawValue && sent.first?["AccountSid"] == gateway.owner.sid.rawValue)
            #expect(sent.first?["Timestamp"]?.hasSuffix("Z") == true && sent.first?["StreamError"] == nil)
            let native = try await gateway.services.database.query(
                "SELECT count(*)::int FROM events WHERE type = 'stream.stopped'", logger: TestDatabase.logger)[0].decode(Int.self)
            #expect(native == 1)

            // By SID; a stream without a StatusCallback queues no callback.
            #expect(try await gateway.send(.post, "\(streams)/\(second)", as: owner, form: [("Status", "stopped")]).status == .ok)
            #expect(try await callbacks(gateway, second).isEmpty)
            #expect(try await listed("?Status=stopped") == [first, second].map(\.rawValue))
            #expect(try await listed("?Status=in-progress") == [third.rawValue])
            #expect(try await gateway.send(.get, streams + "?Status=paused", as: owner).errorCode() == (400, 20001))

            // A stopped stream's name is free again; the name then finds the in-progress stream.
            let reused = try streamSid(try await createStream(gateway, room: room, [
                ("Url", Self.consumer), ("Participant", "bob"), ("Name", "transcribe"),
            ]))
            #expect(try await gateway.send(.get, "\(streams)/transcribe", as: owner).json()["sid"] as? String == reused.rawValue)
            let count = try await streamCount(gateway)
            let taken = try await gateway.send(
                .post, streams, as: owner, form: [("Url", Self.consumer), ("Participant", "alice"), ("Name", "transcribe")])
            #expect(try taken.errorCode() == (400, 20001))
            #expect(try await streamCount(gateway) == count)
        }
    }

    // MARK: Validation

    @Test func invalidRequestsCreateNothing() async throws {
        try await GatewayHarness.run { gateway in
            let owner = gateway.ownerCredentials
            let (room, _, people) = try await roomWith(gateway, ["alice", "bob", "carol"])
            #expect(try await gateway.send(.post, "\(Self.rooms)/\(room)/Participants/carol", as: owner, form: [("Status", "disconnected")])
                .status == .accepted)
            let base = [("Url", Self.consumer), ("Participant", "alice")]
            let invalid: [[(String, String)]] = [
                [("Participant", "alice")], [("Url", ""), ("Participant", "alice")], [("Url", Self.consumer)],
                [("Url", "https://203.0.113.10/media"), ("Participant", "alice")], [("Url", "not a url"), ("Participant", "alice")],
                [("Url", "wss://203.0.113.10/media#rc=1"), ("Participant", "alice")], [("Url", "ws://127.0.0.1:9/x"), ("Participant", "alice")],
                [("Url", "wss://user:pw@203.0.113.10/x"), ("Participant", "alice")],
                [("Url", Self.consumer), ("Participant", "dave")], [("Url", Self.consumer), ("Participant", "carol")],
                [("Url", Self.consumer), ("Participant", people[2].sid.rawValue)],
                base + [("Track", "sideways")], base + [("AudioFormat", "audio/ogg")], base + [("SampleRate", "16000")],
                base + [("AudioFormat", "audio/x-l16"), ("SampleRate", "44100")], base + [("AudioFormat", "audio/x-l16"), ("SampleRate", "fast")],
                base + [("ReconnectAttempts", "11")], base + [("ReconnectAttempts", "-1")], base + [("ReconnectAttempts", "two")],
                base + [("BotIdentity", "bot")], base + [("Bidirectional", "false"), ("BotIdentity", "bot")], base + [("Bidirectional", "maybe")],
                base + [("Bidirectional", "true"), ("BotIdentity", "")], base + [("Bidirectional", "true"), ("BotIdentity", "bob")],
                base + [("StatusCallback", "ftp://203.0.113.10/x")], base + [("StatusCallback", "wss://203.0.113.10/x")],
                base + [("StatusCallback", "http://127.0.0.1/cb")], base + [("StatusCallbackMethod", "PUT")],
                base + [("Name", "")], base + [("Name", String(repeating: "n", count: 65))], base + [("Name", "line\nbreak")],
                base + [("Name", "MZ\(String(repeating: "a", count: 32))")],
                base + [("Parameter0.Name", "a")], base + [("Parameter100.Name", "a")], base + [("Parameter01.Name", "a")],
                base + [("Parameter1.Label", "a")], base + [("Parameters", "a")], base + [("Parameter1.Value", "v")],
                base + [("Parameter1.Name", "")], base + [("Parameter1.Name", "a"), ("Parameter1.Name", "b")],
                base + [("Parameter1.Name", "a"), ("Parameter2.Name", "a")],
            ]
            for form in invalid {
                let response = try await gateway.send(.post, "\(Self.rooms)/\(room)/Streams", as: owner, form: form)
                #expect(try response.errorCode() == (400, 20001), "\(form): \(String(buffer: response.body))")
            }
            #expect(try await gateway.send(.post, "\(Self.rooms)/nowhere/Streams", as: owner, form: base).errorCode() == (404, 20404))
            #expect(try await streamCount(gateway) == 0)

            // Up to 99 custom parameters, kept in index order.
            var many = base
            for index in (1...99).reversed() { many += [("Parameter\(index).Name", "p\(index)"), ("Parameter\(index).Value", "\(index)")] }
            let sid = try streamSid(try await createStream(gateway, room: room, many))
            let stored = try #require(try await gateway.services.streams.load(sid, logger: TestDatabase.logger))
            #expect(stored.parameters.map(\.name) == (1...99).map { "p\($0)" })

            // A room that ended takes no streams.
            #expect(try await gateway.send(.post, "\(Self.rooms)/\(room)", as: owner, form: [("Status", "completed")]).status == .accepted)
            #expect(try await gateway.send(.post, "\(Self.rooms)/\(room)/Streams", as: owner, form: base).errorCode() == (400, 53118))
            #expect(try await streamCount(gateway) == 1)
        }
    }

    @Test func atMostFourInProgressStreamsPerParticipant() async throws {
        try await GatewayHarness.run { gateway in
            let (room, _, _) = try await roomWith(gateway, ["alice", "bob"])
            let form = [("Url", Self.consumer), ("Participant", "alice")]
            var sids: [SID] = []
            for _ in 1...4 { sids.append(try streamSid(try await createStream(gateway, room: room, form))) }
            let fifth = try await gateway.send(.post, "\(Self.rooms)/\(room)/Streams", as: gateway.ownerCredentials, form: form)
            #expect(try fifth.errorCode() == (400, 20001))
            try await createStream(gateway, room: room, [("Url", Self.consumer), ("Participant", "bob")])
            #expect(try await gateway.send(
                .post, "\(Self.rooms)/\(room)/Streams/\(sids[0])", as: gateway.ownerCredentials, form: [("Status", "stopped")]).status == .ok)
            try await createStream(gateway, room: room, form)
            #expect(try await streamCount(gateway) == 6)
        }
    }

    @Test func anotherAccountCannotSeeOrStopStreams() async throws {
        try await GatewayHarness.run { gateway in
            let (room, _, _) = try await roomWith(gateway, ["alice"])
            let sid = try streamSid(try await createStream(gateway, room: room, [("Url", Self.consumer), ("Participant", "alice"), ("Name", "n")]))
            let stranger = Credentials(account: try await gateway.makeMainAccount("Stranger"))
            let streams = "\(Self.rooms)/\(room)/Streams"
            for (method, path, form) in [
                (HTTPRequest.Method.get, streams, nil), (.get, "\(streams)/\(sid)", nil), (.get, "\(streams)/n", nil),
                (.post, "\(streams)/\(sid)", [("Status", "stopped")]), (.post, streams, [("Url", Self.consumer), ("Participant", "alice")]),
            ] as [(HTTPRequest.Method, String, [(String, String)]?)] {
                #expect(try await gateway.send(method, path, as: stranger, form: form).errorCode() == (404, 20404), "\(method) \(path)")
            }
            let stream = try #require(try await gateway.services.streams.load(sid, logger: TestDatabase.logger))
            #expect(stream.status == .inProgress)
            #expect(try await streamCount(gateway) == 1)
        }
    }

    // MARK: Stopped by whoever ends them

    @Test func participantDepartureAndRoomEndStopStreams() async throws {
        try await GatewayHarness.run { gateway in
            let owner = gateway.ownerCredentials
            let (room, _, _) = try await roomWith(gateway, ["alice", "bob"])
            let withCallback = [("Url", Self.consumer), ("StatusCallback", Self.callback)]
            let alice1 = try streamSid(try await createStream(gateway, room: room, withCallback + [("Participant", "alice")]))
            let alice2 = try streamSid(try await createStream(gateway, room: room, withCallback + [("Participant", "alice")]))
            let bob1 = try streamSid(try await createStream(gateway, room: room, withCallback + [("Participant", "bob")]))
            func status(_ sid: SID) async throws -> MediaStreamStatus? {
                try await gateway.services.streams.load(sid, logger: TestDatabase.logger)?.status
            }

            #expect(try await gateway.send(.post, "\(Self.rooms)/\(room)/Participants/alice", as: owner, form: [("Status", "disconnected")])
                .status == .accepted)
            for sid in [alice1, alice2] {
                #expect(try await status(sid) == .stopped)
                #expect(try await callbacks(gateway, sid).map { $0["StreamEvent"] } == ["stream-stopped"])
            }
            #expect(try await status(bob1) == .inProgress)
            #expect(try await callbacks(gateway, bob1).isEmpty)

            #expect(try await gateway.send(.post, "\(Self.rooms)/\(room)", as: owner, form: [("Status", "completed")]).status == .accepted)
            #expect(try await status(bob1) == .stopped)
            #expect(try await callbacks(gateway, bob1).map { $0["StreamEvent"] } == ["stream-stopped"])
            #expect(try await callbacks(gateway, alice1).count == 1)
        }
    }

    // MARK: The node's side

    @Test func nodeReportsStartsWarningsAndErrorsOnce() async throws {
        try await GatewayHarness.run { gateway in
            let logger = TestDatabase.logger
            let repository = gateway.services.streams
            let (room, node, people) = try await roomWith(gateway, ["alice"])
            let form = [("Url", Self.consumer), ("Participant", "alice"), ("StatusCallback", Self.callback), ("Name", "stt")]
            let sid = try streamSid(try await createStream(gateway, room: room, form))
            let other = try streamSid(try await createStream(gateway, room: room, [("Url", Self.consumer), ("Participant", "alice")]))
            #expect(try await repository.inProgressSIDs(onNode: node, logger: logger) == [sid, other])
            #expect(try await repository.inProgressSIDs(onNode: .generate(.mediaNode), logger: logger).isEmpty)

            #expect(try await repository.recordStarted(sid, logger: logger))
            #expect(try await repository.recordWarning(sid, droppedFrames: 17, logger: logger))
            let bot = try await connect(gateway, sid.rawValue, room: room, account: gateway.owner.sid, node: node)
            #expect(try await repository.setBotParticipant(sid, participant: bot.sid, logger: logger))
            let stopped = try #require(try await repository.stop(sid, reason: .error("Stream - WebSocket - Connection Refused"), logger: logger))
            #expect(stopped.status == .stopped && stopped.error == "Stream - WebSocket - Connection Refused")
            #expect(try await repository.stop(sid, reason: .stopped, logger: logger) == nil)
            #expect(try await repository.recordWarning(sid, droppedFrames: 3, logger: logger) == false)
            #expect(try await repository.setBotParticipant(sid, participant: people[0].sid, logger: logger) == false)

            let sent = try await callbacks(gateway, sid)
            #expect(sent.map { $0["StreamEvent"] } == ["stream-started", "stream-warning", "stream-error"])
            #expect(sent[1]["DroppedFrames"] == "17" && sent[1]["StreamWarning"]?.isEmpty == false && sent[1]["StreamName"] == "stt")
            #expect(sent[2]["StreamError"] == "Stream - WebSocket - Connection Refused")
            let fetched = try await gateway.send(.get, "\(Self.rooms)/\(room)/Streams/\(sid)", as: gateway.ownerCredentials).json()
            #expect(fetched["error"] as? String == "Stream - WebSocket - Connection Refused")
            #expect(fetched["bot_participant_sid"] as? String == bot.sid.rawValue)
            #expect(try await repository.inProgressSIDs(onNode: node, logger: logger) == [other])
            let types = try await gateway.services.database.query(
                "SELECT type FROM events WHERE type LIKE 'stream.%' ORDER BY occurred_at", logger: logger
            ).map { try $0.decode(String.self) }
            #expect(types == ["stream.started", "stream.warning", "stream.error"])
        }
    }

    @Test func streamCommandsRoundTrip() throws {
        let node = SID.generate(.mediaNode)
        let stream = SID.generate(.mediaStream)
        for command in [NodeCommand.startStream(stream), .stopStream(stream)] {
            let payload = NodeCommand.payload(command, to: node)
            #expect(NodeCommand.parse(payload, for: node) == command)
            #expect(NodeCommand.parse(payload, for: .generate(.mediaNode)) == nil)
        }
        #expect(NodeCommand.payload(.startStream(stream), to: node) == "\(node) start-stream \(stream)")
        #expect(NodeCommand.payload(.stopStream(stream), to: node) == "\(node) stop-stream \(stream)")
        #expect(NodeCommand.parse("\(node) start-stream \(SID.generate(.room))", for: node) == nil)
        #expect(NodeCommand.parse("\(node) stop-stream", for: node) == nil)
    }
}
