"""Two aiortc participants publish a tone each and hear the other's through the node (shared by the tests
that check the SFU, over UDP and through a TURN relay)."""

from contextlib import AsyncExitStack

from tone import ToneTrack, dominant_frequency, rms
from webrtc_peer import Peer

TOLERANCE_HZ = 5


async def heard(peer: Peer, track_sid: str, timeout: float) -> float:
    """The dominant frequency of one second of `track_sid` as `peer` decoded it."""
    samples, rate = await peer.audio(track_sid, seconds=1.0, timeout=timeout)
    assert rms(samples) > 0.02, f"{peer.label}: {track_sid} is near silence (RMS {rms(samples):.4f})"
    return dominant_frequency(samples, rate)


async def exchange_tones(stack: AsyncExitStack, base_url: str, mint, room: str, timeout: float, **join_options):
    """A publishes 440 Hz and B 880 Hz; each subscribes to the other. Checks and prints what each heard and
    returns the two peers (closed by `stack`)."""
    a = await Peer.join(base_url, mint("alice"), room, label="A", **join_options)
    stack.push_async_callback(a.close)
    b = await Peer.join(base_url, mint("bob"), room, label="B", **join_options)
    stack.push_async_callback(b.close)
    a_mic = (await a.publish({"mic": ToneTrack(440)}))["mic"]
    b_mic = (await b.publish({"mic": ToneTrack(880)}))["mic"]
    assert await a.remote_track(b.participant_sid, "audio") == b_mic
    assert await b.remote_track(a.participant_sid, "audio") == a_mic
    await a.subscribe(b_mic)
    await b.subscribe(a_mic)
    fa, fb = await heard(a, b_mic, timeout), await heard(b, a_mic, timeout)
    print(f"A heard {fa:.1f} Hz (B sends 880), B heard {fb:.1f} Hz (A sends 440)")
    assert abs(fa - 880) <= TOLERANCE_HZ and abs(fa - 440) > TOLERANCE_HZ, f"A heard {fa:.1f} Hz, not B's 880"
    assert abs(fb - 440) <= TOLERANCE_HZ and abs(fb - 880) > TOLERANCE_HZ, f"B heard {fb:.1f} Hz, not A's 440"
    assert set(a.received) == {b_mic} and set(b.received) == {a_mic}, (a.state(), b.state())
    return a, b
