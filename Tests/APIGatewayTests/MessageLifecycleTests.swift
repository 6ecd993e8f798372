import APIGateway
import Messaging
import Platform
import TestSupport
import Testing

/// What happens to a message between its claim and its carrier's answer when things go wrong.
@Suite struct MessageLifecycleTests {
    private func queuedMessage(_ gateway: GatewayHarness) async throws -> Message {
        let logger = TestDatabase.logger
        let number = try #require(PhoneNumber("+14155550100"))
        _ = try await gateway.services.inventory.load(
            [InventoryNumber(phoneNumber: number, isoCountry: "US", type: .local, capabilities: [.sms], connection: "sandbox")], logger: logger)
        _ = try await gateway.services.phoneNumbers.buy(
            number, account: gateway.owner.sid, friendlyName: nil, configuration: NumberConfiguration(), logger: logger)
        return try await gateway.services.messages.create(
            NewMessage(from: number, to: try #require(PhoneNumber("+15005550006")), body: "hello"), account: gateway.owner.sid, logger: logger)
    }

    @Test func anInterruptedSubmissionGoesBackToTheQueue() async throws {
        try await GatewayHarness.run { gateway in
            let lifecycle = gateway.services.messageLifecycle
            let message = try await queuedMessage(gateway)
            let claimed = try await lifecycle.claimDue(limit: 10, logger: TestDatabase.logger)
            #expect(claimed.map(\.sid) == [message.sid])
            #expect(try await lifecycle.claimDue(limit: 10, logger: TestDatabase.logger).isEmpty)

            try await lifecycle.record(.interrupted, for: message.sid, logger: TestDatabase.logger)

            let again = try await gateway.services.messages.find(message.sid, account: gateway.owner.sid, logger: TestDatabase.logger)
            #expect(again?.status == .queued)
            #expect(try await lifecycle.claimDue(limit: 10, logger: TestDatabase.logger).map(\.sid) == [message.sid])
        }
    }

    @Test func aMessageADeadSenderLeftSendingIsClaimedAgainLater() async throws {
        try await GatewayHarness.run { gateway in
            let lifecycle = gateway.services.messageLifecycle
            let message = try await queuedMessage(gateway)
            _ = try await lifecycle.claimDue(limit: 10, logger: TestDatabase.logger)
            try await gateway.services.database.query(
                "UPDATE messages SET date_updated = now() - interval '9 minutes' WHERE sid = \(message.sid.rawValue)", logger: TestDatabase.logger)
            #expect(try await lifecycle.claimDue(limit: 10, logger: TestDatabase.logger).isEmpty)

            try await gateway.services.database.query(
                "UPDATE messages SET date_updated = now() - interval '11 minutes' WHERE sid = \(message.sid.rawValue)", logger: TestDatabase.logger)
            #expect(try await lifecycle.claimDue(limit: 10, logger: TestDatabase.logger).map(\.sid) == [message.sid])
        }
    }
}
