/// Whether the client took one m-line of the node's subscribe offer.
struct SubscribedMedia: Sendable, Hashable {
    var mid: String
    /// The section is live (port not 0), the client receives (recvonly or sendrecv) and kept the codec.
    var accepted: Bool
}

/// What the client's answer to a subscribe offer says.
struct SubscribeAnswerResult: Sendable, Hashable {
    /// The client's ICE credentials, fingerprint and DTLS role (always active).
    var remote: RemoteTransportParameters
    /// One entry per m-line, in the offer's order.
    var media: [SubscribedMedia]
}

/// Checks the client's answer on a SUBSCRIBE peer connection against the node's offer.
enum SubscribeAnswer {
    /// Refuses an answer whose m-lines do not match the offer's, that does not take the DTLS client role
    /// (`a=setup:active`), or that lacks ICE credentials or a sha-256 fingerprint.
    static func check(answer: SessionDescription, for offer: SessionDescription) throws(SDPError) -> SubscribeAnswerResult {
        guard !answer.media.isEmpty, answer.media.count == offer.media.count else {
            throw SDPError.unacceptable("The answer has \(answer.media.count) media sections, the offer \(offer.media.count)")
        }
        var media: [SubscribedMedia] = []
        for (offered, answered) in zip(offer.media, answer.media) {
            guard let mid = offered.mid, answered.mid == mid, answered.media == offered.media else {
                throw SDPError.unacceptable("The answer's media sections are not in the offer's order (mid \(answered.mid ?? "none"))")
            }
            media.append(SubscribedMedia(mid: mid, accepted: isAccepted(answered, offered: offered)))
        }
        let acceptedMIDs = media.filter(\.accepted).map(\.mid)
        // The client's transport is the one of its BUNDLE tag; with nothing accepted any section will do.
        var transportSection = answer.media[0]
        if !acceptedMIDs.isEmpty {
            guard let bundle = answer.bundleGroup?.mids, acceptedMIDs.allSatisfy(bundle.contains),
                let tag = bundle.first.flatMap({ answer.media(withMID: $0) })
            else {
                throw SDPError.unacceptable("The answer does not BUNDLE every accepted media section (the node requires BUNDLE)")
            }
            transportSection = tag
        }
        let remote = try RemoteTransportParameters(of: answer, section: transportSection, allowedSetups: [.active], role: "answer")
        return SubscribeAnswerResult(remote: remote, media: media)
    }

    /// Whether the client receives the section with the offered codec.
    private static func isAccepted(_ answered: MediaDescription, offered: MediaDescription) -> Bool {
        guard !offered.isRejected, !answered.isRejected, answered.direction.receives, answered.isRTCPMuxed else { return false }
        guard let codec = offered.payloadTypes.first else { return false }
        return answered.payloadTypes.contains(codec)
    }
}
