// Unit checks for Clients/js/parley-video.js. Run: node Clients/test/parley-video.test.mjs
// No packages: fetch, WebSocket and RTCPeerConnection are stubbed on globalThis. Exits non-zero on failure.
//   fakes.mjs             ids, helpers and the stubs (importing it installs them on globalThis)
//   runner.mjs            imports the client after the stubs; test registration, join(), the runner
//   signaling-checks.mjs  connecting, requests, publishing, events, reconnecting, keepalive
//   media-checks.mjs      receiving media, quality, dominant speaker, simulcast, stats

import './fakes.mjs';
import { run } from './runner.mjs';
import './signaling-checks.mjs';
import './media-checks.mjs';

const failed = await run();
process.exit(failed === 0 ? 0 : 1);
