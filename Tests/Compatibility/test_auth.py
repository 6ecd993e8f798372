"""Authentication failures and transport errors come back as Twilio error JSON with the right status and code."""

import base64
import secrets

import pytest
from twilio.base.exceptions import TwilioRestException

from helpers import assert_error_response, assert_rest_error, unique_name

MAX_BODY_BYTES = 1024 * 1024


def test_wrong_auth_token_raises_401_20003(make_client, owner):
    wrong_token = secrets.token_hex(16)
    assert wrong_token != owner.token

    with pytest.raises(TwilioRestException) as rejected:
        make_client(owner.sid, wrong_token).api.v2010.accounts(owner.sid).fetch()

    assert_rest_error(rejected.value, 401, 20003)


def test_wrong_key_secret_raises_401_20003(client, make_client, owner):
    key = client.api.v2010.accounts(owner.sid).new_keys.create(friendly_name=unique_name("wrong"))
    wrong_secret = secrets.token_hex(16)
    assert wrong_secret != key.secret

    with pytest.raises(TwilioRestException) as rejected:
        make_client(key.sid, wrong_secret, account_sid=owner.sid).api.v2010.accounts(owner.sid).fetch()

    assert_rest_error(rejected.value, 401, 20003)


def test_missing_authorization_is_401_error_json(raw_api, owner):
    response = raw_api.request("GET", f"/2010-04-01/Accounts/{owner.sid}.json", auth=False)

    assert_error_response(response, 401, 20003)


@pytest.mark.parametrize(
    "header",
    [
        "Basic !!!notbase64",
        "Bearer x",
        "Basic " + base64.b64encode(b"no-colon-here").decode(),
        "Digest username=x",
    ],
)
def test_malformed_authorization_is_401(raw_api, owner, header):
    response = raw_api.request(
        "GET", f"/2010-04-01/Accounts/{owner.sid}.json", auth=False, headers={"Authorization": header}
    )

    assert_error_response(response, 401, 20003)


@pytest.mark.parametrize("path", ["/2010-04-01/NoSuchResource.json", "/2010-04-01/Accounts/{sid}/Nope.json"])
def test_unknown_route_is_404_error_json(raw_api, owner, path):
    response = raw_api.request("GET", path.format(sid=owner.sid))

    assert_error_response(response, 404, 20404)


@pytest.mark.parametrize(
    "method, path", [("DELETE", "/2010-04-01/Accounts.json"), ("PUT", "/2010-04-01/Accounts/{sid}.json")]
)
def test_unsupported_method_is_405_error_json(raw_api, owner, method, path):
    response = raw_api.request(method, path.format(sid=owner.sid))

    assert_error_response(response, 405, 20405)


def test_oversize_body_is_413_and_creates_nothing(raw_api, client):
    before = {account.sid for account in client.api.v2010.accounts.list()}
    body = {"FriendlyName": "x" * (MAX_BODY_BYTES + 1)}

    response = raw_api.request("POST", "/2010-04-01/Accounts.json", data=body)

    assert_error_response(response, 413, 20413)
    assert {account.sid for account in client.api.v2010.accounts.list()} == before


def test_non_numeric_page_size_is_400(raw_api):
    response = raw_api.request("GET", "/2010-04-01/Accounts.json", params={"PageSize": "abc"})

    assert_error_response(response, 400, 20001)
