"""The SFU's per-subscriber choices, against a real browser (docs/video.md, "Media" and the signaling tables):

- Simulcast: headless Chromium publishes its fake camera through the demo page with `&simulcast=1` (rids q/h/f,
  low → high). At its default 640x480 Chromium sends only q and h unless its legacy simulcast layer limit is
  disabled (a field trial, passed below; should a Chromium ignore it, 2 layers still make the test). Three aiortc
  subscribers ask for `low`, `medium` and `high`: widths must not shrink with quality, low must be narrower than
  high (and than medium when 3 layers are sent). After `set-quality` high the low one's frames must grow to the
  high one's size (the node switches at a keyframe).
- Dominant speaker: Chromium publishes its microphone (a WAV of a sine tone); an aiortc participant already in
  the room publishes silence (aiortc writes the RFC 6464 audio-level extension, with the voice flag always 0).
  The node must push `dominant-speaker` naming the browser, and never the silent participant. (The node counts
  only packets flagged as voice, so even a loud aiortc tone never becomes dominant: aiortc's RTCRtpSender always
  writes V=0; Chromium's Opus frames carry V=1.)"""

import asyncio
import time
from collections import Counter
from contextlib import AsyncExitStack
from urllib.parse import urlencode

import pytest

from browser import Browser, missing_browser
from tone import ToneTrack, write_tone_wav
from webrtc_helpers import run_scenario
from webrtc_peer import Peer

pytestmark = pytest.mark.skipif(missing_browser() is not None, reason=f"no browser: {missing_browser()}")

SCENARIO_SECONDS = 120
PAGE_SECONDS = 20  # page load, join and publish
MEDIA_SECONDS = 20  # from subscribing to enough decoded frames
WARMUP_FRAMES = 30  # decoded before sizes count (the first frames may come from another layer)
MEASURED_FRAMES = 30
SWITCH_SECONDS = 10  # from set-quality to frames of the new size
SWITCHED_FRAMES = 10
DOMINANT_SECONDS = 15  # from the browser publishing to the dominant-speaker event
BROWSER_TONE_HZ = 440
AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
ALL_LAYERS_ARGS = ("--force-fieldtrials=WebRTC-LegacySimulcastLayerLimit/Disabled/",)
QUALITIES = ("low", "medium", "high")


def open_demo(browser: Browser, base_url: str, token: str, room: str, **extra) -> None:
    """Opens the demo page joining `room` and publishing camera and microphone; waits until it joined."""
    query = urlencode({"token": token, "room": room, "autojoin": 1, "publish": 1, **extra})
    browser.open(f"{base_url}/demo/video?{query}")
    browser.wait_for("Boolean(window.parleyDemo && window.parleyDemo.room)", PAGE_SECONDS,
                     "the demo page joining the room (window.parleyDemo.room)")


async def page_outbound(browser: Browser) -> list:
    """The page's outbound stats (one entry per simulcast layer), without blocking the event loop."""
    stats = await asyncio.to_thread(browser.evaluate, "window.parleyDemo.stats()")
    return stats.get("outbound", [])


async def frames_after(peer: Peer, track_sid: str, before: Counter, count: int, timeout: float,
                       accept=lambda size: True) -> Counter:
    """Polls until `count` frames whose (width, height) satisfy `accept` were decoded since the `before`
    snapshot of the track's sizes; returns the sizes decoded since then."""
    deadline = time.monotonic() + timeout
    while True:
        received = peer.received.get(track_sid)
        since = (received.sizes - before) if received else Counter()
        if sum(n for size, n in since.items() if accept(size)) >= count:
            return since
        if time.monotonic() > deadline:
            raise AssertionError(f"{peer.label}: fewer than {count} matching frames of {track_sid} within {timeout} s;"
                                 f" decoded since: {dict(since)}. {peer.state()}")
        await asyncio.sleep(0.1)


async def steady_sizes(peer: Peer, track_sid: str) -> Counter:
    """The sizes of MEASURED_FRAMES frames decoded after the first WARMUP_FRAMES."""
    received = await peer.video_frames(track_sid, WARMUP_FRAMES, timeout=MEDIA_SECONDS)
    return await frames_after(peer, track_sid, Counter(received.sizes), MEASURED_FRAMES, MEDIA_SECONDS)


def widths(sizes: Counter) -> list:
    return sorted({width for width, _ in sizes})


# ---------------------------------------------------------------------------------------------------- simulcast


async def simulcast_scenario(browser: Browser, base_url: str, mint, room: str) -> None:
    async with AsyncExitStack() as stack:
        viewers = {}
        for quality in QUALITIES:
            viewers[quality] = await Peer.join(base_url, mint(f"{quality}-viewer"), room, label=quality)
            stack.push_async_callback(viewers[quality].close)
        chromium = await viewers["low"].participant_sid_of("browser", timeout=PAGE_SECONDS)
        camera = await viewers["low"].remote_track(chromium, "video", timeout=PAGE_SECONDS)
        for quality, viewer in viewers.items():
            await viewer.remote_track(chromium, "video", timeout=PAGE_SECONDS)
            await viewer.subscribe(camera, quality=quality)

        measured = await asyncio.gather(*(steady_sizes(viewer, camera) for viewer in viewers.values()))
        sizes = dict(zip(QUALITIES, measured))
        layers = [(s.get("rid"), s.get("framesEncoded"), s.get("packetsSent"))
                  for s in await page_outbound(browser) if s.get("kind") == "video"]
        sent = [rid for rid, _, packets in layers if rid and packets]
        print(f"Chromium's video layers (rid, framesEncoded, packetsSent): {layers}")
        print("decoded per quality: " + ", ".join(f"{q} {dict(sizes[q])}" for q in QUALITIES))
        assert len(sent) >= 2, f"Chromium sent fewer than 2 simulcast layers: {layers}"
        low, medium, high = (widths(sizes[q]) for q in QUALITIES)
        assert max(low) < min(high), f"low is not narrower than high: {sizes}"
        assert max(low) <= min(medium) and max(medium) <= min(high), f"widths shrink as quality grows: {sizes}"
        if len(sent) >= 3:
            assert max(low) < min(medium) and max(medium) < min(high), \
                f"3 layers sent but medium is not strictly between low and high: {sizes}"

        target = max(high)
        viewer = viewers["low"]
        before = Counter(viewer.received[camera].sizes)
        reply = await viewer.request({"type": "set-quality", "track": camera, "quality": "high"})
        assert reply.get("type") == "quality-set", f"set-quality answered {reply}"
        started = time.monotonic()
        since = await frames_after(viewer, camera, before, SWITCHED_FRAMES, SWITCH_SECONDS,
                                   accept=lambda size: size[0] == target)
        print(f"after set-quality high ({reply}), within {time.monotonic() - started:.1f} s the former low viewer "
              f"decoded {dict(since)}")
        problems = [p for v in viewers.values() for p in v.problems]
        assert not problems, problems


def test_simulcast_layer_follows_quality(base_url, mint, new_room):
    room = new_room()
    with Browser(extra_args=ALL_LAYERS_ARGS) as browser:
        open_demo(browser, base_url, mint("browser"), room, simulcast=1)
        run_scenario(simulcast_scenario(browser, base_url, mint, room), SCENARIO_SECONDS)


# ---------------------------------------------------------------------------------------------------- dominant speaker


def audio_level_extmaps(sdp: str) -> list:
    """The `a=extmap` lines of `sdp` naming the RFC 6464 client-to-mixer audio level."""
    return [line for line in sdp.splitlines() if line.startswith("a=extmap:") and AUDIO_LEVEL_URI in line]


async def dominant_scenario(browser: Browser, base_url: str, mint, room: str) -> None:
    async with AsyncExitStack() as stack:
        quiet = await Peer.join(base_url, mint("quiet"), room, label="quiet")
        stack.push_async_callback(quiet.close)
        await quiet.publish({"mic": ToneTrack(BROWSER_TONE_HZ, amplitude=0.0)})
        offered = audio_level_extmaps(quiet.publish_pc.localDescription.sdp)
        accepted = audio_level_extmaps(quiet.publish_pc.remoteDescription.sdp)
        print(f"aiortc offers {offered}; the node's publish answer keeps {accepted}")
        assert offered and accepted, "no ssrc-audio-level extension negotiated for aiortc's audio"

        await asyncio.to_thread(open_demo, browser, base_url, mint("browser"), room)
        chromium = await quiet.participant_sid_of("browser", timeout=PAGE_SECONDS)
        in_page = await asyncio.to_thread(browser.evaluate, "window.parleyDemo.room.localParticipant.sid")
        assert in_page == chromium, f"the page calls itself {in_page}, the room announced {chromium}"
        await quiet.remote_track(chromium, "audio", timeout=PAGE_SECONDS)
        event = await quiet.wait_for("dominant-speaker", timeout=DOMINANT_SECONDS, participant=chromium)
        named = [m.get("participant") for m in quiet.pushed if m.get("type") == "dominant-speaker"]
        print(f"pushed {event}; every dominant-speaker named {named} (browser {chromium}, "
              f"quiet aiortc {quiet.participant_sid})")
        assert quiet.participant_sid not in named, f"the silent aiortc participant became dominant: {named}"
        assert not quiet.problems, quiet.problems


def test_dominant_speaker_is_the_talking_browser(base_url, mint, new_room, tmp_path):
    room = new_room()
    tone = write_tone_wav(tmp_path / "tone.wav", BROWSER_TONE_HZ, seconds=10)
    with Browser(fake_audio_file=tone) as browser:
        run_scenario(dominant_scenario(browser, base_url, mint, room), SCENARIO_SECONDS)
