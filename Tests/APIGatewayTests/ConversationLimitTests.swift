import APIGateway
import Messaging
import Platform
import TestSupport
import Testing

/// Limits of conversations through the REST API: the operator's cap on participants (`--conversation-participant-limit`),
/// and a closed conversation staying closed.
@Suite struct ConversationLimitTests {
    @Test func aConversationTakesAtMostTheConfiguredParticipants() async throws {
        try await GatewayHarness.run(configure: { $0.conversationParticipantLimit = 2 }) { gateway in
            let owner = gateway.ownerCredentials
            let created = try await gateway.send(.post, "/conversations/v1/Conversations", as: owner, form: [("UniqueName", "capped")])
            #expect(created.status == .created)
            for identity in ["one", "two"] {
                let added = try await gateway.send(
                    .post, "/conversations/v1/Conversations/capped/Participants", as: owner, form: [("Identity", identity)])
                #expect(added.status == .created)
            }
            let third = try await gateway.send(.post, "/conversations/v1/Conversations/capped/Participants", as: owner, form: [("Identity", "three")])
            #expect(try third.errorCode() == (400, 50438))
            let listed = try await gateway.send(.get, "/conversations/v1/Conversations/capped/Participants", as: owner).json()
            #expect((listed["participants"] as? [[String: Any]])?.compactMap { $0["identity"] as? String } == ["one", "two"])
        }
    }

    @Test func aClosedConversationStaysClosed() async throws {
        try await GatewayHarness.run { gateway in
            let owner = gateway.ownerCredentials
            let path = "/conversations/v1/Conversations/finished"
            _ = try await gateway.send(.post, "/conversations/v1/Conversations", as: owner, form: [("UniqueName", "finished")])
            #expect(try await gateway.send(.post, path, as: owner, form: [("State", "inactive")]).status == .ok)
            #expect(try await gateway.send(.post, path, as: owner, form: [("State", "closed")]).status == .ok)
            let reopened = try await gateway.send(.post, path, as: owner, form: [("State", "active")])
            #expect(try reopened.errorCode() == (400, 20001))
            #expect(try await gateway.send(.get, path, as: owner).json()["state"] as? String == "closed")
            // Its other fields may still change.
            #expect(try await gateway.send(.post, path, as: owner, form: [("FriendlyName", "archived")]).status == .ok)
        }
    }
}
