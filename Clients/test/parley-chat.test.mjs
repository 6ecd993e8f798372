// Unit checks for Clients/js/parley-chat.js. Run: node Clients/test/parley-chat.test.mjs
// No packages: the WebSocket is a fake injected through `options.WebSocket`. Exits non-zero on failure.
//   chat-fakes.mjs  the fake WebSocket and chat server (docs/conversations-realtime.md), tokens, the runner

import assert from 'node:assert/strict';
import {
  CH1, CH2, GATEWAY, sleep, waitFor, token, record, indexes, server, post, broadcast, release, socketsOf,
  FakeWebSocket, test, client, run,
} from './chat-fakes.mjs';
import { ParleyChat, ParleyError, chatUrl, tokenExpiry } from '../js/parley-chat.js';

const lastSocket = () => server.sockets[server.sockets.length - 1];
const frames = (ws, type) => ws.sent.filter((f) => f.type === type);

// ------------------------------------------------------------------ connecting

test('connect: the URL, `authenticate` first, resolved by `ready`', async () => {
  const chat = client();
  assert.ok(chat instanceof EventTarget);
  assert.equal(chat.url, 'ws://gw.test:8080/realtime/v1/Conversations');
  assert.equal(chat.state, 'disconnected');
  const ready = await chat.connect();
  assert.equal(ready.type, 'ready');
  assert.equal(chat.state, 'connected');
  assert.equal(chat.identity, 'alice');
  assert.equal(chat.accountSid, ready.account_sid);
  assert.equal(server.sockets.length, 1);
  assert.equal(server.sockets[0].url, 'ws://gw.test:8080/realtime/v1/Conversations');
  assert.deepEqual(server.sockets[0].sent[0], { type: 'authenticate', token: token('alice'), id: '1' });

  assert.equal(chatUrl('https://parley.example/base/'), 'wss://parley.example/base/realtime/v1/Conversations');
  assert.equal(chatUrl('ws://h:1/realtime/v1/Conversations'), 'ws://h:1/realtime/v1/Conversations');
  assert.throws(() => new ParleyChat({ url: GATEWAY, token: 't', WebSocket: null }), TypeError);
  assert.equal(tokenExpiry(token('a', { exp: 1800000000 })), 1800000000 * 1000);
  assert.equal(tokenExpiry('not a jwt'), null);
});

test('connect rejects with the server\'s error (socket closed 4001), no reconnect', async () => {
  const chat = client({ token: token('alice', { exp: 1000 }) });
  const events = record(chat);
  await assert.rejects(chat.connect(), (err) => {
    assert.ok(err instanceof ParleyError);
    assert.equal(err.code, 20104);
    assert.equal(err.message, 'Access Token expired');
    return true;
  });
  assert.equal(chat.state, 'disconnected');
  await sleep(50);
  assert.equal(server.sockets.length, 1);
  assert.equal(server.sockets[0].closedBy.code, 4001);
  assert.deepEqual(events, []);
});

test('connect rejects when the socket cannot open; getToken supplies a missing token', async () => {
  server.refuse = 1;
  await assert.rejects(client().connect(), (err) => err instanceof ParleyError && err.code === 53000);
  let asked = 0;
  const chat = client({ token: undefined, getToken: async () => { asked += 1; return token('alice', { n: asked }); } });
  await chat.connect();
  assert.equal(asked, 1);
  assert.equal(lastSocket().sent[0].token, token('alice', { n: 1 }));
});

// ------------------------------------------------------------------ requests

test('requests: answers matched by `id`, whatever their order', async () => {
  const chat = client();
  await chat.connect();
  server.hold = true;
  const listed = chat.list();
  const subscribed = chat.subscribe(CH2);
  await waitFor(() => server.held.length === 2, 'both requests');
  const [list, sub] = server.held.map((h) => h.frame);
  assert.equal(list.id, '2');
  assert.equal(sub.id, '3');
  release([1, 0]); // the second answer first
  const [conversations, subscribedFrame] = await Promise.all([listed, subscribed]);
  assert.deepEqual(conversations.map((c) => c.sid), [CH1, CH2]);
  assert.equal(conversations[0].last_message_index, -1);
  assert.equal(subscribedFrame.type, 'subscribed');
  assert.equal(subscribedFrame.conversation, CH2);
  assert.deepEqual(chat.subscriptions, [CH2]);
});

test('an `error` with an id rejects that request only; one without is an `error` event', async () => {
  const chat = client();
  const events = record(chat);
  await chat.connect();
  const [refused, listed] = await Promise.allSettled([chat.subscribe('nope'), chat.list()]);
  assert.equal(refused.status, 'rejected');
  assert.ok(refused.reason instanceof ParleyError);
  assert.equal(refused.reason.code, 20404);
  assert.equal(listed.status, 'fulfilled');
  assert.deepEqual(events, []);
  lastSocket().push({ type: 'error', code: 20001, message: 'a frame must be a JSON object with a type' });
  assert.equal(events.length, 1);
  assert.equal(events[0].type, 'error');
  assert.equal(events[0].detail.code, 20001);
  assert.equal(chat.state, 'connected');
  server.members.get(CH1).delete('alice');
  await assert.rejects(chat.send(CH1, 'x'), (err) => err.code === 20404);
  assert.equal(chat.typing(CH1), true); // no answer; its error is an event with its id
  await waitFor(() => events.length === 2, 'the typing error');
  assert.equal(events[1].detail.code, 20404);
  assert.equal(events[1].detail.id, frames(lastSocket(), 'typing')[0].id);
});

test('send resolves with the message; server frames are CustomEvents named after their type', async () => {
  const chat = client();
  const events = record(chat);
  await chat.connect();
  await chat.subscribe(CH1);
  const message = await chat.send(CH1, 'hello', { color: 'blue' });
  assert.equal(message.body, 'hello');
  assert.equal(message.author, 'alice');
  assert.equal(message.index, 0);
  const sent = frames(lastSocket(), 'send')[0];
  assert.deepEqual(sent, { type: 'send', conversation: CH1, body: 'hello', attributes: '{"color":"blue"}', id: sent.id });
  post(CH1, 'hi alice');
  const ws = lastSocket();
  ws.push({ type: 'participant_joined', conversation: CH1, participant: { identity: 'carol' } });
  ws.push({ type: 'conversation_updated', conversation: { sid: CH1, friendly_name: 'General' } });
  ws.push({ type: 'message_updated', conversation: CH1, message: { ...message, body: 'hello!' } });
  assert.deepEqual(events.map((e) => e.type), ['message_added', 'message_added', 'participant_joined', 'conversation_updated', 'message_updated']);
  assert.deepEqual(indexes(events, CH1), [0, 1]);
  assert.equal(events[1].detail.message.author, 'bob');
  assert.equal(events[3].detail.conversation.friendly_name, 'General');
  assert.equal(chat.lastIndex(CH1), 1);
});

test('subscribe by unique name; typing (throttled) and read; unsubscribe', async () => {
  const alice = client();
  const bob = client({ token: token('bob') });
  const aliceEvents = record(alice);
  const bobEvents = record(bob);
  await Promise.all([alice.connect(), bob.connect()]);
  const sub = await alice.subscribe('general');
  assert.equal(sub.conversation, CH1);
  assert.deepEqual(alice.subscriptions, [CH1]);
  assert.equal(alice.lastIndex('general'), -1);
  await bob.subscribe(CH1);
  const aliceWs = socketsOf('alice')[0];

  assert.equal(alice.typing('general'), true);
  assert.equal(alice.typing(CH1), false); // within typingInterval
  assert.deepEqual(frames(aliceWs, 'typing').map(({ type, conversation }) => ({ type, conversation })), [{ type: 'typing', conversation: CH1 }]);
  await waitFor(() => bobEvents.some((e) => e.type === 'typing'), 'typing at bob');
  assert.deepEqual(bobEvents.find((e) => e.type === 'typing').detail, { type: 'typing', conversation: CH1, identity: 'alice' });
  assert.equal(aliceEvents.some((e) => e.type === 'typing'), false);

  post(CH1, 'one');
  assert.equal(bob.read(CH1, 0), true);
  await waitFor(() => aliceEvents.some((e) => e.type === 'participant_updated'), 'participant_updated');
  const updated = aliceEvents.find((e) => e.type === 'participant_updated').detail;
  assert.equal(updated.participant.identity, 'bob');
  assert.equal(updated.participant.last_read_message_index, 0);
  assert.throws(() => bob.read(CH1, -1), TypeError);

  const unsubscribed = await alice.unsubscribe('general');
  assert.equal(unsubscribed.conversation, CH1);
  assert.deepEqual(alice.subscriptions, []);
  assert.equal(frames(aliceWs, 'unsubscribe')[0].conversation, CH1);
});

test('subscribe with `after`: the backlog in order, duplicates by index dropped', async () => {
  for (const body of ['a', 'b', 'c']) post(CH1, body);
  server.replayOverlap = 1; // the server also replays index 0
  const chat = client();
  const events = record(chat);
  await chat.connect();
  const sub = await chat.subscribe(CH1, { after: 0 });
  assert.equal(sub.last_message_index, 2);
  await waitFor(() => indexes(events, CH1).length === 2, 'the backlog');
  const ws = lastSocket();
  ws.push({ type: 'message_added', conversation: CH1, message: server.conversations.get(CH1).messages[2] });
  ws.push({ type: 'message_added', conversation: CH1, message: server.conversations.get(CH1).messages[1] });
  post(CH1, 'd');
  assert.deepEqual(indexes(events, CH1), [1, 2, 3]);
  assert.equal(frames(ws, 'subscribe')[0].after, 0);
});

// ------------------------------------------------------------------ reconnecting

test('reconnect: authenticate again, re-subscribe with `after` = last index seen; every message once, in order', async () => {
  const chat = client();
  const events = record(chat);
  await chat.connect();
  await chat.subscribe(CH1);
  await chat.subscribe(CH2);
  post(CH1, 'm0');
  post(CH1, 'm1');
  server.hold = true;
  const pending = chat.list();
  await waitFor(() => server.held.length === 1, 'list held');
  server.hold = false;
  server.held = [];
  const first = lastSocket();
  first.serverClose(1006);
  await assert.rejects(pending, (err) => err instanceof ParleyError && err.code === 53001);
  assert.equal(chat.state, 'reconnecting');
  assert.deepEqual(events.at(-1), { type: 'reconnecting', detail: { reason: 'network', error: events.at(-1).detail.error } });
  await assert.rejects(chat.send(CH1, 'while away'), (err) => err.code === 53001);
  post(CH1, 'm2'); // while away
  post(CH1, 'm3');
  post(CH2, 'r0');
  server.replayOverlap = 1;
  await waitFor(() => events.some((e) => e.type === 'reconnected'), 'reconnected');
  assert.equal(chat.state, 'connected');
  const second = lastSocket();
  assert.notEqual(second, first);
  assert.equal(second.sent[0].type, 'authenticate');
  assert.equal(second.sent[0].token, token('alice'));
  const resubscribed = frames(second, 'subscribe').map(({ conversation, after }) => ({ conversation, after }));
  assert.deepEqual(resubscribed.sort((a, b) => a.conversation.localeCompare(b.conversation)), [{ conversation: CH1, after: 1 }, { conversation: CH2, after: -1 }]);
  post(CH1, 'm4');
  assert.deepEqual(indexes(events, CH1), [0, 1, 2, 3, 4]);
  assert.deepEqual(indexes(events, CH2), [0]);
  assert.equal(new Set(server.sockets.map((ws) => ws.sent[0].id)).size, server.sockets.length); // ids keep counting
});

test('reconnect retries with backoff while the server is down', async () => {
  const chat = client({ reconnectBackoff: [5, 20] });
  const events = record(chat);
  await chat.connect();
  await chat.subscribe(CH1);
  server.refuse = 3;
  lastSocket().serverClose(1006);
  await waitFor(() => events.some((e) => e.type === 'reconnected'), 'reconnected');
  assert.equal(server.sockets.length, 5);
  assert.deepEqual(events.map((e) => e.type), ['reconnecting', 'reconnected']);
  assert.equal(frames(lastSocket(), 'subscribe')[0].after, -1);
});

test('reconnect asks getToken for a fresh token', async () => {
  let n = 0;
  const chat = client({ token: undefined, getToken: async () => token('alice', { n: ++n }) });
  const events = record(chat);
  await chat.connect();
  lastSocket().serverClose(1006);
  await waitFor(() => events.some((e) => e.type === 'reconnected'), 'reconnected');
  assert.equal(n, 2);
  assert.equal(lastSocket().sent[0].token, token('alice', { n: 2 }));
});

test('token expired (20104, close 4001): reconnect with getToken, else disconnected', async () => {
  let n = 0;
  const renewing = client({ getToken: async () => token('alice', { n: ++n }) });
  const stuck = client({ token: token('alice', { n: 'x' }) });
  const renewingEvents = record(renewing);
  const stuckEvents = record(stuck);
  await renewing.connect();
  await stuck.connect();
  for (const ws of server.sockets) {
    ws.push({ type: 'error', code: 20104, message: 'token expired' });
    ws.serverClose(4001);
  }
  await waitFor(() => renewingEvents.some((e) => e.type === 'reconnected'), 'reconnected');
  assert.deepEqual(renewingEvents.map((e) => e.type), ['error', 'reconnecting', 'reconnected']);
  assert.equal(renewingEvents[1].detail.reason, 'unauthorized');
  assert.equal(renewingEvents[1].detail.error.code, 20104);
  assert.equal(lastSocket().sent[0].token, token('alice', { n: 1 }));
  assert.deepEqual(stuckEvents.map((e) => e.type), ['error', 'disconnected']);
  assert.equal(stuckEvents[1].detail.reason, 'unauthorized');
  assert.equal(stuckEvents[1].detail.error.code, 20104);
  assert.equal(stuck.state, 'disconnected');
  assert.equal(server.sockets.length, 3);
});

test('a refused token ends reconnecting (no getToken): disconnected, reconnect-failed', async () => {
  const chat = client();
  const events = record(chat);
  await chat.connect();
  server.revoked = true;
  lastSocket().serverClose(1006);
  await waitFor(() => events.some((e) => e.type === 'disconnected'), 'disconnected');
  assert.equal(server.sockets.length, 2);
  const { detail } = events.at(-1);
  assert.equal(detail.reason, 'reconnect-failed');
  assert.equal(detail.error.code, 20107);
  assert.equal(chat.state, 'disconnected');
});

test('a conversation I left is not re-subscribed: an `error` event, subscription dropped', async () => {
  const chat = client();
  const events = record(chat);
  await chat.connect();
  await chat.subscribe(CH1);
  await chat.subscribe(CH2);
  server.members.get(CH2).delete('alice');
  lastSocket().serverClose(1006);
  await waitFor(() => events.some((e) => e.type === 'reconnected'), 'reconnected');
  const error = events.find((e) => e.type === 'error');
  assert.equal(error.detail.code, 20404);
  assert.equal(error.detail.conversation, CH2);
  assert.deepEqual(chat.subscriptions, [CH1]);
});

test('participant_left for me and conversation_removed drop the subscription', async () => {
  const chat = client();
  await chat.connect();
  await chat.subscribe(CH1);
  await chat.subscribe(CH2);
  broadcast(CH1, { type: 'participant_left', conversation: CH1, participant: { identity: 'bob' } });
  assert.deepEqual(chat.subscriptions, [CH1, CH2]);
  broadcast(CH1, { type: 'participant_left', conversation: CH1, participant: { identity: 'alice' } });
  broadcast(CH2, { type: 'conversation_removed', conversation: { sid: CH2 } });
  assert.deepEqual(chat.subscriptions, []);
});

// ------------------------------------------------------------------ tokens

test('updateToken: `token` frame, `token_updated`; used on reconnect; a refused one is not kept', async () => {
  const chat = client();
  const events = record(chat);
  await chat.connect();
  const reply = await chat.updateToken(token('alice', { n: 2 }));
  assert.equal(reply.type, 'token_updated');
  assert.equal(frames(lastSocket(), 'token')[0].token, token('alice', { n: 2 }));
  await assert.rejects(chat.updateToken(token('mallory')), (err) => err.code === 20001);
  lastSocket().serverClose(1006);
  await waitFor(() => events.some((e) => e.type === 'reconnected'), 'reconnected');
  assert.equal(lastSocket().sent[0].token, token('alice', { n: 2 }));
  chat.close();
  assert.equal(await chat.updateToken(token('alice', { n: 3 })), null);
});

test('before the token expires: getToken and `token` frame; without getToken, token_about_to_expire', async () => {
  const soon = () => Math.floor(Date.now() / 1000) + 2;
  let n = 0;
  const refreshing = client({ token: token('alice', { exp: soon() }), tokenRefreshMargin: 1000,
    getToken: async () => token('alice', { exp: soon() + 3600, n: ++n }) });
  const waiting = client({ token: token('alice', { exp: soon(), n: 'w' }), tokenRefreshMargin: 1000 });
  const events = record(waiting);
  await refreshing.connect();
  const refreshingWs = lastSocket();
  await waiting.connect();
  const first = refreshingWs.token;
  await waitFor(() => refreshingWs.token !== first, 'the token replaced', 2500);
  assert.equal(n, 1);
  assert.deepEqual(frames(refreshingWs, 'token').map((f) => f.token), [refreshingWs.token]);
  assert.ok(tokenExpiry(refreshingWs.token) > Date.now() + 3000_000);
  assert.equal(refreshing.state, 'connected');
  await waitFor(() => events.some((e) => e.type === 'token_about_to_expire'), 'token_about_to_expire', 2500);
  assert.ok(events[0].detail.expiresAt instanceof Date);
  await sleep(50);
  assert.equal(n, 1); // not again: the new token lasts an hour
});

test('close(): disconnected, pending requests rejected, no reconnect, requests rejected after', async () => {
  const chat = client();
  const events = record(chat);
  await chat.connect();
  await chat.subscribe(CH1);
  server.hold = true;
  const pending = chat.list();
  await waitFor(() => server.held.length === 1, 'list held');
  chat.close();
  await assert.rejects(pending, (err) => err.code === 53001);
  assert.deepEqual(events, [{ type: 'disconnected', detail: { reason: 'closed' } }]);
  assert.equal(chat.state, 'disconnected');
  assert.deepEqual(chat.subscriptions, []);
  await sleep(50);
  assert.equal(server.sockets.length, 1);
  assert.equal(server.sockets[0].closedBy.side, 'client');
  await assert.rejects(chat.list(), (err) => err.code === 53001);
  assert.equal(chat.typing(CH1), false);
  const again = await chat.connect(); // a closed client may connect again
  assert.equal(again.identity, 'alice');
});

test('close() during connect rejects it without events', async () => {
  const chat = new ParleyChat({ url: GATEWAY, token: token('alice'), WebSocket: FakeWebSocket });
  const events = record(chat);
  const connecting = chat.connect();
  chat.close();
  await assert.rejects(connecting, (err) => err instanceof ParleyError);
  assert.equal(chat.state, 'disconnected');
  assert.deepEqual(events, []);
});

const failed = await run();
process.exit(failed === 0 ? 0 : 1);
