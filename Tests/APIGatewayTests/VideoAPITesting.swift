@testable import APIGateway
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MediaNodes
import Platform
import TestSupport
import Testing

/// What the Video API suites share: the paths, and rooms, placements and participants made for a test.
protocol VideoAPITesting {}

extension VideoAPITesting {
    static var rooms: String { "/video/v1/Rooms" }
    static var base: String { "https://parley.test/video/v1" }

    /// Creates one of `credentials`' rooms (the owner's by default) and expects 201.
    @discardableResult
    func createRoom(
        _ gateway: GatewayHarness, _ form: [(String, String)] = [], as credentials: Credentials? = nil
    ) async throws -> [String: Any] {
        let response = try await gateway.send(.post, Self.rooms, as: credentials ?? gateway.ownerCredentials, form: form)
        #expect(response.status == .created, "\(form): \(String(buffer: response.body))")
        return try response.json()
    }

    func roomSid(_ room: [String: Any]) throws -> SID {
        let text = try #require(room["sid"] as? String)
        return try #require(SID(text, prefix: .room))
    }

    /// The owner's rooms as the list shows them (SIDs).
    func listedRooms(_ gateway: GatewayHarness, _ query: String = "") async throws -> [String] {
        let response = try await gateway.send(.get, Self.rooms + query, as: gateway.ownerCredentials)
        #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
        let rooms = try #require(try response.json()["rooms"] as? [[String: Any]])
        return rooms.compactMap { $0["sid"] as? String }
    }

    /// Registers a media node and places `room` on it, as a join would.
    func place(_ gateway: GatewayHarness, room: SID, account: SID) async throws -> SID {
        let node = try await gateway.services.nodes.register(
            .init(name: "node-\(UUID().uuidString.prefix(8))", signalingURL: "ws://203.0.113.20:8081/v1/Signaling",
                  mediaHost: "203.0.113.20", mediaPort: 10_000, capacity: 100, version: "test"),
            logger: TestDatabase.logger)
        let placed = try await gateway.services.placement.place(room: room, account: account, logger: TestDatabase.logger)
        #expect(placed.node == node)
        return node
    }

    /// Connects `identity` to a placed room, as the node does on `join`.
    func connect(_ gateway: GatewayHarness, _ identity: String, room: SID, account: SID, node: SID) async throws -> Participant {
        let changes = RoomChanges(outbox: gateway.services.outbox)
        return try await gateway.services.database.withTransaction(logger: TestDatabase.logger) { connection in
            try await changes.connect(
                identity: identity, room: room, account: account, node: node, resume: nil, on: connection, logger: TestDatabase.logger
            ).participant
        }
    }
}
