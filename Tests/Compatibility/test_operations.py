"""Operational endpoints of a real `parley serve`: health, Prometheus metrics, the served OpenAPI document."""

import re

import requests

from helpers import REPO_ROOT


def test_health_reports_database(base_url):
    response = requests.get(f"{base_url}/health", timeout=10)

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_metrics_count_requests_by_route_and_pool_waits(base_url, raw_api, owner):
    raw_api.request("GET", f"/2010-04-01/Accounts/{owner.sid}.json").raise_for_status()

    text = requests.get(f"{base_url}/metrics", timeout=10).text

    route = re.escape('http_route="/api/2010-04-01/Accounts/{Sid}.json"')
    assert re.search(rf"^hb_requests\{{{route},http_request_method=\"GET\",http_response_status_code=\"200\"\}} [1-9]", text, re.M)
    assert re.search(rf"^http_server_request_duration_bucket\{{{route}", text, re.M)
    assert re.search(r"^parley_db_pool_wait_seconds_count [1-9]", text, re.M)


def test_openapi_document_is_the_repository_file(base_url):
    served = requests.get(f"{base_url}/openapi.yaml", timeout=10)

    assert served.status_code == 200
    assert served.headers["Content-Type"].startswith("application/yaml")
    assert served.text == (REPO_ROOT / "openapi" / "openapi.yaml").read_text()
