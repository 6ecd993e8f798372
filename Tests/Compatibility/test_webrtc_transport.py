"""The media node's other ways in, besides its UDP host candidate (docs/video.md, "Media"):

- TURN: aiortc peers that gather relay candidates only reach the node through a real coturn (turn_server.py),
  over TCP to the TURN server; coturn relays to the node's UDP candidate.
- ICE-TCP: a Chromium whose WebRTC may not use UDP (its profile's `webrtc.ip_handling_policy` preference is
  `disable_non_proxied_udp`: no proxy, so no UDP at all) still exchanges media with the node over its passive
  ICE-TCP candidate (RFC 6544). The command-line switch `--force-webrtc-ip-handling-policy` is gone from current
  Chromium (not in Debian's 156 binary), hence the preference, set in a fresh `--user-data-dir`.

Each test proves the transport really was used: the selected candidate pairs (aiortc's ICE connection, the
browser's getStats) and coturn's log."""

import asyncio
import json
import re
import time
from contextlib import AsyncExitStack
from pathlib import Path
from urllib.parse import urlencode

import pytest

from browser import Browser, missing_browser
from demo_page import first_decoded, frames_decoded, page_stats
from tone import PatternVideoTrack
from turn_server import TurnServer, missing_turnserver
from webrtc_helpers import run_scenario, turn_tcp_server
from tone_exchange import exchange_tones
from webrtc_peer import Peer

SCENARIO_SECONDS = 90
MEDIA_SECONDS = 20  # from subscribing to enough decoded media (ICE, TURN allocation, DTLS, first key frame)
PAGE_SECONDS = 20  # page load, join and publish
VIDEO_FRAMES = 20
STATS_GROWTH_SECONDS = 2
LOG_SETTLE_SECONDS = 5  # coturn writes a session's usage line when the session closes
NO_UDP_POLICY = "disable_non_proxied_udp"


# ---------------------------------------------------------------------------------------------------- TURN


def selected_pair(pc) -> dict:
    """The nominated candidate pair of an aiortc peer connection (all its transceivers share one bundled
    transport), read from aioice's connection: {"local": Candidate, "remote": Candidate}."""
    assert pc is not None, "no peer connection"
    connection = pc.getTransceivers()[0].sender.transport.transport._connection
    pair = connection._nominated.get(1)
    assert pair is not None, f"no nominated candidate pair (ice {pc.iceConnectionState})"
    return {"local": pair.local_candidate, "remote": pair.remote_candidate}


def describe(candidate) -> str:
    return f"{candidate.type} {candidate.transport} {candidate.host}:{candidate.port}"


def relayed_pairs(peer: Peer) -> list:
    """Asserts that both of `peer`'s peer connections selected a relay candidate; returns printable pairs."""
    lines = []
    for name, pc in (("publish", peer.publish_pc), ("subscribe", peer.subscribe_pc)):
        pair = selected_pair(pc)
        line = f"{peer.label} {name} pc: {describe(pair['local'])} -> {describe(pair['remote'])}"
        lines.append(line)
        assert pair["local"].type == "relay", f"not relayed: {line}"
        assert pair["remote"].type == "host", f"the node's side should be its host candidate: {line}"
    return lines


USAGE = re.compile(r"session (?P<session>\d+): (?P<side>usage|peer usage): realm=<[^>]*>, "
                   r"username=<(?P<user>[^>]*)>, rp=(?P<rp>\d+), rb=(?P<rb>\d+), sp=(?P<sp>\d+), sb=(?P<sb>\d+)")
TCP_CLOSED = re.compile(r"session (?P<session>\d+): TCP socket closed")


def relay_sessions(log: str, username: str) -> dict:
    """coturn's closed sessions of `username`, from the usage lines it writes when a session ends:
    {session id: {"client": counters, "peer": counters, "tcp": bool}}. Counters are packets/bytes received and
    sent (rp, rb, sp, sb) on the client's side (the TURN connection) and on the peer's side (the relayed
    address, towards the node); `tcp` says the client reached coturn over TCP."""
    sessions = {}
    for match in USAGE.finditer(log):
        if match["user"] == username:
            side = "peer" if match["side"] == "peer usage" else "client"
            counters = {key: int(match[key]) for key in ("rp", "rb", "sp", "sb")}
            sessions.setdefault(match["session"], {"tcp": False})[side] = counters
    for match in TCP_CLOSED.finditer(log):
        if match["session"] in sessions:
            sessions[match["session"]]["tcp"] = True
    return {sid: session for sid, session in sessions.items() if "peer" in session}


def closed_relay_sessions(turn: TurnServer, count: int) -> dict:
    """Waits until coturn logged `count` closed sessions of the test's user (they close with the peers)."""
    deadline = time.monotonic() + LOG_SETTLE_SECONDS
    while True:
        sessions = relay_sessions(turn.log(), turn.username)
        if len(sessions) >= count:
            return sessions
        if time.monotonic() > deadline:
            raise AssertionError(f"coturn logged {len(sessions)} closed sessions of {turn.username!r} within "
                                 f"{LOG_SETTLE_SECONDS} s, expected {count} (one per peer connection): "
                                 f"{sessions}\n{turn.log()[-3000:]}")
        time.sleep(0.2)


@pytest.mark.skipif(missing_turnserver() is not None, reason=str(missing_turnserver()))
def test_relay_only_peers_exchange_tones_through_coturn_over_tcp(base_url, mint, new_room):
    room = new_room()
    with TurnServer() as turn:
        servers = [turn_tcp_server(turn.port, turn.username, turn.credential)]
        print(f"coturn on 127.0.0.1:{turn.port}, ICE server {servers[0].urls}")

        async def scenario():
            async with AsyncExitStack() as stack:
                a, b = await exchange_tones(stack, base_url, mint, room, MEDIA_SECONDS, ice_servers=servers, relay_only=True)
                for line in relayed_pairs(a) + relayed_pairs(b):
                    print(line)
                assert not a.problems and not b.problems, (a.problems, b.problems)

        run_scenario(scenario(), SCENARIO_SECONDS)
        sessions = closed_relay_sessions(turn, count=4)
        allocations = turn.log().count("ALLOCATE processed, success")
        print(f"coturn: {allocations} successful allocations")
        for sid, session in sorted(sessions.items()):
            print(f"coturn session {sid}: over TCP {session['tcp']}, client side {session['client']}, "
                  f"peer (node) side {session['peer']}")
        assert allocations >= 4, f"coturn made {allocations} allocations, expected one per peer connection"
        assert len(sessions) == 4, f"expected 4 relay sessions (2 peers x 2 peer connections): {sessions}"
        for sid, session in sessions.items():
            assert session["tcp"], f"coturn session {sid} was not a TCP connection: {session}"
            peer_side = session["peer"]
            assert peer_side["rp"] > 0 and peer_side["sp"] > 0, \
                f"coturn session {sid} relayed nothing both ways to the node: {session}"


# ---------------------------------------------------------------------------------------------------- ICE-TCP

SELECTED_PAIRS_JS = """(async () => {
  const room = window.parleyDemo.room;
  const result = {};
  for (const [name, pc] of [['publish', room.peerConnection], ['subscribe', room.subscribePeerConnection]]) {
    if (!pc) { result[name] = null; continue; }
    const stats = new Map();
    (await pc.getStats()).forEach((s) => stats.set(s.id, s));
    const values = [...stats.values()];
    const transport = values.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
    const pair = transport ? stats.get(transport.selectedCandidatePairId) : null;
    const pick = (c) => c && { protocol: c.protocol, candidateType: c.candidateType, tcpType: c.tcpType ?? null,
                               address: c.address ?? c.ip, port: c.port };
    result[name] = {
      ice: pc.iceConnectionState,
      selected: pair && { state: pair.state, local: pick(stats.get(pair.localCandidateId)),
                          remote: pick(stats.get(pair.remoteCandidateId)),
                          bytesSent: pair.bytesSent, bytesReceived: pair.bytesReceived },
      localCandidates: values.filter((s) => s.type === 'local-candidate').map(pick),
    };
  }
  return result;
})()"""


def assert_tcp_only(pairs: dict) -> None:
    """Both of the page's peer connections selected a pair whose local candidate is TCP (to the node's passive
    TCP candidate), and the page gathered no UDP candidate at all."""
    for name in ("publish", "subscribe"):
        info = pairs.get(name)
        assert info and info["selected"], f"the page's {name} pc has no selected candidate pair: {pairs}"
        local, remote = info["selected"]["local"], info["selected"]["remote"]
        assert local["protocol"] == "tcp", f"the page's {name} pc selected a {local['protocol']} pair: {info}"
        assert remote["protocol"] == "tcp" and remote["tcpType"] in (None, "passive"), \
            f"the page's {name} pc did not select the node's passive TCP candidate: {info}"
        udp = [c for c in info["localCandidates"] if c["protocol"] != "tcp"]
        assert not udp, f"the page's {name} pc gathered non-TCP candidates despite {NO_UDP_POLICY}: {udp}"


async def exchange_over_tcp(browser: Browser, base_url: str, token: str, room: str) -> None:
    async with AsyncExitStack() as stack:
        peer = await Peer.join(base_url, token, room, label="aiortc")
        stack.push_async_callback(peer.close)
        chromium = await peer.participant_sid_of("browser", timeout=PAGE_SECONDS)
        camera = await peer.remote_track(chromium, "video", timeout=PAGE_SECONDS)
        await peer.subscribe(camera)
        video = await peer.video_frames(camera, VIDEO_FRAMES, timeout=MEDIA_SECONDS)
        print(f"aiortc (UDP) decoded {video.frames} frames {dict(video.sizes)} of the browser's camera")

        mine = (await peer.publish({"cam": PatternVideoTrack()}))["cam"]
        before = await first_decoded(browser, mine, timeout=MEDIA_SECONDS)
        await asyncio.sleep(STATS_GROWTH_SECONDS)
        after = frames_decoded(await page_stats(browser), mine)
        print(f"the browser decoded {before} then {after} frames of the aiortc video {STATS_GROWTH_SECONDS} s later")
        assert after is not None and after > before, f"framesDecoded of {mine} went from {before} to {after}"

        pairs = await asyncio.to_thread(browser.evaluate, SELECTED_PAIRS_JS)
        for name in ("publish", "subscribe"):
            info = pairs.get(name) or {}
            print(f"browser {name} pc: ice {info.get('ice')}, selected {info.get('selected')}; "
                  f"local candidates {info.get('localCandidates')}")
        assert_tcp_only(pairs)
        assert not peer.problems, peer.problems


def no_udp_profile(directory: Path) -> str:
    """Writes a Chromium profile whose WebRTC IP handling policy forbids non-proxied UDP into `directory`;
    returns the `--user-data-dir` argument that uses it (chromedriver then makes no profile of its own)."""
    preferences = directory / "Default" / "Preferences"
    preferences.parent.mkdir(parents=True)
    preferences.write_text(json.dumps({"webrtc": {"ip_handling_policy": NO_UDP_POLICY}}))
    return f"--user-data-dir={directory}"


@pytest.mark.skipif(missing_browser() is not None, reason=f"no browser: {missing_browser()}")
def test_browser_without_udp_uses_the_nodes_tcp_candidate(base_url, mint, new_room, tmp_path):
    room = new_room()
    query = urlencode({"token": mint("browser"), "room": room, "autojoin": 1, "publish": 1})
    with Browser(extra_args=[no_udp_profile(tmp_path / "profile")]) as browser:
        browser.open(f"{base_url}/demo/video?{query}")
        browser.wait_for("Boolean(window.parleyDemo && window.parleyDemo.room)", PAGE_SECONDS,
                         "the demo page joining the room (window.parleyDemo.room)")
        run_scenario(exchange_over_tcp(browser, base_url, mint("aiortc"), room), SCENARIO_SECONDS)
