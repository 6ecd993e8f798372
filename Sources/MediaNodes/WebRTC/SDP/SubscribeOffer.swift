/// One m-line of a SUBSCRIBE peer connection: a remote participant's track the node forwards to this client.
struct OutgoingTrack: Sendable, Hashable {
    var mid: String
    /// audio or video.
    var kind: MediaKind
    /// The codec, with the payload type the node chose for this connection.
    var codec: NegotiatedCodec
    var rtxPayloadType: UInt8?
    /// The SSRC the node sends the track with (rewritten from the publisher's).
    var ssrc: UInt32
    var rtxSSRC: UInt32?
    var cname: String
    /// The publisher's participant SID, the MediaStream id the client sees.
    var streamID: String
    /// The track SID.
    var trackID: String
    /// False once the track is unsubscribed or unpublished: the m-line stays (port 0, inactive) so the order
    /// of m-lines never changes across renegotiations.
    var active: Bool
}

/// Builds the node's offer for a participant's SUBSCRIBE peer connection: one sendonly m-line per track, all
/// bundled, ICE-lite, `a=setup:actpass` (the client must answer active: the node is the DTLS server).
enum SubscribeOffer {
    /// The header extension ids the node's offers use; the SFU writes these ids into forwarded packets.
    static let midExtensionID = 1
    static let audioLevelExtensionID = 2

    static let proto = "UDP/TLS/RTP/SAVPF"

    /// The offer for these tracks, in this order. Refuses an empty list, a kind other than audio or video and
    /// duplicate mids: those would be bugs in the caller, not something a client sent.
    static func make(
        tracks: [OutgoingTrack], transport: NodeTransportParameters, origin: SDPOrigin
    ) throws(SDPError) -> SessionDescription {
        guard !tracks.isEmpty else { throw SDPError.unacceptable("A subscribe offer needs at least one track") }
        guard Set(tracks.map(\.mid)).count == tracks.count else { throw SDPError.unacceptable("Two subscribed tracks share a mid") }
        var sections: [MediaDescription] = []
        for track in tracks {
            guard track.kind == .audio || track.kind == .video else {
                throw SDPError.unacceptable("Track \(track.trackID) is neither audio nor video")
            }
            let section = track.active ? activeSection(for: track, transport: transport) : stoppedSection(for: track, transport: transport)
            sections.append(section)
        }
        return transport.session(origin: origin, bundle: tracks.filter(\.active).map(\.mid), media: sections)
    }

    /// The header extensions offered on a track's m-line.
    static func headerExtensions(for kind: MediaKind) -> [HeaderExtension] {
        var extensions = [HeaderExtension(id: midExtensionID, uri: RTPHeaderExtensionURI.mid)]
        if kind == .audio { extensions.append(HeaderExtension(id: audioLevelExtensionID, uri: RTPHeaderExtensionURI.audioLevel)) }
        return extensions
    }

    /// A live track: sendonly, with its msid, SSRCs (and FID group) and the node's candidates.
    private static func activeSection(for track: OutgoingTrack, transport: NodeTransportParameters) -> MediaDescription {
        var section = MediaDescription(
            media: track.kind.rawValue, port: transport.defaultPort, proto: proto,
            formats: track.codec.formats(rtxPayloadType: track.rtxPayloadType), connection: transport.defaultConnection
        )
        section.append("mid", track.mid)
        transport.appendCredentials(to: &section, setup: .actpass)
        section.append(MediaDirection.sendonly.rawValue)
        let msid = MSID(streamID: track.streamID, trackID: track.trackID)
        section.append(msid.attribute)
        section.append("rtcp-mux")
        section.attributes += track.codec.attributes(rtxPayloadType: track.rtxPayloadType)
        section.attributes += headerExtensions(for: track.kind).map { ExtMap(id: $0.id, uri: $0.uri).attribute }
        var ssrcs = [track.ssrc]
        if let rtxSSRC = track.rtxSSRC, track.rtxPayloadType != nil {
            section.append(SSRCGroup(semantics: SSRCGroup.retransmission, ssrcs: [track.ssrc, rtxSSRC]).attribute)
            ssrcs.append(rtxSSRC)
        }
        for ssrc in ssrcs {
            section.append(SSRCAttribute(ssrc: ssrc, name: "cname", value: track.cname).attribute)
            section.append(SSRCAttribute(ssrc: ssrc, name: "msid", value: msid.attributeValue).attribute)
        }
        transport.appendCandidates(to: &section)
        return section
    }

    /// A stopped track: port 0 and inactive, still naming its codec so the section stays well-formed.
    private static func stoppedSection(for track: OutgoingTrack, transport: NodeTransportParameters) -> MediaDescription {
        let formats = track.codec.formats(rtxPayloadType: track.rtxPayloadType)
        var section = transport.rejectedSection(media: track.kind.rawValue, proto: proto, formats: formats, mid: track.mid, setup: .actpass)
        section.attributes += track.codec.attributes(rtxPayloadType: track.rtxPayloadType)
        return section
    }
}
