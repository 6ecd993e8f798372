"""Session fixtures: one `parley serve` for the whole run, SDK clients and raw HTTP access to it.

Run from the repository root after building:
    pip install -r Tests/Compatibility/requirements.txt
    python -m pytest Tests/Compatibility          # PARLEY_BIN overrides .build/debug/parley
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest
import requests
from twilio.rest import Client

from helpers import REPO_ROOT, unique_name
from local_http_client import LocalHttpClient
from parley_server import ALLOW_LOOPBACK_EGRESS, remove_work_dir, start_server, stop_server
from events_api_client import EventsApi
from video_sdk import VideoHttpClient
from webhook_receiver import WebhookReceiver
from webrtc_helpers import room_factory, token_minter

API_PREFIX = "/api"  # where the server mounts https://api.twilio.com


@dataclass(frozen=True)
class Credentials:
    sid: str
    token: str


@pytest.fixture(scope="session")
def parley_binary() -> Path:
    """The `parley` executable under test (PARLEY_BIN, else the debug build)."""
    return Path(os.environ.get("PARLEY_BIN", REPO_ROOT / ".build" / "debug" / "parley"))


@pytest.fixture(scope="session")
def parley(parley_binary):
    """The session's server. Webhook tests' receivers listen on 127.0.0.1, so loopback egress is allowed."""
    problem = None
    try:
        server = start_server(parley_binary, extra_args=ALLOW_LOOPBACK_EGRESS)
    except RuntimeError as error:
        problem = str(error)
    if problem is not None:
        pytest.fail(problem, pytrace=False)
    yield server
    exited_early = server.process.poll()
    code = stop_server(server)
    if exited_early is not None or code != 0:
        when = "during the tests" if exited_early is not None else "after SIGTERM"
        pytest.fail(
            f"parley serve exited with {code} {when}; data kept in {server.work_dir}:\n{server.log_tail()}",
            pytrace=False,
        )
    remove_work_dir(server)


@pytest.fixture(scope="session")
def base_url(parley) -> str:
    return parley.base_url


@pytest.fixture(scope="session")
def owner(parley) -> Credentials:
    return Credentials(parley.account_sid, parley.auth_token)


@pytest.fixture(scope="session")
def make_client(base_url):
    """`make_client(username, password, account_sid=None)`: an SDK client for AC:token or SK:secret."""

    def factory(username: str, password: str, account_sid: Optional[str] = None) -> Client:
        return Client(username, password, account_sid, http_client=LocalHttpClient(base_url))

    return factory


@pytest.fixture
def client(make_client, owner) -> Client:
    """A fresh owner client per test, so `client.http_client.exchanges` holds only this test's traffic."""
    return make_client(owner.sid, owner.token)


class RawApi:
    """Plain `requests` calls against the API 2010 mount; paths start with `/2010-04-01/`."""

    def __init__(self, base_url: str, owner: Credentials):
        self.base_url = base_url
        self.owner = owner
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies or ~/.netrc credentials

    def url(self, path: str) -> str:
        return f"{self.base_url}{API_PREFIX}{path}"

    def request(self, method: str, path: str, auth=None, **kwargs) -> requests.Response:
        """`auth` defaults to the owner; pass `auth=False` to send no credentials."""
        if auth is None:
            auth = (self.owner.sid, self.owner.token)
        return self.session.request(method, self.url(path), auth=auth or None, timeout=30, **kwargs)


@pytest.fixture(scope="session")
def raw_api(base_url, owner) -> RawApi:
    return RawApi(base_url, owner)


@pytest.fixture(scope="session")
def make_subaccount(make_client, owner):
    """`make_subaccount(label)`: create a subaccount of the owner with a unique friendly name."""
    owner_client = make_client(owner.sid, owner.token)

    def factory(label: str = "sub"):
        return owner_client.api.v2010.accounts.create(friendly_name=unique_name(label))

    return factory


@pytest.fixture(scope="session")
def events_api(base_url, owner) -> EventsApi:
    """`/events/v1` of the session server as the owner."""
    return EventsApi(base_url, owner.sid, owner.token)


@pytest.fixture
def receiver():
    """A fresh webhook receiver on 127.0.0.1 per test (its own port, so its own circuit breaker)."""
    with WebhookReceiver() as running:
        yield running


@pytest.fixture
def subscribe(events_api, receiver):
    """`subscribe(url, event_types, api=None, **params)`: create a subscription (201 with a secret), deleted again
    at the end of the test, before its receiver stops. A module with a server of its own overrides `events_api`."""
    created = []

    def factory(url, event_types, api=None, **params):
        api = api or events_api
        body = api.create_subscription(url, event_types, **params)
        created.append((api, body["sid"]))
        return body

    yield factory
    for api, sid in created:
        api.delete_subscription(sid)


@pytest.fixture
def video(base_url, owner) -> Client:
    """An owner SDK client for Video, whose `http_client.exchanges` holds this test's traffic."""
    return Client(owner.sid, owner.token, http_client=VideoHttpClient(base_url))


@pytest.fixture
def tenant(base_url, make_subaccount) -> Client:
    """A Video client for a fresh subaccount: its rooms are exactly the ones the test creates."""
    sub = make_subaccount("video")
    return Client(sub.sid, sub.auth_token, http_client=VideoHttpClient(base_url))


@pytest.fixture
def mint(video, owner):
    """`mint(identity)`: an access token of the owner's account (for the WebRTC tests)."""
    with token_minter(video, owner.sid) as minter:
        yield minter


@pytest.fixture
def new_room(video):
    """`new_room()`: the unique name of a fresh group room, completed when the test ends."""
    with room_factory(video) as factory:
        yield factory
