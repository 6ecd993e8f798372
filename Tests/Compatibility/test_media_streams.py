"""Media streams (`/video/v1/Rooms/{Room}/Streams`): a `websockets` consumer (stream_consumer.py) receives a room
participant's audio in Twilio's Media Streams protocol (and in Parley's binary PCM mode), paced at 20 ms, and talks back
into the room through a bot participant that an aiortc subscriber hears."""

import asyncio
import os
import base64
import time
from contextlib import AsyncExitStack

import numpy as np
import requests
from twilio.request_validator import RequestValidator

from stream_consumer import StreamConsumer, cadence, mulaw_encode
from tone import ToneTrack, dominant_frequency, rms, sine_samples
from webhook_receiver import twilio_signature_valid
from webrtc_helpers import run_scenario
from webrtc_peer import Peer

SCENARIO_SECONDS = 90
TOLERANCE_HZ = 5
JITTER_TARGET_MS = 5.0
MARK_TOLERANCE_S = 0.040


class StreamsApi:
    """The Streams resource over plain HTTP as the owner (the SDK has no room streams)."""

    def __init__(self, base_url: str, owner):
        self.base = f"{base_url}/video/v1/Rooms"
        self.auth = (owner.sid, owner.token)

    def create(self, room: str, **params) -> dict:
        response = requests.post(f"{self.base}/{room}/Streams", data=params, auth=self.auth, timeout=10)
        assert response.status_code == 201, response.text
        return response.json()

    def stop(self, room: str, sid_or_name: str) -> dict:
        response = requests.post(f"{self.base}/{room}/Streams/{sid_or_name}", data={"Status": "stopped"}, auth=self.auth, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def fetch(self, room: str, sid_or_name: str) -> dict:
        response = requests.get(f"{self.base}/{room}/Streams/{sid_or_name}", auth=self.auth, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()


async def speaker_and_consumer(stack: AsyncExitStack, base_url: str, mint, room: str, tone: float, identity: str = "speaker"):
    """A consumer server and an aiortc participant `identity` in `room` publishing a `tone` Hz microphone."""
    consumer = await stack.enter_async_context(StreamConsumer())
    speaker = await Peer.join(base_url, mint(identity), room, label=identity)
    stack.push_async_callback(speaker.close)
    await speaker.publish({"mic": ToneTrack(tone)})
    return consumer, speaker


def check_protocol(session, stream_sid: str, account_sid: str, encoding: str, sample_rate: int) -> None:
    """connected, then start (sequenceNumber "1"), then media with consecutive counters."""
    first, second = session.messages[0].message, session.messages[1].message
    assert first == {"event": "connected", "protocol": "Call", "version": "1.0.0"}, first
    assert second["event"] == "start" and second["sequenceNumber"] == "1" and second["streamSid"] == stream_sid, second
    start = second["start"]
    assert start["accountSid"] == account_sid and start["streamSid"] == stream_sid and start["tracks"] == ["inbound"], start
    assert start["mediaFormat"]["encoding"] == encoding and start["mediaFormat"]["sampleRate"] == sample_rate, start
    assert start["mediaFormat"]["channels"] == 1, start
    if encoding != "audio/x-mulaw":
        return
    for index, received in enumerate(session.media):
        message = received.message
        assert message["sequenceNumber"] == str(index + 2), message["sequenceNumber"]
        assert message["media"]["chunk"] == str(index + 1) and message["media"]["timestamp"] == str(index * 20), message["media"]
        assert message["media"]["track"] == "inbound" and len(base64.b64decode(message["media"]["payload"])) == 160


def test_consumer_gets_the_participants_tone_as_paced_mulaw(base_url, owner, mint, new_room, receiver):
    room, streams = new_room(), StreamsApi(base_url, owner)

    async def scenario():
        async with AsyncExitStack() as stack:
            consumer, _ = await speaker_and_consumer(stack, base_url, mint, room, 440)
            url = consumer.url("/twilio?source=room")
            stream = streams.create(room, Url=url, Participant="speaker", Name="transcriber",
                                    StatusCallback=receiver.url("/stream-status"),
                                    **{"Parameter1.Name": "FirstName", "Parameter1.Value": "Jane", "Parameter2.Name": "Lang",
                                       "Parameter2.Value": "en"})
            session = await consumer.session("/twilio?source=room")
            assert RequestValidator(owner.token).validate(url, {}, session.headers["X-Twilio-Signature"]), session.headers
            await session.wait_for(lambda: len(session.media) >= 250, what="5 s of media")
            check_protocol(session, stream["sid"], owner.sid, "audio/x-mulaw", 8000)
            assert session.events("start")[0].message["start"]["customParameters"] == {"FirstName": "Jane", "Lang": "en"}
            stats = cadence([r.at for r in session.media[50:]])
            audio = session.inbound_audio()[-8000:]
            frequency = dominant_frequency(audio, 8000)
            print(f"cadence {stats}; heard {frequency:.1f} Hz, RMS {rms(audio):.3f}")
            assert abs(frequency - 440) <= TOLERANCE_HZ, f"the consumer heard {frequency:.1f} Hz, not 440"
            assert stats["p99_jitter"] < JITTER_TARGET_MS and 19.5 < stats["median_gap"] < 20.5, stats

            stopped = streams.stop(room, "transcriber")
            assert stopped["status"] == "stopped" and stopped["sid"] == stream["sid"], stopped
            await session.wait_for(lambda: session.closed_at is not None, what="the socket closing")
            stop = session.events("stop")
            assert len(stop) == 1 and stop[0].message["stop"]["accountSid"] == owner.sid, session.messages[-3:]
            assert session.messages[-1].message["event"] == "stop"
            await asyncio.sleep(1.5)  # past the node's next reconciliation with the database
            assert [s.path for s in consumer.sessions] == ["/twilio?source=room"], "one connection, never restarted"

    run_scenario(scenario(), SCENARIO_SECONDS)
    callbacks = receiver.wait_for(lambda: receiver.requests_for("/stream-status") if len(receiver.requests_for("/stream-status")) >= 2
                                  else None, timeout=20, what="stream-started and stream-stopped")
    events = [request.params()["StreamEvent"] for request in callbacks]
    assert events == ["stream-started", "stream-stopped"], events
    for request in callbacks:
        assert twilio_signature_valid(request, owner.token), request.params()
        assert request.params()["StreamName"] == "transcriber"


def test_binary_mode_sends_16_khz_pcm_frames(base_url, owner, mint, new_room):
    room, streams = new_room(), StreamsApi(base_url, owner)

    async def scenario():
        async with AsyncExitStack() as stack:
            consumer, _ = await speaker_and_consumer(stack, base_url, mint, room, 1000)
            stream = streams.create(room, Url=consumer.url("/pcm"), Participant="speaker", AudioFormat="audio/x-l16", SampleRate="16000")
            session = await consumer.session("/pcm")
            await session.wait_for(lambda: len(session.binary) >= 250, what="5 s of binary frames")
            check_protocol(session, stream["sid"], owner.sid, "audio/x-l16", 16000)
            assert session.events("start")[0].message["start"]["mediaFormat"]["byteOrder"] == "little-endian"
            assert {len(r.message) for r in session.binary} == {640}, "a 20 ms frame at 16 kHz is 320 samples, 640 bytes"
            stats = cadence([r.at for r in session.binary[50:]])
            audio = np.frombuffer(b"".join(r.message for r in session.binary[-50:]), dtype="<i2").astype(np.float64) / 32768.0
            frequency = dominant_frequency(audio, 16000)
            print(f"cadence {stats}; heard {frequency:.1f} Hz at 16 kHz, RMS {rms(audio):.3f}")
            assert abs(frequency - 1000) <= TOLERANCE_HZ, f"the consumer heard {frequency:.1f} Hz, not 1000"
            assert stats["p99_jitter"] < JITTER_TARGET_MS, stats

    run_scenario(scenario(), SCENARIO_SECONDS)


def tone_mulaw(frequency: float, seconds: float) -> bytes:
    """`seconds` of a sine at 8 kHz, μ-law encoded, as a Twilio consumer sends its audio."""
    return mulaw_encode(sine_samples(frequency, 0, int(seconds * 8000), sample_rate=8000) / 32768.0)


def tone_runs(samples: np.ndarray, rate: int, threshold: float = 0.05) -> list:
    """(start, length) in seconds of each stretch of 10 ms windows louder than `threshold`."""
    window = rate // 100
    levels = [rms(samples[i:i + window]) for i in range(0, len(samples) - window + 1, window)]
    runs, start = [], None
    for index, level in enumerate(levels + [0.0]):
        if level > threshold and start is None:
            start = index
        elif level <= threshold and start is not None:
            runs.append((start / 100, (index - start) / 100))
            start = None
    return runs


def test_bidirectional_consumer_speaks_into_the_room_with_marks_and_clear(base_url, owner, mint, new_room):
    room, streams = new_room(), StreamsApi(base_url, owner)

    async def scenario():
        async with AsyncExitStack() as stack:
            consumer, caller = await speaker_and_consumer(stack, base_url, mint, room, 440, identity="caller")
            streams.create(room, Url=consumer.url("/bot"), Participant="caller", Bidirectional="true", BotIdentity="voice-bot")
            session = await consumer.session("/bot")
            await session.wait_for(lambda: len(session.media) >= 5, what="the first media")
            bot_track = await caller.remote_track(await caller.participant_sid_of("voice-bot"), "audio")
            await caller.subscribe(bot_track)
            await caller.audio(bot_track, seconds=0.5, skip=0.5)  # the subscription carries the bot's silence

            # One second of 600 Hz, then a mark: the mark returns when the second has been played.
            tone = tone_mulaw(600, seconds=1.0)
            sent = time.monotonic()
            await session.send_media(tone)
            await session.send_mark("greeting-done")
            echoed = await session.wait_for(lambda: session.events("mark") or None, what="the mark echo")
            delay = echoed[0].at - sent
            print(f"mark after {delay * 1000:.1f} ms for 1000 ms of audio")
            assert echoed[0].message["mark"]["name"] == "greeting-done"
            assert abs(delay - 1.0) <= MARK_TOLERANCE_S, f"the mark came back after {delay:.3f} s"
            samples, rate = await caller.audio(bot_track, seconds=0.5, skip=0.0)
            heard = dominant_frequency(samples, rate)
            print(f"the caller heard the bot at {heard:.1f} Hz")
            assert abs(heard - 600) <= TOLERANCE_HZ, f"the caller heard {heard:.1f} Hz, not 600"

            # Three seconds queued, cleared after one: the pending mark returns at once, the tone stops.
            await asyncio.sleep(0.5)
            started = time.monotonic()
            await session.send_media(tone_mulaw(600, seconds=3.0))
            await session.send_mark("never-played")
            await asyncio.sleep(1.0)
            cleared = time.monotonic()
            await session.send_clear()
            marks = await session.wait_for(lambda: session.events("mark")[1:] or None, what="the cleared mark")
            print(f"cleared mark after {(marks[0].at - cleared) * 1000:.1f} ms")
            assert marks[0].message["mark"]["name"] == "never-played" and marks[0].at - cleared < MARK_TOLERANCE_S
            await asyncio.sleep(1.0)
            received = caller.received[bot_track]
            runs = tone_runs(received.last_audio(2.5), received.sample_rate)
            played = runs[-1][1]
            print(f"tone runs in the last 2.5 s: {runs}; expected {cleared - started:.3f} s")
            assert abs(played - (cleared - started)) <= MARK_TOLERANCE_S, f"{played:.3f} s played, cleared after {cleared - started:.3f} s"

    run_scenario(scenario(), SCENARIO_SECONDS)


def test_a_consumer_that_stops_reading_does_not_slow_another(base_url, owner, mint, new_room, receiver):
    room, streams = new_room(), StreamsApi(base_url, owner)

    async def scenario():
        async with AsyncExitStack() as stack:
            consumer = await stack.enter_async_context(StreamConsumer())
            consumer.paused_paths.add("/stalled")
            speaker = await Peer.join(base_url, mint("speaker"), room, label="speaker")
            stack.push_async_callback(speaker.close)
            await speaker.publish({"mic": ToneTrack(440)})
            streams.create(room, Url=consumer.url("/stalled"), Participant="speaker", StatusCallback=receiver.url("/stalled-status"))
            streams.create(room, Url=consumer.url("/healthy"), Participant="speaker")
            healthy = await consumer.session("/healthy")
            warned = await asyncio.to_thread(
                receiver.wait_for, lambda: [r for r in receiver.requests_for("/stalled-status")
                                            if r.params()["StreamEvent"] == "stream-warning"] or None, 45, "a stream-warning")
            await healthy.wait_for(lambda: len(healthy.media) >= 500, what="10 s of media")
            stats = cadence([r.at for r in healthy.media[-500:]])
            params = warned[0].params()
            print(f"healthy consumer while the other stalled: {stats}; warning: {params}")
            assert int(params["DroppedFrames"]) > 0
            assert stats["p99_jitter"] < JITTER_TARGET_MS, stats

    run_scenario(scenario(), SCENARIO_SECONDS)


def test_a_dropped_consumer_is_retried_then_the_stream_errors(base_url, owner, mint, new_room, receiver):
    room, streams = new_room(), StreamsApi(base_url, owner)

    async def scenario():
        async with AsyncExitStack() as stack:
            speaker = await Peer.join(base_url, mint("speaker"), room, label="speaker")
            stack.push_async_callback(speaker.close)
            consumer = await stack.enter_async_context(StreamConsumer())
            stream = streams.create(room, Url=consumer.url("/flaky"), Participant="speaker", ReconnectAttempts="2",
                                    StatusCallback=receiver.url("/flaky-status"))
            first = await consumer.session("/flaky")
            await first.wait_for(lambda: len(first.media) >= 10, what="media")
            first.abort()  # no close frame: a broken connection
            second = await consumer.session("/flaky", index=1)
            await second.wait_for(lambda: len(second.media) >= 10, what="media after reconnecting")
            assert second.messages[0].message["event"] == "connected" and second.messages[1].message["event"] == "start"
            consumer.stop_listening()  # nobody listens any more: the retries fail
            second.abort()
            errored = await asyncio.to_thread(
                receiver.wait_for, lambda: [r for r in receiver.requests_for("/flaky-status")
                                            if r.params()["StreamEvent"] == "stream-error"] or None, 30, "stream-error")
            print("error callback:", errored[0].params())
            assert errored[0].params()["StreamError"]
            assert streams.fetch(room, stream["sid"])["status"] == "stopped"

    run_scenario(scenario(), SCENARIO_SECONDS)


def test_both_tracks_carry_what_the_participant_says_and_hears(base_url, owner, mint, new_room):
    room, streams = new_room(), StreamsApi(base_url, owner)

    async def scenario():
        async with AsyncExitStack() as stack:
            consumer = await stack.enter_async_context(StreamConsumer())
            for identity, tone in (("agent", 440), ("customer", 880)):
                peer = await Peer.join(base_url, mint(identity), room, label=identity)
                stack.push_async_callback(peer.close)
                await peer.publish({"mic": ToneTrack(tone)})
            streams.create(room, Url=consumer.url("/both"), Participant="agent", Track="both_tracks")
            session = await consumer.session("/both")
            await session.wait_for(lambda: len(session.media) >= 300, what="3 s of both tracks")
            assert session.events("start")[0].message["start"]["tracks"] == ["inbound", "outbound"]
            said, heard = dominant_frequency(session.inbound_audio("inbound")[-8000:], 8000), \
                dominant_frequency(session.inbound_audio("outbound")[-8000:], 8000)
            print(f"inbound {said:.1f} Hz, outbound {heard:.1f} Hz")
            assert abs(said - 440) <= TOLERANCE_HZ and abs(heard - 880) <= TOLERANCE_HZ, (said, heard)

    run_scenario(scenario(), SCENARIO_SECONDS)


def test_the_clock_does_not_drift(base_url, owner, mint, new_room):
    """Message k arrives at start + 20 ms × k: over the run the last one is no later than the jitter allows.
    STREAM_DRIFT_SECONDS sets the length (600 for the 10-minute check in docs/benchmarks.md)."""
    seconds = int(os.environ.get("STREAM_DRIFT_SECONDS", "10"))
    room, streams = new_room(), StreamsApi(base_url, owner)

    async def scenario():
        async with AsyncExitStack() as stack:
            consumer, _ = await speaker_and_consumer(stack, base_url, mint, room, 440)
            streams.create(room, Url=consumer.url("/clock"), Participant="speaker")
            session = await consumer.session("/clock")
            count = seconds * 50 + 51
            await session.wait_for(lambda: len(session.media) >= count, timeout=seconds + 30, what=f"{seconds} s of media")
            arrivals = np.array([r.at for r in session.media[50:count]])  # after a one-second warm-up
            lateness = (arrivals - arrivals[0] - 0.020 * np.arange(len(arrivals))) * 1000
            drift = np.median(lateness[-50:]) - np.median(lateness[:50])
            print(f"{len(arrivals)} messages over {arrivals[-1] - arrivals[0]:.3f} s: drift {drift:+.3f} ms "
                  f"(median lateness of the last second minus the first), lateness p99 {np.percentile(np.abs(lateness), 99):.2f} ms")
            assert abs(drift) < 2.0, f"the 20 ms clock drifted {drift:+.3f} ms in {seconds} s"

    run_scenario(scenario(), seconds + SCENARIO_SECONDS)
