/**
 * room-state.js — what a Room knows about the room: its fields, the local participant, the remote
 * participants and their tracks, kept up to date from the node's messages (`joined`, `participant-…`,
 * `track-…`), and the events dispatched as they change. Room (room.js) extends RoomState with the session.
 */

import { ParleyError } from './errors.js';

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
 * The room's state and its events. Subclasses hook in `_autoSubscribe(track)` (a remote track appeared).
 *
 * A remote track is announced with `trackSubscribed` once both the node confirmed the subscription
 * (`subscribed`) and its media arrived on the subscribe connection; `trackUnsubscribed` follows an announced
 * track only, when it stops (unsubscribed, unpublished, its participant gone, its section dropped).
 */
export class RoomState extends EventTarget {
  constructor() {
    super();
    this.sid = null;
    this.name = null;
    this.type = null;
    this.maxParticipants = null;
    this.audioOnly = false;
    /** 'connecting' | 'connected' | 'reconnecting' | 'disconnected' */
    this.state = 'connecting';
    this.localParticipant = new LocalParticipant(null, null);
    /** @type {Map<string, RemoteParticipant>} */
    this.participants = new Map();
    /** @type {RemoteParticipant|LocalParticipant|null} the loudest participant, as the node last said */
    this.dominantSpeaker = null;
    /** @type {WeakSet<object>} RemoteTracks announced with `trackSubscribed` */
    this._announced = new WeakSet();
  }

  /** Hook: a remote track appeared (`track` is its RemoteTrack). */
  _autoSubscribe(track) {}

  // ---------------------------------------------------------------- node messages

  /** Applies a `joined` message: the whole state on the first join, as a diff (with events) afterwards. */
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
    for (const t of rp.tracks.values()) this._retract(rp, t);
    this._emit('participantDisconnected', { participant: rp });
    if (this.dominantSpeaker === rp) this._onDominantSpeaker(null);
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
    this._retract(rp, track);
    rp.tracks.delete(sid);
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

  /** The node confirmed (or ended) my subscription to a remote track; `quality` as asked, if any. */
  _setSubscribed(trackSid, subscribed, quality) {
    const rp = this._ownerOf(trackSid);
    const track = rp?.tracks.get(trackSid);
    if (!track) return;
    track.subscribed = subscribed;
    if (quality !== undefined) track.quality = quality;
    if (subscribed) this._announce(rp, track);
    else this._retract(rp, track);
  }

  /** `dominant-speaker`: the participant SID (maybe mine) or null. */
  _onDominantSpeaker(participantSid) {
    let participant = null;
    if (participantSid != null) {
      participant = participantSid === this.localParticipant.sid ? this.localParticipant
        : this.participants.get(participantSid) ?? null;
    }
    if (participant === this.dominantSpeaker) return;
    this.dominantSpeaker = participant;
    this._emit('dominantSpeakerChanged', { participant });
  }

  // ---------------------------------------------------------------- media

  /** A remote track's media arrives on `mediaStreamTrack` (subscribe connection). */
  _attachMedia(trackSid, mediaStreamTrack) {
    const rp = this._ownerOf(trackSid);
    const track = rp?.tracks.get(trackSid);
    if (!track) return;
    if (track.mediaStreamTrack && track.mediaStreamTrack !== mediaStreamTrack) this._retract(rp, track);
    track.mediaStreamTrack = mediaStreamTrack;
    this._announce(rp, track);
  }

  /** A remote track's section is no longer active. */
  _detachMedia(trackSid) {
    const rp = this._ownerOf(trackSid);
    const track = rp?.tracks.get(trackSid);
    if (!track) return;
    this._retract(rp, track);
    track.mediaStreamTrack = null;
  }

  _announce(rp, track) {
    if (!track.subscribed || !track.mediaStreamTrack || this._announced.has(track)) return;
    this._announced.add(track);
    this._emit('trackSubscribed', { participant: rp, track, mediaStreamTrack: track.mediaStreamTrack });
  }

  _retract(rp, track) {
    if (!this._announced.delete(track)) return;
    this._emit('trackUnsubscribed', { participant: rp, track });
  }

  /** The subscribe connection's `track` event (`trackSid` from its mid, or null): `track` with its owner. */
  _onMediaTrack(ev, trackSid) {
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

  // ---------------------------------------------------------------- events

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  _emitError(code, message, error) {
    this._emit('error', { code, message, error: error ?? new ParleyError(code, message) });
  }
}

function remoteTrack(t) {
  return {
    sid: t.sid, name: t.name, kind: t.kind, enabled: t.enabled !== false,
    subscribed: false, quality: null, mediaStreamTrack: null,
  };
}
