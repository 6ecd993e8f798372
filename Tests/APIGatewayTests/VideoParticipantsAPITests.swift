@testable import APIGateway
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MediaNodes
import Platform
import TestSupport
import Testing

/// Twilio's Video v1 Participants and Published/Subscribed Tracks over HTTP.
@Suite struct VideoParticipantsAPITests: VideoAPITesting {
    // MARK: Participants

    @Test func participantsListFetchAndKick() async throws {
        try await GatewayHarness.run { gateway in
            let owner = gateway.ownerCredentials
            let account = gateway.owner.sid
            let room = try await createRoom(gateway, [("UniqueName", "team")])
            let sid = try roomSid(room)
            let node = try await place(gateway, room: sid, account: account)
            let alice = try await connect(gateway, "alice", room: sid, account: account, node: node)
            let bob = try await connect(gateway, "bob smith", room: sid, account: account, node: node)
            let carol = try await connect(gateway, "carol", room: sid, account: account, node: node)

            let list = "\(Self.rooms)/\(sid)/Participants"
            let listed = try await gateway.send(.get, list, as: owner).json()
            let items = try #require(listed["participants"] as? [[String: Any]])
            #expect(items.compactMap { $0["sid"] as? String } == [alice.sid, bob.sid, carol.sid].map(\.rawValue))
            let meta = try #require(listed["meta"] as? [String: Any])
            #expect(meta["key"] as? String == "participants")
            #expect(meta["url"] as? String == "\(Self.base)/Rooms/\(sid)/Participants?PageSize=50&Page=0")

            let first = items[0]
            #expect(Set(first.keys) == [
                "sid", "room_sid", "account_sid", "status", "identity", "date_created", "date_updated", "start_time", "end_time",
                "duration", "url", "links",
            ])
            #expect(first["room_sid"] as? String == sid.rawValue && first["account_sid"] as? String == account.rawValue)
            #expect(first["status"] as? String == "connected" && first["identity"] as? String == "alice")
            #expect(first["end_time"] is NSNull && first["duration"] is NSNull && first["start_time"] is String)
            let url = "\(Self.base)/Rooms/\(sid)/Participants/\(alice.sid)"
            #expect(first["url"] as? String == url)
            #expect(first["links"] as? [String: String] == [
                "published_tracks": url + "/PublishedTracks", "subscribed_tracks": url + "/SubscribedTracks",
                "subscribe_rules": url + "/SubscribeRules", "anonymize": url + "/Anonymize",
            ])

            // By SID or identity, under the room's SID or unique name.
            for path in ["\(list)/\(bob.sid)", "\(list)/bob%20smith", "\(Self.rooms)/team/Participants/bob%20smith"] {
                let fetched = try await gateway.send(.get, path, as: owner)
                #expect(fetched.status == .ok, "\(path)")
                #expect(try fetched.json()["sid"] as? String == bob.sid.rawValue, "\(path)")
            }
            #expect(try await gateway.send(.get, "\(list)/dave", as: owner).errorCode() == (404, 20404))
            #expect(try await gateway.send(.get, "\(list)/PA\(String(repeating: "0", count: 32))", as: owner).errorCode() == (404, 20404))

            // Kick: Status is required and only disconnected is accepted.
            let bobPath = "\(list)/\(bob.sid)"
            for form in [[], [("Status", "connected")], [("Status", "reconnecting")], [("Status", "gone")]] {
                #expect(try await gateway.send(.post, bobPath, as: owner, form: form).errorCode() == (400, 20001), "\(form)")
            }
            #expect(try await gateway.send(.get, bobPath, as: owner).json()["status"] as? String == "connected")
            let kicked = try await gateway.send(.post, "\(list)/bob%20smith", as: owner, form: [("Status", "disconnected")])
            #expect(kicked.status == .accepted)
            let gone = try kicked.json()
            #expect(gone["sid"] as? String == bob.sid.rawValue && gone["status"] as? String == "disconnected")
            let endTime = try #require(gone["end_time"] as? String)
            #expect(gone["duration"] is Int)
            let again = try await gateway.send(.post, bobPath, as: owner, form: [("Status", "disconnected")])
            #expect(again.status == .accepted)
            #expect(try again.json()["end_time"] as? String == endTime)
            #expect(try await gateway.send(.post, "\(list)/dave", as: owner, form: [("Status", "disconnected")]).errorCode() == (404, 20404))

            // Filters.
            func filtered(_ query: String) async throws -> [String] {
                let response = try await gateway.send(.get, list + query, as: owner)
                #expect(response.status == .ok, "\(query)")
                return try #require(try response.json()["participants"] as? [[String: Any]]).compactMap { $0["sid"] as? String }
            }
            #expect(try await filtered("?Status=disconnected") == [bob.sid.rawValue])
            #expect(try await filtered("?Status=connected") == [alice.sid, carol.sid].map(\.rawValue))
            #expect(try await filtered("?Status=reconnecting").isEmpty)
            #expect(try await filtered("?Identity=carol") == [carol.sid.rawValue])
            #expect(try await filtered("?Identity=carol&Status=disconnected").isEmpty)
            #expect(try await filtered("?DateCreatedAfter=2999-01-01").isEmpty)
            #expect(try await filtered("?DateCreatedBefore=2999-01-01&PageSize=1").count == 1)
            for query in ["?Status=kicked", "?DateCreatedAfter=soon", "?DateCreatedBefore=2026-13-01"] {
                #expect(try await gateway.send(.get, list + query, as: owner).errorCode() == (400, 20001), "\(query)")
            }
            #expect(try await gateway.send(.get, "\(Self.rooms)/nowhere/Participants", as: owner).errorCode() == (404, 20404))

            // A participant of another room is not found under this one.
            let otherRoom = try roomSid(try await createRoom(gateway))
            #expect(try await gateway.send(.get, "\(Self.rooms)/\(otherRoom)/Participants/\(alice.sid)", as: owner).errorCode() == (404, 20404))
        }
    }

    // MARK: Tracks

    @Test func publishedAndSubscribedTracks() async throws {
        try await GatewayHarness.run { gateway in
            let owner = gateway.ownerCredentials
            let account = gateway.owner.sid
            let sid = try roomSid(try await createRoom(gateway, [("UniqueName", "tracks")]))
            let node = try await place(gateway, room: sid, account: account)
            let alice = try await connect(gateway, "alice", room: sid, account: account, node: node)
            let bob = try await connect(gateway, "bob", room: sid, account: account, node: node)
            let changes = RoomChanges(outbox: gateway.services.outbox)
            let logger = TestDatabase.logger
            let published = try await gateway.services.database.withTransaction(logger: logger) { connection in
                try await changes.publish([(name: "mic", kind: .audio), (name: "camera", kind: .video)], by: alice, on: connection, logger: logger)
            }
            let (mic, camera) = (published[0], published[1])
            try await gateway.services.database.withTransaction(logger: logger) { connection in
                _ = try await changes.setSubscribed(true, track: mic.sid, subscriber: bob, on: connection, logger: logger)
                _ = try await changes.setSubscribed(true, track: camera.sid, subscriber: bob, on: connection, logger: logger)
                _ = try await changes.setSubscribed(false, track: camera.sid, subscriber: bob, on: connection, logger: logger)
                _ = try await changes.setEnabled(false, track: mic.sid, of: alice, on: connection, logger: logger)
            }

            let alicePath = "\(Self.rooms)/\(sid)/Participants/\(alice.sid)"
            let aliceURL = "\(Self.base)/Rooms/\(sid)/Participants/\(alice.sid)"
            let list = try await gateway.send(.get, "\(alicePath)/PublishedTracks", as: owner).json()
            let tracks = try #require(list["published_tracks"] as? [[String: Any]])
            #expect(tracks.compactMap { $0["sid"] as? String } == [mic.sid.rawValue, camera.sid.rawValue])
            let meta = try #require(list["meta"] as? [String: Any])
            #expect(meta["key"] as? String == "published_tracks")
            #expect(meta["url"] as? String == "\(aliceURL)/PublishedTracks?PageSize=50&Page=0")
            let first = tracks[0]
            #expect(Set(first.keys) == ["sid", "participant_sid", "room_sid", "name", "date_created", "date_updated", "enabled", "kind", "url"])
            #expect(first["participant_sid"] as? String == alice.sid.rawValue && first["room_sid"] as? String == sid.rawValue)
            #expect(first["name"] as? String == "mic" && first["kind"] as? String == "audio" && first["enabled"] as? Bool == false)
            #expect(first["url"] as? String == "\(aliceURL)/PublishedTracks/\(mic.sid)")
            #expect(tracks[1]["kind"] as? String == "video" && tracks[1]["enabled"] as? Bool == true)

            let fetched = try await gateway.send(.get, "\(Self.rooms)/tracks/Participants/alice/PublishedTracks/\(camera.sid)", as: owner)
            #expect(fetched.status == .ok)
            #expect(try fetched.json()["name"] as? String == "camera")
            let paged = try await gateway.send(.get, "\(alicePath)/PublishedTracks?PageSize=1", as: owner).json()
            #expect((paged["published_tracks"] as? [Any])?.count == 1)
            #expect(((paged["meta"] as? [String: Any])?["next_page_url"] as? String)?.hasPrefix("\(aliceURL)/PublishedTracks?PageSize=1&Page=1&PageToken=") == true)

            // Bob receives the mic only (he dropped the camera).
            let bobPath = "\(Self.rooms)/\(sid)/Participants/\(bob.sid)"
            let bobURL = "\(Self.base)/Rooms/\(sid)/Participants/\(bob.sid)"
            let subscribed = try await gateway.send(.get, "\(bobPath)/SubscribedTracks", as: owner).json()
            let received = try #require(subscribed["subscribed_tracks"] as? [[String: Any]])
            #expect(received.count == 1)
            let track = received[0]
            #expect(Set(track.keys) == [
                "sid", "participant_sid", "publisher_sid", "room_sid", "name", "date_created", "date_updated", "enabled", "kind", "url",
            ])
            #expect(track["sid"] as? String == mic.sid.rawValue && track["participant_sid"] as? String == bob.sid.rawValue)
            #expect(track["publisher_sid"] as? String == alice.sid.rawValue && track["room_sid"] as? String == sid.rawValue)
            #expect(track["name"] as? String == "mic" && track["kind"] as? String == "audio" && track["enabled"] as? Bool == false)
            #expect(track["url"] as? String == "\(bobURL)/SubscribedTracks/\(mic.sid)")
            #expect(((subscribed["meta"] as? [String: Any])?["key"] as? String) == "subscribed_tracks")
            let one = try await gateway.send(.get, "\(bobPath)/SubscribedTracks/\(mic.sid)", as: owner)
            #expect(one.status == .ok)
            #expect(try one.json()["publisher_sid"] as? String == alice.sid.rawValue)

            // Not found: a track not received, someone else's track, not an MT SID, unknown participant.
            for path in [
                "\(bobPath)/SubscribedTracks/\(camera.sid)", "\(bobPath)/PublishedTracks/\(mic.sid)", "\(alicePath)/SubscribedTracks/\(mic.sid)",
                "\(alicePath)/PublishedTracks/mic", "\(alicePath)/PublishedTracks/MT\(String(repeating: "0", count: 32))",
                "\(Self.rooms)/\(sid)/Participants/dave/PublishedTracks",
            ] {
                #expect(try await gateway.send(.get, path, as: owner).errorCode() == (404, 20404), "\(path)")
            }
            let bobPublishes = try await gateway.send(.get, "\(bobPath)/PublishedTracks", as: owner).json()
            #expect((bobPublishes["published_tracks"] as? [Any])?.isEmpty == true)

            // Alice leaves: her tracks go, and Bob no longer receives them.
            #expect(try await gateway.send(.post, alicePath, as: owner, form: [("Status", "disconnected")]).status == .accepted)
            let after = try await gateway.send(.get, "\(alicePath)/PublishedTracks", as: owner).json()
            #expect((after["published_tracks"] as? [Any])?.isEmpty == true)
            let bobAfter = try await gateway.send(.get, "\(bobPath)/SubscribedTracks", as: owner).json()
            #expect((bobAfter["subscribed_tracks"] as? [Any])?.isEmpty == true)
        }
    }
}
