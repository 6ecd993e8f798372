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
 *   room.addEventListener('trackSubscribed', ({ detail: { track, mediaStreamTrack } }) => {
 *     const el = document.createElement(track.kind);   // <audio> or <video>
 *     el.autoplay = true;
 *     el.srcObject = new MediaStream([mediaStreamTrack]);
 *     document.body.append(el);
 *   });
 *   const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
 *   const published = await room.publish(stream.getTracks(), { simulcast: true });   // [{ sid: 'MT…', … }]
 *   room.disconnect();
 *
 * ## API
 *
 * `connect(token, options) → Promise<Room>`
 *   - `token`            access token with a VideoGrant (sent as the `Token` form parameter).
 *   - `options.room`     room unique name or `RM…` SID (optional when the token's grant names the room).
 *   - `options.gatewayUrl = location.origin`  base URL of the Parley gateway.
 *   - `options.localTracks = []`  MediaStreamTracks (or a MediaStream) published once joined.
 *   - `options.simulcast = false`  publish `localTracks`' video with simulcast (see `publish`).
 *   - `options.reconnect = true`  resume the session when the signaling connection drops.
 *   - `options.autoSubscribe = true`  subscribe to every remote track as it is published.
 *   - `options.iceServers = []`  passed to both RTCPeerConnections.
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
 *     tracks: Map<sid, RemoteTrack> }` where `RemoteTrack = { sid, name, kind, enabled, subscribed, quality,
 *     mediaStreamTrack }` (`subscribed`: the node confirmed it; `mediaStreamTrack`: null until media arrives)
 *   - `dominantSpeaker`: the loudest participant (a RemoteParticipant, the localParticipant, or null)
 *   - `peerConnection`: the PUBLISH RTCPeerConnection, send-only (null until the first `publish()`)
 *   - `subscribePeerConnection`: the SUBSCRIBE RTCPeerConnection, receive-only (null until the node's first
 *     `subscriber-offer`, which follows a subscription); the node re-offers after every change to my
 *     subscriptions, each offer is answered in order
 *   - Methods (all return Promises resolved by the reply with the request's `id`, rejected by an `error`):
 *     `publish(tracks, { simulcast }) → LocalTrack[]` (`simulcast: true` sends each video track as three
 *     layers, rids q/h/f, low → high), `unpublish(trackSid)`, `subscribe(trackSid, { quality })`,
 *     `unsubscribe(trackSid)`, `setQuality(trackSid, 'low'|'medium'|'high')` (the simulcast layer received),
 *     `mute(trackSid)`, `unmute(trackSid)`; `getStats()` → `{ inbound: [{ kind, trackSid, framesDecoded,
 *     packetsReceived, bytesReceived, audioLevel }], outbound: [{ kind, trackSid, rid, packetsSent,
 *     framesEncoded, bytesSent }] }` (stats.js); `disconnect()` (sends `leave`, closes both peer connections,
 *     synchronous, returns the Room).
 *   - Events (CustomEvent, payload in `event.detail`):
 *       `participantConnected`     { participant }
 *       `participantDisconnected`  { participant }
 *       `participantReconnecting`  { participant }
 *       `participantReconnected`   { participant }   (a reconnecting participant is back)
 *       `trackPublished`           { participant, track }
 *       `trackUnpublished`         { participant, track }
 *       `trackUpdated`             { participant, track }   (mute state; also for local tracks)
 *       `trackSubscribed`          { participant, track, mediaStreamTrack }  (subscribed and its media arrived)
 *       `trackUnsubscribed`        { participant, track }   (a subscribed track stopped: unsubscribed,
 *                                  unpublished, its participant gone; before `trackUnpublished`)
 *       `dominantSpeakerChanged`   { participant }   (RemoteParticipant, localParticipant, or null)
 *       `track`                    { participant, trackSid, mediaStreamTrack, streams, transceiver }
 *                                  (forwarded from the subscribe connection's `track` event;
 *                                  `participant`/`trackSid` are null when the owner cannot be told)
 *       `reconnecting`             { reason }  ('network' | 'node-draining' | 'room-moved' | 'inactivity')
 *       `reconnected`              {}
 *       `disconnected`             { reason, error? }  (reason from the node: 'room-ended' | 'kicked' |
 *                                  'duplicate-identity' | 'left'; from the client: 'left' after disconnect(),
 *                                  'network' when the connection dropped with reconnect off,
 *                                  'reconnect-failed' when resuming gave up)
 *       `error`                    { code, message, error }  (failures not tied to a pending call, e.g. an
 *                                  answer or subscriber offer that could not be applied, the node's `error`
 *                                  about a `subscriber-answer`, a failed auto-subscribe)
 *
 * Keepalive: `ping` every 10 s; a socket that delivers nothing for 25 s is treated as dropped.
 * Reconnect: on a drop (not after `leave`/`disconnected`) or a `reconnect` message the room goes
 * `reconnecting` and asks the gateway for a new ticket with the same token, room and `ParticipantSid`,
 * backing off 250 ms, 500 ms, 1 s, 2 s, 2 s… for up to 30 s; a gateway 4xx (other than 408/429) ends it.
 * Both peer connections are kept when the session resumes on the same node; on another node the subscribe
 * connection is closed (its tracks get `trackUnsubscribed`) and the new node's first offer opens a new one.
 *
 * ## Modules
 *
 * This file is the public entry: `connect()` and the exported names. The other modules sit next to it
 * (served from the same directory) and are imported with relative specifiers:
 *   - `room.js`        Room: the public methods, join, the node's messages, reconnect, teardown
 *   - `room-state.js`  the room's fields, participants and tracks kept from the node's messages; the events
 *   - `reconnect.js`   resuming a dropped session: attempts with backoff within the window
 *   - `signaling.js`   the WebSocket to the node: requests and replies by `id`, keepalive
 *   - `publisher.js`   the PUBLISH RTCPeerConnection: offer/answer for published tracks, simulcast layers
 *   - `subscriber.js`  the SUBSCRIBE RTCPeerConnection: the node's offers answered in order, mid → track SID
 *   - `stats.js`       getStats() of both connections in a flat shape
 *   - `tickets.js`     the join ticket from the gateway (`POST /media/v1/Tickets`), the signaling URL
 *   - `errors.js`      `ParleyError`, `ErrorCodes`
 */

import { Room } from './room.js';
import { trackList } from './publisher.js';

export { Room } from './room.js';
export { LocalParticipant, RemoteParticipant } from './room-state.js';
export { ErrorCodes, ParleyError } from './errors.js';
export { SIMULCAST_ENCODINGS } from './publisher.js';

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
    simulcast = false,
  } = options;
  if (typeof token !== 'string' || token === '') throw new TypeError('connect: token is required');
  if (!gatewayUrl) throw new TypeError('connect: gatewayUrl is required outside a browser page');
  const room = new Room(token, { ...options, room: roomName, gatewayUrl });
  await room._connect();
  const tracks = trackList(localTracks);
  if (tracks.length > 0) {
    try {
      await room.publish(tracks, { simulcast });
    } catch (err) {
      room.disconnect();
      throw err;
    }
  }
  return room;
}
