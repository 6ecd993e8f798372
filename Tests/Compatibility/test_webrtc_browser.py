"""A real browser in a room: headless Chromium (browser.py) joins through the demo page, publishing its fake camera
(a test pattern) and fake microphone (a WAV of a sine tone); an aiortc participant (webrtc_peer.py) decodes both and
publishes synthetic video, which the page's getStats must show being decoded.

The demo page is driven by its query: `?token=<jwt>&room=<name>&autojoin=1&publish=1`, and exposes
`window.parleyDemo` = {room, stats()} for tests."""

import asyncio
from contextlib import AsyncExitStack
from urllib.parse import urlencode

import pytest

from browser import Browser, missing_browser
from demo_page import first_decoded, frames_decoded, page_stats
from tone import PatternVideoTrack, dominant_frequency, rms, write_tone_wav
from webrtc_helpers import run_scenario
from webrtc_peer import Peer

pytestmark = pytest.mark.skipif(missing_browser() is not None, reason=f"no browser: {missing_browser()}")

SCENARIO_SECONDS = 90
PAGE_SECONDS = 20  # page load, join and publish
MEDIA_SECONDS = 20
BROWSER_TONE_HZ = 660
TOLERANCE_HZ = 5
# Chromium's audio processing (noise suppression, gain control) slowly attenuates a steady tone, by about 12 dB
# over 10 s; a sine of amplitude 0.3 still has an RMS above 0.05, silence is about 0.
MIN_RMS = 0.005
VIDEO_FRAMES = 20
STATS_GROWTH_SECONDS = 2


async def exchange(browser: Browser, base_url: str, token: str, room: str) -> None:
    async with AsyncExitStack() as stack:
        peer = await Peer.join(base_url, token, room, label="aiortc")
        stack.push_async_callback(peer.close)
        chromium = await peer.participant_sid_of("browser", timeout=PAGE_SECONDS)
        microphone = await peer.remote_track(chromium, "audio", timeout=PAGE_SECONDS)
        camera = await peer.remote_track(chromium, "video", timeout=PAGE_SECONDS)
        await peer.subscribe(microphone)
        await peer.subscribe(camera)

        video = await peer.video_frames(camera, VIDEO_FRAMES, timeout=MEDIA_SECONDS)
        samples, rate = await peer.audio(microphone, seconds=1.0, timeout=MEDIA_SECONDS)
        frequency, level = dominant_frequency(samples, rate), rms(samples)
        print(f"aiortc decoded {video.frames} frames {dict(video.sizes)} of the browser's camera and heard "
              f"{frequency:.1f} Hz at RMS {level:.3f} from its microphone")
        assert level > MIN_RMS, f"the browser's microphone arrived as near silence (RMS {level:.4f})"
        assert abs(frequency - BROWSER_TONE_HZ) <= TOLERANCE_HZ, f"heard {frequency:.1f} Hz, not {BROWSER_TONE_HZ}"

        outbound = (await page_stats(browser)).get("outbound", [])
        sent = {s.get("kind"): s.get("packetsSent") or 0 for s in outbound}
        assert sent.get("audio", 0) > 0 and sent.get("video", 0) > 0, f"the page's outbound stats: {outbound}"

        mine = (await peer.publish({"cam": PatternVideoTrack()}))["cam"]
        before = await first_decoded(browser, mine, timeout=MEDIA_SECONDS)
        await asyncio.sleep(STATS_GROWTH_SECONDS)
        after = frames_decoded(await page_stats(browser), mine)
        print(f"the browser decoded {before} then {after} frames of the aiortc video {STATS_GROWTH_SECONDS} s later")
        assert after is not None and after > before, f"framesDecoded of {mine} went from {before} to {after}"
        assert not peer.problems, peer.problems


def test_browser_and_aiortc_exchange_media(base_url, mint, new_room, tmp_path):
    room = new_room()
    tone = write_tone_wav(tmp_path / "tone.wav", BROWSER_TONE_HZ, seconds=10)
    query = urlencode({"token": mint("browser"), "room": room, "autojoin": 1, "publish": 1})
    with Browser(fake_audio_file=tone) as browser:
        browser.open(f"{base_url}/demo/video?{query}")
        browser.wait_for("Boolean(window.parleyDemo && window.parleyDemo.room)", PAGE_SECONDS,
                         "the demo page joining the room (window.parleyDemo.room)")
        run_scenario(exchange(browser, base_url, mint("aiortc"), room), SCENARIO_SECONDS)
