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

/// Delivery receipts, which are written in batches: a message takes its final status from its segments'.
@Suite struct MessageReceiptTests {
    private func sentMessage(_ gateway: GatewayHarness, carrierIDs: [String]) async throws -> Message {
        let logger = TestDatabase.logger
        let number = try #require(PhoneNumber("+14155550100"))
        _ = try await gateway.services.inventory.load(
            [InventoryNumber(phoneNumber: number, isoCountry: "US", type: .local, capabilities: [.sms], connection: "sandbox")], logger: logger)
        _ = try await gateway.services.phoneNumbers.buy(
            number, account: gateway.owner.sid, friendlyName: nil, configuration: NumberConfiguration(), logger: logger)
        let body = String(repeating: "two segments ", count: 20)
        let message = try await gateway.services.messages.create(
            NewMessage(from: number, to: try #require(PhoneNumber("+15005550006")), body: body), account: gateway.owner.sid, logger: logger)
        #expect(message.numSegments == carrierIDs.count)
        let lifecycle = gateway.services.messageLifecycle
        #expect(try await lifecycle.claimDue(limit: 10, logger: logger).map(\.sid) == [message.sid])
        try await lifecycle.record(.accepted(carrierMessageIDs: carrierIDs), for: message.sid, logger: logger)
        return try #require(try await gateway.services.messages.find(message.sid, account: gateway.owner.sid, logger: logger))
    }

    private func status(_ message: Message, _ gateway: GatewayHarness) async throws -> (MessageStatus?, Int?) {
        let found = try await gateway.services.messages.find(message.sid, account: gateway.owner.sid, logger: TestDatabase.logger)
        return (found?.status, found?.errorCode)
    }

    @Test func theLastSegmentsReceiptSettlesTheMessageWithTheWorstSegmentsStatus() async throws {
        try await GatewayHarness.run { gateway in
            let lifecycle = gateway.services.messageLifecycle
            let logger = TestDatabase.logger
            let message = try await sentMessage(gateway, carrierIDs: ["c-1", "c-2"])
            #expect(message.status == .sent)

            #expect(try await lifecycle.receipt(connection: "sandbox", carrierMessageID: "c-1", status: .delivered, errorCode: nil, logger: logger))
            #expect(try await status(message, gateway) == (.sent, nil))
            #expect(try await lifecycle.receipt(connection: "sandbox", carrierMessageID: "c-2", status: .undelivered, errorCode: 30003, logger: logger))
            #expect(try await status(message, gateway) == (.undelivered, 30003))
            // A resent receipt changes nothing; one nobody sent is not found.
            #expect(try await lifecycle.receipt(connection: "sandbox", carrierMessageID: "c-2", status: .delivered, errorCode: nil, logger: logger))
            #expect(try await status(message, gateway) == (.undelivered, 30003))
            #expect(try await lifecycle.receipt(connection: "sandbox", carrierMessageID: "c-9", status: .delivered, errorCode: nil, logger: logger) == false)
            #expect(try await lifecycle.receipt(connection: "other", carrierMessageID: "c-1", status: .delivered, errorCode: nil, logger: logger) == false)
        }
    }

    @Test func receiptsArrivingTogetherSettleTheMessageOnce() async throws {
        try await GatewayHarness.run { gateway in
            let lifecycle = gateway.services.messageLifecycle
            let logger = TestDatabase.logger
            let message = try await sentMessage(gateway, carrierIDs: ["d-1", "d-2"])
            async let first = lifecycle.receipt(connection: "sandbox", carrierMessageID: "d-1", status: .delivered, errorCode: nil, logger: logger)
            async let second = lifecycle.receipt(connection: "sandbox", carrierMessageID: "d-2", status: .delivered, errorCode: nil, logger: logger)
            #expect(try await [first, second] == [true, true])
            #expect(try await status(message, gateway) == (.delivered, nil))
        }
    }
}
