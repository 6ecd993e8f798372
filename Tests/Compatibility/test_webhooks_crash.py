"""At-least-once delivery survives `kill -9` of the gateway mid-flight.

A thousand events are committed quickly while a slow receiver (200 ms per request) takes them in; the gateway
is killed with SIGKILL (its embedded PostgreSQL lives on) while deliveries are in flight, and a new process is
started on the same data directory. Every event must arrive at least once — deliveries the dead process had
claimed come back when their 30-second lease runs out — and duplicates may only repeat ids already seen."""

import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from helpers import unique_name
from parley_server import ALLOW_LOOPBACK_EGRESS, alive, kill9, remove_work_dir, start_server, stop_server
from events_api_client import EventsApi
from webhook_receiver import Reply, WebhookReceiver, verify_standard_webhook, wait_until

EVENTS = 1000
RECEIVER_DELAY_MS = 200
# 16 requests in flight at 200 ms each is ~80 deliveries a second: the 1,000 take over ten seconds, so the
# kill reliably lands mid-flight however fast the updates were committed.
SERVER_ARGS = (*ALLOW_LOOPBACK_EGRESS, "--delivery-concurrency", "16")
ENQUEUE_THREADS = 8
RECOVERY_TIMEOUT = 180  # 30 s lease + the rest of the backlog at ~80/s, with room for a slow machine


def _rename_owner(server, names):
    """Commit one account.updated per name (renames of the owner account), over keep-alive sessions."""
    local = threading.local()
    url = f"{server.base_url}/api/2010-04-01/Accounts/{server.account_sid}.json"

    def rename(name):
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
            session.trust_env = False
        response = session.post(url, data={"FriendlyName": name}, auth=(server.account_sid, server.auth_token), timeout=30)
        assert response.status_code == 200, (response.status_code, response.text[:300])
        return response.json()["friendly_name"]

    with ThreadPoolExecutor(ENQUEUE_THREADS) as pool:
        return list(pool.map(rename, names))


def test_kill_9_mid_delivery_loses_no_event(parley_binary, record_property):
    names = [f"{unique_name('crash')}-{index:04d}" for index in range(EVENTS)]
    wanted = set(names)
    first = start_server(parley_binary, extra_args=SERVER_ARGS)
    servers = [first]
    with WebhookReceiver() as receiver:
        try:
            receiver.always("/slow", Reply(200, delay_ms=RECEIVER_DELAY_MS))
            api = EventsApi(first.base_url, first.account_sid, first.auth_token)
            subscription = api.create_subscription(receiver.url("/slow"), "*")

            started = time.monotonic()
            assert _rename_owner(first, names) == names
            committed_after = time.monotonic() - started
            receiver.wait_for(lambda: receiver.count() > 0, 30, "the first delivery")
            kill9(first.process.pid)
            assert not alive(first.process.pid)
            at_kill = receiver.requests()
            distinct_at_kill = {r.header("webhook-id") for r in at_kill}
            print(f"\n{EVENTS} events committed in {committed_after:.1f}s; at kill -9: {len(at_kill)} requests, "
                  f"{len(distinct_at_kill)} distinct events")
            assert 0 < len(distinct_at_kill) < EVENTS, "the kill did not happen mid-flight"

            second = start_server(parley_binary, restart_of=first)
            servers.append(second)
            assert second.extra_args == SERVER_ARGS

            def distinct_ids():
                ids = {r.header("webhook-id") for r in receiver.requests()}
                return ids if len(ids) >= EVENTS else None

            receiver.wait_for(distinct_ids, RECOVERY_TIMEOUT, f"all {EVENTS} events after the restart")
            received = receiver.requests()
            by_id = {}
            for request in received:
                payload = verify_standard_webhook(request, subscription["secret"])
                assert payload["id"] == request.header("webhook-id")
                by_id.setdefault(payload["id"], []).append(payload)
            foreign = {i: p[0]["type"] for i, p in by_id.items() if p[0]["data"].get("friendly_name") not in wanted}
            assert not foreign, f"events that are not our renames arrived: {foreign}"
            assert len(by_id) == EVENTS, f"{len(by_id)} distinct events arrived, expected {EVENTS}"
            assert {p[0]["data"]["friendly_name"] for p in by_id.values()} == wanted, "an event was lost"
            assert all(len({(p["type"], p["data"]["friendly_name"]) for p in copies}) == 1 for copies in by_id.values())
            assert {p[0]["type"] for p in by_id.values()} == {"account.updated"}
            duplicates = len(received) - len(by_id)
            record_property("webhook_duplicates_after_kill9", duplicates)
            print(f"{len(received)} requests for {len(by_id)} events: {duplicates} duplicates")

            # The server's own record agrees: one delivery per event, all delivered in the end.
            api = EventsApi(second.base_url, second.account_sid, second.auth_token)
            deliveries = wait_until(
                lambda: (lambda found: found if all(d["status"] == "delivered" for d in found) else None)(
                    api.deliveries(SubscriptionSid=subscription["sid"])),
                60, "every delivery to be marked delivered", interval=0.5,
            )
            assert len(deliveries) == EVENTS, len(deliveries)
            assert {d["event_sid"] for d in deliveries} == set(by_id)
            assert second.process.poll() is None, "the restarted server died"
        finally:
            for server in servers:
                stop_server(server)
    if all(server.process.returncode in (0, -signal.SIGKILL) for server in servers):
        remove_work_dir(first)
