/// A point in the diagram's coordinates (y grows downwards).
struct DiagramPoint {
    var x: Double
    var y: Double
}

/// One step of an SVG path.
enum PathCommand {
    case move(DiagramPoint)
    case line(DiagramPoint)
    case quadratic(control: DiagramPoint, to: DiagramPoint)
    case cubic(DiagramPoint, DiagramPoint, to: DiagramPoint)

    /// The points it names; a curve lies within them, so they bound it.
    var points: [DiagramPoint] {
        switch self {
        case .move(let point), .line(let point): [point]
        case .quadratic(let control, let point): [control, point]
        case .cubic(let first, let second, let point): [first, second, point]
        }
    }
}

/// How one edge is drawn: its path (ending where the arrowhead's tip goes) and where its label is centred.
struct EdgeRoute {
    let edge: Int
    let commands: [PathCommand]
    let label: DiagramPoint
}

/// Routes every edge. Each leaves from a port on its source's bottom edge, ports spread left to right in the order
/// of where the edges go (forward ones by the x of their next slot, then upward ones, then a self-loop), and its
/// label sits just below the port, one line further down per port so labels of one box never overlap.
///
/// - Forward edges curve down to a port on the target's top, through their waypoints.
/// - Upward edges go down into the gap below, right to a vertical lane past the boxes of the rows they span, up to
///   the gap above the target, left and down into its top; lanes and runs are kept apart so they stay traceable.
/// - A self-loop curves from its port round to the box's right side.
struct DiagramRouting {
    let graph: DiagramGraph
    let layout: DiagramLayout

    private static let cornerRadius = 8.0
    private static let laneMargin = 36.0
    private static let laneSpacing = 10.0
    private static let selfLoopReach = 24.0

    func routes() -> [EdgeRoute] {
        let bottomPorts = bottomPorts()
        let lanes = upwardLanes(bottomPorts: bottomPorts)
        let topPorts = topPorts(bottomPorts: bottomPorts, lanes: lanes)
        return graph.edges.indices.map { index in
            let edge = graph.edges[index]
            let source = layout.box(of: edge.from)
            let start = DiagramPoint(x: bottomPorts[index].x, y: source.bottom)
            let labelY = source.bottom + DiagramMetrics.labelStart + DiagramMetrics.labelStep * Double(bottomPorts[index].line)
            switch edge.kind {
            case .forward:
                return forward(index, from: start, to: topPorts[index], labelY: labelY)
            case .upward:
                let commands = upward(from: start, lane: lanes[index]!, to: topPorts[index])
                return EdgeRoute(edge: index, commands: commands, label: DiagramPoint(x: start.x, y: labelY))
            case .selfLoop:
                return EdgeRoute(edge: index, commands: Self.selfLoop(from: start, below: labelY + 10, around: source), label: DiagramPoint(x: start.x, y: labelY))
            }
        }
    }

    /// Down past its label, out to the right of the box and up, then left into the box's right side.
    private static func selfLoop(from start: DiagramPoint, below lowest: Double, around box: DiagramBox) -> [PathCommand] {
        let outside = box.right + selfLoopReach
        return [
            .move(start),
            .cubic(DiagramPoint(x: start.x, y: lowest), DiagramPoint(x: outside, y: lowest), to: DiagramPoint(x: outside, y: box.centerY + 12)),
            .quadratic(control: DiagramPoint(x: outside, y: box.centerY), to: DiagramPoint(x: box.right, y: box.centerY)),
        ]
    }

    // MARK: Ports

    /// Each edge's port on its source's bottom: its x and its label line (the port's index there).
    private func bottomPorts() -> [(x: Double, line: Int)] {
        var ports = Array(repeating: (x: 0.0, line: 0), count: graph.edges.count)
        for state in graph.states.indices {
            let edges = graph.outgoing[state].sorted { portOrder($0) < portOrder($1) }
            let box = layout.box(of: state)
            for (line, edge) in edges.enumerated() {
                ports[edge] = (Self.spread(line, of: edges.count, across: box), line)
            }
        }
        return ports
    }

    private func portOrder(_ edge: Int) -> (Int, Double, Int) {
        switch graph.edges[edge].kind {
        case .forward:
            let next = layout.waypoints[edge].first ?? layout.slotOfState[graph.edges[edge].to]
            return (0, layout.slots[next].x, edge)
        case .upward: return (1, 0, edge)
        case .selfLoop: return (2, 0, edge)
        }
    }

    /// Each forward or upward edge's port on its target's top: forward edges in the order of the x they come
    /// from, then upward ones, the one in the lowest run rightmost so their runs do not cross.
    private func topPorts(bottomPorts: [(x: Double, line: Int)], lanes: [Int: UpwardLane]) -> [DiagramPoint] {
        var ports = Array(repeating: DiagramPoint(x: 0, y: 0), count: graph.edges.count)
        for state in graph.states.indices {
            let forward = graph.incoming[state].filter { graph.edges[$0].kind == .forward }.sorted { left, right in
                let leftX = layout.waypoints[left].last.map { layout.slots[$0].x } ?? bottomPorts[left].x
                let rightX = layout.waypoints[right].last.map { layout.slots[$0].x } ?? bottomPorts[right].x
                return (leftX, left) < (rightX, right)
            }
            let upward = graph.incoming[state].filter { graph.edges[$0].kind == .upward }.sorted {
                (lanes[$0]!.arrival, $0) > (lanes[$1]!.arrival, $1)
            }
            let edges = forward + upward
            let box = layout.box(of: state)
            for (index, edge) in edges.enumerated() {
                ports[edge] = DiagramPoint(x: Self.spread(index, of: edges.count, across: box), y: box.top)
            }
        }
        return ports
    }

    /// The x of port `index` of `count` spread evenly across a box.
    private static func spread(_ index: Int, of count: Int, across box: DiagramBox) -> Double {
        box.left + DiagramMetrics.boxWidth * Double(index + 1) / Double(count + 1)
    }

    // MARK: Forward edges

    /// Down through the waypoints: S-curves across each gap between rows, straight through each waypoint's row;
    /// a run of waypoints one above the other becomes a single line.
    private func forward(_ edge: Int, from start: DiagramPoint, to end: DiagramPoint, labelY: Double) -> EdgeRoute {
        var commands: [PathCommand] = [.move(start)]
        func goDown(to point: DiagramPoint) {
            if case .line(let last) = commands.last, last.x == point.x {
                commands[commands.count - 1] = .line(point)
            } else {
                commands.append(.line(point))
            }
        }
        var current = start
        for waypoint in layout.waypoints[edge] {
            let x = layout.slots[waypoint].x, top = layout.rowTops[layout.slots[waypoint].row]
            if x == current.x { goDown(to: DiagramPoint(x: x, y: top)) } else { commands.append(Self.sCurve(from: current, to: DiagramPoint(x: x, y: top))) }
            current = DiagramPoint(x: x, y: top + DiagramMetrics.boxHeight)
            goDown(to: current)
        }
        if end.x == current.x { goDown(to: end) } else { commands.append(Self.sCurve(from: current, to: end)) }
        let firstEnd = layout.waypoints[edge].first.map {
            DiagramPoint(x: layout.slots[$0].x, y: layout.rowTops[layout.slots[$0].row])
        } ?? end
        return EdgeRoute(edge: edge, commands: commands, label: Self.pointOnSCurve(from: start, to: firstEnd, atY: labelY))
    }

    /// A cubic leaving `start` straight down and arriving at `end` straight down.
    private static func sCurve(from start: DiagramPoint, to end: DiagramPoint) -> PathCommand {
        let middle = (start.y + end.y) / 2
        return .cubic(DiagramPoint(x: start.x, y: middle), DiagramPoint(x: end.x, y: middle), to: end)
    }

    /// The point of `sCurve(from:to:)` at height `y` (its y only grows, so bisection finds it).
    private static func pointOnSCurve(from start: DiagramPoint, to end: DiagramPoint, atY y: Double) -> DiagramPoint {
        // Both coordinates are cubic Béziers; with the controls at mid-height they simplify to these blends.
        func blendY(_ t: Double) -> Double { 1.5 * t * (1 - t) + t * t * t }
        func blendX(_ t: Double) -> Double { t * t * (3 - 2 * t) }
        let fraction = min(max((y - start.y) / (end.y - start.y), 0), 1)
        var low = 0.0, high = 1.0
        for _ in 0..<30 {
            let middle = (low + high) / 2
            if blendY(middle) < fraction { low = middle } else { high = middle }
        }
        return DiagramPoint(x: start.x + (end.x - start.x) * blendX(low), y: y)
    }

    // MARK: Upward edges

    /// Where an upward edge runs right under its source's row, climbs (`x`), and runs left over its target's row.
    struct UpwardLane {
        let departureY: Double
        let x: Double
        let arrivalY: Double
        /// 0 for the run nearest the target's row.
        let arrival: Int
    }

    /// A lane for each upward edge: right of every box in the rows it spans, shorter spans nearer the boxes, never
    /// within `laneSpacing` of another lane over the same rows.
    private func upwardLanes(bottomPorts: [(x: Double, line: Int)]) -> [Int: UpwardLane] {
        var rightmost = Array(repeating: -Double.infinity, count: layout.rows.count)
        for slot in layout.slots { rightmost[slot.row] = max(rightmost[slot.row], slot.x + slot.halfWidth) }
        let upward = graph.edges.indices.filter { graph.edges[$0].kind == .upward }
        func span(_ edge: Int) -> ClosedRange<Int> {
            layout.row(of: graph.edges[edge].to)...layout.row(of: graph.edges[edge].from)
        }
        var placed: [(x: Double, rows: ClosedRange<Int>)] = []
        var xs: [Int: Double] = [:]
        for edge in upward.sorted(by: { (span($0).count, $0) < (span($1).count, $1) }) {
            let rows = span(edge)
            var x = rows.map { rightmost[$0] }.max()! + Self.laneMargin
            for other in placed.filter({ $0.rows.overlaps(rows) }).map(\.x).sorted() where other > x - Self.laneSpacing {
                guard other < x + Self.laneSpacing else { break }
                x = other + Self.laneSpacing
            }
            placed.append((x, rows))
            xs[edge] = x
        }
        // Runs out of a row: the leftmost port runs lowest. Runs into a row: the edge to the rightmost target runs
        // lowest, then by lane. Either way a vertical part then crosses no run of the same row.
        var departures: [Int: Int] = [:]
        for edges in Dictionary(grouping: upward, by: { layout.row(of: graph.edges[$0].from) }).values {
            for (run, edge) in edges.sorted(by: { (bottomPorts[$0].x, $0) > (bottomPorts[$1].x, $1) }).enumerated() {
                departures[edge] = run % DiagramMetrics.departureRuns
            }
        }
        var lanes: [Int: UpwardLane] = [:]
        for edges in Dictionary(grouping: upward, by: { layout.row(of: graph.edges[$0].to) }).values {
            let ordered = edges.sorted { left, right in
                let leftKey = (-layout.box(of: graph.edges[left].to).centerX, xs[left]!, left)
                let rightKey = (-layout.box(of: graph.edges[right].to).centerX, xs[right]!, right)
                return leftKey < rightKey
            }
            for (run, edge) in ordered.enumerated() {
                let departureY = layout.labelBottoms[layout.row(of: graph.edges[edge].from)] + DiagramMetrics.runMargin
                    + DiagramMetrics.runStep * Double(departures[edge]!)
                let arrivalY = layout.box(of: graph.edges[edge].to).top - DiagramMetrics.runMargin
                    - DiagramMetrics.runStep * Double(run % DiagramMetrics.arrivalRuns)
                lanes[edge] = UpwardLane(departureY: departureY, x: xs[edge]!, arrivalY: arrivalY, arrival: run)
            }
        }
        return lanes
    }

    /// Down from the port to the departure run, right to the lane, up to the arrival run, left and down into the
    /// target, with rounded corners.
    private func upward(from start: DiagramPoint, lane: UpwardLane, to end: DiagramPoint) -> [PathCommand] {
        let radius = Self.cornerRadius
        let turnY = lane.departureY, runY = lane.arrivalY
        return [
            .move(start),
            .line(DiagramPoint(x: start.x, y: turnY - radius)),
            .quadratic(control: DiagramPoint(x: start.x, y: turnY), to: DiagramPoint(x: start.x + radius, y: turnY)),
            .line(DiagramPoint(x: lane.x - radius, y: turnY)),
            .quadratic(control: DiagramPoint(x: lane.x, y: turnY), to: DiagramPoint(x: lane.x, y: turnY - radius)),
            .line(DiagramPoint(x: lane.x, y: runY + radius)),
            .quadratic(control: DiagramPoint(x: lane.x, y: runY), to: DiagramPoint(x: lane.x - radius, y: runY)),
            .line(DiagramPoint(x: end.x + radius, y: runY)),
            .quadratic(control: DiagramPoint(x: end.x, y: runY), to: DiagramPoint(x: end.x, y: runY + radius)),
            .line(end),
        ]
    }
}
