import APIGateway
import Flows
import Foundation
import Messaging
import Platform
import TestSupport
import Testing

/// The durable engine against PostgreSQL: waiting, resuming once, engines of two processes racing, expiry.
@Suite struct FlowEngineTests {
    static let definition = """
        {"initial_state": "Trigger", "states": [
          {"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingRequest", "next": "ask"}]},
          {"name": "ask", "type": "send-and-wait-for-reply", "properties": {"body": "Confirm {{flow.data.day}}?", "timeout": "3600"},
           "transitions": [{"event": "incomingMessage", "next": "note"}, {"event": "timeout"}, {"event": "deliveryFailure"}]},
          {"name": "note", "type": "set-variables",
           "properties": {"variables": [{"key": "answer", "value": "{{widgets.ask.inbound.Body | downcase}}"}]},
           "transitions": [{"event": "next"}]}]}
        """

    /// An owned SMS number and a flow waiting for a reply from a contact.
    private func waitingExecution(_ gateway: GatewayHarness, engine: FlowEngine) async throws -> FlowExecutionRecord {
        let logger = TestDatabase.logger
        let number = try #require(PhoneNumber("+14155550199"))
        _ = try await gateway.services.inventory.load(
            [InventoryNumber(phoneNumber: number, isoCountry: "US", type: .local, capabilities: [.sms], connection: "sandbox")], logger: logger)
        _ = try await gateway.services.phoneNumbers.buy(
            number, account: gateway.owner.sid, friendlyName: nil, configuration: NumberConfiguration(), logger: logger)
        let flow = try await gateway.services.flows.create(
            FlowFields(friendlyName: "confirm", status: .published, definition: Self.definition, commitMessage: nil),
            account: gateway.owner.sid, logger: logger)
        let trigger = FlowEngine.Trigger(
            event: "incomingRequest", variables: ["request": .object([:])], contactAddress: "+15005550006", flowAddress: number.e164,
            data: .object(["day": .string("Monday")]), initiatedBy: nil)
        return try await engine.start(flow, trigger, logger: logger)
    }

    private func stored(_ execution: FlowExecutionRecord, _ gateway: GatewayHarness) async throws -> (FlowExecutionRecord, [String]) {
        let logger = TestDatabase.logger
        let current = try #require(try await gateway.services.flowExecutions.find(
            execution.sid, flow: execution.flowSid, account: gateway.owner.sid, logger: logger))
        let steps = try await gateway.services.flowExecutions.steps(
            execution: execution.sid, flow: execution.flowSid, account: gateway.owner.sid, cursor: .start, pageSize: 50, logger: logger)
        return (current, steps.items.map { "\($0.transitionedFrom) -\($0.name)-> \($0.transitionedTo)" })
    }

    @Test func aReplyResumesTheWaitingExecutionOnceEvenWithTwoEnginesRacing() async throws {
        try await GatewayHarness.run { gateway in
            let engine = gateway.services.flowEngine
            let execution = try await waitingExecution(gateway, engine: engine)
            #expect(execution.status == .active)
            #expect(try await stored(execution, gateway).1 == ["Trigger -incomingRequest-> ask"])

            // A second process's engine on the same database: both get the same reply many times at once.
            let other = FlowEngine(
                database: gateway.services.database, messages: gateway.services.messages, outbox: gateway.services.outbox,
                client: gateway.services.egress, sending: Alarm(), logger: TestDatabase.logger)
            let state = try #require(try await gateway.services.database.query(
                "SELECT effect_sequence FROM flow_executions WHERE sid = \(execution.sid.rawValue)", logger: TestDatabase.logger).first)
            let sequence = try state.decode(Int.self)
            let applied = try await withThrowingTaskGroup(of: Bool.self) { group in
                for attempt in 0..<20 {
                    let target = attempt.isMultiple(of: 2) ? engine : other
                    group.addTask {
                        try await target.resume(execution.sid, sequence: sequence, with: .replyReceived(["Body": "YES"]), logger: TestDatabase.logger)
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(applied == 1)
            let (ended, steps) = try await stored(execution, gateway)
            #expect(ended.status == .ended)
            #expect(steps == ["Trigger -incomingRequest-> ask", "ask -incomingMessage-> note", "note -next-> Ended"])
            #expect(ended.context["flow"]?["variables"]?["answer"] == .string("yes"))
            #expect(ended.context["widgets"]?["ask"]?["outbound"]?["Body"] == .string("Confirm Monday?"))
        }
    }

    @Test func theSweeperTimesOutAWaitAndEndsAnExpiredExecution() async throws {
        try await GatewayHarness.run { gateway in
            let engine = gateway.services.flowEngine
            let sweeper = FlowSweeper(engine: engine, logger: TestDatabase.logger)
            let execution = try await waitingExecution(gateway, engine: engine)
            try await gateway.services.database.query(
                "UPDATE flow_executions SET wake_at = now() - interval '1 second' WHERE sid = \(execution.sid.rawValue)", logger: TestDatabase.logger)
            try await sweeper.sweep()
            let (timedOut, steps) = try await stored(execution, gateway)
            #expect(timedOut.status == .ended)
            #expect(steps.last == "ask -timeout-> Ended")

            // Another contact's execution, past its lifetime.
            let second = try await engine.start(
                try #require(try await gateway.services.flows.runnableRevision(execution.flowSid, account: gateway.owner.sid, contact: "+15005550007", logger: TestDatabase.logger)),
                FlowEngine.Trigger(event: "incomingRequest", variables: [:], contactAddress: "+15005550007", flowAddress: "+14155550199",
                    data: .object([:]), initiatedBy: nil),
                logger: TestDatabase.logger)
            try await gateway.services.database.query(
                "UPDATE flow_executions SET expires_at = now() - interval '1 second' WHERE sid = \(second.sid.rawValue)", logger: TestDatabase.logger)
            try await sweeper.sweep()
            let (expired, _) = try await stored(second, gateway)
            #expect(expired.status == .ended)
            #expect(expired.context["error"]?["message"] == .string("execution expired"))
        }
    }

    @Test func aFailedMessageEndsTheWaitWithDeliveryFailure() async throws {
        try await GatewayHarness.run { gateway in
            let engine = gateway.services.flowEngine
            let execution = try await waitingExecution(gateway, engine: engine)
            // The carrier reports the question undelivered.
            try await gateway.services.database.query(
                """
                UPDATE messages SET status = 'undelivered' WHERE sid = (
                    SELECT waiting_message_sid FROM flow_executions WHERE sid = \(execution.sid.rawValue))
                """, logger: TestDatabase.logger)
            try await FlowSweeper(engine: engine, logger: TestDatabase.logger).sweep()
            let (ended, steps) = try await stored(execution, gateway)
            #expect(ended.status == .ended)
            #expect(steps.last == "ask -deliveryFailure-> Ended")
            #expect(ended.context["widgets"]?["ask"]?["outbound"]?["Status"] == .string("undelivered"))
        }
    }

    @Test func anHTTPWidgetGoesThroughTheEgressGuard() async throws {
        try await GatewayHarness.run { gateway in
            let definition = """
                {"initial_state": "Trigger", "states": [
                  {"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingRequest", "next": "fetch"}]},
                  {"name": "fetch", "type": "make-http-request", "properties": {"url": "http://10.1.2.3/internal"},
                   "transitions": [{"event": "success"}, {"event": "failed"}]}]}
                """
            let flow = try await gateway.services.flows.create(
                FlowFields(friendlyName: "probe", status: .published, definition: definition, commitMessage: nil),
                account: gateway.owner.sid, logger: TestDatabase.logger)
            let execution = try await gateway.services.flowEngine.start(
                flow, FlowEngine.Trigger(event: "incomingRequest", variables: [:], contactAddress: "+15005550006", flowAddress: "+15005550007",
                    data: .object([:]), initiatedBy: nil), logger: TestDatabase.logger)
            #expect(execution.status == .active)
            var current = execution
            for _ in 0..<100 where current.status == .active {
                try await Task.sleep(for: .milliseconds(50))
                current = try await stored(execution, gateway).0
            }
            let (ended, steps) = try await stored(execution, gateway)
            #expect(steps.last == "fetch -failed-> Ended")
            let error = ended.context["widgets"]?["fetch"]?["error"]?.stringValue ?? ""
            #expect(error.contains("10.1.2.3"), "\(error)")
        }
    }

    @Test func aContactHasOneActiveExecutionOfAFlow() async throws {
        try await GatewayHarness.run { gateway in
            let engine = gateway.services.flowEngine
            let execution = try await waitingExecution(gateway, engine: engine)
            let flow = try #require(try await gateway.services.flows.runnableRevision(execution.flowSid, account: gateway.owner.sid, contact: "+15005550007", logger: TestDatabase.logger))
            await #expect(throws: FlowError.self) {
                _ = try await engine.start(flow, FlowEngine.Trigger(
                    event: "incomingRequest", variables: [:], contactAddress: "+15005550006", flowAddress: "+14155550199",
                    data: .object([:]), initiatedBy: nil), logger: TestDatabase.logger)
            }
            let count = try await gateway.services.database.query(
                "SELECT count(*) FROM flow_executions WHERE flow_sid = \(execution.flowSid.rawValue)", logger: TestDatabase.logger)
            #expect(try count.first?.decode(Int.self) == 1)
        }
    }
}
