import Flows
import Foundation
import Platform

/// `draft` or `published`.
public enum FlowStatus: String, Sendable, CaseIterable {
    case draft, published
}

/// A flow at one revision: the flow resource is its latest revision, a revision resource any of them.
public struct FlowRevision: Sendable {
    public let flowSid: SID
    public let accountSid: SID
    public let revision: Int
    public let friendlyName: String
    public let status: FlowStatus
    /// The definition as JSON text.
    public let definition: String
    public let commitMessage: String?
    /// The flow's creation date.
    public let dateCreated: Date
    /// When this revision was made.
    public let dateUpdated: Date
}

/// What a create or update of a flow sets (an update keeps what it leaves nil).
public struct FlowFields: Sendable {
    public var friendlyName: String?
    public var status: FlowStatus
    public var definition: String?
    public var commitMessage: String?
    public init(friendlyName: String?, status: FlowStatus, definition: String?, commitMessage: String?) {
        self.friendlyName = friendlyName
        self.status = status
        self.definition = definition
        self.commitMessage = commitMessage
    }
}

/// `active` or `ended`.
public enum FlowExecutionStatus: String, Sendable, CaseIterable {
    case active, ended
}

/// An execution as the REST API shows it.
public struct FlowExecutionRecord: Sendable {
    public let sid: SID
    public let accountSid: SID
    public let flowSid: SID
    public let revision: Int
    public let contactSid: String
    public let contactAddress: String
    public let initiatedBy: String
    public let status: FlowExecutionStatus
    /// The execution's context (docs/flows.md, "Context").
    public let context: JSONValue
    public let dateCreated: Date
    public let dateUpdated: Date
}

/// A step as the REST API shows it.
public struct FlowStepRecord: Sendable {
    public let sid: SID
    public let accountSid: SID
    public let flowSid: SID
    public let executionSid: SID
    /// The event the widget ended with.
    public let name: String
    public let type: String
    public let transitionedFrom: String
    public let transitionedTo: String
    public let context: JSONValue
    public let dateCreated: Date
}

/// Why a flow or execution request cannot be done.
public enum FlowError: Error, Sendable {
    /// The definition has problems (81022).
    case invalidDefinition([FlowProblem])
    /// The contact already has an active execution of the flow.
    case activeExecutionExists(SID)
}
