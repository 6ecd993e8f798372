import Foundation
import Testing

@testable import Flows

@Suite struct FlowCompilerTests {
    /// A Studio export's shape: offsets, unwired events, a split with a condition, defaults left out.
    static let export = #"""
        {"description": "Order bot", "$schema": "https://schemas.twilio.com/studio/draft/2019-09/flow-definition",
         "initial_state": "Trigger", "flags": {"allow_concurrent_calls": true}, "states": [
          {"name": "Trigger", "type": "trigger", "properties": {"offset": {"x": 0, "y": 0}},
           "transitions": [{"event": "incomingMessage", "next": "route"}, {"event": "incomingCall"}, {"event": "incomingRequest", "next": "route"}]},
          {"name": "route", "type": "split-based-on", "properties": {"input": "{{trigger.message.Body}}", "offset": {"x": 0, "y": 200}},
           "transitions": [{"event": "noMatch", "next": "help"},
                           {"event": "match", "next": "lookup", "conditions": [
                              {"friendly_name": "Order", "arguments": ["{{trigger.message.Body}}"], "type": "starts_with", "value": "order"}]}]},
          {"name": "lookup", "type": "make-http-request", "properties": {"url": "https://example.com/orders", "method": "post",
              "content_type": "application/json;charset=utf-8", "body": "{\"q\": \"{{trigger.message.Body}}\"}"},
           "transitions": [{"event": "success", "next": "help"}, {"event": "failed", "next": ""}]},
          {"name": "help", "type": "send-message", "properties": {"body": "Text ORDER <number>"}, "transitions": [{"event": "sent"}, {"event": "failed"}]},
          {"name": "wait", "type": "send-and-wait-for-reply", "properties": {"body": "?", "timeout": 60}, "transitions": []},
          {"name": "vars", "type": "set-variables", "properties": {"variables": [{"key": "n", "value": 3}, {"key": "j", "value": "[1]", "parse_as_json": true}]}},
          {"name": "sub", "type": "run-subflow", "properties": {"flow_sid": "FW00000000000000000000000000000000", "flow_revision": "LatestPublished"}},
          {"name": "greet", "type": "say-play", "properties": {"say": "Hi {{contact.channel.address}}", "loop": 2}, "transitions": [{"event": "audioComplete"}]}
        ]}
        """#

    static func compile(_ text: String) -> FlowCompilation {
        FlowCompiler.compile(JSONValue(parsing: text) ?? .null)
    }

    @Test func compilesAStudioExportWithItsDefaults() throws {
        let compilation = Self.compile(Self.export)
        #expect(compilation.problems == [])
        let program = try #require(compilation.program)
        #expect(program.allowsConcurrentCalls)
        #expect(program.states.map(\.name) == ["Trigger", "route", "lookup", "help", "wait", "vars", "sub", "greet"])
        let endOfBranch: Int? = nil
        #expect(program.states[0].transitions == ["incomingMessage": 1, "incomingCall": endOfBranch, "incomingRequest": 1])
        guard case .splitBasedOn(let split) = program.states[1].widget else { Issue.record("not a split"); return }
        #expect(split.branches.count == 1 && split.branches[0].next == 2 && split.branches[0].conditions[0].comparison == .startsWith)
        #expect(program.states[1].transitions == ["noMatch": 3])
        guard case .makeHTTPRequest(let request) = program.states[2].widget else { Issue.record("not HTTP"); return }
        #expect(request.method == "POST" && request.encoding == .json && request.body != nil)
        #expect(program.states[2].next(after: "failed") == nil)
        guard case .sendMessage(let message) = program.states[3].widget else { Issue.record("not a message"); return }
        #expect(message.from.source == "{{flow.channel.address}}" && message.to.source == "{{contact.channel.address}}")
        guard case .sendAndWaitForReply(let wait) = program.states[4].widget else { Issue.record("not a wait"); return }
        #expect(wait.timeout.source == "60")
        guard case .setVariables(let assignments) = program.states[5].widget else { Issue.record("not variables"); return }
        #expect(assignments.map(\.key) == ["n", "j"] && assignments.map(\.parsesJSON) == [false, true] && assignments[0].value.source == "3")
        guard case .unsupported = program.states[6].widget else { Issue.record("a subflow should be unsupported"); return }
        guard case .voice(let say) = program.states[7].widget else { Issue.record("not voice"); return }
        #expect(say.kind == .sayPlay && say.properties["loop"]?.source == "2" && say.properties["offset"] == nil)
        #expect(compilation.definition?.description == "Order bot")
    }

    @Test(arguments: [
        (#"[]"#, "#", "the definition must be a JSON object"),
        (#"{"initial_state": "A", "states": "x"}"#, "#/states", "states must be an array"),
        (#"{"initial_state": "A", "states": []}"#, "#/states", "states must have 1 to 1000 states"),
        (#"{"initial_state": "B", "states": [{"name": "A", "type": "trigger"}]}"#, "#/initial_state", "initial_state 'B' is not a state"),
        (#"{"initial_state": "A", "$schema": "x", "states": [{"name": "A", "type": "trigger"}]}"#, "#/$schema", "$schema must be"),
        (#"{"initial_state": "A", "flags": {}, "states": [{"name": "A", "type": "trigger"}]}"#, "#/flags", "flags must be an object"),
        (#"{"initial_state": "A", "states": [{"name": "A", "type": "trigger"}, {"name": "A", "type": "trigger"}]}"#,
         "#/states/1/name", "duplicate state name 'A' (also #/states/0)"),
        (#"{"initial_state": "A", "states": [{"name": "A", "type": "send-fax"}]}"#, "#/states/0/type", "state 'A': unknown widget type 'send-fax'"),
        (#"{"initial_state": "A", "states": [{"name": "A", "type": "trigger", "transitions": [{"event": "incomingRequest", "next": "Z"}]}]}"#,
         "#/states/0/transitions/0/next", "state 'A' (trigger) transition 'incomingRequest' goes to 'Z', which is not a state"),
        (#"{"initial_state": "A", "states": [{"name": "A", "type": "trigger", "transitions": [{"event": "sent"}]}]}"#,
         "#/states/0/transitions/0/event", "state 'A' (trigger): unknown event 'sent'"),
        (#"{"initial_state": "A", "states": [{"name": "A", "type": "make-http-request", "properties": {}}]}"#,
         "#/states/0/properties/url", "state 'A' (make-http-request): property 'url' is required"),
        (#"{"initial_state": "A", "states": [{"name": "A", "type": "say-play", "properties": {}}]}"#,
         "#/states/0/properties/say", "property 'say' or 'play' is required"),
        (#"{"initial_state": "A", "states": [{"name": "A", "type": "send-message", "properties": {"body": "{% if x %}"}}]}"#,
         "#/states/0/properties/body", "state 'A' (send-message) property 'body': 'if' is not closed (expected 'endif')"),
        (#"{"initial_state": "A", "states": [{"name": "A", "type": "make-http-request", "properties": {"url": "x", "method": "TRACE"}}]}"#,
         "#/states/0/properties/method", "property 'method' must be GET, POST, PUT, PATCH or DELETE"),
        (#"{"initial_state": "A", "states": [{"name": "A", "type": "split-based-on", "properties": {"input": "x"}, "transitions": [{"event": "match", "conditions": [{"friendly_name": "R", "type": "regex", "value": "([a"}]}]}]}"#,
         "#/states/0/transitions/0/conditions/0/value", "state 'A' (split-based-on) condition 'R' has an invalid regex: '([a'"),
        (#"{"initial_state": "A", "states": [{"name": "A", "type": "split-based-on", "properties": {"input": "x"}, "transitions": [{"event": "match", "conditions": [{"friendly_name": "N", "type": "less_than", "value": "ten"}]}]}]}"#,
         "#/states/0/transitions/0/conditions/0/value", "condition 'N' needs a number, not 'ten'"),
        (#"{"initial_state": "A", "states": [{"name": "A", "type": "split-based-on", "properties": {"input": "x"}, "transitions": [{"event": "match", "conditions": [{"friendly_name": "T", "type": "is_before_time", "value": "25:00"}]}]}]}"#,
         "#/states/0/transitions/0/conditions/0/value", "needs a time as HH:MM, not '25:00'"),
        (#"{"initial_state": "A", "states": [{"name": "A", "type": "split-based-on", "properties": {"input": "x"}, "transitions": [{"event": "match", "conditions": [{"friendly_name": "O", "type": "sounds_like", "value": "x"}]}]}]}"#,
         "#/states/0/transitions/0/conditions/0/type", "condition 'O': unknown operator 'sounds_like'"),
        (#"{"initial_state": "A", "states": [{"name": "A", "type": "set-variables", "properties": {"variables": [{"value": "x"}]}}]}"#,
         "#/states/0/properties/variables/0", "variables[0] needs a key and a value"),
    ])
    func reportsTheProblemWithItsPath(_ text: String, _ path: String, _ message: String) {
        let compilation = Self.compile(text)
        #expect(compilation.program == nil)
        #expect(compilation.problems.contains { $0.propertyPath == path && $0.message.contains(message) }, "\(compilation.problems)")
    }

    @Test func reportsEveryProblemNotJustTheFirst() {
        let compilation = Self.compile(#"""
            {"initial_state": "A", "states": [{"name": "A", "type": "send-message", "transitions": [{"event": "sent", "next": "B"}]},
                                              {"name": "A", "type": "nope"}]}
            """#)
        #expect(compilation.problems.map(\.propertyPath) == ["#/states/1/name", "#/states/0/transitions/0/next", "#/states/0/properties/body", "#/states/1/type"])
    }
}
