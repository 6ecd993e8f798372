"""Media through the node's SFU between aiortc participants (webrtc_peer.py): each publishes a sine tone (tone.py),
the others subscribe, decode what the node forwards and measure its frequency; video frames are counted."""

from contextlib import AsyncExitStack

import pytest

from signaling_client import SignalingError
from tone import PatternVideoTrack, ToneTrack, dominant_frequency, rms
from webrtc_helpers import run_scenario
from webrtc_peer import Peer

SCENARIO_SECONDS = 60
MEDIA_SECONDS = 15  # from subscribing to enough decoded media (ICE, DTLS and the first key frame included)
TOLERANCE_HZ = 5
VIDEO_FRAMES = 20


async def heard(peer: Peer, track_sid: str) -> float:
    """The dominant frequency of one second of `track_sid` as `peer` decoded it."""
    samples, rate = await peer.audio(track_sid, seconds=1.0, timeout=MEDIA_SECONDS)
    assert rms(samples) > 0.02, f"{peer.label}: {track_sid} is near silence (RMS {rms(samples):.4f})"
    return dominant_frequency(samples, rate)


def test_two_peers_hear_each_others_tone(base_url, mint, new_room):
    room = new_room()

    async def scenario():
        async with AsyncExitStack() as stack:
            a = await Peer.join(base_url, mint("alice"), room, label="A")
            stack.push_async_callback(a.close)
            b = await Peer.join(base_url, mint("bob"), room, label="B")
            stack.push_async_callback(b.close)
            a_mic = (await a.publish({"mic": ToneTrack(440)}))["mic"]
            b_mic = (await b.publish({"mic": ToneTrack(880)}))["mic"]
            assert await a.remote_track(b.participant_sid, "audio") == b_mic
            assert await b.remote_track(a.participant_sid, "audio") == a_mic
            await a.subscribe(b_mic)
            await b.subscribe(a_mic)
            fa, fb = await heard(a, b_mic), await heard(b, a_mic)
            print(f"A heard {fa:.1f} Hz (B sends 880), B heard {fb:.1f} Hz (A sends 440)")
            assert abs(fa - 880) <= TOLERANCE_HZ and abs(fa - 440) > TOLERANCE_HZ, f"A heard {fa:.1f} Hz, not B's 880"
            assert abs(fb - 440) <= TOLERANCE_HZ and abs(fb - 880) > TOLERANCE_HZ, f"B heard {fb:.1f} Hz, not A's 440"
            assert set(a.received) == {b_mic} and set(b.received) == {a_mic}, (a.state(), b.state())
            assert not a.problems and not b.problems, (a.problems, b.problems)

    run_scenario(scenario(), SCENARIO_SECONDS)


def test_audio_and_video_reach_a_subscriber(base_url, mint, new_room):
    room = new_room()

    async def scenario():
        async with AsyncExitStack() as stack:
            publisher = await Peer.join(base_url, mint("camera-owner"), room, label="publisher")
            stack.push_async_callback(publisher.close)
            viewer = await Peer.join(base_url, mint("viewer"), room, label="viewer")
            stack.push_async_callback(viewer.close)
            sids = await publisher.publish({"mic": ToneTrack(660), "cam": PatternVideoTrack(320, 240)})
            for name in ("mic", "cam"):
                await viewer.subscribe(sids[name])
            camera = await viewer.video_frames(sids["cam"], VIDEO_FRAMES, timeout=MEDIA_SECONDS)
            frequency = await heard(viewer, sids["mic"])
            print(f"viewer decoded {camera.frames} video frames {dict(camera.sizes)} and heard {frequency:.1f} Hz")
            assert set(camera.sizes) == {(320, 240)}, f"frames of unexpected sizes: {dict(camera.sizes)}"
            assert abs(frequency - 660) <= TOLERANCE_HZ, f"viewer heard {frequency:.1f} Hz, not 660"
            assert viewer.received[sids["mic"]].kind == "audio" and camera.kind == "video"
            assert not viewer.problems, viewer.problems

    run_scenario(scenario(), SCENARIO_SECONDS)


def test_rooms_are_isolated(base_url, mint, new_room):
    rooms = {new_room(): 440, new_room(): 880}

    async def scenario():
        async with AsyncExitStack() as stack:
            pairs = []
            for index, (room, tone) in enumerate(rooms.items()):
                publisher = await Peer.join(base_url, mint(f"speaker-{index}"), room, label=f"speaker {index}")
                stack.push_async_callback(publisher.close)
                listener = await Peer.join(base_url, mint(f"listener-{index}"), room, label=f"listener {index}")
                stack.push_async_callback(listener.close)
                mic = (await publisher.publish({"mic": ToneTrack(tone)}))["mic"]
                assert await listener.remote_track(publisher.participant_sid, "audio") == mic
                pairs.append((listener, mic, tone))
            (first, first_mic, _), (second, second_mic, _) = pairs
            for listener, foreign in ((first, second_mic), (second, first_mic)):
                assert foreign not in listener.remote_tracks, f"{listener.label} sees the other room's track"
                with pytest.raises(SignalingError) as refused:
                    await listener.subscribe(foreign)
                assert refused.value.code == 53404, refused.value.body
            for listener, mic, _ in pairs:
                await listener.subscribe(mic)
            for listener, mic, tone in pairs:
                frequency = await heard(listener, mic)
                print(f"{listener.label} heard {frequency:.1f} Hz (its room's tone is {tone})")
                assert abs(frequency - tone) <= TOLERANCE_HZ, f"{listener.label} heard {frequency:.1f} Hz, not {tone}"
                assert set(listener.received) == {mic}, listener.state()

    run_scenario(scenario(), SCENARIO_SECONDS)
