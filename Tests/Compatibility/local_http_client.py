"""A twilio-python HTTP client that sends every request to a local Parley server and records the replies."""

import json
from dataclasses import dataclass
from typing import Any, List, Optional
from urllib.parse import urlsplit

import requests
from twilio.http.http_client import TwilioHttpClient

TWILIO_DOMAIN = ".twilio.com"


@dataclass
class Exchange:
    """One request the SDK made and the reply it got."""

    method: str
    url: str
    status: int
    body: Optional[Any]


def rewrite_url(url: str, base_url: str) -> str:
    """Map `https://{product}.twilio.com/{path}?{query}` to `{base_url}/{product}/{path}?{query}`."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    product = host[: -len(TWILIO_DOMAIN)]
    if parts.scheme != "https" or not host.endswith(TWILIO_DOMAIN) or not product or "." in product:
        raise ValueError(f"refusing to send a non-Twilio URL to the test server: {url}")
    query = f"?{parts.query}" if parts.query else ""
    return f"{base_url}/{product}{parts.path}{query}"


def _json_or_none(text: str) -> Optional[Any]:
    try:
        return json.loads(text)
    except ValueError:
        return None


class LocalHttpClient(TwilioHttpClient):
    """Rewrites Twilio hosts to the local server and keeps every exchange in `exchanges`."""

    def __init__(self, base_url: str):
        super().__init__(timeout=30)
        self.session.trust_env = False  # loopback only: no proxies or ~/.netrc credentials
        self.base_url = base_url
        self.exchanges: List[Exchange] = []

    def request(
        self,
        method,
        url,
        params=None,
        data=None,
        headers=None,
        auth=None,
        timeout=None,
        allow_redirects=False,
    ):
        local_url = rewrite_url(url, self.base_url)
        response = super().request(
            method, local_url, params, data, headers, auth, timeout, allow_redirects
        )
        sent_url = requests.Request(method, local_url, params=params).prepare().url
        self.exchanges.append(
            Exchange(method.upper(), sent_url, response.status_code, _json_or_none(response.text))
        )
        return response

    def last(self) -> Exchange:
        return self.exchanges[-1]
