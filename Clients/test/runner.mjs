// Test registration and the runner for the parley-video.js checks.

import { GATEWAY, resetEnv } from './fakes.mjs';
import { createSuite } from './harness.mjs';

// The module under test is imported after the stubs exist (importing fakes.mjs installs them).
export const { connect, Room, ParleyError } = await import('../js/parley-video.js');

export const FAST = { gatewayUrl: GATEWAY, room: 'standup', pingInterval: 10_000, inactivityTimeout: 25_000 };

let openRooms = [];
export async function join(options = {}) {
  const room = await connect('eyJ.token', { ...FAST, ...options });
  openRooms.push(room);
  return room;
}

export const { test, run } = createSuite({
  beforeEach: () => {
    resetEnv();
    openRooms = [];
  },
  afterEach: () => {
    for (const room of openRooms) room.disconnect();
  },
});
