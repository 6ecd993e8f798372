import Hummingbird
import Platform

extension AccountRepository {
    /// The API 2010 `{AccountSid}` of `request` if the caller may act on it (its own account or a subaccount);
    /// otherwise the path names nothing it can see (404).
    func accountInPath(_ request: Request, _ context: GatewayRequestContext) async throws -> SID {
        let principal = try context.requirePrincipal()
        let account = try context.sid("AccountSid", prefix: .account, path: request.uri.path)
        guard try await isVisible(account, to: principal.accountSid, logger: context.logger) else {
            throw APIError.notFound(request.uri.path)
        }
        return account
    }
}
