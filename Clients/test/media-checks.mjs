// parley-video.js checks: receiving media (subscriber offers), quality, dominant speaker, simulcast, stats.

import assert from 'node:assert/strict';
import {
  sid, ROOM_SID, ME, BOB, CAROL, BOB_MIC, BOB_CAM, CAROL_MIC, sleep, waitFor, record, env,
  FakePeerConnection, revisionOf, subscriberOffer, fakeTrack,
} from './fakes.mjs';
import { test, join } from './runner.mjs';

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

  // The fake node reads answerError when it gets to an answer, which may be after this line for offer 2's answer
  // too: so at least one 53403 (offer 3's), perhaps two, and nothing else.
  env.answerError = 53403;
  env.sockets[0].push(subscriberOffer(3, BOB_SECTIONS));
  await waitFor(() => events.some((e) => e.type === 'error' && e.detail.code === 53403), 'node error event');
  assert.deepEqual([...new Set(events.filter((e) => e.type === 'error').slice(1).map((e) => e.detail.code))], [53403]);
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
