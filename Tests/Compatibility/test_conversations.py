"""Conversations v1 through the official twilio SDK (`client.conversations.v1`): conversations (fields, timers,
unique names, states, paging, deletion with everything in them), chat and SMS participants, and tenancy.

Every JSON body the SDK receives is validated strictly against Twilio's own OpenAPI schemas
(`twilio_conversations_v1.json`); every refusal has Twilio's error body. Messages and delivery receipts are in
test_conversation_messages.py, webhooks in test_conversation_webhooks.py."""

import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from twilio.base.exceptions import TwilioException

from conversations_helpers import (  # noqa: F401 - fixtures: proxies, sdk, new_conversation
    proxies, sdk, new_conversation,
    CONVERSATION_SID, NOBODYS, PARTICIPANT_SID, SECOND_PROXY, SERVICE_SID, SMS_PROXY, UNKNOWN_CONVERSATION,
    UNKNOWN_PARTICIPANT, VOICE_ONLY, assert_about, handset, refused, sdk_client,
    validate_conversation_exchanges,
)
from helpers import assert_page_error, assert_recent, unique_name

MESSAGING_SERVICE = "MG" + "1" * 32


# --- Conversations ------------------------------------------------------------------------------------------------


def test_create_fetch_and_update_a_conversation(sdk, owner, base_url, new_conversation):
    conversations = sdk.conversations.v1.conversations
    name = unique_name("conv")
    started = datetime.now(timezone.utc)
    conversation = new_conversation(
        friendly_name="Support", unique_name=name, attributes='{"topic": "billing"}',
        messaging_service_sid=MESSAGING_SERVICE, timers_inactive="PT5M", timers_closed="P1D")
    assert sdk.http_client.last().status == 201
    assert CONVERSATION_SID.fullmatch(conversation.sid) and SERVICE_SID.fullmatch(conversation.chat_service_sid)
    assert (conversation.account_sid, conversation.friendly_name, conversation.unique_name) == (owner.sid, "Support", name)
    assert (conversation.attributes, conversation.state) == ('{"topic": "billing"}', "active")
    assert conversation.messaging_service_sid == MESSAGING_SERVICE
    assert_about(conversation.timers["date_inactive"], started + timedelta(minutes=5))
    assert_about(conversation.timers["date_closed"], started + timedelta(days=1))
    assert_recent(conversation.date_created)
    url = f"{base_url}/conversations/v1/Conversations/{conversation.sid}"
    assert conversation.url == url
    assert {key: conversation.links.get(key) for key in ("participants", "messages", "webhooks")} == {
        "participants": f"{url}/Participants", "messages": f"{url}/Messages", "webhooks": f"{url}/Webhooks"}

    plain = new_conversation()
    assert (plain.attributes, plain.state, plain.unique_name) == ("{}", "active", None)
    assert not (plain.timers or {}).get("date_inactive") and not (plain.timers or {}).get("date_closed")
    assert plain.chat_service_sid == conversation.chat_service_sid  # the account's one default service
    assert plain.sid != conversation.sid

    by_sid, by_name = conversations(conversation.sid).fetch(), conversations(name).fetch()
    assert by_sid.sid == by_name.sid == conversation.sid
    assert (by_name.attributes, by_name.timers) == (conversation.attributes, conversation.timers)

    updated = conversations(name).update(
        friendly_name="Billing", attributes='{"topic": "refund"}', state="inactive", timers_closed="P2D")
    assert sdk.http_client.last().status == 200
    assert (updated.sid, updated.friendly_name, updated.attributes, updated.state) == (
        conversation.sid, "Billing", '{"topic": "refund"}', "inactive")
    assert (updated.unique_name, updated.messaging_service_sid) == (name, MESSAGING_SERVICE)
    assert_about(updated.timers["date_closed"], datetime.now(timezone.utc) + timedelta(days=2))
    assert updated.date_updated >= conversation.date_created
    fetched = conversations(conversation.sid).fetch()
    assert (fetched.friendly_name, fetched.state, fetched.attributes) == ("Billing", "inactive", '{"topic": "refund"}')

    conversations(conversation.sid).update(unique_name=f"{name}-renamed")
    refused(sdk, lambda: conversations(name).fetch(), 404, 20404)
    assert conversations(f"{name}-renamed").fetch().sid == conversation.sid
    refused(sdk, lambda: conversations(UNKNOWN_CONVERSATION).fetch(), 404, 20404)
    refused(sdk, lambda: conversations(UNKNOWN_CONVERSATION).update(friendly_name="x"), 404, 20404)

    assert validate_conversation_exchanges(sdk) == {"CreateConversation", "FetchConversation", "UpdateConversation"}


BAD_FIELDS = [
    {"attributes": "{not json"},
    {"attributes": json.dumps({"blob": "x" * 16 * 1024})},  # over 16 KB
    {"state": "open"},
    {"timers_inactive": "5 minutes"},
    {"timers_inactive": "PT"},
    {"timers_closed": "P1X"},
]


def test_invalid_fields_are_400_and_change_nothing(tenant):
    conversations = tenant.conversations.v1.conversations
    for params in BAD_FIELDS:
        refused(tenant, lambda: conversations.create(unique_name=unique_name("bad"), **params), 400)
    assert conversations.list() == []

    largest = '{"b":"' + "x" * (16 * 1024 - 8) + '"}'  # exactly 16 KB
    kept = conversations.create(friendly_name="kept", attributes=largest)
    assert kept.attributes == largest
    for params in BAD_FIELDS:
        refused(tenant, lambda: conversations(kept.sid).update(friendly_name="changed", **params), 400)
    fetched = conversations(kept.sid).fetch()
    assert (fetched.friendly_name, fetched.attributes, fetched.state) == ("kept", largest, "active")
    validate_conversation_exchanges(tenant)


def test_unique_names_are_unique_per_account(sdk, tenant, new_conversation):
    conversations = sdk.conversations.v1.conversations
    name = unique_name("dup")
    first = new_conversation(unique_name=name)
    refused(sdk, lambda: conversations.create(unique_name=name), 409, 50353)
    other = new_conversation()
    refused(sdk, lambda: conversations(other.sid).update(unique_name=name), 409, 50353)
    assert conversations(other.sid).fetch().unique_name is None

    theirs = tenant.conversations.v1.conversations.create(unique_name=name)  # another account, another namespace
    assert theirs.sid != first.sid
    assert tenant.conversations.v1.conversations(name).fetch().sid == theirs.sid
    assert conversations(name).fetch().sid == first.sid

    conversations(first.sid).delete()
    again = new_conversation(unique_name=name)
    assert again.sid != first.sid and conversations(name).fetch().sid == again.sid
    validate_conversation_exchanges(sdk)


def test_list_is_oldest_first_with_state_filter_and_paging(tenant, base_url):
    conversations = tenant.conversations.v1.conversations
    created = [conversations.create(friendly_name=f"page {n}").sid for n in range(5)]
    conversations(created[1]).update(state="closed")
    conversations(created[3]).update(state="inactive")

    assert [c.sid for c in conversations.stream(page_size=2)] == created
    assert [c.sid for c in conversations.list(state="closed")] == [created[1]]
    assert [c.sid for c in conversations.list(state="inactive")] == [created[3]]
    assert [c.sid for c in conversations.stream(state="active", page_size=2)] == [created[0], created[2], created[4]]
    with pytest.raises(TwilioException) as caught:
        conversations.list(state="open")
    assert caught.value.args[1].status_code == 400

    bodies = [e.body for e in tenant.http_client.exchanges if e.method == "GET" and "PageSize=2" in e.url and "State=" not in e.url]
    assert [len(body["conversations"]) for body in bodies] == [2, 2, 1]
    metas = [body["meta"] for body in bodies]
    assert [meta["page"] for meta in metas] == [0, 1, 2]
    assert all(meta["page_size"] == 2 and meta["key"] == "conversations" for meta in metas)
    assert metas[0]["previous_page_url"] is None and metas[1]["previous_page_url"] is not None
    assert metas[2]["next_page_url"] is None
    assert metas[0]["first_page_url"].startswith(f"{base_url}/conversations/v1/Conversations?")
    assert metas[0]["next_page_url"].startswith(f"{base_url}/conversations/v1/Conversations?")
    query = parse_qs(urlsplit(metas[0]["next_page_url"]).query)
    assert (query["PageSize"], query["Page"]) == (["2"], ["1"])

    seen = validate_conversation_exchanges(tenant)
    assert {"CreateConversation", "UpdateConversation", "ListConversation"} <= seen


def test_delete_removes_everything_in_the_conversation(sdk, proxies, new_conversation):
    address = handset()
    doomed = new_conversation(unique_name=unique_name("doomed"))
    conversation = sdk.conversations.v1.conversations(doomed.sid)
    alice = conversation.participants.create(identity="alice")
    conversation.participants.create(messaging_binding_address=address, messaging_binding_proxy_address=SMS_PROXY)
    message = conversation.messages.create(author="alice", body="bye")
    hook = conversation.webhooks.create(target="webhook", configuration_url="http://127.0.0.1:9/hooks")

    conversation.delete()
    assert sdk.http_client.last().status == 204
    refused(sdk, lambda: conversation.fetch(), 404, 20404)
    refused(sdk, lambda: sdk.conversations.v1.conversations(doomed.unique_name).fetch(), 404, 20404)
    refused(sdk, lambda: conversation.participants(alice.sid).fetch(), 404, 20404)
    refused(sdk, lambda: conversation.messages(message.sid).fetch(), 404, 20404)
    refused(sdk, lambda: conversation.webhooks(hook.sid).fetch(), 404, 20404)
    refused(sdk, lambda: conversation.delete(), 404, 20404)
    # The SMS participant went too: its binding is free for another active conversation.
    successor = new_conversation()
    moved = sdk.conversations.v1.conversations(successor.sid).participants.create(
        messaging_binding_address=address, messaging_binding_proxy_address=SMS_PROXY)
    assert moved.messaging_binding["address"] == address
    assert "DeleteConversation" in validate_conversation_exchanges(sdk)


def test_other_accounts_get_404(sdk, tenant, new_conversation):
    name = unique_name("mine")
    mine = new_conversation(unique_name=name)
    conversation = sdk.conversations.v1.conversations(mine.sid)
    alice = conversation.participants.create(identity="alice")
    message = conversation.messages.create(body="private")
    theirs = tenant.conversations.v1.conversations
    for target in (mine.sid, name):
        refused(tenant, lambda: theirs(target).fetch(), 404, 20404)
        refused(tenant, lambda: theirs(target).update(friendly_name="taken"), 404, 20404)
        refused(tenant, lambda: theirs(target).delete(), 404, 20404)
        refused(tenant, lambda: theirs(target).participants.create(identity="mallory"), 404, 20404)
        refused(tenant, lambda: theirs(target).participants(alice.sid).fetch(), 404, 20404)
        refused(tenant, lambda: theirs(target).messages.create(body="intrusion"), 404, 20404)
        refused(tenant, lambda: theirs(target).messages(message.sid).delete(), 404, 20404)
        for listing in (theirs(target).messages, theirs(target).participants, theirs(target).webhooks):
            with pytest.raises(TwilioException) as caught:  # a list that is not 200 raises a bare TwilioException
                listing.list()
            assert_page_error(caught.value, 404, 20404)
    assert theirs.list() == []
    assert [m.body for m in conversation.messages.list()] == ["private"]
    assert [p.identity for p in conversation.participants.list()] == ["alice"]
    assert conversation.fetch().state == "active"


# --- Participants -------------------------------------------------------------------------------------------------


def test_chat_participants(sdk, owner, base_url, new_conversation):
    conversation, other = new_conversation(), new_conversation()
    participants = sdk.conversations.v1.conversations(conversation.sid).participants
    alice = participants.create(identity="alice", attributes='{"role": "agent"}')
    assert sdk.http_client.last().status == 201
    assert PARTICIPANT_SID.fullmatch(alice.sid)
    assert (alice.identity, alice.messaging_binding, alice.attributes) == ("alice", None, '{"role": "agent"}')
    assert (alice.conversation_sid, alice.account_sid, alice.last_read_message_index) == (conversation.sid, owner.sid, None)
    assert alice.url == f"{base_url}/conversations/v1/Conversations/{conversation.sid}/Participants/{alice.sid}"
    assert_recent(alice.date_created)
    bob = participants.create(identity="bob")
    assert (bob.identity, bob.attributes) == ("bob", "{}")

    assert participants(alice.sid).fetch().identity == "alice"
    assert participants("alice").fetch().sid == alice.sid
    refused(sdk, lambda: participants.create(identity="alice"), 409, 50433)
    elsewhere = sdk.conversations.v1.conversations(other.sid).participants.create(identity="alice")  # per conversation
    assert elsewhere.sid != alice.sid
    refused(sdk, lambda: participants(elsewhere.sid).fetch(), 404, 20404)  # another conversation's participant
    refused(sdk, lambda: participants(UNKNOWN_PARTICIPANT).fetch(), 404, 20404)
    refused(sdk, lambda: participants("nobody").fetch(), 404, 20404)

    updated = participants("alice").update(attributes='{"role": "lead"}', last_read_message_index=3)
    assert sdk.http_client.last().status == 200
    assert (updated.sid, updated.identity, updated.attributes, updated.last_read_message_index) == (
        alice.sid, "alice", '{"role": "lead"}', 3)
    assert participants(alice.sid).fetch().last_read_message_index == 3
    refused(sdk, lambda: participants(alice.sid).update(last_read_message_index=-1), 400)
    refused(sdk, lambda: participants(alice.sid).update(attributes="{oops"), 400)
    refused(sdk, lambda: participants.create(), 400)  # neither Identity nor MessagingBinding.Address
    refused(sdk, lambda: participants.create(identity="carol", attributes="[1,"), 400)
    assert participants(alice.sid).fetch().attributes == '{"role": "lead"}'

    renamed = participants(alice.sid).update(identity="alicia")
    assert (renamed.sid, renamed.identity) == (alice.sid, "alicia")
    assert participants("alicia").fetch().sid == alice.sid
    refused(sdk, lambda: participants("alice").fetch(), 404, 20404)
    refused(sdk, lambda: participants(bob.sid).update(identity="alicia"), 409)
    assert sorted(p.identity for p in participants.list()) == ["alicia", "bob"]

    participants(bob.sid).delete()
    assert sdk.http_client.last().status == 204
    refused(sdk, lambda: participants(bob.sid).fetch(), 404, 20404)
    refused(sdk, lambda: participants(bob.sid).delete(), 404, 20404)
    assert [p.sid for p in participants.list()] == [alice.sid]
    assert participants.create(identity="bob").sid != bob.sid  # the identity is free again

    seen = validate_conversation_exchanges(sdk)
    assert {"CreateConversationParticipant", "FetchConversationParticipant", "UpdateConversationParticipant",
            "ListConversationParticipant", "DeleteConversationParticipant"} <= seen


def test_sms_participants_and_their_bindings(sdk, base_url, proxies, new_conversation, make_subaccount):
    conversations = sdk.conversations.v1.conversations
    address = handset()
    first, second, third = new_conversation(), new_conversation(), new_conversation()
    sms = conversations(first.sid).participants.create(
        messaging_binding_address=address, messaging_binding_proxy_address=SMS_PROXY, attributes='{"channel": "sms"}')
    assert sdk.http_client.last().status == 201
    assert (sms.identity, sms.attributes) == (None, '{"channel": "sms"}')
    assert sms.messaging_binding == {"type": "sms", "address": address, "proxy_address": SMS_PROXY}
    assert conversations(first.sid).participants(sms.sid).fetch().messaging_binding == sms.messaging_binding

    participants = conversations(second.sid).participants
    for params in (
        {"messaging_binding_address": handset(), "messaging_binding_proxy_address": VOICE_ONLY},  # cannot send SMS
        {"messaging_binding_address": handset(), "messaging_binding_proxy_address": NOBODYS},  # owned by nobody
        {"messaging_binding_address": handset(), "messaging_binding_proxy_address": "+16465550499"},  # no such number
        {"messaging_binding_address": handset()},  # no proxy address
    ):
        refused(sdk, lambda: participants.create(**params), 400)
    assert participants.list() == []

    # One conversation that is not closed per (address, proxy address) pair.
    pair = {"messaging_binding_address": address, "messaging_binding_proxy_address": SMS_PROXY}
    refused(sdk, lambda: participants.create(**pair), 409, 50416)
    conversations(first.sid).update(state="inactive")
    refused(sdk, lambda: participants.create(**pair), 409, 50416)
    through_another = participants.create(messaging_binding_address=address, messaging_binding_proxy_address=SECOND_PROXY)
    assert through_another.messaging_binding["proxy_address"] == SECOND_PROXY
    conversations(first.sid).update(state="closed")
    moved = participants.create(**pair)
    assert moved.messaging_binding == {"type": "sms", "address": address, "proxy_address": SMS_PROXY}
    assert sorted(p.sid for p in participants.list()) == sorted([through_another.sid, moved.sid])
    refused(sdk, lambda: conversations(third.sid).participants.create(**pair), 409, 50416)
    validate_conversation_exchanges(sdk)

    # Another account cannot speak through the owner's number.
    sub = make_subaccount("conversations")
    tenant = sdk_client(base_url, sub.sid, sub.auth_token)
    theirs = tenant.conversations.v1.conversations.create()
    refused(tenant, lambda: tenant.conversations.v1.conversations(theirs.sid).participants.create(
        messaging_binding_address=handset(), messaging_binding_proxy_address=SMS_PROXY), 400)
    validate_conversation_exchanges(tenant)
