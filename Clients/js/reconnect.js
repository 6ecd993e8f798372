/**
 * reconnect.js — the schedule of resuming a dropped session: join attempts with backoff, within a window,
 * giving up early on a fatal error (a refused ticket). The Room supplies what an attempt is and what
 * success and failure do.
 */

import { ErrorCodes, ParleyError } from './errors.js';

export class Reconnector {
  /**
   * @param {object} options
   * @param {number} options.window  ms from the start before giving up
   * @param {number[]} options.backoff  ms before each attempt (the last one repeats)
   * @param {() => boolean} options.active  whether the room still wants to reconnect
   * @param {() => Promise<object>} options.attempt  one join attempt, resolved with the `joined` message
   * @param {(joined: object) => void} options.succeeded  an attempt succeeded (the room may meanwhile have
   *   stopped wanting it: check)
   * @param {(error: ParleyError) => void} options.failed  the window ran out or an error was fatal, while active
   */
  constructor({ window, backoff, active, attempt, succeeded, failed }) {
    this._window = window;
    this._backoff = backoff.length ? backoff : [250];
    this._active = active;
    this._attempt = attempt;
    this._succeeded = succeeded;
    this._failed = failed;
    this._deadlineTimer = null;
    this._sleepTimer = null;
    this._wake = null;
  }

  /** Runs the attempts until one succeeds, the window runs out, or the room stops being active. */
  async run() {
    const deadline = Date.now() + this._window;
    let lastError = null;
    const failure = (fallback) => (lastError instanceof ParleyError ? lastError : fallback);
    clearTimeout(this._deadlineTimer);
    this._deadlineTimer = setTimeout(() => {
      this._deadlineTimer = null;
      if (this._active()) this._failed(failure(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_TIMEOUT, 'Could not reconnect in time')));
    }, this._window);
    for (let attempt = 0; ; attempt += 1) {
      const delay = this._backoff[Math.min(attempt, this._backoff.length - 1)];
      if (Date.now() + delay > deadline) break;
      await this._sleep(delay);
      if (!this._active()) return;
      try {
        const joined = await this._attempt();
        clearTimeout(this._deadlineTimer);
        this._deadlineTimer = null;
        this._succeeded(joined);
        return;
      } catch (err) {
        lastError = err;
        if (!this._active()) return;
        if (err?.fatal) break;
      }
    }
    if (this._active()) this._failed(failure(new ParleyError(ErrorCodes.SIGNALING_CONNECTION_DISCONNECTED, 'Could not reconnect')));
  }

  /** Stops the timers; a loop asleep wakes up and, no longer active, ends. */
  cancel() {
    clearTimeout(this._deadlineTimer);
    this._deadlineTimer = null;
    if (this._sleepTimer !== null) {
      clearTimeout(this._sleepTimer);
      this._sleepTimer = null;
      const wake = this._wake;
      this._wake = null;
      wake?.();
    }
  }

  _sleep(ms) {
    return new Promise((resolve) => {
      this._wake = resolve;
      this._sleepTimer = setTimeout(() => {
        this._sleepTimer = null;
        this._wake = null;
        resolve();
      }, ms);
    });
  }
}
