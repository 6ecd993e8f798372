"""Accounts through twilio-python: the owner account, subaccounts, filters, suspension and tenant isolation."""

import pytest
from twilio.base.exceptions import TwilioRestException

from helpers import ACCOUNT_SID, assert_recent, assert_rest_error, unique_name

# Account.subresource_uris keys Twilio returns (wire-surfaces §3.1), relative to the account.
SUBRESOURCE_PATHS = {
    "available_phone_numbers": "AvailablePhoneNumbers.json",
    "calls": "Calls.json",
    "conferences": "Conferences.json",
    "incoming_phone_numbers": "IncomingPhoneNumbers.json",
    "notifications": "Notifications.json",
    "outgoing_caller_ids": "OutgoingCallerIds.json",
    "recordings": "Recordings.json",
    "transcriptions": "Transcriptions.json",
    "addresses": "Addresses.json",
    "signing_keys": "SigningKeys.json",
    "connect_apps": "ConnectApps.json",
    "sip": "SIP.json",
    "authorized_connect_apps": "AuthorizedConnectApps.json",
    "usage": "Usage.json",
    "keys": "Keys.json",
    "applications": "Applications.json",
    "short_codes": "SMS/ShortCodes.json",
    "queues": "Queues.json",
    "messages": "Messages.json",
    "balance": "Balance.json",
}


def test_owner_fetch_describes_the_main_account(client, owner):
    account = client.api.v2010.accounts(owner.sid).fetch()

    assert account.sid == owner.sid
    assert account.owner_account_sid == owner.sid
    assert account.status == "active"
    assert account.type in ("Trial", "Full")
    assert account.auth_token in (owner.token, None)
    assert account.uri == f"/2010-04-01/Accounts/{owner.sid}.json"
    assert account.subresource_uris == {
        name: f"/2010-04-01/Accounts/{owner.sid}/{path}" for name, path in SUBRESOURCE_PATHS.items()
    }
    assert_recent(account.date_created)
    assert_recent(account.date_updated)
    assert account.date_updated >= account.date_created


def test_create_subaccount_returns_201_with_parent_and_working_token(client, owner, make_client):
    name = unique_name("create")

    response = client.api.v2010.accounts.create_with_http_info(friendly_name=name)

    assert response.status_code == 201
    sub = response.data
    assert ACCOUNT_SID.fullmatch(sub.sid), sub.sid
    assert sub.sid != owner.sid
    assert sub.owner_account_sid == owner.sid
    assert sub.friendly_name == name
    assert sub.status == "active"
    assert sub.uri == f"/2010-04-01/Accounts/{sub.sid}.json"
    assert_recent(sub.date_created)
    assert isinstance(sub.auth_token, str) and sub.auth_token
    assert make_client(sub.sid, sub.auth_token).api.v2010.accounts(sub.sid).fetch().sid == sub.sid


def test_list_returns_self_and_subaccounts(client, owner, make_subaccount):
    first, second = make_subaccount("list"), make_subaccount("list")

    sids = [account.sid for account in client.api.v2010.accounts.list()]

    assert owner.sid in sids
    assert {first.sid, second.sid} <= set(sids)
    assert len(sids) == len(set(sids))


def test_list_filters_by_friendly_name(client, make_subaccount):
    wanted = make_subaccount("filter")
    make_subaccount("filter")  # a differently named account the filter must drop

    found = client.api.v2010.accounts.list(friendly_name=wanted.friendly_name)

    assert [account.sid for account in found] == [wanted.sid]


def test_list_filters_by_status(client, owner, make_subaccount):
    active, suspended = make_subaccount("status"), make_subaccount("status")
    client.api.v2010.accounts(suspended.sid).update(status="suspended")

    suspended_list = client.api.v2010.accounts.list(status="suspended")
    active_list = client.api.v2010.accounts.list(status="active")

    assert suspended.sid in {a.sid for a in suspended_list}
    assert {a.status for a in suspended_list} == {"suspended"}
    assert {owner.sid, active.sid} <= {a.sid for a in active_list}
    assert suspended.sid not in {a.sid for a in active_list}
    assert {a.status for a in active_list} == {"active"}


def test_update_friendly_name(client, make_subaccount):
    sub = make_subaccount("rename")
    new_name = unique_name("renamed")

    updated = client.api.v2010.accounts(sub.sid).update(friendly_name=new_name)

    assert updated.sid == sub.sid
    assert updated.friendly_name == new_name
    assert updated.status == "active"
    assert client.api.v2010.accounts(sub.sid).fetch().friendly_name == new_name
    assert updated.date_updated >= sub.date_created


def test_suspended_subaccount_cannot_authenticate_until_reactivated(client, make_client, make_subaccount):
    sub = make_subaccount("suspend")
    sub_client = make_client(sub.sid, sub.auth_token)
    assert sub_client.api.v2010.accounts(sub.sid).fetch().status == "active"

    suspended = client.api.v2010.accounts(sub.sid).update(status="suspended")
    assert suspended.status == "suspended"
    with pytest.raises(TwilioRestException) as rejected:
        sub_client.api.v2010.accounts(sub.sid).fetch()
    assert_rest_error(rejected.value, 401, 20005)
    assert client.api.v2010.accounts(sub.sid).fetch().status == "suspended"

    reactivated = client.api.v2010.accounts(sub.sid).update(status="active")
    assert reactivated.status == "active"
    assert sub_client.api.v2010.accounts(sub.sid).fetch().status == "active"


def test_closed_subaccount_cannot_authenticate(client, make_client, make_subaccount):
    sub = make_subaccount("close")

    closed = client.api.v2010.accounts(sub.sid).update(status="closed")

    assert closed.status == "closed"
    with pytest.raises(TwilioRestException) as rejected:
        make_client(sub.sid, sub.auth_token).api.v2010.accounts(sub.sid).fetch()
    assert_rest_error(rejected.value, 401, 20005)
    assert client.api.v2010.accounts(sub.sid).fetch().status == "closed"


def test_subaccount_cannot_reach_parent_or_sibling(make_client, owner, make_subaccount):
    sub, sibling = make_subaccount("isolated"), make_subaccount("sibling")
    sub_client = make_client(sub.sid, sub.auth_token)

    for other_sid in (owner.sid, sibling.sid):
        with pytest.raises(TwilioRestException) as fetch_error:
            sub_client.api.v2010.accounts(other_sid).fetch()
        assert_rest_error(fetch_error.value, 404, 20404)
        with pytest.raises(TwilioRestException) as update_error:
            sub_client.api.v2010.accounts(other_sid).update(friendly_name=unique_name("hijack"))
        assert_rest_error(update_error.value, 404, 20404)

    assert [account.sid for account in sub_client.api.v2010.accounts.list()] == [sub.sid]


def test_invalid_status_is_rejected_and_changes_nothing(client, make_subaccount):
    sub = make_subaccount("bogus")

    with pytest.raises(TwilioRestException) as rejected:
        client.api.v2010.accounts(sub.sid).update(friendly_name=unique_name("changed"), status="bogus")

    assert_rest_error(rejected.value, 400, 20001)
    after = client.api.v2010.accounts(sub.sid).fetch()
    assert after.friendly_name == sub.friendly_name
    assert after.status == "active"
