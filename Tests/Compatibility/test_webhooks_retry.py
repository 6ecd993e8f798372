"""Retries and failure against a real receiver, on a server of its own with a short retry schedule
(`--retry-schedule 2s,2s,2s`: the first attempt plus three retries, each after a random wait of up to 2 s).

- 503 with Retry-After: 1, then 200: delivered by the second attempt, at least a second later, same event id.
- 410 Gone: the subscription is disabled with a reason and the delivery fails; nothing more is sent.
- No answer at all with `#tt=500`: four attempts of about half a second, then `failed`; Replay delivers it.
- The Deliveries list filters (Status, EventType, Url, SubscriptionSid, EventSid).

Every test has its own receiver (its own port), so one test's failures never open another's circuit breaker."""

import time

import pytest
from twilio.rest import Client

from helpers import unique_name
from local_http_client import LocalHttpClient
from parley_server import ALLOW_LOOPBACK_EGRESS, running_server
from events_api_client import EventsApi
from webhook_receiver import HANG, Reply, verify_standard_webhook, wait_until

RETRY_STEP_SECONDS = 2
SERVER_ARGS = (*ALLOW_LOOPBACK_EGRESS, "--retry-schedule", "2s,2s,2s")
ATTEMPTS = 4  # the first attempt and one per schedule entry
# A retry is due within its step; workers also poll every 2 s, and the debug build is not fast.
RETRY_BOUND_SECONDS = RETRY_STEP_SECONDS + 3.5


@pytest.fixture(scope="module")
def server(parley_binary):
    with running_server(parley_binary, SERVER_ARGS) as running:
        yield running


@pytest.fixture(scope="module")
def events_api(server) -> EventsApi:
    return EventsApi(server.base_url, server.account_sid, server.auth_token)


@pytest.fixture(scope="module")
def sdk(server) -> Client:
    return Client(server.account_sid, server.auth_token, http_client=LocalHttpClient(server.base_url))


@pytest.fixture
def rename(sdk):
    """`rename()`: a fresh subaccount gets a new FriendlyName (one account.updated event); returns its SID."""

    def action() -> str:
        sub = sdk.api.v2010.accounts.create(friendly_name=unique_name("retry"))
        sdk.api.v2010.accounts(sub.sid).update(friendly_name=unique_name("retry-renamed"))
        return sub.sid

    return action


def _about(request, account_sid) -> bool:
    return request.json()["data"]["sid"] == account_sid


def _only_delivery(events_api, subscription_sid):
    deliveries = events_api.deliveries(SubscriptionSid=subscription_sid)
    assert len(deliveries) == 1, deliveries
    return deliveries[0]


def _attempts(events_api, delivery_sid, count):
    """The delivery's attempts once `count` are recorded (attempts are written in batches, a moment later)."""
    return wait_until(
        lambda: (lambda found: found if len(found) >= count else None)(events_api.attempts(delivery_sid)),
        10, f"{count} attempts recorded for {delivery_sid}",
    )


def _settled(events_api, delivery_sid, status, timeout):
    return wait_until(
        lambda: (lambda d: d if d["status"] == status else None)(events_api.delivery(delivery_sid)),
        timeout, f"delivery {delivery_sid} to become {status}",
    )


def test_503_with_retry_after_then_200_is_delivered_by_the_second_attempt(receiver, subscribe, events_api, rename):
    receiver.script("/flaky", Reply(503, headers={"Retry-After": "1"}, body=b"busy, come back later"), then=Reply(200))
    subscription = subscribe(receiver.url("/flaky"), "account.updated")
    account_sid = rename()

    first, second = receiver.wait_for(
        lambda: (lambda got: got[:2] if len(got) >= 2 and got[1].ended_at is not None else None)(
            [r for r in receiver.requests_for("/flaky") if _about(r, account_sid)]),
        30, "two attempts at /flaky, the second answered",
    )

    gap = second.received_at - first.received_at
    assert 1.0 <= gap < RETRY_BOUND_SECONDS, f"second attempt {gap:.2f}s after the first"
    assert first.header("webhook-id") == second.header("webhook-id"), (first.headers, second.headers)
    assert int(second.header("webhook-timestamp")) >= int(first.header("webhook-timestamp"))
    for request in (first, second):
        verify_standard_webhook(request, subscription["secret"])
    assert (first.answered, second.answered) == (503, 200)

    delivery = _only_delivery(events_api, subscription["sid"])
    delivery = _settled(events_api, delivery["sid"], "delivered", 15)
    assert delivery["event_sid"] == first.header("webhook-id")
    assert delivery["attempt_count"] == 2, delivery
    assert delivery["last_response_code"] == 200, delivery
    assert delivery["date_delivered"], delivery
    attempts = _attempts(events_api, delivery["sid"], 2)
    assert [a["number"] for a in attempts] == [1, 2], attempts
    assert [a["response_code"] for a in attempts] == [503, 200], attempts
    assert "busy, come back later" in attempts[0]["response_body"], attempts[0]
    assert all(a["delivery_sid"] == delivery["sid"] for a in attempts), attempts
    assert all(isinstance(a["latency_ms"], int) and a["latency_ms"] >= 0 for a in attempts), attempts
    # Nothing after success.
    assert len([r for r in receiver.requests_for("/flaky") if _about(r, account_sid)]) == 2


def test_410_gone_disables_the_subscription_and_fails_the_delivery(receiver, subscribe, events_api, rename):
    receiver.always("/gone", Reply(410, body=b"no such hook"))
    gone = subscribe(receiver.url("/gone"), "account.updated")
    sentinel = subscribe(receiver.url("/sentinel"), "account.updated")
    account_sid = rename()

    receiver.wait_for(lambda: receiver.requests_for("/gone"), 30, "the attempt answered 410")
    disabled = wait_until(
        lambda: (lambda s: s if s["enabled"] is False else None)(events_api.subscription(gone["sid"])),
        15, "the subscription to be disabled",
    )
    reason = disabled["disabled_reason"]
    assert isinstance(reason, str) and ("410" in reason or "gone" in reason.lower()), disabled
    delivery = _only_delivery(events_api, gone["sid"])
    delivery = _settled(events_api, delivery["sid"], "failed", 15)
    assert delivery["last_response_code"] == 410, delivery
    assert events_api.deliveries(SubscriptionSid=gone["sid"], Status="pending") == []

    # A later event reaches the enabled sentinel but not the disabled subscription, and the 410 is not retried.
    second_sid = rename()
    receiver.wait_for(
        lambda: [r for r in receiver.requests_for("/sentinel") if _about(r, second_sid)], 30, "the sentinel delivery"
    )
    quiet_until = receiver.requests_for("/gone")[0].received_at + 2 * RETRY_STEP_SECONDS + 1
    time.sleep(max(0.0, quiet_until - time.monotonic()))  # a (wrong) retry would have come by now
    assert len(receiver.requests_for("/gone")) == 1, [r.target for r in receiver.requests_for("/gone")]
    assert all(d["status"] == "failed" for d in events_api.deliveries(SubscriptionSid=gone["sid"]))
    assert events_api.subscription(gone["sid"])["enabled"] is False

    # Enabling it again clears the reason.
    enabled = events_api.update_subscription(gone["sid"], Enabled="true")
    assert enabled["enabled"] is True and enabled["disabled_reason"] is None, enabled
    assert events_api.subscription(sentinel["sid"])["enabled"] is True


def test_no_answer_fails_after_every_retry_and_replay_delivers(receiver, subscribe, events_api, rename):
    receiver.always("/hang", HANG)
    subscription = subscribe(receiver.url("/hang#tt=500"), "account.updated")
    account_sid = rename()
    started = time.monotonic()

    receiver.wait_for(
        lambda: len(receiver.requests_for("/hang")) >= ATTEMPTS, 60, f"{ATTEMPTS} attempts at /hang"
    )
    delivery = _only_delivery(events_api, subscription["sid"])
    delivery = _settled(events_api, delivery["sid"], "failed", 30)
    elapsed = time.monotonic() - started
    assert elapsed < 30, f"the tt=500 override was not honoured? {elapsed:.1f}s for {ATTEMPTS} attempts"

    requests = receiver.requests_for("/hang")
    assert len(requests) == ATTEMPTS, [r.target for r in requests]
    assert {r.header("webhook-id") for r in requests} == {delivery["event_sid"]}
    assert all(_about(r, account_sid) for r in requests)
    assert delivery["attempt_count"] == ATTEMPTS, delivery
    assert delivery["last_response_code"] is None, delivery
    assert delivery["last_error"], delivery
    attempts = _attempts(events_api, delivery["sid"], ATTEMPTS)
    assert [a["number"] for a in attempts] == list(range(1, ATTEMPTS + 1)), attempts
    for attempt in attempts:
        assert attempt["response_code"] is None and attempt["error"], attempt
        assert 300 <= attempt["latency_ms"] < 3000, f"tt=500 should end each attempt after ~500 ms: {attempt}"
    # The receiver saw the sender give up after about half a second each time.
    receiver.wait_for(lambda: all(r.ended_at is not None for r in requests), 5, "the sender to close each connection")
    for request in requests:
        assert request.ended_at - request.received_at < 3, request
    failed = events_api.deliveries(Status="failed", SubscriptionSid=subscription["sid"])
    assert [d["sid"] for d in failed] == [delivery["sid"]]

    # The receiver recovers; Replay sends the same event again at once.
    receiver.always("/hang", Reply(200))
    response = events_api.request("POST", f"/Deliveries/{delivery['sid']}/Replay")
    assert response.status_code in (200, 201, 202), (response.status_code, response.text[:500])
    assert response.json()["sid"] == delivery["sid"]
    assert response.json()["status"] in ("pending", "delivered"), response.json()
    replayed = receiver.wait_for(
        lambda: next((r for r in receiver.requests_for("/hang")[ATTEMPTS:] if r.answered == 200), None),
        30, "the replayed delivery",
    )
    assert replayed.header("webhook-id") == delivery["event_sid"]
    verify_standard_webhook(replayed, subscription["secret"])
    delivered = _settled(events_api, delivery["sid"], "delivered", 15)
    assert delivered["last_response_code"] == 200 and delivered["date_delivered"], delivered
    attempts = _attempts(events_api, delivery["sid"], ATTEMPTS + 1)
    assert len(attempts) == ATTEMPTS + 1 and attempts[-1]["response_code"] == 200, attempts


def test_deliveries_list_filters(receiver, subscribe, events_api, rename):
    receiver.always("/fine", Reply(200))
    receiver.always("/refusing", Reply(410))
    fine = subscribe(receiver.url("/fine"), "account.updated")
    refusing = subscribe(receiver.url("/refusing"), "account.updated")
    account_sid = rename()

    fine_delivery = _settled(
        events_api,
        wait_until(lambda: events_api.deliveries(SubscriptionSid=fine["sid"]), 30, "a delivery for /fine")[0]["sid"],
        "delivered", 30,
    )
    refused_delivery = _settled(
        events_api,
        wait_until(lambda: events_api.deliveries(SubscriptionSid=refusing["sid"]), 30, "a delivery for /refusing")[0]["sid"],
        "failed", 30,
    )
    assert fine_delivery["event_sid"] == refused_delivery["event_sid"], "one event, one delivery per subscription"
    assert receiver.requests_for("/fine")[0].json()["data"]["sid"] == account_sid
    ours = {fine_delivery["sid"], refused_delivery["sid"]}

    def sids(**filters):
        found = events_api.deliveries(**filters)
        return found, {d["sid"] for d in found}

    failed, failed_sids = sids(Status="failed")
    assert refused_delivery["sid"] in failed_sids and fine_delivery["sid"] not in failed_sids
    assert {d["status"] for d in failed} == {"failed"}
    delivered, delivered_sids = sids(Status="delivered")
    assert fine_delivery["sid"] in delivered_sids and refused_delivery["sid"] not in delivered_sids
    assert {d["status"] for d in delivered} == {"delivered"}
    assert sids(Status="pending")[1].isdisjoint(ours)

    updated, updated_sids = sids(EventType="account.updated")
    assert ours <= updated_sids and {d["event_type"] for d in updated} == {"account.updated"}
    assert sids(EventType="account.created")[1].isdisjoint(ours)

    by_url, by_url_sids = sids(Url=receiver.url("/fine"))
    assert by_url_sids == {fine_delivery["sid"]}, by_url
    assert sids(SubscriptionSid=refusing["sid"])[1] == {refused_delivery["sid"]}
    assert sids(EventSid=fine_delivery["event_sid"])[1] == ours
    assert sids(EventSid=fine_delivery["event_sid"], Status="delivered")[1] == {fine_delivery["sid"]}
