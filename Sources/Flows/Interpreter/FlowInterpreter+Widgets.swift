import Foundation

/// What running a widget came to.
enum WidgetRun {
    /// It finished with `event`, leading to `next` (nil: the end).
    case transition(event: String, next: Int?, inputs: JSONValue, outputs: JSONValue?)
    /// It needs `effect` performed first.
    case wait(FlowEffect, inputs: JSONValue)
    /// It failed: the execution ends with `message`.
    case failure(String, inputs: JSONValue)
}

/// A template that could not be rendered, with the property it belongs to.
struct PropertyRenderingError: Error {
    let message: String
}

extension FlowInterpreter {
    /// Runs `state`'s widget against the execution's context.
    func perform(_ state: CompiledState, on execution: inout FlowExecution) -> WidgetRun {
        var inputs: [String: JSONValue] = [:]
        do {
            return try perform(state, on: &execution, inputs: &inputs)
        } catch {
            return .failure(error.message, inputs: .object(inputs))
        }
    }

    private func perform(
        _ state: CompiledState, on execution: inout FlowExecution, inputs: inout [String: JSONValue]
    ) throws(PropertyRenderingError) -> WidgetRun {
        let context = execution.context
        func render(_ template: LiquidTemplate, _ property: String) throws(PropertyRenderingError) -> String {
            let value = try Self.render(template, property, context: context, now: clock())
            inputs[property] = .string(value)
            return value
        }
        switch state.widget {
        case .trigger:
            return .failure("the trigger cannot be entered from another widget", inputs: .object([:]))
        case .splitBasedOn(let split):
            let input = try render(split.input, "input")
            let now = clock()
            for branch in split.branches {
                var holds = true
                for condition in branch.conditions where holds {
                    let value = try Self.render(condition.value, "value", context: context, now: now)
                    holds = condition.comparison.holds(input: input, value: value, now: now)
                }
                if holds { return .transition(event: "match", next: branch.next, inputs: .object(inputs), outputs: nil) }
            }
            return .transition(event: "noMatch", next: state.next(after: "noMatch"), inputs: .object(inputs), outputs: nil)
        case .setVariables(let assignments):
            var written: [String: JSONValue] = [:]
            for assignment in assignments {
                // Each value sees the ones set before it in the same widget.
                let text = try Self.render(assignment.value, "variables.\(assignment.key)", context: execution.context, now: clock())
                let value = assignment.parsesJSON ? (JSONValue(parsing: text) ?? .string(text)) : .string(text)
                let replaced = execution.context.variables.updateValue(value, forKey: assignment.key)
                execution.contextBytes += value.approximateByteCount + (replaced.map { -$0.approximateByteCount } ?? assignment.key.utf8.count + 4)
                written[assignment.key] = value
            }
            inputs["variables"] = .object(written)
            return .transition(event: "next", next: state.next(after: "next"), inputs: .object(inputs), outputs: nil)
        case .makeHTTPRequest(let widget):
            let url = try render(widget.url, "url")
            inputs["method"] = .string(widget.method)
            let parameters = try Self.render(widget.parameters, context: context, now: clock())
            if !parameters.isEmpty { inputs["parameters"] = .object(parameters.reduce(into: [:]) { $0[$1.key] = .string($1.value) }) }
            var jsonBody: String?
            if widget.encoding == .json, let body = widget.body { jsonBody = try render(body, "body") }
            return .wait(.httpRequest(FlowHTTPRequest(method: widget.method, url: url, parameters: parameters, jsonBody: jsonBody)),
                inputs: .object(inputs))
        case .runFunction(let widget):
            let url = try render(widget.url, "url")
            let parameters = try Self.render(widget.parameters, context: context, now: clock())
            if !parameters.isEmpty { inputs["parameters"] = .object(parameters.reduce(into: [:]) { $0[$1.key] = .string($1.value) }) }
            return .wait(.httpRequest(FlowHTTPRequest(method: "POST", url: url, parameters: parameters, jsonBody: nil)), inputs: .object(inputs))
        case .sendMessage(let widget):
            let message = FlowOutboundMessage(
                from: try render(widget.from, "from"), to: try render(widget.to, "to"), body: try render(widget.body, "body"),
                mediaURL: try widget.mediaURL.map { template throws(PropertyRenderingError) in try render(template, "media_url") })
            return .wait(.sendMessage(message), inputs: .object(inputs))
        case .sendAndWaitForReply(let widget):
            let message = FlowOutboundMessage(
                from: try render(widget.from, "from"), to: context.contactAddress, body: try render(widget.body, "body"),
                mediaURL: try widget.mediaURL.map { template throws(PropertyRenderingError) in try render(template, "media_url") })
            let timeoutText = try render(widget.timeout, "timeout")
            guard let timeout = Int(timeoutText.trimmingCharacters(in: .whitespaces)), timeout > 0 else {
                return .failure("property 'timeout': '\(timeoutText)' is not a number of seconds", inputs: .object(inputs))
            }
            // Past the lifetime the execution expires before it could time out; the cap keeps the wake time in range.
            return .wait(.sendAndWait(message, timeoutSeconds: min(timeout, limits.maximumLifetimeSeconds)), inputs: .object(inputs))
        case .voice(let widget):
            var properties: [String: String] = [:]
            for (name, template) in widget.properties.sorted(by: { $0.key < $1.key }) { properties[name] = try render(template, name) }
            return .wait(.call(CallInstruction(kind: widget.kind, properties: properties)), inputs: .object(inputs))
        case .unsupported:
            return .failure("widget type '\(state.type)' is not supported", inputs: .object(inputs))
        }
    }

    static func render(_ template: LiquidTemplate, _ property: String, context: ExecutionContext, now: Date) throws(PropertyRenderingError) -> String {
        if template.isPlainText { return template.source }
        do {
            return try template.render(with: context, now: now)
        } catch {
            throw PropertyRenderingError(message: "property '\(property)': \(error.message)")
        }
    }

    static func render(_ parameters: [TemplatedParameter], context: ExecutionContext, now: Date) throws(PropertyRenderingError) -> [FlowHTTPRequest.Parameter] {
        var rendered: [FlowHTTPRequest.Parameter] = []
        for parameter in parameters {
            rendered.append(.init(key: parameter.key, value: try render(parameter.value, "parameters.\(parameter.key)", context: context, now: now)))
        }
        return rendered
    }
}
