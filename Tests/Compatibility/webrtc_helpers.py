"""Helpers for the WebRTC tests around the aiortc participant (webrtc_peer.py): access tokens from a fresh API key,
fresh group rooms that are completed afterwards, a bounded event loop per scenario, and a TURN-over-TCP ICE server."""

import asyncio
from contextlib import contextmanager

from aiortc import RTCIceServer

from helpers import unique_name
from signaling_client import video_token


@contextmanager
def token_minter(client, account_sid: str):
    """Yields `mint(identity, room=None)` → a video access token signed with a fresh API key of the account
    (`client` is an SDK client of that account); the key is deleted afterwards."""
    key = client.new_keys.create(friendly_name=unique_name("webrtc-key"))
    try:
        yield lambda identity, room=None: video_token(account_sid, key.sid, key.secret, identity, room=room, ttl=600)
    finally:
        client.api.v2010.accounts(account_sid).keys(key.sid).delete()


@contextmanager
def room_factory(client):
    """Yields `new_room()` → the unique name of a fresh group room of `client`'s account; every room it made is
    completed afterwards."""
    created = []

    def new_room() -> str:
        room = client.video.v1.rooms.create(unique_name=unique_name("webrtc"), type="group")
        created.append(room.sid)
        return room.unique_name

    try:
        yield new_room
    finally:
        for sid in created:
            client.video.v1.rooms(sid).update(status="completed")


def run_scenario(scenario, timeout: float):
    """Runs a coroutine to completion in a fresh event loop; fails (never hangs) after `timeout` seconds."""
    async def bounded():
        try:
            return await asyncio.wait_for(scenario, timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"the scenario did not finish within {timeout} s") from None
    return asyncio.run(bounded())


def turn_tcp_server(port: int, username: str, credential: str, host: str = "127.0.0.1") -> RTCIceServer:
    """A TURN server reached over TCP (aiortc gathers no TCP host candidates, so this is its only way onto TCP)."""
    return RTCIceServer(urls=f"turn:{host}:{port}?transport=tcp", username=username, credential=credential)
