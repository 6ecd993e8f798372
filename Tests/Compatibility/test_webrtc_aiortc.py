"""Media through the node's SFU between aiortc participants (webrtc_peer.py): each publishes a sine tone (tone.py),
the others subscribe, decode what the node forwards and measure its frequency; video frames are counted."""

from contextlib import AsyncExitStack

import pytest

from signaling_client import SignalingError
from tone import PatternVideoTrack, ToneTrack
from webrtc_helpers import run_scenario
from tone_exchange import TOLERANCE_HZ, exchange_tones, heard
from webrtc_peer import Peer

SCENARIO_SECONDS = 60
MEDIA_SECONDS = 15  # from subscribing to enough decoded media (ICE, DTLS and the first key frame included)
VIDEO_FRAMES = 20


def test_two_peers_hear_each_others_tone(base_url, mint, new_room):
    room = new_room()

    async def scenario():
        async with AsyncExitStack() as stack:
            a, b = await exchange_tones(stack, base_url, mint, room, MEDIA_SECONDS)
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
            frequency = await heard(viewer, sids["mic"], MEDIA_SECONDS)
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
                frequency = await heard(listener, mic, MEDIA_SECONDS)
                print(f"{listener.label} heard {frequency:.1f} Hz (its room's tone is {tone})")
                assert abs(frequency - tone) <= TOLERANCE_HZ, f"{listener.label} heard {frequency:.1f} Hz, not {tone}"
                assert set(listener.received) == {mic}, listener.state()

    run_scenario(scenario(), SCENARIO_SECONDS)
