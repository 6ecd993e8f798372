"""SMS over a real SMPP 3.4 carrier connection: a test SMSC (smsc.py, built on smpplib) binds Parley's ESME
(`parley serve --smpp`), takes its submit_sm, returns delivery receipts and sends mobile-originated messages."""

import socket
import subprocess
import time
from collections import Counter

import pytest
from twilio.rest import Client

from local_http_client import LocalHttpClient
from parley_server import ALLOW_LOOPBACK_EGRESS, remove_work_dir, running_server, start_server, stop_server
from smsc import SMSC
from webhook_receiver import twilio_signature_valid, wait_until

HANDSET = "+15005550006"
INVENTORY = """phone_number,iso_country,type,capabilities,connection,sms_rate
+17185550100,US,local,sms,carrier-a,100
+17185550101,US,local,sms,carrier-a,100
"""
GSM_400 = ("Parley speaks SMPP: " * 20)[:400]


@pytest.fixture(scope="module")
def smsc():
    with SMSC(system_id="parley", password="secret") as running:
        yield running


@pytest.fixture(scope="module")
def server(parley_binary, smsc, tmp_path_factory):
    connection = f"name=carrier-a,host=127.0.0.1,port={smsc.port},system-id=parley,password=secret"
    with running_server(parley_binary, extra_args=(*ALLOW_LOOPBACK_EGRESS, "--smpp", connection)) as running:
        path = tmp_path_factory.mktemp("smpp") / "numbers.csv"
        path.write_text(INVENTORY)
        imported = subprocess.run(
            [str(parley_binary), "numbers", "import", str(path), "--data-dir", str(running.work_dir / "data")],
            capture_output=True, text=True, timeout=120)
        assert imported.returncode == 0, imported.stderr
        smsc.wait_for(lambda: smsc.bound, 30, "Parley's bind")
        yield running


@pytest.fixture(scope="module")
def account(server):
    client = Client(server.account_sid, server.auth_token, http_client=LocalHttpClient(server.base_url))
    return client.api.v2010.accounts(server.account_sid)


@pytest.fixture(scope="module")
def number(account):
    return account.incoming_phone_numbers.create(phone_number="+17185550100")


def final(account, sid, timeout=30):
    return wait_until(
        lambda: (m := account.messages(sid).fetch()).status in {"delivered", "undelivered", "failed"} and m,
        timeout, f"message {sid} to reach a final status")


def submissions_to(smsc, destination):
    return [s for s in smsc.submissions if s.destination_addr == destination.lstrip("+")]


def test_a_400_character_gsm_text_goes_as_three_parts_with_udh(account, number, smsc):
    handset = "+15005550101"
    message = account.messages.create(to=handset, from_=number.phone_number, body=GSM_400)

    assert message.num_segments == "3"
    assert final(account, message.sid).status == "delivered"
    parts = submissions_to(smsc, handset)
    assert len(parts) == 3
    assert {(p.esm_class & 0x40, p.data_coding, p.registered_delivery) for p in parts} == {(0x40, 0, 1)}
    headers = [bytes(p.short_message[:6]) for p in parts]
    assert [h[:3] for h in headers] == [b"\x05\x00\x03"] * 3
    assert len({h[3] for h in headers}) == 1 and [h[4] for h in headers] == [3, 3, 3] and sorted(h[5] for h in headers) == [1, 2, 3]
    assert [len(p.short_message) - 6 for p in sorted(parts, key=lambda p: p.short_message[5])] == [153, 153, 94]
    assert [t for t in smsc.texts() if t[1] == handset.lstrip("+")][-1][2] == GSM_400


def test_a_ucs2_emoji_text(account, number, smsc):
    handset = "+15005550102"
    body = "Olá 👋 — Parley ✓"
    message = account.messages.create(to=handset, from_=number.phone_number, body=body)

    assert message.num_segments == "1"
    assert final(account, message.sid).status == "delivered"
    [part] = submissions_to(smsc, handset)
    assert (part.data_coding, part.esm_class & 0x40) == (8, 0)
    assert bytes(part.short_message).decode("utf-16-be") == body


def test_a_throttling_smsc_delays_but_loses_nothing(account, number, smsc):
    handset = "+15005550103"
    smsc.throttle(4)
    sent = [account.messages.create(to=handset, from_=number.phone_number, body=f"throttled {i}") for i in range(3)]

    assert all(final(account, m.sid).status == "delivered" for m in sent)
    assert smsc.throttled >= 4
    assert sorted(t[2] for t in smsc.texts() if t[1] == handset.lstrip("+")) == sorted(f"throttled {i}" for i in range(3))


def test_a_dropped_connection_with_50_queued_delivers_all_50(account, number, smsc):
    handset = "+15005550104"
    binds = smsc.binds
    smsc.drop_after(5)
    bodies = [f"queued {i:02d}" for i in range(50)]
    sent = [account.messages.create(to=handset, from_=number.phone_number, body=body) for body in bodies]

    done = [final(account, m.sid, timeout=60) for m in sent]
    assert [m.status for m in done] == ["delivered"] * 50
    assert smsc.binds > binds, "the SMSC never dropped the connection"
    received = Counter(t[2] for t in smsc.texts() if t[1] == handset.lstrip("+"))
    assert set(received) == set(bodies)
    # A message may arrive twice only if the SMSC never acknowledged its first copy.
    unacknowledged = {bytes(s.short_message).decode("latin-1") for s in smsc.unacknowledged}
    assert all(count == 1 or body in unacknowledged for body, count in received.items()), received


def test_a_mobile_originated_message_reaches_the_sms_url(account, server, smsc, receiver):
    target = account.incoming_phone_numbers.create(phone_number="+17185550101", sms_url=receiver.url("/mo"))
    try:
        text = "Long reply from a phone: " + "ok " * 60
        smsc.send_mo("15005550199", target.phone_number.lstrip("+"), text)
        webhook = receiver.wait_for(lambda: receiver.requests_for("/mo"), 30, "the SmsUrl request")[0]
        params = webhook.params()
        assert (params["From"], params["To"], params["Body"]) == ("+15005550199", target.phone_number, text)
        assert params["NumSegments"] == "2"
        assert twilio_signature_valid(webhook, server.auth_token)
    finally:
        account.incoming_phone_numbers(target.sid).delete()


def test_messages_waiting_for_an_unreachable_smsc_survive_a_restart(parley_binary, smsc, tmp_path):
    """The SMSC cannot be reached: the message waits in `sending`; a SIGTERM stops the gateway promptly and cleanly
    (the message goes back to the queue), and the restarted gateway, now with a reachable SMSC, delivers it."""
    closed_port = _free_port()
    unreachable = f"name=carrier-a,host=127.0.0.1,port={closed_port},system-id=parley,password=secret"
    server = start_server(parley_binary, extra_args=(*ALLOW_LOOPBACK_EGRESS, "--smpp", unreachable))
    try:
        path = tmp_path / "numbers.csv"
        path.write_text(INVENTORY)
        imported = subprocess.run(
            [str(parley_binary), "numbers", "import", str(path), "--data-dir", str(server.work_dir / "data")],
            capture_output=True, text=True, timeout=120)
        assert imported.returncode == 0, imported.stderr
        client = Client(server.account_sid, server.auth_token, http_client=LocalHttpClient(server.base_url))
        account = client.api.v2010.accounts(server.account_sid)
        number = account.incoming_phone_numbers.create(phone_number="+17185550100")
        message = account.messages.create(to="+15005550105", from_=number.phone_number, body="after the restart")
        wait_until(lambda: account.messages(message.sid).fetch().status == "sending", 15, "the message to be claimed")

        started = time.monotonic()
        assert stop_server(server) == 0, server.log_tail()
        assert time.monotonic() - started < 20

        reachable = f"name=carrier-a,host=127.0.0.1,port={smsc.port},system-id=parley,password=secret"
        server = start_server(parley_binary, restart_of=server, extra_args=(*ALLOW_LOOPBACK_EGRESS, "--smpp", reachable))
        client = Client(server.account_sid, server.auth_token, http_client=LocalHttpClient(server.base_url))
        account = client.api.v2010.accounts(server.account_sid)
        assert final(account, message.sid).status == "delivered"
        assert [t[2] for t in smsc.texts() if t[1] == "15005550105"] == ["after the restart"]
    finally:
        stop_server(server)
        remove_work_dir(server)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
