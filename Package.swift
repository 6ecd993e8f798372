// swift-tools-version:6.2
import PackageDescription

/// Parley: a self-hosted, Twilio-wire-compatible communications platform.
///
/// Dependencies point one way: the `parley` executable → APIGateway → domain modules
/// (Messaging, Flows, MediaNodes) → Platform. Flows stays pure (no I/O).
let package = Package(
    name: "parley",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "parley", targets: ["ParleyCLI"]),
        // For the micro-benchmarks in Benchmarks/ (a separate package).
        .library(name: "Flows", targets: ["Flows"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
    ],
    targets: [
        // Shared kernel: identifiers, errors, tenancy, database, crypto at rest.
        .target(
            name: "Platform",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Domain modules (filled by later issues).
        .target(
            name: "Messaging",
            dependencies: [
                "Platform", "Flows",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Flow model, validator, Liquid and interpreter: pure (Foundation only); effects are returned, not performed.
        .target(name: "Flows"),
        // libsrtp2 (SRTP/SRTCP) and the OpenSSL glue for DTLS-SRTP that Swift cannot call directly (macros,
        // certificate generation): the media node's C dependencies.
        .systemLibrary(name: "CSRTP", pkgConfig: "libsrtp2", providers: [.apt(["libsrtp2-dev"])]),
        .target(name: "CDTLS", linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]),
        // libopus: media streams decode participants' audio for WebSocket consumers and encode theirs back.
        .systemLibrary(name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        // Rooms, placement and the media node: signaling server, WebRTC protocol cores, transport and SFU, and
        // media streams to WebSocket consumers.
        .target(
            name: "MediaNodes",
            dependencies: [
                "Platform", "CSRTP", "CDTLS", "COpus",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // HTTP transport, auth, Twilio wire encoding, routes.
        .target(
            name: "APIGateway",
            dependencies: [
                "Platform", "Messaging", "Flows", "MediaNodes", "OpenAPIDocuments", "ClientAssets",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The API descriptions in openapi/, bundled so the gateway serves the very file we edit.
        .target(name: "OpenAPIDocuments", path: "openapi", resources: [.copy("openapi.yaml"), .copy("asyncapi.yaml")]),
        // The browser clients and demo pages in Clients/, served by the gateway as they are (no build step).
        .target(name: "ClientAssets", path: "Clients", exclude: ["test"], resources: [.copy("js"), .copy("demo")]),
        // The thin `parley` command line.
        .executableTarget(
            name: "ParleyCLI",
            dependencies: [
                "APIGateway", "MediaNodes", "Platform", "Flows",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Starts throwaway PostgreSQL clusters for tests.
        .target(name: "TestSupport", dependencies: ["Platform"], path: "Tests/TestSupport"),
        .testTarget(
            name: "PlatformTests",
            dependencies: [
                "Platform", "TestSupport",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "MediaNodesTests",
            dependencies: ["MediaNodes", .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "MessagingTests", dependencies: ["Messaging"]),
        .testTarget(name: "FlowsTests", dependencies: ["Flows"]),
        .testTarget(
            name: "APIGatewayTests",
            dependencies: [
                "APIGateway", "Platform", "MediaNodes", "Messaging", "Flows", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
