import Foundation
import Testing

@testable import Flows

#if canImport(FoundationXML)
import FoundationXML
#endif

/// What the diagram shows: well-formed SVG with every state and wired transition, escaped text, highlighting.
@Suite struct FlowDiagramTests {
    @Test func rendersWellFormedSVGSizedToItsContent() throws {
        let svg = try SVGElement.parse(FlowDiagram.svg(for: DiagramSamples.support))
        #expect(svg.name == "svg")
        #expect(svg.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(svg.descendants("style").count == 1)
        let viewBox = try #require(svg.attributes["viewBox"]).split(separator: " ").compactMap { Double($0) }
        try #require(viewBox.count == 4)
        #expect(svg.attributes["width"].flatMap(Double.init) == viewBox[2])
        #expect(svg.attributes["height"].flatMap(Double.init) == viewBox[3])
        for rect in svg.descendants("rect") {
            let x = try #require(rect.number("x")), y = try #require(rect.number("y"))
            #expect(x >= viewBox[0] && x + rect.number("width")! <= viewBox[0] + viewBox[2])
            #expect(y >= viewBox[1] && y + rect.number("height")! <= viewBox[1] + viewBox[3])
        }
    }

    @Test func showsEveryStateWithItsNameTypeAndTitle() throws {
        let svg = try SVGElement.parse(FlowDiagram.svg(for: DiagramSamples.support))
        let boxes = svg.groups(ofClass: "state")
        #expect(boxes.map { $0.attributes["data-state"]! } == DiagramSamples.support.states.map(\.name))
        for (box, state) in zip(boxes, DiagramSamples.support.states) {
            #expect(box.child("text", ofClass: "name")?.text == state.name)
            #expect(box.child("text", ofClass: "type")?.text == state.type)
            #expect(box.child("title")?.text == "\(state.name) (\(state.type))")
            #expect(box.descendants("rect").count == 1)
        }
    }

    @Test func drawsOneArrowLabelledWithItsEventPerWiredTransition() throws {
        let definition = DiagramSamples.support
        let svg = try SVGElement.parse(FlowDiagram.svg(for: definition))
        let names = Set(definition.states.map(\.name))
        let wired = definition.states.flatMap { state in
            state.transitions.compactMap { transition in
                transition.next.flatMap { names.contains($0) ? "\(state.name) -\(transition.event)-> \($0)" : nil }
            }
        }
        let arrows = svg.groups(ofClass: "transition")
        #expect(arrows.map { "\($0.attributes["data-from"]!) -\($0.attributes["data-event"]!)-> \($0.attributes["data-to"]!)" } == wired)
        for arrow in arrows {
            #expect(arrow.descendants("path").count == 1)
            #expect(arrow.child("path")?.attributes["marker-end"] == "url(#arrow)")
            #expect(arrow.child("text", ofClass: "label")?.text == arrow.attributes["data-event"])
        }
        // `deliveryFailure` ends the execution and `ghost` names no state: neither is drawn.
        #expect(!arrows.contains { $0.attributes["data-event"] == "deliveryFailure" })
        #expect(!arrows.contains { $0.attributes["data-to"] == "ghost" })
    }

    @Test func escapesCustomerTextEverywhere() throws {
        let name = "<script>alert('x')</script> & \"q\""
        let definition = DiagramSamples.definition([
            DiagramSamples.state("Trigger", "trigger", [("incomingRequest", name)]),
            DiagramSamples.state(name, "send-message", [("sent", "Trigger")]),
        ])
        let text = FlowDiagram.svg(for: definition, highlighting: FlowPath(transitions: [.init(from: "Trigger", event: "incomingRequest", to: name)]))
        #expect(!text.contains("<script"))
        #expect(text.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;q&quot;"))
        let svg = try SVGElement.parse(text)
        #expect(svg.groups(ofClass: "state").last?.attributes["data-state"] == name)
        #expect(svg.groups(ofClass: "state").last?.child("title")?.text == "\(name) (send-message)")
        #expect(svg.groups(ofClass: "transition").first?.attributes["data-to"] == name)
    }

    @Test func replacesCharactersXMLCannotHold() throws {
        let definition = DiagramSamples.definition([DiagramSamples.state("bell\u{7}\u{0}", "trigger", [])])
        let svg = try SVGElement.parse(FlowDiagram.svg(for: definition))
        #expect(svg.groups(ofClass: "state").first?.attributes["data-state"] == "bell\u{FFFD}\u{FFFD}")
    }

    @Test func truncatesLongTextButTitlesItInFull() throws {
        let name = String(repeating: "very long widget name ", count: 3)
        let definition = DiagramSamples.definition([DiagramSamples.state(name, "trigger", [])], initial: name)
        let box = try #require(try SVGElement.parse(FlowDiagram.svg(for: definition)).groups(ofClass: "state").first)
        let shown = try #require(box.child("text", ofClass: "name")?.text)
        #expect(shown.count == 22 && shown.hasSuffix("…") && name.hasPrefix(shown.dropLast()))
        #expect(box.child("title")?.text == "\(name) (trigger)")
    }

    @Test func highlightsExactlyThePathTaken() throws {
        let path = FlowPath(transitions: [
            .init(from: "Trigger", event: "incomingMessage", to: "ask"),
            .init(from: "ask", event: "timeout", to: "remind"),
            .init(from: "remind", event: "sent", to: "ask"),
            .init(from: "ask", event: "timeout", to: "remind"),
            .init(from: "remind", event: "sent", to: "ask"),
            .init(from: "ask", event: "timeout", to: "remind"),
            .init(from: "remind", event: "sent", to: "ask"),
            .init(from: "ask", event: "timeout", to: "remind"),
            .init(from: "remind", event: "sent", to: "ask"),
            .init(from: "ask", event: "incomingMessage", to: "route"),
            .init(from: "route", event: "match", to: "lookup"),
            .init(from: "lookup", event: "success", to: nil),
        ])
        let svg = try SVGElement.parse(FlowDiagram.svg(for: DiagramSamples.support, highlighting: path))
        let visited = svg.groups(ofClass: "state").filter { $0.classes.contains("visited") }.map { $0.attributes["data-state"]! }
        #expect(visited == ["Trigger", "ask", "remind", "route", "lookup"])
        let taken = svg.groups(ofClass: "transition").filter { $0.classes.contains("taken") }
        let steps = taken.map { "\($0.attributes["data-from"]!) -\($0.attributes["data-event"]!)-> \($0.attributes["data-to"]!): \($0.child("text", ofClass: "step")!.text)" }
        #expect(steps == [
            "Trigger -incomingMessage-> ask: 1", "ask -incomingMessage-> route: 10", "ask -timeout-> remind: 2, 4, 6, …",
            "remind -sent-> ask: 3, 5, 7, …", "route -match-> lookup: 11",
        ])
        #expect(taken.allSatisfy { $0.child("path")?.attributes["marker-end"] == "url(#arrow-taken)" })
        let plain = svg.groups(ofClass: "transition").filter { !$0.classes.contains("taken") }
        #expect(plain.allSatisfy { $0.child("text", ofClass: "step") == nil })
        #expect(FlowDiagram.svg(for: DiagramSamples.support).contains("visited\"") == false)
    }

    @Test func highlightSkipsStepsItCannotPlace() throws {
        let path = FlowPath(transitions: [
            .init(from: "nowhere", event: "next", to: "ask"),
            .init(from: "ask", event: "nonsense", to: "route"),
        ])
        let svg = try SVGElement.parse(FlowDiagram.svg(for: DiagramSamples.support, highlighting: path))
        #expect(svg.groups(ofClass: "state").filter { $0.classes.contains("visited") }.map { $0.attributes["data-state"]! } == ["ask", "route"])
        #expect(svg.groups(ofClass: "transition").allSatisfy { !$0.classes.contains("taken") })
    }

    @Test func rendersALoneTriggerAndAnEmptyDefinition() throws {
        let lone = DiagramSamples.definition([DiagramSamples.state("Trigger", "trigger", [("incomingMessage", nil)])])
        let svg = try SVGElement.parse(FlowDiagram.svg(for: lone))
        #expect(svg.groups(ofClass: "state").count == 1)
        #expect(svg.groups(ofClass: "state").first?.classes.contains("initial") == true)
        #expect(svg.groups(ofClass: "transition").isEmpty)
        let empty = try SVGElement.parse(FlowDiagram.svg(for: DiagramSamples.definition([])))
        #expect(empty.groups(ofClass: "state").isEmpty)
        #expect(empty.attributes["viewBox"] == "-16 -16 32 32")
    }
}

/// Flows the diagram tests draw.
enum DiagramSamples {
    static func state(_ name: String, _ type: String, _ transitions: [(event: String, next: String?)]) -> FlowDefinition.State {
        FlowDefinition.State(
            name: name, type: type, properties: ["offset": .object(["x": .integer(0), "y": .integer(0)])],
            transitions: transitions.map { FlowDefinition.Transition(event: $0.event, next: $0.next, conditions: []) })
    }

    static func definition(_ states: [FlowDefinition.State], initial: String = "Trigger") -> FlowDefinition {
        FlowDefinition(description: nil, initialState: initial, allowsConcurrentCalls: false, states: states)
    }

    /// A support bot: a reply loop with a reminder, a split with three ways out, a retried HTTP call, an ending
    /// transition, one to a missing state, and an orphaned state.
    static let support = definition([
        state("Trigger", "trigger", [("incomingMessage", "ask"), ("incomingCall", nil), ("incomingRequest", "ask")]),
        state("ask", "send-and-wait-for-reply", [("incomingMessage", "route"), ("timeout", "remind"), ("deliveryFailure", nil)]),
        state("remind", "send-message", [("sent", "ask"), ("failed", nil)]),
        state("route", "split-based-on", [("noMatch", "sorry"), ("match", "lookup"), ("match", "agent")]),
        state("lookup", "make-http-request", [("success", "reply"), ("failed", "lookup")]),
        state("agent", "send-message", [("sent", "reply"), ("failed", "ghost")]),
        state("sorry", "send-message", [("sent", "ask")]),
        state("reply", "send-message", [("sent", nil)]),
        state("old_menu", "say-play", [("audioComplete", "reply")]),
    ])
}

/// A parsed SVG element, enough to check what the diagram contains.
final class SVGElement {
    let name: String
    let attributes: [String: String]
    fileprivate(set) var children: [SVGElement] = []
    fileprivate(set) var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }

    func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }

    func descendants(_ name: String) -> [SVGElement] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.descendants(name) }
    }

    func groups(ofClass name: String) -> [SVGElement] {
        descendants("g").filter { $0.classes.contains(name) }
    }

    func child(_ name: String, ofClass className: String? = nil) -> SVGElement? {
        children.first { $0.name == name && (className.map($0.classes.contains) ?? true) }
    }

    struct ParseError: Error {
        let underlying: Error?
    }

    /// Parses a document with Foundation's XML parser, failing on anything not well-formed.
    static func parse(_ text: String) throws -> SVGElement {
        let parser = XMLParser(data: Data(text.utf8))
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { throw ParseError(underlying: parser.parserError) }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: SVGElement?
        var open: [SVGElement] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let element = SVGElement(name: elementName, attributes: attributes)
            open.last?.children.append(element)
            if root == nil { root = element }
            open.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            open.last?.text += string
        }
    }
}
