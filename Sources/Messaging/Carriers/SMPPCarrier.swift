import Logging
import NIOCore
import NIOPosix
import Platform
import ServiceLifecycle

/// A carrier connection over SMPP 3.4: one transceiver bind to an SMSC, kept up (reconnecting with back-off),
/// driving ``SMPPClientSession`` on one event loop. A message is submitted as its segments (concatenation headers
/// when there are several), each with a delivery receipt requested; mobile-originated messages and receipts from
/// the SMSC go to ``MessageLifecycle``.
public final class SMPPCarrier: CarrierConnection, Service {
    public var name: String { settings.name }
    let settings: SMPPConnectionSettings
    private let link: NIOLoopBoundBox<SMPPLink>
    private let loop: EventLoop

    public init(
        settings: SMPPConnectionSettings, lifecycle: MessageLifecycle, logger: Logger,
        arrived: @escaping @Sendable (Message, IncomingPhoneNumber) async -> Void
    ) throws {
        self.settings = settings
        loop = MultiThreadedEventLoopGroup.singleton.next()
        let configuration = SMPPClientConfiguration(
            systemID: settings.systemID, password: settings.password, systemType: settings.systemType, windowSize: settings.windowSize)
        var logger = logger
        logger[metadataKey: "connection"] = "\(settings.name)"
        let link = try SMPPLink(
            settings: settings, configuration: configuration, loop: loop, lifecycle: lifecycle, logger: logger, arrived: arrived)
        // Built here, used only on `loop` from now on.
        self.link = NIOLoopBoundBox.makeBoxSendingValue(link, eventLoop: loop)
    }

    /// Keeps the bind up until shutdown, then unbinds.
    public func run() async throws {
        loop.execute { [link] in link.value.start() }
        try? await gracefulShutdown()
        try? await loop.submit { [link] in link.value.stop() }.get()
    }

    public func submit(_ message: Message) async -> CarrierOutcome {
        guard let from = PhoneNumber(message.from), let to = PhoneNumber(message.to) else {
            return .rejected(errorCode: 21211, reason: "not an E.164 address")
        }
        let segmented = SMSSegmentedMessage(body: message.body)
        let shortMessages: [[UInt8]]
        do {
            shortMessages = try segmented.shortMessages(reference: UInt8.random(in: .min ... .max))
        } catch {
            return .rejected(errorCode: 21617, reason: "the message has too many segments")
        }
        let parts = shortMessages.map { bytes in
            SMPPShortMessage(
                source: SMPPAddress(ton: 1, npi: 1, address: String(from.digits)), destination: SMPPAddress(ton: 1, npi: 1, address: String(to.digits)),
                esmClass: segmented.esmClass, registeredDelivery: 1, dataCoding: segmented.dataCoding, shortMessage: bytes)
        }
        let results = await withTaskGroup(of: (Int, SMPPLink.Answer).self) { group in
            for (index, part) in parts.enumerated() {
                group.addTask { [link, loop] in
                    let promise = loop.makePromise(of: SMPPLink.Answer.self)
                    loop.execute { link.value.submit(part, id: SMPPLink.PartID(message: message.sid, index: index), promise: promise) }
                    return (index, (try? await promise.futureResult.get()) ?? .interrupted)
                }
            }
            var results: [(Int, SMPPLink.Answer)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var identifiers: [String] = []
        var interrupted = false
        for result in results {
            switch result {
            case .accepted(let identifier): identifiers.append(identifier)
            case .interrupted: interrupted = true
            case .refused(let status):
                // Twilio's 30008 ("Unknown error") for a refusal the SMSC explains only by its status.
                return .rejected(errorCode: 30008, reason: "the SMSC refused the message: \(status)")
            }
        }
        return interrupted ? .interrupted : .accepted(carrierMessageIDs: identifiers)
    }
}
