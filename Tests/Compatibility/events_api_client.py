"""A thin client for Parley's `/events/v1` REST API (subscriptions and deliveries), with plain `requests`."""

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import requests

Params = Union[Mapping[str, Any], Sequence[Tuple[str, Any]]]


def form_pairs(params: Optional[Params]) -> List[Tuple[str, str]]:
    """Form pairs from a mapping (a list value repeats the parameter; booleans become true/false)."""
    if params is None:
        return []
    items = params.items() if isinstance(params, Mapping) else params
    pairs: List[Tuple[str, str]] = []
    for name, value in items:
        values = value if isinstance(value, (list, tuple)) else [value]
        for one in values:
            pairs.append((name, ("true" if one else "false") if isinstance(one, bool) else str(one)))
    return pairs


class EventsApi:
    """Plain `requests` calls to `{base_url}/events/v1/...` as one account (HTTP Basic SID:token)."""

    def __init__(self, base_url: str, account_sid: str, auth_token: str):
        self.base_url = base_url
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.session = requests.Session()
        self.session.trust_env = False  # loopback only: no proxies or ~/.netrc credentials

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}/events/v1{path}"

    def request(self, method: str, path: str, params: Optional[Params] = None, auth: Any = None,
                **kwargs: Any) -> requests.Response:
        """`path` is relative to /events/v1 (or absolute, e.g. a next_page_url). `params` go in the query for
        GET and in a form body otherwise."""
        if auth is None:
            auth = (self.account_sid, self.auth_token)
        pairs = form_pairs(params)
        if method.upper() in ("GET", "DELETE"):
            kwargs["params"] = pairs
        else:
            kwargs["data"] = pairs
        return self.session.request(method, self.url(path), auth=auth or None, timeout=30, **kwargs)

    def ok(self, method: str, path: str, params: Optional[Params] = None, status: int = 200) -> Dict[str, Any]:
        """The JSON body of a request that must answer `status`."""
        response = self.request(method, path, params)
        assert response.status_code == status, (method, path, response.status_code, response.text[:1000])
        return response.json()

    # subscriptions
    def create_subscription(self, url: str, event_types: Union[str, Sequence[str]], **params: Any) -> Dict[str, Any]:
        body = self.ok("POST", "/Subscriptions", {"Url": url, "EventTypes": event_types, **params}, status=201)
        assert isinstance(body.get("secret"), str) and body["secret"].startswith("whsec_"), body
        return body

    def subscription(self, sid: str) -> Dict[str, Any]:
        return self.ok("GET", f"/Subscriptions/{sid}")

    def update_subscription(self, sid: str, **params: Any) -> Dict[str, Any]:
        return self.ok("POST", f"/Subscriptions/{sid}", params)

    def delete_subscription(self, sid: str) -> None:
        response = self.request("DELETE", f"/Subscriptions/{sid}")
        assert response.status_code in (204, 404), (sid, response.status_code, response.text[:500])

    # deliveries
    def delivery(self, sid: str) -> Dict[str, Any]:
        return self.ok("GET", f"/Deliveries/{sid}")

    def deliveries(self, **filters: Any) -> List[Dict[str, Any]]:
        records, _ = self.list_all("/Deliveries", {"PageSize": 1000, **filters})
        return records

    def attempts(self, delivery_sid: str) -> List[Dict[str, Any]]:
        records, _ = self.list_all(f"/Deliveries/{delivery_sid}/Attempts", {"PageSize": 1000})
        return sorted(records, key=lambda attempt: attempt["number"])

    def list_all(self, path: str, params: Optional[Params] = None,
                 max_pages: int = 1000) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
        """Every record of a v1 list, following `meta.next_page_url`; returns (records, pages)."""
        pages: List[Dict[str, Any]] = []
        records: List[Dict[str, Any]] = []
        response = self.request("GET", path, params)
        while True:
            assert response.status_code == 200, (path, response.status_code, response.text[:1000])
            page = response.json()
            pages.append(page)
            key = page["meta"]["key"]
            records.extend(page[key])
            next_url = page["meta"].get("next_page_url")
            if not next_url:
                return records, pages
            assert len(pages) < max_pages, f"{path}: more than {max_pages} pages"
            response = self.request("GET", next_url)
