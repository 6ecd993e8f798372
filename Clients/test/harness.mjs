// What the client checks share: ids, waiting, a fake WebSocket base class and the test runner.

export const hex32 = (n) => n.toString(16).padStart(32, '0');
export const sid = (prefix, n) => prefix + hex32(n);
export const GATEWAY = 'http://gw.test:8080';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(predicate, what, timeout = 3000) {
  const start = Date.now();
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * A WebSocket whose server is the test: it opens 1 ms after construction (unless `refuseOpen()` says so), hands
 * every JSON frame the client sends to `received(msg)`, and the test pushes frames (`push`) or closes it
 * (`serverClose`). Subclasses add their fake server; `closing()` runs whichever side closes.
 */
export class FakeSocket extends EventTarget {
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
    setTimeout(() => {
      if (this.readyState !== 0 || this.refuseOpen()) return;
      this.readyState = 1;
      this.dispatchEvent(new Event('open'));
    }, 1);
  }

  /** Whether to fail the connection instead of opening it (the subclass closes it). */
  refuseOpen() { return false; }

  /** A frame the client sent, parsed. */
  received(_msg) {}

  /** Either side closed. */
  closing() {}

  send(data) {
    if (this.readyState !== 1) throw new Error('InvalidStateError: not open');
    const msg = JSON.parse(data);
    this.sent.push(msg);
    this.received(msg);
  }

  close(code = 1000, reason = '') {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.closing();
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
    this.closing();
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

/**
 * Test registration and a runner: `beforeEach()` and `afterEach()` (awaited) around every check, 8 s per check.
 * `run()` prints a TAP-like line each and returns the number of failures.
 */
export function createSuite({ beforeEach = () => {}, afterEach = () => {} } = {}) {
  const tests = [];
  const test = (name, fn) => tests.push({ name, fn });
  async function run() {
    let passed = 0;
    let failed = 0;
    const unhandled = [];
    const report = (name, err) => {
      failed += 1;
      console.log(`not ok - ${name}`);
      console.log(String(err?.stack ?? err).split('\n').map((l) => `    ${l}`).join('\n'));
    };
    process.on('unhandledRejection', (err) => unhandled.push(err));
    for (const { name, fn } of tests) {
      beforeEach();
      try {
        await Promise.race([fn(), sleep(8000).then(() => { throw new Error('test timed out'); })]);
        passed += 1;
        console.log(`ok - ${name}`);
      } catch (err) {
        report(name, err);
      } finally {
        await afterEach();
        await sleep(5);
      }
    }
    for (const err of unhandled) report('unhandled rejection', err);
    console.log(`${passed} passed, ${failed} failed`);
    return failed;
  }
  return { test, run };
}
