/// libFuzzer harness for the SDP codec and the negotiation that reads it: text either fails to parse or
/// parses into a description that serializes and parses back equal; the node then answers it as a publish
/// offer and checks it as a subscribe answer, which may refuse it but must not trap, and an answer the node
/// writes must itself be SDP it can read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let description = try? SessionDescription(parsing: text) else { return 0 }
    let serialized = description.serialized()
    do {
        let reparsed = try SessionDescription(parsing: serialized)
        fuzzCheck(reparsed == description, "re-parsed description differs:\n\(serialized)")
    } catch {
        fuzzCheck(false, "serialized description does not parse: \(error)\n\(serialized)")
    }

    if let publish = try? PublishNegotiation.answer(to: description, transport: FuzzNode.transport, origin: FuzzNode.origin) {
        fuzzCheck(publish.media.count == description.media.count, "the answer drops or adds media sections")
        let answer = publish.answer.serialized()
        fuzzCheck((try? SessionDescription(parsing: answer)) == publish.answer, "the node's answer does not parse back:\n\(answer)")
    }
    _ = try? SubscribeAnswer.check(answer: description, for: FuzzNode.subscribeOffer)
    return 0
}

/// Fixed node parameters, as a media node would use them.
private enum FuzzNode {
    static let transport = NodeTransportParameters(
        iceUfrag: "fuzzUfrag", icePwd: "fuzzPasswordFuzzPassword",
        fingerprint: "sha-256 " + Array(repeating: "AB", count: 32).joined(separator: ":"),
        candidates: ["candidate:1 1 udp 2130706431 192.0.2.7 40000 typ host"]
    )
    static let origin = SDPOrigin(sessionID: "4242", sessionVersion: 1)

    /// An offer of an opus track and two VP8 tracks with RTX: what the seed subscribe answers answer.
    static let subscribeOffer: SessionDescription = {
        let opus = NegotiatedCodec(name: "opus", payloadType: 111, clockRate: 48000, channels: 2, formatParameters: "minptime=10;useinbandfec=1")
        let vp8 = NegotiatedCodec(name: "VP8", payloadType: 96, clockRate: 90000)
        let tracks = [(mid: "0", codec: opus, rtx: nil), ("1", vp8, 97), ("2", vp8, 97)].enumerated().map { index, track in
            OutgoingTrack(
                mid: track.mid, kind: track.codec.name == "opus" ? .audio : .video, codec: track.codec, rtxPayloadType: track.rtx,
                ssrc: UInt32(1000 + index), rtxSSRC: track.rtx.map { _ in UInt32(2000 + index) }, cname: "PA_1", streamID: "PA_1",
                trackID: "MT_\(index)", active: true
            )
        }
        guard let offer = try? SubscribeOffer.make(tracks: tracks, transport: transport, origin: origin) else {
            fatalError("the fixed subscribe offer is refused")
        }
        return offer
    }()
}
