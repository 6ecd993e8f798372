import APIGateway
import Foundation
import OpenAPIDocuments
import Testing

/// `openapi/openapi.yaml` and the router describe the same routes, and the gateway serves that file.
@Suite struct OpenAPIDocumentTests {
    @Test func specAndRouterAgree() async throws {
        let document = String(decoding: try OpenAPIDocuments.restAPI(), as: UTF8.self)
        let documented = Set(Self.operations(in: document))
        #expect(documented.count > 5)
        try await GatewayHarness.run { gateway in
            let registered = Set(gateway.routes.routes.map { "\($0.method.rawValue) \($0.path)" })
            #expect(registered.subtracting(documented).sorted() == [], "registered but not in openapi.yaml")
            #expect(documented.subtracting(registered).sorted() == [], "in openapi.yaml but not registered")
            let served = try await gateway.send(.get, "/openapi.yaml")
            #expect(String(buffer: served.body) == document)
        }
    }

    /// `METHOD /path` for every operation under `paths:` (two-space path keys, four-space methods).
    static func operations(in document: String) -> [String] {
        var operations: [String] = []
        var inPaths = false
        var path: String?
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let colon = line.firstIndex(of: ":") {
                let key = line[line.index(line.startIndex, offsetBy: 4)..<colon]
                if methods.contains(String(key)), let path { operations.append("\(key.uppercased()) \(path)") }
            }
        }
        return operations
    }
}
