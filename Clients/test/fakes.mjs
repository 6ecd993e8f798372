// Fakes for the parley-video.js checks: ids, helpers, and the stubbed fetch, WebSocket and RTCPeerConnection.
// Importing this module installs the stubs on globalThis; import it before the client modules.

import assert from 'node:assert/strict';
import { FakeSocket, GATEWAY, sid, sleep, waitFor } from './harness.mjs';

export { GATEWAY, hex32, sid, sleep, waitFor } from './harness.mjs';

// ------------------------------------------------------------------ helpers

export const ROOM_SID = sid('RM', 1);
export const ME = sid('PA', 1);
export const BOB = sid('PA', 2);
export const CAROL = sid('PA', 3);
export const BOB_MIC = sid('MT', 0xb1);
export const BOB_CAM = sid('MT', 0xb2);
export const CAROL_MIC = sid('MT', 0xc1);

export function record(room) {
  const events = [];
  for (const type of ['participantConnected', 'participantDisconnected', 'participantReconnecting',
    'participantReconnected', 'trackPublished', 'trackUnpublished', 'trackUpdated', 'trackSubscribed',
    'trackUnsubscribed', 'reconnecting', 'reconnected', 'disconnected', 'error']) {
    room.addEventListener(type, (e) => {
      assert.ok(e instanceof CustomEvent, `${type} is a CustomEvent`);
      events.push({ type, detail: e.detail });
    });
  }
  return events;
}

// ------------------------------------------------------------------ stubs

/** What the fake gateway and media node do; reset before each test. */
export let env;

export function resetEnv() {
  env = {
    fetchCalls: [],
    sockets: [],
    ticketSeq: 0,
    signalingUrl: 'ws://node1.test:8081/v1/Signaling',
    ticketReplies: [], // queue: {status, body} or a function(form) → {status, body}; empty → success
    others: [{ sid: BOB, identity: 'bob', tracks: [{ sid: BOB_MIC, name: 'mic', kind: 'audio', enabled: true }] }],
    hold: new Set(), // message types whose reply the test sends itself
    held: [],
    silent: false, // the node answers nothing (for the keepalive check)
    joinReply: null, // function(msg) → reply to `join`
    received: [], // every client message, all sockets
  };
  FakePeerConnection.instances = [];
  FakePeerConnection.rejectAnswers = false;
  FakePeerConnection.offerDelay = () => 0; // ms a remote offer takes to apply, by revision
  FakePeerConnection.rejectOffer = () => false; // by revision
  FakePeerConnection.log = []; // 'srd:N' / 'sld:N' of subscriber offers, in call order
  env.answerError = null; // the node's error reply to a subscriber-answer
}

globalThis.fetch = async (url, init = {}) => {
  const form = new URLSearchParams(String(init.body ?? ''));
  env.fetchCalls.push({ url: String(url), init, form, at: Date.now() });
  let reply = env.ticketReplies.shift();
  if (typeof reply === 'function') reply = reply(form);
  if (!reply) {
    env.ticketSeq += 1;
    reply = {
      status: 201,
      body: {
        room_sid: ROOM_SID, room_name: 'standup', identity: 'alice', node_sid: sid('MN', 1),
        signaling_url: env.signalingUrl, ticket: `ticket-${env.ticketSeq}`, expires_in: 30,
      },
    };
  }
  return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { 'Content-Type': 'application/json' } });
};

export class FakeWebSocket extends FakeSocket {
  constructor(url) {
    super(url);
    env.sockets.push(this);
  }

  received(msg) {
    env.received.push(msg);
    setTimeout(() => fakeNode(this, msg), 1);
  }
}

/** The media node: answers each client message as docs/video.md says. */
export function fakeNode(ws, msg) {
  if (env.silent || ws.readyState !== 1) return;
  if (env.hold.has(msg.type)) {
    env.held.push({ ws, msg });
    return;
  }
  const { id } = msg;
  switch (msg.type) {
    case 'join':
      if (env.joinReply) return ws.push(env.joinReply(msg));
      return ws.push({
        type: 'joined', id,
        room: { sid: ROOM_SID, name: 'standup', type: 'group', max_participants: 50, audio_only: false },
        participant: { sid: ME, identity: 'alice' },
        participants: env.others,
      });
    case 'publish':
      return ws.push({
        type: 'answer', id, sdp: 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n(answer)\r\n',
        tracks: msg.tracks.map((t, i) => ({ ...t, sid: sid('MT', 0xa0 + i), enabled: true })),
      });
    case 'unpublish': return ws.push({ type: 'unpublished', id, track: msg.track });
    case 'subscribe': return ws.push({ type: 'subscribed', id, track: msg.track });
    case 'unsubscribe': return ws.push({ type: 'unsubscribed', id, track: msg.track });
    case 'mute':
    case 'unmute':
      return ws.push({
        type: 'track-updated', id, participant: ME,
        track: { sid: msg.track, name: 'x', kind: 'video', enabled: msg.type === 'unmute' },
      });
    case 'set-quality': return ws.push({ type: 'quality-set', id, track: msg.track, quality: msg.quality });
    case 'subscriber-answer':
      // No reply on success.
      return env.answerError ? ws.push({ type: 'error', code: env.answerError, message: 'Bad subscriber answer' }) : undefined;
    case 'ping': return ws.push({ type: 'pong', id });
    case 'leave': return ws.serverClose(1000);
    default: return ws.push({ type: 'error', id, code: 53000, message: `unknown type ${msg.type}` });
  }
}

export class FakePeerConnection extends EventTarget {
  static instances = [];
  static rejectAnswers = false;

  constructor(config) {
    super();
    this.config = config;
    this.transceivers = [];
    this.signalingState = 'stable';
    this.localDescription = null;
    this.remoteDescription = null;
    this.closed = false;
    FakePeerConnection.instances.push(this);
  }

  addTransceiver(track, init) {
    const t = {
      mid: null,
      direction: init?.direction,
      init,
      sender: { track, replaceTrack: async (x) => { t.sender.track = x; } },
      receiver: { track: null },
      stopped: false,
      stop() { this.stopped = true; },
    };
    this.transceivers.push(t);
    return t;
  }

  getTransceivers() { return [...this.transceivers]; }

  async createOffer() {
    const sections = this.transceivers.map((t, i) => `m=${t.sender.track.kind} 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:${i}\r\na=${t.direction}\r\n`);
    return { type: 'offer', sdp: `v=0\r\na=group:BUNDLE ${this.transceivers.map((_, i) => i).join(' ')}\r\n${sections.join('')}` };
  }

  async setLocalDescription(desc) {
    if (desc.type === 'rollback') { this.signalingState = 'stable'; return; }
    if (desc.type === 'answer') {
      FakePeerConnection.log.push(`sld:${revisionOf(desc.sdp)}`);
      this.localDescription = desc;
      this.signalingState = 'stable';
      return;
    }
    this.transceivers.forEach((t, i) => { t.mid ??= String(i); });
    this.localDescription = desc;
    this.signalingState = 'have-local-offer';
  }

  async setRemoteDescription(desc) {
    if (desc.type === 'rollback') { this.signalingState = 'stable'; return; }
    if (desc.type === 'offer') return this._applyOffer(desc);
    if (FakePeerConnection.rejectAnswers) throw new Error('Failed to set remote answer sdp: every m-section rejected');
    this.remoteDescription = desc;
    this.signalingState = 'stable';
  }

  /** A subscriber offer: a recvonly transceiver per new mid; `track` for each section that starts sending. */
  async _applyOffer(desc) {
    if (this.signalingState !== 'stable') throw new Error(`InvalidStateError: offer in ${this.signalingState}`);
    const revision = revisionOf(desc.sdp);
    FakePeerConnection.log.push(`srd:${revision}`);
    this.signalingState = 'applying'; // a second offer meanwhile would fail
    await sleep(FakePeerConnection.offerDelay(revision));
    if (FakePeerConnection.rejectOffer(revision)) {
      this.signalingState = 'stable';
      throw new Error('Failed to set remote offer sdp: bad m-line');
    }
    const started = [];
    for (const [, kind, port, body] of desc.sdp.matchAll(/^m=(\w+) (\d+)[^\r\n]*\r\n((?:a=[^\r\n]*\r\n)*)/gm)) {
      const mid = body.match(/^a=mid:(\S+)/m)[1];
      const sending = port !== '0' && /^a=(sendonly|sendrecv)/m.test(body);
      let t = this.transceivers.find((x) => x.mid === mid);
      if (!t) {
        t = { mid, direction: 'recvonly', receiver: { track: { kind, id: `remote-${kind}-${mid}`, label: '' } }, receiving: false };
        this.transceivers.push(t);
      }
      if (sending && !t.receiving) started.push(t);
      t.receiving = sending;
    }
    this.remoteDescription = desc;
    this.signalingState = 'have-remote-offer';
    for (const t of started) {
      const ev = new Event('track');
      Object.assign(ev, { track: t.receiver.track, transceiver: t, streams: [] });
      this.dispatchEvent(ev);
    }
  }

  async createAnswer() {
    if (this.signalingState !== 'have-remote-offer') throw new Error('InvalidStateError: no remote offer');
    return { type: 'answer', sdp: `v=0\r\na=x-revision:${revisionOf(this.remoteDescription.sdp)}\r\n(answer)\r\n` };
  }

  async getStats() { return new Map((this.stats ?? []).map((r, i) => [`r${i}`, r])); }

  close() { this.closed = true; this.signalingState = 'closed'; }
}

export const revisionOf = (sdp) => Number(String(sdp).match(/^a=x-revision:(\d+)/m)?.[1]);

/** A `subscriber-offer` message: `sections` in m-line order, each {mid, kind, track, participant, active}. */
export function subscriberOffer(revision, sections) {
  const lines = sections.map((x) => `m=${x.kind} ${x.active === false ? 0 : 9} UDP/TLS/RTP/SAVPF 111\r\na=mid:${x.mid}\r\n`
    + `${x.active === false ? 'a=inactive' : `a=sendonly\r\na=msid:${x.participant} ${x.track}`}\r\n`);
  return {
    type: 'subscriber-offer',
    revision,
    sdp: `v=0\r\na=ice-lite\r\na=x-revision:${revision}\r\n${lines.join('')}`,
    tracks: sections.filter((x) => x.active !== false)
      .map((x) => ({ mid: x.mid, track: x.track, participant: x.participant, kind: x.kind })),
  };
}

globalThis.WebSocket = FakeWebSocket;
globalThis.RTCPeerConnection = FakePeerConnection;

export const fakeTrack = (kind, label) => ({ kind, label, enabled: true, id: `${kind}-${label}` });
