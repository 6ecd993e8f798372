/**
 * signaling.js — the signaling channel to the room's media node: one WebSocket at a time, requests answered
 * by the reply carrying the same `id`, and keepalive. A reconnect opens its new socket on the same channel,
 * so request ids keep counting and requests pending on a lost socket are rejected.
 */

import { ErrorCodes, ParleyError } from './errors.js';

export class SignalingChannel {
  /**
   * @param {object} options
   * @param {number} options.pingInterval       ms between `ping`s
   * @param {number} options.inactivityTimeout  ms a socket may deliver nothing before it is dropped
   * @param {(msg: object, wasReply: boolean) => void} options.onMessage  each message of the current socket,
   *   after the pending request it answers (if any) was settled
   * @param {(reason: string) => void} options.onGone  the current socket closed ('network') or was dropped
   *   ('inactivity', or the reason given to drop()); its pending requests are already rejected
   * @param {() => string} options.roomState  the room's state, for the error of a request made while closed
   */
  constructor({ pingInterval, inactivityTimeout, onMessage, onGone, roomState }) {
    this._pingInterval = pingInterval;
    this._inactivityTimeout = inactivityTimeout;
    this._onMessageHandler = onMessage;
    this._onGoneHandler = onGone;
    this._roomState = roomState;

    this._ws = null;
    this._seq = 0;
    this._pending = new Map();
    this._pingTimer = null;
    this._idleTimer = null;
  }

  /** Opens a WebSocket and makes it the current socket. Resolves once it is open. */
  open(url) {
    return new Promise((resolve, reject) => {
      let ws;
      try {
        ws = new WebSocket(url);
      } catch (cause) {
        reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_ERROR, `Could not open ${url}: ${cause?.message ?? cause}`, { cause }));
        return;
      }
      this._ws = ws;
      let opened = false;
      ws.addEventListener('open', () => {
        if (ws !== this._ws) return;
        opened = true;
        this._startKeepalive(ws);
        resolve();
      });
      ws.addEventListener('message', (ev) => this._onMessage(ws, ev.data));
      ws.addEventListener('close', (ev) => {
        if (!opened) reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_ERROR, `Could not connect to ${url} (${ev?.code ?? 'closed'})`));
        this._onSocketGone(ws, 'network');
      });
      ws.addEventListener('error', () => {
        if (!opened) {
          reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_ERROR, `Could not connect to ${url}`));
          this._onSocketGone(ws, 'network');
        }
      });
    });
  }

  /** Sends a request with the next `id`. Resolves with the reply carrying that id, rejects on an `error` reply. */
  request(message) {
    const ws = this._ws;
    if (!ws || ws.readyState !== 1) {
      return Promise.reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED,
        `Not connected (room is ${this._roomState()})`));
    }
    const id = this._nextId();
    return new Promise((resolve, reject) => {
      this._pending.set(id, { resolve, reject, type: message.type });
      try {
        ws.send(JSON.stringify({ ...message, id }));
      } catch (cause) {
        this._pending.delete(id);
        reject(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, `Could not send ${message.type}`, { cause }));
      }
    });
  }

  /** Sends a message (with the next `id`) whose reply nobody waits for, if the socket is open (`leave`). */
  notify(message) {
    this.send({ ...message, id: this._nextId() });
  }

  /**
   * Sends a message as it is (`subscriber-answer`: no `id`, no reply), if the socket is open.
   * @returns {boolean} whether it was sent
   */
  send(message) {
    const ws = this._ws;
    if (!ws || ws.readyState !== 1) return false;
    try {
      ws.send(JSON.stringify(message));
      return true;
    } catch {
      return false; // the close handler runs
    }
  }

  /** Gives up on the current socket (if any): closes it and handles it as gone now. */
  drop(reason) {
    if (this._ws) this._dropSocket(this._ws, reason);
  }

  /** Lets go of the current socket without reporting it gone, and closes it. Pending requests stay pending. */
  close(code = 1000, reason) {
    const ws = this._ws;
    this._ws = null;
    this._stopKeepalive();
    if (ws && ws.readyState <= 1) {
      try { ws.close(code, reason); } catch { /* ignore */ }
    }
  }

  /** Rejects every request still waiting for its reply. */
  rejectPending(error) {
    const pending = [...this._pending.values()];
    this._pending.clear();
    for (const p of pending) p.reject(error);
  }

  // ---------------------------------------------------------------- internals

  _nextId() {
    this._seq += 1;
    return String(this._seq);
  }

  _onMessage(ws, data) {
    if (ws !== this._ws) return;
    this._touch(ws);
    let msg;
    try {
      msg = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return;
    }
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;

    let wasReply = false;
    if (msg.id != null && this._pending.has(String(msg.id))) {
      const p = this._pending.get(String(msg.id));
      this._pending.delete(String(msg.id));
      wasReply = true;
      if (msg.type === 'error') {
        p.reject(new ParleyError(msg.code, msg.message ?? 'Signaling error'));
      } else {
        p.resolve(msg);
      }
    }
    this._onMessageHandler(msg, wasReply);
  }

  /** Closes a socket we give up on and handles it as dropped now (a dead peer may never finish the close). */
  _dropSocket(ws, reason) {
    if (ws !== this._ws) return;
    try { ws.close(4000, reason); } catch { /* ignore */ }
    this._onSocketGone(ws, reason);
  }

  /** The current socket closed or went silent. */
  _onSocketGone(ws, reason) {
    if (ws !== this._ws) return;
    this._ws = null;
    this._stopKeepalive();
    this.rejectPending(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED,
      reason === 'network' ? 'Signaling connection disconnected' : `Signaling connection timed out (${reason})`));
    this._onGoneHandler(reason);
  }

  // ---------------------------------------------------------------- keepalive

  _startKeepalive(ws) {
    this._stopKeepalive();
    this._pingTimer = setInterval(() => {
      if (ws !== this._ws || ws.readyState !== 1) return;
      try { ws.send(JSON.stringify({ type: 'ping', id: this._nextId() })); } catch { /* the close handler runs */ }
    }, this._pingInterval);
    this._touch(ws);
  }

  _touch(ws) {
    if (ws !== this._ws || this._pingTimer === null) return;
    clearTimeout(this._idleTimer);
    this._idleTimer = setTimeout(() => this._dropSocket(ws, 'inactivity'), this._inactivityTimeout);
  }

  _stopKeepalive() {
    clearInterval(this._pingTimer);
    clearTimeout(this._idleTimer);
    this._pingTimer = null;
    this._idleTimer = null;
  }
}
