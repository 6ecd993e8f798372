/**
 * parley-video.js — Parley Video signaling client (plain ES modules, no build step, no dependencies).
 *
 * Speaks the signaling protocol of docs/video.md: a join ticket from the gateway
 * (`POST /media/v1/Tickets`), then one WebSocket to the room's media node.
 *
 * @example
 *   import { connect } from '/clients/js/parley-video.js';
 *   const room = await connect(accessToken, { room: 'standup' });
 *   room.addEventListener('participantConnected', (e) => console.log(e.detail.participant.identity));
 *   const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
 *   const published = await room.publish(stream.getTracks());   // [{ sid: 'MT…', name, kind, mid, … }]
 *   room.disconnect();
 *
 * ## API
 *
 * `connect(token, options) → Promise<Room>`
 *   - `token`            access token with a VideoGrant (sent as the `Token` form parameter).
 *   - `options.room`     room unique name or `RM…` SID (optional when the token's grant names the room).
 *   - `options.gatewayUrl = location.origin`  base URL of the Parley gateway.
 *   - `options.localTracks = []`  MediaStreamTracks (or a MediaStream) published once joined.
 *   - `options.reconnect = true`  resume the session when the signaling connection drops.
 *   - `options.autoSubscribe = true`  subscribe to every remote track as it is published.
 *   - `options.iceServers = []`  passed to the RTCPeerConnection.
 *   - Advanced (mostly for tests): `pingInterval` (10000 ms), `inactivityTimeout` (25000 ms),
 *     `reconnectWindow` (30000 ms), `reconnectBackoff` ([250, 500, 1000, 2000] ms, the last one repeats),
 *     `joinTimeout` (10000 ms: one ticket request, or socket open + `joined`, taking longer fails).
 *   Resolves once the node answers `joined` (and `localTracks`, if any, are published). Rejects with a
 *   `ParleyError` (`code`, `message`, and `status`/`moreInfo` for gateway errors) built from the gateway's
 *   Twilio-style error body (`{"code","message","more_info","status"}`) or the node's `error` message.
 *
 * `class Room extends EventTarget`
 *   - `sid`, `name`, `type`, `maxParticipants`, `audioOnly`
 *   - `state`: `'connecting' | 'connected' | 'reconnecting' | 'disconnected'` (`connecting` only before
 *     `connect()` resolves)
 *   - `localParticipant`: `LocalParticipant { sid, identity, tracks: Map<sid, LocalTrack> }`
 *     where `LocalTrack = { sid, name, kind, mid, enabled, mediaStreamTrack, transceiver }`
 *   - `participants`: `Map<sid, RemoteParticipant>`, `RemoteParticipant { sid, identity, state,
 *     tracks: Map<sid, RemoteTrack> }` where `RemoteTrack = { sid, name, kind, enabled, subscribed }`
 *   - `peerConnection`: the RTCPeerConnection (null until the first `publish()`)
 *   - Methods (all return Promises resolved by the reply with the request's `id`, rejected by an `error`):
 *     `publish(tracks) → LocalTrack[]`, `unpublish(trackSid)`, `subscribe(trackSid)`, `unsubscribe(trackSid)`,
 *     `mute(trackSid)`, `unmute(trackSid)`; `disconnect()` (sends `leave`, synchronous, returns the Room).
 *   - Events (CustomEvent, payload in `event.detail`):
 *       `participantConnected`     { participant }
 *       `participantDisconnected`  { participant }
 *       `participantReconnecting`  { participant }
 *       `participantReconnected`   { participant }   (a reconnecting participant is back)
 *       `trackPublished`           { participant, track }
 *       `trackUnpublished`         { participant, track }
 *       `trackUpdated`             { participant, track }   (mute state; also for local tracks)
 *       `trackSubscribed` / `trackUnsubscribed` { participant, track }
 *       `track`                    { participant, trackSid, mediaStreamTrack, streams, transceiver }
 *                                  (forwarded from the RTCPeerConnection's `track` event when media arrives;
 *                                  `participant`/`trackSid` are null when the owner cannot be told)
 *       `reconnecting`             { reason }  ('network' | 'node-draining' | 'room-moved' | 'inactivity')
 *       `reconnected`              {}
 *       `disconnected`             { reason, error? }  (reason from the node: 'room-ended' | 'kicked' |
 *                                  'duplicate-identity' | 'left'; from the client: 'left' after disconnect(),
 *                                  'network' when the connection dropped with reconnect off,
 *                                  'reconnect-failed' when resuming gave up)
 *       `error`                    { code, message, error }  (failures not tied to a pending call, e.g. an
 *                                  answer whose media sections could not be applied, a failed auto-subscribe)
 *
 * Keepalive: `ping` every 10 s; a socket that delivers nothing for 25 s is treated as dropped.
 * Reconnect: on a drop (not after `leave`/`disconnected`) or a `reconnect` message the room goes
 * `reconnecting` and asks the gateway for a new ticket with the same token, room and `ParticipantSid`,
 * backing off 250 ms, 500 ms, 1 s, 2 s, 2 s… for up to 30 s; a gateway 4xx (other than 408/429) ends it.
 *
 * ## Modules
 *
 * This file is the public entry: `connect()` and the exported names. The other modules sit next to it
 * (served from the same directory) and are imported with relative specifiers:
 *   - `room.js`        Room: the public methods, join, the node's messages, reconnect, teardown
 *   - `room-state.js`  the room's fields, participants and tracks kept from the node's messages; the events
 *   - `signaling.js`   the WebSocket to the node: requests and replies by `id`, keepalive
 *   - `publisher.js`   the RTCPeerConnection: offer/answer for published tracks, mid → track SID
 *   - `tickets.js`     the join ticket from the gateway (`POST /media/v1/Tickets`), the signaling URL
 *   - `errors.js`      `ParleyError`, `ErrorCodes`
 */

import { Room } from './room.js';
import { trackList } from './publisher.js';

export { Room } from './room.js';
export { LocalParticipant, RemoteParticipant } from './room-state.js';
export { ErrorCodes, ParleyError } from './errors.js';

/**
 * Joins a room: ticket from the gateway, WebSocket to the node, `join`, `joined`.
 * @param {string} token access token (VideoGrant)
 * @param {object} [options] see the header of this file
 * @returns {Promise<Room>}
 */
export async function connect(token, options = {}) {
  const {
    room: roomName,
    gatewayUrl = globalThis.location?.origin,
    localTracks = [],
  } = options;
  if (typeof token !== 'string' || token === '') throw new TypeError('connect: token is required');
  if (!gatewayUrl) throw new TypeError('connect: gatewayUrl is required outside a browser page');
  const room = new Room(token, { ...options, room: roomName, gatewayUrl });
  await room._connect();
  const tracks = trackList(localTracks);
  if (tracks.length > 0) {
    try {
      await room.publish(tracks);
    } catch (err) {
      room.disconnect();
      throw err;
    }
  }
  return room;
}
