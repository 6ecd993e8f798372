/**
 * subscriber.js — the receiving side of a Room: one SUBSCRIBE RTCPeerConnection, created by the node's first
 * `subscriber-offer`. The node offers again after every change to my subscriptions; each offer is applied in
 * arrival order and answered with `subscriber-answer` (same `revision`). The offer's `tracks` list names the
 * active sections (`mid` → track SID), which is how received MediaStreamTracks are told apart.
 */

import { ErrorCodes } from './errors.js';

export class Subscriber {
  /**
   * @param {object} options
   * @param {RTCIceServer[]} [options.iceServers]
   * @param {(message: object) => boolean} options.send  sends a signaling message (no reply expected)
   * @param {(trackSid: string, mediaStreamTrack: MediaStreamTrack) => void} options.onMedia  the track's media
   *   is now received on that MediaStreamTrack
   * @param {(trackSid: string) => void} options.onMediaGone  the track's section is no longer active
   * @param {(ev: RTCTrackEvent, trackSid: string|null) => void} options.onTrack  the pc's `track` event, with
   *   the track SID of its mid (null when no offer listed it)
   * @param {(code: number, message: string, cause: unknown) => void} options.onError  an offer that could not
   *   be applied or answered
   */
  constructor({ iceServers, send, onMedia, onMediaGone, onTrack, onError }) {
    this._iceServers = iceServers;
    this._send = send;
    this._onMedia = onMedia;
    this._onMediaGone = onMediaGone;
    this._onTrack = onTrack;
    this._onError = onError;
    /** @type {RTCPeerConnection|null} */
    this.peerConnection = null;
    /** @type {Map<string, {track: string, participant: string, kind: string}>} mid → active section */
    this._sections = new Map();
    /** @type {Map<string, MediaStreamTrack>} track SID → the MediaStreamTrack reported through onMedia */
    this._attached = new Map();
    this._queue = Promise.resolve();
    // Bumped by reset()/close(): offers queued for an older connection are skipped.
    this._generation = 0;
    this._closed = false;
  }

  /** Queues a `subscriber-offer` message; offers are applied strictly one after another. */
  offer(message) {
    if (this._closed) return;
    const generation = this._generation;
    this._queue = this._queue
      .then(() => (generation === this._generation ? this._apply(message) : undefined))
      .catch((cause) => this._onError(ErrorCodes.MEDIA_CLIENT_REMOTE_DESC_FAILED,
        `Subscriber offer ${message.revision} failed: ${cause?.message ?? cause}`, cause));
  }

  /** The track SID that the section `mid` carries (from the latest offer), or null. */
  trackSidOf(mid) {
    return (mid != null && this._sections.get(String(mid))?.track) || null;
  }

  /** Forgets the connection (its node is gone): media is reported gone; the next offer starts a new one. */
  reset() {
    this._generation += 1;
    const pc = this.peerConnection;
    this.peerConnection = null;
    try { pc?.close(); } catch { /* already closed */ }
    this._sections.clear();
    for (const sid of [...this._attached.keys()]) this._detach(sid);
  }

  /** Closes the connection for good (the room is disconnected); `peerConnection` stays, closed. */
  close() {
    this._closed = true;
    this._generation += 1;
    try { this.peerConnection?.close(); } catch { /* already closed */ }
  }

  // ---------------------------------------------------------------- internals

  _ensurePeerConnection() {
    if (this.peerConnection) return this.peerConnection;
    const pc = new RTCPeerConnection({
      iceServers: this._iceServers ?? [],
      bundlePolicy: 'max-bundle',
      rtcpMuxPolicy: 'require',
    });
    pc.addEventListener('track', (ev) => {
      if (pc !== this.peerConnection) return;
      const sid = this.trackSidOf(ev.transceiver?.mid);
      if (sid && ev.track) this._attach(sid, ev.track);
      this._onTrack(ev, sid);
    });
    this.peerConnection = pc;
    return pc;
  }

  async _apply(message) {
    const pc = this._ensurePeerConnection();
    const previous = this._sections;
    // In place before setRemoteDescription: the `track` events it fires look their mid up here.
    this._sections = sectionsOf(message.tracks);
    const listed = new Set([...this._sections.values()].map((s) => s.track));
    for (const sid of [...this._attached.keys()]) if (!listed.has(sid)) this._detach(sid);

    let step = 'remote';
    let answer;
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: String(message.sdp ?? '') });
      step = 'local';
      answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
    } catch (cause) {
      if (pc !== this.peerConnection) return;
      if (pc.signalingState === 'have-remote-offer') {
        try { await pc.setRemoteDescription({ type: 'rollback' }); } catch { /* nothing to roll back */ }
      }
      this._sections = previous;
      this._reconcile(pc);
      const code = step === 'remote' ? ErrorCodes.MEDIA_CLIENT_REMOTE_DESC_FAILED : ErrorCodes.MEDIA_CLIENT_LOCAL_DESC_FAILED;
      this._onError(code, `Could not ${step === 'remote' ? 'apply' : 'answer'} subscriber offer ${message.revision}: ${cause?.message ?? cause}`, cause);
      return;
    }
    if (pc !== this.peerConnection) return;
    // A socket that is down loses the answer; the node offers again once the session is resumed.
    this._send({ type: 'subscriber-answer', revision: message.revision, sdp: pc.localDescription?.sdp ?? answer.sdp });
    this._reconcile(pc);
  }

  /**
   * Matches the active sections with the transceivers' receiver tracks: a section reused for another track
   * after an unsubscribe fires no new `track` event, and a section gone inactive stops its track.
   */
  _reconcile(pc) {
    const live = new Map();
    for (const transceiver of pc.getTransceivers?.() ?? []) {
      const sid = this.trackSidOf(transceiver.mid);
      if (sid && transceiver.receiver?.track) live.set(sid, transceiver.receiver.track);
    }
    for (const [sid, track] of [...this._attached]) if (live.get(sid) !== track) this._detach(sid);
    for (const [sid, track] of live) this._attach(sid, track);
  }

  _attach(sid, track) {
    const current = this._attached.get(sid);
    if (current === track) return;
    if (current) this._detach(sid);
    this._attached.set(sid, track);
    this._onMedia(sid, track);
  }

  _detach(sid) {
    if (!this._attached.delete(sid)) return;
    this._onMediaGone(sid);
  }
}

/** The offer's `tracks` list as mid → section. */
function sectionsOf(tracks) {
  const sections = new Map();
  for (const t of Array.isArray(tracks) ? tracks : []) {
    if (t && t.mid != null && t.track) sections.set(String(t.mid), { track: t.track, participant: t.participant, kind: t.kind });
  }
  return sections;
}
