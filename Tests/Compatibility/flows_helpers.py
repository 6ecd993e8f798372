"""Shared pieces of the Studio flows tests: the corpus in Tests/Fixtures/flows, the flow number, sandbox handsets,
and strict validation against Twilio's Studio v2 spec."""

import itertools
import json
import time
from pathlib import Path
from typing import Callable, List, Optional, Tuple

import pytest
import requests
from twilio.rest import Client

from conversations_helpers import owned_numbers, sdk_client
from oai_schema import validate_exchanges

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "Tests" / "Fixtures" / "flows"
STUDIO_MOUNT = "/studio"
STUDIO_V2 = "twilio_studio_v2.json"
FLOW_NUMBER = "+16465550600"
INVENTORY = "phone_number,iso_country,type,capabilities,connection,sms_rate\n" f"{FLOW_NUMBER},US,local,sms,sandbox,1000\n"
_handsets = itertools.count(600)


def handset() -> str:
    """A sandbox handset of its own (a contact has one active execution per flow)."""
    return f"+1500555{next(_handsets):04d}"


def definition(name: str, http_base: str = "http://127.0.0.1:9") -> dict:
    """A corpus flow, its `__HTTP__` placeholders pointing at `http_base` (a local receiver)."""
    return json.loads((FIXTURES / f"{name}.json").read_text().replace("__HTTP__", http_base))


def corpus() -> List[str]:
    return sorted(path.stem for path in FIXTURES.glob("*.json"))


def validate_studio_exchanges(client: Client) -> set:
    """Every successful exchange is a documented Studio v2 operation with its documented status and a body matching
    Twilio's schema (every property present); returns the operationIds."""
    return validate_exchanges(client, STUDIO_MOUNT, STUDIO_V2, successes_only=True)


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    return session


def send_sms(base_url: str, owner, sender: str, to: str, body: str) -> None:
    """A sandbox handset texts one of our numbers."""
    reply = _session().post(f"{base_url}/sandbox/v1/Messages", auth=(owner.sid, owner.token), data={"From": sender, "To": to, "Body": body}, timeout=10)
    assert reply.status_code == 201, reply.text


def inbox(base_url: str, owner, address: str) -> List[str]:
    """The bodies the sandbox handset `address` received, oldest first."""
    reply = _session().get(f"{base_url}/sandbox/v1/Messages", params={"To": address}, auth=(owner.sid, owner.token), timeout=10)
    assert reply.status_code == 200, reply.text
    return [message["body"] for message in reply.json()["messages"]]


def wait_until(predicate: Callable, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last: {value!r})")


def path_of(flow_api, execution_sid: str) -> List[Tuple[str, str, str]]:
    """The execution's steps as (transitioned_from, name, transitioned_to), oldest first."""
    return [(step.transitioned_from, step.name, step.transitioned_to) for step in flow_api.executions(execution_sid).steps.list()]


def context_value(context: dict, dotted: str):
    value = context
    for key in dotted.split("."):
        value = value[int(key)] if isinstance(value, list) else value.get(key)
    return value


@pytest.fixture(scope="module")
def number_sid(parley_binary, parley, make_client, owner, tmp_path_factory):
    """The flow number, imported and bought by the owner for the module; yields its SID."""
    account = make_client(owner.sid, owner.token).api.v2010.accounts(owner.sid)
    with owned_numbers(parley_binary, parley, account, tmp_path_factory.mktemp("flows"), INVENTORY, [FLOW_NUMBER]) as sids:
        yield sids[0]


@pytest.fixture
def studio(base_url, owner):
    """The owner's SDK client whose exchanges are recorded for validation."""
    return sdk_client(base_url, owner.sid, owner.token)


@pytest.fixture
def new_flow(base_url, owner, studio):
    """`new_flow(name, http_base, **params)`: a flow of the corpus, deleted at the end of the test."""
    cleaner = sdk_client(base_url, owner.sid, owner.token)
    created = []

    def factory(name: str, http_base: str = "http://127.0.0.1:9", status: str = "published", friendly_name: Optional[str] = None):
        flow = studio.studio.v2.flows.create(friendly_name=friendly_name or name, status=status, definition=definition(name, http_base))
        created.append(flow.sid)
        return flow

    yield factory
    for sid in created:
        try:
            cleaner.studio.v2.flows(sid).delete()
        except Exception:  # the test deleted it
            pass
