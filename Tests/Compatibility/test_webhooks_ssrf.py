"""The egress guard at configuration time: on a server WITHOUT `--egress-allow`, a subscription URL that points
at the machine itself, its networks or the cloud metadata service is refused with 400/20001 naming the reason,
in every format, and nothing is created; malformed URLs are refused too; a public URL is accepted."""

import ipaddress
import socket
from pathlib import Path

import pytest

from helpers import assert_error_response
from parley_server import running_server
from events_api_client import EventsApi
from webhook_receiver import WebhookReceiver

FORMATS = {
    "json": {},
    "form-post": {"Format": "form"},
    "form-get": {"Format": "form", "Method": "GET"},
}

# (id, URL template, words of which the error message must contain one). `{port}` is a live receiver's port.
REFUSED = [
    ("metadata", "http://169.254.169.254/latest/meta-data", ("link-local", "metadata")),
    ("rfc1918-10", "http://10.0.0.1/hook", ("private",)),
    ("rfc1918-172", "http://172.16.0.1/hook", ("private",)),
    ("rfc1918-192", "http://192.168.1.1/hook", ("private",)),
    ("loopback-ip", "http://127.0.0.1:{port}/hook", ("loopback",)),
    ("loopback-other", "http://127.8.9.10:{port}/hook", ("loopback",)),
    ("localhost", "http://localhost:{port}/hook", ("loopback",)),
    ("loopback-v6", "http://[::1]:{port}/hook", ("loopback",)),
    ("v4-mapped-loopback", "http://[::ffff:127.0.0.1]:{port}/hook", ("loopback",)),
    ("unique-local-v6", "http://[fd00::1]/hook", ("unique local", "private")),
    ("cgnat", "http://100.64.0.1/hook", ("carrier-grade", "cgnat", "shared")),
    ("this-network", "http://0.0.0.0:{port}/hook", ("this network", "local host")),
    ("multicast", "http://224.0.0.1/hook", ("multicast",)),
    # Other spellings of 127.0.0.1 that resolvers accept: refused, whatever the reason given.
    ("short-ipv4", "http://127.1:{port}/hook", ()),
    ("decimal-ipv4", "http://2130706433:{port}/hook", ()),
    ("hex-ipv4", "http://0x7f000001:{port}/hook", ()),
]

MALFORMED = [
    ("ftp", "ftp://example.com/hook"),
    ("file", "file:///etc/passwd"),
    ("no-scheme", "example.com/hook"),
    ("no-host", "http:///hook"),
    ("credentials", "http://user:secret@example.com/hook"),
    ("bad-port", "http://example.com:99999/hook"),
    ("space", "http://exa mple.com/hook"),
    ("empty", ""),
]

PUBLIC = ["https://example.com/hook", "https://8.8.8.8/hook?x=1#ct=1000"]


@pytest.fixture(scope="module")
def server(parley_binary):
    with running_server(parley_binary) as running:  # no --egress-allow: the built-in refusals apply
        yield running


@pytest.fixture(scope="module")
def events_api(server) -> EventsApi:
    return EventsApi(server.base_url, server.account_sid, server.auth_token)


@pytest.fixture(scope="module")
def target():
    """A live receiver on loopback: what an SSRF would reach. Nothing may ever arrive there."""
    with WebhookReceiver() as running:
        yield running
        assert running.requests() == [], [r.target for r in running.requests()]


def _loopback_alias():
    """A hostname other than `localhost` that resolves only to loopback addresses here, or None."""
    candidates = [socket.gethostname(), socket.getfqdn(), "localhost.", "localhost.localdomain",
                  "ip6-localhost", "ip6-loopback"]
    try:
        for line in Path("/etc/hosts").read_text().splitlines():
            fields = line.split("#", 1)[0].split()
            if len(fields) >= 2 and ipaddress.ip_address(fields[0]).is_loopback:
                candidates.extend(fields[1:])
    except (OSError, ValueError):
        pass
    for name in candidates:
        if not name or name.lower() == "localhost":
            continue
        try:
            ipaddress.ip_address(name)
            continue  # a literal, not a name
        except ValueError:
            pass
        try:
            infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
        except OSError:
            continue
        addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}
        if addresses and all(address.is_loopback for address in addresses):
            return name
    return None


def _subscription_urls(events_api):
    records, _ = events_api.list_all("/Subscriptions")
    return {record["url"] for record in records}


def _assert_refused(events_api, url, words, **params):
    response = events_api.request("POST", "/Subscriptions", {"Url": url, "EventTypes": "*", **params})
    assert_error_response(response, 400, 20001)
    message = response.json()["message"]
    assert "Url" in message, f"{url}: the message should name the parameter: {message!r}"
    if words:
        assert any(word.lower() in message.lower() for word in words), f"{url}: {message!r} names no reason {words}"


@pytest.mark.parametrize("url_template, words", [(u, w) for _, u, w in REFUSED], ids=[i for i, _, _ in REFUSED])
def test_internal_addresses_are_refused_in_every_format(events_api, target, url_template, words):
    url = url_template.format(port=target.port)
    before = _subscription_urls(events_api)
    for params in FORMATS.values():
        _assert_refused(events_api, url, words, **params)
    after = _subscription_urls(events_api)
    assert after == before and url not in after


def test_a_name_resolving_to_loopback_is_refused(events_api, target):
    alias = _loopback_alias()
    if alias is None:
        pytest.skip("no hostname other than 'localhost' resolves only to loopback on this machine "
                    "(checked the host name, localhost., localhost.localdomain, ip6-localhost and /etc/hosts)")
    url = f"http://{alias}:{target.port}/hook"
    before = _subscription_urls(events_api)
    for params in FORMATS.values():
        _assert_refused(events_api, url, ("loopback",), **params)
    assert _subscription_urls(events_api) == before


@pytest.mark.parametrize("url", [u for _, u in MALFORMED], ids=[i for i, _ in MALFORMED])
def test_malformed_urls_are_refused(events_api, url):
    before = _subscription_urls(events_api)
    for params in FORMATS.values():
        response = events_api.request("POST", "/Subscriptions", {"Url": url, "EventTypes": "*", **params})
        assert_error_response(response, 400, 20001)
    assert _subscription_urls(events_api) == before


def test_nothing_was_created_by_the_refusals(events_api):
    records, _ = events_api.list_all("/Subscriptions")
    assert records == [], records


@pytest.mark.parametrize("url", PUBLIC)
def test_public_urls_are_accepted(events_api, url):
    # key.deleted never happens on this server, so nothing is ever sent to these addresses.
    created = events_api.create_subscription(url, "key.deleted", Format="form")
    try:
        assert created["url"] in (url, url.split("#", 1)[0]), created
        assert events_api.subscription(created["sid"])["url"] == created["url"]
    finally:
        events_api.delete_subscription(created["sid"])


def test_updating_to_a_refused_url_changes_nothing(events_api, target):
    created = events_api.create_subscription("https://example.com/hook", "key.deleted")
    try:
        for url, params in (
            (f"http://127.0.0.1:{target.port}/hook", {}),
            ("http://169.254.169.254/latest/meta-data", {"Format": "form"}),
            ("http://10.0.0.1/hook", {"FriendlyName": "moved"}),
            ("ftp://example.com/hook", {}),
        ):
            response = events_api.request("POST", f"/Subscriptions/{created['sid']}", {"Url": url, **params})
            assert_error_response(response, 400, 20001)
            fetched = events_api.subscription(created["sid"])
            assert fetched["url"] == created["url"], fetched
            assert (fetched["format"], fetched["friendly_name"]) == (created["format"], created["friendly_name"])
            assert fetched["date_updated"] == created["date_updated"], fetched
    finally:
        events_api.delete_subscription(created["sid"])
