import Crypto
import Flows
import Foundation
import Logging
import Platform
import PostgresNIO

/// Runs executions durably: every advance happens in a transaction on the execution's locked row, with the steps it
/// made and the messages it sent, so an execution advances in one worker at a time and survives a restart. HTTP
/// requests are made after the commit, under a lease another worker takes over if this one dies.
public struct FlowEngine: Sendable {
    let database: Database
    let flows: FlowRepository
    let messages: MessageRepository
    let outbox: EventOutbox
    let client: EgressHTTPClient
    let sending: Alarm
    let limits: FlowLimits
    let programs = FlowProgramCache()
    let logger: Logger

    /// - Parameter sending: rung when messages are queued.
    public init(
        database: Database, messages: MessageRepository, outbox: EventOutbox, client: EgressHTTPClient, sending: Alarm,
        limits: FlowLimits = FlowLimits(), logger: Logger
    ) {
        self.database = database
        self.flows = FlowRepository(database: database)
        self.messages = messages
        self.outbox = outbox
        self.client = client
        self.sending = sending
        self.limits = limits
        self.logger = logger
    }

    /// What starts an execution.
    public struct Trigger: Sendable {
        /// `incomingRequest`, `incomingMessage`, `incomingConversationMessage`, `incomingCall`.
        public let event: String
        /// `trigger.*`: one member named after the trigger (`request`, `message`, …).
        public let variables: [String: JSONValue]
        public let contactAddress: String
        public let flowAddress: String
        /// `flow.data`.
        public let data: JSONValue
        /// The SID of what started it (an `SM…` message); nil for REST (the execution's own SID).
        public let initiatedBy: String?

        public init(event: String, variables: [String: JSONValue], contactAddress: String, flowAddress: String, data: JSONValue, initiatedBy: String?) {
            self.event = event
            self.variables = variables
            self.contactAddress = contactAddress
            self.flowAddress = flowAddress
            self.data = data
            self.initiatedBy = initiatedBy
        }
    }

    /// Starts an execution of `flow` (the revision to run) and runs it up to its first wait.
    /// ``FlowError/activeExecutionExists(_:)`` when the contact already has an active one.
    public func start(_ flow: FlowRevision, _ trigger: Trigger, logger: Logger) async throws -> FlowExecutionRecord {
        let program = try await program(flow.flowSid, revision: flow.revision)
        let interpreter = FlowInterpreter(program: program, limits: limits)
        let sid = SID.generate(.flowExecution)
        let context = ExecutionContext(
            flowSid: flow.flowSid.rawValue, executionSid: sid.rawValue, flowAddress: trigger.flowAddress,
            contactAddress: trigger.contactAddress, data: trigger.data, trigger: trigger.variables)
        let origin = FlowExecutionStore.Origin(
            sid: sid, account: flow.accountSid, flow: flow.flowSid, revision: flow.revision,
            contactSid: Self.contactSid(account: flow.accountSid, address: trigger.contactAddress),
            initiatedBy: trigger.initiatedBy ?? sid.rawValue, lifetimeSeconds: limits.maximumLifetimeSeconds)
        let (execution, created, sent) = try await database.withTransaction(logger: logger) { connection in
            var execution = FlowExecution(context: context)
            var steps = interpreter.start(&execution, trigger: trigger.event)
            let sent = try await performImmediateEffects(&execution, &steps, interpreter, account: flow.accountSid, on: connection, logger: logger)
            guard let created = try await FlowExecutionStore.insert(origin, execution, on: connection, logger: logger) else {
                throw FlowError.activeExecutionExists(flow.flowSid)
            }
            try await FlowExecutionStore.insert(steps, execution: sid, flow: flow.flowSid, account: flow.accountSid, on: connection, logger: logger)
            return (execution, created, sent)
        }
        afterCommit(sid, execution, sentMessages: sent)
        return FlowExecutionRecord(
            sid: sid, accountSid: flow.accountSid, flowSid: flow.flowSid, revision: flow.revision, contactSid: origin.contactSid,
            contactAddress: trigger.contactAddress, initiatedBy: origin.initiatedBy, status: execution.hasEnded ? .ended : .active,
            context: execution.context.json, dateCreated: created, dateUpdated: created)
    }

    /// Hands an effect's result to the execution waiting for it and runs on. False when it no longer waits for it
    /// (it moved on, ended, or another worker got there first): nothing changed.
    @discardableResult
    public func resume(_ sid: SID, sequence: Int, with result: FlowEffectResult, logger: Logger) async throws -> Bool {
        let outcome = try await database.withTransaction(logger: logger) { connection -> (FlowExecution, Bool)? in
            guard let locked = try await FlowExecutionStore.lock(sid, on: connection, logger: logger),
                locked.execution.pending?.sequence == sequence
            else { return nil }
            let interpreter = FlowInterpreter(program: try await program(locked.flow, revision: locked.revision), limits: limits)
            var execution = locked.execution
            guard var steps = interpreter.resume(&execution, sequence: sequence, with: result) else { return nil }
            let sent = try await performImmediateEffects(&execution, &steps, interpreter, account: locked.account, on: connection, logger: logger)
            try await FlowExecutionStore.save(sid, execution, on: connection, logger: logger)
            try await FlowExecutionStore.insert(steps, execution: sid, flow: locked.flow, account: locked.account, on: connection, logger: logger)
            return (execution, sent)
        }
        guard let (execution, sent) = outcome else { return false }
        afterCommit(sid, execution, sentMessages: sent)
        return true
    }

    /// Ends an active execution where it stands; `reason` is recorded as its error. False: it was not active.
    @discardableResult
    public func end(_ sid: SID, reason: String?, logger: Logger) async throws -> Bool {
        try await database.withTransaction(logger: logger) { connection in
            guard let locked = try await FlowExecutionStore.lock(sid, on: connection, logger: logger) else { return false }
            let interpreter = FlowInterpreter(program: try await program(locked.flow, revision: locked.revision), limits: limits)
            var execution = locked.execution
            interpreter.end(&execution, reason: reason)
            try await FlowExecutionStore.save(sid, execution, on: connection, logger: logger)
            return true
        }
    }

    /// Resumes the execution of the account waiting in `send-and-wait-for-reply` for `message` (from its contact, to
    /// its flow's address). False: none waits for it.
    public func deliverReply(_ message: Message, parameters: [(String, String)], logger: Logger) async throws -> Bool {
        let rows = try await database.query(
            """
            SELECT sid, effect_sequence FROM flow_executions
            WHERE account_sid = \(message.accountSid.rawValue) AND flow_address = \(message.to) AND contact_address = \(message.from)
              AND status = 'active' AND waiting = 'reply'
            ORDER BY seq LIMIT 1
            """, logger: logger)
        guard let row = rows.first else { return false }
        let (sid, sequence) = try row.decode((String, Int).self)
        guard let executionSid = SID(sid) else { return false }
        let reply = Dictionary(parameters, uniquingKeysWith: { first, _ in first })
        return try await resume(executionSid, sequence: sequence, with: .replyReceived(reply), logger: logger)
    }

    func program(_ flow: SID, revision: Int) async throws -> FlowProgram {
        try await programs.program(flow: flow.rawValue, revision: revision) {
            try await flows.definition(flow, revision: revision, logger: logger)
        }
    }

    /// Twilio's contact SID: the same for the same address of the same account.
    static func contactSid(account: SID, address: String) -> String {
        let digest = SHA256.hash(data: Data((account.rawValue + "\u{0}" + address).utf8))
        return "FC" + Hex.encode(digest.prefix(16))
    }
}
