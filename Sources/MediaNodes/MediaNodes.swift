/// MediaNodes: the media plane (ICE-lite, DTLS-SRTP, RTP, SFU) and the node agent that registers
/// with the control plane. A namespace until the rooms and WebRTC issues fill it.
public enum MediaNodes {}
