/**
 * stats.js — a Room's media counters in a flat shape: what arrives per subscribed track (the SUBSCRIBE
 * connection's `inbound-rtp` reports) and what is sent (the PUBLISH connection's `outbound-rtp` reports, one
 * per simulcast layer).
 */

/**
 * @typedef {object} InboundStats
 * @property {'audio'|'video'} kind
 * @property {string|null} trackSid  the subscribed track (from the report's mid, else its trackIdentifier)
 * @property {number|null} framesDecoded  video only
 * @property {number} packetsReceived
 * @property {number} bytesReceived
 * @property {number|null} audioLevel  audio only, 0..1
 *
 * @typedef {object} OutboundStats
 * @property {'audio'|'video'} kind
 * @property {string|null} trackSid  the published track (from the report's mid)
 * @property {string|null} rid  the simulcast layer, null without simulcast
 * @property {number} packetsSent
 * @property {number|null} framesEncoded  video only
 * @property {number} bytesSent
 */

/**
 * Collects the counters of both peer connections (either may be null).
 * @param {object} sources
 * @param {RTCPeerConnection|null} sources.publish
 * @param {RTCPeerConnection|null} sources.subscribe
 * @param {(mid: string|undefined, trackIdentifier: string|undefined) => string|null} sources.remoteTrackSid
 * @param {(mid: string|undefined) => string|null} sources.localTrackSid
 * @returns {Promise<{inbound: InboundStats[], outbound: OutboundStats[]}>}
 */
export async function collectStats({ publish, subscribe, remoteTrackSid, localTrackSid }) {
  const [received, sent] = await Promise.all([reports(subscribe), reports(publish)]);
  const inbound = received.filter((r) => r.type === 'inbound-rtp').map((r) => ({
    kind: kindOf(r),
    trackSid: remoteTrackSid(r.mid, r.trackIdentifier),
    framesDecoded: r.framesDecoded ?? null,
    packetsReceived: r.packetsReceived ?? 0,
    bytesReceived: r.bytesReceived ?? 0,
    audioLevel: r.audioLevel ?? null,
  }));
  const outbound = sent.filter((r) => r.type === 'outbound-rtp').map((r) => ({
    kind: kindOf(r),
    trackSid: localTrackSid(r.mid),
    rid: r.rid ?? null,
    packetsSent: r.packetsSent ?? 0,
    framesEncoded: r.framesEncoded ?? null,
    bytesSent: r.bytesSent ?? 0,
  }));
  return { inbound, outbound };
}

async function reports(pc) {
  if (!pc || pc.signalingState === 'closed') return [];
  const report = await pc.getStats();
  const list = [];
  report.forEach((r) => list.push(r));
  return list;
}

// Older browsers name it mediaType.
function kindOf(r) {
  return r.kind ?? r.mediaType ?? null;
}
