import Foundation
import Testing

@testable import Flows

/// The interpreter over hand-built programs (the compiler has its own tests).
@Suite struct FlowInterpreterTests {
    static func template(_ text: String) -> LiquidTemplate { try! LiquidTemplate(text) }

    static func program(_ states: [CompiledState]) -> FlowProgram {
        FlowProgram(states: states, initialState: 0, allowsConcurrentCalls: false)
    }

    static func trigger(next: Int?) -> CompiledState {
        CompiledState(name: "Trigger", type: "trigger", widget: .trigger, transitions: ["incomingRequest": next])
    }

    static func execution() -> FlowExecution {
        FlowExecution(
            context: ExecutionContext(
                flowSid: "FW1", executionSid: "FN1", flowAddress: "+15005550006", contactAddress: "+15551230000",
                trigger: ["request": .object([:])]))
    }

    @Test func runsComputeWidgetsToTheEndAndRecordsEachStep() {
        let program = Self.program([
            Self.trigger(next: 1),
            CompiledState(
                name: "set", type: "set-variables",
                widget: .setVariables([VariableAssignment(key: "tier", value: Self.template("gold"), parsesJSON: false)]),
                transitions: ["next": 2]),
            CompiledState(
                name: "split", type: "split-based-on",
                widget: .splitBasedOn(
                    SplitBasedOn(
                        input: Self.template("gold"),
                        branches: [
                            SplitBranch(conditions: [SplitCondition(friendlyName: "silver", comparison: .equalTo, value: Self.template("silver"))], next: nil),
                            SplitBranch(conditions: [SplitCondition(friendlyName: "gold", comparison: .equalTo, value: Self.template("gold"))], next: 3),
                        ])),
                transitions: ["noMatch": nil]),
            CompiledState(name: "done", type: "set-variables", widget: .setVariables([]), transitions: [:]),
        ])
        let interpreter = FlowInterpreter(program: program)
        var execution = Self.execution()
        let steps = interpreter.start(&execution, trigger: "incomingRequest")
        #expect(steps.map { "\($0.widget) -\($0.event)-> \($0.next ?? "Ended")" } == [
            "Trigger -incomingRequest-> set", "set -next-> split", "split -match-> done", "done -next-> Ended",
        ])
        #expect(execution.hasEnded)
        #expect(execution.pending == nil)
        #expect(execution.context.variables["tier"] == .string("gold"))
        #expect(execution.stepCount == 4)
    }

    @Test func waitsForAnHTTPAnswerAndResumesOnceWithIt() throws {
        let request = HTTPRequestWidget(method: "GET", url: Self.template("https://example.com/order"), encoding: .form, body: nil, parameters: [])
        let program = Self.program([
            Self.trigger(next: 1),
            CompiledState(name: "http", type: "make-http-request", widget: .makeHTTPRequest(request), transitions: ["success": nil, "failed": nil]),
        ])
        let interpreter = FlowInterpreter(program: program)
        var execution = Self.execution()
        #expect(interpreter.start(&execution, trigger: "incomingRequest").count == 1)
        let pending = try #require(execution.pending)
        #expect(pending.effect == .httpRequest(FlowHTTPRequest(method: "GET", url: "https://example.com/order", parameters: [], jsonBody: nil)))

        // A result for another wait changes nothing.
        #expect(interpreter.resume(&execution, sequence: pending.sequence + 1, with: .httpFailure("late")) == nil)
        #expect(interpreter.resume(&execution, sequence: pending.sequence, with: .replyTimedOut) == nil)

        let steps = try #require(
            interpreter.resume(&execution, sequence: pending.sequence, with: .httpResponse(status: 200, contentType: "application/json", body: #"{"status":"shipped"}"#)))
        #expect(steps.map(\.event) == ["success"])
        #expect(execution.context.widgets["http"]?["parsed"]?["status"] == .string("shipped"))
        #expect(execution.hasEnded)
        #expect(interpreter.resume(&execution, sequence: pending.sequence, with: .httpFailure("again")) == nil)
    }

    @Test func sendAndWaitSendsThenWaitsForTheReply() throws {
        let widget = SendAndWaitWidget(from: Self.template("+15005550006"), body: Self.template("Confirm?"), mediaURL: nil, timeout: Self.template("60"))
        let program = Self.program([
            Self.trigger(next: 1),
            CompiledState(name: "ask", type: "send-and-wait-for-reply", widget: .sendAndWaitForReply(widget),
                transitions: ["incomingMessage": nil, "timeout": nil, "deliveryFailure": nil]),
        ])
        let interpreter = FlowInterpreter(program: program)
        var execution = Self.execution()
        _ = interpreter.start(&execution, trigger: "incomingRequest")
        let pending = try #require(execution.pending)
        #expect(pending.effect == .sendAndWait(FlowOutboundMessage(from: "+15005550006", to: "+15551230000", body: "Confirm?", mediaURL: nil), timeoutSeconds: 60))
        #expect(interpreter.resume(&execution, sequence: pending.sequence, with: .replyReceived(["Body": "yes"])) == nil)

        let sent = FlowSentMessage(sid: "SM1", status: "queued", from: "+15005550006", to: "+15551230000", body: "Confirm?")
        #expect(interpreter.resume(&execution, sequence: pending.sequence, with: .messageSent(sent)) == [])
        #expect(execution.pending?.sent == sent)
        #expect(execution.pending?.replyDeadline != nil)

        // The state survives a round trip through its JSON (the runtime stores it between the two halves).
        execution = try #require(FlowExecution(json: execution.json))
        let steps = try #require(interpreter.resume(&execution, sequence: pending.sequence, with: .replyReceived(["Body": "yes"])))
        #expect(steps.map(\.event) == ["incomingMessage"])
        #expect(execution.context.widgets["ask"]?["inbound"]?["Body"] == .string("yes"))
        #expect(execution.context.widgets["ask"]?["outbound"]?["Sid"] == .string("SM1"))
        #expect(execution.hasEnded)
    }

    @Test func aLoopEndsAtTheStepLimitWithAnError() {
        let program = Self.program([
            Self.trigger(next: 1),
            CompiledState(name: "again", type: "set-variables", widget: .setVariables([]), transitions: ["next": 1]),
        ])
        let interpreter = FlowInterpreter(program: program, limits: FlowLimits(maximumSteps: 50))
        var execution = Self.execution()
        let steps = interpreter.start(&execution, trigger: "incomingRequest")
        #expect(steps.count == 51)
        #expect(steps.last?.error == "step limit of 50 reached")
        #expect(execution.hasEnded)
        #expect(execution.context.error?["message"] == .string("step limit of 50 reached"))
    }

    @Test func aContextPastItsLimitEndsTheExecution() {
        let big = String(repeating: "x", count: 600)
        let program = Self.program([
            Self.trigger(next: 1),
            CompiledState(name: "grow", type: "set-variables",
                widget: .setVariables([VariableAssignment(key: "a", value: Self.template(big), parsesJSON: false),
                                       VariableAssignment(key: "b", value: Self.template(big), parsesJSON: false)]),
                transitions: ["next": nil]),
        ])
        var execution = Self.execution()
        let steps = FlowInterpreter(program: program, limits: FlowLimits(maximumContextBytes: 1000)).start(&execution, trigger: "incomingRequest")
        #expect(steps.last?.error == "context larger than 1000 bytes")
        #expect(execution.hasEnded)
    }

    @Test func aVoiceWidgetWithoutACallFailsItsStep() throws {
        let say = VoiceWidget(kind: .sayPlay, properties: ["say": Self.template("Hello")])
        let program = Self.program([
            Self.trigger(next: 1),
            CompiledState(name: "greet", type: "say-play", widget: .voice(say), transitions: ["audioComplete": nil]),
        ])
        let interpreter = FlowInterpreter(program: program)
        var execution = Self.execution()
        _ = interpreter.start(&execution, trigger: "incomingRequest")
        let pending = try #require(execution.pending)
        #expect(pending.effect == .call(CallInstruction(kind: .sayPlay, properties: ["say": "Hello"])))
        let steps = try #require(interpreter.resume(&execution, sequence: pending.sequence, with: .callUnavailable("voice channel not available")))
        #expect(steps.map(\.error) == ["voice channel not available"])
        #expect(execution.hasEnded)
    }

    @Test func anUnsupportedWidgetFailsWithItsType() {
        let program = Self.program([
            Self.trigger(next: 1),
            CompiledState(name: "sub", type: "run-subflow", widget: .unsupported, transitions: [:]),
        ])
        var execution = Self.execution()
        let steps = FlowInterpreter(program: program).start(&execution, trigger: "incomingRequest")
        #expect(steps.last?.error == "widget type 'run-subflow' is not supported")
    }
}
