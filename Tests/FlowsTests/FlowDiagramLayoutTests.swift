import Foundation
import Testing

@testable import Flows

/// Where the diagram puts things: ranks from the initial state, stable coordinates, cycles, size.
@Suite struct FlowDiagramLayoutTests {
    typealias Samples = DiagramSamples

    /// Each state's box: its top-left corner.
    static func boxes(_ svg: String) throws -> [String: (x: Double, y: Double)] {
        var boxes: [String: (x: Double, y: Double)] = [:]
        for group in try SVGElement.parse(svg).groups(ofClass: "state") {
            let rect = try #require(group.child("rect"))
            boxes[group.attributes["data-state"]!] = (rect.number("x")!, rect.number("y")!)
        }
        return boxes
    }

    @Test func sameDefinitionGivesTheSameBytes() {
        let path = FlowPath(transitions: [.init(from: "Trigger", event: "incomingMessage", to: "ask")])
        #expect(FlowDiagram.svg(for: Samples.support) == FlowDiagram.svg(for: Samples.support))
        #expect(FlowDiagram.svg(for: Samples.support, highlighting: path) == FlowDiagram.svg(for: Samples.support, highlighting: path))
    }

    @Test func appendingAnUnrelatedStateMovesNoOtherBox() throws {
        let before = try Self.boxes(FlowDiagram.svg(for: Samples.support))
        let extended = Samples.definition(
            Samples.support.states + [Samples.state("unused", "set-variables", [("next", "reply")])])
        let after = try Self.boxes(FlowDiagram.svg(for: extended))
        for (name, box) in before {
            #expect(after[name]?.x == box.x && after[name]?.y == box.y, "\(name) moved")
        }
        #expect(after["unused"]?.y == after["old_menu"]?.y)
        #expect(after["unused"]!.x > after["old_menu"]!.x)
    }

    @Test func ranksRunDownFromTheInitialStateAndCyclesDoNotPushStatesDown() throws {
        let boxes = try Self.boxes(FlowDiagram.svg(for: Samples.support))
        let y = boxes.mapValues(\.y)
        // Longest paths: reply is under both lookup and agent; remind and sorry lead back up to ask.
        #expect(y["Trigger"]! < y["ask"]!)
        #expect(y["ask"]! < y["remind"]! && y["ask"]! < y["route"]!)
        #expect(y["remind"] == y["route"])
        #expect(y["route"]! < y["lookup"]! && y["lookup"] == y["agent"] && y["agent"] == y["sorry"])
        #expect(y["lookup"]! < y["reply"]!)
        // The orphan is in a row of its own, last.
        #expect(y["old_menu"]! > y.filter { $0.key != "old_menu" }.values.max()!)
    }

    @Test func branchesKeepTheirTransitionOrderLeftToRight() throws {
        let definition = Samples.definition([
            Samples.state("Trigger", "trigger", [("incomingMessage", "split")]),
            Samples.state("split", "split-based-on", [("noMatch", "c"), ("match", "b"), ("match", "a")]),
            Samples.state("a", "send-message", []),
            Samples.state("b", "send-message", []),
            Samples.state("c", "send-message", []),
        ])
        let boxes = try Self.boxes(FlowDiagram.svg(for: definition))
        #expect(boxes["c"]!.x < boxes["b"]!.x && boxes["b"]!.x < boxes["a"]!.x)
        // The split sits centred over its branches, and its trigger over it.
        #expect(boxes["b"]!.x == boxes["split"]!.x && boxes["split"]!.x == boxes["Trigger"]!.x)
    }

    @Test func cyclesAndSelfLoopsAreDrawnWithFiniteCoordinates() throws {
        let definition = Samples.definition([
            Samples.state("Trigger", "trigger", [("incomingMessage", "Trigger"), ("incomingRequest", "a")]),
            Samples.state("a", "set-variables", [("next", "b")]),
            Samples.state("b", "set-variables", [("next", "a")]),
            Samples.state("x", "set-variables", [("next", "y")]),
            Samples.state("y", "set-variables", [("next", "x")]),
            Samples.state("z", "set-variables", [("next", "z")]),
        ])
        let text = FlowDiagram.svg(for: definition)
        #expect(!text.contains("nan") && !text.contains("inf"))
        let svg = try SVGElement.parse(text)
        #expect(svg.groups(ofClass: "transition").count == 7)
        let boxes = try Self.boxes(text)
        #expect(boxes["a"]!.y < boxes["b"]!.y)
        #expect(boxes["x"]!.y == boxes["y"]!.y && boxes["y"]!.y == boxes["z"]!.y)
    }

    @Test func boxesNeverOverlap() throws {
        let boxes = try Self.boxes(FlowDiagram.svg(for: Self.generated(states: 200)))
        let rows = Dictionary(grouping: boxes.values, by: \.y)
        for row in rows.values {
            let xs = row.map(\.x).sorted()
            #expect(zip(xs, xs.dropFirst()).allSatisfy { $1 - $0 >= DiagramMetrics.boxWidth + DiagramMetrics.boxGap - 0.1 })
        }
    }

    @Test func placementKeepsOrderAndSpacingAsCloseAsItCan() {
        #expect(DiagramLayout.closestSpaced(desired: [0, 0, 0], separations: [10, 10]) == [-10, 0, 10])
        #expect(DiagramLayout.closestSpaced(desired: [-50, 5, 50], separations: [10, 10]) == [-50, 5, 50])
        #expect(DiagramLayout.closestSpaced(desired: [0, 4, 100], separations: [10, 10]) == [-3, 7, 100])
    }

    /// Speed is a benchmark matter (docs/benchmarks.md), not a unit test's: this checks a big flow draws completely.
    @Test func aThousandStatesRender() throws {
        let svg = FlowDiagram.svg(for: Self.generated(states: 1000))
        #expect(try SVGElement.parse(svg).groups(ofClass: "state").count == 1000)
    }

    /// A large flow shaped like real ones: chains of sends, splits that skip ahead, HTTP calls that fall back a
    /// few states on, replies that loop back, and now and then a failure sent to the one error state at the end.
    static func generated(states count: Int) -> FlowDefinition {
        var states = [Samples.state("Trigger", "trigger", [("incomingMessage", "s1")])]
        let last = count - 2
        for index in 1...last {
            let next = index < last ? "s\(index + 1)" : "error"
            let ahead = "s\(min(index + 3, last))"
            switch index % 7 {
            case 0: states.append(Samples.state("s\(index)", "split-based-on", [("noMatch", next), ("match", ahead)]))
            case 3: states.append(Samples.state("s\(index)", "make-http-request", [("success", next), ("failed", ahead)]))
            case 5: states.append(Samples.state("s\(index)", "send-and-wait-for-reply", [("incomingMessage", next), ("timeout", "s\(max(index - 4, 1))")]))
            default:
                let failed = index % 50 == 1 ? "error" : nil
                states.append(Samples.state("s\(index)", "send-message", [("sent", next), ("failed", failed)]))
            }
        }
        states.append(Samples.state("error", "send-message", [("sent", nil)]))
        return Samples.definition(states)
    }
}
