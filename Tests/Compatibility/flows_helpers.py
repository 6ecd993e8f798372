"""Shared pieces of the Studio flows tests (written against docs/flows.md): the corpus in Tests/Fixtures/flows, the
flow number, sandbox and SMPP handsets, strict validation against Twilio's Studio v2 spec, and the scenario runner
the corpus tables (test_flows_corpus*.py, test_flows_sms.py) share.

A scenario names a fixture, how it is triggered (REST `To`/`From`/`Parameters`, or an SMS from a handset to a number
whose SmsUrl is the flow's webhook_url), what the local HTTP receiver answers, what the handset replies, and what must
come out: the step path as (transitioned_from, name, transitioned_to) oldest first, context values, the messages the
handset got and the requests the receiver got. `__HTTP__` in a fixture is the receiver's base URL; `__CONTACT__` and
`__NUMBER__` in an expected value are the scenario's handset and the flow's number."""

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

import pytest
import requests
from twilio.rest import Client

from conversations_helpers import owned_numbers, sdk_client
from oai_schema import validate_exchanges
from webhook_receiver import Reply, wait_until

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "Tests" / "Fixtures" / "flows"
STUDIO_MOUNT = "/studio"
STUDIO_V2 = "twilio_studio_v2.json"
FLOW_NUMBER = "+16465550600"
UNOWNED_NUMBER = "+16465550699"  # in no inventory: no account can send from it
INVENTORY = "phone_number,iso_country,type,capabilities,connection,sms_rate\n" f"{FLOW_NUMBER},US,local,sms,sandbox,1000\n"
NO_HTTP = "http://127.0.0.1:9"  # what `__HTTP__` becomes for a flow whose HTTP widgets a test does not reach
_handsets = itertools.count(1)


def handset() -> str:
    """A sandbox handset of its own (a contact has one active execution per flow; its inbox is the test's alone).
    +1555860xxxx: a range no other compatibility module uses."""
    return f"+1555860{next(_handsets):04d}"


def definition(name: str, http_base: str = NO_HTTP) -> dict:
    """A corpus flow, its `__HTTP__` placeholders pointing at `http_base` (a local receiver)."""
    return json.loads((FIXTURES / f"{name}.json").read_text().replace("__HTTP__", http_base))


def corpus() -> List[str]:
    return sorted(path.stem for path in FIXTURES.glob("*.json"))


def widget_types(name: str) -> Dict[str, str]:
    """State name → widget type of a corpus flow."""
    return {state["name"]: state["type"] for state in definition(name)["states"]}


def validate_studio_exchanges(client: Client) -> set:
    """Every successful exchange is a documented Studio v2 operation with its documented status and a body matching
    Twilio's schema (every property present); returns the operationIds."""
    return validate_exchanges(client, STUDIO_MOUNT, STUDIO_V2, successes_only=True)


def plain_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    return session


# ---- handsets ---------------------------------------------------------------------------------------------------


class SandboxChannel:
    """The sandbox: a handset texts `number` through POST /sandbox/v1/Messages and reads what it got with GET."""

    def __init__(self, base_url: str, owner, number: str = FLOW_NUMBER):
        self.base_url, self.owner, self.number = base_url, owner, number
        self.session = plain_session()

    def send(self, contact: str, body: str) -> None:
        reply = self.session.post(f"{self.base_url}/sandbox/v1/Messages", auth=(self.owner.sid, self.owner.token),
                                  data={"From": contact, "To": self.number, "Body": body}, timeout=10)
        assert reply.status_code == 201, reply.text

    def inbox(self, contact: str) -> List[str]:
        """The bodies `contact` received, oldest first."""
        reply = self.session.get(f"{self.base_url}/sandbox/v1/Messages", params={"To": contact},
                                 auth=(self.owner.sid, self.owner.token), timeout=10)
        assert reply.status_code == 200, reply.text
        return [message["body"] for message in reply.json()["messages"]]


class SmppChannel:
    """An SMPP number: a handset's message is a mobile-originated deliver_sm from the test SMSC (smsc.py); what the
    handset got is what the SMSC accepted for it."""

    def __init__(self, smsc, number: str):
        self.smsc, self.number = smsc, number

    def send(self, contact: str, body: str) -> None:
        self.smsc.send_mo(contact.lstrip("+"), self.number.lstrip("+"), body)

    def inbox(self, contact: str) -> List[str]:
        return [text for _source, destination, text, _parts in self.smsc.texts() if destination == contact.lstrip("+")]


def at_least(channel, contact: str, count: int, timeout: float = 15) -> List[str]:
    """What `contact` got, once that is at least `count` messages."""
    box: List[str] = []

    def enough() -> bool:
        box[:] = channel.inbox(contact)
        return len(box) >= count

    wait_until(enough, timeout, f"{count} messages to {contact}")
    return box


# ---- executions -------------------------------------------------------------------------------------------------


def path_of(flow_api, execution_sid: str) -> List[Tuple[str, str, str]]:
    """The execution's steps as (transitioned_from, name, transitioned_to), oldest first."""
    return [(step.transitioned_from, step.name, step.transitioned_to) for step in flow_api.executions(execution_sid).steps.list()]


def ended(flow_api, execution_sid: str):
    """The execution if it has ended, else None (for wait_until)."""
    execution = flow_api.executions(execution_sid).fetch()
    return execution if execution.status == "ended" else None


def execution_of(flow_api, contact: str) -> Optional[str]:
    """The SID of the flow's (only) execution for `contact`, if one exists yet."""
    return next((e.sid for e in flow_api.executions.list() if e.contact_channel_address == contact), None)


def context_value(context: Any, dotted: str):
    value = context
    for key in dotted.split("."):
        if isinstance(value, list):
            value = value[int(key)]
        elif isinstance(value, dict):
            value = value.get(key)
        else:
            return None
    return value


class Matcher:
    """An expected value that is a property rather than a literal."""

    def __init__(self, test, label: str):
        self.test, self.label = test, label

    def matches(self, actual) -> bool:
        return self.test(actual)

    def __repr__(self) -> str:
        return self.label


NONEMPTY = Matcher(lambda actual: isinstance(actual, str) and actual.strip() != "", "<a non-empty string>")
ABSENT = Matcher(lambda actual: actual is None, "<absent>")


def starts_with(prefix: str) -> Matcher:
    return Matcher(lambda actual: isinstance(actual, str) and actual.startswith(prefix), f"<starts with {prefix!r}>")


def containing(text: str) -> Matcher:
    return Matcher(lambda actual: isinstance(actual, str) and text in actual, f"<contains {text!r}>")


def resolve(expected, contact: str, number: str):
    """`expected` with `__CONTACT__` / `__NUMBER__` replaced (in strings, lists and dicts)."""
    if isinstance(expected, str):
        return expected.replace("__CONTACT__", contact).replace("__NUMBER__", number)
    if isinstance(expected, list):
        return [resolve(item, contact, number) for item in expected]
    if isinstance(expected, dict):
        return {key: resolve(value, contact, number) for key, value in expected.items()}
    return expected


def check(actual, expected, what: str) -> None:
    if isinstance(expected, Matcher):
        assert expected.matches(actual), f"{what}: {actual!r} is not {expected!r}"
    else:
        assert actual == expected, f"{what}: {actual!r} != {expected!r}"


# ---- scenarios --------------------------------------------------------------------------------------------------

Answer = Union[Reply, Tuple[int, Any]]  # a scripted Reply, or (status, JSON document)


@dataclass
class Scenario:
    flow: str
    label: str
    path: List[Tuple[str, str, str]]
    parameters: Optional[dict] = None  # REST trigger (default): Parameters → flow.data
    sms: Optional[str] = None  # SMS trigger: the first message's body (the number's SmsUrl is the flow's webhook_url)
    contact: Optional[str] = None  # default: a fresh handset
    replies: List[str] = field(default_factory=list)  # each sent once the handset has one more message
    http: Dict[str, Answer] = field(default_factory=dict)  # receiver path → answer
    http_base: Optional[str] = None  # what `__HTTP__` becomes (default: the receiver)
    received: Dict[str, dict] = field(default_factory=dict)  # receiver path → {count, method, content_type, form, query, json}
    messages: Optional[List[str]] = None  # exactly what the handset got, in order
    inboxes: Dict[str, List[str]] = field(default_factory=dict)  # other sandbox handsets → what they got
    context: Dict[str, Any] = field(default_factory=dict)  # dotted path in the execution context → value
    steps: Dict[str, Any] = field(default_factory=dict)  # "widget:dotted" in that widget's (last) step context → value
    status: str = "ended"  # "active": the execution waits (checked once the messages are in)
    receipt: str = "DELIVRD"  # SMPP only: the delivery receipts the SMSC returns
    deadline: float = 30

    @property
    def id(self) -> str:
        return f"{self.flow}:{self.label}"


def as_reply(answer: Answer) -> Reply:
    if isinstance(answer, Reply):
        return answer
    status, document = answer
    return Reply(status=status, headers={"Content-Type": "application/json"}, body=json.dumps(document).encode())


def run_scenario(scenario: Scenario, studio: Client, new_flow, channel, receiver, number) -> None:
    """Runs `scenario` on `channel` (SandboxChannel / SmppChannel); `number` is the channel number's SDK context
    (its SmsUrl is set to the flow's webhook_url for an SMS trigger, and cleared again)."""
    for path, answer in scenario.http.items():
        receiver.always(path, as_reply(answer))
    flow = new_flow(scenario.flow, http_base=scenario.http_base or receiver.url(""))
    flows = studio.studio.v2.flows(flow.sid)
    contact = scenario.contact or handset()
    expect = lambda value: resolve(value, contact, channel.number)  # noqa: E731
    try:
        if scenario.sms is not None:
            number.update(sms_url=flow.webhook_url)
            channel.send(contact, scenario.sms)
            execution_sid = wait_until(lambda: execution_of(flows, contact), 15, "the SMS-started execution")
        else:
            execution_sid = flows.executions.create(to=contact, from_=channel.number, parameters=scenario.parameters or {}).sid
        for position, reply in enumerate(scenario.replies):
            wait_until(lambda: len(channel.inbox(contact)) > position, 15, f"outbound message {position + 1} before reply {reply!r}")
            channel.send(contact, reply)
        if scenario.status == "ended":
            execution = wait_until(lambda: ended(flows, execution_sid), scenario.deadline, "the execution's end")
        if scenario.messages is not None:
            assert at_least(channel, contact, len(scenario.messages)) == expect(scenario.messages)
        if scenario.status != "ended":
            execution = flows.executions(execution_sid).fetch()
            assert execution.status == scenario.status

        steps = flows.executions(execution_sid).steps.list()
        assert [(s.transitioned_from, s.name, s.transitioned_to) for s in steps] == scenario.path
        types = widget_types(scenario.flow)
        assert [s.type for s in steps] == [types[s.transitioned_from] for s in steps]
        assert execution.contact_channel_address == contact and execution.flow_version == 1
        assert execution.initiated_by.startswith("SM") if scenario.sms is not None else execution.initiated_by == execution_sid
        context = flows.executions(execution_sid).execution_context().fetch().context
        assert context == execution.context
        assert context["contact"]["channel"]["address"] == contact and context["flow"]["channel"]["address"] == channel.number
        assert context["flow"]["flow_sid"] == flow.sid and context["flow"]["sid"] == execution_sid
        for dotted, expected in scenario.context.items():
            check(context_value(context, dotted), expect(expected), dotted)
        for key, expected in scenario.steps.items():
            widget, dotted = key.split(":", 1)
            step = [s for s in steps if s.transitioned_from == widget][-1]
            step_context = flows.executions(execution_sid).steps(step.sid).step_context().fetch().context
            assert step_context == step.context
            check(context_value(step_context, dotted), expect(expected), key)
        for address, expected in scenario.inboxes.items():
            assert at_least(channel, address, len(expected)) == expect(expected)
        check_requests(receiver, scenario.received, expect)
    finally:
        if scenario.sms is not None:
            number.update(sms_url="")


def check_requests(receiver, received: Dict[str, dict], expect) -> None:
    for path, wanted in received.items():
        arrived = receiver.requests_for(path)
        assert len(arrived) == wanted.get("count", 1), (path, [(r.method, r.target) for r in arrived])
        if not arrived:
            continue
        request = arrived[0]
        if "method" in wanted:
            assert request.method == wanted["method"], (path, request.method)
        if "content_type" in wanted:
            assert (request.header("Content-Type") or "").lower().startswith(wanted["content_type"]), request.headers
        for key, value in expect(wanted.get("form", {})).items():
            check(request.body_params().get(key), value, f"{path} form {key}")
        for key, value in expect(wanted.get("query", {})).items():
            check(request.query_params().get(key), value, f"{path} query {key}")
        if "json" in wanted:
            document = request.json()
            for key, value in expect(wanted["json"]).items():
                check(document.get(key), value, f"{path} JSON {key}")


# ---- fixtures ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def number_sid(parley_binary, parley, make_client, owner, tmp_path_factory):
    """The flow number, imported and bought by the owner for the module; yields its SID."""
    account = make_client(owner.sid, owner.token).api.v2010.accounts(owner.sid)
    with owned_numbers(parley_binary, parley, account, tmp_path_factory.mktemp("flows"), INVENTORY, [FLOW_NUMBER]) as sids:
        yield sids[0]


@pytest.fixture
def flow_number(make_client, owner, number_sid):
    """The flow number's SDK context (to set its SmsUrl), through a client whose exchanges are not validated."""
    return make_client(owner.sid, owner.token).api.v2010.accounts(owner.sid).incoming_phone_numbers(number_sid)


@pytest.fixture
def sandbox(base_url, owner, number_sid) -> SandboxChannel:
    return SandboxChannel(base_url, owner)


@pytest.fixture
def studio(base_url, owner):
    """The owner's SDK client whose exchanges are recorded for validation."""
    return sdk_client(base_url, owner.sid, owner.token)


@pytest.fixture
def tenant_studio(base_url, make_subaccount):
    """An SDK client of a fresh subaccount: another account, which must not see the owner's flows."""
    sub = make_subaccount("studio")
    return sdk_client(base_url, sub.sid, sub.auth_token)


@pytest.fixture
def new_flow(base_url, owner, studio):
    """`new_flow(name, http_base, status, friendly_name)`: a flow of the corpus, deleted at the end of the test."""
    yield from flow_factory(studio, sdk_client(base_url, owner.sid, owner.token))


def flow_factory(client: Client, cleaner: Client):
    """A `new_flow` factory on `client`; the flows are deleted by `cleaner` when the generator closes."""
    created = []

    def factory(name: str, http_base: str = NO_HTTP, status: str = "published", friendly_name: Optional[str] = None):
        flow = client.studio.v2.flows.create(friendly_name=friendly_name or name, status=status, definition=definition(name, http_base))
        created.append(flow.sid)
        return flow

    try:
        yield factory
    finally:
        for sid in created:
            try:
                cleaner.studio.v2.flows(sid).delete()
            except Exception:  # the test deleted it
                pass
