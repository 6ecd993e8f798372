import Logging
import Metrics
import NIOCore

/// The node's media demultiplexer (one per node, on the media event loop): every datagram or ICE-TCP frame
/// arrives here with its source address. STUN binding requests find their peer by the ICE ufrag in
/// USERNAME; everything else is accepted only from an address that already passed an ICE check of its peer
/// (so nothing is decrypted, answered or forwarded for an address that never proved it knows the ICE
/// password). Not thread-safe: confined to `loop`.
final class MediaRouter {
    let loop: EventLoop
    private let logger: Logger
    private var udp: Channel?
    private var peersByUfrag: [String: PeerTransport] = [:]
    private var peersByAddress: [TransportAddress: PeerTransport] = [:]
    private var tcpChannelsToFlush: [ObjectIdentifier: Channel] = [:]
    private var udpNeedsFlush = false
    /// Packets dropped because their address had not passed an ICE check, or did not parse.
    private(set) var refusedPackets = 0
    private let refusedCounter = Counter(label: "parley_media_refused_packets_total")

    init(loop: EventLoop, logger: Logger) {
        self.loop = loop
        self.logger = logger
    }

    func attach(udp channel: Channel) {
        udp = channel
    }

    func register(_ peer: PeerTransport) {
        peersByUfrag[peer.credentials.ufrag] = peer
    }

    /// Forgets `peer` and every address it was reached from.
    func unregister(_ peer: PeerTransport) {
        peersByUfrag[peer.credentials.ufrag] = nil
        for address in peer.authenticatedAddresses { peersByAddress[address] = nil }
    }

    /// Routes one datagram or ICE-TCP frame.
    func receive(_ bytes: [UInt8], from address: TransportAddress, sink: MediaSink, at now: ContinuousClock.Instant) {
        switch DatagramKind.classify(bytes) {
        case .stun:
            let peer = peersByAddress[address] ?? ICELiteAgent.localUfrag(ofBindingRequest: bytes).flatMap { peersByUfrag[$0] }
            guard let peer else { return refuse() }
            if peer.receiveSTUN(bytes, from: address, sink: sink, at: now) {
                if let previous = peersByAddress.updateValue(peer, forKey: address), previous !== peer {
                    previous.forget(address)
                }
            }
        case .dtls:
            guard let peer = peersByAddress[address] else { return refuse() }
            peer.receiveDTLS(bytes, at: now)
        case .rtp, .rtcp:
            guard let peer = peersByAddress[address] else { return refuse() }
            var packet = bytes
            peer.receiveSRTP(&packet, at: now)
        case .unknown:
            refuse()
        }
    }

    /// Queues `bytes` towards `sink`; ``flush()`` sends what is queued.
    func send(_ bytes: [UInt8], to sink: MediaSink) {
        switch sink {
        case .udp(let address):
            guard let udp else { return }
            let buffer = udp.allocator.buffer(bytes: bytes)
            udp.write(AddressedEnvelope(remoteAddress: address, data: buffer), promise: nil)
            udpNeedsFlush = true
        case .tcp(let channel):
            var buffer = channel.allocator.buffer(capacity: bytes.count + 2)
            buffer.writeInteger(UInt16(truncatingIfNeeded: bytes.count))
            buffer.writeBytes(bytes)
            channel.write(buffer, promise: nil)
            tcpChannelsToFlush[ObjectIdentifier(channel)] = channel
        }
    }

    /// Sends everything queued since the last flush (called after each read batch and each timer tick).
    func flush() {
        if udpNeedsFlush {
            udp?.flush()
            udpNeedsFlush = false
        }
        for channel in tcpChannelsToFlush.values { channel.flush() }
        tcpChannelsToFlush.removeAll(keepingCapacity: true)
    }

    /// An ICE-TCP connection closed: its address can no longer be used.
    func tcpConnectionClosed(from address: TransportAddress) {
        guard let peer = peersByAddress.removeValue(forKey: address) else { return }
        peer.forget(address)
    }

    private func refuse() {
        refusedPackets += 1
        refusedCounter.increment()
    }
}
