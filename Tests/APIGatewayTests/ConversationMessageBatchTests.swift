import APIGateway
import Messaging
import Platform
import Synchronization
import TestSupport
import Testing

/// Messages posted at once without hooks are added in batches: indexes stay consecutive and unique per conversation,
/// and subscribers hear of them in index order.
@Suite struct ConversationMessageBatchTests {
    @Test func concurrentPostsGetConsecutiveIndexesPublishedInOrder() async throws {
        try await GatewayHarness.run { gateway in
            let logger = TestDatabase.logger
            let service = gateway.services.conversations
            let account = gateway.owner.sid
            let first = try await service.create(ConversationFields(), account: account, actor: .api(webhooksEnabled: false), logger: logger)
            let second = try await service.create(ConversationFields(), account: account, actor: .api(webhooksEnabled: false), logger: logger)
            let heard = Mutex<[SID: [Int]]>([:])
            for conversation in [first, second] {
                _ = service.hub.subscribe(to: conversation.sid) { news in
                    if case .messageAdded(let message) = news { heard.withLock { $0[message.conversationSid, default: []].append(message.index) } }
                }
            }
            let indexes = try await withThrowingTaskGroup(of: (SID, Int?).self) { group in
                for n in 0..<100 {
                    let conversation = n % 2 == 0 ? first.sid : second.sid
                    group.addTask {
                        let message = try await service.postAlone(
                            NewConversationMessage(author: "system", body: "message \(n)"), to: conversation, account: account, logger: logger)
                        return (conversation, message?.index)
                    }
                }
                var indexes: [SID: [Int]] = [:]
                for try await (conversation, index) in group { indexes[conversation, default: []].append(try #require(index)) }
                return indexes
            }
            for conversation in [first.sid, second.sid] {
                #expect(indexes[conversation]?.sorted() == Array(0..<50))
                #expect(heard.withLock { $0[conversation] } == Array(0..<50))
            }
        }
    }

    @Test func aConversationWithSMSParticipantsOrClosedIsLeftToTheFullPath() async throws {
        try await GatewayHarness.run { gateway in
            let logger = TestDatabase.logger
            let service = gateway.services.conversations
            let account = gateway.owner.sid
            var fields = ConversationFields()
            fields.state = .closed
            let closed = try await service.create(fields, account: account, actor: .api(webhooksEnabled: false), logger: logger)
            #expect(try await service.postAlone(NewConversationMessage(author: "a", body: "b"), to: closed.sid, account: account, logger: logger) == nil)

            let number = try #require(PhoneNumber("+14155550100"))
            _ = try await gateway.services.inventory.load(
                [InventoryNumber(phoneNumber: number, isoCountry: "US", type: .local, capabilities: [.sms], connection: "sandbox")], logger: logger)
            _ = try await gateway.services.phoneNumbers.buy(number, account: account, friendlyName: nil, configuration: NumberConfiguration(), logger: logger)
            let open = try await service.create(ConversationFields(), account: account, actor: .api(webhooksEnabled: false), logger: logger)
            _ = try await service.addParticipant(
                NewConversationParticipant(binding: MessagingBinding(address: "+15005550006", proxyAddress: number.e164)), to: open,
                actor: .api(webhooksEnabled: false), logger: logger)
            #expect(try await service.postAlone(NewConversationMessage(author: "a", body: "b"), to: open.sid, account: account, logger: logger) == nil)
            let posted = try await service.post(NewConversationMessage(author: "a", body: "b"), to: open, actor: .api(webhooksEnabled: false), logger: logger)
            #expect(posted.delivery?.total == 1)
            // Another account's conversation is no one's here.
            let stranger = try await gateway.makeMainAccount("stranger")
            let theirs = try await service.create(ConversationFields(), account: stranger.sid, actor: .api(webhooksEnabled: false), logger: logger)
            #expect(try await service.postAlone(NewConversationMessage(author: "a", body: "b"), to: theirs.sid, account: account, logger: logger) == nil)
        }
    }
}
