/**
 * room.js — the Room: its public methods, and the session behind them: join (ticket, socket, `join`),
 * the node's messages routed to the state in room-state.js and to the two peer connections (publisher.js
 * sends, subscriber.js receives), reconnect with backoff, and teardown.
 */

import { ErrorCodes, ParleyError } from './errors.js';
import { requestTicket, signalingUrl } from './tickets.js';
import { SignalingChannel } from './signaling.js';
import { Publisher, trackList } from './publisher.js';
import { Subscriber } from './subscriber.js';
import { Reconnector } from './reconnect.js';
import { RoomState } from './room-state.js';
import { collectStats } from './stats.js';

const DEFAULTS = Object.freeze({
  reconnect: true,
  autoSubscribe: true,
  pingInterval: 10_000,
  inactivityTimeout: 25_000,
  reconnectWindow: 30_000,
  reconnectBackoff: [250, 500, 1000, 2000],
  joinTimeout: 10_000,
});

export class Room extends RoomState {
  /** Use connect(); the constructor is internal. */
  constructor(token, options) {
    super();
    this._token = token;
    this._opts = { ...DEFAULTS, ...stripUndefined(options) };
    this._roomParam = options.room;
    this._gatewayUrl = String(options.gatewayUrl).replace(/\/+$/, '');

    this.peerConnection = null;
    this.nodeSid = null;

    this._signaling = new SignalingChannel({
      pingInterval: this._opts.pingInterval,
      inactivityTimeout: this._opts.inactivityTimeout,
      onMessage: (msg, wasReply) => this._onMessage(msg, wasReply),
      onGone: (reason) => this._onSocketGone(reason),
      roomState: () => this.state,
    });
    this._publisher = new Publisher({
      iceServers: this._opts.iceServers,
      localTracks: this.localParticipant.tracks,
      request: (message) => this._signaling.request(message),
      onError: (code, message, cause) => this._emitError(code, message, cause),
    });
    this._subscriber = new Subscriber({
      iceServers: this._opts.iceServers,
      send: (message) => this._signaling.send(message),
      onMedia: (trackSid, mediaStreamTrack) => this._attachMedia(trackSid, mediaStreamTrack),
      onMediaGone: (trackSid) => this._detachMedia(trackSid),
      onTrack: (ev, trackSid) => this._onMediaTrack(ev, trackSid),
      onError: (code, message, cause) => this._emitError(code, message, cause),
    });
    this._reconnector = new Reconnector({
      window: this._opts.reconnectWindow,
      backoff: this._opts.reconnectBackoff,
      active: () => this.state === 'reconnecting',
      attempt: async () => {
        try {
          return await this._joinOnce(this.localParticipant.sid);
        } catch (err) {
          this._signaling.close();
          throw err;
        }
      },
      succeeded: (joined) => this._onRejoined(joined),
      failed: (error) => this._finish('reconnect-failed', error),
    });
    this._negotiation = Promise.resolve();
    this._subscribing = new Set();
  }

  // ---------------------------------------------------------------- public API

  /** The SUBSCRIBE RTCPeerConnection (null until the node's first `subscriber-offer`). */
  get subscribePeerConnection() {
    return this._subscriber.peerConnection;
  }

  /**
   * Publishes MediaStreamTracks (or a MediaStream): one `sendonly` transceiver each, an offer, `publish`,
   * then the node's `answer`. Resolves with the published LocalTracks (with their `MT…` SIDs).
   * @param {MediaStreamTrack[]|MediaStream} mediaStreamTracks
   * @param {{simulcast?: boolean}} [options]  `simulcast`: send each video track as three layers (low, medium,
   *   high) for the node to pick from per subscriber
   */
  publish(mediaStreamTracks, options = {}) {
    const tracks = trackList(mediaStreamTracks);
    const run = () => this._publish(tracks, options);
    const result = this._negotiation.then(run, run);
    this._negotiation = result.catch(() => {});
    return result;
  }

  /** Stops publishing one of my tracks. Resolves with the `unpublished` reply. */
  async unpublish(trackSid) {
    const reply = await this._signaling.request({ type: 'unpublish', track: trackSid });
    const track = this.localParticipant.tracks.get(trackSid);
    if (track) {
      this.localParticipant.tracks.delete(trackSid);
      await this._publisher.stopSending(track);
    }
    return reply;
  }

  /**
   * Subscribes to a remote track. Resolves with the `subscribed` reply; the media follows on the subscribe
   * connection (then `trackSubscribed`).
   * @param {string} trackSid
   * @param {{quality?: 'low'|'medium'|'high'}} [options]  the simulcast layer to receive (the node's default
   *   when omitted)
   */
  async subscribe(trackSid, { quality } = {}) {
    const message = { type: 'subscribe', track: trackSid };
    if (quality !== undefined) message.quality = quality;
    const reply = await this._signaling.request(message);
    this._setSubscribed(trackSid, true, quality);
    return reply;
  }

  /**
   * Picks the simulcast layer of a subscribed track. Resolves with the `quality-set` reply.
   * @param {string} trackSid
   * @param {'low'|'medium'|'high'} quality
   */
  async setQuality(trackSid, quality) {
    const reply = await this._signaling.request({ type: 'set-quality', track: trackSid, quality });
    const track = this._ownerOf(trackSid)?.tracks.get(trackSid);
    if (track) track.quality = quality;
    return reply;
  }

  /**
   * Media counters of both peer connections (see stats.js): `inbound` per received track (`trackSid`,
   * `packetsReceived`, `framesDecoded`, `audioLevel`, …), `outbound` per sent stream or simulcast layer.
   * @returns {Promise<{inbound: object[], outbound: object[]}>}
   */
  getStats() {
    return collectStats({
      publish: this._publisher.peerConnection,
      subscribe: this._subscriber.peerConnection,
      remoteTrackSid: (mid, trackIdentifier) => this._subscriber.trackSidOf(mid) ?? this._remoteTrackSidOf(trackIdentifier),
      localTrackSid: (mid) => [...this.localParticipant.tracks.values()]
        .find((t) => mid != null && String(t.mid) === String(mid))?.sid ?? null,
    });
  }

  /** Unsubscribes from a remote track. Resolves with the `unsubscribed` reply. */
  async unsubscribe(trackSid) {
    const reply = await this._signaling.request({ type: 'unsubscribe', track: trackSid });
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
    this._signaling.notify({ type: 'leave' });
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
    const ticket = await requestTicket({
      gatewayUrl: this._gatewayUrl,
      token: this._token,
      room: this._roomParam,
      participantSid,
      timeout: this._opts.joinTimeout,
    });
    if (this.state === 'disconnected') throw new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, 'Disconnected');
    // Another node has none of the old subscribe connection: its first offer starts a new one.
    if (participantSid && (ticket.node_sid ?? null) !== this.nodeSid) this._subscriber.reset();
    this.nodeSid = ticket.node_sid ?? null;
    const url = signalingUrl(ticket.signaling_url, this._gatewayUrl);
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => {
        reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_TIMEOUT, `Timed out joining the room at ${url}`));
        this._signaling.drop('timeout');
      }, this._opts.joinTimeout);
    });
    const join = (async () => {
      await this._signaling.open(url);
      return this._signaling.request({ type: 'join', ticket: ticket.ticket });
    })();
    try {
      return await Promise.race([join, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  // ---------------------------------------------------------------- incoming

  /** A message from the node (a reply has already settled its request). */
  _onMessage(msg, wasReply) {
    switch (msg.type) {
      case 'participant-connected': return this._onParticipantConnected(msg.participant);
      case 'participant-disconnected': return this._onParticipantDisconnected(msg.participant);
      case 'participant-reconnecting': return this._onParticipantReconnecting(msg.participant);
      case 'track-published': return this._onTrackPublished(msg.participant, msg.track);
      case 'track-unpublished': return this._onTrackUnpublished(msg.participant, msg.track);
      case 'track-updated': return this._onTrackUpdated(msg.participant, msg.track);
      case 'subscriber-offer': return this._subscriber.offer(msg);
      case 'dominant-speaker': return this._onDominantSpeaker(msg.participant ?? null);
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

  /** The remote track whose MediaStreamTrack has this id (stats without a mid). */
  _remoteTrackSidOf(mediaStreamTrackId) {
    if (mediaStreamTrackId == null) return null;
    for (const rp of this.participants.values()) {
      for (const t of rp.tracks.values()) if (t.mediaStreamTrack?.id === mediaStreamTrackId) return t.sid;
    }
    return null;
  }

  async _setEnabled(trackSid, enabled) {
    const reply = await this._signaling.request({ type: enabled ? 'unmute' : 'mute', track: trackSid });
    const lt = this.localParticipant.tracks.get(trackSid);
    if (lt) {
      this._updateLocalTrack(lt, { enabled: reply.track?.enabled ?? enabled });
    }
    return reply;
  }

  async _publish(tracks, options) {
    if (this.state !== 'connected') {
      throw new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Cannot publish: room is ${this.state}`);
    }
    if (tracks.length === 0) return [];
    this.peerConnection = this._publisher.ensurePeerConnection();
    return this._publisher.publish(tracks, options);
  }

  // ---------------------------------------------------------------- drops, reconnect, teardown

  /** The current socket closed or went silent (its pending requests are rejected). */
  _onSocketGone(reason) {
    if (this.state === 'connected') {
      if (this._opts.reconnect) this._startReconnect(reason);
      else this._finish('network', new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, 'Signaling connection disconnected'));
    }
    // connecting / reconnecting: the pending join attempt has been rejected.
  }

  _startReconnect(reason) {
    if (this.state !== 'connected') return;
    if (!this._opts.reconnect) {
      this._finish('network', new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Asked to reconnect (${reason}) with reconnect off`));
      return;
    }
    this.state = 'reconnecting';
    this._signaling.close(1000, 'reconnecting');
    this._signaling.rejectPending(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Reconnecting (${reason})`));
    this._emit('reconnecting', { reason });
    this._reconnector.run();
  }

  _onRejoined(joined) {
    if (this.state !== 'reconnecting') {
      this._signaling.close();
      return;
    }
    this.state = 'connected';
    this._emit('reconnected', {});
    this._applyJoined(joined, true);
    for (const rp of this.participants.values()) {
      for (const t of rp.tracks.values()) this._autoSubscribe(t);
    }
  }

  _teardown(error) {
    this._signaling.close();
    this._reconnector.cancel();
    this._signaling.rejectPending(error ?? new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, 'Disconnected'));
    this._publisher.close();
    this._subscriber.close();
  }

  /** Ends the session for good and dispatches `disconnected`. */
  _finish(reason, error) {
    if (this.state === 'disconnected') return;
    const wasConnecting = this.state === 'connecting';
    this.state = 'disconnected';
    this._teardown(error ?? new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Disconnected (${reason})`));
    if (!wasConnecting) this._emit('disconnected', error ? { reason, error } : { reason });
  }
}

function stripUndefined(o) {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));
}
