import APIGateway
import Messaging
import Platform
import TestSupport
import Testing

/// The operator's cap on participants (`--conversation-participant-limit`), through the REST API.
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
}
