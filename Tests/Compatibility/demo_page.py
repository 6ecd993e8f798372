"""Reading the demo page (`/demo/video`) from a test: its `window.parleyDemo.stats()` and decoded video."""

import asyncio
import time

from browser import Browser


async def page_stats(browser: Browser) -> dict:
    """`window.parleyDemo.stats()`, without blocking the event loop aiortc runs on."""
    return await asyncio.to_thread(browser.evaluate, "window.parleyDemo.stats()")


def frames_decoded(stats: dict, track_sid: str):
    """framesDecoded of the page's inbound video for `track_sid`, or None when it has none yet."""
    found = [s for s in stats.get("inbound", []) if s.get("trackSid") == track_sid and s.get("kind") == "video"]
    return (found[0].get("framesDecoded") or 0) if found else None


async def first_decoded(browser: Browser, track_sid: str, timeout: float) -> int:
    """Waits until the page decoded video of `track_sid`; returns its framesDecoded then."""
    deadline = time.monotonic() + timeout
    stats = {}
    while time.monotonic() < deadline:
        stats = await page_stats(browser)
        decoded = frames_decoded(stats, track_sid)
        if decoded:
            return decoded
        await asyncio.sleep(0.25)
    raise AssertionError(f"the browser decoded no video of {track_sid} within {timeout} s; stats: {stats}; "
                         f"console: {browser.console_log()[-20:]}")
