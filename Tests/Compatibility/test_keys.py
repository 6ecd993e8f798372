"""API keys through twilio-python: the secret is shown once, keys authenticate, and deletion revokes at once."""

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

from helpers import KEY_SID, assert_page_error, assert_recent, assert_rest_error, unique_name


@pytest.fixture
def owner_account(client, owner):
    return client.api.v2010.accounts(owner.sid)


def test_create_returns_201_and_the_secret(owner_account):
    name = unique_name("key")

    response = owner_account.new_keys.create_with_http_info(friendly_name=name)

    assert response.status_code == 201
    key = response.data
    assert KEY_SID.fullmatch(key.sid), key.sid
    assert key.friendly_name == name
    assert isinstance(key.secret, str) and len(key.secret) >= 32
    assert_recent(key.date_created)
    assert_recent(key.date_updated)


def test_list_and_fetch_never_include_the_secret(client, owner_account):
    key = owner_account.new_keys.create(friendly_name=unique_name("hidden"))

    listed = [k.sid for k in owner_account.keys.list()]
    list_records = [
        record
        for exchange in client.http_client.exchanges
        if exchange.method == "GET" and "/Keys.json" in exchange.url
        for record in exchange.body["keys"]
    ]
    fetched = owner_account.keys(key.sid).fetch()
    fetch_body = client.http_client.last().body

    assert key.sid in listed
    assert key.sid in {record["sid"] for record in list_records}
    assert all("secret" not in record for record in list_records), list_records
    assert fetched.sid == key.sid and fetched.friendly_name == key.friendly_name
    assert "secret" not in fetch_body, fetch_body


def test_update_friendly_name(owner_account):
    key = owner_account.new_keys.create(friendly_name=unique_name("before"))
    new_name = unique_name("after")

    updated = owner_account.keys(key.sid).update(friendly_name=new_name)

    assert (updated.sid, updated.friendly_name) == (key.sid, new_name)
    assert owner_account.keys(key.sid).fetch().friendly_name == new_name


def test_key_authenticates_for_its_account(owner_account, owner, make_client):
    key = owner_account.new_keys.create(friendly_name=unique_name("auth"))
    key_client = make_client(key.sid, key.secret, account_sid=owner.sid)

    assert key_client.api.v2010.accounts(owner.sid).fetch().sid == owner.sid
    assert key.sid in {k.sid for k in key_client.api.v2010.accounts(owner.sid).keys.list()}


def test_delete_returns_204_and_revokes_immediately(owner_account, owner, make_client):
    key = owner_account.new_keys.create(friendly_name=unique_name("doomed"))
    key_client = make_client(key.sid, key.secret, account_sid=owner.sid)
    assert key_client.api.v2010.accounts(owner.sid).fetch().sid == owner.sid

    response = owner_account.keys(key.sid).delete_with_http_info()

    assert response.status_code == 204
    with pytest.raises(TwilioRestException) as rejected:
        key_client.api.v2010.accounts(owner.sid).fetch()
    assert_rest_error(rejected.value, 401, 20003)
    with pytest.raises(TwilioRestException) as gone:
        owner_account.keys(key.sid).fetch()
    assert_rest_error(gone.value, 404, 20404)
    assert key.sid not in {k.sid for k in owner_account.keys.list()}


def test_subaccount_cannot_see_parent_keys(owner_account, owner, make_client, make_subaccount):
    key = owner_account.new_keys.create(friendly_name=unique_name("parent"))
    sub = make_subaccount("keyless")
    sub_api = make_client(sub.sid, sub.auth_token).api.v2010

    with pytest.raises(TwilioException) as list_error:
        sub_api.accounts(owner.sid).keys.list()
    assert_page_error(list_error.value, 404, 20404)
    with pytest.raises(TwilioRestException) as fetch_error:
        sub_api.accounts(owner.sid).keys(key.sid).fetch()
    assert_rest_error(fetch_error.value, 404, 20404)
    with pytest.raises(TwilioRestException) as foreign_path_error:
        sub_api.accounts(sub.sid).keys(key.sid).fetch()
    assert_rest_error(foreign_path_error.value, 404, 20404)
    assert key.sid not in {k.sid for k in sub_api.accounts(sub.sid).keys.list()}
