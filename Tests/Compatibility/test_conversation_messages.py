"""Conversations v1 messages through the official twilio SDK: per-conversation indexes, authors and their
participants, order and paging, limits, closed conversations, and SMS copies with their delivery receipts.

Every JSON body the SDK receives is validated strictly against Twilio's own OpenAPI schemas
(`twilio_conversations_v1.json`); every refusal has Twilio's error body."""

import json

import pytest
from twilio.base.exceptions import TwilioException

from conversations_helpers import (  # noqa: F401 - fixtures: proxies, sdk, new_conversation
    proxies, sdk, new_conversation,
    MESSAGE_SID, SMS_PROXY, UNKNOWN_MESSAGE, handset, handset_inbox, refused,
    validate_conversation_exchanges,
)
from helpers import assert_page_error
from webhook_receiver import wait_until


def test_messages_indexes_authors_and_order(sdk, owner, base_url, new_conversation):
    conversation = new_conversation()
    messages = sdk.conversations.v1.conversations(conversation.sid).messages
    alice = sdk.conversations.v1.conversations(conversation.sid).participants.create(identity="alice")
    first = messages.create(author="alice", body="hello", attributes='{"urgent": true}')
    assert sdk.http_client.last().status == 201
    assert MESSAGE_SID.fullmatch(first.sid)
    assert (first.index, first.author, first.body, first.attributes) == (0, "alice", "hello", '{"urgent": true}')
    assert (first.participant_sid, first.delivery, first.media) == (alice.sid, None, None)  # no SMS participants
    assert (first.conversation_sid, first.account_sid) == (conversation.sid, owner.sid)
    url = f"{base_url}/conversations/v1/Conversations/{conversation.sid}/Messages/{first.sid}"
    assert first.url == url and first.links["delivery_receipts"] == f"{url}/Receipts"
    system = messages.create(body="from the system")
    assert (system.index, system.author, system.participant_sid, system.attributes) == (1, "system", None, "{}")
    stranger = messages.create(author="bob", body="not a participant")
    assert (stranger.index, stranger.participant_sid) == (2, None)

    assert messages("1").fetch().sid == system.sid
    assert messages(stranger.sid).fetch().index == 2
    assert [m.index for m in messages.list()] == [0, 1, 2]
    assert [m.index for m in messages.list(order="asc")] == [0, 1, 2]
    assert [m.sid for m in messages.list(order="desc")] == [stranger.sid, system.sid, first.sid]

    # Indexes never go back, not even when the newest message is deleted.
    messages(stranger.sid).delete()
    assert sdk.http_client.last().status == 204
    refused(sdk, lambda: messages(stranger.sid).fetch(), 404, 20404)
    refused(sdk, lambda: messages("2").fetch(), 404, 20404)
    later = messages.create(body="later")
    assert later.index > 2
    assert [m.index for m in messages.list()] == [0, 1, later.index]

    edited = messages(first.sid).update(body="hello, edited", attributes='{"urgent": false}', author="alicia")
    assert sdk.http_client.last().status == 200
    assert (edited.sid, edited.index, edited.body, edited.attributes, edited.author) == (
        first.sid, 0, "hello, edited", '{"urgent": false}', "alicia")
    assert messages("0").fetch().body == "hello, edited"
    assert sdk.conversations.v1.conversations(new_conversation().sid).messages.create(body="elsewhere").index == 0

    refused(sdk, lambda: messages(UNKNOWN_MESSAGE).fetch(), 404, 20404)
    refused(sdk, lambda: messages("99").fetch(), 404, 20404)
    refused(sdk, lambda: messages(UNKNOWN_MESSAGE).delete(), 404, 20404)
    refused(sdk, lambda: messages(UNKNOWN_MESSAGE).update(body="x"), 404, 20404)
    seen = validate_conversation_exchanges(sdk)
    assert {"CreateConversationMessage", "FetchConversationMessage", "ListConversationMessage",
            "UpdateConversationMessage", "DeleteConversationMessage"} <= seen


def test_message_limits_and_closed_conversations(sdk, new_conversation):
    conversation = new_conversation()
    messages = sdk.conversations.v1.conversations(conversation.sid).messages
    largest = messages.create(body="x" * 32 * 1024)
    assert (largest.index, len(largest.body)) == (0, 32 * 1024)
    refused(sdk, lambda: messages.create(body="x" * (32 * 1024 + 1)), 400)
    refused(sdk, lambda: messages.create(body="hi", attributes="{broken"), 400)
    refused(sdk, lambda: messages.create(body="hi", attributes=json.dumps({"blob": "x" * 16 * 1024})), 400)
    refused(sdk, lambda: messages(largest.sid).update(body="y" * (32 * 1024 + 1)), 400)
    refused(sdk, lambda: messages(largest.sid).update(attributes="nope"), 400)
    assert [(m.index, m.body[:1], m.attributes) for m in messages.list()] == [(0, "x", "{}")]

    sdk.conversations.v1.conversations(conversation.sid).update(state="closed")
    refused(sdk, lambda: messages.create(body="too late"), 400)
    assert [m.index for m in messages.list()] == [0]
    validate_conversation_exchanges(sdk)


def test_message_pages_in_both_orders(sdk, base_url, new_conversation):
    conversation = new_conversation()
    messages = sdk.conversations.v1.conversations(conversation.sid).messages
    for n in range(5):
        messages.create(body=f"m{n}")
    assert [m.index for m in messages.stream(page_size=2)] == [0, 1, 2, 3, 4]
    assert [m.body for m in messages.stream(order="desc", page_size=2)] == ["m4", "m3", "m2", "m1", "m0"]
    bodies = [e.body for e in sdk.http_client.exchanges if e.method == "GET" and "Order=desc" in e.url]
    assert [len(body["messages"]) for body in bodies] == [2, 2, 1]
    assert all(body["meta"]["key"] == "messages" and body["meta"]["page_size"] == 2 for body in bodies)
    assert "Order=desc" in bodies[0]["meta"]["next_page_url"] and bodies[-1]["meta"]["next_page_url"] is None
    assert bodies[0]["meta"]["url"].startswith(f"{base_url}/conversations/v1/Conversations/{conversation.sid}/Messages?")
    validate_conversation_exchanges(sdk)


def test_sms_participants_get_copies_with_delivery_receipts(sdk, owner, base_url, proxies, new_conversation):
    address = handset()
    conversation = new_conversation()
    scoped = sdk.conversations.v1.conversations(conversation.sid)
    scoped.participants.create(identity="alice")
    sms = scoped.participants.create(messaging_binding_address=address, messaging_binding_proxy_address=SMS_PROXY)

    message = scoped.messages.create(author="alice", body="Your order shipped")
    assert message.delivery["total"] == 1
    statuses = ("sent", "delivered", "read", "failed", "undelivered")
    assert {message.delivery[status] for status in statuses} <= {"all", "some", "none"}, message.delivery
    done = wait_until(
        lambda: (m := scoped.messages(message.sid).fetch()).delivery["delivered"] == "all" and m, 15, "the delivery summary")
    assert (done.delivery["total"], done.delivery["failed"], done.delivery["undelivered"]) == (1, "none", "none")

    copies = [m for m in handset_inbox(base_url, owner, address) if m["body"] == "Your order shipped"]
    assert [m["from"] for m in copies] == [SMS_PROXY]
    receipts = scoped.messages(message.sid).delivery_receipts.list()
    assert [(r.status, r.participant_sid, r.message_sid, r.conversation_sid, r.channel_message_sid) for r in receipts] == [
        ("delivered", sms.sid, message.sid, conversation.sid, copies[0]["message_sid"])]
    assert receipts[0].sid.startswith("DY") and receipts[0].account_sid == owner.sid
    receipts_by_index = scoped.messages(str(message.index)).delivery_receipts.list()
    assert [r.sid for r in receipts_by_index] == [receipts[0].sid]
    with pytest.raises(TwilioException) as caught:
        scoped.messages(UNKNOWN_MESSAGE).delivery_receipts.list()
    assert_page_error(caught.value, 404, 20404)
    assert "ListConversationMessageReceipt" in validate_conversation_exchanges(sdk)
