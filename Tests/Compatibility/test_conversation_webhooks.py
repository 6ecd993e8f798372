"""Conversations v1 webhooks through the official twilio SDK: a conversation's own webhooks
(`conversations(sid).webhooks`: webhook and studio targets, at most five, URLs through the egress guard) and the
account's settings (`configuration.webhooks()`), each account its own.

Every JSON body the SDK receives is validated strictly against Twilio's own OpenAPI schemas
(`twilio_conversations_v1.json`); every refusal has Twilio's error body."""

import pytest
from twilio.base import values
from twilio.base.exceptions import TwilioException

from conversations_helpers import (  # noqa: F401 - fixtures: sdk, new_conversation
    sdk, new_conversation,
    UNKNOWN_WEBHOOK, WEBHOOK_SID, refused, sdk_client, validate_conversation_exchanges,
)
from helpers import assert_page_error

HOOK = "http://127.0.0.1:9/conversation-events"  # never called: REST actions without X-Twilio-Webhook-Enabled
FLOW = "FW" + "a" * 32


def test_scoped_webhook_lifecycle(sdk, owner, base_url, new_conversation):
    conversation, other = new_conversation(), new_conversation()
    hooks = sdk.conversations.v1.conversations(conversation.sid).webhooks
    hook = hooks.create(
        target="webhook", configuration_url=HOOK, configuration_method="get",
        configuration_filters=["onMessageAdded", "onParticipantAdded"])
    assert sdk.http_client.last().status == 201
    assert WEBHOOK_SID.fullmatch(hook.sid)
    assert (hook.target, hook.conversation_sid, hook.account_sid) == ("webhook", conversation.sid, owner.sid)
    assert hook.url == f"{base_url}/conversations/v1/Conversations/{conversation.sid}/Webhooks/{hook.sid}"
    configuration = hook.configuration
    assert (configuration["url"], configuration["method"].upper(), configuration["filters"]) == (
        HOOK, "GET", ["onMessageAdded", "onParticipantAdded"])
    plain = hooks.create(target="webhook", configuration_url=f"{HOOK}/plain")
    assert (plain.configuration["url"], plain.configuration["method"].upper()) == (f"{HOOK}/plain", "POST")
    assert not plain.configuration.get("filters")
    studio = hooks.create(target="studio", configuration_flow_sid=FLOW)
    assert (studio.target, studio.configuration["flow_sid"]) == ("studio", FLOW)

    assert hooks(hook.sid).fetch().configuration == hook.configuration
    assert {h.sid for h in hooks.list()} == {hook.sid, plain.sid, studio.sid}
    theirs = sdk.conversations.v1.conversations(other.sid).webhooks
    assert theirs.list() == []
    refused(sdk, lambda: theirs(hook.sid).fetch(), 404, 20404)  # another conversation's webhook

    changed = hooks(hook.sid).update(
        configuration_url=f"{HOOK}/v2", configuration_method="POST", configuration_filters=["onMessageUpdated"])
    assert sdk.http_client.last().status == 200
    assert (changed.sid, changed.target) == (hook.sid, "webhook")
    assert (changed.configuration["url"], changed.configuration["method"].upper(), changed.configuration["filters"]) == (
        f"{HOOK}/v2", "POST", ["onMessageUpdated"])
    assert hooks(hook.sid).fetch().configuration == changed.configuration
    refused(sdk, lambda: hooks(hook.sid).update(configuration_method="PUT"), 400)
    refused(sdk, lambda: hooks(hook.sid).update(configuration_url="http://10.0.0.1/hook"), 400)
    assert hooks(hook.sid).fetch().configuration == changed.configuration

    hooks(plain.sid).delete()
    assert sdk.http_client.last().status == 204
    refused(sdk, lambda: hooks(plain.sid).fetch(), 404, 20404)
    refused(sdk, lambda: hooks(plain.sid).delete(), 404, 20404)
    refused(sdk, lambda: hooks(UNKNOWN_WEBHOOK).update(configuration_url=HOOK), 404, 20404)
    assert {h.sid for h in hooks.list()} == {hook.sid, studio.sid}

    assert validate_conversation_exchanges(sdk) == {
        "CreateConversation", "CreateConversationScopedWebhook", "FetchConversationScopedWebhook", "ListConversationScopedWebhook",
        "UpdateConversationScopedWebhook", "DeleteConversationScopedWebhook"}


BAD_WEBHOOKS = [
    {},  # no Target
    {"target": "carrier-pigeon", "configuration_url": HOOK},
    {"target": "webhook"},  # no Configuration.Url
    {"target": "webhook", "configuration_url": HOOK, "configuration_method": "PUT"},
    {"target": "webhook", "configuration_url": "not a url"},
    {"target": "webhook", "configuration_url": "ftp://127.0.0.1/hook"},
    {"target": "webhook", "configuration_url": "http://10.0.0.1/hook"},  # the egress guard: a private address
    {"target": "webhook", "configuration_url": "http://169.254.169.254/latest/meta-data"},
]


def test_invalid_webhooks_are_400_and_create_nothing(sdk, new_conversation):
    hooks = sdk.conversations.v1.conversations(new_conversation().sid).webhooks
    for params in BAD_WEBHOOKS:
        refused(sdk, lambda: hooks.create(**{"target": values.unset, **params}), 400)
    assert hooks.list() == []
    # The method is case-insensitive.
    assert hooks.create(target="webhook", configuration_url=HOOK, configuration_method="Get").configuration["method"].upper() == "GET"
    validate_conversation_exchanges(sdk)


def test_a_conversation_has_at_most_five_webhooks(sdk, new_conversation):
    conversation, other = new_conversation(), new_conversation()
    hooks = sdk.conversations.v1.conversations(conversation.sid).webhooks
    created = [hooks.create(target="webhook", configuration_url=f"{HOOK}/{n}") for n in range(5)]
    refused(sdk, lambda: hooks.create(target="webhook", configuration_url=f"{HOOK}/6"), 400)
    refused(sdk, lambda: hooks.create(target="studio", configuration_flow_sid=FLOW), 400)
    assert len(hooks.list()) == 5
    # The limit is per conversation.
    assert sdk.conversations.v1.conversations(other.sid).webhooks.create(target="webhook", configuration_url=HOOK).sid
    hooks(created[0].sid).delete()
    sixth = hooks.create(target="webhook", configuration_url=f"{HOOK}/6")
    assert {h.sid for h in hooks.list()} == {h.sid for h in created[1:]} | {sixth.sid}
    validate_conversation_exchanges(sdk)


def test_other_accounts_cannot_see_or_add_webhooks(sdk, tenant, new_conversation):
    conversation = new_conversation()
    hook = sdk.conversations.v1.conversations(conversation.sid).webhooks.create(target="webhook", configuration_url=HOOK)
    theirs = tenant.conversations.v1.conversations(conversation.sid).webhooks
    refused(tenant, lambda: theirs.create(target="webhook", configuration_url=HOOK), 404, 20404)
    refused(tenant, lambda: theirs(hook.sid).fetch(), 404, 20404)
    refused(tenant, lambda: theirs(hook.sid).update(configuration_url=f"{HOOK}/mine"), 404, 20404)
    refused(tenant, lambda: theirs(hook.sid).delete(), 404, 20404)
    with pytest.raises(TwilioException) as caught:
        theirs.list()
    assert_page_error(caught.value, 404, 20404)
    kept = sdk.conversations.v1.conversations(conversation.sid).webhooks(hook.sid).fetch()
    assert kept.configuration["url"] == HOOK


def test_account_webhook_settings(tenant, base_url, make_subaccount):
    settings = tenant.conversations.v1.configuration.webhooks()
    defaults = settings.fetch()
    assert (defaults.account_sid, defaults.method, defaults.filters, defaults.target) == (tenant.username, "POST", [], "webhook")
    assert (defaults.pre_webhook_url, defaults.post_webhook_url) == (None, None)
    assert defaults.url == f"{base_url}/conversations/v1/Configuration/Webhooks"

    filters = ["onMessageAdd", "onMessageAdded", "onConversationRemoved"]
    updated = settings.update(
        pre_webhook_url=f"{HOOK}/pre", post_webhook_url=f"{HOOK}/post", method="GET", filters=filters, target="webhook")
    assert tenant.http_client.last().status == 200
    expected = (tenant.username, "GET", filters, f"{HOOK}/pre", f"{HOOK}/post", "webhook")
    assert (updated.account_sid, updated.method, updated.filters, updated.pre_webhook_url, updated.post_webhook_url,
            updated.target) == expected
    fetched = settings.fetch()
    assert (fetched.account_sid, fetched.method, fetched.filters, fetched.pre_webhook_url, fetched.post_webhook_url,
            fetched.target) == expected

    # Only what a request names changes.
    again = settings.update(method="POST")
    assert (again.method, again.filters, again.pre_webhook_url, again.post_webhook_url) == (
        "POST", filters, f"{HOOK}/pre", f"{HOOK}/post")
    refused(tenant, lambda: settings.update(method="PUT"), 400)
    refused(tenant, lambda: settings.update(post_webhook_url="http://10.0.0.1/hook"), 400)
    refused(tenant, lambda: settings.update(pre_webhook_url="not a url"), 400)
    kept = settings.fetch()
    assert (kept.method, kept.pre_webhook_url, kept.post_webhook_url) == ("POST", f"{HOOK}/pre", f"{HOOK}/post")

    # Each account has its own settings.
    sub = make_subaccount("conversation-hooks")
    other = sdk_client(base_url, sub.sid, sub.auth_token)
    theirs = other.conversations.v1.configuration.webhooks().fetch()
    assert (theirs.account_sid, theirs.pre_webhook_url, theirs.post_webhook_url, theirs.filters) == (sub.sid, None, None, [])

    assert validate_conversation_exchanges(tenant) == {"FetchConfigurationWebhook", "UpdateConfigurationWebhook"}
    validate_conversation_exchanges(other)
