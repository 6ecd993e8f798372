"""The JSON the SDK received from Parley validates against Twilio's OpenAPI response schemas (strictly).

Every listed property must be present (null allowed where the spec says nullable), RFC 2822 dates must have
Twilio's exact shape, list envelopes may carry no extra top-level keys, and each request must be a documented
operation answered with a documented status."""

from urllib.parse import urlsplit

from helpers import unique_name
from oai_schema import find_operation, response_validator

API_MOUNT = "/api"


def _validate_exchanges(client) -> set:
    """Validate every recorded exchange; return the operationIds seen."""
    seen = set()
    problems = []
    for exchange in client.http_client.exchanges:
        path = urlsplit(exchange.url).path
        assert path.startswith(API_MOUNT + "/"), exchange.url
        found = find_operation(exchange.method, path[len(API_MOUNT):])
        assert found is not None, f"{exchange.method} {path} is not an operation in the spec"
        template, operation = found
        seen.add(operation["operationId"])
        assert str(exchange.status) in operation["responses"], (
            f"{exchange.method} {template} answered {exchange.status}, spec allows {sorted(operation['responses'])}"
        )
        validator = response_validator(operation, exchange.status)
        if validator is None:
            continue
        assert exchange.body is not None, f"{exchange.method} {path} returned no JSON body"
        problems += [
            f"{operation['operationId']} {'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
            for error in validator.iter_errors(exchange.body)
        ]
    assert not problems, "\n".join(problems)
    return seen


def test_account_responses_match_spec(client, owner):
    client.api.v2010.accounts(owner.sid).fetch()
    sub = client.api.v2010.accounts.create(friendly_name=unique_name("schema"))
    client.api.v2010.accounts(sub.sid).update(friendly_name=unique_name("schema-renamed"))
    list(client.api.v2010.accounts.stream(page_size=2))

    seen = _validate_exchanges(client)

    assert seen == {"FetchAccount", "CreateAccount", "UpdateAccount", "ListAccount"}


def test_key_responses_match_spec(client, owner):
    account = client.api.v2010.accounts(owner.sid)
    key = account.new_keys.create(friendly_name=unique_name("schema"))
    account.new_keys.create(friendly_name=unique_name("schema"))
    account.keys(key.sid).fetch()
    account.keys(key.sid).update(friendly_name=unique_name("schema-renamed"))
    list(account.keys.stream(page_size=1))
    account.keys(key.sid).delete()

    seen = _validate_exchanges(client)

    assert seen == {"CreateNewKey", "FetchKey", "UpdateKey", "ListKey", "DeleteKey"}
