// parley-video.js checks: connecting, requests and replies, publishing, events, reconnecting, keepalive.

import assert from 'node:assert/strict';
import {
  sid, ROOM_SID, ME, BOB, CAROL, BOB_MIC, BOB_CAM, CAROL_MIC, GATEWAY, sleep, waitFor, record, env,
  FakePeerConnection, fakeTrack,
} from './fakes.mjs';
import { connect, Room, ParleyError, test, join } from './runner.mjs';

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
