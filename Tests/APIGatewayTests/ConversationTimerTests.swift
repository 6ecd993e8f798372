import APIGateway
import Messaging
import Platform
import TestSupport
import Testing

/// Conversations' timers: inactive after `Timers.Inactive` without messages, closed after `Timers.Closed`.
@Suite struct ConversationTimerTests {
    @Test func timersMoveAConversationOnAndAMessageRevivesIt() async throws {
        try await GatewayHarness.run { gateway in
            let logger = TestDatabase.logger
            let service = gateway.services.conversations
            var fields = ConversationFields()
            fields.timers = ConversationTimers(inactiveAfter: 60, closedAfter: 600)
            let conversation = try await service.create(fields, account: gateway.owner.sid, actor: .api(webhooksEnabled: false), logger: logger)
            #expect(conversation.dateInactive != nil && conversation.dateClosed != nil)
            func state() async throws -> ConversationState? {
                let current = try await service.conversations.find(conversation.sid.rawValue, account: gateway.owner.sid, logger: logger)
                return current?.state
            }
            func backdate(_ column: String) async throws {
                try await gateway.services.database.query(
                    "UPDATE conversations SET \(unescaped: column) = now() - interval '1 second' WHERE sid = \(conversation.sid.rawValue)",
                    logger: logger)
            }

            try await service.applyTimers(logger: logger)
            #expect(try await state() == .active)
            try await backdate("date_inactive")
            try await service.applyTimers(logger: logger)
            #expect(try await state() == .inactive)

            // A message makes it active again and starts both timers over.
            let current = try #require(try await service.conversations.find(conversation.sid.rawValue, account: gateway.owner.sid, logger: logger))
            _ = try await service.post(NewConversationMessage(author: "system", body: "wake up"), to: current, actor: .api(webhooksEnabled: false), logger: logger)
            #expect(try await state() == .active)
            try await service.applyTimers(logger: logger)
            #expect(try await state() == .active)

            try await backdate("date_closed")
            try await service.applyTimers(logger: logger)
            #expect(try await state() == .closed)
            await #expect(throws: ConversationError.closed) {
                _ = try await service.post(NewConversationMessage(author: "system", body: "too late"), to: current, actor: .api(webhooksEnabled: false), logger: logger)
            }
        }
    }
}
