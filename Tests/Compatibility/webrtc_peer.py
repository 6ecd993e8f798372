"""An aiortc participant of a Parley room for the WebRTC tests: join through the gateway's ticket and the node's
signaling WebSocket (docs/video.md), publish local tracks on a PUBLISH peer connection, subscribe to remote tracks
and answer the node's `subscriber-offer`s on one SUBSCRIBE peer connection, and record what arrives per track SID
(mono audio samples; decoded video frames and their sizes).

Everything is asyncio with a timeout on every wait; failures say what was (not) received."""

import asyncio
import itertools
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
from aioice.ice import TransportPolicy
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtcconfiguration import RTCBundlePolicy
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

from signaling_client import SignalingError, request_ticket
from tone import to_mono

TIMEOUT_SECONDS = 10  # any single request or negotiation
OPEN_TIMEOUT_SECONDS = 5
CLOSE_TIMEOUT_SECONDS = 5
AUDIO_KEPT_SECONDS = 20  # per received audio track, the most recent ones


@dataclass
class ReceivedTrack:
    """What arrived on one subscribed track."""

    sid: str
    kind: str
    mid: str
    sample_rate: Optional[int] = None
    chunks: list = field(default_factory=list)  # mono float64 arrays, oldest first
    samples_received: int = 0
    frames: int = 0  # decoded frames (audio or video)
    sizes: Counter = field(default_factory=Counter)  # video (width, height) → frames
    ended: bool = False

    @property
    def audio_seconds(self) -> float:
        return self.samples_received / self.sample_rate if self.sample_rate else 0.0

    def add_audio(self, samples: np.ndarray, sample_rate: int) -> None:
        if self.sample_rate not in (None, sample_rate):
            raise AssertionError(f"track {self.sid}: sample rate changed from {self.sample_rate} to {sample_rate}")
        self.sample_rate = sample_rate
        self.chunks.append(samples)
        self.samples_received += len(samples)
        kept = sum(len(chunk) for chunk in self.chunks)
        while kept - len(self.chunks[0]) >= AUDIO_KEPT_SECONDS * sample_rate:
            kept -= len(self.chunks.pop(0))

    def last_audio(self, seconds: float) -> np.ndarray:
        samples = np.concatenate(self.chunks) if self.chunks else np.zeros(0)
        return samples[-int(seconds * self.sample_rate):] if self.sample_rate else samples

    def describe(self) -> str:
        if self.kind == "audio":
            return f"{self.sid} (audio, mid {self.mid}): {self.audio_seconds:.2f} s at {self.sample_rate} Hz"
        return f"{self.sid} (video, mid {self.mid}): {self.frames} frames {dict(self.sizes)}"


class Peer:
    """One participant. Use `async with await Peer.join(...) as peer:`, or call `close()`.

    `ice_servers`: RTCIceServers for both peer connections (none by default: aiortc would otherwise ask Google's
    STUN server). `relay_only`: gather relay candidates only (needs a TURN server in `ice_servers`; aiortc has no
    iceTransportPolicy, so this sets aioice's transport policy on each ICE gatherer before it gathers)."""

    def __init__(self, base_url: str, token: str, room: Optional[str] = None, *, label: str = "peer",
                 ice_servers: Optional[list] = None, relay_only: bool = False):
        self.base_url = base_url
        self.token = token
        self.room = room
        self.label = label
        self.ice_servers = list(ice_servers or [])
        self.relay_only = relay_only
        if relay_only and not self.ice_servers:
            raise ValueError("relay_only needs a TURN server in ice_servers")
        self.ticket = None
        self.joined = None
        self.pushed = []  # every message that was not a reply (subscriber offers included)
        self.problems = []  # failures in background tasks (negotiation, decoding, node errors)
        self.remote_tracks = {}  # track SID → {"participant", "name", "kind", "enabled"}
        self.identities = {}  # participant SID → identity, of the others
        self.received = {}  # track SID → ReceivedTrack
        self.published = {}  # track name → track SID
        self.publish_pc = None
        self.subscribe_pc = None
        self.subscriber_revision = None
        self._mid_to_track = {}  # subscribe pc mid → track SID, from the latest subscriber-offer
        self._ids = itertools.count(1)
        self._replies = {}  # request id → Future
        self._changed = asyncio.Condition()
        self._offers = asyncio.Queue()
        self._tasks = []
        self._local_tracks = []
        self._socket = None

    # ------------------------------------------------------------------ joining and leaving

    @classmethod
    async def join(cls, base_url: str, token: str, room: Optional[str] = None, **options) -> "Peer":
        peer = cls(base_url, token, room, **options)
        try:
            await peer._join()
        except BaseException:
            await peer.close()
            raise
        return peer

    async def _join(self) -> None:
        response = await asyncio.to_thread(request_ticket, self.base_url, self.token, self.room)
        if response.status_code != 201:
            raise AssertionError(f"{self.label}: ticket refused with {response.status_code}: {response.text[:300]}")
        self.ticket = response.json()
        self._socket = await ws_connect(self.ticket["signaling_url"], open_timeout=OPEN_TIMEOUT_SECONDS,
                                        close_timeout=CLOSE_TIMEOUT_SECONDS, max_size=None)
        self._tasks.append(asyncio.create_task(self._read_messages(), name=f"{self.label} signaling"))
        self._tasks.append(asyncio.create_task(self._answer_offers(), name=f"{self.label} negotiation"))
        self.joined = await self.request({"type": "join", "ticket": self.ticket["ticket"]})
        for participant in self.joined.get("participants", []):
            self.identities[participant["sid"]] = participant.get("identity")
            for track in participant.get("tracks", []):
                self._remember_track(participant["sid"], track)

    @property
    def participant_sid(self) -> str:
        return self.joined["participant"]["sid"]

    async def close(self) -> None:
        """Leaves (best effort), closes the socket and both peer connections, stops the published tracks."""
        if self._socket is not None:
            try:
                await asyncio.wait_for(self._socket.send(json.dumps({"type": "leave"})), CLOSE_TIMEOUT_SECONDS)
            except (ConnectionClosed, asyncio.TimeoutError, OSError):
                pass
            await self._socket.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for pc in (self.publish_pc, self.subscribe_pc):
            if pc is not None:
                await asyncio.wait_for(pc.close(), CLOSE_TIMEOUT_SECONDS)
        for track in self._local_tracks:
            track.stop()

    async def __aenter__(self) -> "Peer":
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.close()

    # ------------------------------------------------------------------ signaling

    async def request(self, message: dict, timeout: float = TIMEOUT_SECONDS) -> dict:
        """Sends a request and returns its reply; raises SignalingError on an `error` reply."""
        request_id = f"{self.label}-{next(self._ids)}"
        reply = asyncio.get_running_loop().create_future()
        self._replies[request_id] = reply
        try:
            await self._socket.send(json.dumps({**message, "id": request_id}))
            answer = await asyncio.wait_for(reply, timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"{self.label}: no reply to {message['type']} within {timeout} s; "
                                 f"pushed meanwhile: {[m.get('type') for m in self.pushed]}") from None
        finally:
            self._replies.pop(request_id, None)
        if answer.get("type") == "error":
            raise SignalingError(answer)
        return answer

    async def wait_for(self, message_type: str, timeout: float = TIMEOUT_SECONDS, **fields) -> dict:
        """The first pushed message of `message_type` whose fields match (already received or yet to come)."""
        def find():
            return next((m for m in self.pushed if m.get("type") == message_type
                         and all(m.get(k) == v for k, v in fields.items())), None)
        return await self._wait_until(find, timeout, f"a {message_type} message {fields or ''}")

    async def _read_messages(self) -> None:
        try:
            async for raw in self._socket:
                message = json.loads(raw)
                reply = self._replies.get(message.get("id"))
                if reply is not None and not reply.done():
                    reply.set_result(message)
                    continue
                self._on_pushed(message)
                async with self._changed:
                    self._changed.notify_all()
        except ConnectionClosed:
            pass
        finally:
            for reply in self._replies.values():
                if not reply.done():
                    reply.set_exception(ConnectionError(f"{self.label}: signaling socket closed"))

    def _on_pushed(self, message: dict) -> None:
        self.pushed.append(message)
        kind = message.get("type")
        if kind == "subscriber-offer":
            self._offers.put_nowait(message)
        elif kind == "track-published":
            self._remember_track(message["participant"], message["track"])
        elif kind == "track-unpublished":
            self.remote_tracks.pop(message["track"], None)
        elif kind == "participant-connected":
            self.identities[message["participant"]["sid"]] = message["participant"].get("identity")
            for track in message["participant"].get("tracks", []):
                self._remember_track(message["participant"]["sid"], track)
        elif kind == "error":
            self.problems.append(f"node error: {message}")

    def _remember_track(self, participant_sid: str, track: dict) -> None:
        self.remote_tracks[track["sid"]] = {"participant": participant_sid, "name": track.get("name"),
                                            "kind": track.get("kind"), "enabled": track.get("enabled")}

    async def participant_sid_of(self, identity: str, timeout: float = TIMEOUT_SECONDS) -> str:
        """The SID of the other participant `identity` (in the room when I joined, or connected since)."""
        def find():
            return next((sid for sid, name in self.identities.items() if name == identity), None)
        return await self._wait_until(find, timeout, f"participant {identity!r}")

    async def remote_track(self, participant_sid: str, kind: str, timeout: float = TIMEOUT_SECONDS) -> str:
        """The SID of a track of `kind` published by `participant_sid` (announced in `joined` or pushed)."""
        def find():
            return next((sid for sid, t in self.remote_tracks.items()
                         if t["participant"] == participant_sid and t["kind"] == kind), None)
        return await self._wait_until(find, timeout, f"a published {kind} track of {participant_sid}")

    # ------------------------------------------------------------------ publishing

    def _new_peer_connection(self) -> RTCPeerConnection:
        return RTCPeerConnection(RTCConfiguration(iceServers=self.ice_servers, bundlePolicy=RTCBundlePolicy.MAX_BUNDLE))

    def _restrict_to_relay(self, pc: RTCPeerConnection) -> None:
        """Relay-only gathering for every transport of `pc` that has not gathered yet."""
        if not self.relay_only:
            return
        for transceiver in pc.getTransceivers():
            connection = transceiver.sender.transport.transport.iceGatherer._connection
            connection._transport_policy = TransportPolicy.RELAY

    async def publish(self, tracks: dict, timeout: float = TIMEOUT_SECONDS) -> dict:
        """Publishes `{name: MediaStreamTrack}` (one sendonly transceiver each) and applies the node's answer.
        Returns `{name: track SID}`; the peer stops these tracks when it closes."""
        if self.publish_pc is None:
            self.publish_pc = self._new_peer_connection()
        pc = self.publish_pc
        transceivers = {name: pc.addTransceiver(track, direction="sendonly") for name, track in tracks.items()}
        self._local_tracks += tracks.values()
        self._restrict_to_relay(pc)
        await asyncio.wait_for(pc.setLocalDescription(await pc.createOffer()), timeout)
        offered = [{"name": name, "kind": t.sender.track.kind, "mid": t.mid} for name, t in transceivers.items()]
        answer = await self.request({"type": "publish", "sdp": pc.localDescription.sdp, "tracks": offered}, timeout)
        by_mid = {str(t.get("mid")): t for t in answer.get("tracks", [])}
        missing = [o for o in offered if o["mid"] not in by_mid]
        assert not missing, f"{self.label}: the answer has no track for {missing}: {answer.get('tracks')}"
        try:
            await asyncio.wait_for(pc.setRemoteDescription(RTCSessionDescription(answer["sdp"], "answer")), timeout)
        except Exception as error:
            raise AssertionError(f"{self.label}: aiortc refused the node's publish answer ({error!r}):\n"
                                 f"{answer['sdp']}") from error
        sids = {o["name"]: by_mid[o["mid"]]["sid"] for o in offered}
        self.published.update(sids)
        return sids

    # ------------------------------------------------------------------ subscribing

    async def subscribe(self, track_sid: str, quality: Optional[str] = None, timeout: float = TIMEOUT_SECONDS) -> dict:
        """`subscribe` (with an optional simulcast `quality`); the media follows with a subscriber-offer."""
        message = {"type": "subscribe", "track": track_sid}
        if quality is not None:
            message["quality"] = quality
        return await self.request(message, timeout)

    async def unsubscribe(self, track_sid: str, timeout: float = TIMEOUT_SECONDS) -> dict:
        return await self.request({"type": "unsubscribe", "track": track_sid}, timeout)

    async def _answer_offers(self) -> None:
        while True:
            offer = await self._offers.get()
            try:
                await asyncio.wait_for(self._answer(offer), TIMEOUT_SECONDS)
            except Exception as error:  # kept for the waits to report, the loop goes on with the next offer
                self.problems.append(f"subscriber-offer revision {offer.get('revision')}: {error!r}")
            async with self._changed:
                self._changed.notify_all()

    async def _answer(self, offer: dict) -> None:
        if self.subscribe_pc is None:
            self.subscribe_pc = self._new_peer_connection()
            self.subscribe_pc.on("track", self._on_remote_track)
        pc = self.subscribe_pc
        self._mid_to_track.update({str(t["mid"]): t for t in offer.get("tracks", [])})
        await pc.setRemoteDescription(RTCSessionDescription(offer["sdp"], "offer"))
        self._restrict_to_relay(pc)
        await pc.setLocalDescription(await pc.createAnswer())
        await self._socket.send(json.dumps({"type": "subscriber-answer", "revision": offer.get("revision"),
                                            "sdp": pc.localDescription.sdp}))
        self.subscriber_revision = offer.get("revision")

    def _on_remote_track(self, track: MediaStreamTrack) -> None:
        transceiver = next(t for t in self.subscribe_pc.getTransceivers() if t.receiver.track is track)
        listed = self._mid_to_track.get(str(transceiver.mid))
        if listed is None:
            self.problems.append(f"{track.kind} media on mid {transceiver.mid}, which no subscriber-offer listed")
            return
        received = ReceivedTrack(sid=listed["track"], kind=track.kind, mid=str(transceiver.mid))
        self.received[received.sid] = received
        self._tasks.append(asyncio.create_task(self._consume(track, received), name=f"{self.label} {received.sid}"))

    async def _consume(self, track: MediaStreamTrack, received: ReceivedTrack) -> None:
        try:
            while True:
                frame = await track.recv()
                if received.kind == "audio":
                    received.add_audio(to_mono(frame), frame.sample_rate)
                else:
                    received.sizes[(frame.width, frame.height)] += 1
                received.frames += 1
                async with self._changed:
                    self._changed.notify_all()
        except MediaStreamError:
            received.ended = True

    async def audio(self, track_sid: str, seconds: float = 1.0, skip: float = 0.5,
                    timeout: float = TIMEOUT_SECONDS) -> tuple:
        """`(samples, sample_rate)`: the latest `seconds` of decoded audio of a subscribed track, once `skip` +
        `seconds` arrived (the first `skip` seconds let the decoder and jitter buffer settle)."""
        def enough():
            received = self.received.get(track_sid)
            return received if received and received.audio_seconds >= skip + seconds else None
        received = await self._wait_until(enough, timeout, f"{skip + seconds:.1f} s of audio of {track_sid}")
        return received.last_audio(seconds), received.sample_rate

    async def video_frames(self, track_sid: str, count: int, timeout: float = TIMEOUT_SECONDS) -> ReceivedTrack:
        """Waits until `count` video frames of a subscribed track were decoded; returns its record."""
        def enough():
            received = self.received.get(track_sid)
            return received if received and received.frames >= count else None
        return await self._wait_until(enough, timeout, f"{count} decoded video frames of {track_sid}")

    # ------------------------------------------------------------------ waiting

    async def _wait_until(self, find, timeout: float, what: str):
        try:
            async with self._changed:
                return await asyncio.wait_for(self._changed.wait_for(find), timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"{self.label}: no {what} within {timeout} s. {self.state()}") from None

    def state(self) -> str:
        """A summary for failure messages."""
        def pc_state(pc):
            return "none" if pc is None else f"{pc.connectionState}/ice {pc.iceConnectionState}"
        received = "; ".join(r.describe() for r in self.received.values()) or "nothing"
        return (f"publish pc {pc_state(self.publish_pc)}, subscribe pc {pc_state(self.subscribe_pc)}, "
                f"subscriber revision {self.subscriber_revision}; received: {received}; "
                f"pushed: {[m.get('type') for m in self.pushed]}; problems: {self.problems or 'none'}")
