import Foundation
import Testing

@testable import Flows

@Suite struct FlowCompilerTests {
    static func compile(_ text: String) -> FlowCompilation {
        FlowCompiler.compile(JSONValue(parsing: text) ?? .null)
    }

    /// A definition starting at state `A` with `states` (the array's elements as JSON text).
    static func states(_ states: String) -> String { #"{"initial_state": "A", "states": [\#(states)]}"# }

    /// A definition whose state `A` is a split with one match transition carrying `condition`.
    static func condition(_ condition: String) -> String {
        states(#"{"name": "A", "type": "split-based-on", "properties": {"input": "{{flow.data.x}}"}, "transitions": [{"event": "match", "conditions": [\#(condition)]}]}"#)
    }

    static let endOfBranch: Int? = nil

    // MARK: - Valid exports

    /// An SMS bot as Studio exports it: offsets, unwired events, `next: ""`, defaults left out, numbers where
    /// strings are expected, UI-only properties, a state Parley cannot run.
    static let orderBot = #"""
        {"description": "Order bot", "$schema": "https://schemas.twilio.com/studio/draft/2019-09/flow-definition",
         "initial_state": "Trigger", "flags": {"allow_concurrent_calls": true}, "states": [
          {"name": "Trigger", "type": "trigger", "properties": {"offset": {"x": 0, "y": 0}},
           "transitions": [{"event": "incomingMessage", "next": "route"}, {"event": "incomingCall"}, {"event": "incomingConversationMessage"},
                           {"event": "incomingRequest", "next": "route"}, {"event": "incomingParent"}]},
          {"name": "route", "type": "split-based-on", "properties": {"input": "{{trigger.message.Body}}", "offset": {"x": 0, "y": 200}},
           "transitions": [{"event": "noMatch", "next": "help"},
                           {"event": "match", "next": "lookup", "conditions": [
                              {"friendly_name": "Order", "arguments": ["{{trigger.message.Body}}"], "type": "starts_with", "value": "order"},
                              {"friendly_name": "Long", "arguments": ["{{trigger.message.Body}}"], "type": "regex", "value": "^order\\s+\\d+$"}]},
                           {"event": "match", "next": "", "conditions": [
                              {"friendly_name": "Stop", "arguments": ["{{trigger.message.Body}}"], "type": "matches_any_of", "value": "stop, quit"}]}]},
          {"name": "lookup", "type": "make-http-request", "properties": {"url": "https://example.com/orders", "method": "post",
              "content_type": "application/json;charset=utf-8", "body": "{\"q\": \"{{trigger.message.Body}}\"}", "add_twilio_auth": false,
              "offset": {"x": 0, "y": 400}},
           "transitions": [{"event": "success", "next": "help"}, {"event": "failed", "next": ""}]},
          {"name": "help", "type": "send-message", "properties": {"body": "Text ORDER <number>", "service": "{{trigger.message.InstanceSid}}",
              "channel": "{{trigger.message.ChannelSid}}", "offset": {"x": 300, "y": 400}},
           "transitions": [{"event": "sent"}, {"event": "failed"}]},
          {"name": "wait", "type": "send-and-wait-for-reply", "properties": {"body": "?", "timeout": 60}, "transitions": []},
          {"name": "vars", "type": "set-variables", "properties": {"variables": [{"key": "n", "value": 3}, {"key": "j", "value": "[1]", "parse_as_json": true},
              {"key": "yes", "value": true}, {"key": "empty", "value": ""}]}, "transitions": [{"event": "next", "next": "Trigger"}]},
          {"name": "sub", "type": "run-subflow", "properties": {"flow_sid": "FW00000000000000000000000000000000", "flow_revision": "LatestPublished"},
           "transitions": [{"event": "completed"}, {"event": "failed"}]}
        ]}
        """#

    @Test func compilesAnSMSExportWithItsDefaults() throws {
        let compilation = Self.compile(Self.orderBot)
        #expect(compilation.problems == [])
        let program = try #require(compilation.program)
        #expect(program.initialState == 0 && program.allowsConcurrentCalls)
        #expect(program.states.map(\.name) == ["Trigger", "route", "lookup", "help", "wait", "vars", "sub"])
        #expect(program.states[0].transitions == [
            "incomingMessage": 1, "incomingCall": Self.endOfBranch, "incomingConversationMessage": Self.endOfBranch, "incomingRequest": 1,
            "incomingParent": Self.endOfBranch,
        ])
        guard case .trigger = program.states[0].widget else { Issue.record("not the trigger"); return }

        guard case .splitBasedOn(let split) = program.states[1].widget else { Issue.record("not a split"); return }
        #expect(split.input.source == "{{trigger.message.Body}}")
        #expect(split.branches.map(\.next) == [2, Self.endOfBranch])
        #expect(split.branches[0].conditions.map(\.friendlyName) == ["Order", "Long"])
        #expect(split.branches[0].conditions.map(\.comparison) == [.startsWith, .regex])
        #expect(split.branches[1].conditions.map(\.value.source) == ["stop, quit"])
        #expect(program.states[1].transitions == ["noMatch": 3], "match transitions are branches, not transitions")

        guard case .makeHTTPRequest(let request) = program.states[2].widget else { Issue.record("not HTTP"); return }
        #expect(request.method == "POST" && request.encoding == .json && request.url.source == "https://example.com/orders")
        #expect(request.body?.source == #"{"q": "{{trigger.message.Body}}"}"# && request.parameters.isEmpty)
        #expect(program.states[2].transitions == ["success": 3, "failed": Self.endOfBranch])

        guard case .sendMessage(let message) = program.states[3].widget else { Issue.record("not a message"); return }
        #expect(message.from.source == "{{flow.channel.address}}" && message.to.source == "{{contact.channel.address}}")
        #expect(message.body.source == "Text ORDER <number>" && message.mediaURL == nil)

        guard case .sendAndWaitForReply(let wait) = program.states[4].widget else { Issue.record("not a wait"); return }
        #expect(wait.timeout.source == "60" && wait.from.source == "{{flow.channel.address}}")
        #expect(program.states[4].transitions.isEmpty)

        guard case .setVariables(let assignments) = program.states[5].widget else { Issue.record("not variables"); return }
        #expect(assignments.map(\.key) == ["n", "j", "yes", "empty"])
        #expect(assignments.map(\.value.source) == ["3", "[1]", "true", ""])
        #expect(assignments.map(\.parsesJSON) == [false, true, false, false])
        #expect(program.states[5].next(after: "next") == 0)

        guard case .unsupported = program.states[6].widget else { Issue.record("a subflow is unsupported"); return }
        #expect(program.states[6].type == "run-subflow")
        #expect(compilation.definition?.description == "Order bot")
        #expect(compilation.definition?.states[1].transitions.map(\.next) == ["help", "lookup", nil])
    }

    /// A voice IVR: every voice widget keeps its scalar properties as templates.
    static let ivr = #"""
        {"description": "IVR", "initial_state": "Trigger", "flags": {"allow_concurrent_calls": false}, "states": [
          {"name": "Trigger", "type": "trigger", "properties": {"offset": {"x": 0, "y": 0}},
           "transitions": [{"event": "incomingMessage"}, {"event": "incomingCall", "next": "menu"}, {"event": "incomingRequest"}]},
          {"name": "menu", "type": "gather-input-on-call", "properties": {"say": "Press 1 for sales, 2 to leave a message", "voice": "alice",
              "language": "en-US", "loop": 1, "timeout": 5, "number_of_digits": 1, "finish_on_key": "#", "stop_gather": true,
              "profanity_filter": "true", "hints": "", "offset": {"x": 0, "y": 200}},
           "transitions": [{"event": "keypress", "next": "choice"}, {"event": "speech", "next": "choice"}, {"event": "timeout", "next": "menu"}]},
          {"name": "choice", "type": "split-based-on", "properties": {"input": "{{widgets.menu.Digits}}"},
           "transitions": [{"event": "noMatch", "next": "bye"},
                           {"event": "match", "next": "sales", "conditions": [{"friendly_name": "1", "arguments": ["{{widgets.menu.Digits}}"], "type": "equal_to", "value": "1"}]},
                           {"event": "match", "next": "voicemail", "conditions": [{"friendly_name": "2", "arguments": ["{{widgets.menu.Digits}}"], "type": "equal_to", "value": "2"}]}]},
          {"name": "sales", "type": "connect-call-to", "properties": {"noun": "number", "to": "+15005550006", "caller_id": "{{contact.channel.address}}",
              "timeout": 30, "record": false}, "transitions": [{"event": "callCompleted"}, {"event": "hangup"}]},
          {"name": "voicemail", "type": "record-voicemail", "properties": {"timeout": 5, "max_length": 3600, "finish_on_key": "#", "play_beep": "true",
              "trim": "trim-silence", "transcribe": false}, "transitions": [{"event": "recordingComplete", "next": "queue"}, {"event": "noAudio"}, {"event": "hangup"}]},
          {"name": "queue", "type": "enqueue-call", "properties": {"workflow_sid": "WW00000000000000000000000000000000", "priority": 5},
           "transitions": [{"event": "callComplete"}, {"event": "failedToEnqueue"}, {"event": "callFailure"}]},
          {"name": "stream", "type": "fork-stream", "properties": {"stream_action": "start", "stream_url": "wss://example.com/{{flow.sid}}",
              "stream_parameters": [{"key": "a", "value": "b"}]}, "transitions": [{"event": "next", "next": "twiml"}]},
          {"name": "twiml", "type": "add-twiml-redirect", "properties": {"url": "https://example.com/twiml", "method": "POST", "timeout": "14400"},
           "transitions": [{"event": "return", "next": "bye"}, {"event": "timeout"}, {"event": "fail"}]},
          {"name": "bye", "type": "say-play", "properties": {"play": "https://example.com/bye.mp3", "loop": 1, "offset": {"x": 0, "y": 900}},
           "transitions": [{"event": "audioComplete"}]},
          {"name": "flex", "type": "send-to-flex", "properties": {"workflow": "WW00000000000000000000000000000000", "channel": "TC00000000000000000000000000000000",
              "attributes": "{\"name\": \"{{trigger.call.From}}\"}", "waitUrl": ""}, "transitions": [{"event": "callComplete"}]}
        ]}
        """#

    @Test func compilesAVoiceExport() throws {
        let compilation = Self.compile(Self.ivr)
        #expect(compilation.problems == [])
        let program = try #require(compilation.program)
        #expect(!program.allowsConcurrentCalls)
        #expect(program.states[0].transitions == ["incomingMessage": Self.endOfBranch, "incomingCall": 1, "incomingRequest": Self.endOfBranch])
        #expect(program.states[1].transitions == ["keypress": 2, "speech": 2, "timeout": 1])
        guard case .voice(let gather) = program.states[1].widget else { Issue.record("not voice"); return }
        #expect(gather.kind == .gatherInputOnCall)
        #expect(gather.properties.mapValues(\.source) == [
            "say": "Press 1 for sales, 2 to leave a message", "voice": "alice", "language": "en-US", "loop": "1", "timeout": "5",
            "number_of_digits": "1", "finish_on_key": "#", "stop_gather": "true", "profanity_filter": "true", "hints": "",
        ])
        guard case .splitBasedOn(let split) = program.states[2].widget else { Issue.record("not a split"); return }
        #expect(split.branches.map(\.next) == [3, 4])
        let kinds = program.states[3...8].compactMap { state -> VoiceWidgetKind? in
            guard case .voice(let widget) = state.widget else { return nil }
            return widget.kind
        }
        #expect(kinds == [.connectCallTo, .recordVoicemail, .enqueueCall, .forkStream, .addTwiMLRedirect, .sayPlay])
        guard case .voice(let stream) = program.states[6].widget else { Issue.record("not voice"); return }
        #expect(stream.properties.keys.sorted() == ["stream_action", "stream_url"], "lists are not templates")
        guard case .unsupported = program.states[9].widget else { Issue.record("Flex is unsupported"); return }
    }

    /// A survey: form requests (lowercase method, bare content type), a function, splits on numbers, dates, blanks
    /// and a templated regex.
    static let survey = #"""
        {"initial_state": "Trigger", "states": [
          {"name": "Trigger", "type": "trigger", "properties": {}, "transitions": [{"event": "incomingRequest", "next": "ask"}]},
          {"name": "ask", "type": "send-and-wait-for-reply", "properties": {"from": "{{flow.channel.address}}", "body": "Score 0-10?",
              "media_url": "https://example.com/logo.png", "timeout": "600"},
           "transitions": [{"event": "incomingMessage", "next": "score"}, {"event": "timeout", "next": ""}, {"event": "deliveryFailure"}]},
          {"name": "score", "type": "split-based-on", "properties": {"input": "{{widgets.ask.inbound.Body | strip}}"},
           "transitions": [{"event": "noMatch", "next": "ask"},
                           {"event": "match", "next": "save", "conditions": [
                              {"friendly_name": "high", "arguments": [], "type": "greater_than", "value": "8"},
                              {"friendly_name": "not late", "arguments": [], "type": "is_before_date", "value": "2026-12-31"}]},
                           {"event": "match", "next": "save", "conditions": [
                              {"friendly_name": "low", "arguments": [], "type": "less_than", "value": -1.5}]},
                           {"event": "match", "next": "fn", "conditions": [
                              {"friendly_name": "blank", "arguments": [], "type": "is_blank", "value": "Is Blank"},
                              {"friendly_name": "own", "arguments": [], "type": "regex", "value": "^{{flow.data.pattern}}$"},
                              {"friendly_name": "hours", "arguments": [], "type": "is_after_time", "value": "{{flow.data.opens}}"}]}]},
          {"name": "save", "type": "make-http-request", "properties": {"method": "put", "url": "https://example.com/scores/{{contact.channel.address}}",
              "content_type": "application/x-www-form-urlencoded", "parameters": [{"key": "score", "value": "{{widgets.ask.inbound.Body}}"}, {"key": "n", "value": 1}]},
           "transitions": [{"event": "success", "next": "fn"}, {"event": "failed", "next": "fn"}]},
          {"name": "fn", "type": "run-function", "properties": {"service_sid": "ZS00000000000000000000000000000000", "url": "https://example-1234.twil.io/score",
              "parameters": [{"key": "from", "value": "{{contact.channel.address}}"}]},
           "transitions": [{"event": "success"}, {"event": "fail"}]}
        ]}
        """#

    @Test func compilesASurveyExport() throws {
        let compilation = Self.compile(Self.survey)
        #expect(compilation.problems == [])
        let program = try #require(compilation.program)
        #expect(program.initialState == 0 && !program.allowsConcurrentCalls)
        guard case .sendAndWaitForReply(let ask) = program.states[1].widget else { Issue.record("not a wait"); return }
        #expect(ask.mediaURL?.source == "https://example.com/logo.png" && ask.timeout.source == "600")
        #expect(program.states[1].transitions == ["incomingMessage": 2, "timeout": Self.endOfBranch, "deliveryFailure": Self.endOfBranch])
        guard case .splitBasedOn(let split) = program.states[2].widget else { Issue.record("not a split"); return }
        #expect(split.branches.map(\.next) == [3, 3, 4])
        #expect(split.branches.map { $0.conditions.map(\.comparison) } == [[.greaterThan, .isBeforeDate], [.lessThan], [.isBlank, .regex, .isAfterTime]])
        #expect(split.branches[1].conditions[0].value.source == "-1.5")
        guard case .makeHTTPRequest(let save) = program.states[3].widget else { Issue.record("not HTTP"); return }
        #expect(save.method == "PUT" && save.encoding == .form && save.body == nil)
        #expect(save.parameters.map(\.key) == ["score", "n"] && save.parameters.map(\.value.source) == ["{{widgets.ask.inbound.Body}}", "1"])
        guard case .runFunction(let function) = program.states[4].widget else { Issue.record("not a function"); return }
        #expect(function.url.source == "https://example-1234.twil.io/score" && function.parameters.map(\.key) == ["from"])
    }

    /// The flows the API and compatibility tests run (Tests/Fixtures/flows).
    @Test func compilesEveryFixtureFlow() throws {
        let directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/flows")
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil).filter { $0.pathExtension == "json" }
        #expect(files.count > 10)
        for file in files {
            let json = try #require(JSONValue(parsing: String(decoding: try Data(contentsOf: file), as: UTF8.self)))
            #expect(FlowCompiler.compile(json).problems == [], "\(file.lastPathComponent)")
        }
    }

    @Test(arguments: ["GET", "get", "Post", "PUT", "patch", "DELETE"])
    func acceptsEveryMethodInAnyCase(_ method: String) throws {
        let compilation = Self.compile(Self.states(#"{"name": "A", "type": "make-http-request", "properties": {"url": "u", "method": "\#(method)"}}"#))
        guard case .makeHTTPRequest(let request)? = compilation.program?.states[0].widget else { Issue.record("\(compilation.problems)"); return }
        #expect(request.method == method.uppercased())
    }

    @Test(arguments: [
        (nil, HTTPRequestWidget.BodyEncoding.form), ("application/x-www-form-urlencoded;charset=utf-8", .form),
        ("application/x-www-form-urlencoded", .form), ("application/json;charset=utf-8", .json), ("application/json", .json),
        ("Application/JSON; charset=UTF-8", .json),
    ])
    func readsTheContentType(_ contentType: String?, _ encoding: HTTPRequestWidget.BodyEncoding) throws {
        let property = contentType.map { #", "content_type": "\#($0)""# } ?? ""
        let compilation = Self.compile(Self.states(#"{"name": "A", "type": "make-http-request", "properties": {"url": "u"\#(property)}}"#))
        guard case .makeHTTPRequest(let request)? = compilation.program?.states[0].widget else { Issue.record("\(compilation.problems)"); return }
        #expect(request.encoding == encoding && request.method == "GET")
    }

    @Test func theCatalogueListsEachTypesEventsInStudiosOrder() {
        #expect(WidgetCatalogue.events(of: "send-and-wait-for-reply") == ["incomingMessage", "timeout", "deliveryFailure"])
        #expect(WidgetCatalogue.events(of: "split-based-on") == ["noMatch", "match"])
        #expect(WidgetCatalogue.events(of: "send-fax") == nil)
        #expect(VoiceWidgetKind.allCases.allSatisfy { WidgetCatalogue.entries[$0.rawValue]?.isSupported == true })
        #expect(WidgetCatalogue.entries.filter { !$0.value.isSupported }.keys.sorted()
            == ["connect-virtual-agent", "make-outgoing-call-v1", "run-subflow", "send-to-auto-pilot", "send-to-flex"])
    }
}
