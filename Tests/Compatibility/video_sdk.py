"""What the Video v1 SDK tests share: an SDK client that follows v1 absolute paging links, strict validation of
every response against Twilio's `twilio_video_v1.json`, and small assertions."""

import re
from datetime import datetime

import pytest
from twilio.base.exceptions import TwilioRestException

from helpers import assert_rest_error
from local_http_client import TWILIO_DOMAIN, LocalHttpClient
from oai_schema import VIDEO_V1, validate_exchanges

VIDEO_MOUNT = "/video"
ROOM_SID = re.compile(r"RM[0-9a-f]{32}")
PARTICIPANT_SID = re.compile(r"PA[0-9a-f]{32}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
DATE_FIELDS = {"date_created", "date_updated", "end_time", "start_time"}
UNKNOWN_ROOM = "RM" + "0" * 32
UNKNOWN_PARTICIPANT = "PA" + "0" * 32
UNKNOWN_TRACK = "MT" + "0" * 32


class VideoHttpClient(LocalHttpClient):
    """Like LocalHttpClient, and also follows v1 `meta.next_page_url`s, which are absolute URLs on the server
    itself (`{base_url}/video/v1/…`), by mapping them back to `https://video.twilio.com/v1/…` first."""

    def request(self, method, url, *args, **kwargs):
        if url.startswith(self.base_url + "/"):
            product, _, rest = url[len(self.base_url) + 1:].partition("/")
            url = f"https://{product}{TWILIO_DOMAIN}/{rest}"
        return super().request(method, url, *args, **kwargs)


def _dates_problems(record: dict, where: str) -> list:
    return [
        f"{where} {name}: {record[name]!r} is not YYYY-MM-DDTHH:MM:SSZ"
        for name in DATE_FIELDS & set(record)
        if record[name] is not None and not ISO_DATE.fullmatch(record[name])
    ]


def validate_video_exchanges(client) -> set:
    """Every successful exchange is a documented operation answered with a documented status and a body that
    matches its schema, dates in Twilio's ISO 8601 shape; returns the operationIds seen. Errors are checked by
    the tests that provoke them (Twilio's spec documents no error bodies)."""
    return validate_exchanges(client, VIDEO_MOUNT, VIDEO_V1, successes_only=True, record_problems=_dates_problems)


def raises(call, status: int, code: int) -> TwilioRestException:
    with pytest.raises(TwilioRestException) as caught:
        call()
    assert_rest_error(caught.value, status, code)
    return caught.value


def as_date(moment) -> datetime:
    assert isinstance(moment, datetime), f"the SDK did not parse {moment!r} as a date"
    return moment
