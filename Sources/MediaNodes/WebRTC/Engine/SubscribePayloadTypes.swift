/// The payload types the node uses in its subscribe offers (the publisher's own numbers are its session's
/// and are rewritten on the way out). Dynamic range, as browsers use them.
enum SubscribePayloadTypes {
    static let opus: UInt8 = 111
    static let vp8: UInt8 = 96
    static let h264: UInt8 = 102

    static func payloadType(for codec: NegotiatedCodec) -> UInt8 {
        switch codec.name.lowercased() {
        case "opus": opus
        case "h264": h264
        default: vp8
        }
    }

    /// The publisher's codec under the node's payload type (same parameters, so the subscriber decodes what
    /// the publisher encoded), with the feedback the node acts on: NACK, PLI and FIR (it sends no transport-cc).
    static func codec(for codec: NegotiatedCodec, payloadType: UInt8) -> NegotiatedCodec {
        var offered = codec
        offered.payloadType = payloadType
        offered.feedback = codec.feedback.filter { $0.type == "nack" || $0.type == "ccm" }.map {
            RTCPFeedback(payloadType: payloadType, type: $0.type, parameter: $0.parameter)
        }
        return offered
    }
}
