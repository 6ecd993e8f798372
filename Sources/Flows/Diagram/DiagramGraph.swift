/// The flow as a graph: its states in definition order, the transitions that lead to a state (edges), and the rank of
/// each state reachable from the initial state.
///
/// Ranks are longest paths from the initial state over the graph without its back edges (found by a depth-first
/// search in transition order), so a cycle never pushes a state down and every edge that is not a back edge goes
/// down at least one rank.
struct DiagramGraph {
    /// How an edge is drawn.
    enum EdgeKind {
        /// Down to a state of a later rank.
        case forward
        /// To a state drawn in the same or an earlier row (closing a cycle, or leaving an unreachable state):
        /// routed around the right of the boxes.
        case upward
        /// Back to its own state.
        case selfLoop
    }

    struct Edge {
        let from: Int
        let to: Int
        let event: String
        let kind: EdgeKind
    }

    let states: [FlowDefinition.State]
    let initial: Int?
    private(set) var edges: [Edge] = []
    /// Edge indices leaving each state, in transition order.
    private(set) var outgoing: [[Int]]
    /// Edge indices arriving at each state, in definition order.
    private(set) var incoming: [[Int]]
    /// Each state's rank; nil when it cannot be reached from the initial state.
    private(set) var rank: [Int?]
    private(set) var rankCount = 0
    private let indexByName: [String: Int]

    init(_ definition: FlowDefinition) {
        states = definition.states
        var indexByName: [String: Int] = [:]
        for (index, state) in states.enumerated() where indexByName[state.name] == nil {
            indexByName[state.name] = index
        }
        self.indexByName = indexByName
        initial = indexByName[definition.initialState]
        outgoing = Array(repeating: [], count: states.count)
        incoming = Array(repeating: [], count: states.count)
        rank = Array(repeating: nil, count: states.count)

        // A transition without `next` ends the execution, and one to a missing state cannot be drawn.
        var targets: [(from: Int, to: Int, event: String)] = []
        for (index, state) in states.enumerated() {
            for transition in state.transitions {
                guard let next = transition.next, let target = indexByName[next] else { continue }
                targets.append((index, target, transition.event))
                outgoing[index].append(targets.count - 1)
                incoming[target].append(targets.count - 1)
            }
        }
        let targetOf = targets.map(\.to)
        var isBackEdge = Array(repeating: false, count: targets.count)
        if let initial {
            isBackEdge = backEdges(from: initial, targetOf: targetOf)
            rankLongestPaths(from: initial, targetOf: targetOf, isBackEdge: isBackEdge)
        }
        edges = targets.enumerated().map { index, edge in
            let kind: EdgeKind =
                if edge.from == edge.to {
                    .selfLoop
                } else if rank[edge.from] != nil && !isBackEdge[index] {
                    .forward
                } else {
                    .upward
                }
            return Edge(from: edge.from, to: edge.to, event: edge.event, kind: kind)
        }
    }

    /// The first state with that name.
    func index(of name: String) -> Int? {
        indexByName[name]
    }

    /// The edges that close a cycle in a depth-first search from `root` (self-loops included).
    private func backEdges(from root: Int, targetOf: [Int]) -> [Bool] {
        enum Mark { case unvisited, onStack, done }
        var isBackEdge = Array(repeating: false, count: targetOf.count)
        var marks = Array(repeating: Mark.unvisited, count: states.count)
        // Iterative so a long chain of states cannot overflow the stack.
        var stack: [(state: Int, nextEdge: Int)] = [(root, 0)]
        marks[root] = .onStack
        while let top = stack.last {
            let (state, nextEdge) = top
            guard nextEdge < outgoing[state].count else {
                marks[state] = .done
                stack.removeLast()
                continue
            }
            stack[stack.count - 1].nextEdge += 1
            let edge = outgoing[state][nextEdge]
            switch marks[targetOf[edge]] {
            case .unvisited:
                marks[targetOf[edge]] = .onStack
                stack.append((targetOf[edge], 0))
            case .onStack: isBackEdge[edge] = true
            case .done: break
            }
        }
        return isBackEdge
    }

    /// Ranks every state reachable from `root` by its longest path from it, back edges left out.
    private mutating func rankLongestPaths(from root: Int, targetOf: [Int], isBackEdge: [Bool]) {
        // Kahn's topological order: a state is ranked once all its (non-back) predecessors are.
        var pendingPredecessors = Array(repeating: 0, count: states.count)
        var reachable = [root]
        var seen = Array(repeating: false, count: states.count)
        seen[root] = true
        var head = 0
        while head < reachable.count {
            let state = reachable[head]
            head += 1
            for edge in outgoing[state] where !isBackEdge[edge] {
                pendingPredecessors[targetOf[edge]] += 1
                if !seen[targetOf[edge]] {
                    seen[targetOf[edge]] = true
                    reachable.append(targetOf[edge])
                }
            }
        }
        rank[root] = 0
        var queue = [root]
        head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            let next = rank[state]! + 1
            for edge in outgoing[state] where !isBackEdge[edge] {
                let target = targetOf[edge]
                rank[target] = max(rank[target] ?? 0, next)
                pendingPredecessors[target] -= 1
                if pendingPredecessors[target] == 0 { queue.append(target) }
            }
        }
        rankCount = (rank.compactMap { $0 }.max() ?? -1) + 1
    }
}
