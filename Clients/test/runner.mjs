// Test registration and the runner for the parley-video.js checks.

import { GATEWAY, sleep, resetEnv } from './fakes.mjs';

// The module under test is imported after the stubs exist (importing fakes.mjs installs them).
export const { connect, Room, ParleyError } = await import('../js/parley-video.js');

export const FAST = { gatewayUrl: GATEWAY, room: 'standup', pingInterval: 10_000, inactivityTimeout: 25_000 };

const tests = [];
export const test = (name, fn) => tests.push({ name, fn });
let openRooms = [];
export async function join(options = {}) {
  const room = await connect('eyJ.token', { ...FAST, ...options });
  openRooms.push(room);
  return room;
}

/** Runs every registered check in order; prints a TAP-like line each; returns the number of failures. */
export async function run() {
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
  return failed;
}
