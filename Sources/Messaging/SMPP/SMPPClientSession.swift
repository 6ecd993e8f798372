import NIOCore

/// The ESME side of one SMPP 3.4 transceiver connection, as a state machine without I/O or clocks: the
/// caller feeds it events (connected, bytes, ticks, submissions, disconnected) with the current time and
/// performs the ``Action``s it returns, in order.
///
/// States: disconnected → binding → bound → (closing →) unbinding → closed → disconnected. Submissions
/// queue in FIFO order at any time and are sent only while bound, at most `windowSize` awaiting their
/// responses. A throttled submission returns to its place at the front of the queue and sending pauses
/// (1 s, 2 s, 4 s, ... up to the cap, back to the start after a success outside a pause). Silence for the
/// enquire_link interval sends enquire_link; any request unanswered for the response timeout closes the
/// connection.
/// The SMSC's enquire_link, deliver_sm and unbind are answered; its other requests get generic_nack.
///
/// `LocalID` is the caller's name for a submission (a message or segment id); sequence numbers stay inside.
public struct SMPPClientSession<LocalID: Hashable & Sendable>: Sendable {
    private enum State: Sendable {
        case disconnected
        case binding
        case bound
        /// ``close(now:)`` while bound: nothing new is sent; unbind once the window drains.
        case closing
        case unbinding
        /// `.closeConnection` was returned; only ``disconnected()`` matters now.
        case closed
    }

    private struct Submission: Sendable {
        var id: LocalID
        /// Submission order, kept through throttling so hand-backs and retries stay in order.
        var ordinal: UInt64
        /// The encoded submit_sm body; the header is added with a fresh sequence number at each send.
        var body: ByteBuffer
    }

    private enum Request: Sendable {
        case bind
        case unbind
        case enquireLink
        case submit(Submission)

        var commandID: SMPPCommandID {
            switch self {
            case .bind: .bindTransceiver
            case .unbind: .unbind
            case .enquireLink: .enquireLink
            case .submit: .submitSM
            }
        }
    }

    private struct Pending: Sendable {
        var request: Request
        var sentAt: ContinuousClock.Instant
    }

    private let configuration: SMPPClientConfiguration
    private let bindBody: ByteBuffer
    private var state = State.disconnected
    private var decoder: SMPPFrameDecoder
    private var pending: [UInt32: Pending] = [:]
    private var submissionsInFlight = 0
    private var queue = CircularBuffer<Submission>()
    /// The last sequence number used (internal so tests can start near the wrap).
    var lastSequenceNumber: UInt32 = 0
    private var nextOrdinal: UInt64 = 0
    private var lastActivity: ContinuousClock.Instant?
    private var pausedUntil: ContinuousClock.Instant?
    private var backoff: Duration

    /// A session; throws when the credentials do not fit bind_transceiver's fields.
    public init(configuration: SMPPClientConfiguration) throws(SMPPEncodingError) {
        var configuration = configuration
        configuration.windowSize = max(1, configuration.windowSize)
        self.configuration = configuration
        var bindBody = ByteBuffer()
        try SMPPBindRequest(systemID: configuration.systemID, password: configuration.password, systemType: configuration.systemType)
            .encode(into: &bindBody)
        self.bindBody = bindBody
        self.decoder = SMPPFrameDecoder(maximumLength: configuration.maximumPDULength)
        self.backoff = configuration.throttleBackoff
    }

    /// Whether submissions can be sent now (bound, not closing).
    public var isBound: Bool {
        if case .bound = state { return true }
        return false
    }

    /// Submissions waiting to be sent.
    public var queuedCount: Int { queue.count }

    /// Submissions sent and awaiting their responses.
    public var inFlightCount: Int { submissionsInFlight }

    /// When ``tick(now:)`` must be called next (a response deadline, the enquire_link due time, the end
    /// of a throttling pause); nil when no timer is running.
    public var nextDeadline: ContinuousClock.Instant? {
        switch state {
        case .disconnected, .closed: return nil
        case .binding, .bound, .closing, .unbinding: break
        }
        var deadlines = pending.values.map { $0.sentAt + configuration.responseTimeout }
        if let lastActivity, canProbe { deadlines.append(lastActivity + configuration.enquireLinkInterval) }
        if let pausedUntil, isBound, !queue.isEmpty { deadlines.append(pausedUntil) }
        return deadlines.min()
    }

    /// The TCP connection is up: bind.
    public mutating func connected(now: ContinuousClock.Instant) -> [Action] {
        guard case .disconnected = state else { preconditionFailure("connected(now:) without disconnected() since the last connection") }
        state = .binding
        decoder = SMPPFrameDecoder(maximumLength: configuration.maximumPDULength)
        var actions: [Action] = []
        send(.bind, now: now, into: &actions)
        return actions
    }

    /// Bytes arrived from the SMSC, in pieces of any size.
    public mutating func received(_ bytes: ByteBuffer, now: ContinuousClock.Instant) -> [Action] {
        switch state {
        case .disconnected, .closed: return []
        case .binding, .bound, .closing, .unbinding: break
        }
        decoder.feed(bytes)
        var actions: [Action] = []
        while !isClosed {
            let next: Result<SMPPPDU, SMPPDecodeError>?
            do {
                next = try decoder.next()
            } catch {
                close(.framingError(error), into: &actions)
                break
            }
            guard let next else { break }
            lastActivity = now
            switch next {
            case .success(let pdu) where pdu.commandID.isResponse: handleResponse(pdu, now: now, into: &actions)
            case .success(let pdu): handleRequest(pdu, into: &actions)
            case .failure(let error) where error.commandID.isResponse: close(.malformedResponse(error), into: &actions)
            case .failure(let error):
                actions.append(.malformedRequest(error))
                reply(.genericNack, status: error.status, sequenceNumber: error.sequenceNumber, into: &actions)
            }
        }
        return actions
    }

    /// Time passed: probe a silent link, give up on unanswered requests, resume after throttling.
    public mutating func tick(now: ContinuousClock.Instant) -> [Action] {
        switch state {
        case .disconnected, .closed: return []
        case .binding, .bound, .closing, .unbinding: break
        }
        var actions: [Action] = []
        if let oldest = pending.values.min(by: { $0.sentAt < $1.sentAt }), now - oldest.sentAt >= configuration.responseTimeout {
            close(.responseTimeout(oldest.request.commandID), into: &actions)
            return actions
        }
        if canProbe, let lastActivity, now - lastActivity >= configuration.enquireLinkInterval {
            send(.enquireLink, now: now, into: &actions)
        }
        sendQueued(now: now, into: &actions)
        return actions
    }

    /// Queues a submit_sm for `id`; it is sent as soon as the session is bound and the window has room.
    /// Throws, queuing nothing, when a field does not fit the wire format.
    public mutating func submit(_ message: SMPPShortMessage, id: LocalID, now: ContinuousClock.Instant) throws(SMPPEncodingError) -> [Action] {
        var body = ByteBuffer()
        try message.encode(into: &body)
        queue.append(Submission(id: id, ordinal: nextOrdinal, body: body))
        nextOrdinal += 1
        var actions: [Action] = []
        sendQueued(now: now, into: &actions)
        return actions
    }

    /// Ends the session gracefully: stop sending, let the window drain, unbind, and close once the SMSC
    /// answers. Queued submissions stay queued and come back with `.connectionLost`.
    public mutating func close(now: ContinuousClock.Instant) -> [Action] {
        var actions: [Action] = []
        switch state {
        case .disconnected, .closing, .unbinding, .closed:
            break
        case .binding:
            close(.closedBeforeBound, into: &actions)
        case .bound:
            state = .closing
            unbindIfDrained(now: now, into: &actions)
        }
        return actions
    }

    /// The connection is gone (closed by either side or failed): hands back every unacknowledged
    /// submission and returns to the disconnected state, ready for ``connected(now:)``.
    public mutating func disconnected() -> [Action] {
        var unacknowledged: [Submission] = Array(queue)
        for case .submit(let submission) in pending.values.map(\.request) { unacknowledged.append(submission) }
        unacknowledged.sort { $0.ordinal < $1.ordinal }
        state = .disconnected
        pending = [:]
        submissionsInFlight = 0
        queue.removeAll()
        lastActivity = nil
        pausedUntil = nil
        backoff = configuration.throttleBackoff
        return [.connectionLost(unacknowledged: unacknowledged.map(\.id))]
    }

    // MARK: Incoming

    private mutating func handleResponse(_ pdu: SMPPPDU, now: ContinuousClock.Instant, into actions: inout [Action]) {
        // A response to nothing we are waiting for (late, or the SMSC's mistake) is dropped.
        guard let request = pending[pdu.sequenceNumber]?.request,
            pdu.commandID == .genericNack || pdu.commandID.rawValue == request.commandID.rawValue | 0x8000_0000
        else { return }
        pending[pdu.sequenceNumber] = nil
        // A generic_nack always means failure, whatever status it carries.
        let status = pdu.commandID == .genericNack && pdu.status == .ok ? .unknownError : pdu.status
        switch (request, pdu.body) {
        case (.bind, .bindTransceiverResp(let response)) where status == .ok:
            state = .bound
            actions.append(.bound(systemID: response.systemID))
            sendQueued(now: now, into: &actions)
        case (.bind, _):
            actions.append(.bindFailed(status))
            close(.bindFailed(status), into: &actions)
        case (.enquireLink, _):
            break
        case (.unbind, _):
            close(.unbound, into: &actions)
        case (.submit(let submission), let body):
            submissionsInFlight -= 1
            if status == .ok, case .submitSMResp(let messageID) = body {
                // Only a success outside a pause shows the throttling is over: during one, successes answer
                // submissions sent before it began.
                if pausedUntil.map({ now >= $0 }) ?? true { backoff = configuration.throttleBackoff }
                actions.append(.submitted(submission.id, messageID: messageID))
            } else if status.isThrottling {
                throttle(submission, status: status, now: now, into: &actions)
            } else {
                actions.append(.submitFailed(submission.id, status))
            }
            sendQueued(now: now, into: &actions)
            unbindIfDrained(now: now, into: &actions)
        }
    }

    private mutating func handleRequest(_ pdu: SMPPPDU, into actions: inout [Action]) {
        switch pdu.body {
        case .enquireLink:
            reply(.enquireLinkResp, sequenceNumber: pdu.sequenceNumber, into: &actions)
        case .deliverSM(let message):
            if case .binding = state {
                // The SMSC may not deliver before the bind completes; it will deliver again once bound.
                reply(.deliverSMResp, status: .invalidBindStatus, sequenceNumber: pdu.sequenceNumber, into: &actions)
                return
            }
            actions.append(event(for: message))
            reply(.deliverSMResp, sequenceNumber: pdu.sequenceNumber, into: &actions)
        case .unbind:
            reply(.unbindResp, sequenceNumber: pdu.sequenceNumber, into: &actions)
            close(.unbindRequested, into: &actions)
        default:
            reply(.genericNack, status: .invalidCommandID, sequenceNumber: pdu.sequenceNumber, into: &actions)
        }
    }

    /// A receipt when esm_class says so (delivery receipt or intermediate notification), else an MO message.
    private func event(for message: SMPPShortMessage) -> Action {
        switch message.messageType {
        case .deliveryReceipt, .intermediateNotification:
            guard let receipt = SMPPDeliveryReceipt(deliverSM: message) else { return .unreadableReceipt(message) }
            return .receipt(receipt)
        case .normal, .other:
            return .received(message)
        }
    }

    // MARK: Outgoing

    /// Sends queued submissions while bound, unpaused and within the window.
    private mutating func sendQueued(now: ContinuousClock.Instant, into actions: inout [Action]) {
        guard isBound else { return }
        if let pausedUntil {
            guard now >= pausedUntil else { return }
            self.pausedUntil = nil
        }
        while submissionsInFlight < configuration.windowSize, let submission = queue.popFirst() {
            submissionsInFlight += 1
            send(.submit(submission), now: now, into: &actions)
        }
    }

    /// Puts a throttled submission back in its place and pauses; a throttle arriving during a pause (the
    /// rest of the window answering) does not lengthen it.
    private mutating func throttle(_ submission: Submission, status: SMPPCommandStatus, now: ContinuousClock.Instant, into actions: inout [Action]) {
        let position = queue.firstIndex(where: { $0.ordinal > submission.ordinal }) ?? queue.endIndex
        queue.insert(submission, at: position)
        if let pausedUntil, pausedUntil > now {
            actions.append(.throttled(submission.id, status, retryAfter: pausedUntil - now))
            return
        }
        pausedUntil = now + backoff
        actions.append(.throttled(submission.id, status, retryAfter: backoff))
        backoff = min(backoff * 2, configuration.maximumThrottleBackoff)
    }

    private mutating func unbindIfDrained(now: ContinuousClock.Instant, into actions: inout [Action]) {
        guard case .closing = state, submissionsInFlight == 0 else { return }
        state = .unbinding
        send(.unbind, now: now, into: &actions)
    }

    private mutating func send(_ request: Request, now: ContinuousClock.Instant, into actions: inout [Action]) {
        let body = switch request {
        case .bind: bindBody
        case .submit(let submission): submission.body
        case .unbind, .enquireLink: ByteBuffer()
        }
        let sequenceNumber = nextSequenceNumber()
        pending[sequenceNumber] = Pending(request: request, sentAt: now)
        lastActivity = now
        actions.append(.send(SMPPPDU.frame(commandID: request.commandID, status: .ok, sequenceNumber: sequenceNumber, body: body)))
    }

    /// Answers an SMSC request; header-only bodies and deliver_sm_resp's empty message_id cannot fail.
    private func reply(_ body: SMPPPDU.Body, status: SMPPCommandStatus = .ok, sequenceNumber: UInt32, into actions: inout [Action]) {
        var encoded = ByteBuffer()
        if case .deliverSMResp = body { encoded.writeInteger(UInt8(0)) }
        actions.append(.send(SMPPPDU.frame(commandID: body.commandID, status: status, sequenceNumber: sequenceNumber, body: encoded)))
    }

    private mutating func close(_ reason: SMPPCloseReason, into actions: inout [Action]) {
        state = .closed
        actions.append(.closeConnection(reason))
    }

    /// 1...0x7FFFFFFF, wrapping, skipping any number still awaiting its response.
    private mutating func nextSequenceNumber() -> UInt32 {
        repeat {
            lastSequenceNumber = lastSequenceNumber >= 0x7FFF_FFFF ? 1 : lastSequenceNumber + 1
        } while pending[lastSequenceNumber] != nil
        return lastSequenceNumber
    }

    private var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    /// Whether an enquire_link may be sent now: bound (or draining) and none outstanding.
    private var canProbe: Bool {
        switch state {
        case .bound, .closing: !pending.values.contains { if case .enquireLink = $0.request { true } else { false } }
        case .disconnected, .binding, .unbinding, .closed: false
        }
    }
}
