/// Sizes and spacing, in SVG user units (pixels at 100 %).
enum DiagramMetrics {
    static let boxWidth = 184.0
    static let boxHeight = 50.0
    /// Between two boxes of a row.
    static let boxGap = 48.0
    /// Between a waypoint and its neighbour in a row.
    static let waypointGap = 20.0
    /// Event labels sit under their box, one line per transition leaving it.
    static let labelStart = 14.0
    static let labelStep = 13.0
    /// Below a row's labels run the upward edges leaving it, then those entering the row below, each at one of a
    /// few fixed heights, so a gap does not depend on how many there are (a new one moves no box).
    static let runStep = 6.0
    static let departureRuns = 3
    static let arrivalRuns = 4
    /// Between the runs and the labels above or the boxes below.
    static let runMargin = 10.0

    /// From a box's bottom to the middle of its last label line, for a row whose busiest box has `lines` labels.
    static func labelDepth(lines: Int) -> Double {
        labelStart + labelStep * Double(max(lines - 1, 0))
    }

    /// The gap under a row whose busiest box has `labelLines` labels.
    static func rowGap(labelLines: Int) -> Double {
        labelDepth(lines: labelLines) + 2 * runMargin + runStep * Double(departureRuns + arrivalRuns - 1)
    }

    static let captionSpace = 24.0
}

/// Where every box goes.
///
/// States sit in rows by rank (``DiagramGraph``). An edge spanning several ranks passes through a waypoint slot in
/// each row between, so it is routed between the boxes rather than across them. Within a row, slots are ordered by
/// barycenter sweeps (seeded by definition order, ties broken by it) to cut crossings, then rows are placed top
/// first, each slot as near as it can be to its links above (least squares under the minimum spacing). States not
/// reachable from the initial state form a last row, left-aligned, that nothing else depends on.
struct DiagramLayout {
    /// A state's box, or a waypoint of an edge spanning several ranks.
    struct Slot {
        /// The state whose box this is; nil for a waypoint.
        let state: Int?
        let row: Int
        var x = 0.0

        var halfWidth: Double { state == nil ? 0 : DiagramMetrics.boxWidth / 2 }
    }

    /// A link to a slot in the row above, with the link's index among that slot's links down.
    private struct UpLink {
        let slot: Int
        let port: Int
    }

    private struct Ranked {
        let slot: Int
        let barycenter: Double
    }

    private(set) var slots: [Slot] = []
    /// Each slot's links to the row above and the row below (kept apart from `slots` so sweeps copy little).
    private var up: [[UpLink]] = []
    private var down: [[Int]] = []
    /// Each row's slots, left to right.
    private(set) var rows: [[Int]]
    /// The y of each row's top; every slot of a row is `boxHeight` tall.
    private(set) var rowTops: [Double] = []
    /// The y of the last line of each row's event labels.
    private(set) var labelBottoms: [Double] = []
    /// Each state's slot.
    private(set) var slotOfState: [Int]
    /// Each edge's waypoints, top down (none unless it is forward and spans several ranks).
    private(set) var waypoints: [[Int]]
    /// The row of the states not reachable from the initial state, when there are any.
    private(set) var unreachableRow: Int?

    init(graph: DiagramGraph) {
        rows = Array(repeating: [], count: graph.rankCount)
        slotOfState = Array(repeating: -1, count: graph.states.count)
        waypoints = Array(repeating: [], count: graph.edges.count)
        for state in graph.states.indices {
            if let rank = graph.rank[state] { slotOfState[state] = addSlot(state: state, row: rank) }
        }
        for (index, edge) in graph.edges.enumerated() where edge.kind == .forward {
            var previous = slotOfState[edge.from]
            for row in (graph.rank[edge.from]! + 1)..<graph.rank[edge.to]! {
                let waypoint = addSlot(state: nil, row: row)
                link(previous, waypoint)
                waypoints[index].append(waypoint)
                previous = waypoint
            }
            link(previous, slotOfState[edge.to])
        }
        orderRows()
        placeRows()
        placeUnreachable(graph: graph)
        placeRowsVertically(graph: graph)
    }

    /// The box of a state.
    func box(of state: Int) -> DiagramBox {
        let slot = slots[slotOfState[state]]
        return DiagramBox(centerX: slot.x, top: rowTops[slot.row])
    }

    /// The row a state is drawn in.
    func row(of state: Int) -> Int {
        slots[slotOfState[state]].row
    }

    private mutating func addSlot(state: Int?, row: Int) -> Int {
        if row == rows.count { rows.append([]) }
        slots.append(Slot(state: state, row: row))
        up.append([])
        down.append([])
        rows[row].append(slots.count - 1)
        return slots.count - 1
    }

    private mutating func link(_ upper: Int, _ lower: Int) {
        up[lower].append(UpLink(slot: upper, port: down[upper].count))
        down[upper].append(lower)
    }

    // MARK: Order within rows

    /// Rows start in slot order (states in definition order, then waypoints); a sweep down orders each row by the
    /// mean position of its links above, then two rounds of a sweep up and one down refine it.
    private mutating func orderRows() {
        var positions = Array(repeating: 0, count: slots.count)
        for row in rows {
            for (position, slot) in row.enumerated() { positions[slot] = position }
        }
        for row in rows.indices.dropFirst() { reorder(row, fromAbove: true, positions: &positions) }
        for _ in 0..<2 {
            for row in rows.indices.reversed().dropFirst() { reorder(row, fromAbove: false, positions: &positions) }
            for row in rows.indices.dropFirst() { reorder(row, fromAbove: true, positions: &positions) }
        }
    }

    /// Sorts a row by barycenter; a slot without links on that side keeps its place.
    private mutating func reorder(_ rowIndex: Int, fromAbove: Bool, positions: inout [Int]) {
        var row: [Int] = []
        swap(&row, &rows[rowIndex])  // so writing to it does not copy it
        var keyed: [Ranked] = []
        var movable: [Int] = []
        for (position, index) in row.enumerated() {
            var sum = 0.0
            var count = 0
            if fromAbove {
                for link in up[index] { sum += Double(positions[link.slot]) + portBias(of: link) }
                count = up[index].count
            } else {
                for lower in down[index] { sum += Double(positions[lower]) }
                count = down[index].count
            }
            guard count > 0 else { continue }
            keyed.append(Ranked(slot: index, barycenter: sum / Double(count)))
            movable.append(position)
        }
        keyed.sort { $0.barycenter != $1.barycenter ? $0.barycenter < $1.barycenter : $0.slot < $1.slot }
        for (position, entry) in zip(movable, keyed) {
            row[position] = entry.slot
            positions[entry.slot] = position
        }
        rows[rowIndex] = row
    }

    /// Siblings keep their parent's transition order: each link down is biased within ±¼ of its parent's position.
    private func portBias(of link: UpLink) -> Double {
        let count = Double(down[link.slot].count)
        return ((Double(link.port) + 0.5) / count - 0.5) / 2
    }

    // MARK: Coordinates

    /// Places each row under the row above: every slot wants the mean x of its links above (the initial state
    /// wants 0), and the row takes the closest positions, in least squares, that keep its order and spacing.
    private mutating func placeRows() {
        for row in rows {
            let desired = row.map { index in
                up[index].isEmpty ? 0 : up[index].reduce(0) { $0 + slots[$1.slot].x } / Double(up[index].count)
            }
            let separations = zip(row, row.dropFirst()).map { left, right in
                let gap = slots[left].state != nil && slots[right].state != nil ? DiagramMetrics.boxGap : DiagramMetrics.waypointGap
                return slots[left].halfWidth + gap + slots[right].halfWidth
            }
            for (index, x) in zip(row, Self.closestSpaced(desired: desired, separations: separations)) {
                slots[index].x = x
            }
        }
    }

    /// The positions nearest `desired` (least squares) with `x[i+1] - x[i] >= separations[i]`.
    ///
    /// Shifting each position by the room the ones before it need turns this into isotonic regression, which the
    /// pool-adjacent-violators algorithm solves exactly in one pass.
    static func closestSpaced(desired: [Double], separations: [Double]) -> [Double] {
        var offsets = [0.0]
        for separation in separations { offsets.append(offsets[offsets.count - 1] + separation) }
        var blocks: [(sum: Double, count: Int)] = []
        for (target, offset) in zip(desired, offsets) {
            blocks.append((target - offset, 1))
            while blocks.count > 1 {
                let last = blocks[blocks.count - 1], previous = blocks[blocks.count - 2]
                guard previous.sum / Double(previous.count) > last.sum / Double(last.count) else { break }
                blocks.removeLast()
                blocks[blocks.count - 1] = (previous.sum + last.sum, previous.count + last.count)
            }
        }
        var positions: [Double] = []
        positions.reserveCapacity(desired.count)
        for block in blocks {
            for _ in 0..<block.count { positions.append(block.sum / Double(block.count) + offsets[positions.count]) }
        }
        return positions
    }

    /// Unreachable states go in a last row, in definition order, from the left edge of the boxes above.
    private mutating func placeUnreachable(graph: DiagramGraph) {
        let unreachable = graph.states.indices.filter { graph.rank[$0] == nil }
        guard !unreachable.isEmpty else { return }
        let left = slots.filter { $0.state != nil }.map { $0.x - $0.halfWidth }.min() ?? -DiagramMetrics.boxWidth / 2
        let row = rows.count
        unreachableRow = row
        let step = DiagramMetrics.boxWidth + DiagramMetrics.boxGap
        for (position, state) in unreachable.enumerated() {
            slotOfState[state] = addSlot(state: state, row: row)
            slots[slotOfState[state]].x = left + DiagramMetrics.boxWidth / 2 + Double(position) * step
        }
    }

    /// Row tops: each gap holds the event labels of the row above (one line per transition of its busiest box),
    /// then the runs of upward edges.
    private mutating func placeRowsVertically(graph: DiagramGraph) {
        var top = 0.0
        for (index, row) in rows.enumerated() {
            let labelLines = row.compactMap { slots[$0].state }.map { graph.outgoing[$0].count }.max() ?? 0
            rowTops.append(top)
            labelBottoms.append(top + DiagramMetrics.boxHeight + DiagramMetrics.labelDepth(lines: labelLines))
            top += DiagramMetrics.boxHeight + DiagramMetrics.rowGap(labelLines: labelLines)
            if index + 1 == unreachableRow { top += DiagramMetrics.captionSpace }
        }
    }
}

/// A state's box.
struct DiagramBox {
    let centerX: Double
    let top: Double

    var left: Double { centerX - DiagramMetrics.boxWidth / 2 }
    var right: Double { centerX + DiagramMetrics.boxWidth / 2 }
    var bottom: Double { top + DiagramMetrics.boxHeight }
    var centerY: Double { top + DiagramMetrics.boxHeight / 2 }
}
