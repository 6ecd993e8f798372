import Foundation
import Testing

@testable import Flows

/// Every rule of the compiler, broken once: the exact problem and its JSON pointer.
@Suite struct FlowCompilerProblemTests {
    typealias Case = (definition: String, path: String, message: String)

    static func states(_ states: String) -> String { FlowCompilerTests.states(states) }
    static func condition(_ condition: String) -> String { FlowCompilerTests.condition(condition) }
    static let trigger = #"{"name": "A", "type": "trigger"}"#

    func expectOneProblem(_ test: Case) {
        let compilation = FlowCompilerTests.compile(test.definition)
        #expect(compilation.program == nil)
        #expect(compilation.problems == [FlowProblem(message: test.message, propertyPath: test.path)])
    }

    @Test(arguments: [
        (#"[]"#, "#", "the definition must be a JSON object"),
        (#"{"description": 7, "initial_state": "A", "states": [{"name": "A", "type": "trigger"}]}"#, "#/description", "description must be a string"),
        (#"{"$schema": "https://example.com/schema", "initial_state": "A", "states": [{"name": "A", "type": "trigger"}]}"#, "#/$schema",
         "$schema must be https://schemas.twilio.com/studio/draft/2019-09/flow-definition"),
        (#"{"flags": {}, "initial_state": "A", "states": [{"name": "A", "type": "trigger"}]}"#, "#/flags",
         "flags must be an object with a boolean allow_concurrent_calls"),
        (#"{"flags": {"allow_concurrent_calls": "yes"}, "initial_state": "A", "states": [{"name": "A", "type": "trigger"}]}"#, "#/flags",
         "flags must be an object with a boolean allow_concurrent_calls"),
        (#"{"flags": true, "initial_state": "A", "states": [{"name": "A", "type": "trigger"}]}"#, "#/flags",
         "flags must be an object with a boolean allow_concurrent_calls"),
        (#"{"states": [{"name": "A", "type": "trigger"}]}"#, "#/initial_state", "initial_state is required"),
        (#"{"initial_state": "", "states": [{"name": "A", "type": "trigger"}]}"#, "#/initial_state", "initial_state is required"),
        (#"{"initial_state": 1, "states": [{"name": "A", "type": "trigger"}]}"#, "#/initial_state", "initial_state must be a state name"),
        (#"{"initial_state": "B", "states": [{"name": "A", "type": "trigger"}]}"#, "#/initial_state", "initial_state 'B' is not a state"),
        (#"{"initial_state": "A"}"#, "#/states", "states must be an array"),
        (#"{"initial_state": "A", "states": {"A": {}}}"#, "#/states", "states must be an array"),
    ] as [Case])
    func checksTheDefinitionsShape(_ test: Case) { expectOneProblem(test) }

    @Test func checksTheNumberOfStates() {
        let empty = FlowCompilerTests.compile(#"{"initial_state": "A", "states": []}"#)
        #expect(empty.problems == [
            FlowProblem(message: "states must have 1 to 1000 states", propertyPath: "#/states"),
            FlowProblem(message: "initial_state 'A' is not a state", propertyPath: "#/initial_state"),
        ])
        let many = (0...1000).map { #"{"name": "s\#($0)", "type": "trigger"}"# }.joined(separator: ",")
        #expect(FlowCompilerTests.compile(#"{"initial_state": "s0", "states": [\#(many)]}"#).problems == [
            FlowProblem(message: "states must have 1 to 1000 states", propertyPath: "#/states")
        ])
        let enough = (0..<1000).map { #"{"name": "s\#($0)", "type": "trigger"}"# }.joined(separator: ",")
        #expect(FlowCompilerTests.compile(#"{"initial_state": "s0", "states": [\#(enough)]}"#).program?.states.count == 1000)
    }

    @Test(arguments: [
        (states(#"\#(trigger), "B""#), "#/states/1", "a state must be an object"),
        (states(#"\#(trigger), {"type": "trigger"}"#), "#/states/1/name", "a state needs a name"),
        (states(#"\#(trigger), {"name": "", "type": "trigger"}"#), "#/states/1/name", "a state needs a name"),
        (states(#"\#(trigger), {"name": "B"}"#), "#/states/1/type", "state 'B' needs a type"),
        (states(#"\#(trigger), {"name": "A", "type": "trigger"}"#), "#/states/1/name", "duplicate state name 'A' (also #/states/0)"),
        (states(#"{"name": "A", "type": "send-fax"}"#), "#/states/0/type", "state 'A': unknown widget type 'send-fax'"),
        (states(#"{"name": "A", "type": "trigger", "properties": []}"#), "#/states/0/properties", "state 'A': properties must be an object"),
        (states(#"{"name": "A", "type": "trigger", "transitions": {}}"#), "#/states/0/transitions", "state 'A': transitions must be an array"),
        (states(#"{"name": "A", "type": "trigger", "transitions": ["incomingMessage"]}"#), "#/states/0/transitions/0",
         "state 'A': a transition must be an object"),
        (states(#"{"name": "A", "type": "trigger", "transitions": [{"next": "A"}]}"#), "#/states/0/transitions/0/event",
         "state 'A': a transition needs an event"),
        (states(#"{"name": "A", "type": "trigger", "transitions": [{"event": "incomingMessage", "next": 1}]}"#), "#/states/0/transitions/0/next",
         "state 'A' transition 'incomingMessage': next must be a state name"),
        (states(#"{"name": "A", "type": "trigger", "transitions": [{"event": "incomingMessage", "conditions": {}}]}"#),
         "#/states/0/transitions/0/conditions", "state 'A' transition 'incomingMessage': conditions must be an array"),
        (states(#"{"name": "A", "type": "trigger", "transitions": [{"event": "incomingRequest", "next": "nowhere"}]}"#), "#/states/0/transitions/0/next",
         "state 'A' (trigger) transition 'incomingRequest' goes to 'nowhere', which is not a state"),
        (states(#"{"name": "A", "type": "send-message", "properties": {"body": "x"}, "transitions": [{"event": "incomingMessage"}]}"#),
         "#/states/0/transitions/0/event", "state 'A' (send-message): unknown event 'incomingMessage' (it has sent, failed)"),
        (states(#"{"name": "A", "type": "run-subflow", "transitions": [{"event": "success"}]}"#),
         "#/states/0/transitions/0/event", "state 'A' (run-subflow): unknown event 'success' (it has completed, failed)"),
        (states(#"{"name": "A", "type": "split-based-on", "properties": {"input": "x"}, "transitions": [{"event": "noMatch", "conditions": [{"type": "is_blank"}]}]}"#),
         "#/states/0/transitions/0/conditions", "state 'A' (split-based-on): only a split's match transitions have conditions"),
    ] as [Case])
    func checksStatesAndTransitions(_ test: Case) { expectOneProblem(test) }

    @Test(arguments: [
        ("send-message", "body", "'body'"), ("send-and-wait-for-reply", "body", "'body'"), ("make-http-request", "url", "'url'"),
        ("run-function", "url", "'url'"), ("split-based-on", "input", "'input'"), ("say-play", "say", "'say' or 'play'"),
        ("connect-call-to", "to", "'to'"), ("enqueue-call", "queue_name", "'queue_name' or 'workflow_sid'"),
        ("fork-stream", "stream_action", "'stream_action'"), ("add-twiml-redirect", "url", "'url'"),
    ])
    func requiresItsProperties(_ type: String, _ property: String, _ names: String) {
        expectOneProblem((Self.states(#"{"name": "A", "type": "\#(type)", "properties": {"offset": {"x": 1, "y": 2}}}"#),
                          "#/states/0/properties/\(property)", "state 'A' (\(type)): property \(names) is required"))
    }

    @Test(arguments: ["gather-input-on-call", "record-voicemail", "make-outgoing-call-v2", "record-call", "capture-payments", "set-variables",
                      "trigger", "send-to-flex", "run-subflow", "connect-virtual-agent", "send-to-auto-pilot", "make-outgoing-call-v1"])
    func needsNoProperty(_ type: String) {
        #expect(FlowCompilerTests.compile(Self.states(#"{"name": "A", "type": "\#(type)", "properties": {}}"#)).problems == [])
    }

    @Test(arguments: [
        (states(#"{"name": "A", "type": "send-message", "properties": {"body": null}}"#), "#/states/0/properties/body",
         "state 'A' (send-message): property 'body' is required"),
        (states(#"{"name": "A", "type": "send-message", "properties": {"body": {"text": "hi"}}}"#), "#/states/0/properties/body",
         "state 'A' (send-message): property 'body' must be a string"),
        (states(#"{"name": "A", "type": "make-http-request", "properties": {"url": "u", "method": "TRACE"}}"#), "#/states/0/properties/method",
         "state 'A' (make-http-request): property 'method' must be GET, POST, PUT, PATCH or DELETE"),
        (states(#"{"name": "A", "type": "make-http-request", "properties": {"url": "u", "method": 1}}"#), "#/states/0/properties/method",
         "state 'A' (make-http-request): property 'method' must be GET, POST, PUT, PATCH or DELETE"),
        (states(#"{"name": "A", "type": "make-http-request", "properties": {"url": "u", "content_type": "text/plain"}}"#), "#/states/0/properties/content_type",
         "state 'A' (make-http-request): property 'content_type' must be application/x-www-form-urlencoded;charset=utf-8 or application/json;charset=utf-8"),
        (states(#"{"name": "A", "type": "make-http-request", "properties": {"url": "u", "content_type": "application/json;charset=latin1"}}"#),
         "#/states/0/properties/content_type",
         "state 'A' (make-http-request): property 'content_type' must be application/x-www-form-urlencoded;charset=utf-8 or application/json;charset=utf-8"),
        (states(#"{"name": "A", "type": "run-function", "properties": {"url": "u", "parameters": {"a": "b"}}}"#), "#/states/0/properties/parameters",
         "state 'A' (run-function): property 'parameters' must be an array of {key, value}"),
        (states(#"{"name": "A", "type": "run-function", "properties": {"url": "u", "parameters": [{"value": "b"}]}}"#), "#/states/0/properties/parameters/0/key",
         "state 'A' (run-function): parameters[0] needs a non-empty key"),
        (states(#"{"name": "A", "type": "make-http-request", "properties": {"url": "u", "parameters": [{"key": "a"}]}}"#), "#/states/0/properties/parameters/0/value",
         "state 'A' (make-http-request): parameters[0] ('a') needs a string value"),
        (states(#"{"name": "A", "type": "set-variables", "properties": {"variables": "a=b"}}"#), "#/states/0/properties/variables",
         "state 'A' (set-variables): property 'variables' must be an array of {key, value}"),
        (states(#"{"name": "A", "type": "set-variables", "properties": {"variables": [{"key": "a", "value": "1"}, {"key": "", "value": "x"}]}}"#),
         "#/states/0/properties/variables/1/key", "state 'A' (set-variables): variables[1] needs a non-empty key"),
        (states(#"{"name": "A", "type": "set-variables", "properties": {"variables": [{"key": "a", "value": {"b": 1}}]}}"#),
         "#/states/0/properties/variables/0/value", "state 'A' (set-variables): variables[0] ('a') needs a string value"),
        (states(#"{"name": "A", "type": "fork-stream", "properties": {"stream_action": "pause"}}"#), "#/states/0/properties/stream_action",
         "state 'A' (fork-stream): property 'stream_action' must be start or stop"),
    ] as [Case])
    func checksWidgetProperties(_ test: Case) { expectOneProblem(test) }

    @Test(arguments: [
        (condition(#""equal_to""#), "#/states/0/transitions/0/conditions/0", "state 'A' (split-based-on): a condition must be an object"),
        (condition(#"{"friendly_name": "O", "type": "sounds_like", "value": "x"}"#), "#/states/0/transitions/0/conditions/0/type",
         "state 'A' (split-based-on) condition 'O': unknown operator 'sounds_like'"),
        (condition(#"{"value": "x"}"#), "#/states/0/transitions/0/conditions/0/type", "state 'A' (split-based-on) condition '0': unknown operator ''"),
        (condition(#"{"friendly_name": "V", "type": "equal_to", "value": ["x"]}"#), "#/states/0/transitions/0/conditions/0/value",
         "state 'A' (split-based-on) condition 'V': value must be a string"),
        (condition(#"{"friendly_name": "Zip", "type": "regex", "value": "([a-z"}"#), "#/states/0/transitions/0/conditions/0/value",
         "state 'A' (split-based-on) condition 'Zip' has an invalid regex: '([a-z'"),
        (condition(#"{"friendly_name": "N", "type": "less_than", "value": "ten"}"#), "#/states/0/transitions/0/conditions/0/value",
         "state 'A' (split-based-on) condition 'N' needs a number, not 'ten'"),
        (condition(#"{"friendly_name": "N", "type": "greater_than", "value": ""}"#), "#/states/0/transitions/0/conditions/0/value",
         "state 'A' (split-based-on) condition 'N' needs a number, not ''"),
        (condition(#"{"friendly_name": "T", "type": "is_before_time", "value": "25:00"}"#), "#/states/0/transitions/0/conditions/0/value",
         "state 'A' (split-based-on) condition 'T' needs a time as HH:MM, not '25:00'"),
        (condition(#"{"friendly_name": "T", "type": "is_after_time", "value": "5pm"}"#), "#/states/0/transitions/0/conditions/0/value",
         "state 'A' (split-based-on) condition 'T' needs a time as HH:MM, not '5pm'"),
        (condition(#"{"friendly_name": "D", "type": "is_before_date", "value": "2026-13-01"}"#), "#/states/0/transitions/0/conditions/0/value",
         "state 'A' (split-based-on) condition 'D' needs a date as YYYY-MM-DD, not '2026-13-01'"),
        (condition(#"{"friendly_name": "D", "type": "is_after_date", "value": "12/24/2026"}"#), "#/states/0/transitions/0/conditions/0/value",
         "state 'A' (split-based-on) condition 'D' needs a date as YYYY-MM-DD, not '12/24/2026'"),
    ] as [Case])
    func checksSplitConditions(_ test: Case) { expectOneProblem(test) }

    @Test(arguments: [
        #"{"type": "regex", "value": "^{{flow.data.pattern}}$"}"#, #"{"type": "regex", "value": "{% if x %}([a{% endif %}"}"#,
        #"{"type": "less_than", "value": "{{flow.variables.limit}}"}"#, #"{"type": "is_before_time", "value": "{{flow.data.closes}}"}"#,
        #"{"type": "is_after_date", "value": "{{ 'now' | date: '%Y-%m-%d' }}"}"#, #"{"type": "is_before_time", "value": " 09:30 "}"#,
        #"{"type": "greater_than", "value": 8}"#, #"{"type": "is_blank"}"#,
    ])
    func acceptsTemplatedAndLiteralConditionValues(_ condition: String) {
        #expect(FlowCompilerTests.compile(Self.condition(condition)).problems == [])
    }

    @Test(arguments: [
        (states(#"{"name": "A", "type": "send-message", "properties": {"body": "{{ name | nosuchfilter }}"}}"#), "#/states/0/properties/body",
         "state 'A' (send-message) property 'body': line 1: unknown filter 'nosuchfilter'"),
        (states(#"{"name": "A", "type": "send-and-wait-for-reply", "properties": {"body": "{% if x %}yes"}}"#), "#/states/0/properties/body",
         "state 'A' (send-and-wait-for-reply) property 'body': 'if' is not closed (expected 'endif')"),
        (states(#"{"name": "A", "type": "send-message", "properties": {"body": "b", "to": "{{ contact.channel.address"}}"#), "#/states/0/properties/to",
         "state 'A' (send-message) property 'to': line 1: '{{' is not closed"),
        (states(#"{"name": "A", "type": "split-based-on", "properties": {"input": "{% frobnicate %}"}}"#), "#/states/0/properties/input",
         "state 'A' (split-based-on) property 'input': line 1: unknown tag 'frobnicate'"),
        (states(#"{"name": "A", "type": "make-http-request", "properties": {"url": "u", "parameters": [{"key": "q", "value": "{{ q | upcasee }}"}]}}"#),
         "#/states/0/properties/parameters/0/value", "state 'A' (make-http-request) parameter 'q': line 1: unknown filter 'upcasee'"),
        (states(#"{"name": "A", "type": "set-variables", "properties": {"variables": [{"key": "v", "value": "{% if %}"}]}}"#),
         "#/states/0/properties/variables/0/value", "state 'A' (set-variables) variable 'v': line 1: expected a value"),
        (states(#"{"name": "A", "type": "say-play", "properties": {"say": "\n{{ 'hi' | nosuchfilter }}"}}"#), "#/states/0/properties/say",
         "state 'A' (say-play) property 'say': line 2: unknown filter 'nosuchfilter'"),
        (condition(#"{"friendly_name": "C", "type": "equal_to", "value": "{% endif %}"}"#), "#/states/0/transitions/0/conditions/0/value",
         "state 'A' (split-based-on) condition 'C': line 1: unexpected 'endif'"),
    ] as [Case])
    func refusesTemplatesThatDoNotParse(_ test: Case) { expectOneProblem(test) }

    @Test func reportsEveryProblemNotJustTheFirst() {
        let compilation = FlowCompilerTests.compile(#"""
            {"initial_state": "A", "$schema": "x", "states": [
              {"name": "A", "type": "send-message", "transitions": [{"event": "sent", "next": "B"}, {"event": "nope"}]},
              {"name": "A", "type": "nope"},
              {"name": "C", "type": "make-http-request", "properties": {"url": "{{ x | nosuchfilter }}", "method": "TRACE"}}]}
            """#)
        #expect(compilation.problems.map(\.propertyPath) == [
            "#/$schema", "#/states/1/name", "#/states/0/transitions/0/next", "#/states/0/transitions/1/event", "#/states/0/properties/body",
            "#/states/1/type", "#/states/2/properties/method", "#/states/2/properties/url",
        ])
        #expect(compilation.definition?.states.count == 3, "the definition is read even when it has problems")
    }

    @Test func pathsStayRightPastAStateThatCannotBeRead() {
        let compilation = FlowCompilerTests.compile(Self.states(#"7, {"name": "B"}, {"name": "A", "type": "trigger"}, {"name": "A", "type": "send-message"}"#))
        #expect(compilation.problems == [
            FlowProblem(message: "a state must be an object", propertyPath: "#/states/0"),
            FlowProblem(message: "state 'B' needs a type", propertyPath: "#/states/1/type"),
            FlowProblem(message: "duplicate state name 'A' (also #/states/2)", propertyPath: "#/states/3/name"),
            FlowProblem(message: "state 'A' (send-message): property 'body' is required", propertyPath: "#/states/3/properties/body"),
        ])
    }
}
