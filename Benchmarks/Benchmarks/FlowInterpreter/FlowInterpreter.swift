import Benchmark
import Flows
import Foundation

/// The flow interpreter alone, in memory, on one core: a compute-only flow (set-variables with Liquid, a split on
/// the counter) looping 500 times. One iteration = one execution = 1,001 steps (the trigger, then 500 × 2), so steps
/// per second are the throughput × 1,001 (docs/benchmarks.md, "Flows").
let benchmarks: @Sendable () -> Void = {
    let program = computeProgram()
    let limits = FlowLimits(maximumSteps: 10_000)
    let metrics: [BenchmarkMetric] = [.throughput, .wallClock, .mallocCountTotal, .peakMemoryResident]

    // Baseline in the same run: the interpreter's own cost, one widget looping on itself with a plain-text value (no
    // Liquid, no split) until the step limit ends it at 1,001 steps.
    let plainProgram = plainLoopProgram()
    Benchmark("Baseline: plain set-variables loop, 1,001 steps", configuration: .init(metrics: metrics, maxDuration: .seconds(10), maxIterations: 100_000)) {
        benchmark in
        let interpreter = FlowInterpreter(program: plainProgram, limits: FlowLimits(maximumSteps: 1_000))
        for _ in benchmark.scaledIterations {
            var execution = FlowExecution(context: newContext())
            let steps = interpreter.start(&execution, trigger: "incomingRequest")
            precondition(steps.count == 1_001, "the flow ran \(steps.count) steps")
            blackHole(steps)
        }
    }

    Benchmark(
        "Compute flow, 1,001 steps per execution",
        configuration: .init(metrics: metrics, maxDuration: .seconds(10), maxIterations: 100_000)
    ) { benchmark in
        let interpreter = FlowInterpreter(program: program, limits: limits)
        for _ in benchmark.scaledIterations {
            var execution = FlowExecution(context: newContext())
            let steps = interpreter.start(&execution, trigger: "incomingRequest")
            precondition(steps.count == 1_001 && execution.context.error == nil, "the flow ran \(steps.count) steps")
            blackHole(steps)
        }
    }
}

func newContext() -> ExecutionContext {
    ExecutionContext(
        flowSid: "FW00000000000000000000000000000000", executionSid: "FN00000000000000000000000000000000",
        flowAddress: "+15005550006", contactAddress: "+15551230000", data: .object(["name": .string("Zeke")]),
        trigger: ["request": .object(["parameters": .object(["name": .string("Zeke")])])])
}

/// Trigger → again (set-variables with a plain value, leading to itself).
func plainLoopProgram() -> FlowProgram {
    compile("""
        {"initial_state": "Trigger", "states": [
          {"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingRequest", "next": "again"}]},
          {"name": "again", "type": "set-variables", "properties": {"variables": [{"key": "tier", "value": "gold"}]},
           "transitions": [{"event": "next", "next": "again"}]}]}
        """)
}

func compile(_ definition: String) -> FlowProgram {
    guard let json = JSONValue(parsing: definition), let program = FlowCompiler.compile(json).program else {
        fatalError("a benchmark's flow does not compile")
    }
    return program
}

/// Trigger → count (set-variables: a counter and a greeting) → check (split: below 500 loops back to count; else
/// the end).
func computeProgram() -> FlowProgram {
    compile("""
        {"description": "compute only", "initial_state": "Trigger", "flags": {"allow_concurrent_calls": true}, "states": [
          {"name": "Trigger", "type": "trigger", "properties": {"offset": {"x": 0, "y": 0}},
           "transitions": [{"event": "incomingRequest", "next": "count"}]},
          {"name": "count", "type": "set-variables", "properties": {"variables": [
              {"key": "count", "value": "{{flow.variables.count | default: 0 | plus: 1}}"},
              {"key": "greeting", "value": "Hello {{flow.data.name | upcase}} #{{flow.variables.count}}"}]},
           "transitions": [{"event": "next", "next": "check"}]},
          {"name": "check", "type": "split-based-on", "properties": {"input": "{{flow.variables.count}}"},
           "transitions": [
              {"event": "noMatch"},
              {"event": "match", "next": "count", "conditions": [
                  {"friendly_name": "more", "arguments": ["{{flow.variables.count}}"], "type": "less_than", "value": "500"}]}]}
        ]}
        """)
}
