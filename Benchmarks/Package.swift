// swift-tools-version:6.2
import PackageDescription

/// Parley's micro-benchmarks (ordo-one/benchmark), kept apart so `swift build`/`swift test` of the main package never
/// compile the benchmark dependencies. Run from this directory: `swift package benchmark`.
let package = Package(
    name: "parley-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "parley", path: ".."),
        // The default RuntimeInterposer trait pulls a package that does not resolve here; MallocInterposer does.
        .package(url: "https://github.com/ordo-one/package-benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "FlowInterpreter",
            dependencies: [
                .product(name: "Flows", package: "parley"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/FlowInterpreter",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
