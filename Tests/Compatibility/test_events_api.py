"""`/events/v1` over plain HTTP on the session server: subscription CRUD and validation, v1 paging, tenant
isolation, and the Deliveries/Attempts resources of a real delivery."""

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from standardwebhooks import Webhook

from helpers import assert_error_response, unique_name
from events_api_client import EventsApi
from webhook_receiver import Reply, wait_until

SUBSCRIPTION_SID = re.compile(r"ES[0-9a-f]{32}")
DELIVERY_SID = re.compile(r"ED[0-9a-f]{32}")
EVENT_SID = re.compile(r"EV[0-9a-f]{32}")
SUBSCRIPTION_FIELDS = {
    "sid", "account_sid", "friendly_name", "url", "event_types", "format", "method", "enabled", "disabled_reason",
    "previous_secret_expires_at", "date_created", "date_updated", "links",
}
DELIVERY_FIELDS = {
    "sid", "account_sid", "subscription_sid", "event_sid", "event_type", "url", "method", "format", "status",
    "attempt_count", "next_attempt_at", "last_response_code", "last_error", "date_created", "date_updated",
    "date_delivered", "links",
}
ATTEMPT_FIELDS = {
    "number", "delivery_sid", "account_sid", "date_started", "url", "response_code", "latency_ms", "response_body",
    "error",
}
META_FIELDS = {"page", "page_size", "first_page_url", "previous_page_url", "url", "next_page_url", "key"}
UNKNOWN_SUBSCRIPTION = "ES" + "0" * 32
UNKNOWN_DELIVERY = "ED" + "0" * 32


def _date(text):
    """An ISO 8601 date in UTC (`Z` or `+00:00`), close to now."""
    assert isinstance(text, str), text
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert moment.utcoffset() == timedelta(0), text
    assert abs(datetime.now(timezone.utc) - moment) < timedelta(minutes=10), text
    return moment


def _assert_subscription(body, owner_sid, base_url):
    assert SUBSCRIPTION_FIELDS <= set(body), sorted(body)
    assert SUBSCRIPTION_SID.fullmatch(body["sid"]), body["sid"]
    assert body["account_sid"] == owner_sid
    assert _date(body["date_updated"]) >= _date(body["date_created"])
    assert body["links"]["self"] == f"{base_url}/events/v1/Subscriptions/{body['sid']}", body["links"]
    assert "/events/v1/Deliveries" in body["links"]["deliveries"], body["links"]


@pytest.fixture
def sub_api(base_url, make_subaccount):
    """Another tenant: a fresh subaccount of the owner, with its own credentials."""
    sub = make_subaccount("events-tenant")
    return EventsApi(base_url, sub.sid, sub.auth_token)


def test_create_fetch_update_delete(events_api, receiver, owner, base_url):
    url = receiver.url("/crud")
    response = events_api.request(
        "POST", "/Subscriptions",
        {"Url": url, "EventTypes": ["account.created", "key.*"], "FriendlyName": "crud"},
    )
    assert response.status_code == 201, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    created = response.json()
    sid = created["sid"]
    try:
        _assert_subscription(created, owner.sid, base_url)
        assert created["url"] == url and created["friendly_name"] == "crud"
        assert created["event_types"] == ["account.created", "key.*"], created["event_types"]
        assert (created["format"], created["method"], created["enabled"]) == ("json", "POST", True)
        assert created["disabled_reason"] is None and created["previous_secret_expires_at"] is None
        assert created["secret"].startswith("whsec_")
        Webhook(created["secret"])  # a usable Standard Webhooks secret

        fetched = events_api.subscription(sid)
        assert "secret" not in fetched, fetched
        assert {k: v for k, v in created.items() if k != "secret"} == fetched
        assert events_api.ok("GET", created["links"]["self"]) == fetched
        assert events_api.request("GET", created["links"]["deliveries"]).status_code == 200

        updated = events_api.update_subscription(sid, Enabled="false", FriendlyName="crud-renamed")
        assert (updated["enabled"], updated["friendly_name"]) == (False, "crud-renamed"), updated
        assert updated["event_types"] == ["account.created", "key.*"] and updated["url"] == url
        assert "secret" not in updated
        updated = events_api.update_subscription(sid, EventTypes="account.*,key.deleted", Format="form", Method="GET")
        assert updated["event_types"] == ["account.*", "key.deleted"], updated["event_types"]
        assert (updated["format"], updated["method"], updated["enabled"]) == ("form", "GET", False), updated
        updated = events_api.update_subscription(sid, Enabled="true", Url=receiver.url("/crud-moved"))
        assert (updated["enabled"], updated["url"]) == (True, receiver.url("/crud-moved")), updated
        assert updated["date_updated"] >= created["date_updated"]
        assert events_api.subscription(sid) == updated

        response = events_api.request("DELETE", f"/Subscriptions/{sid}")
        assert response.status_code == 204 and response.content == b"", (response.status_code, response.text)
        assert_error_response(events_api.request("GET", f"/Subscriptions/{sid}"), 404, 20404)
        assert_error_response(events_api.request("DELETE", f"/Subscriptions/{sid}"), 404, 20404)
        assert_error_response(events_api.request("POST", f"/Subscriptions/{sid}", {"FriendlyName": "x"}), 404, 20404)
        assert_error_response(events_api.request("POST", f"/Subscriptions/{sid}/RotateSecret"), 404, 20404)
        assert sid not in {r["sid"] for r in events_api.list_all("/Subscriptions")[0]}
    finally:
        events_api.delete_subscription(sid)


def test_list_pages_with_v1_meta(events_api, subscribe, receiver, base_url):
    mine = [subscribe(receiver.url(f"/page-{index}"), "key.deleted", FriendlyName=f"page-{index}") for index in range(3)]
    disabled = subscribe(receiver.url("/page-disabled"), "key.deleted", Enabled="false")
    assert disabled["enabled"] is False

    records, pages = events_api.list_all("/Subscriptions", {"PageSize": 1})

    sids = [record["sid"] for record in records]
    assert len(sids) == len(set(sids)), "a record appeared on two pages"
    assert {s["sid"] for s in mine} | {disabled["sid"]} <= set(sids)
    assert len(pages) == len(records) >= 4
    for index, page in enumerate(pages):
        assert set(page) == {"subscriptions", "meta"}, sorted(page)
        meta = page["meta"]
        assert META_FIELDS <= set(meta), sorted(meta)
        assert (meta["key"], meta["page"], meta["page_size"]) == ("subscriptions", index, 1), meta
        assert len(page["subscriptions"]) == 1
        assert all("secret" not in record for record in page["subscriptions"])
        for link in ("url", "first_page_url") + (("next_page_url",) if meta["next_page_url"] else ()):
            assert meta[link].startswith(f"{base_url}/events/v1/Subscriptions?"), (link, meta[link])
            assert parse_qs(urlsplit(meta[link]).query)["PageSize"] == ["1"], meta[link]
        assert (meta["previous_page_url"] is None) == (index == 0), meta
    assert pages[-1]["meta"]["next_page_url"] is None

    disabled_only, _ = events_api.list_all("/Subscriptions", {"Enabled": "false"})
    assert disabled["sid"] in {r["sid"] for r in disabled_only}
    assert not {s["sid"] for s in mine} & {r["sid"] for r in disabled_only}
    assert all(r["enabled"] is False for r in disabled_only)
    enabled_only, _ = events_api.list_all("/Subscriptions", {"Enabled": "true"})
    assert {s["sid"] for s in mine} <= {r["sid"] for r in enabled_only}
    assert all(r["enabled"] is True for r in enabled_only)


@pytest.mark.parametrize(
    "params",
    [
        {"EventTypes": "*"},  # no Url
        {"Url": "{url}"},  # no EventTypes
        {"Url": "{url}", "EventTypes": ""},
        {"Url": "{url}", "EventTypes": "acc*unt"},
        {"Url": "{url}", "EventTypes": "*.created"},
        {"Url": "{url}", "EventTypes": ["account.*", "acc*unt"]},
        {"Url": "{url}", "EventTypes": "*", "Format": "xml"},
        {"Url": "{url}", "EventTypes": "*", "Method": "GET"},  # GET only with form
        {"Url": "{url}", "EventTypes": "*", "Format": "json", "Method": "GET"},
        {"Url": "{url}", "EventTypes": "*", "Format": "form", "Method": "PUT"},
    ],
    ids=["no-url", "no-event-types", "empty-event-types", "bad-pattern", "suffix-pattern", "one-bad-pattern",
         "xml", "get-json-default", "get-json", "put"],
)
def test_invalid_subscriptions_are_refused(events_api, receiver, params):
    params = {name: value.format(url=receiver.url("/invalid")) if isinstance(value, str) else value
              for name, value in params.items()}
    before = {r["sid"] for r in events_api.list_all("/Subscriptions")[0]}

    response = events_api.request("POST", "/Subscriptions", params)

    assert_error_response(response, 400, 20001)
    assert {r["sid"] for r in events_api.list_all("/Subscriptions")[0]} == before


def test_invalid_updates_change_nothing(events_api, subscribe, receiver):
    created = subscribe(receiver.url("/valid"), "key.deleted")
    for params in ({"Format": "xml"}, {"Method": "GET"}, {"EventTypes": "acc*unt"}, {"Url": ""}):
        assert_error_response(
            events_api.request("POST", f"/Subscriptions/{created['sid']}", params), 400, 20001
        )
        fetched = events_api.subscription(created["sid"])
        assert {k: v for k, v in created.items() if k != "secret"} == fetched, params


@pytest.fixture
def delivered(events_api, subscribe, receiver, make_subaccount):
    """One subscription to account.created with one delivered event: (subscription, delivery, request)."""
    subscription = subscribe(receiver.url("/delivered"), "account.created")
    sub = make_subaccount("events-delivery")
    request = receiver.wait_for(
        lambda: next((r for r in receiver.requests_for("/delivered") if r.json()["data"]["sid"] == sub.sid), None),
        30, "the account.created delivery",
    )
    deliveries = events_api.deliveries(SubscriptionSid=subscription["sid"], EventSid=request.header("webhook-id"))
    assert len(deliveries) == 1, deliveries

    delivery = wait_until(
        lambda: (lambda found: found if found["status"] == "delivered" else None)(
            events_api.delivery(deliveries[0]["sid"])),
        30, "the delivery to be marked delivered",
    )
    return subscription, delivery, request


def test_delivery_and_its_attempts(events_api, delivered, owner, base_url):
    subscription, delivery, request = delivered

    assert DELIVERY_FIELDS <= set(delivery), sorted(delivery)
    assert DELIVERY_SID.fullmatch(delivery["sid"]) and EVENT_SID.fullmatch(delivery["event_sid"])
    assert delivery["event_sid"] == request.header("webhook-id")
    assert delivery["account_sid"] == owner.sid
    assert delivery["subscription_sid"] == subscription["sid"]
    assert (delivery["event_type"], delivery["url"]) == ("account.created", subscription["url"])
    assert (delivery["method"], delivery["format"]) == ("POST", "json")
    assert (delivery["status"], delivery["attempt_count"]) == ("delivered", 1), delivery
    assert (delivery["last_response_code"], delivery["last_error"]) == (200, None), delivery
    _date(delivery["date_created"])
    assert _date(delivery["date_delivered"]) >= _date(delivery["date_created"])
    links = delivery["links"]
    assert links["self"] == f"{base_url}/events/v1/Deliveries/{delivery['sid']}", links
    assert links["attempts"] == f"{base_url}/events/v1/Deliveries/{delivery['sid']}/Attempts", links
    assert links["replay"] == f"{base_url}/events/v1/Deliveries/{delivery['sid']}/Replay", links
    assert events_api.ok("GET", links["self"]) == delivery

    records, pages = wait_until(
        lambda: (lambda found: found if found[0] else None)(events_api.list_all(links["attempts"])),
        10, "the attempt to be recorded",
    )
    assert pages[0]["meta"]["key"] == "attempts", pages[0]["meta"]
    assert len(records) == 1, records
    attempt = records[0]
    assert ATTEMPT_FIELDS <= set(attempt), sorted(attempt)
    assert (attempt["number"], attempt["delivery_sid"], attempt["account_sid"]) == (1, delivery["sid"], owner.sid)
    assert (attempt["response_code"], attempt["error"]) == (200, None), attempt
    assert attempt["url"] == subscription["url"]
    assert attempt["response_body"] == "ok", attempt  # what the receiver answered
    assert isinstance(attempt["latency_ms"], int) and 0 <= attempt["latency_ms"] < 30_000, attempt
    _date(attempt["date_started"])

    listed, list_pages = events_api.list_all("/Deliveries", {"SubscriptionSid": subscription["sid"]})
    assert list_pages[0]["meta"]["key"] == "deliveries"
    assert [d["sid"] for d in listed] == [delivery["sid"]]


def test_unknown_delivery_and_subscription_are_404(events_api):
    for method, path in (
        ("GET", f"/Deliveries/{UNKNOWN_DELIVERY}"),
        ("GET", f"/Deliveries/{UNKNOWN_DELIVERY}/Attempts"),
        ("POST", f"/Deliveries/{UNKNOWN_DELIVERY}/Replay"),
        ("GET", f"/Subscriptions/{UNKNOWN_SUBSCRIPTION}"),
        ("POST", f"/Subscriptions/{UNKNOWN_SUBSCRIPTION}"),
        ("DELETE", f"/Subscriptions/{UNKNOWN_SUBSCRIPTION}"),
        ("POST", f"/Subscriptions/{UNKNOWN_SUBSCRIPTION}/RotateSecret"),
    ):
        assert_error_response(events_api.request(method, path), 404, 20404)


def test_unauthenticated_requests_are_refused(events_api):
    for path in ("/Subscriptions", "/Deliveries"):
        assert_error_response(events_api.request("GET", path, auth=False), 401, 20003)
        assert_error_response(events_api.request("GET", path, auth=(events_api.account_sid, "wrong")), 401, 20003)


def test_another_account_cannot_see_or_change_them(events_api, sub_api, delivered):
    subscription, delivery, _ = delivered
    sid, delivery_sid = subscription["sid"], delivery["sid"]

    for method, path, params in (
        ("GET", f"/Subscriptions/{sid}", None),
        ("POST", f"/Subscriptions/{sid}", {"FriendlyName": "hijacked", "Url": "https://example.com/stolen"}),
        ("POST", f"/Subscriptions/{sid}/RotateSecret", None),
        ("DELETE", f"/Subscriptions/{sid}", None),
        ("GET", f"/Deliveries/{delivery_sid}", None),
        ("GET", f"/Deliveries/{delivery_sid}/Attempts", None),
        ("POST", f"/Deliveries/{delivery_sid}/Replay", None),
    ):
        assert_error_response(sub_api.request(method, path, params), 404, 20404)

    assert sid not in {r["sid"] for r in sub_api.list_all("/Subscriptions")[0]}
    for filters in ({}, {"SubscriptionSid": sid}, {"EventSid": delivery["event_sid"]}):
        assert delivery_sid not in {d["sid"] for d in sub_api.deliveries(**filters)}, filters
    after = events_api.subscription(sid)
    assert {k: v for k, v in subscription.items() if k != "secret"} == after
    assert events_api.delivery(delivery_sid) == delivery, "a refused replay changed the delivery"

    # The other tenant's own subscription is invisible to the owner's list the same way... and vice versa.
    own = sub_api.create_subscription("https://example.com/tenant-hook", "key.deleted")
    try:
        assert own["account_sid"] == sub_api.account_sid
        assert own["sid"] not in {r["sid"] for r in events_api.list_all("/Subscriptions")[0]}
        assert [r["sid"] for r in sub_api.list_all("/Subscriptions")[0]] == [own["sid"]]
    finally:
        sub_api.delete_subscription(own["sid"])


def test_deleting_a_subscription_fails_its_pending_deliveries_and_keeps_them(events_api, receiver, make_subaccount):
    # A 503 asking for an hour's pause keeps the delivery pending (and the breaker closed: one failure).
    receiver.always("/later", Reply(503, headers={"Retry-After": "3600"}, body=b"later"))
    subscription = events_api.create_subscription(receiver.url("/later"), "account.created")
    try:
        sub = make_subaccount("events-pending")
        receiver.wait_for(
            lambda: [r for r in receiver.requests_for("/later") if r.json()["data"]["sid"] == sub.sid],
            30, "the first attempt",
        )
        # The receiver has answered; the server records the attempt a moment later.
        pending = wait_until(
            lambda: [d for d in events_api.deliveries(SubscriptionSid=subscription["sid"], Status="pending")
                     if d["last_response_code"] == 503],
            15, "the 503 attempt to be recorded",
        )
        assert len(pending) == 1, events_api.deliveries(SubscriptionSid=subscription["sid"])
        assert pending[0]["attempt_count"] == 1, pending[0]
        # Retry-After is a floor for the next attempt: about an hour from now.
        next_attempt = datetime.fromisoformat(pending[0]["next_attempt_at"].replace("Z", "+00:00"))
        assert next_attempt > datetime.now(timezone.utc) + timedelta(minutes=50), pending[0]
    finally:
        events_api.delete_subscription(subscription["sid"])

    kept = events_api.delivery(pending[0]["sid"])
    assert kept["status"] == "failed", kept
    assert "deleted" in (kept["last_error"] or "").lower(), kept
    # Kept, and listed (the server forgets the deleted subscription's SID on it, so find it by its event).
    assert kept["sid"] in {d["sid"] for d in events_api.deliveries(Status="failed", EventSid=kept["event_sid"])}
