"""API 2010 paging: SDK streams see every record exactly once and the raw envelope matches Twilio's shape."""

from urllib.parse import parse_qs, urlsplit

import pytest

from helpers import unique_name

ITEMS = 5
PAGE_SIZE = 2
ENVELOPE_META = {"first_page_uri", "next_page_uri", "previous_page_uri", "uri", "page", "page_size", "start", "end"}


@pytest.fixture(scope="module")
def populated(make_client, owner, make_subaccount):
    """Five new subaccounts of the owner, plus a fresh subaccount holding exactly five keys."""
    subaccounts = [make_subaccount("paging") for _ in range(ITEMS)]
    key_holder = make_subaccount("key-holder")
    holder_api = make_client(owner.sid, owner.token).api.v2010.accounts(key_holder.sid)
    keys = [holder_api.new_keys.create(friendly_name=unique_name("paging")) for _ in range(ITEMS)]
    return {
        "account_sids": {a.sid for a in subaccounts},
        "key_holder_sid": key_holder.sid,
        "key_sids": {k.sid for k in keys},
    }


def _page_bodies(client, path_suffix):
    return [
        exchange.body
        for exchange in client.http_client.exchanges
        if exchange.method == "GET" and urlsplit(exchange.url).path.endswith(path_suffix)
    ]


def _assert_full_pages_until_last(bodies, records_key):
    assert len(bodies) >= 2, "expected the stream to need more than one page"
    sizes = [len(body[records_key]) for body in bodies]
    assert all(size == PAGE_SIZE for size in sizes[:-1]), sizes
    assert sizes[-1] <= PAGE_SIZE, sizes
    assert all(body["page_size"] == PAGE_SIZE for body in bodies)
    assert [body["page"] for body in bodies] == list(range(len(bodies)))
    assert bodies[-1]["next_page_uri"] is None


def test_accounts_stream_yields_each_account_once(client, owner, populated):
    streamed = [account.sid for account in client.api.v2010.accounts.stream(page_size=PAGE_SIZE)]

    assert len(streamed) == len(set(streamed)), streamed
    assert populated["account_sids"] | {owner.sid} <= set(streamed)
    _assert_full_pages_until_last(_page_bodies(client, "/Accounts.json"), "accounts")
    assert set(streamed) == {account.sid for account in client.api.v2010.accounts.list(page_size=50)}


def test_keys_stream_yields_each_key_once(client, populated):
    keys = client.api.v2010.accounts(populated["key_holder_sid"]).keys

    streamed = [key.sid for key in keys.stream(page_size=PAGE_SIZE)]

    assert sorted(streamed) == sorted(populated["key_sids"])
    _assert_full_pages_until_last(_page_bodies(client, "/Keys.json"), "keys")


def _get(raw_api, uri):
    response = raw_api.request("GET", uri)
    assert response.status_code == 200, (uri, response.status_code, response.text[:500])
    return response.json()


def _assert_envelope(page, records_key, path, index):
    assert set(page) == ENVELOPE_META | {records_key}, sorted(page)
    assert (page["page"], page["page_size"]) == (index, PAGE_SIZE)
    assert len(page[records_key]) == PAGE_SIZE
    assert (page["start"], page["end"]) == (index * PAGE_SIZE, index * PAGE_SIZE + PAGE_SIZE - 1)
    for name in ("first_page_uri", "uri", "next_page_uri"):
        assert urlsplit(page[name]).path == path, (name, page[name])
    first_query = parse_qs(urlsplit(page["first_page_uri"]).query)
    assert (first_query["PageSize"], first_query["Page"]) == ([str(PAGE_SIZE)], ["0"]), page["first_page_uri"]


@pytest.mark.parametrize("resource", ["accounts", "keys"])
def test_raw_envelope_and_previous_page(raw_api, populated, resource):
    path = {
        "accounts": "/2010-04-01/Accounts.json",
        "keys": f"/2010-04-01/Accounts/{populated['key_holder_sid']}/Keys.json",
    }[resource]

    first = _get(raw_api, f"{path}?PageSize={PAGE_SIZE}")
    _assert_envelope(first, resource, path, 0)
    assert first["previous_page_uri"] is None

    second = _get(raw_api, first["next_page_uri"])
    _assert_envelope(second, resource, path, 1)
    assert urlsplit(second["previous_page_uri"]).path == path
    first_sids = [record["sid"] for record in first[resource]]
    assert not set(first_sids) & {record["sid"] for record in second[resource]}

    back = _get(raw_api, second["previous_page_uri"])
    assert [record["sid"] for record in back[resource]] == first_sids
    assert back["page"] == 0
