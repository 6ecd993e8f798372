import Hummingbird
import HummingbirdWebSocket
import ClientAssets
import Logging
import MediaNodes
import Messaging
import OpenAPIDocuments
import Platform
import Prometheus

/// Everything the gateway's routes need, built once per process.
public struct GatewayServices: Sendable {
    public let configuration: GatewayConfiguration
    public let database: Database
    /// Where domain changes record their events; its signal wakes this process's dispatcher.
    public let outbox: EventOutbox
    public let accounts: AccountRepository
    public let keys: APIKeyRepository
    public let subscriptions: SubscriptionRepository
    public let deliveries: DeliveryRepository
    /// The outbound HTTP client behind the egress guard (`configuration.egressPolicy`); shut it down when done.
    public let egress: EgressHTTPClient
    public let verifier: CredentialVerifier
    /// Video: rooms and their participants, the REST side's room actions, media nodes and placement.
    public let rooms: RoomRepository
    public let participants: ParticipantRepository
    public let roomControl: RoomControl
    /// Media streams of room participants, and the REST side's stream actions.
    public let streams: MediaStreamRepository
    public let streamControl: StreamControl
    public let nodes: NodeRegistry
    public let placement: Placement
    /// Numbers: the operator's inventory and the numbers accounts own.
    public let inventory: NumberInventoryRepository
    public let phoneNumbers: IncomingPhoneNumberRepository
    /// Messages: their API, their lifecycle, the sender that hands them to carrier connections, the sandbox.
    public let messages: MessageRepository
    public let messageLifecycle: MessageLifecycle
    public let handsets: SandboxHandsets
    public let inbound: InboundRouter
    /// Conversations: their API, hooks, SMS participants and connected chat clients.
    public let conversations: ConversationService
    /// Carries conversations' news to the other gateway processes (listen with the process's notification listener).
    public let conversationFanout: ConversationFanout
    /// Studio flows: definitions and the durable engine that runs their executions.
    public let flows: FlowRepository
    public let flowExecutions: FlowExecutionRepository
    public let flowEngine: FlowEngine
    public let sender: MessageSender
    /// The configured SMPP connections (services to run: each keeps its bind up).
    public let smppCarriers: [SMPPCarrier]
    public let accessTokens: AccessTokenVerifier
    public let ticketKey: TicketKeyStore
    public let idempotency: IdempotencyStore
    public let rateLimiter: RateLimiter?
    public let metrics: PrometheusCollectorRegistry

    public init(configuration: GatewayConfiguration, database: Database, secrets: SecretBox, metrics: PrometheusCollectorRegistry) throws {
        self.configuration = configuration
        self.database = database
        self.outbox = EventOutbox(signal: DeliverySignal())
        self.accounts = AccountRepository(database: database, secrets: secrets, outbox: outbox)
        self.keys = APIKeyRepository(database: database, secrets: secrets, outbox: outbox)
        self.subscriptions = SubscriptionRepository(database: database, secrets: secrets)
        self.deliveries = DeliveryRepository(database: database)
        self.egress = EgressHTTPClient(policy: configuration.egressPolicy)
        self.verifier = CredentialVerifier(database: database, secrets: secrets)
        self.rooms = RoomRepository(database: database, outbox: outbox)
        self.participants = ParticipantRepository(database: database)
        self.roomControl = RoomControl(database: database, outbox: outbox)
        self.streams = MediaStreamRepository(database: database, outbox: outbox)
        self.streamControl = StreamControl(database: database, outbox: outbox)
        self.nodes = NodeRegistry(database: database)
        self.placement = Placement(database: database, deadAfter: configuration.mediaNodeDeadAfter)
        self.inventory = NumberInventoryRepository(database: database)
        self.phoneNumbers = IncomingPhoneNumberRepository(database: database)
        self.messages = MessageRepository(database: database, outbox: outbox)
        self.messageLifecycle = MessageLifecycle(database: database, outbox: outbox)
        self.handsets = SandboxHandsets(database: database)
        let logger = Logger(label: "parley.messages")
        let sending = Alarm()
        let conversationFanout = ConversationFanout(database: database, logger: Logger(label: "parley.conversations"))
        self.conversationFanout = conversationFanout
        self.conversations = ConversationService(
            database: database, outbox: outbox, sms: messages, hooks: ConversationHooks(accounts: accounts, client: egress),
            hub: ConversationHub(fanout: conversationFanout), sending: sending,
            maximumParticipants: configuration.conversationParticipantLimit)
        self.flows = FlowRepository(database: database)
        self.flowExecutions = FlowExecutionRepository(database: database)
        self.flowEngine = FlowEngine(
            database: database, messages: messages, outbox: outbox, client: egress, sending: sending, limits: configuration.flowLimits,
            logger: Logger(label: "parley.flows"))
        let inbound = InboundRouter(
            accounts: accounts, messages: messages, conversations: conversations, flows: flows, flowEngine: flowEngine, client: egress,
            sending: sending, logger: logger)
        self.inbound = inbound
        let sandbox = configuration.sandbox
            ? [SandboxCarrier(lifecycle: messageLifecycle, handsets: handsets, logger: logger) { await inbound.route($0, to: $1) }]
            : []
        let lifecycle = messageLifecycle
        self.smppCarriers = try configuration.smppConnections.map {
            try SMPPCarrier(settings: $0, lifecycle: lifecycle, logger: logger) { await inbound.route($0, to: $1) }
        }
        self.sender = MessageSender(lifecycle: messageLifecycle, carriers: sandbox + smppCarriers, alarm: sending, logger: logger)
        self.accessTokens = AccessTokenVerifier(database: database, secrets: secrets)
        self.ticketKey = TicketKeyStore(database: database)
        self.idempotency = IdempotencyStore(database: database)
        self.rateLimiter = configuration.rateLimit.map(RateLimiter.init)
        self.metrics = metrics
    }
}

/// Wires the router: all routes and middleware in one place.
public enum Gateway {
    /// Builds the router and the table of the routes on it.
    public static func makeRouter(_ services: GatewayServices) throws -> (Router<GatewayRequestContext>, RouteTable) {
        let table = RouteTable()
        let router = Router(context: GatewayRequestContext.self)
        // Outermost first: every response, including errors and unknown paths, is logged and counted.
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ErrorMiddleware(routes: table, maximumBodySize: services.configuration.maximumBodySize))

        let open = RouteRegistrar(group: router.group(), table: table, access: .open)
        SystemController(database: services.database, metrics: services.metrics, openAPIDocument: ByteBuffer(bytes: try OpenAPIDocuments.restAPI()),
            asyncAPIDocument: ByteBuffer(bytes: try OpenAPIDocuments.events()))
            .register(on: open)

        DemoController(scripts: try ClientAssets.scripts(), videoDemo: try ClientAssets.videoDemo(), chatDemo: try ClientAssets.chatDemo()).register(on: open)
        // Join tickets authenticate with the access token in the form, not HTTP Basic.
        let tokenAuthenticated = router.group().add(middleware: ParametersMiddleware(maximumBodySize: services.configuration.maximumBodySize))
        TicketsController(
            accessTokens: services.accessTokens, rooms: services.rooms, placement: services.placement, ticketKey: services.ticketKey)
            .register(on: RouteRegistrar(group: tokenAuthenticated, table: table, access: .open))

        let api = router.group().add(middleware: AuthenticationMiddleware(verifier: services.verifier))
        if let limiter = services.rateLimiter { api.add(middleware: RateLimitMiddleware(limiter: limiter)) }
        api.add(middleware: ParametersMiddleware(maximumBodySize: services.configuration.maximumBodySize))
        api.add(middleware: IdempotencyMiddleware(store: services.idempotency))
        let authenticated = RouteRegistrar(group: api, table: table, access: .authenticated)
        AccountsController(accounts: services.accounts, verifier: services.verifier).register(on: authenticated)
        KeysController(accounts: services.accounts, keys: services.keys, verifier: services.verifier).register(on: authenticated)
        let publicURL = services.configuration.publicURL
        SubscriptionsController(subscriptions: services.subscriptions, egress: services.egress, publicURL: publicURL).register(on: authenticated)
        DeliveriesController(deliveries: services.deliveries, outbox: services.outbox, publicURL: publicURL).register(on: authenticated)
        RoomsController(rooms: services.rooms, control: services.roomControl, publicURL: publicURL, egress: services.egress).register(on: authenticated)
        ParticipantsController(
            rooms: services.rooms, participants: services.participants, control: services.roomControl, publicURL: publicURL)
            .register(on: authenticated)
        TracksController(rooms: services.rooms, participants: services.participants, publicURL: publicURL).register(on: authenticated)
        StreamsController(
            rooms: services.rooms, streams: services.streams, control: services.streamControl, accounts: services.accounts,
            publicURL: publicURL, egress: services.egress)
            .register(on: authenticated)
        AvailablePhoneNumbersController(accounts: services.accounts, inventory: services.inventory).register(on: authenticated)
        IncomingPhoneNumbersController(accounts: services.accounts, numbers: services.phoneNumbers, egress: services.egress)
            .register(on: authenticated)
        MessagesController(accounts: services.accounts, messages: services.messages, sender: services.sender, egress: services.egress)
            .register(on: authenticated)
        SandboxController(
            accounts: services.accounts, lifecycle: services.messageLifecycle, handsets: services.handsets,
            enabled: services.configuration.sandbox
        ) { [inbound = services.inbound] in await inbound.route($0, to: $1) }
            .register(on: authenticated)
        let conversations = services.conversations
        ConversationsController(service: conversations, publicURL: publicURL).register(on: authenticated)
        ConversationParticipantsController(service: conversations, publicURL: publicURL).register(on: authenticated)
        ConversationMessagesController(service: conversations, publicURL: publicURL).register(on: authenticated)
        ConversationWebhooksController(service: conversations, publicURL: publicURL, egress: services.egress).register(on: authenticated)
        FlowsController(flows: services.flows, executions: services.flowExecutions, publicURL: publicURL).register(on: authenticated)
        FlowExecutionsController(flows: services.flows, executions: services.flowExecutions, engine: services.flowEngine, publicURL: publicURL)
            .register(on: authenticated)
        NodesController(nodes: services.nodes, accounts: services.accounts, database: services.database, publicURL: publicURL)
            .register(on: authenticated)
        return (router, table)
    }

    /// The HTTP application for `services`.
    public static func makeApplication(_ services: GatewayServices, logger: Logger) throws -> Application<RouterResponder<GatewayRequestContext>> {
        let (router, _) = try makeRouter(services)
        let webSockets = Router(context: BasicWebSocketRequestContext.self)
        ChatSocket.register(on: webSockets, services: services)
        return Application(
            router: router, server: .http1WebSocketUpgrade(webSocketRouter: webSockets),
            configuration: .init(address: .hostname(services.configuration.host, port: services.configuration.port), serverName: "Parley"),
            logger: logger)
    }
}
