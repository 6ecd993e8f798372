@testable import APIGateway
import Flows
import Foundation
@testable import Messaging
import Platform
import Testing

/// The pure parts of the Studio API: flow and execution parameters, definition errors, the diagram's path and the
/// resources' shapes.
@Suite struct StudioParsingTests {
    static let definition = #"{"initial_state": "Trigger", "states": [{"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingRequest"}]}]}"#

    static func form(_ pairs: [(String, String)]) -> FormParameters { FormParameters(pairs) }

    /// The JSON object `bytes` hold.
    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    static func code(_ body: () throws -> Any) -> Int? {
        do {
            _ = try body()
            return nil
        } catch let error as APIError {
            return error.code
        } catch {
            return -1
        }
    }

    @Test func createNeedsANameAStatusAndADefinition() throws {
        let complete = [("FriendlyName", "Bot"), ("Status", "draft"), ("Definition", Self.definition), ("CommitMessage", "first")]
        let (fields, compilation) = try StudioParameters.fields(Self.form(complete), requireName: true, requireDefinition: true)
        #expect(fields.friendlyName == "Bot" && fields.status == .draft && fields.commitMessage == "first")
        #expect(compilation?.program != nil)
        for missing in ["FriendlyName", "Status", "Definition"] {
            let form = Self.form(complete.filter { $0.0 != missing })
            #expect(Self.code { try StudioParameters.fields(form, requireName: true, requireDefinition: true) } == 20001, "\(missing)")
        }
        let badStatus = Self.form(complete.map { $0.0 == "Status" ? ("Status", "live") : $0 })
        #expect(Self.code { try StudioParameters.fields(badStatus, requireName: true, requireDefinition: true) } == 20001)
    }

    @Test func friendlyNamesHaveAtMost256Characters() throws {
        func form(_ name: String) -> FormParameters { Self.form([("FriendlyName", name), ("Status", "published"), ("Definition", Self.definition)]) }
        let longest = String(repeating: "é", count: 256)
        #expect(try StudioParameters.fields(form(longest), requireName: true, requireDefinition: true).0.friendlyName == longest)
        #expect(Self.code { try StudioParameters.fields(form(longest + "x"), requireName: true, requireDefinition: true) } == 20002)
    }

    @Test func theDefinitionIsStoredAsSent() throws {
        let text = "{ \"states\" : [{\"name\": \"Trigger\", \"type\": \"trigger\", \"transitions\": []}],\n  \"initial_state\": \"Trigger\" }"
        let form = Self.form([("FriendlyName", "Bot"), ("Status", "draft"), ("Definition", text)])
        #expect(try StudioParameters.fields(form, requireName: true, requireDefinition: true).0.definition == text)
    }

    @Test func anUpdateNeedsOnlyAStatus() throws {
        let (fields, compilation) = try StudioParameters.fields(Self.form([("Status", "published")]), requireName: false, requireDefinition: false)
        #expect(fields.status == .published && fields.friendlyName == nil && fields.definition == nil && compilation == nil)
        #expect(Self.code { try StudioParameters.fields(Self.form([("FriendlyName", "x")]), requireName: false, requireDefinition: false) } == 20001)
        let broken = Self.form([("Status", "draft"), ("Definition", "{}")])
        #expect(Self.code { try StudioParameters.fields(broken, requireName: false, requireDefinition: false) } == 81022)
    }

    @Test func aDefinitionThatIsNotJSONIsAnInvalidDefinition() throws {
        let form = Self.form([("FriendlyName", "Bot"), ("Status", "draft"), ("Definition", "{not json")])
        let error = try #require(throws: APIError.self) { try StudioParameters.fields(form, requireName: true, requireDefinition: true) }
        #expect(error.status == 400 && error.code == 81022 && error.message == "Invalid Flow Definition")
        let details = try Self.object(try #require(error.details))
        let errors = try #require(details["errors"] as? [[String: Any]])
        #expect(errors.count == 1 && errors[0]["property_path"] as? String == "#" && errors[0]["message"] is String)
    }

    @Test func everyProblemIsListedWithItsPath() throws {
        let text = #"{"initial_state": "Nowhere", "states": [{"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingRequest", "next": "Missing"}]}]}"#
        let expected = FlowCompiler.compile(try #require(JSONValue(parsing: text))).problems
        #expect(expected.count >= 2)
        let form = Self.form([("FriendlyName", "Bot"), ("Status", "draft"), ("Definition", text)])
        let error = try #require(throws: APIError.self) { try StudioParameters.fields(form, requireName: true, requireDefinition: true) }
        #expect(error.status == 400 && error.code == 81022 && error.moreInfo == "https://www.twilio.com/docs/errors/81022")
        let details = try Self.object(try #require(error.details))
        let errors = try #require(details["errors"] as? [[String: String]])
        #expect(errors == expected.map { ["message": $0.message, "property_path": $0.propertyPath] })
    }

    @Test func anExecutionNeedsAContactAndAFlowAddress() throws {
        let trigger = try StudioParameters.trigger(Self.form([("To", "+15551230000"), ("From", "+15005550006"), ("Parameters", #"{"n": 1}"#)]))
        #expect(trigger.event == "incomingRequest" && trigger.initiatedBy == nil)
        #expect(trigger.contactAddress == "+15551230000" && trigger.flowAddress == "+15005550006")
        #expect(trigger.data == .object(["n": .integer(1)]))
        #expect(trigger.variables == [
            "request": .object(["from": .string("+15005550006"), "to": .string("+15551230000"), "parameters": .object(["n": .integer(1)])]),
        ])
        let bare = try StudioParameters.trigger(Self.form([("To", "a"), ("From", "b")]))
        #expect(bare.data == .object([:]) && bare.variables["request"]?["parameters"] == .object([:]))
        for form in [[("From", "b")], [("To", "a")], [("To", ""), ("From", "b")], [("To", "a"), ("From", "b"), ("Parameters", "[1]")],
            [("To", "a"), ("From", "b"), ("Parameters", "{nope")]]
        {
            #expect(Self.code { try StudioParameters.trigger(Self.form(form)) } == 20001, "\(form)")
        }
    }

    @Test func executionsAreFilteredByStatusInEitherSpellingAndByDates() throws {
        let filter = try StudioParameters.executionFilter(
            Self.form([("status", "active"), ("DateCreatedFrom", "2026-11-21T20:00:00Z"), ("DateCreatedTo", "2026-11-22")]))
        #expect(filter.status == .active)
        #expect(filter.from == Date(timeIntervalSince1970: 1_795_291_200))
        #expect(filter.to == Date(timeIntervalSince1970: 1_795_305_600))
        #expect(try StudioParameters.executionFilter(Self.form([("Status", "ended")])).status == .ended)
        let none = try StudioParameters.executionFilter(Self.form([]))
        #expect(none.status == nil && none.from == nil && none.to == nil)
        for bad in [("status", "running"), ("DateCreatedFrom", "yesterday"), ("DateCreatedTo", "2026-13-01")] {
            #expect(Self.code { try StudioParameters.executionFilter(Self.form([bad])) } == 20001, "\(bad)")
        }
    }

    @Test func theDiagramPathFollowsTheStepsInOrder() {
        let ids = (SID.generate(.account), SID.generate(.flow), SID.generate(.flowExecution))
        func step(_ from: String, _ event: String, _ to: String) -> FlowStepRecord {
            FlowStepRecord(
                sid: SID.generate(.flowStep), accountSid: ids.0, flowSid: ids.1, executionSid: ids.2, name: event, type: "x",
                transitionedFrom: from, transitionedTo: to, context: .object([:]), dateCreated: Date())
        }
        let path = StudioParameters.path([step("Trigger", "incomingRequest", "http_1"), step("http_1", "failed", "Ended")])
        #expect(path.transitions.map(\.from) == ["Trigger", "http_1"])
        #expect(path.transitions.map(\.event) == ["incomingRequest", "failed"])
        #expect(path.transitions.map(\.to) == ["http_1", nil])
    }

    @Test func anActiveExecutionIsAConflict() async throws {
        let error = await #expect(throws: APIError.self) {
            try await StudioParameters.translate { throw FlowError.activeExecutionExists(SID.generate(.flow)) }
        }
        #expect(error?.status == 409 && error?.code == 20409)
        await #expect(throws: CancellationError.self) { try await StudioParameters.translate { throw CancellationError() } }
    }

    @Test func aFlowEmbedsItsDefinitionAndLinks() throws {
        let flow = FlowRevision(
            flowSid: SID.generate(.flow), accountSid: SID.generate(.account), revision: 3, friendlyName: "Bot", status: .published,
            definition: Self.definition, commitMessage: nil, dateCreated: Date(timeIntervalSince1970: 0), dateUpdated: Date(timeIntervalSince1970: 60))
        let base = "https://parley.example/studio/v2/Flows/\(flow.flowSid)"
        let json = try Self.object(FlowResource(flow: flow, publicURL: "https://parley.example").jsonBytes)
        #expect((json["definition"] as? [String: Any])?["initial_state"] as? String == "Trigger")
        #expect(json["valid"] as? Bool == true && (json["errors"] as? [Any])?.isEmpty == true && (json["warnings"] as? [Any])?.isEmpty == true)
        #expect(json["webhook_url"] as? String == "https://parley.example/webhooks/v1/Accounts/\(flow.accountSid)/Flows/\(flow.flowSid)")
        #expect(json["url"] as? String == base && json["revision"] as? Int == 3 && json["commit_message"] is NSNull)
        #expect(json["links"] as? [String: String] == [
            "test_users": base + "/TestUsers", "revisions": base + "/Revisions", "executions": base + "/Executions",
        ])
        let revision = try Self.object(FlowResource(flow: flow, publicURL: "https://parley.example", asRevision: true).jsonBytes)
        #expect(revision["url"] as? String == base + "/Revisions/3")
        #expect(revision["webhook_url"] == nil && revision["warnings"] == nil && revision["links"] == nil)
    }

    @Test func anExecutionEmbedsItsContext() throws {
        let execution = FlowExecutionRecord(
            sid: SID.generate(.flowExecution), accountSid: SID.generate(.account), flowSid: SID.generate(.flow), revision: 2,
            contactSid: "FX0", contactAddress: "+15551230000", initiatedBy: "FN0", status: .active,
            context: .object(["flow": .object(["data": .object(["n": .integer(1)])])]), dateCreated: Date(), dateUpdated: Date())
        let base = "https://parley.example/studio/v2/Flows/\(execution.flowSid)/Executions/\(execution.sid)"
        let json = try Self.object(FlowExecutionResource(execution: execution, publicURL: "https://parley.example").jsonBytes)
        #expect(json["flow_version"] as? Int == 2 && json["status"] as? String == "active")
        #expect(((json["context"] as? [String: Any])?["flow"] as? [String: Any])?["data"] as? [String: Int] == ["n": 1])
        #expect(json["links"] as? [String: String] == ["steps": base + "/Steps", "execution_context": base + "/Context"])
        let context = try Self.object(FlowExecutionContextResource(execution: execution, publicURL: "https://parley.example").jsonBytes)
        #expect(context["url"] as? String == base + "/Context" && context["execution_sid"] as? String == execution.sid.rawValue)
    }
}
