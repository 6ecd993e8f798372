import Foundation
import Platform

/// Where one participant connects: the node's signaling URL and the join ticket for it.
struct LoadTicket: Sendable {
    var signalingURL: String
    var ticket: String
}

/// Asks the gateway for join tickets (`POST {gateway}/media/v1/Tickets`, docs/video.md), presenting
/// access tokens minted for each identity, through Parley's own egress client with the guard opened
/// for every address: the operator named the gateway on the command line.
struct LoadTickets: Sendable {
    let gateway: String
    let token: LoadAccessToken
    let client: EgressHTTPClient

    /// Fetches a ticket; gateway errors carry its Twilio-style JSON body.
    func ticket(identity: String, room: String) async throws -> LoadTicket {
        let form = [("Token", try token.mint(identity: identity, room: room)), ("Room", room)]
            .map { "\($0)=\(Self.formEncoded($1))" }.joined(separator: "&")
        let request = OutboundRequest(
            url: gateway + "/media/v1/Tickets", method: "POST",
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
        let result = await client.send(request)
        guard let status = result.statusCode else {
            throw LoadGeneratorError("ticket request failed: \(result.failure.map { "\($0)" } ?? "no response")")
        }
        let body = String(decoding: result.body, as: UTF8.self)
        guard status == 201, let object = (try? JSONSerialization.jsonObject(with: Data(result.body))) as? [String: Any],
            let url = object["signaling_url"] as? String, let ticket = object["ticket"] as? String
        else { throw LoadGeneratorError("ticket request answered \(status): \(body)") }
        return LoadTicket(signalingURL: url, ticket: ticket)
    }

    private static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
