import APIGateway
import Flows
import Foundation
import HTTPTypes
import MediaNodes
import Messaging
import Platform
import TestSupport
import Testing

/// Walks every registered route as other tenants and proves none reads or writes the victim's data.
///
/// Route templates are filled from the victim's resources by placeholder: `{AccountSid}` and the
/// `{Sid}` after `Accounts` name the victim account, the `{Sid}` after `Keys` its key, after `Subscriptions`
/// its event subscription and after `Deliveries` one of its deliveries (and so on for video and numbers;
/// `{CountryCode}` is `US`, where the victim bought its number). A new route
/// with a placeholder this test cannot fill fails it, so every route added later is walked too.
@Suite struct CrossTenantTests {
    /// Authenticated routes with no tenant in their path: collections scoped by the caller.
    /// Authenticated routes that are the operator's (owner account's) alone: everyone else gets 403.
    static let operatorOnly: Set<String> = ["/sandbox/v1/Messages"]

    static let callerScopedCollections: Set<String> = [
        "/api/2010-04-01/Accounts.json", "/events/v1/Subscriptions", "/events/v1/Deliveries", "/video/v1/Rooms", "/media/v1/Nodes",
        "/conversations/v1/Conversations", "/conversations/v1/Configuration/Webhooks", "/studio/v2/Flows", "/studio/v2/Flows/Validate",
    ]

    @Test func noRouteReachesAnotherTenant() async throws {
        try await GatewayHarness.run { gateway in
            let victim = gateway.owner
            let victimSub = try await gateway.makeSubaccount(of: victim, "victim-sub")
            let victimKey = try await gateway.services.keys.create(account: victim.sid, friendlyName: "victim-key", logger: TestDatabase.logger).key
            let stranger = try await gateway.makeMainAccount("stranger")
            let strangerKey = try await gateway.services.keys.create(account: stranger.sid, friendlyName: nil, logger: TestDatabase.logger)
            var victimResources = try await makeEventResources(gateway, victim: victim)
            victimResources.video = try await makeVideoResources(gateway, victim: victim)
            (victimResources.number, victimResources.message) = try await makeNumberAndMessage(gateway, victim: victim)
            victimResources.conversation = try await makeConversation(gateway, victim: victim)
            victimResources.flow = try await makeFlow(gateway, victim: victim)
            let before = try await snapshot(gateway, victim: victim)

            // Outsiders: another main account (by token and by key), and the victim's own subaccount.
            let outsiders = [
                Credentials(account: stranger),
                Credentials(username: strangerKey.key.sid.rawValue, password: strangerKey.secret),
                Credentials(account: victimSub),
            ]
            let authenticated = gateway.routes.routes.filter { $0.access == .authenticated }
            #expect(!authenticated.isEmpty)
            var walked = 0
            for route in authenticated {
                guard let path = fill(route.path, account: victim.sid, key: victimKey.sid, resources: victimResources)
                    ?? (Self.operatorOnly.contains(route.path) ? route.path : nil)
                else {
                    #expect(Self.callerScopedCollections.contains(route.path), "no tenant placeholder and not a known caller-scoped collection: \(route)")
                    continue
                }
                for outsider in outsiders {
                    let response = try await gateway.send(
                        route.method, path, as: outsider, form: route.method == .get || route.method == .delete
                            ? nil : [("FriendlyName", "pwned"), ("Status", "suspended")])
                    // Media nodes are the operator's: everyone else is refused outright.
                    let expected = route.path.hasPrefix("/media/v1/Nodes") || Self.operatorOnly.contains(route.path) ? (403, 20403) : (404, 20404)
                    #expect(try response.errorCode() == expected, "\(route) as \(outsider.username)")
                    walked += 1
                }
            }
            #expect(walked >= 3 * 14)

            // Caller-scoped collections show and create only the caller's own accounts.
            let asStranger = Credentials(account: stranger)
            let listed = try await gateway.send(.get, "/api/2010-04-01/Accounts.json", as: asStranger).json()
            let sids = (listed["accounts"] as? [[String: Any]])?.compactMap { $0["sid"] as? String }
            #expect(sids == [stranger.sid.rawValue])
            let created = try await gateway.send(.post, "/api/2010-04-01/Accounts.json", as: asStranger, form: [("FriendlyName", "mine")])
            #expect(try created.json()["owner_account_sid"] as? String == stranger.sid.rawValue)
            for (collection, key) in [("/events/v1/Subscriptions", "subscriptions"), ("/events/v1/Deliveries", "deliveries")] {
                let own = try await gateway.send(.get, collection, as: asStranger).json()
                #expect((own[key] as? [Any])?.isEmpty == true, "\(collection)")
            }

            #expect(try await snapshot(gateway, victim: victim) == before)
        }
    }

    /// The victim's event subscription and one of its deliveries, kept from coming due so that nothing but
    /// the requests under test could change them.
    typealias Resources = (
        subscription: SID, delivery: SID, video: (room: SID, participant: SID, track: SID, stream: SID, node: SID)?, number: SID?,
        message: SID?, conversation: (conversation: SID, participant: SID, message: SID, webhook: SID)?,
        flow: (flow: SID, execution: SID, step: SID)?
    )

    /// A flow of the victim's with an ended execution and its steps.
    private func makeFlow(_ gateway: GatewayHarness, victim: Account) async throws -> (flow: SID, execution: SID, step: SID) {
        let logger = TestDatabase.logger
        let definition = #"{"initial_state": "Trigger", "states": [{"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingRequest"}]}]}"#
        let flow = try await gateway.services.flows.create(
            FlowFields(friendlyName: "victim-flow", status: .published, definition: definition, commitMessage: nil), account: victim.sid, logger: logger)
        let execution = try await gateway.services.flowEngine.start(
            flow, FlowEngine.Trigger(event: "incomingRequest", variables: [:], contactAddress: "+15005550006", flowAddress: "+15005550007",
                data: .object([:]), initiatedBy: nil), logger: logger)
        let steps = try await gateway.services.flowExecutions.steps(
            execution: execution.sid, flow: flow.flowSid, account: victim.sid, cursor: .start, pageSize: 1, logger: logger)
        return (flow.flowSid, execution.sid, try #require(steps.items.first).sid)
    }

    /// A conversation of the victim's with a chat participant, a message and a webhook.
    private func makeConversation(
        _ gateway: GatewayHarness, victim: Account
    ) async throws -> (conversation: SID, participant: SID, message: SID, webhook: SID) {
        let logger = TestDatabase.logger
        let service = gateway.services.conversations
        var fields = ConversationFields()
        fields.uniqueName = "victim-conversation"
        let conversation = try await service.create(fields, account: victim.sid, actor: .api(webhooksEnabled: false), logger: logger)
        let participant = try await service.addParticipant(
            NewConversationParticipant(identity: "victim"), to: conversation, actor: .api(webhooksEnabled: false), logger: logger)
        let message = try await service.post(
            NewConversationMessage(author: "victim", body: "victim's"), to: conversation, actor: .api(webhooksEnabled: false), logger: logger)
        var webhook = ConversationWebhookFields()
        webhook.url = "https://203.0.113.10/conversation-hook"
        let hook = try await service.addWebhook(webhook, to: conversation, logger: logger)
        return (conversation.sid, participant.sid, message.sid, hook.sid)
    }

    /// A number of the victim's, bought from a one-number inventory, and a message queued from it.
    private func makeNumberAndMessage(_ gateway: GatewayHarness, victim: Account) async throws -> (SID, SID) {
        let logger = TestDatabase.logger
        let phoneNumber = try #require(PhoneNumber("+14155550100"))
        _ = try await gateway.services.inventory.load(
            [InventoryNumber(phoneNumber: phoneNumber, isoCountry: "US", type: .local, capabilities: [.sms], connection: "sandbox")],
            logger: logger)
        let number = try await gateway.services.phoneNumbers.buy(
            phoneNumber, account: victim.sid, friendlyName: "victim-number", configuration: NumberConfiguration(), logger: logger)
        let message = try await gateway.services.messages.create(
            NewMessage(from: phoneNumber, to: try #require(PhoneNumber("+15005550006")), body: "victim's"), account: victim.sid, logger: logger)
        return (number.sid, message.sid)
    }

    /// A room of the victim's with a participant publishing a track and streaming its audio, on a registered media node.
    private func makeVideoResources(
        _ gateway: GatewayHarness, victim: Account
    ) async throws -> (room: SID, participant: SID, track: SID, stream: SID, node: SID) {
        let logger = TestDatabase.logger
        let services = gateway.services
        let node = try await services.nodes.register(
            .init(name: "test", signalingURL: "ws://127.0.0.1:1/v1/Signaling", mediaHost: "127.0.0.1", mediaPort: 0, capacity: 10, version: "test"),
            logger: logger)
        let room = try await services.rooms.create(account: victim.sid, uniqueName: "victim-room", settings: RoomSettings(), logger: logger)
        _ = try await services.placement.place(room: room.sid, account: victim.sid, logger: logger)
        let changes = RoomChanges(outbox: services.outbox)
        let (participant, track) = try await services.database.withTransaction(logger: logger) { connection in
            let participant = try await changes.connect(
                identity: "victim", room: room.sid, account: victim.sid, node: node, resume: nil, on: connection, logger: logger).participant
            let tracks = try await changes.publish([("camera", .video)], by: participant, on: connection, logger: logger)
            return (participant.sid, tracks[0].sid)
        }
        let stream = try await services.streams.create(
            .init(participant: "victim", url: "wss://203.0.113.10/media", upgradeSignature: ""), room: room.sid, account: victim.sid,
            logger: logger
        ).stream
        try await services.database.query(
            "UPDATE deliveries SET next_attempt_at = now() + interval '1 day' WHERE account_sid = \(victim.sid.rawValue)", logger: logger)
        return (room.sid, participant, track, stream.sid, node)
    }

    private func makeEventResources(_ gateway: GatewayHarness, victim: Account) async throws -> Resources {
        let logger = TestDatabase.logger
        let subscription = try await gateway.services.subscriptions.create(
            account: victim.sid, url: "https://203.0.113.10/hook", eventTypes: ["*"], format: .json, method: .post, friendlyName: "victim-hook",
            enabled: true, logger: logger
        ).subscription
        _ = try await gateway.services.accounts.update(victim.sid, visibleTo: victim.sid, friendlyName: "Victim", status: nil, logger: logger)
        try await gateway.services.database.query(
            "UPDATE deliveries SET next_attempt_at = now() + interval '1 day' WHERE account_sid = \(victim.sid.rawValue)", logger: logger)
        let deliveries = try await gateway.services.deliveries.list(
            account: victim.sid, filter: DeliveryFilter(), cursor: .start, pageSize: 1, logger: logger)
        let delivery = try #require(deliveries.items.first).sid
        return (subscription.sid, delivery, nil, nil, nil, nil, nil)
    }

    /// The route path with its placeholders filled, or `nil` if it has none.
    private func fill(_ template: String, account: SID, key: SID, resources: Resources) -> String? {
        guard template.contains("{") else { return nil }
        var previous = ""
        let segments = template.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            defer { previous = String(segment) }
            guard segment.hasPrefix("{"), let close = segment.firstIndex(of: "}") else { return String(segment) }
            let name = segment[segment.index(after: segment.startIndex)..<close]
            let suffix = segment[segment.index(after: close)...]
            if name == "CountryCode" { return "US" + suffix }
            if name == "Revision" { return "1" + suffix }
            let value: SID? =
                switch (name, previous) {
                case ("AccountSid", _), ("Sid", "Accounts"): account
                case ("Sid", "Keys"): key
                case ("Sid", "Subscriptions"): resources.subscription
                case ("Sid", "Deliveries"): resources.delivery
                case ("RoomSid", _): resources.video?.room
                case ("ParticipantSid", _): resources.video?.participant
                case ("Sid", "PublishedTracks"), ("Sid", "SubscribedTracks"): resources.video?.track
                case ("Sid", "Streams"): resources.video?.stream
                case ("Sid", "Nodes"): resources.video?.node
                case ("Sid", "IncomingPhoneNumbers"): resources.number
                case ("Sid", "Messages") where template.hasPrefix("/conversations/"): resources.conversation?.message
                case ("Sid", "Messages"): resources.message
                case ("ConversationSid", _): resources.conversation?.conversation
                case ("Sid", "Participants"): resources.conversation?.participant
                case ("Sid", "Webhooks"): resources.conversation?.webhook
                case ("FlowSid", _): resources.flow?.flow
                case ("ExecutionSid", _): resources.flow?.execution
                case ("StepSid", _): resources.flow?.step
                default: nil
                }
            guard let value else {
                Issue.record("no victim value for {\(name)} in \(template)")
                return String(segment)
            }
            return value.rawValue + suffix
        }
        return segments.joined(separator: "/")
    }

    /// Everything the victim owns, as the database holds it.
    private func snapshot(_ gateway: GatewayHarness, victim: Account) async throws -> [String] {
        let rows = try await gateway.services.database.query(
            """
            SELECT 'account ' || sid || ' ' || friendly_name || ' ' || status || ' ' || date_updated::text FROM accounts
             WHERE sid = \(victim.sid.rawValue) OR parent_sid = \(victim.sid.rawValue)
            UNION ALL
            SELECT 'key ' || k.sid || ' ' || coalesce(k.friendly_name, '') || ' ' || k.date_updated::text FROM api_keys k
              JOIN accounts a ON a.sid = k.account_sid
             WHERE a.sid = \(victim.sid.rawValue) OR a.parent_sid = \(victim.sid.rawValue)
            UNION ALL
            SELECT 'subscription ' || sid || ' ' || url || ' ' || array_to_string(event_types, ',') || ' ' || enabled::text || ' '
                   || coalesce(friendly_name, '') || ' ' || md5(secret) || ' ' || date_updated::text
              FROM event_subscriptions WHERE account_sid = \(victim.sid.rawValue)
            UNION ALL
            SELECT 'delivery ' || sid || ' ' || coalesce(subscription_sid, '') || ' ' || status || ' '
                   || coalesce(next_attempt_at::text, '') || ' ' || date_updated::text
              FROM deliveries WHERE account_sid = \(victim.sid.rawValue)
            UNION ALL
            SELECT 'stream ' || sid || ' ' || status || ' ' || date_updated::text FROM media_streams WHERE account_sid = \(victim.sid.rawValue)
            UNION ALL
            SELECT 'number ' || sid || ' ' || phone_number || ' ' || friendly_name || ' ' || date_updated::text
              FROM incoming_phone_numbers WHERE account_sid = \(victim.sid.rawValue)
            UNION ALL
            SELECT 'message ' || sid || ' ' || status || ' ' || body || ' ' || date_updated::text FROM messages WHERE account_sid = \(victim.sid.rawValue)
            UNION ALL
            SELECT 'conversation ' || sid || ' ' || coalesce(friendly_name, '') || ' ' || state || ' ' || last_message_index || ' '
                   || date_updated::text FROM conversations WHERE account_sid = \(victim.sid.rawValue)
            UNION ALL
            SELECT 'participant ' || sid || ' ' || coalesce(identity, '') || ' ' || attributes || ' ' || date_updated::text
              FROM conversation_participants WHERE account_sid = \(victim.sid.rawValue)
            UNION ALL
            SELECT 'conversation message ' || sid || ' ' || coalesce(body, '') || ' ' || date_updated::text
              FROM conversation_messages WHERE account_sid = \(victim.sid.rawValue)
            UNION ALL
            SELECT 'conversation webhook ' || sid || ' ' || coalesce(url, '') || ' ' || date_updated::text
              FROM conversation_webhooks WHERE account_sid = \(victim.sid.rawValue)
            UNION ALL
            SELECT 'flow ' || sid || ' ' || revision || ' ' || date_updated::text FROM flows WHERE account_sid = \(victim.sid.rawValue)
            UNION ALL
            SELECT 'flow revision ' || flow_sid || ' ' || revision || ' ' || friendly_name FROM flow_revisions WHERE account_sid = \(victim.sid.rawValue)
            UNION ALL
            SELECT 'execution ' || sid || ' ' || status || ' ' || date_updated::text FROM flow_executions WHERE account_sid = \(victim.sid.rawValue)
            UNION ALL
            SELECT 'step ' || sid FROM flow_steps WHERE account_sid = \(victim.sid.rawValue)
            ORDER BY 1
            """, logger: TestDatabase.logger)
        return try rows.map { try $0.decode(String.self) }
    }
}
