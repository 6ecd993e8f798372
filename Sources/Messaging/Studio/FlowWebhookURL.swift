import Platform

/// A flow's webhook URL, `{public-url}/webhooks/v1/Accounts/{AC}/Flows/{FW}` (Twilio's form): a number whose
/// `SmsUrl` is one starts the flow for every message instead of calling out.
public struct FlowWebhookURL: Sendable, Equatable {
    public let account: SID
    public let flow: SID

    /// The path after the public URL.
    public static func path(account: SID, flow: SID) -> String { "/webhooks/v1/Accounts/\(account)/Flows/\(flow)" }

    /// Recognises the URL by its path (whatever the host the operator published Parley under); nil for any other URL.
    public init?(_ url: String) {
        let withoutQuery = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        let parts = withoutQuery.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 6 else { return nil }
        let tail = Array(parts.suffix(6))
        guard tail[0] == "webhooks", tail[1] == "v1", tail[2] == "Accounts", tail[4] == "Flows",
            let account = SID(tail[3], prefix: .account), let flow = SID(tail[5], prefix: .flow)
        else { return nil }
        self.account = account
        self.flow = flow
    }
}
