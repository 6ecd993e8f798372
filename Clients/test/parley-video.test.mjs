// Unit checks for Clients/js/parley-video.js. Run: node Clients/test/parley-video.test.mjs
// No packages: fetch, WebSocket and RTCPeerConnection are stubbed on globalThis. Exits non-zero on failure.

import assert from 'node:assert/strict';

// ------------------------------------------------------------------ helpers

const hex32 = (n) => n.toString(16).padStart(32, '0');
const sid = (prefix, n) => prefix + hex32(n);
const ROOM_SID = sid('RM', 1);
const ME = sid('PA', 1);
const BOB = sid('PA', 2);
const CAROL = sid('PA', 3);
const BOB_MIC = sid('MT', 0xb1);
const BOB_CAM = sid('MT', 0xb2);
const CAROL_MIC = sid('MT', 0xc1);
const GATEWAY = 'http://gw.test:8080';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(predicate, what, timeout = 3000) {
  const start = Date.now();
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function record(room) {
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
let env;

function resetEnv() {
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

class FakeWebSocket extends EventTarget {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;

  constructor(url) {
    super();
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closedBy = null;
    env.sockets.push(this);
    setTimeout(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.dispatchEvent(new Event('open'));
    }, 1);
  }

  send(data) {
    if (this.readyState !== 1) throw new Error('InvalidStateError: not open');
    const msg = JSON.parse(data);
    this.sent.push(msg);
    env.received.push(msg);
    setTimeout(() => fakeNode(this, msg), 1);
  }

  close(code = 1000, reason = '') {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.closedBy = { side: 'client', code, reason };
    setTimeout(() => this._closeEvent(code, reason), 1);
  }

  // server side
  push(msg) {
    if (this.readyState !== 1) return;
    const ev = new Event('message');
    Object.defineProperty(ev, 'data', { value: JSON.stringify(msg) });
    this.dispatchEvent(ev);
  }

  serverClose(code = 1006) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.closedBy = { side: 'server', code };
    this._closeEvent(code, '');
  }

  _closeEvent(code, reason) {
    const ev = new Event('close');
    Object.defineProperty(ev, 'code', { value: code });
    Object.defineProperty(ev, 'reason', { value: reason });
    this.dispatchEvent(ev);
  }
}

/** The media node: answers each client message as docs/video.md says. */
function fakeNode(ws, msg) {
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

class FakePeerConnection extends EventTarget {
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

const revisionOf = (sdp) => Number(String(sdp).match(/^a=x-revision:(\d+)/m)?.[1]);

/** A `subscriber-offer` message: `sections` in m-line order, each {mid, kind, track, participant, active}. */
function subscriberOffer(revision, sections) {
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

const fakeTrack = (kind, label) => ({ kind, label, enabled: true, id: `${kind}-${label}` });

// The module under test is imported after the stubs exist.
const { connect, Room, ParleyError } = await import('../js/parley-video.js');

const FAST = { gatewayUrl: GATEWAY, room: 'standup', pingInterval: 10_000, inactivityTimeout: 25_000 };

// ------------------------------------------------------------------ tests

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
let openRooms = [];
async function join(options = {}) {
  const room = await connect('eyJ.token', { ...FAST, ...options });
  openRooms.push(room);
  return room;
}

test('connect: ticket request, WebSocket, join, joined', async () => {
  const room = await join();
  assert.ok(room instanceof Room);
  assert.ok(room instanceof EventTarget);

  assert.equal(env.fetchCalls.length, 1);
  const call = env.fetchCalls[0];
  assert.equal(call.url, `${GATEWAY}/media/v1/Tickets`);
  assert.equal(call.init.method, 'POST');
  assert.equal(call.init.headers['Content-Type'], 'application/x-www-form-urlencoded');
  assert.equal(call.form.get('Token'), 'eyJ.token');
  assert.equal(call.form.get('Room'), 'standup');
  assert.equal(call.form.has('ParticipantSid'), false);

  assert.equal(env.sockets.length, 1);
  assert.equal(env.sockets[0].url, 'ws://node1.test:8081/v1/Signaling');
  const first = env.sockets[0].sent[0];
  assert.deepEqual(first, { type: 'join', ticket: 'ticket-1', id: '1' });

  assert.equal(room.state, 'connected');
  assert.equal(room.sid, ROOM_SID);
  assert.equal(room.name, 'standup');
  assert.equal(room.localParticipant.sid, ME);
  assert.equal(room.localParticipant.identity, 'alice');
  assert.ok(room.localParticipant.tracks instanceof Map);
  assert.ok(room.participants instanceof Map);
  assert.equal(room.participants.size, 1);
  const bob = room.participants.get(BOB);
  assert.equal(bob.identity, 'bob');
  assert.ok(bob.tracks instanceof Map);
  assert.equal(bob.tracks.get(BOB_MIC).kind, 'audio');

  // auto-subscribe to the track already in the room
  await waitFor(() => bob.tracks.get(BOB_MIC).subscribed, 'auto-subscription');
  const sub = env.received.find((m) => m.type === 'subscribe');
  assert.deepEqual(sub, { type: 'subscribe', track: BOB_MIC, id: '2' });
});

test('connect: room omitted → no Room parameter; http signaling_url becomes ws', async () => {
  env.signalingUrl = 'http://node9.test:8081/v1/Signaling';
  await join({ room: undefined });
  assert.equal(env.fetchCalls[0].form.has('Room'), false);
  assert.equal(env.sockets[0].url, 'ws://node9.test:8081/v1/Signaling');
});

test('connect rejects with the gateway\'s Twilio-style error', async () => {
  env.ticketReplies.push({
    status: 401,
    body: { code: 20104, message: 'Access Token expired or expiration date invalid', more_info: 'https://www.twilio.com/docs/errors/20104', status: 401 },
  });
  await assert.rejects(join(), (err) => {
    assert.ok(err instanceof Error);
    assert.ok(err instanceof ParleyError);
    assert.equal(err.code, 20104);
    assert.equal(err.message, 'Access Token expired or expiration date invalid');
    assert.equal(err.status, 401);
    assert.equal(err.moreInfo, 'https://www.twilio.com/docs/errors/20104');
    return true;
  });
  assert.equal(env.sockets.length, 0);
});

test('connect rejects with the node\'s error reply to join', async () => {
  env.joinReply = (msg) => ({ type: 'error', id: msg.id, code: 53105, message: 'Room contains too many Participants' });
  await assert.rejects(join(), (err) => {
    assert.equal(err.code, 53105);
    assert.equal(err.message, 'Room contains too many Participants');
    return true;
  });
  await waitFor(() => env.sockets[0].readyState === 3, 'socket closed after failed join');
});

test('requests carry incrementing string ids; replies resolve by id, out of order', async () => {
  env.others = [{ sid: BOB, identity: 'bob', tracks: [] }];
  const room = await join({ autoSubscribe: false });
  env.hold.add('subscribe').add('unsubscribe');
  const p1 = room.subscribe(BOB_MIC);
  const p2 = room.unsubscribe(BOB_CAM);
  await waitFor(() => env.held.length === 2, 'two held requests');
  const [a, b] = env.held.map((h) => h.msg);
  assert.equal(typeof a.id, 'string');
  assert.equal(typeof b.id, 'string');
  assert.equal(Number(b.id), Number(a.id) + 1);
  const ws = env.held[0].ws;
  ws.push({ type: 'unsubscribed', id: b.id, track: BOB_CAM });
  ws.push({ type: 'subscribed', id: a.id, track: BOB_MIC });
  assert.deepEqual(await p1, { type: 'subscribed', id: a.id, track: BOB_MIC });
  assert.deepEqual(await p2, { type: 'unsubscribed', id: b.id, track: BOB_CAM });
});

test('an error reply rejects its request only', async () => {
  const room = await join({ autoSubscribe: false });
  env.hold.add('subscribe');
  const bad = room.subscribe(sid('MT', 0xdead));
  const good = room.subscribe(BOB_MIC);
  await waitFor(() => env.held.length === 2, 'two held requests');
  const ws = env.held[0].ws;
  ws.push({ type: 'error', id: env.held[0].msg.id, code: 53213, message: 'Track not found' });
  ws.push({ type: 'subscribed', id: env.held[1].msg.id, track: BOB_MIC });
  await assert.rejects(bad, (err) => err instanceof ParleyError && err.code === 53213 && err.message === 'Track not found');
  assert.equal((await good).track, BOB_MIC);
  assert.equal(room.state, 'connected');
});

test('publish: sendonly transceivers, offer, publish, answer applied, SIDs returned; mute', async () => {
  const room = await join();
  const events = record(room);
  const mic = fakeTrack('audio', 'Built-in Microphone');
  const cam = fakeTrack('video', '');
  const published = await room.publish([mic, cam]);

  const pc = FakePeerConnection.instances[0];
  assert.equal(room.peerConnection, pc);
  assert.equal(pc.config.bundlePolicy, 'max-bundle');
  assert.equal(pc.config.rtcpMuxPolicy, 'require');
  assert.deepEqual(pc.transceivers.map((t) => t.direction), ['sendonly', 'sendonly']);

  const msg = env.received.find((m) => m.type === 'publish');
  assert.equal(msg.sdp, pc.localDescription.sdp);
  assert.deepEqual(msg.tracks, [
    { name: 'Built-in Microphone', kind: 'audio', mid: '0' },
    { name: 'video1', kind: 'video', mid: '1' },
  ]);
  assert.equal(typeof msg.id, 'string');
  assert.deepEqual(pc.remoteDescription.type, 'answer');
  assert.match(pc.remoteDescription.sdp, /\(answer\)/);

  assert.deepEqual(published.map((t) => [t.sid, t.name, t.kind, t.mid]), [
    [sid('MT', 0xa0), 'Built-in Microphone', 'audio', '0'],
    [sid('MT', 0xa1), 'video1', 'video', '1'],
  ]);
  assert.equal(published[0].mediaStreamTrack, mic);
  assert.equal(room.localParticipant.tracks.size, 2);

  const reply = await room.mute(sid('MT', 0xa1));
  assert.equal(reply.type, 'track-updated');
  assert.equal(room.localParticipant.tracks.get(sid('MT', 0xa1)).enabled, false);
  assert.equal(cam.enabled, false);
  assert.equal(events.filter((e) => e.type === 'trackUpdated').length, 1);
  await room.unmute(sid('MT', 0xa1));
  assert.equal(cam.enabled, true);

  await room.unpublish(sid('MT', 0xa0));
  assert.equal(room.localParticipant.tracks.has(sid('MT', 0xa0)), false);
  assert.equal(pc.transceivers[0].sender.track, null);
  assert.equal(events.filter((e) => e.type === 'error').length, 0);
});

test('an answer that rejects media is reported as an error event, publish still resolves', async () => {
  FakePeerConnection.rejectAnswers = true;
  const room = await join();
  const events = record(room);
  const published = await room.publish([fakeTrack('audio', 'mic')]);
  assert.equal(published.length, 1);
  assert.equal(published[0].sid, sid('MT', 0xa0));
  const err = events.find((e) => e.type === 'error');
  assert.ok(err, 'error event');
  assert.equal(err.detail.code, 53402);
  assert.match(err.detail.message, /every m-section rejected/);
});

test('connect publishes localTracks before resolving', async () => {
  const room = await join({ localTracks: [fakeTrack('audio', 'mic'), fakeTrack('video', 'cam')] });
  assert.equal(room.localParticipant.tracks.size, 2);
  assert.ok(env.received.some((m) => m.type === 'publish'));
});

test('pushed participant and track messages become events', async () => {
  const room = await join();
  const events = record(room);
  const ws = env.sockets[0];
  const types = () => events.map((e) => e.type).filter((t) => t !== 'trackSubscribed');

  ws.push({ type: 'participant-connected', participant: { sid: CAROL, identity: 'carol', tracks: [] } });
  assert.deepEqual(types(), ['participantConnected']);
  assert.equal(events[0].detail.participant.identity, 'carol');
  assert.equal(room.participants.get(CAROL).identity, 'carol');

  ws.push({ type: 'track-published', participant: CAROL, track: { sid: CAROL_MIC, name: 'mic', kind: 'audio', enabled: true } });
  assert.deepEqual(types(), ['participantConnected', 'trackPublished']);
  assert.equal(events[1].detail.track.sid, CAROL_MIC);
  assert.equal(events[1].detail.participant.sid, CAROL);
  await waitFor(() => env.received.some((m) => m.type === 'subscribe' && m.track === CAROL_MIC), 'auto-subscribe to carol\'s mic');
  await waitFor(() => room.participants.get(CAROL).tracks.get(CAROL_MIC).subscribed, 'subscribed');

  ws.push({ type: 'track-updated', participant: CAROL, track: { sid: CAROL_MIC, name: 'mic', kind: 'audio', enabled: false } });
  ws.push({ type: 'track-updated', participant: CAROL, track: { sid: CAROL_MIC, name: 'mic', kind: 'audio', enabled: false } });
  assert.deepEqual(types(), ['participantConnected', 'trackPublished', 'trackUpdated']);
  assert.equal(room.participants.get(CAROL).tracks.get(CAROL_MIC).enabled, false);

  ws.push({ type: 'participant-reconnecting', participant: { sid: BOB, identity: 'bob' } });
  assert.equal(room.participants.get(BOB).state, 'reconnecting');
  ws.push({ type: 'track-unpublished', participant: CAROL, track: CAROL_MIC });
  assert.equal(room.participants.get(CAROL).tracks.size, 0);
  ws.push({ type: 'participant-disconnected', participant: { sid: BOB, identity: 'bob' } });
  assert.equal(room.participants.has(BOB), false);
  assert.deepEqual(types(), ['participantConnected', 'trackPublished', 'trackUpdated',
    'participantReconnecting', 'trackUnpublished', 'participantDisconnected']);
  assert.equal(events.at(-1).detail.participant.identity, 'bob');

  // a pushed error not tied to a request
  ws.push({ type: 'error', code: 53000, message: 'something odd' });
  assert.equal(events.at(-1).type, 'error');
  assert.equal(events.at(-1).detail.code, 53000);
});

test('reconnect: socket drop → new ticket with ParticipantSid (with backoff) → joined diff', async () => {
  const room = await join();
  const events = record(room);
  await waitFor(() => room.participants.get(BOB).tracks.get(BOB_MIC).subscribed, 'initial subscription');
  env.hold.add('subscribe');
  const pending = room.subscribe(BOB_CAM);
  await waitFor(() => env.held.length === 1, 'held subscribe');

  // first retry fails (the gateway has not yet noticed the dead node), the second succeeds on node 2
  env.ticketReplies.push({ status: 503, body: { code: 20503, message: 'Service unavailable', status: 503 } });
  env.signalingUrl = 'ws://node2.test:8081/v1/Signaling';
  env.hold.clear();
  env.others = [
    { sid: CAROL, identity: 'carol', tracks: [{ sid: CAROL_MIC, name: 'mic', kind: 'audio', enabled: true }] },
  ];
  const droppedAt = Date.now();
  env.sockets[0].serverClose(1006);

  assert.equal(room.state, 'reconnecting');
  const before = events.filter((e) => e.type !== 'trackSubscribed');
  assert.deepEqual(before.map((e) => e.type), ['reconnecting']);
  assert.equal(before[0].detail.reason, 'network');
  await assert.rejects(pending, (err) => err.code === 53001);

  await waitFor(() => room.state === 'connected', 'reconnected', 5000);
  assert.equal(env.fetchCalls.length, 3);
  const [, retry1, retry2] = env.fetchCalls;
  for (const call of [retry1, retry2]) {
    assert.equal(call.form.get('Token'), 'eyJ.token');
    assert.equal(call.form.get('Room'), 'standup');
    assert.equal(call.form.get('ParticipantSid'), ME);
  }
  assert.ok(retry1.at - droppedAt >= 240, `first retry after 250 ms (was ${retry1.at - droppedAt})`);
  assert.ok(retry2.at - retry1.at >= 490, `second retry 500 ms later (was ${retry2.at - retry1.at})`);

  assert.equal(env.sockets.length, 2);
  assert.equal(env.sockets[1].url, 'ws://node2.test:8081/v1/Signaling');
  assert.equal(env.sockets[1].sent[0].type, 'join');
  assert.equal(env.sockets[1].sent[0].ticket, 'ticket-2');

  const seq = events.map((e) => e.type).filter((t) => t !== 'trackSubscribed');
  assert.deepEqual(seq, ['reconnecting', 'reconnected', 'participantConnected', 'trackPublished', 'participantDisconnected']);
  assert.equal(events.find((e) => e.type === 'participantDisconnected').detail.participant.sid, BOB);
  assert.deepEqual([...room.participants.keys()], [CAROL]);
  assert.equal(room.localParticipant.sid, ME);

  // requests work on the new socket
  const reply = await room.unsubscribe(CAROL_MIC);
  assert.equal(reply.type, 'unsubscribed');
  assert.ok(env.sockets[1].sent.some((m) => m.type === 'unsubscribe'));
});

test('reconnect message: back to the gateway, old socket closed, same ParticipantSid', async () => {
  const room = await join();
  const events = record(room);
  env.signalingUrl = 'ws://node3.test:8081/v1/Signaling';
  env.sockets[0].push({ type: 'reconnect', reason: 'node-draining' });
  assert.equal(room.state, 'reconnecting');
  assert.equal(events[0].type, 'reconnecting');
  assert.equal(events[0].detail.reason, 'node-draining');
  await waitFor(() => room.state === 'connected', 'reconnected');
  assert.equal(env.sockets[0].closedBy.side, 'client');
  assert.equal(env.fetchCalls[1].form.get('ParticipantSid'), ME);
  assert.equal(env.sockets[1].url, 'ws://node3.test:8081/v1/Signaling');
  assert.ok(events.some((e) => e.type === 'reconnected'));
  assert.equal(events.filter((e) => e.type.startsWith('participant')).length, 0, 'same participants: no participant events');
});

test('disconnected message: disconnected event, no reconnect', async () => {
  const room = await join();
  const events = record(room);
  env.sockets[0].push({ type: 'disconnected', reason: 'room-ended' });
  env.sockets[0].serverClose(1000);
  assert.equal(room.state, 'disconnected');
  const ev = events.find((e) => e.type === 'disconnected');
  assert.equal(ev.detail.reason, 'room-ended');
  await sleep(400);
  assert.equal(env.fetchCalls.length, 1);
  assert.equal(events.filter((e) => e.type === 'reconnecting').length, 0);
  await assert.rejects(room.subscribe(BOB_MIC), (err) => err.code === 53001);
});

test('disconnect(): sends leave, disconnected {reason: left}, no reconnect', async () => {
  const room = await join();
  const events = record(room);
  const ws = env.sockets[0];
  assert.equal(room.disconnect(), room);
  assert.equal(ws.sent.at(-1).type, 'leave');
  assert.equal(room.state, 'disconnected');
  assert.deepEqual(events.map((e) => [e.type, e.detail.reason]), [['disconnected', 'left']]);
  await sleep(350);
  assert.equal(env.fetchCalls.length, 1);
});

test('keepalive: pings, and a silent socket is treated as dropped', async () => {
  const room = await join({ pingInterval: 30, inactivityTimeout: 150 });
  const events = record(room);
  await sleep(100);
  const pings = env.sockets[0].sent.filter((m) => m.type === 'ping');
  assert.ok(pings.length >= 2, `pings sent (${pings.length})`);
  assert.ok(pings.every((p) => typeof p.id === 'string'));
  assert.equal(room.state, 'connected', 'pongs keep the socket alive');

  env.silent = true;
  await waitFor(() => room.state === 'reconnecting', 'inactivity drop');
  assert.equal(events.find((e) => e.type === 'reconnecting').detail.reason, 'inactivity');
  env.silent = false;
  await waitFor(() => room.state === 'connected', 'reconnected');
  assert.equal(env.fetchCalls.at(-1).form.get('ParticipantSid'), ME);
});

test('reconnect gives up on a refused ticket', async () => {
  const room = await join();
  const events = record(room);
  env.ticketReplies.push({ status: 404, body: { code: 20404, message: 'Participant not found', status: 404 } });
  env.sockets[0].serverClose(1006);
  await waitFor(() => room.state === 'disconnected', 'gave up');
  const ev = events.find((e) => e.type === 'disconnected');
  assert.equal(ev.detail.reason, 'reconnect-failed');
  assert.equal(ev.detail.error.code, 20404);
  assert.equal(env.fetchCalls.length, 2);
});

test('reconnect gives up when the window runs out', async () => {
  const room = await join({ reconnectWindow: 1000 });
  const events = record(room);
  for (let i = 0; i < 10; i += 1) env.ticketReplies.push({ status: 503, body: { code: 20503, message: 'Service unavailable' } });
  env.sockets[0].serverClose(1006);
  await waitFor(() => room.state === 'disconnected', 'gave up', 2000);
  const ev = events.find((e) => e.type === 'disconnected');
  assert.equal(ev.detail.reason, 'reconnect-failed');
  assert.equal(ev.detail.error.code, 20503);
  assert.equal(env.fetchCalls.length, 3, 'retries after 250 ms and 500 ms more fit in 1 s, one after 1 s more does not');
});

test('reconnect: false → a drop disconnects', async () => {
  const room = await join({ reconnect: false });
  const events = record(room);
  env.sockets[0].serverClose(1006);
  assert.equal(room.state, 'disconnected');
  assert.equal(events[0].type, 'disconnected');
  assert.equal(events[0].detail.reason, 'network');
  await sleep(300);
  assert.equal(env.fetchCalls.length, 1);
});

// ------------------------------------------------------------------ receiving media

const BOB_SECTIONS = [
  { mid: '0', kind: 'audio', participant: BOB, track: BOB_MIC },
  { mid: '1', kind: 'video', participant: BOB, track: BOB_CAM },
];
const bobWithCamera = () => [{ sid: BOB, identity: 'bob', tracks: [
  { sid: BOB_MIC, name: 'mic', kind: 'audio', enabled: true },
  { sid: BOB_CAM, name: 'cam', kind: 'video', enabled: true },
] }];
const answers = () => env.received.filter((m) => m.type === 'subscriber-answer');
/** The subscribe pc: the one created by a subscriber offer. */
const subscribePc = (room) => room.subscribePeerConnection;

test('subscriber-offer: one subscribe pc, answered with its revision; trackSubscribed carries the mid\'s track', async () => {
  env.others = bobWithCamera();
  const iceServers = [{ urls: 'turn:turn.test:3478', username: 'u', credential: 'p' }];
  const room = await join({ iceServers });
  const events = record(room);
  const bob = room.participants.get(BOB);
  await waitFor(() => bob.tracks.get(BOB_MIC).subscribed && bob.tracks.get(BOB_CAM).subscribed, 'subscriptions');
  assert.equal(room.subscribePeerConnection, null, 'no subscribe pc before the first offer');
  assert.equal(events.filter((e) => e.type === 'trackSubscribed').length, 0, 'no trackSubscribed without media');

  // the tracks list in another order than the m-lines: the mid decides
  const offer = subscriberOffer(1, BOB_SECTIONS);
  offer.tracks.reverse();
  env.sockets[0].push(offer);
  await waitFor(() => answers().length === 1, 'subscriber-answer');

  const pc = subscribePc(room);
  assert.ok(pc, 'subscribe pc');
  assert.notEqual(pc, room.peerConnection);
  assert.equal(FakePeerConnection.instances.length, 1, 'one pc: nothing was published');
  assert.equal(pc.config.bundlePolicy, 'max-bundle');
  assert.equal(pc.config.rtcpMuxPolicy, 'require');
  assert.deepEqual(pc.config.iceServers, iceServers);
  assert.equal(pc.remoteDescription.sdp, offer.sdp);
  assert.deepEqual(answers()[0], { type: 'subscriber-answer', revision: 1, sdp: pc.localDescription.sdp });
  assert.equal(pc.localDescription.type, 'answer');

  const subscribed = events.filter((e) => e.type === 'trackSubscribed');
  assert.deepEqual(subscribed.map((e) => e.detail.track.sid).sort(), [BOB_MIC, BOB_CAM].sort());
  const byMid = (mid) => pc.getTransceivers().find((t) => t.mid === mid).receiver.track;
  for (const e of subscribed) {
    assert.equal(e.detail.participant, bob);
    const mid = e.detail.track.sid === BOB_MIC ? '0' : '1';
    assert.equal(e.detail.mediaStreamTrack, byMid(mid), `${e.detail.track.sid} gets the track of mid ${mid}`);
    assert.equal(e.detail.track.mediaStreamTrack, byMid(mid));
    assert.equal(e.detail.mediaStreamTrack.kind, e.detail.track.kind);
  }
  // the same offer again (e.g. a repeated revision) announces nothing twice
  env.sockets[0].push(subscriberOffer(2, BOB_SECTIONS));
  await waitFor(() => answers().length === 2, 'second answer');
  assert.equal(events.filter((e) => e.type === 'trackSubscribed').length, 2);
  assert.equal(FakePeerConnection.instances.length, 1, 'still one subscribe pc');
  assert.equal(events.filter((e) => e.type === 'error').length, 0);
});

test('media before the subscribed reply: trackSubscribed once the node confirmed', async () => {
  env.others = bobWithCamera();
  env.hold.add('subscribe');
  const room = await join();
  const events = record(room);
  await waitFor(() => env.held.length === 2, 'held subscribes');
  env.sockets[0].push(subscriberOffer(1, BOB_SECTIONS.slice(0, 1)));
  await waitFor(() => answers().length === 1, 'answer');
  assert.ok(room.participants.get(BOB).tracks.get(BOB_MIC).mediaStreamTrack, 'media attached');
  assert.equal(events.filter((e) => e.type === 'trackSubscribed').length, 0);
  const held = env.held.find((h) => h.msg.track === BOB_MIC);
  held.ws.push({ type: 'subscribed', id: held.msg.id, track: BOB_MIC });
  await waitFor(() => events.some((e) => e.type === 'trackSubscribed'), 'trackSubscribed');
  assert.equal(events.find((e) => e.type === 'trackSubscribed').detail.track.sid, BOB_MIC);
});

test('subscriber offers are applied strictly in order, each answered with its own revision', async () => {
  env.others = bobWithCamera();
  const room = await join();
  FakePeerConnection.offerDelay = (revision) => ({ 1: 60, 2: 0, 3: 20 })[revision] ?? 0;
  const ws = env.sockets[0];
  ws.push(subscriberOffer(1, BOB_SECTIONS.slice(0, 1)));
  ws.push(subscriberOffer(2, BOB_SECTIONS));
  ws.push(subscriberOffer(3, BOB_SECTIONS.slice(1)));
  await waitFor(() => answers().length === 3, 'three answers');
  assert.deepEqual(FakePeerConnection.log, ['srd:1', 'sld:1', 'srd:2', 'sld:2', 'srd:3', 'sld:3']);
  assert.deepEqual(answers().map((a) => a.revision), [1, 2, 3]);
  assert.deepEqual(answers().map((a) => revisionOf(a.sdp)), [1, 2, 3], 'each answer answers its own offer');
  assert.ok(answers().every((a) => a.id === undefined), 'subscriber-answer carries no id');
});

test('a subscriber offer that fails is reported; the next one is applied; node errors are reported', async () => {
  env.others = bobWithCamera();
  const room = await join();
  const events = record(room);
  FakePeerConnection.rejectOffer = (revision) => revision === 1;
  env.sockets[0].push(subscriberOffer(1, BOB_SECTIONS));
  env.sockets[0].push(subscriberOffer(2, BOB_SECTIONS));
  await waitFor(() => answers().length === 1, 'answer to offer 2');
  assert.equal(answers()[0].revision, 2);
  const error = events.find((e) => e.type === 'error');
  assert.equal(error.detail.code, 53402);
  assert.match(error.detail.message, /subscriber offer 1/);
  await waitFor(() => events.filter((e) => e.type === 'trackSubscribed').length === 2, 'media after offer 2');

  env.answerError = 53403;
  env.sockets[0].push(subscriberOffer(3, BOB_SECTIONS));
  await waitFor(() => events.filter((e) => e.type === 'error').length === 2, 'node error event');
  assert.equal(events.filter((e) => e.type === 'error')[1].detail.code, 53403);
});

test('a section gone from the offer ends its track; a reused section carries its new track', async () => {
  env.others = [{ sid: BOB, identity: 'bob', tracks: [{ sid: BOB_MIC, name: 'mic', kind: 'audio', enabled: true }] },
    { sid: CAROL, identity: 'carol', tracks: [{ sid: CAROL_MIC, name: 'mic', kind: 'audio', enabled: true }] }];
  const room = await join();
  const events = record(room);
  const ws = env.sockets[0];
  await waitFor(() => [...room.participants.values()].every((p) => [...p.tracks.values()].every((t) => t.subscribed)), 'subscribed');
  ws.push(subscriberOffer(1, [{ mid: '0', kind: 'audio', participant: BOB, track: BOB_MIC }]));
  await waitFor(() => events.filter((e) => e.type === 'trackSubscribed').length === 1, 'bob\'s mic');
  const pc = subscribePc(room);
  const mid0 = pc.getTransceivers()[0].receiver.track;

  // bob unpublishes: trackUnsubscribed before trackUnpublished; the node's next offer reuses mid 0 for carol
  ws.push({ type: 'track-unpublished', participant: BOB, track: BOB_MIC });
  assert.deepEqual(events.slice(1).map((e) => e.type), ['trackUnsubscribed', 'trackUnpublished']);
  ws.push(subscriberOffer(2, [{ mid: '0', kind: 'audio', participant: CAROL, track: CAROL_MIC }]));
  await waitFor(() => answers().length === 2, 'answer 2');
  const carol = events.filter((e) => e.type === 'trackSubscribed')[1];
  assert.equal(carol.detail.track.sid, CAROL_MIC);
  assert.equal(carol.detail.mediaStreamTrack, mid0, 'the receiver track of the reused section');

  // carol's section goes inactive: her track stops
  ws.push(subscriberOffer(3, [{ mid: '0', kind: 'audio', participant: CAROL, track: CAROL_MIC, active: false }]));
  await waitFor(() => answers().length === 3, 'answer 3');
  assert.equal(events.at(-1).type, 'trackUnsubscribed');
  assert.equal(events.at(-1).detail.track.sid, CAROL_MIC);
  assert.equal(room.participants.get(CAROL).tracks.get(CAROL_MIC).mediaStreamTrack, null);
});

test('subscribe with a quality, setQuality → set-quality / quality-set', async () => {
  env.others = bobWithCamera();
  const room = await join({ autoSubscribe: false });
  await room.subscribe(BOB_CAM, { quality: 'low' });
  assert.deepEqual(env.received.find((m) => m.type === 'subscribe'), { type: 'subscribe', track: BOB_CAM, quality: 'low', id: '2' });
  await room.subscribe(BOB_MIC);
  assert.equal('quality' in env.received.filter((m) => m.type === 'subscribe')[1], false);
  const reply = await room.setQuality(BOB_CAM, 'high');
  assert.deepEqual(reply, { type: 'quality-set', id: '4', track: BOB_CAM, quality: 'high' });
  assert.deepEqual(env.received.find((m) => m.type === 'set-quality'), { type: 'set-quality', track: BOB_CAM, quality: 'high', id: '4' });
  assert.equal(room.participants.get(BOB).tracks.get(BOB_CAM).quality, 'high');
});

test('dominant-speaker → dominantSpeakerChanged with the participant (or me, or null)', async () => {
  const room = await join();
  const seen = [];
  room.addEventListener('dominantSpeakerChanged', (e) => seen.push(e.detail.participant));
  const ws = env.sockets[0];
  ws.push({ type: 'dominant-speaker', participant: BOB });
  ws.push({ type: 'dominant-speaker', participant: BOB });
  ws.push({ type: 'dominant-speaker', participant: ME });
  ws.push({ type: 'dominant-speaker', participant: null });
  ws.push({ type: 'dominant-speaker', participant: BOB });
  assert.deepEqual(seen, [room.participants.get(BOB), room.localParticipant, null, room.participants.get(BOB)]);
  assert.equal(room.dominantSpeaker, room.participants.get(BOB));
  ws.push({ type: 'participant-disconnected', participant: { sid: BOB, identity: 'bob' } });
  assert.equal(room.dominantSpeaker, null, 'a speaker who left is no longer dominant');
  assert.equal(seen.at(-1), null);
});

test('publish with simulcast: video sendEncodings low → high; audio and plain publish without', async () => {
  const room = await join();
  await room.publish([fakeTrack('audio', 'mic'), fakeTrack('video', 'cam')], { simulcast: true });
  const [audio, video] = room.peerConnection.transceivers;
  assert.equal(audio.init.sendEncodings, undefined);
  assert.deepEqual(video.init.sendEncodings, [
    { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150000 },
    { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500000 },
    { rid: 'f', maxBitrate: 1500000 },
  ]);
  assert.equal(video.init.direction, 'sendonly');
  await room.publish([fakeTrack('video', 'screen')]);
  assert.equal(room.peerConnection.transceivers[2].init.sendEncodings, undefined);

  const other = await join({ localTracks: [fakeTrack('video', 'cam')], simulcast: true });
  assert.equal(other.peerConnection.transceivers[0].init.sendEncodings.length, 3);
});

test('getStats: inbound per subscribed track (by mid), outbound per layer', async () => {
  env.others = bobWithCamera();
  const room = await join();
  await room.publish([fakeTrack('video', 'cam')], { simulcast: true });
  env.sockets[0].push(subscriberOffer(1, BOB_SECTIONS));
  await waitFor(() => room.subscribePeerConnection && answers().length === 1, 'subscribe pc');
  const sub = room.subscribePeerConnection;
  sub.stats = [
    { type: 'inbound-rtp', kind: 'audio', mid: '0', packetsReceived: 50, bytesReceived: 4000, audioLevel: 0.25 },
    { type: 'inbound-rtp', kind: 'video', trackIdentifier: 'remote-video-1', packetsReceived: 90, bytesReceived: 90000, framesDecoded: 30 },
    { type: 'candidate-pair', state: 'succeeded' },
  ];
  room.peerConnection.stats = [
    { type: 'outbound-rtp', kind: 'video', mid: '0', rid: 'q', packetsSent: 10, bytesSent: 1000, framesEncoded: 5 },
    { type: 'outbound-rtp', kind: 'video', mid: '0', rid: 'f', packetsSent: 30, bytesSent: 30000, framesEncoded: 5 },
  ];
  const stats = await room.getStats();
  assert.deepEqual(stats.inbound, [
    { kind: 'audio', trackSid: BOB_MIC, framesDecoded: null, packetsReceived: 50, bytesReceived: 4000, audioLevel: 0.25 },
    { kind: 'video', trackSid: BOB_CAM, framesDecoded: 30, packetsReceived: 90, bytesReceived: 90000, audioLevel: null },
  ]);
  const cam = [...room.localParticipant.tracks.keys()][0];
  assert.deepEqual(stats.outbound.map((o) => [o.kind, o.trackSid, o.rid, o.packetsSent, o.framesEncoded, o.bytesSent]), [
    ['video', cam, 'q', 10, 5, 1000],
    ['video', cam, 'f', 30, 5, 30000],
  ]);
});

test('disconnect() closes both peer connections', async () => {
  env.others = bobWithCamera();
  const room = await join();
  await room.publish([fakeTrack('audio', 'mic')]);
  env.sockets[0].push(subscriberOffer(1, BOB_SECTIONS));
  await waitFor(() => answers().length === 1, 'answer');
  const [publish, subscribe] = [room.peerConnection, room.subscribePeerConnection];
  assert.ok(publish && subscribe && publish !== subscribe);
  room.disconnect();
  assert.equal(publish.closed, true);
  assert.equal(subscribe.closed, true);
  // an offer arriving late opens nothing
  env.sockets[0].push(subscriberOffer(2, BOB_SECTIONS));
  await sleep(20);
  assert.equal(FakePeerConnection.instances.length, 2);
});

test('reconnect on another node: the old subscribe pc is closed, its tracks end, the next offer opens a new one', async () => {
  env.others = bobWithCamera();
  const room = await join();
  const events = record(room);
  env.sockets[0].push(subscriberOffer(1, BOB_SECTIONS));
  await waitFor(() => events.filter((e) => e.type === 'trackSubscribed').length === 2, 'media');
  const old = room.subscribePeerConnection;
  env.ticketReplies.push(() => ({ status: 201, body: { room_sid: ROOM_SID, node_sid: sid('MN', 2), signaling_url: 'ws://node2.test:8081/v1/Signaling', ticket: 'ticket-x' } }));
  env.sockets[0].push({ type: 'reconnect', reason: 'room-moved' });
  await waitFor(() => room.state === 'connected', 'reconnected');
  assert.equal(old.closed, true);
  assert.equal(room.subscribePeerConnection, null);
  assert.equal(events.filter((e) => e.type === 'trackUnsubscribed').length, 2);
  env.sockets[1].push(subscriberOffer(1, BOB_SECTIONS));
  await waitFor(() => events.filter((e) => e.type === 'trackSubscribed').length === 4, 'media again');
  assert.notEqual(room.subscribePeerConnection, old);
  assert.deepEqual(env.sockets[1].sent.filter((m) => m.type === 'subscriber-answer').map((m) => m.revision), [1]);
});

test('reconnect on the same node keeps the subscribe pc', async () => {
  env.others = bobWithCamera();
  const room = await join();
  env.sockets[0].push(subscriberOffer(1, BOB_SECTIONS));
  await waitFor(() => answers().length === 1, 'answer');
  const pc = room.subscribePeerConnection;
  env.sockets[0].serverClose(1006);
  await waitFor(() => room.state === 'connected', 'reconnected');
  assert.equal(room.subscribePeerConnection, pc);
  assert.equal(pc.closed, false);
});

// ------------------------------------------------------------------ runner

let passed = 0;
let failed = 0;
const unhandled = [];
process.on('unhandledRejection', (err) => unhandled.push(err));
for (const { name, fn } of tests) {
  resetEnv();
  openRooms = [];
  try {
    await Promise.race([
      fn(),
      sleep(8000).then(() => { throw new Error('test timed out'); }),
    ]);
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`not ok - ${name}`);
    console.log(String(err?.stack ?? err).split('\n').map((l) => `    ${l}`).join('\n'));
  } finally {
    for (const room of openRooms) room.disconnect();
    await sleep(5);
  }
}
for (const err of unhandled) {
  failed += 1;
  console.log('not ok - unhandled rejection');
  console.log(String(err?.stack ?? err).split('\n').map((l) => `    ${l}`).join('\n'));
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
