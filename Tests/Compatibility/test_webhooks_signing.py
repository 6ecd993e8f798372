"""Event deliveries as a customer's receiver sees them: every one verifies with the reference libraries
(`standardwebhooks` for JSON, twilio-python's `RequestValidator` for form), carries the documented fields and no
secrets, reaches only subscriptions whose patterns match, and stops verifying once tampered with. Secret
rotation signs with the new and the old secret side by side.

Runs against the session server (started with `--egress-allow 127.0.0.0/8`: the receiver is on loopback)."""

import re
from datetime import datetime, timedelta, timezone

import pytest
from standardwebhooks.webhooks import WebhookVerificationError

from helpers import ACCOUNT_SID, KEY_SID, unique_name
from webhook_receiver import (
    parse_form,
    twilio_signature_valid,
    verify_standard_webhook,
    webhook_signatures,
)

DELIVERY_TIMEOUT = 30  # seconds; a delivery normally arrives well within one
EVENT_SID = re.compile(r"EV[0-9a-f]{32}")
ISO_MILLIS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
ACCOUNT_DATA = {"sid", "friendly_name", "status", "owner_account_sid", "date_created", "date_updated"}
KEY_DATA = {"sid", "account_sid", "friendly_name", "date_created", "date_updated"}
FORM_COMMON = {"EventSid", "EventType", "AccountSid", "Timestamp"}
ACCOUNT_FORM = FORM_COMMON | {"Sid", "FriendlyName", "Status", "OwnerAccountSid", "DateCreated", "DateUpdated"}
KEY_FORM = FORM_COMMON | {"Sid", "FriendlyName", "DateCreated", "DateUpdated"}
SECRET_NAMES = ("auth_token", "secret", "AuthToken", "Secret")


def _iso(text: str) -> datetime:
    assert ISO_MILLIS.fullmatch(text), f"not ISO 8601 UTC with milliseconds: {text!r}"
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def _assert_recent_iso(text: str) -> None:
    assert abs(datetime.now(timezone.utc) - _iso(text)) < timedelta(minutes=10), text


def _json_identity(request):
    payload = request.json()
    return payload["type"], payload["data"]["sid"]


def _form_identity(request):
    params = request.params()
    return params.get("EventType"), params.get("Sid")


def _wait_for_identities(receiver, path, identify, wanted, what):
    """Wait until requests to `path` cover every (type, sid) in `wanted`; return {identity: [requests]}."""

    def collected():
        found = {}
        for request in receiver.requests_for(path):
            try:
                found.setdefault(identify(request), []).append(request)
            except (ValueError, KeyError, TypeError):
                found.setdefault(("unparseable", request.target), []).append(request)
        return found if set(wanted) <= set(found) else None

    return receiver.wait_for(collected, DELIVERY_TIMEOUT, f"{what}: {sorted(wanted)}")


def _assert_no_secret(body: bytes, secrets) -> None:
    text = body.decode("utf-8")
    for secret in secrets:
        assert secret not in text, "a secret appears in a delivery body"
    for name in SECRET_NAMES:
        assert f'"{name}"' not in text and f"{name}=" not in text, f"{name!r} appears in a delivery body: {text}"


def _assert_form_signed_by_owner(request, owner_token, other_tokens=()):
    if twilio_signature_valid(request, owner_token):
        return
    hint = next((i for i, token in enumerate(other_tokens) if twilio_signature_valid(request, token)), None)
    raise AssertionError(
        f"X-Twilio-Signature of {request.method} {request.target} does not validate with the subscription "
        f"owner's auth token" + ("" if hint is None else f" (it validates with other token #{hint})")
        + f"; headers={request.headers}"
    )


@pytest.fixture
def triggered(client, owner):
    """Performs the five catalogued actions; returns a function that does so and reports what it did."""

    def trigger():
        api = client.api.v2010
        first_name, second_name = unique_name("evt-acct"), unique_name("evt-acct-renamed")
        sub = api.accounts.create(friendly_name=first_name)
        api.accounts(sub.sid).update(friendly_name=second_name)
        key_first, key_second = unique_name("evt-key"), unique_name("evt-key-renamed")
        key = api.accounts(owner.sid).new_keys.create(friendly_name=key_first)
        api.accounts(owner.sid).keys(key.sid).update(friendly_name=key_second)
        assert api.accounts(owner.sid).keys(key.sid).delete()
        return {
            "sub": sub, "key": key,
            "names": {
                ("account.created", sub.sid): first_name, ("account.updated", sub.sid): second_name,
                ("key.created", key.sid): key_first, ("key.updated", key.sid): key_second,
                ("key.deleted", key.sid): key_second,
            },
        }

    return trigger


def test_deliveries_verify_carry_the_documented_fields_and_follow_the_patterns(
    receiver, subscribe, triggered, owner, events_api
):
    every = subscribe(receiver.url("/json"), "*")
    form_post = subscribe(receiver.url("/form-post#ct=2000&rc=1"), "account.*", Format="form")
    form_get = subscribe(receiver.url("/form-get?source=parley-compat"), "key.*", Format="form", Method="GET")
    exact = subscribe(receiver.url("/exact"), ["account.updated", "key.deleted"])
    assert (every["format"], every["method"]) == ("json", "POST"), every
    assert (form_post["format"], form_post["method"]) == ("form", "POST"), form_post
    assert (form_get["format"], form_get["method"]) == ("form", "GET"), form_get

    done = triggered()
    sub, key, names = done["sub"], done["key"], done["names"]
    account_events = {identity for identity in names if identity[0].startswith("account.")}
    key_events = set(names) - account_events
    secrets = (owner.token, sub.auth_token, key.secret, every["secret"], exact["secret"])

    json_seen = _wait_for_identities(receiver, "/json", _json_identity, names, "every event as JSON")
    form_post_seen = _wait_for_identities(receiver, "/form-post", _form_identity, account_events, "account.* as form")
    form_get_seen = _wait_for_identities(receiver, "/form-get", _form_identity, key_events, "key.* as form GET")
    exact_seen = _wait_for_identities(
        receiver, "/exact", _json_identity,
        {("account.updated", sub.sid), ("key.deleted", key.sid)}, "the two exact types",
    )

    # JSON: Standard Webhooks signature, documented envelope and data, no secrets.
    event_ids = {}
    for identity, requests in json_seen.items():
        if identity not in names:
            continue  # an event of another test's making: checked for its type below only
        for request in requests:
            assert request.method == "POST"
            assert request.header("Content-Type").startswith("application/json"), request.headers
            payload = verify_standard_webhook(request, every["secret"])
            assert len(webhook_signatures(request)) == 1, request.header("webhook-signature")
            assert {"id", "type", "timestamp", "account_sid", "data"} <= set(payload), payload
            assert EVENT_SID.fullmatch(payload["id"]), payload["id"]
            assert payload["id"] == request.header("webhook-id"), (payload["id"], request.headers)
            assert event_ids.setdefault(identity, payload["id"]) == payload["id"], "one event, one id"
            _assert_recent_iso(payload["timestamp"])
            data = payload["data"]
            assert payload["type"] == identity[0] and data["sid"] == identity[1]
            assert data["friendly_name"] == names[identity], data
            if identity[0].startswith("account."):
                assert ACCOUNT_DATA <= set(data), data
                assert ACCOUNT_SID.fullmatch(data["sid"])
                assert (data["status"], data["owner_account_sid"]) == ("active", owner.sid), data
                assert payload["account_sid"] == sub.sid, "an account event concerns that account"
            else:
                assert KEY_DATA <= set(data), data
                assert KEY_SID.fullmatch(data["sid"])
                assert payload["account_sid"] == data["account_sid"] == owner.sid, payload
            for field in ("date_created", "date_updated"):
                _assert_recent_iso(data[field])
            _assert_no_secret(request.body, secrets)
    assert len(set(event_ids.values())) == len(names), "each action is its own event"

    # Form POST: X-Twilio-Signature with the owner's token, PascalCase parameters, idempotency token.
    for identity in account_events:
        for request in form_post_seen[identity]:
            assert request.method == "POST" and request.target == "/form-post", request.target
            assert request.header("Content-Type").startswith("application/x-www-form-urlencoded"), request.headers
            _assert_form_signed_by_owner(request, owner.token, (sub.auth_token,))
            params = request.params()
            assert ACCOUNT_FORM <= set(params), sorted(params)
            assert params["EventSid"] == event_ids[identity], "the same event id in every format"
            assert request.header("I-Twilio-Idempotency-Token") == params["EventSid"], request.headers
            assert (params["AccountSid"], params["OwnerAccountSid"]) == (sub.sid, owner.sid), params
            assert (params["FriendlyName"], params["Status"]) == (names[identity], "active"), params
            _assert_recent_iso(params["Timestamp"])
            _assert_no_secret(request.body, secrets)

    # Form GET: the parameters travel in the query, after the subscription URL's own; nothing in the body.
    for identity in key_events:
        for request in form_get_seen[identity]:
            assert request.method == "GET" and request.body == b"", (request.method, request.body)
            assert request.target.startswith("/form-get?source=parley-compat&"), request.target
            _assert_form_signed_by_owner(request, owner.token)
            params = request.query_params()
            assert KEY_FORM <= set(params), sorted(params)
            assert params["EventSid"] == event_ids[identity]
            assert request.header("I-Twilio-Idempotency-Token") == params["EventSid"]
            assert (params["AccountSid"], params["FriendlyName"]) == (owner.sid, names[identity]), params
            _assert_no_secret(request.target.encode(), secrets)

    # Exact types: the /exact subscription verifies with its own secret (not with another subscription's).
    for requests in exact_seen.values():
        for request in requests:
            verify_standard_webhook(request, exact["secret"])
            with pytest.raises(WebhookVerificationError):
                verify_standard_webhook(request, every["secret"])

    # Patterns: nothing arrived (or is queued) for a type the subscription did not ask for.
    assert {request.json()["type"] for request in receiver.requests_for("/exact")} <= {"account.updated", "key.deleted"}
    assert all(_form_identity(r)[0].startswith("account.") for r in receiver.requests_for("/form-post"))
    assert all(_form_identity(r)[0].startswith("key.") for r in receiver.requests_for("/form-get"))
    for subscription, allowed in ((form_post, "account."), (form_get, "key."), (exact, "")):
        queued = events_api.deliveries(SubscriptionSid=subscription["sid"])
        assert queued, f"no deliveries listed for {subscription['sid']}"
        assert all(d["subscription_sid"] == subscription["sid"] for d in queued), queued
        if allowed:
            assert all(d["event_type"].startswith(allowed) for d in queued), [d["event_type"] for d in queued]
        else:
            assert {d["event_type"] for d in queued} <= {"account.updated", "key.deleted"}, queued


def test_tampered_deliveries_fail_verification(receiver, subscribe, client, owner):
    every = subscribe(receiver.url("/json"), "account.updated")
    subscribe(receiver.url("/form-post"), "account.updated", Format="form")
    subscribe(receiver.url("/form-get?x=1"), "account.updated", Format="form", Method="GET")
    sub = client.api.v2010.accounts.create(friendly_name=unique_name("tamper"))
    client.api.v2010.accounts(sub.sid).update(friendly_name=unique_name("tamper-renamed"))

    def arrived(path, identify):
        return receiver.wait_for(
            lambda: next((r for r in receiver.requests_for(path) if identify(r) == ("account.updated", sub.sid)), None),
            DELIVERY_TIMEOUT, f"account.updated at {path}",
        )

    json_request = arrived("/json", _json_identity)
    post_request = arrived("/form-post", _form_identity)
    get_request = arrived("/form-get", _form_identity)

    # JSON: the untouched delivery verifies; a flipped byte, another id or another secret does not.
    verify_standard_webhook(json_request, every["secret"])
    body = bytearray(json_request.body)
    position = body.index(sub.sid.encode()) + 5
    body[position] ^= 0x01
    with pytest.raises(WebhookVerificationError):
        verify_standard_webhook(json_request, every["secret"], body=bytes(body))
    json_request.headers["webhook-id"], original_id = "EV" + "0" * 32, json_request.headers["webhook-id"]
    try:
        with pytest.raises(WebhookVerificationError):
            verify_standard_webhook(json_request, every["secret"])
    finally:
        json_request.headers["webhook-id"] = original_id
    with pytest.raises(WebhookVerificationError):
        verify_standard_webhook(json_request, "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk=")

    # Form POST: a changed parameter value, a flipped body byte, another URL or token is rejected.
    assert twilio_signature_valid(post_request, owner.token)
    changed = dict(post_request.params())
    changed["FriendlyName"] = changed["FriendlyName"] + "x"
    assert not twilio_signature_valid(post_request, owner.token, params=changed)
    raw = bytearray(post_request.body)
    raw[raw.index(b"Sid=") + 6] ^= 0x01
    assert not twilio_signature_valid(post_request, owner.token, params=parse_form(raw.decode()))
    assert not twilio_signature_valid(post_request, owner.token, url=post_request.url.replace("/form-post", "/form-pots"))
    assert not twilio_signature_valid(post_request, sub.auth_token)

    # Form GET: the signature covers the query, so a changed query parameter is rejected.
    assert twilio_signature_valid(get_request, owner.token)
    assert get_request.query_params()["x"] == "1"
    tampered_url = get_request.url.replace("x=1", "x=2")
    assert tampered_url != get_request.url
    assert not twilio_signature_valid(get_request, owner.token, url=tampered_url)


def test_rotated_secret_signs_alongside_the_old_one(receiver, subscribe, client, events_api):
    subscription = subscribe(receiver.url("/rotating"), "account.updated")
    old_secret = subscription["secret"]
    sub = client.api.v2010.accounts.create(friendly_name=unique_name("rotate"))

    def deliver_update(label):
        name = unique_name(label)
        client.api.v2010.accounts(sub.sid).update(friendly_name=name)
        return receiver.wait_for(
            lambda: next(
                (r for r in receiver.requests_for("/rotating") if r.json()["data"]["friendly_name"] == name), None
            ),
            DELIVERY_TIMEOUT, f"the delivery of rename {label}",
        )

    before = deliver_update("before-rotation")
    verify_standard_webhook(before, old_secret)
    assert len(webhook_signatures(before)) == 1, before.header("webhook-signature")

    response = events_api.request("POST", f"/Subscriptions/{subscription['sid']}/RotateSecret")
    assert response.status_code in (200, 201), (response.status_code, response.text[:500])
    rotated = response.json()
    new_secret = rotated["secret"]
    assert rotated["sid"] == subscription["sid"]
    assert isinstance(new_secret, str) and new_secret.startswith("whsec_") and new_secret != old_secret
    expires = datetime.fromisoformat(rotated["previous_secret_expires_at"].replace("Z", "+00:00"))
    assert abs(expires - (datetime.now(timezone.utc) + timedelta(hours=24))) < timedelta(minutes=10), expires

    # The secret is shown by create and rotate only.
    fetched = events_api.subscription(subscription["sid"])
    assert "secret" not in fetched, fetched
    assert fetched["previous_secret_expires_at"] == rotated["previous_secret_expires_at"]
    listed, _ = events_api.list_all("/Subscriptions")
    assert subscription["sid"] in {record["sid"] for record in listed}
    assert all("secret" not in record for record in listed), listed

    after = deliver_update("after-rotation")
    signatures = webhook_signatures(after)
    assert len(signatures) == 2 and all(s.startswith("v1,") for s in signatures), after.header("webhook-signature")
    verify_standard_webhook(after, new_secret)
    verify_standard_webhook(after, old_secret)
    with pytest.raises(WebhookVerificationError):
        verify_standard_webhook(before, new_secret)  # the new secret really is different
