import Foundation

/// Runs a ``FlowProgram`` one execution at a time, sans I/O: it advances an execution through widgets until one
/// needs an effect (an HTTP request, a message, a reply, a call) or the flow ends, and returns the steps it ran.
/// The runtime performs the effect and calls ``resume(_:sequence:with:)`` with its result.
public struct FlowInterpreter: Sendable {
    public let program: FlowProgram
    public let limits: FlowLimits
    let clock: @Sendable () -> Date

    public init(program: FlowProgram, limits: FlowLimits = FlowLimits(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.program = program
        self.limits = limits
        self.clock = clock
    }

    /// Starts `execution` with the trigger's `event` (`incomingRequest`, `incomingMessage`, …).
    public func start(_ execution: inout FlowExecution, trigger event: String) -> [StepRecord] {
        guard execution.stepCount == 0, execution.pending == nil, !execution.hasEnded else { return [] }
        var steps: [StepRecord] = []
        let initial = program.states[program.initialState]
        guard case .trigger = initial.widget else {
            run(&execution, from: program.initialState, into: &steps)
            return steps
        }
        let now = clock()
        let next = initial.next(after: event)
        complete(&execution, state: initial, event: event, next: next, inputs: .object([:]), outputs: nil, startedAt: now, into: &steps)
        run(&execution, from: next, into: &steps)
        return steps
    }

    /// Hands the result of the pending effect numbered `sequence` to `execution` and runs on. Nil when the execution
    /// does not wait for that effect (any more) or the result does not fit it: nothing changed.
    public func resume(_ execution: inout FlowExecution, sequence: Int, with result: FlowEffectResult) -> [StepRecord]? {
        guard !execution.hasEnded, var pending = execution.pending, pending.sequence == sequence else { return nil }
        let state = program.states[pending.state]
        guard let completion = completion(of: pending, in: state, with: result) else { return nil }
        var steps: [StepRecord] = []
        switch completion {
        case .stillWaiting(let sent, let deadline):
            pending.sent = sent
            pending.replyDeadline = deadline
            execution.pending = pending
            return steps
        case .failure(let message):
            execution.pending = nil
            fail(&execution, state: state, message: message, inputs: pending.renderedInputs, startedAt: pending.startedAt, into: &steps)
        case .event(let event, let outputs):
            execution.pending = nil
            let next = state.next(after: event)
            guard complete(&execution, state: state, event: event, next: next, inputs: pending.renderedInputs, outputs: outputs,
                startedAt: pending.startedAt, into: &steps)
            else { return steps }
            run(&execution, from: next, into: &steps)
        }
        return steps
    }

    /// Ends `execution` where it stands (REST `Status=ended`, expiry); `reason`, when given, is recorded as its error.
    public func end(_ execution: inout FlowExecution, reason: String?) {
        guard !execution.hasEnded else { return }
        if let reason {
            let widget = execution.pending.map { program.states[$0.state].name }
            execution.context.error = Self.error(reason, widget: widget)
        }
        execution.pending = nil
        execution.hasEnded = true
    }

    /// Runs widgets from `index` until one waits or the flow ends.
    private func run(_ execution: inout FlowExecution, from index: Int?, into steps: inout [StepRecord]) {
        var next = index
        while let index = next {
            let state = program.states[index]
            let startedAt = clock()
            guard execution.stepCount < limits.maximumSteps else {
                fail(&execution, state: state, message: "step limit of \(limits.maximumSteps) reached", inputs: .object([:]),
                    startedAt: startedAt, into: &steps)
                return
            }
            switch perform(state, on: &execution) {
            case .transition(let event, let target, let inputs, let outputs):
                guard complete(&execution, state: state, event: event, next: target, inputs: inputs, outputs: outputs,
                    startedAt: startedAt, into: &steps)
                else { return }
                next = target
            case .wait(let effect, let inputs):
                execution.effectSequence += 1
                execution.pending = PendingEffect(
                    sequence: execution.effectSequence, state: index, effect: effect, startedAt: startedAt, inputs: inputs.jsonText)
                return
            case .failure(let message, let inputs):
                fail(&execution, state: state, message: message, inputs: inputs, startedAt: startedAt, into: &steps)
                return
            }
        }
        execution.hasEnded = true
    }

    /// Records a finished widget and stores its outputs; false when that made the context too large (the execution
    /// then ended with an error).
    @discardableResult
    private func complete(
        _ execution: inout FlowExecution, state: CompiledState, event: String, next: Int?, inputs: JSONValue, outputs: JSONValue?,
        startedAt: Date, into steps: inout [StepRecord]
    ) -> Bool {
        execution.stepCount += 1
        if let outputs {
            let replaced = execution.context.widgets.updateValue(outputs, forKey: state.name)
            execution.contextBytes += outputs.approximateByteCount - (replaced?.approximateByteCount ?? 0)
        }
        guard execution.contextBytes <= limits.maximumContextBytes else {
            execution.stepCount -= 1
            fail(&execution, state: state, message: "context larger than \(limits.maximumContextBytes) bytes", inputs: inputs,
                startedAt: startedAt, into: &steps)
            return false
        }
        steps.append(
            StepRecord(
                widget: state.name, type: state.type, event: event, next: next.map { program.states[$0].name }, inputs: inputs,
                outputs: outputs, error: nil, startedAt: startedAt, finishedAt: clock()))
        return true
    }

    /// Records a failed widget and ends the execution with its error.
    private func fail(
        _ execution: inout FlowExecution, state: CompiledState, message: String, inputs: JSONValue, startedAt: Date,
        into steps: inout [StepRecord]
    ) {
        execution.stepCount += 1
        execution.context.error = Self.error(message, widget: state.name)
        execution.pending = nil
        execution.hasEnded = true
        steps.append(
            StepRecord(
                widget: state.name, type: state.type, event: "failed", next: nil, inputs: inputs, outputs: nil, error: message,
                startedAt: startedAt, finishedAt: clock()))
    }

    static func error(_ message: String, widget: String?) -> JSONValue {
        var members: [String: JSONValue] = ["message": .string(message)]
        if let widget { members["widget"] = .string(widget) }
        return .object(members)
    }
}

extension PendingEffect {
    /// The inputs the widget rendered before it started waiting.
    var renderedInputs: JSONValue { JSONValue(parsing: inputs) ?? .object([:]) }
}
