"""Messages through twilio-python over the built-in sandbox connection: sending from an owned number, exact segment
counts, the status lifecycle with signed status callbacks in order, the per-number rate, Twilio's error codes, the
handset inbox, and inbound messages to owned numbers reaching their SmsUrl."""

import subprocess
from datetime import datetime, timezone

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

from helpers import assert_rest_error
from oai_schema import validate_exchanges
from webhook_receiver import Reply, twilio_signature_valid, wait_until

API_MOUNT = "/api"
HANDSET = "+15005550006"
INVENTORY = """phone_number,iso_country,type,capabilities,region,locality,postal_code,connection,sms_rate
+16465550100,US,local,voice;sms,NY,New York,10001,sandbox,
+16465550101,US,local,voice;sms,NY,New York,10001,sandbox,
+16465550102,US,local,voice,NY,New York,10001,sandbox,
+16465550103,US,local,sms,NY,New York,10001,sandbox,50
"""


@pytest.fixture(scope="module")
def numbers(parley_binary, parley, tmp_path_factory):
    path = tmp_path_factory.mktemp("messages") / "numbers.csv"
    path.write_text(INVENTORY)
    result = subprocess.run(
        [str(parley_binary), "numbers", "import", str(path), "--data-dir", str(parley.work_dir / "data")],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def account(client, owner):
    return client.api.v2010.accounts(owner.sid)


@pytest.fixture
def sandbox(base_url, owner):
    session = requests.Session()
    session.trust_env = False
    session.auth = (owner.sid, owner.token)
    return session, f"{base_url}/sandbox/v1/Messages"


def owned(account, phone_number, **params):
    """The account's number `phone_number`, bought now (released again by `release_all`)."""
    return account.incoming_phone_numbers.create(phone_number=phone_number, **params)


@pytest.fixture
def release_all(account):
    bought = []
    yield bought
    for number in bought:
        account.incoming_phone_numbers(number.sid).delete()


def final(account, sid, timeout=15):
    return wait_until(
        lambda: (m := account.messages(sid).fetch()).status in {"delivered", "undelivered", "failed"} and m,
        timeout, f"message {sid} to reach a final status")


def test_send_to_a_handset_with_signed_status_callbacks_in_order(account, owner, receiver, sandbox, numbers, release_all):
    number = owned(account, "+16465550100")
    release_all.append(number)
    hook = receiver.url("/status")

    message = account.messages.create(to=HANDSET, from_=number.phone_number, body="Hello from Parley", status_callback=hook)

    assert message.sid.startswith("SM") and len(message.sid) == 34
    assert (message.status, message.direction, message.num_segments, message.num_media) == ("queued", "outbound-api", "1", "0")
    assert (message.to, message.from_, message.body) == (HANDSET, "+16465550100", "Hello from Parley")
    done = final(account, message.sid)
    assert done.status == "delivered" and done.error_code is None and done.date_sent is not None
    callbacks = receiver.wait_for(lambda: len(receiver.requests_for("/status")) >= 4 and receiver.requests_for("/status"), 15, "4 callbacks")
    assert [c.params()["MessageStatus"] for c in callbacks] == ["queued", "sending", "sent", "delivered"]
    for callback in callbacks:
        params = callback.params()
        assert (params["MessageSid"], params["SmsSid"], params["AccountSid"]) == (message.sid, message.sid, owner.sid)
        assert (params["From"], params["To"], params["SmsStatus"]) == ("+16465550100", HANDSET, params["MessageStatus"])
        assert twilio_signature_valid(callback, owner.token), callback.headers
    session, url = sandbox
    inbox = session.get(url, params={"To": HANDSET}, timeout=10).json()["messages"]
    assert inbox[-1]["message_sid"] == message.sid and inbox[-1]["body"] == "Hello from Parley"


@pytest.mark.parametrize("body, segments", [
    ("a" * 160, "1"), ("a" * 161, "2"), ("x" * 400, "3"), ("€" * 80, "1"), ("€" * 81, "2"),
    ("Smile 😀", "1"), ("ê" * 70, "1"), ("ê" * 71, "2"), ("😀" * 35, "1"), ("😀" * 36, "2"),
])
def test_segments_are_counted_as_twilio_counts_them(account, numbers, release_all, body, segments):
    number = owned(account, "+16465550103")
    release_all.append(number)
    message = account.messages.create(to=HANDSET, from_=number.phone_number, body=body)
    assert message.num_segments == segments


def test_a_burst_waits_for_the_numbers_rate(account, numbers, release_all):
    number = owned(account, "+16465550101")  # 1 segment a second
    release_all.append(number)

    sent = [account.messages.create(to=HANDSET, from_=number.phone_number, body=f"burst {i}") for i in range(3)]

    assert [m.status for m in sent] == ["queued"] * 3
    done = [final(account, m.sid) for m in sent]
    moments = sorted(m.date_sent for m in done)
    # date_sent has one-second resolution (RFC 2822): three slots a second apart span two seconds at least.
    assert (moments[-1] - moments[0]).total_seconds() >= 2, moments
    assert all(m.status == "delivered" for m in done)


def test_bad_messages_get_twilios_error_codes(account, numbers, release_all, make_subaccount, make_client):
    number = owned(account, "+16465550100")
    voice_only = owned(account, "+16465550102")
    release_all.extend([number, voice_only])
    cases = [
        (dict(to="12345", from_=number.phone_number, body="x"), 21211),
        (dict(to=HANDSET, from_="+16465550101", body="x"), 21606),  # not the account's
        (dict(to=HANDSET, from_=voice_only.phone_number, body="x"), 21606),  # cannot send SMS
        (dict(to=HANDSET, from_=number.phone_number, body=""), 21602),
        (dict(to=number.phone_number, from_=number.phone_number, body="x"), 21266),
        (dict(to=HANDSET, from_=number.phone_number, body="y" * 1601), 21617),
    ]
    before = len(account.messages.list())
    for params, code in cases:
        with pytest.raises(TwilioRestException) as refused:
            account.messages.create(**params)
        assert_rest_error(refused.value, 400, code)
    assert len(account.messages.list()) == before
    sub = make_subaccount("messages")
    other = make_client(sub.sid, sub.auth_token).api.v2010.accounts(sub.sid)
    with pytest.raises(TwilioRestException) as hidden:
        other.messages.create(to=HANDSET, from_=number.phone_number, body="not mine")
    assert_rest_error(hidden.value, 400, 21606)


def test_a_message_to_an_owned_number_reaches_its_sms_url(account, owner, make_subaccount, make_client, receiver, sandbox, numbers, release_all):
    sender = owned(account, "+16465550100")
    release_all.append(sender)
    sub = make_subaccount("inbound")
    tenant = make_client(sub.sid, sub.auth_token).api.v2010.accounts(sub.sid)
    target = tenant.incoming_phone_numbers.create(phone_number="+16465550101", sms_url=receiver.url("/sms"))
    try:
        message = account.messages.create(to=target.phone_number, from_=sender.phone_number, body="Ahoy ✓")
        assert final(account, message.sid).status == "delivered"
        webhook = receiver.wait_for(lambda: receiver.requests_for("/sms"), 15, "the SmsUrl request")[0]
        params = webhook.params()
        assert (params["From"], params["To"], params["Body"], params["AccountSid"]) == (sender.phone_number, target.phone_number, "Ahoy ✓", sub.sid)
        assert (params["NumSegments"], params["NumMedia"], params["SmsStatus"], params["ToCountry"]) == ("1", "0", "received", "US")
        assert twilio_signature_valid(webhook, sub.auth_token)
        received = tenant.messages.list(to=target.phone_number)
        assert [(m.direction, m.status, m.sid) for m in received] == [("inbound", "received", params["MessageSid"])]

        # A handset texting the number through the sandbox API arrives the same way.
        session, url = sandbox
        injected = session.post(url, data={"From": HANDSET, "To": target.phone_number, "Body": "from a phone"}, timeout=10)
        assert injected.status_code == 201, injected.text
        second = receiver.wait_for(lambda: receiver.requests_for("/sms")[1:], 15, "the second SmsUrl request")[0]
        assert (second.params()["From"], second.params()["Body"]) == (HANDSET, "from a phone")
    finally:
        tenant.incoming_phone_numbers(target.sid).delete()


def twiml(document: str) -> Reply:
    return Reply(headers={"Content-Type": "text/xml"}, body=document.encode())


def test_twiml_replies_redirects_and_the_fallback(account, receiver, sandbox, numbers, release_all):
    handset, team = "+15005550010", "+15005550011"
    receiver.always("/reply", twiml('<Response><Message>Got it &amp; thanks</Message><Redirect>/more</Redirect></Response>'))
    receiver.always("/more", twiml(f'<Response><Message to="{team}">Copy for the team</Message></Response>'))
    receiver.always("/broken", Reply(status=500))
    receiver.always("/fallback", twiml("<Response><Message>Fallback here</Message></Response>"))
    number = owned(account, "+16465550101", sms_url=receiver.url("/reply"))
    release_all.append(number)
    session, url = sandbox

    def inbox(to):
        return [m for m in session.get(url, params={"To": to}, timeout=10).json()["messages"] if m["from"] == number.phone_number]

    assert session.post(url, data={"From": handset, "To": number.phone_number, "Body": "hi"}, timeout=10).status_code == 201
    reply = wait_until(lambda: inbox(handset), 15, "the TwiML reply at the handset")
    copy = wait_until(lambda: inbox(team), 15, "the redirected TwiML's message")
    assert [m["body"] for m in reply] == ["Got it & thanks"] and [m["body"] for m in copy] == ["Copy for the team"]
    replies = [m for m in account.messages.list(from_=number.phone_number) if m.to in (handset, team)]
    assert sorted((m.direction, m.to) for m in replies) == [("outbound-reply", handset), ("outbound-reply", team)]

    account.incoming_phone_numbers(number.sid).update(sms_url=receiver.url("/broken"), sms_fallback_url=receiver.url("/fallback"))
    session.post(url, data={"From": handset, "To": number.phone_number, "Body": "again"}, timeout=10)
    wait_until(lambda: [m for m in inbox(handset) if m["body"] == "Fallback here"], 15, "the fallback's reply")
    assert len(receiver.requests_for("/broken")) == 1


def test_the_sandbox_is_the_operators(base_url, make_subaccount, numbers):
    sub = make_subaccount("sandbox")
    session = requests.Session()
    session.trust_env = False
    response = session.get(f"{base_url}/sandbox/v1/Messages", auth=(sub.sid, sub.auth_token), timeout=10)
    assert response.status_code == 403 and response.json()["code"] == 20403, response.text


def test_list_filters_and_message_schemas(client, account, numbers, release_all):
    number = owned(account, "+16465550103")
    release_all.append(number)
    first = account.messages.create(to=HANDSET, from_=number.phone_number, body="filter one")
    second = account.messages.create(to="+15005550007", from_=number.phone_number, body="filter two")
    final(account, first.sid)
    final(account, second.sid)
    today = datetime.now(timezone.utc).date()

    to_second = [m.sid for m in account.messages.list(to="+15005550007")]
    from_number = {m.sid for m in account.messages.list(from_=number.phone_number)}
    sent_today = {m.sid for m in account.messages.list(date_sent=today)}
    sent_before = {m.sid for m in account.messages.list(date_sent_before=today)}
    sent_after = {m.sid for m in account.messages.list(date_sent_after=today)}
    account.messages(first.sid).fetch()
    list(account.messages.stream(page_size=1, limit=2))
    account.messages(first.sid).delete()

    assert second.sid in to_second and first.sid not in to_second
    assert {first.sid, second.sid} <= from_number
    assert {first.sid, second.sid} <= sent_today & sent_before & sent_after
    with pytest.raises(TwilioRestException) as gone:
        account.messages(first.sid).fetch()
    assert_rest_error(gone.value, 404, 20404)
    seen = validate_exchanges(client, API_MOUNT, successes_only=True)
    assert {"CreateMessage", "ListMessage", "FetchMessage", "DeleteMessage"} <= seen
