/**
 * parley-chat.js — Parley Conversations realtime client (plain ES modules, no build step, no dependencies).
 *
 * Speaks the realtime chat protocol of docs/conversations-realtime.md: one WebSocket to the gateway
 * (`/realtime/v1/Conversations`), JSON frames, requests answered by the frame carrying the same `id`.
 *
 * @example
 *   import { ParleyChat } from '/clients/js/parley-chat.js';
 *   const chat = new ParleyChat({ token, getToken: () => fetch('/my-token').then((r) => r.text()) });
 *   chat.addEventListener('message_added', ({ detail: { conversation, message } }) => console.log(message.body));
 *   await chat.connect();                              // { type: 'ready', identity, account_sid }
 *   const conversations = await chat.list();
 *   await chat.subscribe(conversations[0].sid);
 *   await chat.send(conversations[0].sid, 'Hello');    // the message resource
 *
 * The whole API (options, methods, events) is in docs/conversations-realtime.md, "The browser client".
 *
 * Resuming: after an unexpected close the client reconnects with backoff, authenticates again (with a token
 * from `getToken` when given), and subscribes to every conversation it followed with `after` = the last index
 * it saw there; `message_added` frames at or below that index are dropped. A close with 4001 (the token
 * expired or was refused) ends the session unless `getToken` can supply a new token.
 *
 * Modules: `chat-socket.js` (one WebSocket: requests by `id`; the URL; a token's `exp`), `reconnect.js`
 * (the backoff schedule), `errors.js` (`ParleyError`, `ErrorCodes`).
 */

import { ErrorCodes, ParleyError } from './errors.js';
import { Reconnector } from './reconnect.js';
import { ChatSocket, chatUrl, isConnectionError, tokenExpiry } from './chat-socket.js';

export { ErrorCodes, ParleyError } from './errors.js';
export { CHAT_PATH, chatUrl, tokenExpiry } from './chat-socket.js';

const DEFAULTS = Object.freeze({
  reconnect: true,
  reconnectBackoff: [250, 1000, 2000, 5000, 10000],
  reconnectWindow: Infinity,
  connectTimeout: 10_000,
  tokenRefreshMargin: 60_000,
  typingInterval: 2_000,
});
const MAX_TIMER = 2_147_483_647; // setTimeout's longest delay
const isAuthError = (err) => err?.code >= 20101 && err?.code <= 20107;
const sidOf = (conversation) => (typeof conversation === 'string' ? conversation : conversation?.sid);

export class ParleyChat extends EventTarget {
  constructor(options = {}) {
    super();
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this._opts = { ...DEFAULTS, ...defined };
    this.url = chatUrl(options.url);
    this._token = options.token ?? null;
    this._getToken = options.getToken ?? null;
    this._WebSocket = options.WebSocket ?? globalThis.WebSocket;
    if (typeof this._WebSocket !== 'function') throw new TypeError('ParleyChat: no WebSocket constructor (pass options.WebSocket)');
    /** 'disconnected' | 'connecting' | 'connected' | 'reconnecting' */
    this.state = 'disconnected';
    this.identity = null;
    this.accountSid = null;

    this._socket = null;
    this._seq = 0;
    this._subs = new Map(); // CH… → { lastIndex }
    this._names = new Map(); // unique name → CH…
    this._typingSent = new Map(); // CH… → ms of the last `typing`
    this._lastError = null; // the last `error` frame answering no request
    this._authFailures = 0;
    this._refreshTimer = null;
    this._reconnector = new Reconnector({
      window: Math.min(this._opts.reconnectWindow, MAX_TIMER),
      backoff: this._opts.reconnectBackoff,
      active: () => this.state === 'reconnecting',
      attempt: () => this._attempt(),
      succeeded: (ready) => this._onReconnected(ready),
      failed: (error) => this._finish('reconnect-failed', error),
    });
  }

  /** The `CH…` SIDs of the conversations followed. */
  get subscriptions() {
    return [...this._subs.keys()];
  }

  /** The index of the last message seen in a subscribed conversation (-1: none yet), else undefined. */
  lastIndex(conversation) {
    return this._subs.get(this._sidOf(conversation))?.lastIndex;
  }

  // ---------------------------------------------------------------- public API

  /** Opens the socket and authenticates. Resolves with the `ready` frame. */
  async connect() {
    if (this.state !== 'disconnected') throw new ParleyError(ErrorCodes.SIGNALING_CONNECTION_ERROR, `Already ${this.state}`);
    this.state = 'connecting';
    let ready;
    try {
      ready = await this._session(false);
    } catch (err) {
      if (this.state === 'connecting') this.state = 'disconnected';
      throw err;
    }
    if (this.state !== 'connecting') {
      this._socket?.close();
      throw new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, 'Closed while connecting');
    }
    this.state = 'connected';
    this._onReady(ready);
    return ready;
  }

  /** The conversations in which the identity is a participant. */
  async list() {
    return (await this._request({ type: 'list' })).conversations ?? [];
  }

  /** Follows a conversation (`CH…` or unique name). Resolves with the `subscribed` frame. */
  subscribe(conversation, { after } = {}) {
    const frame = { type: 'subscribe', conversation: this._sidOf(conversation) };
    const known = this._subs.get(frame.conversation);
    if (after != null) frame.after = after;
    else if (known) frame.after = known.lastIndex;
    return this._request(frame);
  }

  /** Stops following a conversation (at once locally). Resolves with the `unsubscribed` frame. */
  unsubscribe(conversation) {
    const sid = this._sidOf(conversation);
    this._forget(sid);
    if (this.state !== 'connected') return Promise.resolve({ type: 'unsubscribed', conversation: sid });
    return this._request({ type: 'unsubscribe', conversation: sid });
  }

  /** Posts a message as the token's identity. Resolves with the message resource. */
  async send(conversation, body, attributes) {
    const frame = { type: 'send', conversation: this._sidOf(conversation), body: String(body) };
    if (attributes != null) frame.attributes = typeof attributes === 'string' ? attributes : JSON.stringify(attributes);
    return (await this._request(frame)).message;
  }

  /** Tells the conversation's other subscribers that I am typing (at most once per `typingInterval`). */
  typing(conversation) {
    const sid = this._sidOf(conversation);
    const now = Date.now();
    if (now - (this._typingSent.get(sid) ?? -Infinity) < this._opts.typingInterval) return false;
    if (this.state !== 'connected' || !this._socket?.notify({ type: 'typing', conversation: sid })) return false;
    this._typingSent.set(sid, now);
    return true;
  }

  /** Moves my read horizon (`last_read_message_index`) in a conversation. */
  read(conversation, index) {
    if (!Number.isInteger(index) || index < 0) throw new TypeError('read: index must be a message index');
    return this.state === 'connected' && Boolean(this._socket?.notify({ type: 'read', conversation: this._sidOf(conversation), index }));
  }

  /** Replaces the access token (same identity). Resolves with `token_updated`, or null when not connected. */
  async updateToken(token) {
    if (typeof token !== 'string' || token === '') throw new TypeError('updateToken: token is required');
    const previous = this._token;
    this._token = token;
    if (this.state !== 'connected' || !this._socket?.isOpen) return null;
    try {
      const reply = await this._socket.request({ type: 'token', token });
      this._scheduleRefresh();
      return reply;
    } catch (err) {
      if (!isConnectionError(err) && this._token === token) this._token = previous;
      throw err;
    }
  }

  /** Closes the socket for good (no reconnect) and forgets the subscriptions. */
  close() {
    this._finish('closed');
  }

  // ---------------------------------------------------------------- sessions

  /** Token, socket, `authenticate` → the `ready` frame; the socket becomes the current one. */
  async _session(freshToken) {
    if (this._getToken && (freshToken || !this._token)) this._token = await this._getToken();
    if (typeof this._token !== 'string' || this._token === '') throw new TypeError('ParleyChat: a token (or getToken) is required');
    if (this.state === 'disconnected') throw new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, 'Closed');
    const socket = new ChatSocket({
      url: this.url,
      WebSocket: this._WebSocket,
      nextId: () => String(++this._seq),
      onFrame: (frame, request) => { if (socket === this._socket) this._onFrame(frame, request); },
      onClose: (close) => { if (socket === this._socket) this._onClose(close); },
    });
    this._socket?.close();
    this._socket = socket;
    this._lastError = null;
    const timer = setTimeout(() => socket.close(4000, 'timeout',
      new ParleyError(ErrorCodes.SIGNALING_CONNECTION_TIMEOUT, `Timed out connecting to ${this.url}`)), this._opts.connectTimeout);
    try {
      await socket.open();
      return await socket.request({ type: 'authenticate', token: this._token });
    } catch (err) {
      socket.close();
      if (this._socket === socket) this._socket = null;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  _onReady(ready) {
    this.identity = ready.identity ?? null;
    this.accountSid = ready.account_sid ?? null;
    this._scheduleRefresh();
  }

  /** One reconnect attempt. A refused token ends the attempts unless `getToken` may bring a better one. */
  async _attempt() {
    try {
      return await this._session(true);
    } catch (err) {
      if (isAuthError(err)) {
        this._authFailures += 1;
        if (!this._getToken || this._authFailures >= 2) err.fatal = true;
      }
      throw err;
    }
  }

  /** The current socket closed by itself while connected. */
  _onClose({ code }) {
    if (this.state !== 'connected') return; // an attempt handles its own failure
    this._socket = null;
    const unauthorized = code === 4001;
    const error = unauthorized
      ? new ParleyError(this._lastError?.code ?? 20101, this._lastError?.message ?? 'Unauthorized')
      : new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Connection closed (${code})`);
    const reason = unauthorized ? 'unauthorized' : 'network';
    if (!this._opts.reconnect || (unauthorized && !this._getToken)) {
      this._finish(reason, error);
      return;
    }
    this.state = 'reconnecting';
    this._authFailures = 0;
    clearTimeout(this._refreshTimer);
    this._emit('reconnecting', { reason, error });
    this._reconnector.run();
  }

  /** Authenticated again: subscribe to every conversation followed, after the last index seen there. */
  _onReconnected(ready) {
    if (this.state !== 'reconnecting') {
      this._socket?.close();
      this._socket = null;
      return;
    }
    this.state = 'connected';
    this._onReady(ready);
    const socket = this._socket;
    const resubscribed = [...this._subs].map(([sid, sub]) => socket.request({ type: 'subscribe', conversation: sid, after: sub.lastIndex })
      .catch((error) => {
        if (isConnectionError(error)) return;
        this._forget(sid);
        this._emit('error', { type: 'error', code: error.code, message: `Could not resubscribe to ${sid}: ${error.message}`, conversation: sid, error });
      }));
    Promise.all(resubscribed).then(() => {
      if (socket === this._socket && this.state === 'connected') this._emit('reconnected', { identity: this.identity });
    });
  }

  /** Ends the session for good and dispatches `disconnected` (not when connect() was still under way). */
  _finish(reason, error) {
    if (this.state === 'disconnected') return;
    const wasConnecting = this.state === 'connecting';
    this.state = 'disconnected';
    this._reconnector.cancel();
    clearTimeout(this._refreshTimer);
    this._socket?.close(1000, reason, error ?? new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Disconnected (${reason})`));
    this._socket = null;
    this._subs.clear();
    this._names.clear();
    this._typingSent.clear();
    if (!wasConnecting) this._emit('disconnected', error ? { reason, error } : { reason });
  }

  // ---------------------------------------------------------------- frames

  /** A frame of the current socket; `request` is the frame it answers (settled right after). */
  _onFrame(frame, request) {
    switch (frame.type) {
      case 'subscribed': this._onSubscribed(frame, request); break;
      case 'unsubscribed':
      case 'conversation_removed': this._forget(sidOf(frame.conversation)); break;
      case 'participant_left':
        if (this.identity !== null && frame.participant?.identity === this.identity) this._forget(sidOf(frame.conversation));
        break;
      case 'message_added': if (!this._isNew(frame)) return; break;
      case 'error': if (!request) this._lastError = frame; break;
      default: break;
    }
    if (!request) this._emit(frame.type, frame);
  }

  _onSubscribed(frame, request) {
    const sid = frame.conversation;
    if (typeof sid !== 'string') return;
    if (request?.conversation && request.conversation !== sid) this._names.set(request.conversation, sid);
    if (request?.after != null) this._subs.set(sid, { lastIndex: request.after });
    else if (!this._subs.has(sid)) this._subs.set(sid, { lastIndex: frame.last_message_index ?? -1 });
  }

  /** Whether a `message_added` is one not seen yet (and remembers its index). */
  _isNew({ conversation, message }) {
    const sub = this._subs.get(conversation);
    const index = message?.index;
    if (!sub || !Number.isInteger(index)) return true;
    if (index <= sub.lastIndex) return false;
    sub.lastIndex = index;
    return true;
  }

  // ---------------------------------------------------------------- helpers

  _request(frame) {
    if (this.state !== 'connected' || !this._socket) {
      return Promise.reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Not connected (${this.state})`));
    }
    return this._socket.request(frame);
  }

  _sidOf(conversation) {
    const name = sidOf(conversation);
    return this._names.get(name) ?? name;
  }

  _forget(sid) {
    this._subs.delete(sid);
    this._typingSent.delete(sid);
    for (const [name, value] of this._names) if (value === sid) this._names.delete(name);
  }

  /** Refreshes the token ahead of its `exp` with `getToken`, or tells the app (`token_about_to_expire`). */
  _scheduleRefresh() {
    clearTimeout(this._refreshTimer);
    this._refreshTimer = null;
    const expiresAt = tokenExpiry(this._token);
    if (expiresAt === null || this.state !== 'connected') return;
    const left = expiresAt - Date.now();
    const margin = this._opts.tokenRefreshMargin;
    const delay = left > 2 * margin ? left - margin : Math.max(0, left / 2);
    this._refreshTimer = setTimeout(() => this._refresh(expiresAt, delay > MAX_TIMER), Math.min(delay, MAX_TIMER));
  }

  async _refresh(expiresAt, early) {
    this._refreshTimer = null;
    if (this.state !== 'connected') return;
    if (early) { this._scheduleRefresh(); return; }
    if (!this._getToken) {
      this._emit('token_about_to_expire', { expiresAt: new Date(expiresAt) });
      return;
    }
    try {
      await this.updateToken(await this._getToken());
    } catch (error) {
      if (this.state === 'connected') {
        this._emit('error', { type: 'error', code: error.code ?? 20104, message: `Could not refresh the token: ${error.message}`, error });
      }
    }
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
