"""Realtime chat over Parley's WebSocket protocol with SMS participants in the same conversation: a chat client
(access token minted by twilio-python) and a sandbox handset talk both ways, history shows both, and a client that
misses 50 messages gets exactly those 50, in order, when it resumes."""

import subprocess
import uuid

import pytest
import requests
from websockets.exceptions import ConnectionClosed

from chat_client import ChatClient, chat_token
from webhook_receiver import wait_until

HANDSET = "+15005550042"
PROXY = "+16465550300"
INVENTORY = "phone_number,iso_country,type,capabilities,connection,sms_rate\n+16465550300,US,local,sms,sandbox,1000\n"


@pytest.fixture(scope="module")
def proxy_number(parley_binary, parley, make_client, owner, tmp_path_factory):
    path = tmp_path_factory.mktemp("chat") / "numbers.csv"
    path.write_text(INVENTORY)
    result = subprocess.run([str(parley_binary), "numbers", "import", str(path), "--data-dir", str(parley.work_dir / "data")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    account = make_client(owner.sid, owner.token).api.v2010.accounts(owner.sid)
    number = account.incoming_phone_numbers.create(phone_number=PROXY)
    yield number.phone_number
    account.incoming_phone_numbers(number.sid).delete()


@pytest.fixture
def key(client, owner):
    key = client.new_keys.create(friendly_name="chat")
    yield key
    client.api.v2010.accounts(owner.sid).keys(key.sid).delete()


@pytest.fixture
def conversation(client):
    conversation = client.conversations.v1.conversations.create(friendly_name="support", unique_name=f"chat-{uuid.uuid4().hex[:8]}")
    yield conversation
    conversation.delete()


def handset_inbox(base_url, owner):
    session = requests.Session()
    session.trust_env = False
    reply = session.get(f"{base_url}/sandbox/v1/Messages", params={"To": HANDSET}, auth=(owner.sid, owner.token), timeout=10)
    return reply.json()["messages"]


def test_a_chat_client_and_an_sms_handset_talk_in_one_conversation(base_url, owner, client, key, conversation, proxy_number):
    conversation.participants.create(identity="alice")
    conversation.participants.create(messaging_binding_address=HANDSET, messaging_binding_proxy_address=proxy_number)
    alice = ChatClient(base_url, chat_token(owner.sid, key.sid, key.secret, "alice"))
    try:
        assert alice.ready["type"] == "ready" and alice.ready["identity"] == "alice"
        listed = alice.request({"type": "list"})["conversations"]
        assert [c["sid"] for c in listed] == [conversation.sid]
        assert alice.request({"type": "subscribe", "conversation": conversation.unique_name})["type"] == "subscribed"

        # Chat → SMS: the handset receives it from the proxy number.
        sent = alice.request({"type": "send", "conversation": conversation.sid, "body": "Hi from chat"})
        assert sent["type"] == "sent" and sent["message"]["author"] == "alice" and sent["message"]["index"] == 0
        wait_until(lambda: any(m["body"] == "Hi from chat" for m in handset_inbox(base_url, owner)), 15, "the SMS copy")
        copy = [m for m in handset_inbox(base_url, owner) if m["body"] == "Hi from chat"][-1]
        assert copy["from"] == proxy_number

        # SMS → chat: the handset's reply to the proxy number joins the conversation, not the number's SmsUrl.
        session = requests.Session()
        session.trust_env = False
        injected = session.post(f"{base_url}/sandbox/v1/Messages", auth=(owner.sid, owner.token),
                                data={"From": HANDSET, "To": proxy_number, "Body": "Hi from a phone"}, timeout=10)
        assert injected.status_code == 201, injected.text
        alice.wait_for(lambda events: len(alice.added(conversation.sid)) >= 2, 15, "the SMS in the chat")
        added = alice.added(conversation.sid)
        assert [(m["index"], m["author"], m["body"]) for m in added] == [(0, "alice", "Hi from chat"), (1, HANDSET, "Hi from a phone")]
        assert added[1]["participant_sid"] is not None

        history = conversation.messages.list()
        assert [(m.index, m.author, m.body) for m in history] == [(0, "alice", "Hi from chat"), (1, HANDSET, "Hi from a phone")]
        assert history[0].delivery["total"] == 1
        wait_until(lambda: conversation.messages(history[0].sid).fetch().delivery["delivered"] == "all", 15, "the delivery summary")
        receipts = conversation.messages(history[0].sid).delivery_receipts.list()
        assert [(r.status, r.channel_message_sid) for r in receipts] == [("delivered", copy["message_sid"])]
    finally:
        alice.close()


def test_a_client_that_missed_50_messages_gets_exactly_those_in_order(base_url, owner, client, key, conversation):
    conversation.participants.create(identity="bob")
    token = chat_token(owner.sid, key.sid, key.secret, "bob")
    bob = ChatClient(base_url, token)
    bob.request({"type": "subscribe", "conversation": conversation.sid})
    conversation.messages.create(author="system", body="before")
    bob.wait_for(lambda events: len(bob.added(conversation.sid)) == 1, 10, "the first message")
    last_seen = bob.added(conversation.sid)[-1]["index"]
    bob.close()

    for n in range(50):
        conversation.messages.create(author="system", body=f"missed {n}")

    bob = ChatClient(base_url, token)
    try:
        bob.request({"type": "subscribe", "conversation": conversation.sid, "after": last_seen})
        conversation.messages.create(author="system", body="live")
        bob.wait_for(lambda events: len(bob.added(conversation.sid)) >= 51, 15, "the missed messages and a live one")
        bodies = [m["body"] for m in bob.added(conversation.sid)]
        assert bodies == [f"missed {n}" for n in range(50)] + ["live"]
        indexes = [m["index"] for m in bob.added(conversation.sid)]
        assert indexes == list(range(last_seen + 1, last_seen + 52))
    finally:
        bob.close()


def test_typing_read_horizon_and_membership(base_url, owner, client, key, conversation):
    conversation.participants.create(identity="carol")
    conversation.participants.create(identity="dave")
    carol = ChatClient(base_url, chat_token(owner.sid, key.sid, key.secret, "carol"))
    dave = ChatClient(base_url, chat_token(owner.sid, key.sid, key.secret, "dave"))
    eve = ChatClient(base_url, chat_token(owner.sid, key.sid, key.secret, "eve"))
    try:
        for c in (carol, dave):
            c.request({"type": "subscribe", "conversation": conversation.sid})
        carol.send({"type": "typing", "conversation": conversation.sid})
        dave.wait_for(lambda events: any(e["type"] == "typing" for e in events), 10, "typing")
        assert [e["identity"] for e in dave.events if e["type"] == "typing"] == ["carol"]

        dave.request({"type": "send", "conversation": conversation.sid, "body": "hello"})
        carol.send({"type": "read", "conversation": conversation.sid, "index": 0})
        dave.wait_for(lambda events: any(e["type"] == "participant_updated" for e in events), 10, "the read horizon")
        update = [e for e in dave.events if e["type"] == "participant_updated"][-1]["participant"]
        assert (update["identity"], update["last_read_message_index"]) == ("carol", 0)
        assert conversation.participants("carol").fetch().last_read_message_index == 0

        # Eve is no participant: she can neither read nor write here.
        refused = eve.request({"type": "subscribe", "conversation": conversation.sid})
        assert (refused["type"], refused["code"]) == ("error", 20404)
        refused = eve.request({"type": "send", "conversation": conversation.sid, "body": "intrusion"})
        assert (refused["type"], refused["code"]) == ("error", 20404)
        assert [m.body for m in conversation.messages.list()] == ["hello"]

        # Removing Dave tells both; Dave's subscription ends.
        conversation.participants("dave").delete()
        carol.wait_for(lambda events: any(e["type"] == "participant_left" for e in events), 10, "participant_left")
    finally:
        for c in (carol, dave, eve):
            c.close()


@pytest.mark.parametrize("case", ["forged", "revoked", "no chat grant", "expired"])
def test_bad_tokens_are_refused(base_url, owner, client, key, case):
    from twilio.jwt.access_token import AccessToken
    from twilio.jwt.access_token.grants import VideoGrant
    if case == "forged":
        token = chat_token(owner.sid, key.sid, "not-the-secret", "mallory")
    elif case == "revoked":
        doomed = client.new_keys.create(friendly_name="doomed")
        token = chat_token(owner.sid, doomed.sid, doomed.secret, "mallory")
        client.api.v2010.accounts(owner.sid).keys(doomed.sid).delete()
    elif case == "no chat grant":
        minted = AccessToken(owner.sid, key.sid, key.secret, identity="mallory")
        minted.add_grant(VideoGrant())
        token = minted.to_jwt()
    else:
        token = chat_token(owner.sid, key.sid, key.secret, "mallory", ttl=-10)
    chat = ChatClient(base_url, token, authenticate=False)
    try:
        chat.send({"type": "authenticate", "token": token, "id": "a"})
        answer = chat.receive(10)
        assert answer["type"] == "error" and 20101 <= answer["code"] <= 20107, answer
        with pytest.raises(ConnectionClosed):
            chat.socket.recv(timeout=10)
    finally:
        chat.close()
