/**
 * parley-video.js — Parley Video signaling client (plain ES module, no build step, no dependencies).
 *
 * Speaks the signaling protocol of docs/video.md: a join ticket from the gateway
 * (`POST /media/v1/Tickets`), then one WebSocket to the room's media node.
 *
 * @example
 *   import { connect } from '/clients/js/parley-video.js';
 *   const room = await connect(accessToken, { room: 'standup' });
 *   room.addEventListener('participantConnected', (e) => console.log(e.detail.participant.identity));
 *   const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
 *   const published = await room.publish(stream.getTracks());   // [{ sid: 'MT…', name, kind, mid, … }]
 *   room.disconnect();
 *
 * ## API
 *
 * `connect(token, options) → Promise<Room>`
 *   - `token`            access token with a VideoGrant (sent as the `Token` form parameter).
 *   - `options.room`     room unique name or `RM…` SID (optional when the token's grant names the room).
 *   - `options.gatewayUrl = location.origin`  base URL of the Parley gateway.
 *   - `options.localTracks = []`  MediaStreamTracks (or a MediaStream) published once joined.
 *   - `options.reconnect = true`  resume the session when the signaling connection drops.
 *   - `options.autoSubscribe = true`  subscribe to every remote track as it is published.
 *   - `options.iceServers = []`  passed to the RTCPeerConnection.
 *   - Advanced (mostly for tests): `pingInterval` (10000 ms), `inactivityTimeout` (25000 ms),
 *     `reconnectWindow` (30000 ms), `reconnectBackoff` ([250, 500, 1000, 2000] ms, the last one repeats),
 *     `joinTimeout` (10000 ms: one ticket request, or socket open + `joined`, taking longer fails).
 *   Resolves once the node answers `joined` (and `localTracks`, if any, are published). Rejects with a
 *   `ParleyError` (`code`, `message`, and `status`/`moreInfo` for gateway errors) built from the gateway's
 *   Twilio-style error body (`{"code","message","more_info","status"}`) or the node's `error` message.
 *
 * `class Room extends EventTarget`
 *   - `sid`, `name`, `type`, `maxParticipants`, `audioOnly`
 *   - `state`: `'connecting' | 'connected' | 'reconnecting' | 'disconnected'` (`connecting` only before
 *     `connect()` resolves)
 *   - `localParticipant`: `LocalParticipant { sid, identity, tracks: Map<sid, LocalTrack> }`
 *     where `LocalTrack = { sid, name, kind, mid, enabled, mediaStreamTrack, transceiver }`
 *   - `participants`: `Map<sid, RemoteParticipant>`, `RemoteParticipant { sid, identity, state,
 *     tracks: Map<sid, RemoteTrack> }` where `RemoteTrack = { sid, name, kind, enabled, subscribed }`
 *   - `peerConnection`: the RTCPeerConnection (null until the first `publish()`)
 *   - Methods (all return Promises resolved by the reply with the request's `id`, rejected by an `error`):
 *     `publish(tracks) → LocalTrack[]`, `unpublish(trackSid)`, `subscribe(trackSid)`, `unsubscribe(trackSid)`,
 *     `mute(trackSid)`, `unmute(trackSid)`; `disconnect()` (sends `leave`, synchronous, returns the Room).
 *   - Events (CustomEvent, payload in `event.detail`):
 *       `participantConnected`     { participant }
 *       `participantDisconnected`  { participant }
 *       `participantReconnecting`  { participant }
 *       `participantReconnected`   { participant }   (a reconnecting participant is back)
 *       `trackPublished`           { participant, track }
 *       `trackUnpublished`         { participant, track }
 *       `trackUpdated`             { participant, track }   (mute state; also for local tracks)
 *       `trackSubscribed` / `trackUnsubscribed` { participant, track }
 *       `track`                    { participant, trackSid, mediaStreamTrack, streams, transceiver }
 *                                  (forwarded from the RTCPeerConnection's `track` event when media arrives;
 *                                  `participant`/`trackSid` are null when the owner cannot be told)
 *       `reconnecting`             { reason }  ('network' | 'node-draining' | 'room-moved' | 'inactivity')
 *       `reconnected`              {}
 *       `disconnected`             { reason, error? }  (reason from the node: 'room-ended' | 'kicked' |
 *                                  'duplicate-identity' | 'left'; from the client: 'left' after disconnect(),
 *                                  'network' when the connection dropped with reconnect off,
 *                                  'reconnect-failed' when resuming gave up)
 *       `error`                    { code, message, error }  (failures not tied to a pending call, e.g. an
 *                                  answer whose media sections could not be applied, a failed auto-subscribe)
 *
 * Keepalive: `ping` every 10 s; a socket that delivers nothing for 25 s is treated as dropped.
 * Reconnect: on a drop (not after `leave`/`disconnected`) or a `reconnect` message the room goes
 * `reconnecting` and asks the gateway for a new ticket with the same token, room and `ParticipantSid`,
 * backing off 250 ms, 500 ms, 1 s, 2 s, 2 s… for up to 30 s; a gateway 4xx (other than 408/429) ends it.
 */

const DEFAULTS = Object.freeze({
  reconnect: true,
  autoSubscribe: true,
  pingInterval: 10_000,
  inactivityTimeout: 25_000,
  reconnectWindow: 30_000,
  reconnectBackoff: [250, 500, 1000, 2000],
  joinTimeout: 10_000,
});

/** Twilio-style client error codes used for failures the client detects itself. */
export const ErrorCodes = Object.freeze({
  SIGNALING_CONNECTION_ERROR: 53000,
  SIGNALING_CONNECTION_DISCONNECTED: 53001,
  SIGNALING_CONNECTION_TIMEOUT: 53002,
  MEDIA_CLIENT_LOCAL_DESC_FAILED: 53400,
  MEDIA_CLIENT_REMOTE_DESC_FAILED: 53402,
});

/** An Error carrying a Twilio-style `code` (and, for gateway errors, `status` and `moreInfo`). */
export class ParleyError extends Error {
  constructor(code, message, { status, moreInfo, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ParleyError';
    this.code = code;
    if (status !== undefined) this.status = status;
    if (moreInfo !== undefined) this.moreInfo = moreInfo;
  }
}

export class LocalParticipant {
  constructor(sid, identity) {
    this.sid = sid;
    this.identity = identity;
    /** @type {Map<string, object>} track SID → LocalTrack */
    this.tracks = new Map();
  }
}

export class RemoteParticipant {
  constructor(sid, identity) {
    this.sid = sid;
    this.identity = identity;
    /** 'connected' | 'reconnecting' */
    this.state = 'connected';
    /** @type {Map<string, object>} track SID → RemoteTrack */
    this.tracks = new Map();
  }
}

/**
 * Joins a room: ticket from the gateway, WebSocket to the node, `join`, `joined`.
 * @param {string} token access token (VideoGrant)
 * @param {object} [options] see the header of this file
 * @returns {Promise<Room>}
 */
export async function connect(token, options = {}) {
  const {
    room: roomName,
    gatewayUrl = globalThis.location?.origin,
    localTracks = [],
  } = options;
  if (typeof token !== 'string' || token === '') throw new TypeError('connect: token is required');
  if (!gatewayUrl) throw new TypeError('connect: gatewayUrl is required outside a browser page');
  const room = new Room(token, { ...options, room: roomName, gatewayUrl });
  await room._connect();
  const tracks = trackList(localTracks);
  if (tracks.length > 0) {
    try {
      await room.publish(tracks);
    } catch (err) {
      room.disconnect();
      throw err;
    }
  }
  return room;
}

export class Room extends EventTarget {
  /** Use connect(); the constructor is internal. */
  constructor(token, options) {
    super();
    this._token = token;
    this._opts = { ...DEFAULTS, ...stripUndefined(options) };
    this._roomParam = options.room;
    this._gatewayUrl = String(options.gatewayUrl).replace(/\/+$/, '');

    this.sid = null;
    this.name = null;
    this.type = null;
    this.maxParticipants = null;
    this.audioOnly = false;
    this.state = 'connecting';
    this.localParticipant = new LocalParticipant(null, null);
    /** @type {Map<string, RemoteParticipant>} */
    this.participants = new Map();
    this.peerConnection = null;
    this.nodeSid = null;

    this._ws = null;
    this._seq = 0;
    this._pending = new Map();
    this._pingTimer = null;
    this._idleTimer = null;
    this._negotiation = Promise.resolve();
    this._midToTrackSid = new Map();
    this._sleepTimer = null;
    this._wakeSleep = null;
    this._deadlineTimer = null;
    this._subscribing = new Set();
  }

  // ---------------------------------------------------------------- public API

  /**
   * Publishes MediaStreamTracks (or a MediaStream): one `sendonly` transceiver each, an offer, `publish`,
   * then the node's `answer`. Resolves with the published LocalTracks (with their `MT…` SIDs).
   * @param {MediaStreamTrack[]|MediaStream} mediaStreamTracks
   */
  publish(mediaStreamTracks) {
    const tracks = trackList(mediaStreamTracks);
    const run = () => this._publish(tracks);
    const result = this._negotiation.then(run, run);
    this._negotiation = result.catch(() => {});
    return result;
  }

  /** Stops publishing one of my tracks. Resolves with the `unpublished` reply. */
  async unpublish(trackSid) {
    const reply = await this._request({ type: 'unpublish', track: trackSid });
    const track = this.localParticipant.tracks.get(trackSid);
    if (track) {
      this.localParticipant.tracks.delete(trackSid);
      if (track.mid != null) this._midToTrackSid.delete(track.mid);
      const tr = track.transceiver;
      try {
        if (tr?.sender?.replaceTrack) await tr.sender.replaceTrack(null);
        if (tr?.stop) tr.stop();
      } catch { /* the transceiver may already be stopped */ }
    }
    return reply;
  }

  /** Subscribes to a remote track. Resolves with the `subscribed` reply. */
  async subscribe(trackSid) {
    const reply = await this._request({ type: 'subscribe', track: trackSid });
    if (reply.mid != null) this._midToTrackSid.set(String(reply.mid), trackSid);
    this._setSubscribed(trackSid, true);
    return reply;
  }

  /** Unsubscribes from a remote track. Resolves with the `unsubscribed` reply. */
  async unsubscribe(trackSid) {
    const reply = await this._request({ type: 'unsubscribe', track: trackSid });
    this._setSubscribed(trackSid, false);
    return reply;
  }

  /** Mutes one of my tracks (also disables its MediaStreamTrack). Resolves with the `track-updated` reply. */
  mute(trackSid) {
    return this._setEnabled(trackSid, false);
  }

  /** Unmutes one of my tracks. Resolves with the `track-updated` reply. */
  unmute(trackSid) {
    return this._setEnabled(trackSid, true);
  }

  /** Leaves the room (`leave`) and closes everything. Returns the Room. */
  disconnect() {
    if (this.state === 'disconnected') return this;
    const ws = this._ws;
    if (ws && ws.readyState === 1) {
      try {
        ws.send(JSON.stringify({ type: 'leave', id: this._nextId() }));
      } catch { /* closing anyway */ }
    }
    this._finish('left');
    return this;
  }

  // ---------------------------------------------------------------- connect / join

  async _connect() {
    try {
      const joined = await this._joinOnce(null);
      this.state = 'connected';
      this._applyJoined(joined, false);
    } catch (err) {
      this._teardown(err);
      this.state = 'disconnected';
      throw err;
    }
  }

  /** Ticket + WebSocket + join → the `joined` message. Installs the socket as the current one. */
  async _joinOnce(participantSid) {
    const ticket = await this._fetchTicket(participantSid);
    if (this.state === 'disconnected') throw new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, 'Disconnected');
    this.nodeSid = ticket.node_sid ?? null;
    const url = signalingUrl(ticket.signaling_url, this._gatewayUrl);
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => {
        reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_TIMEOUT, `Timed out joining the room at ${url}`));
        if (this._ws) this._dropSocket(this._ws, 'timeout');
      }, this._opts.joinTimeout);
    });
    const join = (async () => {
      await this._openSocket(url);
      return this._request({ type: 'join', ticket: ticket.ticket });
    })();
    try {
      return await Promise.race([join, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async _fetchTicket(participantSid) {
    const form = new URLSearchParams();
    form.set('Token', this._token);
    if (this._roomParam != null && this._roomParam !== '') form.set('Room', this._roomParam);
    if (participantSid) form.set('ParticipantSid', participantSid);
    let res;
    try {
      res = await fetch(`${this._gatewayUrl}/media/v1/Tickets`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form.toString(),
        signal: typeof globalThis.AbortSignal?.timeout === 'function' ? AbortSignal.timeout(this._opts.joinTimeout) : undefined,
      });
    } catch (cause) {
      throw new ParleyError(ErrorCodes.SIGNALING_CONNECTION_ERROR,
        `Could not reach the gateway: ${cause?.message ?? cause}`, { cause });
    }
    let body = null;
    try {
      body = await res.json();
    } catch { /* not JSON */ }
    if (!res.ok) {
      const err = new ParleyError(
        body?.code ?? res.status,
        body?.message ?? `Ticket request failed with HTTP ${res.status}`,
        { status: body?.status ?? res.status, moreInfo: body?.more_info },
      );
      // A refused token, an unknown room or participant will not change by asking again.
      err.fatal = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      throw err;
    }
    if (!body || typeof body.signaling_url !== 'string' || typeof body.ticket !== 'string') {
      throw new ParleyError(ErrorCodes.SIGNALING_CONNECTION_ERROR, 'The gateway answered without a signaling_url and ticket');
    }
    return body;
  }

  _openSocket(url) {
    return new Promise((resolve, reject) => {
      let ws;
      try {
        ws = new WebSocket(url);
      } catch (cause) {
        reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_ERROR, `Could not open ${url}: ${cause?.message ?? cause}`, { cause }));
        return;
      }
      this._ws = ws;
      let opened = false;
      ws.addEventListener('open', () => {
        if (ws !== this._ws) return;
        opened = true;
        this._startKeepalive(ws);
        resolve();
      });
      ws.addEventListener('message', (ev) => this._onMessage(ws, ev.data));
      ws.addEventListener('close', (ev) => {
        if (!opened) reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_ERROR, `Could not connect to ${url} (${ev?.code ?? 'closed'})`));
        this._onSocketGone(ws, 'network');
      });
      ws.addEventListener('error', () => {
        if (!opened) {
          reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_ERROR, `Could not connect to ${url}`));
          this._onSocketGone(ws, 'network');
        }
      });
    });
  }

  // ---------------------------------------------------------------- requests

  _nextId() {
    this._seq += 1;
    return String(this._seq);
  }

  _request(message) {
    const ws = this._ws;
    if (!ws || ws.readyState !== 1) {
      return Promise.reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED,
        `Not connected (room is ${this.state})`));
    }
    const id = this._nextId();
    return new Promise((resolve, reject) => {
      this._pending.set(id, { resolve, reject, type: message.type });
      try {
        ws.send(JSON.stringify({ ...message, id }));
      } catch (cause) {
        this._pending.delete(id);
        reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Could not send ${message.type}`, { cause }));
      }
    });
  }

  _rejectPending(error) {
    const pending = [...this._pending.values()];
    this._pending.clear();
    for (const p of pending) p.reject(error);
  }

  // ---------------------------------------------------------------- incoming

  _onMessage(ws, data) {
    if (ws !== this._ws) return;
    this._touch(ws);
    let msg;
    try {
      msg = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return;
    }
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;

    let wasReply = false;
    if (msg.id != null && this._pending.has(String(msg.id))) {
      const p = this._pending.get(String(msg.id));
      this._pending.delete(String(msg.id));
      wasReply = true;
      if (msg.type === 'error') {
        p.reject(new ParleyError(msg.code, msg.message ?? 'Signaling error'));
      } else {
        p.resolve(msg);
      }
    }

    switch (msg.type) {
      case 'participant-connected': return this._onParticipantConnected(msg.participant);
      case 'participant-disconnected': return this._onParticipantDisconnected(msg.participant);
      case 'participant-reconnecting': return this._onParticipantReconnecting(msg.participant);
      case 'track-published': return this._onTrackPublished(msg.participant, msg.track);
      case 'track-unpublished': return this._onTrackUnpublished(msg.participant, msg.track);
      case 'track-updated': return this._onTrackUpdated(msg.participant, msg.track);
      case 'reconnect': return this._startReconnect(msg.reason ?? 'reconnect');
      case 'disconnected': return this._finish(msg.reason ?? 'disconnected');
      case 'joined':
        // Unsolicited state refresh: apply it as a diff.
        if (!wasReply && this.state === 'connected') this._applyJoined(msg, true);
        return undefined;
      case 'error':
        if (!wasReply) this._emitError(msg.code, msg.message ?? 'Signaling error');
        return undefined;
      default:
        return undefined; // pong, replies handled above, unknown types
    }
  }

  _applyJoined(joined, diff) {
    const r = joined.room ?? {};
    this.sid = r.sid ?? this.sid;
    this.name = r.name ?? this.name;
    this.type = r.type ?? this.type;
    this.maxParticipants = r.max_participants ?? this.maxParticipants;
    this.audioOnly = r.audio_only ?? this.audioOnly;
    if (joined.participant) {
      this.localParticipant.sid = joined.participant.sid ?? this.localParticipant.sid;
      this.localParticipant.identity = joined.participant.identity ?? this.localParticipant.identity;
    }
    const others = (joined.participants ?? []).filter((p) => p && p.sid !== this.localParticipant.sid);

    if (!diff) {
      for (const p of others) {
        const rp = new RemoteParticipant(p.sid, p.identity);
        for (const t of p.tracks ?? []) rp.tracks.set(t.sid, remoteTrack(t));
        this.participants.set(rp.sid, rp);
      }
      for (const rp of this.participants.values()) {
        for (const t of rp.tracks.values()) this._autoSubscribe(t);
      }
      return;
    }

    const seen = new Set();
    for (const p of others) {
      seen.add(p.sid);
      const existing = this.participants.get(p.sid);
      if (!existing) {
        this._onParticipantConnected(p);
        continue;
      }
      if (existing.state === 'reconnecting') {
        existing.state = 'connected';
        this._emit('participantReconnected', { participant: existing });
      }
      const trackSids = new Set();
      for (const t of p.tracks ?? []) {
        trackSids.add(t.sid);
        if (existing.tracks.has(t.sid)) this._onTrackUpdated(p.sid, t);
        else this._onTrackPublished(p.sid, t);
      }
      for (const sid of [...existing.tracks.keys()]) {
        if (!trackSids.has(sid)) this._onTrackUnpublished(p.sid, sid);
      }
    }
    for (const sid of [...this.participants.keys()]) {
      if (!seen.has(sid)) this._onParticipantDisconnected({ sid });
    }
  }

  _onParticipantConnected(p) {
    if (!p?.sid || p.sid === this.localParticipant.sid) return;
    let rp = this.participants.get(p.sid);
    if (rp) {
      if (rp.state === 'reconnecting') {
        rp.state = 'connected';
        this._emit('participantReconnected', { participant: rp });
      }
    } else {
      rp = new RemoteParticipant(p.sid, p.identity);
      this.participants.set(rp.sid, rp);
      this._emit('participantConnected', { participant: rp });
    }
    for (const t of p.tracks ?? []) {
      if (rp.tracks.has(t.sid)) this._onTrackUpdated(rp.sid, t);
      else this._onTrackPublished(rp.sid, t);
    }
  }

  _onParticipantDisconnected(p) {
    const rp = p?.sid ? this.participants.get(p.sid) : null;
    if (!rp) return;
    this.participants.delete(rp.sid);
    rp.state = 'disconnected';
    for (const t of rp.tracks.values()) this._forgetMid(t.sid);
    this._emit('participantDisconnected', { participant: rp });
  }

  _onParticipantReconnecting(p) {
    const rp = p?.sid ? this.participants.get(p.sid) : null;
    if (!rp || rp.state === 'reconnecting') return;
    rp.state = 'reconnecting';
    this._emit('participantReconnecting', { participant: rp });
  }

  _onTrackPublished(participantSid, t) {
    if (!t?.sid) return;
    if (participantSid === this.localParticipant.sid) {
      const lt = this.localParticipant.tracks.get(t.sid);
      if (lt) this._updateLocalTrack(lt, t);
      return;
    }
    const rp = this.participants.get(participantSid);
    if (!rp) return;
    if (rp.tracks.has(t.sid)) {
      this._onTrackUpdated(participantSid, t);
      return;
    }
    const track = remoteTrack(t);
    rp.tracks.set(track.sid, track);
    this._emit('trackPublished', { participant: rp, track });
    this._autoSubscribe(track);
  }

  _onTrackUnpublished(participantSid, trackSid) {
    const sid = typeof trackSid === 'object' && trackSid !== null ? trackSid.sid : trackSid;
    if (participantSid === this.localParticipant.sid) {
      const lt = this.localParticipant.tracks.get(sid);
      if (lt) {
        this.localParticipant.tracks.delete(sid);
        this._emit('trackUnpublished', { participant: this.localParticipant, track: lt });
      }
      return;
    }
    const rp = this.participants.get(participantSid);
    const track = rp?.tracks.get(sid);
    if (!track) return;
    rp.tracks.delete(sid);
    this._forgetMid(sid);
    this._emit('trackUnpublished', { participant: rp, track });
  }

  _onTrackUpdated(participantSid, t) {
    if (!t?.sid) return;
    if (participantSid === this.localParticipant.sid || this.localParticipant.tracks.has(t.sid)) {
      const lt = this.localParticipant.tracks.get(t.sid);
      if (lt) this._updateLocalTrack(lt, t);
      return;
    }
    const rp = this.participants.get(participantSid);
    if (!rp) return;
    const track = rp.tracks.get(t.sid);
    if (!track) {
      this._onTrackPublished(participantSid, t);
      return;
    }
    const changed = (t.enabled !== undefined && track.enabled !== !!t.enabled)
      || (t.name !== undefined && track.name !== t.name);
    if (t.enabled !== undefined) track.enabled = !!t.enabled;
    if (t.name !== undefined) track.name = t.name;
    if (changed) this._emit('trackUpdated', { participant: rp, track });
  }

  _updateLocalTrack(lt, t) {
    if (t.enabled === undefined || lt.enabled === !!t.enabled) return;
    lt.enabled = !!t.enabled;
    if (lt.mediaStreamTrack) lt.mediaStreamTrack.enabled = lt.enabled;
    this._emit('trackUpdated', { participant: this.localParticipant, track: lt });
  }

  _setSubscribed(trackSid, subscribed) {
    for (const rp of this.participants.values()) {
      const track = rp.tracks.get(trackSid);
      if (track && track.subscribed !== subscribed) {
        track.subscribed = subscribed;
        this._emit(subscribed ? 'trackSubscribed' : 'trackUnsubscribed', { participant: rp, track });
      }
    }
  }

  _autoSubscribe(track) {
    if (!this._opts.autoSubscribe || track.subscribed || this.state !== 'connected') return;
    if (this._subscribing.has(track.sid)) return;
    this._subscribing.add(track.sid);
    this.subscribe(track.sid)
      .catch((err) => {
        // A drop is not worth an error event: the subscription is retried once reconnected.
        if (this.state === 'connected') this._emitError(err.code, `Could not subscribe to ${track.sid}: ${err.message}`, err);
      })
      .finally(() => this._subscribing.delete(track.sid));
  }

  async _setEnabled(trackSid, enabled) {
    const reply = await this._request({ type: enabled ? 'unmute' : 'mute', track: trackSid });
    const lt = this.localParticipant.tracks.get(trackSid);
    if (lt) {
      this._updateLocalTrack(lt, { enabled: reply.track?.enabled ?? enabled });
    }
    return reply;
  }

  // ---------------------------------------------------------------- publish / media

  _ensurePeerConnection() {
    if (this.peerConnection) return this.peerConnection;
    const pc = new RTCPeerConnection({
      iceServers: this._opts.iceServers ?? [],
      bundlePolicy: 'max-bundle',
      rtcpMuxPolicy: 'require',
      sdpSemantics: 'unified-plan',
    });
    pc.addEventListener('track', (ev) => this._onMediaTrack(ev));
    this.peerConnection = pc;
    return pc;
  }

  async _publish(tracks) {
    if (this.state !== 'connected') {
      throw new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Cannot publish: room is ${this.state}`);
    }
    if (tracks.length === 0) return [];
    const pc = this._ensurePeerConnection();
    if (pc.signalingState === 'have-local-offer') {
      try { await pc.setLocalDescription({ type: 'rollback' }); } catch { /* nothing to roll back */ }
    }
    const used = new Set([...this.localParticipant.tracks.values()].map((t) => t.name));
    const entries = tracks.map((track, index) => {
      let name = (track.label && String(track.label)) || `${track.kind}${index}`;
      for (let n = 2; used.has(name); n += 1) name = `${(track.label && String(track.label)) || `${track.kind}${index}`} (${n})`;
      used.add(name);
      const transceiver = pc.addTransceiver(track, { direction: 'sendonly' });
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
      if (local.sid) {
        this.localParticipant.tracks.set(local.sid, local);
        if (local.mid != null) this._midToTrackSid.set(String(local.mid), local.sid);
      }
      return local;
    });

    if (typeof answer.sdp === 'string' && answer.sdp !== '') {
      try {
        await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
      } catch (cause) {
        // Until the node has a media engine its answer rejects every media section.
        this._emitError(ErrorCodes.MEDIA_CLIENT_REMOTE_DESC_FAILED,
          `Could not apply the answer: ${cause?.message ?? cause}`, cause);
      }
    }
    return published;
  }

  _dropTransceivers(entries) {
    for (const e of entries) {
      try { e.transceiver.stop?.(); } catch { /* ignore */ }
    }
  }

  _onMediaTrack(ev) {
    let trackSid = null;
    const mid = ev.transceiver?.mid;
    if (mid != null && this._midToTrackSid.has(String(mid))) trackSid = this._midToTrackSid.get(String(mid));
    let participant = null;
    if (trackSid) participant = this._ownerOf(trackSid);
    if (!participant) {
      for (const s of ev.streams ?? []) {
        if (this.participants.has(s.id)) { participant = this.participants.get(s.id); break; }
      }
    }
    if (!participant && ev.track?.id) {
      const owner = this._ownerOf(ev.track.id);
      if (owner) { participant = owner; trackSid = ev.track.id; }
    }
    this._emit('track', {
      participant,
      trackSid,
      mediaStreamTrack: ev.track,
      streams: ev.streams ?? [],
      transceiver: ev.transceiver ?? null,
    });
  }

  _ownerOf(trackSid) {
    for (const rp of this.participants.values()) if (rp.tracks.has(trackSid)) return rp;
    return null;
  }

  _forgetMid(trackSid) {
    for (const [mid, sid] of this._midToTrackSid) if (sid === trackSid) this._midToTrackSid.delete(mid);
  }

  // ---------------------------------------------------------------- keepalive

  _startKeepalive(ws) {
    this._stopKeepalive();
    this._pingTimer = setInterval(() => {
      if (ws !== this._ws || ws.readyState !== 1) return;
      try { ws.send(JSON.stringify({ type: 'ping', id: this._nextId() })); } catch { /* the close handler runs */ }
    }, this._opts.pingInterval);
    this._touch(ws);
  }

  _touch(ws) {
    if (ws !== this._ws || this._pingTimer === null) return;
    clearTimeout(this._idleTimer);
    this._idleTimer = setTimeout(() => this._dropSocket(ws, 'inactivity'), this._opts.inactivityTimeout);
  }

  _stopKeepalive() {
    clearInterval(this._pingTimer);
    clearTimeout(this._idleTimer);
    this._pingTimer = null;
    this._idleTimer = null;
  }

  // ---------------------------------------------------------------- drops, reconnect, teardown

  /** Closes a socket we give up on and handles it as dropped now (a dead peer may never finish the close). */
  _dropSocket(ws, reason) {
    if (ws !== this._ws) return;
    try { ws.close(4000, reason); } catch { /* ignore */ }
    this._onSocketGone(ws, reason);
  }

  /** The current socket closed or went silent. */
  _onSocketGone(ws, reason) {
    if (ws !== this._ws) return;
    this._ws = null;
    this._stopKeepalive();
    this._rejectPending(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED,
      reason === 'network' ? 'Signaling connection disconnected' : `Signaling connection timed out (${reason})`));
    if (this.state === 'connected') {
      if (this._opts.reconnect) this._startReconnect(reason);
      else this._finish('network', new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, 'Signaling connection disconnected'));
    }
    // connecting / reconnecting: the pending join attempt has been rejected above.
  }

  _startReconnect(reason) {
    if (this.state !== 'connected') return;
    if (!this._opts.reconnect) {
      this._finish('network', new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Asked to reconnect (${reason}) with reconnect off`));
      return;
    }
    this.state = 'reconnecting';
    const old = this._ws;
    this._ws = null;
    this._stopKeepalive();
    this._rejectPending(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Reconnecting (${reason})`));
    if (old) { try { old.close(1000, 'reconnecting'); } catch { /* ignore */ } }
    this._emit('reconnecting', { reason });
    this._reconnectLoop();
  }

  async _reconnectLoop() {
    const backoff = this._opts.reconnectBackoff.length ? this._opts.reconnectBackoff : [250];
    const deadline = Date.now() + this._opts.reconnectWindow;
    let lastError = null;
    clearTimeout(this._deadlineTimer);
    this._deadlineTimer = setTimeout(() => {
      this._deadlineTimer = null;
      if (this.state === 'reconnecting') {
        this._finish('reconnect-failed', lastError instanceof ParleyError ? lastError
          : new ParleyError(ErrorCodes.SIGNALING_CONNECTION_TIMEOUT, 'Could not reconnect in time'));
      }
    }, this._opts.reconnectWindow);
    for (let attempt = 0; ; attempt += 1) {
      const delay = backoff[Math.min(attempt, backoff.length - 1)];
      if (Date.now() + delay > deadline) break;
      await this._sleep(delay);
      if (this.state !== 'reconnecting') return;
      try {
        const joined = await this._joinOnce(this.localParticipant.sid);
        if (this.state !== 'reconnecting') {
          this._teardownSocket();
          return;
        }
        clearTimeout(this._deadlineTimer);
        this._deadlineTimer = null;
        this.state = 'connected';
        this._emit('reconnected', {});
        this._applyJoined(joined, true);
        for (const rp of this.participants.values()) {
          for (const t of rp.tracks.values()) this._autoSubscribe(t);
        }
        return;
      } catch (err) {
        lastError = err;
        this._teardownSocket();
        if (this.state !== 'reconnecting') return;
        if (err?.fatal) break;
      }
    }
    if (this.state !== 'reconnecting') return;
    const error = lastError instanceof ParleyError ? lastError
      : new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, 'Could not reconnect');
    this._finish('reconnect-failed', error);
  }

  _sleep(ms) {
    return new Promise((resolve) => {
      this._wakeSleep = resolve;
      this._sleepTimer = setTimeout(() => {
        this._sleepTimer = null;
        this._wakeSleep = null;
        resolve();
      }, ms);
    });
  }

  _teardownSocket() {
    const ws = this._ws;
    this._ws = null;
    this._stopKeepalive();
    if (ws && ws.readyState <= 1) {
      try { ws.close(1000); } catch { /* ignore */ }
    }
  }

  _teardown(error) {
    this._teardownSocket();
    clearTimeout(this._deadlineTimer);
    this._deadlineTimer = null;
    this._rejectPending(error ?? new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, 'Disconnected'));
    if (this._sleepTimer !== null) {
      clearTimeout(this._sleepTimer);
      this._sleepTimer = null;
      const wake = this._wakeSleep;
      this._wakeSleep = null;
      wake?.();
    }
    if (this.peerConnection) {
      try { this.peerConnection.close(); } catch { /* ignore */ }
    }
  }

  /** Ends the session for good and dispatches `disconnected`. */
  _finish(reason, error) {
    if (this.state === 'disconnected') return;
    const wasConnecting = this.state === 'connecting';
    this.state = 'disconnected';
    this._teardown(error ?? new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Disconnected (${reason})`));
    if (!wasConnecting) this._emit('disconnected', error ? { reason, error } : { reason });
  }

  // ---------------------------------------------------------------- events

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  _emitError(code, message, error) {
    this._emit('error', { code, message, error: error ?? new ParleyError(code, message) });
  }
}

// ---------------------------------------------------------------- helpers

function trackList(tracks) {
  if (!tracks) return [];
  if (typeof tracks.getTracks === 'function') return tracks.getTracks();
  return Array.from(tracks);
}

function remoteTrack(t) {
  return { sid: t.sid, name: t.name, kind: t.kind, enabled: t.enabled !== false, subscribed: false };
}

function stripUndefined(o) {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));
}

/** The node's URL, absolute; an http(s) or relative URL becomes ws(s). */
function signalingUrl(raw, base) {
  const url = new URL(raw, base);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.toString();
}

/** The n-th of the last `count` `a=mid:` lines of an SDP (when a transceiver has no mid yet). */
function midFromSdp(sdp, index, count) {
  const mids = [...String(sdp ?? '').matchAll(/^a=mid:(\S+)/gm)].map((m) => m[1]);
  const mine = mids.slice(Math.max(0, mids.length - count));
  return mine[index] ?? String(index);
}
