"""The JSON the SDK received from Parley validates against Twilio's OpenAPI response schemas (strictly).

Every listed property must be present (null allowed where the spec says nullable), RFC 2822 dates must have
Twilio's exact shape, list envelopes may carry no extra top-level keys, and each request must be a documented
operation answered with a documented status."""

from helpers import unique_name
from oai_schema import validate_exchanges

API_MOUNT = "/api"


def test_account_responses_match_spec(client, owner):
    client.api.v2010.accounts(owner.sid).fetch()
    sub = client.api.v2010.accounts.create(friendly_name=unique_name("schema"))
    client.api.v2010.accounts(sub.sid).update(friendly_name=unique_name("schema-renamed"))
    list(client.api.v2010.accounts.stream(page_size=2))

    seen = validate_exchanges(client, API_MOUNT)

    assert seen == {"FetchAccount", "CreateAccount", "UpdateAccount", "ListAccount"}


def test_key_responses_match_spec(client, owner):
    account = client.api.v2010.accounts(owner.sid)
    key = account.new_keys.create(friendly_name=unique_name("schema"))
    account.new_keys.create(friendly_name=unique_name("schema"))
    account.keys(key.sid).fetch()
    account.keys(key.sid).update(friendly_name=unique_name("schema-renamed"))
    list(account.keys.stream(page_size=1))
    account.keys(key.sid).delete()

    seen = validate_exchanges(client, API_MOUNT)

    assert seen == {"CreateNewKey", "FetchKey", "UpdateKey", "ListKey", "DeleteKey"}
