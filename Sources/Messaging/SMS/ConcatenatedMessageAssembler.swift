/// Puts concatenated SMS back together from their parts, in whatever order and however often the parts arrive.
///
/// Sans-IO: the caller passes the time in. Parts are grouped by sender, recipient, reference and total; the
/// total is part of the key so that a reused 8-bit reference with a different part count cannot mix with a
/// message still waiting. Call ``expire(at:)`` now and then (e.g. once a minute) to drop messages whose
/// missing parts never came.
public struct ConcatenatedMessageAssembler: Sendable {
    /// What identifies one concatenated message while its parts arrive.
    public struct Key: Sendable, Hashable {
        /// The sender's address (`source_addr`).
        public var source: String
        /// The recipient's address (`destination_addr`).
        public var destination: String
        /// The reference all parts share.
        public var reference: UInt16
        /// How many parts the message has.
        public var total: UInt8

        /// A key from its fields.
        public init(source: String, destination: String, reference: UInt16, total: UInt8) {
            self.source = source
            self.destination = destination
            self.reference = reference
            self.total = total
        }
    }

    /// A message some of whose parts have arrived.
    private struct Pending: Sendable {
        var firstReceived: ContinuousClock.Instant
        var parts: [UInt8: SMSInboundPart]
    }

    /// How long after its first part an incomplete message is dropped.
    public let timeout: Duration
    private var pending: [Key: Pending] = [:]

    /// An assembler that gives up on a message `timeout` after its first part arrived.
    public init(timeout: Duration = .seconds(300)) {
        self.timeout = timeout
    }

    /// How many messages are waiting for parts.
    public var pendingCount: Int { pending.count }

    /// Takes in one received part and returns the whole message when this part completes it.
    ///
    /// A part with no concatenation element, or one saying the message has a single part, is a message of its
    /// own and comes straight back. A sequence number already received is ignored (an SMSC resending after
    /// a lost `deliver_sm_resp`), keeping the first copy.
    public mutating func add(
        _ part: SMSInboundPart, source: String, destination: String, at now: ContinuousClock.Instant
    ) -> SMSAssembledMessage? {
        guard let concatenation = part.concatenation, concatenation.total > 1 else {
            return SMSAssembledMessage(source: source, destination: destination, text: part.text, segmentCount: 1)
        }
        let key = Key(source: source, destination: destination, reference: concatenation.reference, total: concatenation.total)
        var message = pending[key] ?? Pending(firstReceived: now, parts: [:])
        if message.parts[concatenation.sequence] == nil {
            message.parts[concatenation.sequence] = part
        }
        guard message.parts.count == Int(concatenation.total) else {
            pending[key] = message
            return nil
        }
        pending[key] = nil
        return SMSAssembledMessage(
            source: source, destination: destination, text: Self.text(of: Self.inOrder(message.parts)),
            segmentCount: Int(concatenation.total)
        )
    }

    /// Drops the messages whose first part arrived `timeout` or longer before `now`, returning them oldest first.
    public mutating func expire(at now: ContinuousClock.Instant) -> [SMSIncompleteMessage] {
        let expired = pending.filter { $0.value.firstReceived + timeout <= now }
        for key in expired.keys { pending[key] = nil }
        return expired
            .map { SMSIncompleteMessage(key: $0.key, firstReceived: $0.value.firstReceived, parts: Self.inOrder($0.value.parts)) }
            .sorted { $0.firstReceived < $1.firstReceived }
    }

    /// Parts sorted by sequence number.
    private static func inOrder(_ parts: [UInt8: SMSInboundPart]) -> [SMSInboundPart] {
        parts.sorted { $0.key < $1.key }.map(\.value)
    }

    /// The text of parts in order. When they share an alphabet their payloads are joined before decoding, so
    /// a surrogate pair or escape sequence a sender split across parts still reads as one character.
    static func text(of parts: [SMSInboundPart]) -> String {
        guard let alphabet = parts.first?.alphabet, parts.allSatisfy({ $0.alphabet == alphabet }) else {
            return parts.map(\.text).joined()
        }
        return alphabet.decode(parts.flatMap(\.payload))
    }
}

/// A received message, whole.
public struct SMSAssembledMessage: Sendable, Equatable {
    /// The sender's address.
    public var source: String
    /// The recipient's address.
    public var destination: String
    /// The message's text.
    public var text: String
    /// How many SMS parts carried it: Twilio's `NumSegments` on an incoming message webhook.
    public var segmentCount: Int

    /// A message from its fields.
    public init(source: String, destination: String, text: String, segmentCount: Int) {
        self.source = source
        self.destination = destination
        self.text = text
        self.segmentCount = segmentCount
    }
}

/// A concatenated message given up on because some parts never arrived.
public struct SMSIncompleteMessage: Sendable, Equatable {
    /// Which message it was.
    public var key: ConcatenatedMessageAssembler.Key
    /// When its first part arrived.
    public var firstReceived: ContinuousClock.Instant
    /// The parts that did arrive, in sequence order.
    public var parts: [SMSInboundPart]

    /// The text of the parts that arrived, in order, with the gaps closed up.
    public var text: String { ConcatenatedMessageAssembler.text(of: parts) }
}
