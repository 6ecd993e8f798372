"""Shared assertions and patterns for the compatibility tests."""

import json
import re
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException

REPO_ROOT = Path(__file__).resolve().parents[2]
ACCOUNT_SID = re.compile(r"AC[0-9a-f]{32}")
KEY_SID = re.compile(r"SK[0-9a-f]{32}")
# Twilio's RFC 2822 shape. The SDK's parser drops the zone offset, so anything but +0000 would be misread.
RFC2822_PATTERN = (
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
    r"[0-2][0-9]:[0-5][0-9]:[0-6][0-9] \+0000$"
)
ERROR_KEYS = {"code", "message", "more_info", "status"}


def unique_name(label: str) -> str:
    return f"compat-{label}-{uuid.uuid4().hex[:12]}"


def assert_recent(moment: datetime, tolerance: timedelta = timedelta(minutes=10)) -> None:
    """An SDK-parsed date is a UTC datetime close to now (so the server wrote UTC, not local time)."""
    assert isinstance(moment, datetime), f"expected a datetime, got {moment!r}"
    assert abs(datetime.now(timezone.utc) - moment) < tolerance, moment


def assert_error_body(body: dict, status: int, code: int) -> None:
    """Twilio's legacy error shape: code, message, more_info, status (details optional)."""
    assert ERROR_KEYS <= set(body), body
    assert set(body) - ERROR_KEYS <= {"details"}, body
    assert body["code"] == code, body
    assert body["status"] == status, body
    assert isinstance(body["message"], str) and body["message"], body
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{code}", body


def assert_error_response(response: requests.Response, status: int, code: int) -> None:
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers.get("Content-Type", "").startswith("application/json"), response.headers
    assert_error_body(response.json(), status, code)


def assert_rest_error(error: TwilioRestException, status: int, code: int) -> None:
    """What the SDK raised for a fetch/create/update/delete that failed."""
    assert isinstance(error, TwilioRestException), repr(error)
    assert (error.status, error.code) == (status, code), (error.status, error.code, error.msg)


def assert_page_error(error: TwilioException, status: int, code: int) -> None:
    """The SDK raises a bare TwilioException("Unable to fetch page", response) when a list is not 200."""
    assert error.args[0] == "Unable to fetch page", repr(error)
    response = error.args[1]
    assert response.status_code == status, (response.status_code, response.text)
    assert_error_body(json.loads(response.text), status, code)
