import Foundation

/// A parsed Liquid template: parsed once when a flow is loaded, rendered at every step. Shopify Liquid's syntax and
/// filters; an unknown variable renders empty, an unknown filter or tag is a parse error.
public struct LiquidTemplate: Sendable {
    /// The template's text as written.
    public let source: String
    let nodes: [LiquidNode]

    /// Parses `source`; throws ``LiquidError`` naming what is wrong and on which line.
    public init(_ source: String) throws(LiquidError) {
        self.source = source
        self.nodes = source.contains("{") ? try LiquidParser.parse(source) : [.text(source)]
    }

    /// True when the template has no output or tag: rendering gives `source` back.
    public var isPlainText: Bool { !source.contains("{{") && !source.contains("{%") }

    /// Renders with `variables` as the outer scope (`trigger`, `widgets`, `flow`, `contact` in a flow). Throws for
    /// what cannot be computed (a division by zero, a loop or an output too large).
    public func render(with variables: some LiquidVariables, now: Date = Date()) throws(LiquidError) -> String {
        if isPlainText { return source }
        var renderer = LiquidRenderer(variables: variables, now: now)
        var output = ""
        _ = try renderer.render(nodes, into: &output)
        return output
    }
}

/// The outer scope of a render: looks up a top-level variable by name (`widgets` in `widgets.http_1.body`).
public protocol LiquidVariables {
    func value(named name: String) -> JSONValue?
}

extension JSONValue: LiquidVariables {
    /// An object's member.
    public func value(named name: String) -> JSONValue? { self[name] }
}

/// A template that cannot be parsed or rendered.
public struct LiquidError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
