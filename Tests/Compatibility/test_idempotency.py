"""`Idempotency-Key` on POST /Accounts.json: a retry replays the first result; a reused key with new params is 422."""

import uuid
from concurrent.futures import ThreadPoolExecutor

from helpers import assert_error_response, unique_name

ACCOUNTS = "/2010-04-01/Accounts.json"


def _accounts_named(raw_api, name):
    response = raw_api.request("GET", ACCOUNTS, params={"FriendlyName": name})
    assert response.status_code == 200, response.text[:500]
    return [account["sid"] for account in response.json()["accounts"]]


def _create(raw_api, key, name):
    return raw_api.request(
        "POST", ACCOUNTS, data={"FriendlyName": name}, headers={"Idempotency-Key": key}
    )


def test_retry_with_same_key_and_params_replays_the_first_create(raw_api):
    key, name = f"k1-{uuid.uuid4().hex}", unique_name("idem")

    first = _create(raw_api, key, name)
    retry = _create(raw_api, key, name)

    assert first.status_code == 201, first.text[:500]
    assert retry.status_code == first.status_code, retry.text[:500]
    assert retry.json()["sid"] == first.json()["sid"]
    assert _accounts_named(raw_api, name) == [first.json()["sid"]]


def test_same_key_with_different_params_is_422(raw_api):
    key, name, other_name = f"k1-{uuid.uuid4().hex}", unique_name("idem"), unique_name("idem-other")

    first = _create(raw_api, key, name)
    conflict = _create(raw_api, key, other_name)

    assert first.status_code == 201, first.text[:500]
    assert_error_response(conflict, 422, 20422)
    assert _accounts_named(raw_api, name) == [first.json()["sid"]]
    assert _accounts_named(raw_api, other_name) == []


def test_different_keys_create_different_accounts(raw_api):
    name = unique_name("idem-twice")

    first = _create(raw_api, f"k1-{uuid.uuid4().hex}", name)
    second = _create(raw_api, f"k2-{uuid.uuid4().hex}", name)

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["sid"] != second.json()["sid"]
    assert sorted(_accounts_named(raw_api, name)) == sorted([first.json()["sid"], second.json()["sid"]])


def test_concurrent_duplicates_create_once_and_the_rest_get_409_or_the_replay(raw_api):
    key, name = f"race-{uuid.uuid4().hex}", unique_name("idem-race")
    with ThreadPoolExecutor(max_workers=12) as pool:
        responses = list(pool.map(lambda _: _create(raw_api, key, name), range(12)))

    created = [r for r in responses if r.status_code == 201]
    in_flight = [r for r in responses if r.status_code == 409]
    assert len(created) + len(in_flight) == len(responses), [r.status_code for r in responses]
    assert len({r.json()["sid"] for r in created}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") != "true" for r in created) == 1
    for response in in_flight:
        assert_error_response(response, 409, 20409)
    assert _accounts_named(raw_api, name) == [created[0].json()["sid"]]
