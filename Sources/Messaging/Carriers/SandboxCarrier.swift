import Foundation
import Logging
import Platform
import PostgresNIO

/// The built-in `sandbox` connection: no phone network. A message to a number some account owns arrives there
/// as an inbound message; any other number is a simulated handset, whose inbox ``SandboxHandsets`` keeps.
/// Everything it takes is delivered at once.
public struct SandboxCarrier: CarrierConnection {
    public static let connectionName = "sandbox"
    public var name: String { Self.connectionName }

    let lifecycle: MessageLifecycle
    let handsets: SandboxHandsets
    let logger: Logger
    /// What happens to a message that arrives at an owned number (its webhook).
    let arrived: @Sendable (Message, IncomingPhoneNumber) async -> Void

    public init(
        lifecycle: MessageLifecycle, handsets: SandboxHandsets, logger: Logger,
        arrived: @escaping @Sendable (Message, IncomingPhoneNumber) async -> Void
    ) {
        self.lifecycle = lifecycle
        self.handsets = handsets
        self.logger = logger
        self.arrived = arrived
    }

    public func submit(_ message: Message) async -> CarrierOutcome {
        do {
            if let to = PhoneNumber(message.to), let (inbound, number) = try await lifecycle.receive(from: message.from, to: to, body: message.body, logger: logger) {
                await arrived(inbound, number)
            } else {
                try await handsets.deliver(message, logger: logger)
            }
            return .delivered(carrierMessageID: "sandbox-\(message.sid)")
        } catch {
            logger.error("sandbox delivery failed", metadata: ["message": "\(message.sid)", "error": "\(error)"])
            // Twilio's 30008 ("Unknown error") for a delivery that failed for no reason the handset gave.
            return .rejected(errorCode: 30008, reason: "the sandbox could not deliver the message")
        }
    }
}

/// The sandbox's simulated handsets: what they received (`GET /sandbox/v1/Messages`).
public struct SandboxHandsets: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// A message as a handset got it.
    public struct Received: Sendable, Equatable {
        public var messageSid: SID
        public var accountSid: SID
        public var from: String
        public var to: String
        public var body: String
        public var numSegments: Int
        public var dateReceived: Date
    }

    func deliver(_ message: Message, logger: Logger) async throws {
        try await database.query(
            """
            INSERT INTO sandbox_handset_messages (account_sid, message_sid, from_number, to_number, body, num_segments)
            VALUES (\(message.accountSid.rawValue), \(message.sid.rawValue), \(message.from), \(message.to), \(message.body),
                \(message.numSegments))
            """, logger: logger)
    }

    /// The newest `limit` messages `to` received (every handset's when nil), oldest first.
    public func received(to: String?, limit: Int, logger: Logger) async throws -> [Received] {
        let rows = try await database.query(
            """
            SELECT message_sid, account_sid, from_number, to_number, body, num_segments, date_received FROM (
                SELECT * FROM sandbox_handset_messages WHERE \(to)::text IS NULL OR to_number = \(to)
                ORDER BY id DESC LIMIT \(limit)) newest
            ORDER BY id
            """, logger: logger)
        return try rows.map { row in
            let (message, account, from, to, body, segments, date) = try row.decode((String, String, String, String, String, Int, Date).self)
            guard let messageSid = SID(message), let accountSid = SID(account) else {
                throw CorruptRowError(table: "sandbox_handset_messages", key: message)
            }
            return Received(messageSid: messageSid, accountSid: accountSid, from: from, to: to, body: body, numSegments: segments, dateReceived: date)
        }
    }
}
