extension RemoteTransportParameters {
    /// The ICE credentials, as ``PeerTransport`` takes them.
    var iceCredentials: ICECredentials { ICECredentials(ufrag: iceUfrag, password: icePwd) }
    /// The fingerprint in its SDP form, `sha-256 AB:CD:…`, as ``DTLSEndpoint`` takes it.
    var fingerprintText: String { "\(fingerprint.algorithm) \(fingerprint.value)" }
}
