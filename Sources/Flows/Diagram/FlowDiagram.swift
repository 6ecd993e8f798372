/// Draws a flow definition as a standalone SVG document: states as boxes (name in bold, widget type below) in ranks
/// from the initial state down, transitions as arrows labelled with their event.
///
/// The layout comes from the graph alone (Studio's `offset`s are ignored: our boxes are not Studio's size) and is
/// deterministic: the same definition gives the same bytes, and a small edit moves little of the rest.
public enum FlowDiagram {
    /// The flow as an SVG document; `path`, when given, highlights the states and transitions an execution went through.
    public static func svg(for definition: FlowDefinition, highlighting path: FlowPath? = nil) -> String {
        let graph = DiagramGraph(definition)
        let layout = DiagramLayout(graph: graph)
        let routes = DiagramRouting(graph: graph, layout: layout).routes()
        let highlight = path.map { DiagramHighlight(path: $0, graph: graph) }
        return SVGWriter(graph: graph, layout: layout, routes: routes, highlight: highlight).document()
    }
}

/// The steps of an execution, in order: what ``FlowDiagram`` highlights.
public struct FlowPath: Sendable {
    public var transitions: [Transition]

    public init(transitions: [Transition]) {
        self.transitions = transitions
    }

    /// One step: the state `from` ended with `event` and the execution went on to `to` (nil when it ended there).
    public struct Transition: Sendable {
        public let from: String
        public let event: String
        public let to: String?

        public init(from: String, event: String, to: String?) {
            self.from = from
            self.event = event
            self.to = to
        }
    }
}

/// What a path highlights: the states it went through and the step numbers of each transition it took.
struct DiagramHighlight {
    private(set) var visited: Set<Int> = []
    /// Edge index → the 1-based numbers of the steps that took it.
    private(set) var steps: [Int: [Int]] = [:]

    init(path: FlowPath, graph: DiagramGraph) {
        for (offset, step) in path.transitions.enumerated() {
            guard let from = graph.index(of: step.from) else { continue }
            visited.insert(from)
            guard let name = step.to, let to = graph.index(of: name) else { continue }
            visited.insert(to)
            // Two branches of a split may lead to the same state with the same event: the first stands for both.
            if let edge = graph.outgoing[from].first(where: { graph.edges[$0].to == to && graph.edges[$0].event == step.event }) {
                steps[edge, default: []].append(offset + 1)
            }
        }
    }
}
