// Fakes for the parley-chat.js checks: a fake WebSocket (injected, not installed on globalThis), the fake
// chat server behind it (docs/conversations-realtime.md), tokens, helpers and the runner.

import { ParleyChat } from '../js/parley-chat.js';
import { FakeSocket, GATEWAY, createSuite, sid } from './harness.mjs';

export { GATEWAY, hex32, sid, sleep, waitFor } from './harness.mjs';
export const CH1 = sid('CH', 1);
export const CH2 = sid('CH', 2);

const b64url = (s) => Buffer.from(s).toString('base64url');
/** A JWT-shaped token: `identity`, optional `exp` (s since the epoch), `bad` (forged), `n` (to tell them apart). */
export const token = (identity, claims = {}) => `eyJ.${b64url(JSON.stringify({ identity, ...claims }))}.sig`;
const claimsOf = (t) => { try { return JSON.parse(Buffer.from(String(t).split('.')[1], 'base64url').toString()); } catch { return null; } };

/** Every event a client dispatches, in order: { type, detail }. */
export function record(chat, types = ['message_added', 'message_updated', 'message_removed', 'participant_joined',
  'participant_updated', 'participant_left', 'conversation_updated', 'conversation_removed', 'typing', 'error',
  'reconnecting', 'reconnected', 'disconnected', 'token_about_to_expire']) {
  const events = [];
  for (const type of types) {
    chat.addEventListener(type, (e) => {
      if (!(e instanceof CustomEvent)) throw new Error(`${type} is not a CustomEvent`);
      events.push({ type, detail: e.detail });
    });
  }
  return events;
}

/** The indexes of the `message_added` events of one conversation. */
export const indexes = (events, conversation) => events
  .filter((e) => e.type === 'message_added' && e.detail.conversation === conversation).map((e) => e.detail.message.index);

// ------------------------------------------------------------------ the server

/** What the fake server knows and does; reset before each test. */
export let server;

export function resetServer() {
  server = {
    sockets: [],
    refuse: 0, // connection attempts to refuse (closed before `open`)
    revoked: false, // every token is refused (20107)
    hold: false, // replies wait in `held` until the test releases them
    held: [],
    replayOverlap: 0, // a subscribe with `after` also replays this many older messages (the client drops them)
    members: new Map([[CH1, new Set(['alice', 'bob'])], [CH2, new Set(['alice', 'bob'])]]),
    conversations: new Map([[CH1, conversation(CH1, 'general')], [CH2, conversation(CH2, 'random')]]),
  };
}

function conversation(conversationSid, uniqueName) {
  return { sid: conversationSid, unique_name: uniqueName, messages: [], lastRead: new Map() };
}

/** Adds a message as `author` and pushes `message_added` to every subscriber. */
export function post(conversationSid, body, author = 'bob', attributes = '{}') {
  const c = server.conversations.get(conversationSid);
  const message = {
    sid: sid('IM', 0x1000 + c.messages.length), conversation_sid: conversationSid, index: c.messages.length, author, body, attributes,
  };
  c.messages.push(message);
  broadcast(conversationSid, { type: 'message_added', conversation: conversationSid, message });
  return message;
}

export function broadcast(conversationSid, frame, except = null) {
  for (const ws of server.sockets) if (ws !== except && ws.subs.has(conversationSid)) ws.push(frame);
}

const find = (name) => [...server.conversations.values()].find((c) => c.sid === name || c.unique_name === name);

function refusal(t) {
  const claims = claimsOf(t);
  if (!claims?.identity || claims.bad || server.revoked) return { code: 20107, message: 'Invalid Access Token signature' };
  if (claims.exp != null && claims.exp * 1000 <= Date.now()) return { code: 20104, message: 'Access Token expired' };
  return null;
}

/** The server's answer to one client frame. */
function serve(ws, msg) {
  if (ws.readyState !== 1) return;
  const { id } = msg;
  const reply = (frame) => (server.hold && msg.type !== 'authenticate' ? server.held.push({ ws, frame: { ...frame, id } }) : ws.push({ ...frame, id }));
  const fail = (code, message) => ws.push({ type: 'error', id, code, message });
  if (!ws.identity) {
    const refused = msg.type === 'authenticate' ? refusal(msg.token) : { code: 20101, message: 'authenticate first' };
    if (refused) { fail(refused.code, refused.message); ws.serverClose(4001); return; }
    ws.identity = claimsOf(msg.token).identity;
    ws.token = msg.token;
    return reply({ type: 'ready', identity: ws.identity, account_sid: sid('AC', 1) });
  }
  const c = msg.conversation === undefined ? null : find(msg.conversation);
  if (msg.conversation !== undefined && !(c && server.members.get(c.sid)?.has(ws.identity))) {
    return fail(20404, `no conversation ${msg.conversation} with this identity in it`);
  }
  switch (msg.type) {
    case 'list':
      return reply({
        type: 'conversations',
        conversations: [...server.conversations.values()].filter((x) => server.members.get(x.sid).has(ws.identity)).map((x) => ({
          sid: x.sid, unique_name: x.unique_name, participant_sid: sid('MB', 1),
          last_read_message_index: x.lastRead.get(ws.identity) ?? null, last_message_index: x.messages.length - 1,
        })),
      });
    case 'subscribe': {
      ws.subs.add(c.sid);
      reply({ type: 'subscribed', conversation: c.sid, last_message_index: c.messages.length - 1 });
      if (msg.after != null) {
        for (const m of c.messages) {
          if (m.index > msg.after - server.replayOverlap) ws.push({ type: 'message_added', conversation: c.sid, message: m });
        }
      }
      return undefined;
    }
    case 'unsubscribe':
      ws.subs.delete(c.sid);
      return reply({ type: 'unsubscribed', conversation: c.sid });
    case 'send':
      return reply({ type: 'sent', message: post(c.sid, msg.body, ws.identity, msg.attributes ?? '{}') });
    case 'typing':
      return broadcast(c.sid, { type: 'typing', conversation: c.sid, identity: ws.identity }, ws);
    case 'read':
      c.lastRead.set(ws.identity, msg.index);
      return broadcast(c.sid, {
        type: 'participant_updated', conversation: c.sid,
        participant: { sid: sid('MB', 1), identity: ws.identity, last_read_message_index: msg.index },
      });
    case 'token': {
      const refused = refusal(msg.token);
      if (refused) return fail(refused.code, refused.message);
      if (claimsOf(msg.token).identity !== ws.identity) return fail(20001, 'token must be for the same identity and account');
      ws.token = msg.token;
      return reply({ type: 'token_updated' });
    }
    default:
      return fail(20001, `${msg.type} is not a request of this protocol`);
  }
}

/** Sends the held replies, in the given order of their positions (default: as held). */
export function release(order = null) {
  const held = server.held;
  server.held = [];
  for (const i of order ?? held.map((_, k) => k)) held[i].ws.push(held[i].frame);
}

export class FakeWebSocket extends FakeSocket {
  constructor(url) {
    super(url);
    this.subs = new Set();
    this.identity = null;
    server.sockets.push(this);
  }

  refuseOpen() {
    if (server.refuse <= 0) return false;
    server.refuse -= 1;
    this.serverClose(1006);
    return true;
  }

  received(msg) {
    setTimeout(() => serve(this, msg), 1);
  }

  closing() {
    this.subs.clear();
  }
}

/** The open sockets of an identity. */
export const socketsOf = (identity) => server.sockets.filter((ws) => ws.identity === identity && ws.readyState === 1);

// ------------------------------------------------------------------ the runner

let clients = [];

/** A ParleyChat on the fake server, closed after the test (fast backoff unless told). */
export function client(options = {}) {
  const chat = new ParleyChat({
    url: GATEWAY, token: token('alice'), WebSocket: FakeWebSocket, reconnectBackoff: [5, 10, 20], ...options,
  });
  clients.push(chat);
  return chat;
}

export const { test, run } = createSuite({
  beforeEach: () => {
    resetServer();
    clients = [];
  },
  afterEach: () => {
    for (const chat of clients) chat.close();
  },
});
