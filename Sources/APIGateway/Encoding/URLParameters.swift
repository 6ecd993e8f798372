import Platform

extension EgressHTTPClient {
    /// Checks the URL given in `parameter` as a 400 would report it: what the egress guard refuses (internal
    /// addresses unless allowlisted, names resolving only to them, bad connection overrides), and any scheme but
    /// `schemes`.
    func checkParameter(_ parameter: String, url: String, schemes: Set<String> = ["http", "https"]) async throws {
        let target: EgressTarget
        do {
            target = try await validate(url)
        } catch let error as EgressError {
            throw APIError.invalidParameter(parameter, error.description)
        }
        guard schemes.contains(target.scheme) else {
            throw APIError.invalidParameter(parameter, "must be an absolute \(schemes.sorted().joined(separator: " or ")) URL")
        }
    }
}
