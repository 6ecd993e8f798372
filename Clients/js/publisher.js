/**
 * publisher.js — the sending side of a Room: its PUBLISH RTCPeerConnection (created by the first publish) and
 * the offer/answer exchange that publishes local tracks. It only sends: media from the node arrives on the
 * SUBSCRIBE connection (subscriber.js).
 */

import { ErrorCodes, ParleyError } from './errors.js';

/**
 * The simulcast layers of a video track published with `{ simulcast: true }`, low to high: the node reads the
 * offer's rid order as low → high quality.
 */
export const SIMULCAST_ENCODINGS = Object.freeze([
  Object.freeze({ rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 }),
  Object.freeze({ rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 }),
  Object.freeze({ rid: 'f', maxBitrate: 1_500_000 }),
]);

export class Publisher {
  /**
   * @param {object} options
   * @param {RTCIceServer[]} [options.iceServers]
   * @param {Map<string, object>} options.localTracks  the LocalParticipant's tracks: read for names in use,
   *   the published ones are added
   * @param {(message: object) => Promise<object>} options.request  a signaling request, resolved by its reply
   * @param {(code: number, message: string, cause: unknown) => void} options.onError  a failure not tied to a
   *   pending call
   */
  constructor({ iceServers, localTracks, request, onError }) {
    this._iceServers = iceServers;
    this._localTracks = localTracks;
    this._request = request;
    this._onError = onError;
    /** @type {RTCPeerConnection|null} */
    this.peerConnection = null;
  }

  ensurePeerConnection() {
    if (this.peerConnection) return this.peerConnection;
    const pc = new RTCPeerConnection({
      iceServers: this._iceServers ?? [],
      bundlePolicy: 'max-bundle',
      rtcpMuxPolicy: 'require',
    });
    this.peerConnection = pc;
    return pc;
  }

  /**
   * One `sendonly` transceiver per track, an offer, `publish`, then the node's `answer`.
   * Resolves with the LocalTracks (those with a SID are added to `localTracks`). An answer that cannot be
   * applied is reported through `onError`; the tracks are published all the same.
   * @param {MediaStreamTrack[]} tracks  not empty
   * @param {{simulcast?: boolean}} [options]  `simulcast`: send video as the three SIMULCAST_ENCODINGS layers
   */
  async publish(tracks, { simulcast = false } = {}) {
    const pc = this.ensurePeerConnection();
    if (pc.signalingState === 'have-local-offer') {
      try { await pc.setLocalDescription({ type: 'rollback' }); } catch { /* nothing to roll back */ }
    }
    const used = new Set([...this._localTracks.values()].map((t) => t.name));
    const entries = tracks.map((track, index) => {
      let name = (track.label && String(track.label)) || `${track.kind}${index}`;
      for (let n = 2; used.has(name); n += 1) name = `${(track.label && String(track.label)) || `${track.kind}${index}`} (${n})`;
      used.add(name);
      const init = { direction: 'sendonly' };
      if (simulcast && track.kind === 'video') init.sendEncodings = SIMULCAST_ENCODINGS.map((e) => ({ ...e }));
      const transceiver = pc.addTransceiver(track, init);
      return { track, transceiver, name };
    });

    let sdp;
    try {
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      sdp = pc.localDescription?.sdp ?? offer.sdp;
    } catch (cause) {
      this._dropTransceivers(entries);
      throw new ParleyError(ErrorCodes.MEDIA_CLIENT_LOCAL_DESC_FAILED, `Could not create an offer: ${cause?.message ?? cause}`, { cause });
    }
    const offered = entries.map((e, index) => ({
      name: e.name,
      kind: e.track.kind,
      mid: e.transceiver.mid ?? midFromSdp(sdp, index, entries.length),
    }));

    let answer;
    try {
      answer = await this._request({ type: 'publish', sdp, tracks: offered });
    } catch (err) {
      try { await pc.setLocalDescription({ type: 'rollback' }); } catch { /* ignore */ }
      this._dropTransceivers(entries);
      throw err;
    }

    const replyTracks = Array.isArray(answer.tracks) ? answer.tracks : [];
    const published = entries.map((e, index) => {
      const info = offered[index];
      const t = replyTracks.find((r) => r.mid != null && String(r.mid) === String(info.mid))
        ?? replyTracks.find((r) => r.name === info.name)
        ?? replyTracks[index] ?? {};
      const local = {
        sid: t.sid ?? null,
        name: t.name ?? info.name,
        kind: t.kind ?? info.kind,
        mid: info.mid,
        enabled: t.enabled ?? e.track.enabled ?? true,
        mediaStreamTrack: e.track,
        transceiver: e.transceiver,
      };
      if (local.sid) this._localTracks.set(local.sid, local);
      return local;
    });

    if (typeof answer.sdp === 'string' && answer.sdp !== '') {
      try {
        await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
      } catch (cause) {
        this._onError(ErrorCodes.MEDIA_CLIENT_REMOTE_DESC_FAILED,
          `Could not apply the answer: ${cause?.message ?? cause}`, cause);
      }
    }
    return published;
  }

  /** Stops sending an unpublished LocalTrack (already removed from `localTracks`). */
  async stopSending(track) {
    const tr = track.transceiver;
    try {
      if (tr?.sender?.replaceTrack) await tr.sender.replaceTrack(null);
      if (tr?.stop) tr.stop();
    } catch { /* the transceiver may already be stopped */ }
  }

  close() {
    if (this.peerConnection) {
      try { this.peerConnection.close(); } catch { /* ignore */ }
    }
  }

  _dropTransceivers(entries) {
    for (const e of entries) {
      try { e.transceiver.stop?.(); } catch { /* ignore */ }
    }
  }
}

/** MediaStreamTracks from an array, an iterable or a MediaStream. */
export function trackList(tracks) {
  if (!tracks) return [];
  if (typeof tracks.getTracks === 'function') return tracks.getTracks();
  return Array.from(tracks);
}

/** The n-th of the last `count` `a=mid:` lines of an SDP (when a transceiver has no mid yet). */
function midFromSdp(sdp, index, count) {
  const mids = [...String(sdp ?? '').matchAll(/^a=mid:(\S+)/gm)].map((m) => m[1]);
  const mine = mids.slice(Math.max(0, mids.length - count));
  return mine[index] ?? String(index);
}
