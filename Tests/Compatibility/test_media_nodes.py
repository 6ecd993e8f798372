"""The media-node control plane with real processes: placement across two `parley media-node`s, one placement
under 50 concurrent joins, failover after `kill -9`, and drain (operator API and SIGTERM)."""

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests

from helpers import unique_name
from media_nodes import NodesApi, start_node, stop_node
from parley_server import ALLOW_LOOPBACK_EGRESS, alive, kill9, running_server
from signaling_client import join, request_ticket, video_token

FAILOVER_LIMIT_SECONDS = 5


@pytest.fixture(scope="module")
def cluster(parley_binary):
    """A gateway without a media node of its own, and two media nodes."""
    with running_server(parley_binary, extra_args=(*ALLOW_LOOPBACK_EGRESS, "--no-media")) as server:
        nodes = [start_node(parley_binary, server, name, "--drain-timeout", "60") for name in ("node-a", "node-b")]
        try:
            api = NodesApi(server)
            api.wait_active("node-a", "node-b")
            session = requests.Session()
            session.trust_env = False
            key = session.post(f"{server.base_url}/api/2010-04-01/Accounts/{server.account_sid}/Keys.json",
                               auth=(server.account_sid, server.auth_token), timeout=10).json()
            yield server, nodes, api, key
        finally:
            for node in nodes:
                stop_node(node, timeout=10)


def token(server, key, identity, room=None):
    return video_token(server.account_sid, key["sid"], key["secret"], identity, room)


def test_rooms_spread_across_both_nodes(cluster):
    server, _, api, key = cluster
    names = [unique_name("spread") for _ in range(20)]
    placed = Counter()
    for name in names:
        response = request_ticket(server.base_url, token(server, key, "alice"), name)
        assert response.status_code == 201, response.text
        placed[response.json()["node_sid"]] += 1
    nodes = api.wait_active("node-a", "node-b")
    print(f"20 rooms placed: {dict(placed)}; room_count per node: "
          f"{ {name: node['room_count'] for name, node in nodes.items()} }")
    assert set(placed) == {nodes["node-a"]["sid"], nodes["node-b"]["sid"]}
    assert min(placed.values()) >= 8, placed


def test_each_node_serves_health_and_metrics(cluster):
    _, _, api, _ = cluster
    session = requests.Session()
    session.trust_env = False
    for name, node in api.wait_active("node-a", "node-b").items():
        origin = "http://" + urlsplit(node["signaling_url"]).netloc
        health = session.get(f"{origin}/health", timeout=5)
        assert health.status_code == 200 and health.json()["status"] == "ok", name
        metrics = session.get(f"{origin}/metrics", timeout=5)
        assert metrics.status_code == 200 and "parley_media_node_connections" in metrics.text, name


def test_concurrent_joins_place_a_room_once(cluster):
    server, _, _, key = cluster
    room = unique_name("crowd")

    def join_one(index):
        connection = join(server.base_url, token(server, key, f"user-{index}"), room)
        return connection

    with ThreadPoolExecutor(max_workers=50) as pool:
        connections = list(pool.map(join_one, range(50)))
    try:
        nodes = {c.ticket["node_sid"] for c in connections}
        rooms = {c.joined["room"]["sid"] for c in connections}
        print(f"50 concurrent joins: rooms {len(rooms)}, nodes {len(nodes)}")
        assert len(rooms) == 1 and len(nodes) == 1
        listed = requests.get(f"{server.base_url}/video/v1/Rooms", params={"UniqueName": room, "PageSize": 100},
                              auth=(server.account_sid, server.auth_token), timeout=10).json()["rooms"]
        assert len(listed) == 1
    finally:
        for connection in connections:
            connection.close()


def test_kill9_moves_rooms_and_clients_reconnect_within_limit(cluster):
    server, nodes, api, key = cluster
    room = unique_name("failover")
    alice = join(server.base_url, token(server, key, "alice"), room)
    doomed_sid = alice.ticket["node_sid"]
    doomed = next(node for node in nodes if api.by_name(node.name)["sid"] == doomed_sid)

    killed_at = time.monotonic()
    kill9(doomed.process.pid)
    assert not alive(doomed.process.pid)
    # The client notices the drop and goes back to the gateway with its participant SID until it gets in.
    resumed = None
    while resumed is None and time.monotonic() - killed_at < 15:
        try:
            resumed = join(server.base_url, token(server, key, "alice"), room, participant_sid=alice.participant_sid)
        except Exception:
            time.sleep(0.25)
    elapsed = time.monotonic() - killed_at
    assert resumed is not None, "the client never got back in"
    try:
        print(f"kill -9 of {doomed.name}: back in on {resumed.ticket['node_sid']} after {elapsed:.2f}s")
        assert resumed.ticket["node_sid"] != doomed_sid
        assert resumed.participant_sid == alice.participant_sid  # resumed, not a new participant
        assert elapsed < FAILOVER_LIMIT_SECONDS
        # The sweeper declares it dead, then moves every room it hosted (those of the spread test too): two steps.
        deadline = time.monotonic() + 10
        dead = api.by_name(doomed.name)
        while (dead["status"] != "dead" or dead["room_count"] != 0) and time.monotonic() < deadline:
            time.sleep(0.2)
            dead = api.by_name(doomed.name)
        assert dead["status"] == "dead" and dead["room_count"] == 0, dead
    finally:
        resumed.close()
        alice.close()


def test_drain_keeps_rooms_until_they_finish_then_exits(cluster, parley_binary):
    server, nodes, api, key = cluster
    survivor = next(node for node in nodes if node.process.poll() is None)
    # A room on the node about to drain (the only live one), then a fresh node for the rooms that follow.
    room = unique_name("drain")
    bob = join(server.base_url, token(server, key, "bob"), room)
    assert bob.ticket["node_sid"] == api.by_name(survivor.name)["sid"]
    fresh = start_node(parley_binary, server, "node-c", "--drain-timeout", "60")
    nodes.append(fresh)
    api.wait_active(survivor.name, "node-c")

    response = api.drain(api.by_name(survivor.name)["sid"])
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "draining"
    # New rooms go elsewhere; the existing room stays, and others can still join it.
    other = request_ticket(server.base_url, token(server, key, "carol"), unique_name("after-drain")).json()
    assert other["node_sid"] == api.by_name("node-c")["sid"]
    carol = join(server.base_url, token(server, key, "carol"), room)
    assert carol.ticket["node_sid"] == bob.ticket["node_sid"]
    time.sleep(1.5)
    assert survivor.process.poll() is None, "the node exited while its room was still in use"

    bob.send({"type": "leave"})
    carol.send({"type": "leave"})
    survivor.process.wait(timeout=20)
    assert survivor.process.returncode == 0, survivor.log_tail()
    assert api.by_name(survivor.name)["status"] == "stopped"

    # SIGTERM drains too: the last node keeps its client until it leaves, then exits 0.
    dave = join(server.base_url, token(server, key, "dave"), unique_name("sigterm"))
    fresh.process.send_signal(15)
    time.sleep(1.5)
    assert fresh.process.poll() is None
    assert api.by_name("node-c")["status"] == "draining"
    dave.send({"type": "leave"})
    fresh.process.wait(timeout=20)
    assert fresh.process.returncode == 0, fresh.log_tail()


def test_nodes_are_for_the_operator_only(cluster):
    server, _, _, _ = cluster
    session = requests.Session()
    session.trust_env = False
    sub = session.post(f"{server.base_url}/api/2010-04-01/Accounts.json", data={"FriendlyName": "tenant"},
                       auth=(server.account_sid, server.auth_token), timeout=10).json()
    response = session.get(f"{server.base_url}/media/v1/Nodes", auth=(sub["sid"], sub["auth_token"]), timeout=10)
    assert response.status_code == 403
    assert response.json()["code"] == 20403
