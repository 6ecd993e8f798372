import ArgumentParser
import Foundation
import Platform

/// The egress guard's allowlist, for every command whose process makes outbound connections (webhooks,
/// media stream consumers).
struct EgressOptions: ParsableArguments {
    @Option(help: "Address ranges outbound requests may reach in spite of the egress guard, e.g. 10.20.0.0/16,fd00::/8 (default: $\(EgressPolicy.environmentVariable)).")
    var egressAllow: String?

    func validate() throws {
        do { _ = try policy() } catch { throw ValidationError("--egress-allow / \(EgressPolicy.environmentVariable): \(error)") }
    }

    /// The flag wins over the environment variable.
    func policy() throws -> EgressPolicy {
        if let egressAllow { return try EgressPolicy.parse(egressAllow) }
        return try EgressPolicy.fromEnvironment(ProcessInfo.processInfo.environment)
    }
}
