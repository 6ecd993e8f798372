import Logging
import NIOCore
import NIOPosix
import Platform

/// The I/O around one ``SMPPClientSession``, confined to its event loop: the TCP connection (reconnected with
/// back-off from 0.5 s to 8 s), the session's timers, the waiting submissions, and what the SMSC sends.
/// Submissions the session hands back when the connection drops are submitted again once bound.
final class SMPPLink {
    struct PartID: Hashable, Sendable {
        var message: SID
        var index: Int
    }

    /// What became of one segment.
    enum Answer: Sendable {
        case accepted(String)
        case refused(SMPPCommandStatus)
        /// The link stopped before the SMSC answered.
        case interrupted
    }

    private let settings: SMPPConnectionSettings
    private let configuration: SMPPClientConfiguration
    private let loop: EventLoop
    private let lifecycle: MessageLifecycle
    private let logger: Logger
    private let arrived: @Sendable (Message, IncomingPhoneNumber) async -> Void
    private var session: SMPPClientSession<PartID>
    private var channel: Channel?
    /// Every submission not yet answered, with what it submits (to submit it again after a reconnect).
    private var waiting: [PartID: (part: SMPPShortMessage, promise: EventLoopPromise<Answer>)] = [:]
    private var assembler = ConcatenatedMessageAssembler()
    private var timer: Scheduled<Void>?
    private var failures = 0
    private var stopping = false
    /// Looks for a receipt's segment (or retries recording it), 250 ms apart.
    static let receiptAttempts = 20

    init(
        settings: SMPPConnectionSettings, configuration: SMPPClientConfiguration, loop: EventLoop, lifecycle: MessageLifecycle,
        logger: Logger, arrived: @escaping @Sendable (Message, IncomingPhoneNumber) async -> Void
    ) throws {
        self.settings = settings
        self.configuration = configuration
        self.loop = loop
        self.lifecycle = lifecycle
        self.logger = logger
        self.arrived = arrived
        session = try SMPPClientSession(configuration: configuration)
    }

    func start() {
        connect()
    }

    /// Unbinds (after the submissions in flight are answered) and stops reconnecting.
    func stop() {
        stopping = true
        guard channel != nil else { return interruptWaiting() }
        perform(session.close(now: .now))
    }

    /// Shutting down: what the SMSC did not answer goes back to the queue.
    private func interruptWaiting() {
        for (_, entry) in waiting { entry.promise.succeed(.interrupted) }
        waiting = [:]
    }

    func submit(_ part: SMPPShortMessage, id: PartID, promise: EventLoopPromise<Answer>) {
        guard !stopping else { return promise.succeed(.interrupted) }
        // The same segment again (its message was claimed anew): the earlier submitter stops waiting.
        waiting.updateValue((part, promise), forKey: id)?.promise.succeed(.interrupted)
        do {
            perform(try session.submit(part, id: id, now: .now))
        } catch {
            waiting[id] = nil
            promise.succeed(.refused(.invalidParameterLength))
        }
    }

    // MARK: The connection

    private func connect() {
        guard !stopping else { return }
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(.seconds(5))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { [link = NIOLoopBound(self, eventLoop: loop)] channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(SMPPLinkHandler(link: link.value)) }
            }
        bootstrap.connect(host: settings.host, port: settings.port).assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let channel):
                self.channel = channel
                perform(session.connected(now: .now))
            case .failure(let error):
                logger.warning("could not reach the SMSC", metadata: ["error": "\(error)"])
                retryLater()
            }
        }
    }

    fileprivate func received(_ bytes: ByteBuffer) {
        perform(session.received(bytes, now: .now))
    }

    fileprivate func closed() {
        channel = nil
        perform(session.disconnected())
        guard !stopping else { return interruptWaiting() }
        retryLater()
    }

    private func retryLater() {
        guard !stopping else { return }
        failures += 1
        let delay = TimeAmount.milliseconds(500 << min(failures - 1, 4))
        loop.assumeIsolated().scheduleTask(in: delay) { [self] in connect() }
    }

    // MARK: The session's actions

    private func perform(_ actions: [SMPPClientSession<PartID>.Action]) {
        for action in actions {
            switch action {
            case .send(let bytes):
                channel?.writeAndFlush(bytes, promise: nil)
            case .closeConnection(let reason):
                logger.info("closing the SMPP connection", metadata: ["reason": "\(reason)"])
                channel?.close(promise: nil)
            case .bound(let systemID):
                failures = 0
                logger.info("bound to the SMSC", metadata: ["smsc": "\(systemID)"])
            case .bindFailed(let status):
                logger.error("the SMSC refused the bind", metadata: ["status": "\(status)"])
            case .submitted(let id, let messageID):
                waiting.removeValue(forKey: id)?.promise.succeed(.accepted(messageID))
            case .submitFailed(let id, let status):
                waiting.removeValue(forKey: id)?.promise.succeed(.refused(status))
            case .throttled(_, let status, let retryAfter):
                logger.debug("the SMSC throttles", metadata: ["status": "\(status)", "pause": "\(retryAfter)"])
            case .received(let message):
                receive(message)
            case .receipt(let receipt):
                record(receipt)
            case .unreadableReceipt, .malformedRequest:
                logger.warning("the SMSC sent something unreadable", metadata: ["action": "\(action)"])
            case .connectionLost(let unacknowledged):
                resubmit(unacknowledged)
            }
        }
        scheduleTick()
    }

    /// Hands back what the dropped connection left unanswered, in order: it goes out again once bound.
    private func resubmit(_ ids: [PartID]) {
        for id in ids {
            guard let (part, promise) = waiting[id] else { continue }
            do {
                perform(try session.submit(part, id: id, now: .now))
            } catch {
                waiting[id] = nil
                promise.succeed(.refused(.invalidParameterLength))
            }
        }
    }

    private func scheduleTick() {
        timer?.cancel()
        guard let deadline = session.nextDeadline else { return }
        let remaining = (deadline - .now).components
        let nanoseconds = remaining.seconds * 1_000_000_000 + remaining.attoseconds / 1_000_000_000
        timer = loop.assumeIsolated().scheduleTask(in: .nanoseconds(max(0, nanoseconds))) { [self] in perform(session.tick(now: .now)) }
    }

    // MARK: From the SMSC

    private func receive(_ message: SMPPShortMessage) {
        guard let part = try? SMSInboundPart(dataCoding: message.dataCoding, esmClass: message.esmClass, shortMessage: message.payload) else {
            logger.warning("a mobile-originated message with a malformed header")
            return
        }
        let source = "+" + message.source.address
        let destination = "+" + message.destination.address
        guard let whole = assembler.add(part, source: source, destination: destination, at: .now) else { return }
        let (lifecycle, logger, arrived) = (lifecycle, logger, arrived)
        Task {
            guard let to = PhoneNumber(whole.destination) else { return }
            do {
                if let (inbound, number) = try await lifecycle.receive(from: whole.source, to: to, body: whole.text, logger: logger) {
                    await arrived(inbound, number)
                }
            } catch {
                logger.error("could not record a mobile-originated message", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    private func record(_ receipt: SMPPDeliveryReceipt) {
        guard let outcome = receipt.finalStatus else { return }
        Task { [lifecycle, logger, connection = settings.name, messageID = receipt.messageID] in
            await recordReceipt(outcome, of: messageID, connection: connection, lifecycle: lifecycle, logger: logger)
        }
    }
}

/// Records a receipt, looking for its segment for a few seconds: a receipt can overtake the recording of its
/// submission.
private func recordReceipt(
    _ outcome: SMPPDeliveryReceipt.FinalStatus, of messageID: String, connection: String, lifecycle: MessageLifecycle, logger: Logger
) async {
    let status: MessageStatus = switch outcome {
    case .delivered: .delivered
    case .undelivered: .undelivered
    case .failed: .failed
    }
    // Twilio's 30003 ("Unreachable destination handset") and 30007 (filtered) stand for the carrier's reasons.
    let errorCode: Int? = switch outcome {
    case .delivered: nil
    case .undelivered: 30003
    case .failed: 30007
    }
    for attempt in 1...SMPPLink.receiptAttempts {
        do {
            if try await lifecycle.receipt(
                connection: connection, carrierMessageID: messageID, status: status, errorCode: errorCode, logger: logger)
            {
                return
            }
        } catch where attempt < SMPPLink.receiptAttempts {
            logger.warning("could not record a delivery receipt; retrying", metadata: ["error": "\(String(reflecting: error))"])
        } catch {
            logger.error("could not record a delivery receipt", metadata: ["error": "\(String(reflecting: error))"])
            return
        }
        try? await Task.sleep(for: .milliseconds(250))
    }
    logger.warning("a delivery receipt for an unknown message", metadata: ["id": "\(messageID)"])
}

/// Passes the connection's bytes and its end to the link.
private final class SMPPLinkHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let link: SMPPLink

    init(link: SMPPLink) {
        self.link = link
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        link.received(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        link.closed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
