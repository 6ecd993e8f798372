import Foundation

/// A parsed Liquid template: parse once when a flow is loaded, render at every step.
/// (Placeholder API, filled by the Liquid engine.)
public struct LiquidTemplate: Sendable {
    /// The template's text as written.
    public let source: String

    /// Parses `source`; throws ``LiquidError`` naming what is wrong and where.
    public init(_ source: String) throws(LiquidError) {
        self.source = source
    }

    /// True when the template has no output or tag: rendering gives `source` back.
    public var isPlainText: Bool { !source.contains("{{") && !source.contains("{%") }

    /// Renders with `variables` as the outer scope (`trigger`, `widgets`, `flow`, `contact` in a flow).
    public func render(with variables: some LiquidVariables, now: Date = Date()) throws(LiquidError) -> String {
        source
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
