@testable import APIGateway
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MediaNodes
import Platform
import TestSupport
import Testing

/// Twilio's Video v1 Rooms over HTTP: `/video/v1/Rooms`.
@Suite struct VideoRoomsAPITests: VideoAPITesting {
    // MARK: Rooms

    @Test func createdRoomHasTwiliosFieldsAndDefaults() async throws {
        try await GatewayHarness.run { gateway in
            let room = try await createRoom(gateway)
            let sid = try roomSid(room).rawValue
            let expectedKeys: Set<String> = [
                "sid", "status", "date_created", "date_updated", "account_sid", "enable_turn", "unique_name", "status_callback",
                "status_callback_method", "end_time", "duration", "type", "max_participants", "max_participant_duration",
                "max_concurrent_published_tracks", "record_participants_on_connect", "video_codecs", "media_region", "audio_only",
                "empty_room_timeout", "unused_room_timeout", "large_room", "url", "links",
            ]
            #expect(Set(room.keys) == expectedKeys)
            #expect(room["status"] as? String == "in-progress")
            #expect(room["account_sid"] as? String == gateway.owner.sid.rawValue)
            #expect(room["unique_name"] as? String == sid)
            #expect(room["enable_turn"] as? Bool == true)
            #expect(room["type"] as? String == "group" && room["max_participants"] as? Int == 50)
            #expect(room["max_participant_duration"] as? Int == 14_400)
            #expect(room["max_concurrent_published_tracks"] as? Int == 170)
            #expect(room["status_callback"] is NSNull && room["status_callback_method"] as? String == "POST")
            #expect(room["end_time"] is NSNull && room["duration"] is NSNull)
            #expect(room["video_codecs"] as? [String] == ["VP8", "H264"])
            #expect(room["media_region"] as? String == "us1")
            #expect(room["empty_room_timeout"] as? Int == 5 && room["unused_room_timeout"] as? Int == 5)
            #expect(room["audio_only"] as? Bool == false && room["large_room"] as? Bool == false)
            #expect(room["record_participants_on_connect"] as? Bool == false)
            let created = try #require(room["date_created"] as? String)
            #expect(created.hasSuffix("Z") && created.count == 20, "\(created)")
            #expect(room["url"] as? String == "\(Self.base)/Rooms/\(sid)")
            let links = try #require(room["links"] as? [String: String])
            #expect(links == [
                "participants": "\(Self.base)/Rooms/\(sid)/Participants",
                "recordings": "\(Self.base)/Rooms/\(sid)/Recordings",
                "transcriptions": "\(Self.base)/Rooms/\(sid)/Transcriptions",
                "recording_rules": "\(Self.base)/Rooms/\(sid)/RecordingRules",
            ])
        }
    }

    @Test func createAppliesEveryParameter() async throws {
        try await GatewayHarness.run { gateway in
            let room = try await createRoom(gateway, [
                ("UniqueName", "standup"), ("Type", "group-small"), ("MaxParticipants", "4"), ("MaxParticipantDuration", "600"),
                ("StatusCallback", "https://203.0.113.10/rooms"), ("StatusCallbackMethod", "get"), ("EmptyRoomTimeout", "1"),
                ("UnusedRoomTimeout", "60"), ("AudioOnly", "true"), ("RecordParticipantsOnConnect", "TRUE"), ("VideoCodecs", "H264"),
                ("VideoCodecs", "vp8"), ("VideoCodecs", "H264"), ("MediaRegion", "de1"), ("LargeRoom", "true"), ("EnableTurn", "false"),
            ])
            #expect(room["unique_name"] as? String == "standup" && room["type"] as? String == "group-small")
            #expect(room["max_participants"] as? Int == 4 && room["max_participant_duration"] as? Int == 600)
            #expect(room["max_concurrent_published_tracks"] as? Int == 16)
            #expect(room["status_callback"] as? String == "https://203.0.113.10/rooms")
            #expect(room["status_callback_method"] as? String == "GET")
            #expect(room["empty_room_timeout"] as? Int == 1 && room["unused_room_timeout"] as? Int == 60)
            #expect(room["audio_only"] as? Bool == true && room["record_participants_on_connect"] as? Bool == true)
            #expect(room["video_codecs"] as? [String] == ["H264", "VP8"])
            #expect(room["media_region"] as? String == "de1" && room["large_room"] as? Bool == true)
            #expect(room["enable_turn"] as? Bool == true)

            let go = try await createRoom(gateway, [("Type", "go")])
            #expect(go["type"] as? String == "go" && go["max_participants"] as? Int == 2)
            let p2p = try await createRoom(gateway, [("Type", "peer-to-peer")])
            #expect(p2p["max_participants"] as? Int == 10)
        }
    }

    @Test func invalidParametersAre400AndCreateNothing() async throws {
        try await GatewayHarness.run { gateway in
            let invalid: [[(String, String)]] = [
                [("Type", "huge")],
                [("Type", "GROUP")],
                [("MaxParticipants", "0")],
                [("MaxParticipants", "51")],
                [("MaxParticipants", "many")],
                [("Type", "go"), ("MaxParticipants", "3")],
                [("Type", "peer-to-peer"), ("MaxParticipants", "11")],
                [("MaxParticipantDuration", "599")],
                [("MaxParticipantDuration", "86401")],
                [("StatusCallback", "not a url")],
                [("StatusCallback", "/relative/path")],
                [("StatusCallback", "ftp://203.0.113.10/x")],
                [("StatusCallback", "ws://203.0.113.10/x")],
                [("StatusCallback", "https://user:pw@203.0.113.10/x")],
                [("StatusCallback", "https://203.0.113.10/x#ct=0")],
                [("StatusCallbackMethod", "PUT")],
                [("EmptyRoomTimeout", "0")],
                [("EmptyRoomTimeout", "61")],
                [("UnusedRoomTimeout", "0")],
                [("UnusedRoomTimeout", "1.5")],
                [("AudioOnly", "yes")],
                [("RecordParticipantsOnConnect", "1")],
                [("LargeRoom", "")],
                [("EnableTurn", "on")],
                [("VideoCodecs", "VP9")],
                [("VideoCodecs", "VP8"), ("VideoCodecs", "")],
                [("MediaRegion", "mars1")],
                [("UniqueName", "")],
                [("UniqueName", String(repeating: "x", count: 129))],
                [("UniqueName", "RM" + String(repeating: "a", count: 32))],
                [("UniqueName", "tab\there")],
                // A good name with a bad value: still nothing created.
                [("UniqueName", "half-good"), ("MaxParticipants", "-1")],
            ]
            for form in invalid {
                let response = try await gateway.send(.post, Self.rooms, as: gateway.ownerCredentials, form: form)
                #expect(try response.errorCode() == (400, 20001), "\(form): \(String(buffer: response.body))")
            }
            #expect(try await listedRooms(gateway).isEmpty)
            let count = try await gateway.services.database.query("SELECT count(*)::int FROM rooms", logger: TestDatabase.logger)
            #expect(try count.first?.decode(Int.self) == 0)
        }
    }

    /// Without the gateway's egress client the controller still checks the URL's shape; with it (as
    /// `GatewayServices.egress`) internal addresses are refused unless the operator allowed them.
    @Test func statusCallbackPassesTheEgressGuard() async throws {
        try await GatewayHarness.run { gateway in
            let guarded = RoomsController(
                rooms: gateway.services.rooms, control: gateway.services.roomControl, publicURL: "https://parley.test",
                egress: gateway.services.egress)
            for url in ["http://10.0.0.1/cb", "http://127.0.0.1:8080/cb", "http://[::1]/cb", "http://169.254.169.254/latest"] {
                do {
                    _ = try await guarded.roomRequest(FormParameters([("StatusCallback", url)]))
                    Issue.record("\(url) was accepted")
                } catch let error as APIError {
                    #expect(error.status == 400 && error.code == 20001 && error.message.contains("StatusCallback"))
                }
            }
            let accepted = try await guarded.roomRequest(FormParameters([("StatusCallback", "https://203.0.113.10/cb")]))
            #expect(accepted.settings.statusCallback == "https://203.0.113.10/cb")
        }
        try await GatewayHarness.run(configure: { $0.egressPolicy = try! EgressPolicy.parse("127.0.0.0/8") }) { gateway in
            let allowed = RoomsController(
                rooms: gateway.services.rooms, control: gateway.services.roomControl, publicURL: "https://parley.test",
                egress: gateway.services.egress)
            let request = try await allowed.roomRequest(FormParameters([("StatusCallback", "http://127.0.0.1:9/cb")]))
            #expect(request.settings.statusCallback == "http://127.0.0.1:9/cb")
        }
    }

    @Test func fetchBySidOrInProgressUniqueName() async throws {
        try await GatewayHarness.run { gateway in
            let owner = gateway.ownerCredentials
            let room = try await createRoom(gateway, [("UniqueName", "daily standup")])
            let sid = try roomSid(room).rawValue
            let bySid = try await gateway.send(.get, "\(Self.rooms)/\(sid)", as: owner)
            #expect(bySid.status == .ok)
            #expect(try bySid.json()["unique_name"] as? String == "daily standup")
            let byName = try await gateway.send(.get, "\(Self.rooms)/daily%20standup", as: owner)
            #expect(byName.status == .ok)
            #expect(try byName.json()["sid"] as? String == sid)
            #expect(try await gateway.send(.get, "\(Self.rooms)/nobody", as: owner).errorCode() == (404, 20404))
            #expect(try await gateway.send(.get, "\(Self.rooms)/RM\(String(repeating: "0", count: 32))", as: owner).errorCode() == (404, 20404))

            // Once ended the name no longer resolves (it may be reused); the SID still does.
            #expect(try await gateway.send(.post, "\(Self.rooms)/daily%20standup", as: owner, form: [("Status", "completed")]).status == .accepted)
            #expect(try await gateway.send(.get, "\(Self.rooms)/daily%20standup", as: owner).errorCode() == (404, 20404))
            #expect(try await gateway.send(.get, "\(Self.rooms)/\(sid)", as: owner).status == .ok)
        }
    }

    @Test func uniqueNameIsUniqueAmongInProgressRooms() async throws {
        try await GatewayHarness.run { gateway in
            let owner = gateway.ownerCredentials
            let first = try await createRoom(gateway, [("UniqueName", "standup")])
            let duplicate = try await gateway.send(.post, Self.rooms, as: owner, form: [("UniqueName", "standup")])
            #expect(try duplicate.errorCode() == (400, 53113))
            // Another account may use the name.
            let other = try await gateway.makeMainAccount("other")
            try await createRoom(gateway, [("UniqueName", "standup")], as: Credentials(account: other))
            // After the first ends, the name is free again.
            let sid = try roomSid(first)
            #expect(try await gateway.send(.post, "\(Self.rooms)/\(sid)", as: owner, form: [("Status", "completed")]).status == .accepted)
            let second = try await createRoom(gateway, [("UniqueName", "standup")])
            #expect(second["sid"] as? String != sid.rawValue)
            let named = try await gateway.send(.get, "\(Self.rooms)/standup", as: owner).json()
            #expect(named["sid"] as? String == second["sid"] as? String)
        }
    }

    @Test func anIdleTimeoutEndsOnlyARoomStillIdle() async throws {
        try await GatewayHarness.run { gateway in
            let sid = try roomSid(try await createRoom(gateway, [("UniqueName", "idle")]))
            let control = gateway.services.roomControl
            // Not idle long enough yet (the unused-room timeout runs for minutes): nothing happens.
            #expect(try await control.end(sid, onlyIfIdle: true, logger: TestDatabase.logger) == false)
            try await gateway.services.database.query(
                "UPDATE rooms SET idle_deadline = now() - interval '1 second' WHERE sid = \(sid.rawValue)", logger: TestDatabase.logger)
            #expect(try await control.end(sid, onlyIfIdle: true, logger: TestDatabase.logger) == true)
            let room = try await gateway.services.rooms.find(sid.rawValue, account: gateway.owner.sid, logger: TestDatabase.logger)
            #expect(room?.status == .completed)
        }
    }

    @Test func endingARoom() async throws {
        try await GatewayHarness.run { gateway in
            let owner = gateway.ownerCredentials
            let room = try await createRoom(gateway, [("UniqueName", "to-end")])
            let sid = try roomSid(room)
            let path = "\(Self.rooms)/\(sid)"
            // Status is required and only completed is accepted; neither changes the room.
            for form in [[], [("Status", "in-progress")], [("Status", "failed")], [("Status", "COMPLETED")], [("Status", "ended")]] {
                let response = try await gateway.send(.post, path, as: owner, form: form)
                #expect(try response.errorCode() == (400, 20001), "\(form)")
            }
            #expect(try await gateway.send(.get, path, as: owner).json()["status"] as? String == "in-progress")

            let node = try await place(gateway, room: sid, account: gateway.owner.sid)
            let alice = try await connect(gateway, "alice", room: sid, account: gateway.owner.sid, node: node)

            let ended = try await gateway.send(.post, path, as: owner, form: [("Status", "completed")])
            #expect(ended.status == .accepted)
            let body = try ended.json()
            #expect(body["status"] as? String == "completed")
            let endTime = try #require(body["end_time"] as? String)
            #expect(body["duration"] is Int)
            // Everyone present was disconnected.
            let participant = try await gateway.send(.get, "\(path)/Participants/\(alice.sid)", as: owner).json()
            #expect(participant["status"] as? String == "disconnected")

            // Ending again: 202, unchanged.
            let again = try await gateway.send(.post, path, as: owner, form: [("Status", "completed")])
            #expect(again.status == .accepted)
            let unchanged = try again.json()
            #expect(unchanged["end_time"] as? String == endTime && unchanged["date_updated"] as? String == body["date_updated"] as? String)
        }
    }

    @Test func listFiltersAndPaging() async throws {
        try await GatewayHarness.run { gateway in
            let owner = gateway.ownerCredentials
            var sids: [String] = []
            for index in 0..<5 { sids.append(try roomSid(try await createRoom(gateway, [("UniqueName", "room-\(index)")])).rawValue) }
            #expect(try await gateway.send(.post, "\(Self.rooms)/\(sids[1])", as: owner, form: [("Status", "completed")]).status == .accepted)

            #expect(try await listedRooms(gateway) == sids)
            #expect(try await listedRooms(gateway, "?Status=completed") == [sids[1]])
            #expect(try await listedRooms(gateway, "?Status=in-progress") == sids.filter { $0 != sids[1] })
            #expect(try await listedRooms(gateway, "?Status=failed").isEmpty)
            #expect(try await listedRooms(gateway, "?UniqueName=room-3") == [sids[3]])
            #expect(try await listedRooms(gateway, "?DateCreatedAfter=2000-01-01") == sids)
            #expect(try await listedRooms(gateway, "?DateCreatedAfter=2999-01-01T00:00:00Z").isEmpty)
            #expect(try await listedRooms(gateway, "?DateCreatedBefore=2000-01-01T00:00:00Z").isEmpty)
            #expect(try await listedRooms(gateway, "?DateCreatedBefore=2999-01-01T00:00:00%2B01:00") == sids)
            #expect(try await listedRooms(gateway, "?DateCreatedBefore=2999-01-01T00:00:00.5Z&Status=completed") == [sids[1]])

            for query in [
                "?Status=open", "?Status=In-Progress", "?DateCreatedAfter=yesterday", "?DateCreatedAfter=2026-02-30",
                "?DateCreatedAfter=2026-1-1", "?DateCreatedBefore=2026-01-01T25:00:00Z", "?DateCreatedBefore=2026-01-01T10:00:00",
                "?DateCreatedBefore=2026-01-01 10:00:00Z", "?PageSize=0", "?PageToken=nonsense",
            ] {
                let response = try await gateway.send(.get, Self.rooms + query, as: owner)
                #expect(try response.errorCode() == (400, 20001), "\(query)")
            }

            // Paging: v1 envelope, absolute links that repeat the filters, and each room once.
            var seen: [String] = []
            var next: String? = "\(Self.rooms)?Status=in-progress&PageSize=2"
            var pages = 0
            while let path = next {
                let page = try await gateway.send(.get, path, as: owner).json()
                let rooms = try #require(page["rooms"] as? [[String: Any]])
                seen += rooms.compactMap { $0["sid"] as? String }
                let meta = try #require(page["meta"] as? [String: Any])
                #expect(Set(page.keys) == ["rooms", "meta"])
                #expect(meta["key"] as? String == "rooms" && meta["page"] as? Int == pages && meta["page_size"] as? Int == 2)
                #expect(meta["first_page_url"] as? String == "\(Self.base)/Rooms?Status=in-progress&PageSize=2&Page=0")
                if pages > 0 { #expect((meta["previous_page_url"] as? String)?.hasPrefix("\(Self.base)/Rooms?Status=in-progress&") == true) }
                next = (meta["next_page_url"] as? String).map { String($0.dropFirst("https://parley.test".count)) }
                if let next { #expect(next.hasPrefix("\(Self.rooms)?Status=in-progress&PageSize=2&Page=\(pages + 1)&PageToken=")) }
                pages += 1
            }
            #expect(pages == 2 && seen == sids.filter { $0 != sids[1] })
        }
    }

    @Test func otherAccountsSeeNothing() async throws {
        try await GatewayHarness.run { gateway in
            let owner = gateway.ownerCredentials
            let room = try await createRoom(gateway, [("UniqueName", "private")])
            let sid = try roomSid(room)
            let node = try await place(gateway, room: sid, account: gateway.owner.sid)
            let alice = try await connect(gateway, "alice", room: sid, account: gateway.owner.sid, node: node)
            let track = try await gateway.services.database.withTransaction(logger: TestDatabase.logger) { connection in
                try await RoomChanges(outbox: gateway.services.outbox).publish(
                    [(name: "mic", kind: .audio)], by: alice, on: connection, logger: TestDatabase.logger)[0]
            }
            let stranger = try await gateway.makeMainAccount("stranger")
            let sub = try await gateway.makeSubaccount(of: gateway.owner, "sub")
            let strangerKey = try await gateway.services.keys.create(account: stranger.sid, friendlyName: nil, logger: TestDatabase.logger)
            let outsiders = [
                Credentials(account: stranger), Credentials(account: sub),
                Credentials(username: strangerKey.key.sid.rawValue, password: strangerKey.secret),
            ]
            let participant = "\(Self.rooms)/\(sid)/Participants/\(alice.sid)"
            let requests: [(HTTPRequest.Method, String, [(String, String)]?)] = [
                (.get, "\(Self.rooms)/\(sid)", nil), (.get, "\(Self.rooms)/private", nil),
                (.post, "\(Self.rooms)/\(sid)", [("Status", "completed")]), (.post, "\(Self.rooms)/private", [("Status", "completed")]),
                (.get, "\(Self.rooms)/\(sid)/Participants", nil), (.get, participant, nil), (.get, "\(Self.rooms)/\(sid)/Participants/alice", nil),
                (.post, participant, [("Status", "disconnected")]),
                (.get, "\(participant)/PublishedTracks", nil), (.get, "\(participant)/PublishedTracks/\(track.sid)", nil),
                (.get, "\(participant)/SubscribedTracks", nil), (.get, "\(participant)/SubscribedTracks/\(track.sid)", nil),
            ]
            for outsider in outsiders {
                for (method, path, form) in requests {
                    let response = try await gateway.send(method, path, as: outsider, form: form)
                    #expect(try response.errorCode() == (404, 20404), "\(method) \(path) as \(outsider.username)")
                }
                let listed = try await gateway.send(.get, Self.rooms, as: outsider).json()
                #expect((listed["rooms"] as? [Any])?.isEmpty == true)
            }
            // The same name is free for other accounts.
            for outsider in outsiders.prefix(2) { try await createRoom(gateway, [("UniqueName", "private")], as: outsider) }
            let mine = try await gateway.send(.get, "\(Self.rooms)/\(sid)", as: owner).json()
            #expect(mine["status"] as? String == "in-progress")
            let present = try await gateway.send(.get, participant, as: owner).json()
            #expect(present["status"] as? String == "connected")
        }
    }

    // MARK: Parsing

    @Test func dateParameters() throws {
        let parse = ParameterValues.parseDate
        #expect(parse("2026-11-21") == Date(timeIntervalSince1970: 1_795_219_200))
        #expect(parse("2026-11-21T20:00:00Z") == Date(timeIntervalSince1970: 1_795_219_200 + 72_000))
        #expect(parse("2026-11-21T21:30:00+01:30") == Date(timeIntervalSince1970: 1_795_219_200 + 72_000))
        #expect(parse("2026-11-21T19:00:00-01:00") == Date(timeIntervalSince1970: 1_795_219_200 + 72_000))
        #expect(parse("2026-11-21T20:00:00.250Z") == Date(timeIntervalSince1970: 1_795_219_200 + 72_000.25))
        #expect(parse("2024-02-29") != nil)
        for bad in [
            "", "2026", "2026-11", "2026-11-2", "2026-02-29", "2026-04-31", "2026-00-10", "2026-11-21T", "2026-11-21T20:00Z",
            "2026-11-21T20:00:00", "2026-11-21T24:00:00Z", "2026-11-21T20:60:00Z", "2026-11-21T20:00:00.Z", "2026-11-21T20:00:00+0100",
            "2026-11-21T20:00:00Zjunk", "2026-11-21x", "２０２６-11-21", "+026-11-21",
        ] {
            #expect(parse(bad) == nil, "\(bad)")
        }
    }
}
