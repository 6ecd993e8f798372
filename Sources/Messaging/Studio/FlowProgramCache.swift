import Flows
import Synchronization

/// Compiled programs by flow revision: a revision never changes, so it is compiled once per process, not at every
/// execution start.
final class FlowProgramCache: Sendable {
    private struct Key: Hashable {
        let flow: String
        let revision: Int
    }

    /// Past this many revisions the cache starts over (simpler than LRU, and revisions in use come back at once).
    private static let capacity = 1000
    private let programs = Mutex<[Key: FlowProgram]>([:])

    /// The program of `flow` at `revision`, compiling `definition()` when it is not cached.
    func program(flow: String, revision: Int, definition: () async throws -> String?) async throws -> FlowProgram {
        let key = Key(flow: flow, revision: revision)
        if let program = programs.withLock({ $0[key] }) { return program }
        guard let text = try await definition(), let json = JSONValue(parsing: text) else { throw FlowRuntimeError.missingRevision(flow, revision) }
        let compilation = FlowCompiler.compile(json)
        guard let program = compilation.program else { throw FlowError.invalidDefinition(compilation.problems) }
        programs.withLock {
            if $0.count >= Self.capacity { $0.removeAll() }
            $0[key] = program
        }
        return program
    }
}

/// A stored execution the engine cannot run.
enum FlowRuntimeError: Error, CustomStringConvertible {
    case missingRevision(String, Int)
    var description: String {
        switch self {
        case .missingRevision(let flow, let revision): "flow \(flow) has no revision \(revision)"
        }
    }
}
