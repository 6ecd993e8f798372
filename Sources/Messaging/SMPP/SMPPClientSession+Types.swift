import NIOCore

/// How an ESME binds and paces itself; the defaults suit most SMSCs.
public struct SMPPClientConfiguration: Sendable {
    /// The account at the SMSC (at most 15 characters).
    public var systemID: String
    /// Its password (at most 8 characters).
    public var password: String
    /// The system_type the operator asks for, usually empty (at most 12 characters).
    public var systemType: String
    /// The most submit_sm awaiting their responses at once (at least 1).
    public var windowSize: Int
    /// How long the link may stay silent before an enquire_link probes it.
    public var enquireLinkInterval: Duration
    /// How long any request may go unanswered before the link counts as dead.
    public var responseTimeout: Duration
    /// The first pause after ESME_RTHROTTLED or ESME_RMSGQFUL; it doubles while throttling goes on.
    public var throttleBackoff: Duration
    /// The longest pause throttling can grow to.
    public var maximumThrottleBackoff: Duration
    /// The largest PDU accepted from the SMSC; a larger command_length drops the connection.
    public var maximumPDULength: Int

    /// A configuration; only the credentials are required.
    public init(
        systemID: String, password: String, systemType: String = "", windowSize: Int = 10,
        enquireLinkInterval: Duration = .seconds(30), responseTimeout: Duration = .seconds(10),
        throttleBackoff: Duration = .seconds(1), maximumThrottleBackoff: Duration = .seconds(32),
        maximumPDULength: Int = SMPPFrameDecoder.defaultMaximumLength
    ) {
        self.systemID = systemID
        self.password = password
        self.systemType = systemType
        self.windowSize = windowSize
        self.enquireLinkInterval = enquireLinkInterval
        self.responseTimeout = responseTimeout
        self.throttleBackoff = throttleBackoff
        self.maximumThrottleBackoff = maximumThrottleBackoff
        self.maximumPDULength = maximumPDULength
    }
}

/// Why the session asks for its connection to be closed.
public enum SMPPCloseReason: Hashable, Sendable, CustomStringConvertible {
    /// Our unbind was answered: a clean end.
    case unbound
    /// The SMSC sent unbind (answered already).
    case unbindRequested
    /// The SMSC refused the bind.
    case bindFailed(SMPPCommandStatus)
    /// A request of ours went unanswered past the response timeout: the link is dead.
    case responseTimeout(SMPPCommandID)
    /// The byte stream cannot be split into PDUs.
    case framingError(SMPPFramingError)
    /// A response could not be decoded, so its request's outcome is unknown.
    case malformedResponse(SMPPDecodeError)
    /// ``SMPPClientSession/close(now:)`` before the bind completed.
    case closedBeforeBound

    /// Text for logs.
    public var description: String {
        switch self {
        case .unbound: "unbound"
        case .unbindRequested: "the SMSC unbound"
        case .bindFailed(let status): "bind refused: \(status)"
        case .responseTimeout(let command): "no response to \(command) in time"
        case .framingError(let error): "framing error: \(error)"
        case .malformedResponse(let error): "malformed response: \(error)"
        case .closedBeforeBound: "closed before the bind completed"
        }
    }
}

extension SMPPClientSession {
    /// What the caller must do, or learn, after an input. Perform them in order.
    ///
    /// At-least-once for incoming messages: a deliver_sm yields its event (`.received`, `.receipt` or
    /// `.unreadableReceipt`) and then the `.send` of its deliver_sm_resp. Persist the event before writing
    /// the response; if the process dies in between, the SMSC delivers the message again, so consumers must
    /// tolerate duplicates (receipts are idempotent; MO messages can be de-duplicated by content and time).
    public enum Action: Hashable, Sendable {
        /// Write these bytes to the connection.
        case send(ByteBuffer)
        /// Close the connection, then call ``SMPPClientSession/disconnected()``.
        case closeConnection(SMPPCloseReason)
        /// The SMSC accepted the bind; submissions flow from now on.
        case bound(systemID: String)
        /// The SMSC refused the bind (a `.closeConnection` follows).
        case bindFailed(SMPPCommandStatus)
        /// The SMSC accepted a submission and named it `messageID` (receipts will refer to it).
        case submitted(LocalID, messageID: String)
        /// The SMSC refused a submission for good.
        case submitFailed(LocalID, SMPPCommandStatus)
        /// The SMSC is busy: the submission waits at the front of the queue and sending pauses for
        /// `retryAfter` (counted here so the caller can measure throttling).
        case throttled(LocalID, SMPPCommandStatus, retryAfter: Duration)
        /// A mobile-originated message (a deliver_sm that is not a receipt).
        case received(SMPPShortMessage)
        /// A delivery receipt or intermediate notification.
        case receipt(SMPPDeliveryReceipt)
        /// A deliver_sm flagged as a receipt whose id or state could not be read; acknowledged anyway, since
        /// the SMSC would only redeliver the same bytes.
        case unreadableReceipt(SMPPShortMessage)
        /// A request from the SMSC could not be decoded and was answered with generic_nack.
        case malformedRequest(SMPPDecodeError)
        /// The connection is gone. Every submission not acknowledged (sent without a response, or still
        /// queued) comes back in submission order, to be submitted again after reconnecting; only those
        /// that were sent may reach the handset twice.
        case connectionLost(unacknowledged: [LocalID])
    }
}
