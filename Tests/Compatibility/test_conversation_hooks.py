"""Conversations' hooks: the account's pre-action hook blocks, changes or (on timeout) lets an action through; post-action
hooks (the account's and a conversation's) arrive signed through the events engine; REST calls fire them only with
`X-Twilio-Webhook-Enabled: true`, chat clients always."""

import time

import pytest
from twilio.base.exceptions import TwilioRestException

from chat_client import ChatClient, chat_token
from webhook_receiver import Reply, twilio_signature_valid

ON = "true"


@pytest.fixture
def tenant(make_subaccount, make_client):
    """A fresh subaccount: its Configuration/Webhooks concern only this test."""
    sub = make_subaccount("hooks")
    return sub, make_client(sub.sid, sub.auth_token)


@pytest.fixture
def hooked(tenant, receiver):
    sub, client = tenant
    client.conversations.v1.configuration.webhooks().update(
        pre_webhook_url=receiver.url("/pre"), post_webhook_url=receiver.url("/post"), method="POST",
        filters=["onMessageAdd", "onMessageAdded", "onConversationAdd"])
    conversation = client.conversations.v1.conversations.create(friendly_name="hooked")
    return sub, client, conversation


def test_a_pre_hook_that_answers_4xx_blocks_the_message(hooked, receiver):
    sub, client, conversation = hooked
    receiver.always("/pre", Reply(status=403, body=b"no"))
    with pytest.raises(TwilioRestException) as refused:
        conversation.messages.create(author="mallory", body="spam", x_twilio_webhook_enabled=ON)
    assert refused.value.status == 403
    assert conversation.messages.list() == []
    params = receiver.requests_for("/pre")[-1].params()
    assert (params["EventType"], params["Body"], params["Author"], params["Source"]) == ("onMessageAdd", "spam", "mallory", "API")
    assert twilio_signature_valid(receiver.requests_for("/pre")[-1], sub.auth_token)


def test_a_pre_hook_json_answer_changes_the_message(hooked, receiver):
    _, client, conversation = hooked
    receiver.always("/pre", Reply(status=200, headers={"Content-Type": "application/json"}, body=b'{"body": "[redacted]", "author": "bot"}'))
    message = conversation.messages.create(author="alice", body="my card is 4111", x_twilio_webhook_enabled=ON)
    assert (message.body, message.author) == ("[redacted]", "bot")
    post = receiver.wait_for(lambda: receiver.requests_for("/post"), 15, "onMessageAdded")[-1].params()
    assert (post["EventType"], post["Body"], post["MessageSid"], post["Index"]) == ("onMessageAdded", "[redacted]", message.sid, "0")


def test_a_pre_hook_that_does_not_answer_in_5_s_lets_the_message_through(hooked, receiver):
    _, _, conversation = hooked
    receiver.always("/pre", Reply(status=403, delay_ms=7000))
    started = time.monotonic()
    message = conversation.messages.create(author="alice", body="patience", x_twilio_webhook_enabled=ON)
    elapsed = time.monotonic() - started
    print(f"published after {elapsed:.2f} s")
    assert message.body == "patience" and 4.9 <= elapsed < 6.5


def test_rest_calls_without_the_header_fire_no_hooks_and_chat_clients_always_do(hooked, receiver, base_url):
    sub, client, conversation = hooked
    receiver.always("/pre", Reply(status=200, body=b""))
    conversation.messages.create(author="system", body="quiet")
    assert receiver.requests_for("/pre") == []

    conversation.participants.create(identity="alice")
    key = client.new_keys.create(friendly_name="chat")
    alice = ChatClient(base_url, chat_token(sub.sid, key.sid, key.secret, "alice"))
    try:
        assert alice.request({"type": "send", "conversation": conversation.sid, "body": "loud"})["type"] == "sent"
    finally:
        alice.close()
    pre = receiver.requests_for("/pre")[-1].params()
    assert (pre["Source"], pre["ClientIdentity"], pre["Body"]) == ("SDK", "alice", "loud")
    post = receiver.wait_for(lambda: receiver.requests_for("/post"), 15, "onMessageAdded")[-1]
    assert post.params()["Body"] == "loud" and twilio_signature_valid(post, sub.auth_token)


def test_a_conversation_webhook_gets_its_filtered_events(hooked, receiver):
    sub, client, conversation = hooked
    receiver.always("/pre", Reply(status=200, body=b""))
    webhook = conversation.webhooks.create(
        target="webhook", configuration_url=receiver.url("/scoped"), configuration_method="POST",
        configuration_filters=["onParticipantAdded"])
    conversation.participants.create(identity="zed", x_twilio_webhook_enabled=ON)
    conversation.messages.create(author="zed", body="not for the scoped hook", x_twilio_webhook_enabled=ON)
    scoped = receiver.wait_for(lambda: receiver.requests_for("/scoped"), 15, "onParticipantAdded")
    time.sleep(1)
    events = [r.params()["EventType"] for r in receiver.requests_for("/scoped")]
    assert events == ["onParticipantAdded"]
    params = scoped[0].params()
    assert (params["Identity"], params["WebhookSid"], params["ConversationSid"]) == ("zed", webhook.sid, conversation.sid)
    assert twilio_signature_valid(scoped[0], sub.auth_token)
