/**
 * chat-socket.js — one WebSocket of the realtime chat protocol (docs/conversations-realtime.md): JSON text
 * frames, requests answered by the frame carrying the same `id` (or an `error` with it). ParleyChat
 * (parley-chat.js) opens a new ChatSocket for every connection attempt. Also: the protocol's URL from a
 * gateway URL, and a token's expiry.
 */

import { ErrorCodes, ParleyError } from './errors.js';

/** The protocol's path on the gateway. */
export const CHAT_PATH = '/realtime/v1/Conversations';

/** Whether an error is the connection's (not an `error` frame of the server). */
export const isConnectionError = (err) => err instanceof ParleyError && (
  err.code === ErrorCodes.SIGNALING_CONNECTION_ERROR
  || err.code === ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED
  || err.code === ErrorCodes.SIGNALING_CONNECTION_TIMEOUT);

/** The ParleyError of a server `error` frame. */
export const serverError = (frame) => new ParleyError(frame.code ?? 20500, frame.message ?? 'Error');

export class ChatSocket {
  /**
   * @param {object} options
   * @param {string} options.url
   * @param {Function} options.WebSocket  the WebSocket constructor (the browser's, or e.g. `ws` in Node)
   * @param {() => string} options.nextId  the next request id
   * @param {(frame: object, request: object|null) => void} options.onFrame  each frame of the socket, before
   *   the request it answers (`request`, the frame sent) is settled
   * @param {(close: {code: number, reason: string}) => void} options.onClose  the socket closed by itself
   *   (not by close()); its pending requests are already rejected
   */
  constructor({ url, WebSocket, nextId, onFrame, onClose }) {
    this.url = url;
    this._WebSocket = WebSocket;
    this._nextId = nextId;
    this._onFrame = onFrame;
    this._onClose = onClose;
    this._ws = null;
    this._opening = null;
    this._pending = new Map();
  }

  /** Whether the socket is open. */
  get isOpen() {
    return this._ws !== null && this._opening === null && this._ws.readyState === 1;
  }

  /** Opens the WebSocket. Resolves once it is open; rejects when it closes first or close() is called. */
  open() {
    return new Promise((resolve, reject) => {
      let ws;
      try {
        ws = new this._WebSocket(this.url);
      } catch (cause) {
        reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_ERROR, `Could not open ${this.url}: ${cause?.message ?? cause}`, { cause }));
        return;
      }
      this._ws = ws;
      this._opening = { resolve, reject };
      ws.addEventListener('open', () => {
        if (ws !== this._ws || !this._opening) return;
        this._opening = null;
        resolve();
      });
      ws.addEventListener('message', (ev) => this._onMessage(ws, ev.data));
      ws.addEventListener('close', (ev) => this._gone(ws, ev?.code ?? 1006, ev?.reason ?? ''));
      // Before `open` an error is the end; after it, `close` follows.
      ws.addEventListener('error', () => { if (ws === this._ws && this._opening) this._gone(ws, 1006, 'error'); });
    });
  }

  /** Sends a request with the next `id`. Resolves with the frame answering it, rejects on an `error` with it. */
  request(frame) {
    if (!this.isOpen) return Promise.reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, 'Not connected'));
    const message = { ...frame, id: this._nextId() };
    return new Promise((resolve, reject) => {
      this._pending.set(message.id, { resolve, reject, frame: message });
      if (!this.send(message)) {
        this._pending.delete(message.id);
        reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Could not send ${frame.type}`));
      }
    });
  }

  /** Sends a frame with the next `id` that has no answer (`typing`, `read`). Returns whether it was sent. */
  notify(frame) {
    return this.isOpen && this.send({ ...frame, id: this._nextId() });
  }

  /** Sends a frame as it is. Returns whether it was sent. */
  send(frame) {
    if (!this.isOpen) return false;
    try {
      this._ws.send(JSON.stringify(frame));
      return true;
    } catch {
      return false; // the close handler runs
    }
  }

  /** Lets go of the socket (without onClose) and closes it; a pending open and the requests reject with `error`. */
  close(code = 1000, reason = '', error = undefined) {
    const ws = this._ws;
    this._ws = null;
    this._fail(error ?? new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, 'Connection closed'));
    if (ws && ws.readyState <= 1) {
      try { ws.close(code, reason); } catch { /* ignore */ }
    }
  }

  // ---------------------------------------------------------------- internals

  _onMessage(ws, data) {
    if (ws !== this._ws) return;
    let frame;
    try {
      frame = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    const key = frame.id != null ? String(frame.id) : null;
    const pending = key !== null ? this._pending.get(key) : undefined;
    if (pending) this._pending.delete(key);
    this._onFrame(frame, pending?.frame ?? null);
    if (!pending) return;
    if (frame.type === 'error') pending.reject(serverError(frame));
    else pending.resolve(frame);
  }

  _gone(ws, code, reason) {
    if (ws !== this._ws) return;
    this._ws = null;
    const opened = this._opening === null;
    this._fail(opened
      ? new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Connection closed (${code})`)
      : new ParleyError(ErrorCodes.SIGNALING_CONNECTION_ERROR, `Could not connect to ${this.url} (${code})`));
    if (opened) this._onClose({ code, reason });
  }

  _fail(error) {
    const opening = this._opening;
    this._opening = null;
    opening?.reject(error);
    const pending = [...this._pending.values()];
    this._pending.clear();
    for (const p of pending) p.reject(error);
  }
}

/** The protocol's WebSocket URL from a gateway URL (http(s) becomes ws(s); a bare origin gets CHAT_PATH). */
export function chatUrl(url) {
  const base = url ?? globalThis.location?.origin;
  if (!base) throw new TypeError('ParleyChat: url is required outside a browser page');
  const parsed = new URL(base, globalThis.location?.href);
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (!parsed.pathname.endsWith(CHAT_PATH)) parsed.pathname = parsed.pathname.replace(/\/+$/, '') + CHAT_PATH;
  return parsed.toString();
}

/** A JWT's `exp` in ms since the epoch, or null. */
export function tokenExpiry(token) {
  try {
    const part = String(token).split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const exp = JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '='))).exp;
    return Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}
