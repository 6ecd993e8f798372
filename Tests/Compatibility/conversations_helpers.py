"""What the Conversations v1 tests share: SDK clients that follow v1 paging links, strict validation of every
response against Twilio's `twilio_conversations_v1.json`, Twilio-shaped refusals, and ISO 8601 dates."""

import itertools
import re
import subprocess
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from helpers import ERROR_KEYS, assert_error_body
from oai_schema import validate_exchanges
from video_sdk import VideoHttpClient  # maps any product's absolute v1 next_page_url back to Twilio's host

CONVERSATIONS_MOUNT = "/conversations"
CONVERSATIONS_V1 = "twilio_conversations_v1.json"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
CONVERSATION_SID = re.compile(r"CH[0-9a-f]{32}")
SERVICE_SID = re.compile(r"IS[0-9a-f]{32}")
PARTICIPANT_SID = re.compile(r"MB[0-9a-f]{32}")
MESSAGE_SID = re.compile(r"IM[0-9a-f]{32}")
WEBHOOK_SID = re.compile(r"WH[0-9a-f]{32}")
UNKNOWN_CONVERSATION = "CH" + "0" * 32
UNKNOWN_PARTICIPANT = "MB" + "0" * 32
UNKNOWN_MESSAGE = "IM" + "0" * 32
UNKNOWN_WEBHOOK = "WH" + "0" * 32
DATE_FIELDS = ("date_created", "date_updated", "last_read_timestamp")


def sdk_client(base_url: str, username: str, password: str) -> Client:
    """An SDK client whose `http_client.exchanges` records every exchange and that can follow next_page_url."""
    return Client(username, password, http_client=VideoHttpClient(base_url))


def _date_problems(record: dict, where: str) -> list:
    dates = {name: record.get(name) for name in DATE_FIELDS}
    if isinstance(record.get("timers"), dict):
        dates.update({f"timers.{name}": value for name, value in record["timers"].items()})
    return [
        f"{where} {name}: {value!r} is not YYYY-MM-DDTHH:MM:SSZ"
        for name, value in dates.items()
        if value is not None and not (isinstance(value, str) and ISO_DATE.fullmatch(value))
    ]


def validate_conversation_exchanges(client: Client) -> set:
    """Every successful exchange is a documented Conversations v1 operation answered with its documented status and
    a body matching Twilio's schema (every property present), dates as Twilio writes them; returns the operationIds.
    Error answers are checked by `refused`, where they are provoked (Twilio's spec documents no error bodies)."""
    return validate_exchanges(
        client, CONVERSATIONS_MOUNT, CONVERSATIONS_V1, successes_only=True, record_problems=_date_problems)


def refused(client: Client, call, status: int, code: Optional[int] = None) -> TwilioRestException:
    """`call()` raises the Twilio error `status`/`code`, with Twilio's error body. Without `code`, any Twilio error
    number (an int of five digits) will do."""
    with pytest.raises(TwilioRestException) as caught:
        call()
    error = caught.value
    body = client.http_client.last().body
    assert error.status == status, (error.status, error.code, error.msg)
    assert isinstance(body, dict) and ERROR_KEYS <= set(body), body
    if code is None:
        assert isinstance(body["code"], int) and 10000 <= body["code"] <= 99999, body
        code = body["code"]
    assert_error_body(body, status, code)
    return error


def as_date(value) -> datetime:
    """An ISO 8601 date as Twilio writes it (`2015-07-30T20:00:00Z`), parsed; SDK-parsed datetimes pass through."""
    if isinstance(value, datetime):
        return value
    assert isinstance(value, str) and ISO_DATE.fullmatch(value), f"{value!r} is not YYYY-MM-DDTHH:MM:SSZ"
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def assert_about(value, expected: datetime, tolerance: timedelta = timedelta(minutes=2)) -> None:
    moment = as_date(value)
    assert abs(moment - expected) < tolerance, (moment, expected)


# --- Numbers, handsets and conversations the tests create ----------------------------------------------------------

SMS_PROXY, SECOND_PROXY, VOICE_ONLY, NOBODYS = "+16465550400", "+16465550401", "+16465550402", "+16465550403"
INVENTORY = (
    "phone_number,iso_country,type,capabilities,connection,sms_rate\n"
    f"{SMS_PROXY},US,local,sms,sandbox,1000\n"
    f"{SECOND_PROXY},US,local,voice;sms,sandbox,1000\n"
    f"{VOICE_ONLY},US,local,voice,sandbox,\n"
    f"{NOBODYS},US,local,sms,sandbox,1000\n"  # in the inventory, bought by no account
)
_handsets = itertools.count(400)


def handset() -> str:
    """A sandbox handset of its own, so no two tests bind the same (address, proxy address) pair."""
    return f"+1500555{next(_handsets):04d}"


@contextmanager
def owned_numbers(parley_binary, parley, account, directory: Path, inventory: str, numbers):
    """Imports `inventory` (CSV) and has `account` (an API 2010 account context) own `numbers` while the block runs;
    yields their SIDs."""
    path = directory / "numbers.csv"
    path.write_text(inventory)
    result = subprocess.run(
        [str(parley_binary), "numbers", "import", str(path), "--data-dir", str(parley.work_dir / "data")],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    bought = [account.incoming_phone_numbers.create(phone_number=n) for n in numbers]
    try:
        yield [number.sid for number in bought]
    finally:
        for number in bought:
            account.incoming_phone_numbers(number.sid).delete()


@contextmanager
def owned_proxies(parley_binary, parley, account, directory: Path):
    """Has `account` own SMS_PROXY, SECOND_PROXY (SMS-capable) and VOICE_ONLY while the block runs."""
    with owned_numbers(parley_binary, parley, account, directory, INVENTORY, (SMS_PROXY, SECOND_PROXY, VOICE_ONLY)):
        yield


@contextmanager
def conversation_factory(client: Client, cleaner: Client):
    """`factory(**params)`: a conversation of `client`'s account, deleted (with everything in it) by `cleaner` (a
    client of the same account whose exchanges are not validated) when the block ends."""
    created = []

    def factory(**params):
        conversation = client.conversations.v1.conversations.create(**params)
        created.append(conversation.sid)
        return conversation

    try:
        yield factory
    finally:
        for sid in created:
            try:
                cleaner.conversations.v1.conversations(sid).delete()
            except TwilioRestException:
                pass  # the test deleted it


def handset_inbox(base_url: str, owner, address: str) -> list:
    """What the sandbox handset `address` received, oldest first."""
    session = requests.Session()
    session.trust_env = False
    reply = session.get(f"{base_url}/sandbox/v1/Messages", params={"To": address}, auth=(owner.sid, owner.token), timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.json()["messages"]


# ---- fixtures the conversations modules import ---------------------------------------------------------------


@pytest.fixture(scope="module")
def proxies(parley_binary, parley, make_client, owner, tmp_path_factory):
    """The module's proxy numbers, imported and bought by the owner (released when the module ends)."""
    account = make_client(owner.sid, owner.token).api.v2010.accounts(owner.sid)
    with owned_proxies(parley_binary, parley, account, tmp_path_factory.mktemp("conversations")):
        yield


@pytest.fixture
def sdk(base_url, owner):
    """The owner's SDK client; `sdk.http_client.exchanges` holds this test's traffic."""
    return sdk_client(base_url, owner.sid, owner.token)


@pytest.fixture
def new_conversation(base_url, owner, sdk):
    with conversation_factory(sdk, sdk_client(base_url, owner.sid, owner.token)) as factory:
        yield factory

