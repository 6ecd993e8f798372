/// Writes a laid-out flow as a standalone SVG document: an inline stylesheet, the transitions (paths with arrowheads
/// and event labels), then the states on top. Every text is escaped (names come from customers), and the view box
/// is sized to what is drawn, in the layout's own coordinates so a box keeps its numbers when others move.
struct SVGWriter {
    let graph: DiagramGraph
    let layout: DiagramLayout
    let routes: [EdgeRoute]
    let highlight: DiagramHighlight?

    private static let nameCharacters = 22
    private static let typeCharacters = 27
    private static let labelCharacters = 24
    /// Approximate advance of an 11 px character, regular and bold, to size labels without measuring text.
    private static let smallCharacterWidth = 6.4
    private static let boldSmallCharacterWidth = 7.2
    private static let margin = 16.0
    private static let shownSteps = 3

    private static let edgeColour = "#80868b"
    private static let takenColour = "#188038"
    private static let stylesheet = """
        text{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif}\
        .state rect{fill:#fff;stroke:#9aa0a6;stroke-width:1.5}\
        .state.initial rect{fill:#f1f3f4;stroke:#5f6368}\
        .state .name{font-size:13px;font-weight:bold;fill:#202124}\
        .state .type{font-size:11px;fill:#5f6368}\
        .transition path{fill:none;stroke:\(edgeColour);stroke-width:1.5}\
        .transition text{font-size:11px;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}\
        .transition .label{fill:#3c4043}\
        .state.visited rect{fill:#e6f4ea;stroke:\(takenColour);stroke-width:2.5}\
        .transition.taken path{stroke:\(takenColour);stroke-width:3}\
        .transition.taken .label,.transition .step{fill:\(takenColour);font-weight:bold}\
        .caption{font-size:11px;font-style:italic;fill:#5f6368}
        """

    func document() -> String {
        var bounds = Bounds()
        var body = ""
        body.reserveCapacity(512 * (graph.states.count + graph.edges.count))
        body += "<g class=\"transitions\">\n"
        for route in routes { writeTransition(route, into: &body, bounds: &bounds) }
        body += "</g>\n<g class=\"states\">\n"
        for state in graph.states.indices { writeState(state, into: &body, bounds: &bounds) }
        body += "</g>\n"
        if let row = layout.unreachableRow, let first = layout.rows[row].first {
            let point = DiagramPoint(x: layout.slots[first].x - DiagramMetrics.boxWidth / 2, y: layout.rowTops[row] - 12)
            let caption = "Not reachable from the initial state"
            body += "<text class=\"caption\" x=\"\(Self.number(point.x))\" y=\"\(Self.number(point.y))\">\(caption)</text>\n"
            bounds.include(DiagramPoint(x: point.x + Double(caption.count) * Self.smallCharacterWidth, y: point.y - 11))
        }

        let (minX, minY) = ((bounds.minX - Self.margin).rounded(.down), (bounds.minY - Self.margin).rounded(.down))
        let width = (bounds.maxX + Self.margin).rounded(.up) - minX, height = (bounds.maxY + Self.margin).rounded(.up) - minY
        let size = "width=\"\(Self.number(width))\" height=\"\(Self.number(height))\""
        let viewBox = "\(Self.number(minX)) \(Self.number(minY)) \(Self.number(width)) \(Self.number(height))"
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" \(size) viewBox="\(viewBox)" class="flow-diagram">
            <style>\(Self.stylesheet)</style>
            <defs>\(Self.marker(id: "arrow", colour: Self.edgeColour))\(Self.marker(id: "arrow-taken", colour: Self.takenColour))</defs>

            """ + body + "</svg>\n"
    }

    // MARK: Elements

    private func writeState(_ state: Int, into out: inout String, bounds: inout Bounds) {
        let definition = graph.states[state]
        let box = layout.box(of: state)
        bounds.include(DiagramPoint(x: box.left, y: box.top))
        bounds.include(DiagramPoint(x: box.right, y: box.bottom))
        var classes = "state"
        if state == graph.initial { classes += " initial" }
        if highlight?.visited.contains(state) == true { classes += " visited" }
        let textX = Self.number(box.centerX)
        out += """
            <g class="\(classes)" data-state="\(Self.escaped(definition.name))">\
            <title>\(Self.escaped("\(definition.name) (\(definition.type))"))</title>\
            <rect x="\(Self.number(box.left))" y="\(Self.number(box.top))" \
            width="\(Self.number(DiagramMetrics.boxWidth))" height="\(Self.number(DiagramMetrics.boxHeight))" rx="6"/>\
            <text class="name" x="\(textX)" y="\(Self.number(box.top + 21))" text-anchor="middle">\
            \(Self.escaped(Self.truncated(definition.name, to: Self.nameCharacters)))</text>\
            <text class="type" x="\(textX)" y="\(Self.number(box.top + 38))" text-anchor="middle">\
            \(Self.escaped(Self.truncated(definition.type, to: Self.typeCharacters)))</text></g>

            """
    }

    private func writeTransition(_ route: EdgeRoute, into out: inout String, bounds: inout Bounds) {
        let edge = graph.edges[route.edge]
        let from = graph.states[edge.from].name, to = graph.states[edge.to].name
        let steps = highlight?.steps[route.edge]
        var path = ""
        for command in route.commands {
            for point in command.points { bounds.include(point) }
            path += Self.pathData(command)
        }
        let label = Self.truncated(edge.event, to: Self.labelCharacters)
        let halfLabel = Double(label.count) * (steps == nil ? Self.smallCharacterWidth : Self.boldSmallCharacterWidth) / 2
        bounds.include(DiagramPoint(x: route.label.x - halfLabel, y: route.label.y - 8))
        bounds.include(DiagramPoint(x: route.label.x + halfLabel, y: route.label.y + 8))
        var title = "\(from) → \(to) (\(edge.event))"
        if let steps { title += ", steps \(steps.map(String.init).joined(separator: ", "))" }
        out += """
            <g class="transition\(steps == nil ? "" : " taken")" data-from="\(Self.escaped(from))" \
            data-event="\(Self.escaped(edge.event))" data-to="\(Self.escaped(to))">\
            <title>\(Self.escaped(title))</title>\
            <path d="\(path)" marker-end="url(#\(steps == nil ? "arrow" : "arrow-taken"))"/>\
            <text class="label" x="\(Self.number(route.label.x))" y="\(Self.number(route.label.y + 4))" \
            text-anchor="middle">\(Self.escaped(label))</text>
            """
        if let steps {
            // The step numbers, left of the label: "3" or, for a transition taken again and again, "2, 5, 8, …".
            var text = steps.prefix(Self.shownSteps).map(String.init).joined(separator: ", ")
            if steps.count > Self.shownSteps { text += ", …" }
            let right = route.label.x - halfLabel - 4
            bounds.include(DiagramPoint(x: right - Double(text.count) * Self.boldSmallCharacterWidth, y: route.label.y))
            out += "<text class=\"step\" x=\"\(Self.number(right))\" y=\"\(Self.number(route.label.y + 4))\" text-anchor=\"end\">\(text)</text>"
        }
        out += "</g>\n"
    }

    /// An arrowhead whose tip is the end of the path.
    private static func marker(id: String, colour: String) -> String {
        "<marker id=\"\(id)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" "
            + "markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"\(colour)\"/></marker>"
    }

    private static func pathData(_ command: PathCommand) -> String {
        func pair(_ point: DiagramPoint) -> String { "\(number(point.x)),\(number(point.y))" }
        switch command {
        case .move(let point): return "M" + pair(point)
        case .line(let point): return "L" + pair(point)
        case .quadratic(let control, let point): return "Q" + pair(control) + " " + pair(point)
        case .cubic(let first, let second, let point): return "C" + pair(first) + " " + pair(second) + " " + pair(point)
        }
    }

    // MARK: Text

    /// At most `limit` characters, the last one "…" when cut.
    static func truncated(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : text.prefix(limit - 1) + "…"
    }

    /// Text safe in XML content and attribute values: markup characters as entities, and characters XML 1.0 does
    /// not allow (most control characters) as U+FFFD.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r", "\u{20}"..."\u{D7FF}", "\u{E000}"..."\u{FFFD}", "\u{10000}"..."\u{10FFFF}":
                result.unicodeScalars.append(scalar)
            default: result.unicodeScalars.append("\u{FFFD}")
            }
        }
        return result
    }

    /// A coordinate to one decimal, without a trailing ".0", the same on every platform and locale.
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let magnitude = tenths.magnitude
        let sign = tenths < 0 ? "-" : ""
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}

/// The smallest rectangle holding every point included.
private struct Bounds {
    private(set) var minX = 0.0, minY = 0.0, maxX = 0.0, maxY = 0.0
    private var isEmpty = true

    mutating func include(_ point: DiagramPoint) {
        if isEmpty {
            (minX, minY, maxX, maxY, isEmpty) = (point.x, point.y, point.x, point.y, false)
        } else {
            (minX, minY) = (min(minX, point.x), min(minY, point.y))
            (maxX, maxY) = (max(maxX, point.x), max(maxY, point.y))
        }
    }
}
