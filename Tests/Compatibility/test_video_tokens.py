"""Access tokens minted by the official SDK's AccessToken/VideoGrant: accepted as Twilio accepts them, and every
bad token refused with a Twilio-style error, through `POST /media/v1/Tickets`."""

import time

import pytest
from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import ChatGrant, VideoGrant

from helpers import unique_name
from signaling_client import join, request_ticket, video_token


@pytest.fixture(scope="module")
def key(make_client, owner):
    return make_client(owner.sid, owner.token).new_keys.create(friendly_name="tokens")


def refused(base_url, token, room, status, code):
    response = request_ticket(base_url, token, room)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and body["status"] == status and body["more_info"].endswith(str(code)), body
    return body


def test_sdk_token_joins_its_room(base_url, owner, key):
    room = unique_name("granted")
    connection = join(base_url, video_token(owner.sid, key.sid, key.secret, "alice", room=room), room)
    try:
        assert connection.joined["participant"]["identity"] == "alice"
        assert connection.joined["room"]["name"] == room
    finally:
        connection.close()


def test_token_without_room_grant_joins_any_room(base_url, owner, key):
    token = video_token(owner.sid, key.sid, key.secret, "bob")
    for _ in range(2):
        connection = join(base_url, token, unique_name("any"))
        connection.close()


def test_room_named_only_by_the_grant(base_url, owner, key):
    room = unique_name("grant-only")
    connection = join(base_url, video_token(owner.sid, key.sid, key.secret, "carol", room=room))
    try:
        assert connection.joined["room"]["name"] == room
    finally:
        connection.close()


def test_token_for_another_room(base_url, owner, key):
    token = video_token(owner.sid, key.sid, key.secret, "dave", room=unique_name("mine"))
    refused(base_url, token, unique_name("theirs"), 403, 53103)


def test_expired_token(base_url, owner, key):
    token = AccessToken(owner.sid, key.sid, key.secret, identity="erin", valid_until=int(time.time()) - 60)
    token.add_grant(VideoGrant())
    refused(base_url, token.to_jwt(), unique_name("late"), 401, 20104)


def test_not_yet_valid_token(base_url, owner, key):
    token = AccessToken(owner.sid, key.sid, key.secret, identity="frank", nbf=int(time.time()) + 600)
    token.add_grant(VideoGrant())
    refused(base_url, token.to_jwt(), unique_name("early"), 401, 20105)


def test_wrong_signature(base_url, owner, key):
    token = video_token(owner.sid, key.sid, "x" * 32, "grace")
    refused(base_url, token, unique_name("forged"), 401, 20107)
    good = video_token(owner.sid, key.sid, key.secret, "grace")
    header, payload, signature = good.split(".")
    tampered = f"{header}.{payload}.{signature[:-4]}AAAA"
    refused(base_url, tampered, unique_name("tampered"), 401, 20107)


def test_malformed_token(base_url):
    refused(base_url, "not-a-token", unique_name("junk"), 401, 20101)


def test_revoked_key(base_url, owner, make_client):
    client = make_client(owner.sid, owner.token)
    doomed = client.new_keys.create(friendly_name="doomed")
    token = video_token(owner.sid, doomed.sid, doomed.secret, "heidi")
    assert request_ticket(base_url, token, unique_name("before")).status_code == 201
    client.keys(doomed.sid).delete()
    refused(base_url, token, unique_name("after"), 401, 20103)


def test_suspended_account(base_url, owner, make_client):
    client = make_client(owner.sid, owner.token)
    sub = client.api.v2010.accounts.create(friendly_name=unique_name("suspended"))
    sub_key = make_client(sub.sid, sub.auth_token).new_keys.create(friendly_name="k")
    token = video_token(sub.sid, sub_key.sid, sub_key.secret, "ivan")
    assert request_ticket(base_url, token, unique_name("active")).status_code == 201
    client.api.v2010.accounts(sub.sid).update(status="suspended")
    refused(base_url, token, unique_name("suspended"), 401, 20005)


def test_key_of_another_account(base_url, owner, key, make_client):
    sub = make_client(owner.sid, owner.token).api.v2010.accounts.create(friendly_name=unique_name("other"))
    token = video_token(sub.sid, key.sid, key.secret, "judy")
    refused(base_url, token, unique_name("cross"), 401, 20103)


def test_grants_without_identity_or_video(base_url, owner, key):
    refused(base_url, video_token(owner.sid, key.sid, key.secret, None), unique_name("anonymous"), 401, 20106)
    chat_only = AccessToken(owner.sid, key.sid, key.secret, identity="kim")
    chat_only.add_grant(ChatGrant(service_sid="IS" + "0" * 32))
    refused(base_url, chat_only.to_jwt(), unique_name("chat"), 401, 20106)
