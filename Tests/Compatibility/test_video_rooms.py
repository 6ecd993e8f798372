"""Video v1 Rooms through the official twilio SDK (`client.video.v1.rooms`): create, fetch, list, end, validation.

Every JSON body the SDK receives is validated strictly against Twilio's own OpenAPI schemas
(`twilio_video_v1.json`): every property present, nulls only where the spec allows them, documented status
codes, list envelopes without extra keys."""

import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from twilio.base.exceptions import TwilioException

from helpers import assert_page_error, assert_recent, unique_name
from video_sdk import (
    ROOM_SID, UNKNOWN_PARTICIPANT, UNKNOWN_ROOM, UNKNOWN_TRACK, as_date, raises, validate_video_exchanges,
)

def test_room_create_fetch_list_and_end(video, owner, base_url):
    name = unique_name("room")
    room = video.video.v1.rooms.create(
        unique_name=name, type="group", max_participants=7, max_participant_duration=3600,
        status_callback_method="GET", empty_room_timeout=2, unused_room_timeout=3, audio_only=False,
        record_participants_on_connect=True, video_codecs=["H264"], media_region="ie1", large_room=False,
    )
    assert ROOM_SID.fullmatch(room.sid), room.sid
    assert (room.status, room.unique_name, room.account_sid) == ("in-progress", name, owner.sid)
    assert (room.type, room.max_participants, room.max_participant_duration) == ("group", 7, 3600)
    assert (room.empty_room_timeout, room.unused_room_timeout) == (2, 3)
    assert room.record_participants_on_connect is True and room.audio_only is False and room.large_room is False
    assert room.video_codecs == ["H264"] and room.media_region == "ie1" and room.enable_turn is True
    assert room.status_callback is None and room.status_callback_method == "GET"
    assert room.end_time is None and room.duration is None
    assert_recent(as_date(room.date_created))
    assert room.url == f"{base_url}/video/v1/Rooms/{room.sid}"
    assert room.links["participants"] == f"{base_url}/video/v1/Rooms/{room.sid}/Participants"

    by_sid = video.video.v1.rooms(room.sid).fetch()
    by_name = video.video.v1.rooms(name).fetch()
    assert by_sid.sid == by_name.sid == room.sid
    assert [r.sid for r in video.video.v1.rooms.list(unique_name=name)] == [room.sid]
    in_progress = {r.sid for r in video.video.v1.rooms.list(status="in-progress", page_size=1000)}
    assert room.sid in in_progress

    ended = video.video.v1.rooms(room.sid).update(status="completed")
    assert ended.sid == room.sid and ended.status == "completed"
    assert_recent(as_date(ended.end_time))
    assert isinstance(ended.duration, int) and ended.duration >= 0
    assert video.http_client.last().status == 202
    # Ending again answers the room unchanged.
    again = video.video.v1.rooms(room.sid).update(status="completed")
    assert (again.status, again.end_time, again.date_updated) == ("completed", ended.end_time, ended.date_updated)
    # The name no longer resolves; the SID does, and the list filters see it completed.
    raises(lambda: video.video.v1.rooms(name).fetch(), 404, 20404)
    assert video.video.v1.rooms(room.sid).fetch().status == "completed"
    assert [r.sid for r in video.video.v1.rooms.list(unique_name=name, status="completed")] == [room.sid]
    assert video.video.v1.rooms.list(unique_name=name, status="in-progress") == []

    seen = validate_video_exchanges(video)
    assert seen == {"CreateRoom", "FetchRoom", "ListRoom", "UpdateRoom"}


def test_room_defaults(video):
    room = video.video.v1.rooms.create()
    assert room.unique_name == room.sid
    assert (room.type, room.max_participants, room.max_participant_duration) == ("group", 50, 14400)
    assert (room.empty_room_timeout, room.unused_room_timeout, room.media_region) == (5, 5, "us1")
    assert room.video_codecs == ["VP8", "H264"] and room.status_callback_method == "POST"
    go = video.video.v1.rooms.create(type="go")
    assert (go.type, go.max_participants) == ("go", 2)
    video.video.v1.rooms(room.sid).update(status="completed")
    video.video.v1.rooms(go.sid).update(status="completed")
    validate_video_exchanges(video)


def test_room_list_filters_and_paging(tenant):
    rooms = tenant.video.v1.rooms
    before = datetime.now(timezone.utc) - timedelta(minutes=1)
    created = [rooms.create(unique_name=unique_name(f"page{index}")).sid for index in range(5)]
    rooms(created[2]).update(status="completed")

    assert [r.sid for r in rooms.stream(page_size=2)] == created
    assert [r.sid for r in rooms.stream(status="in-progress", page_size=2)] == [s for s in created if s != created[2]]
    assert [r.sid for r in rooms.list(status="completed")] == [created[2]]
    assert [r.sid for r in rooms.list(date_created_after=before)] == created
    assert rooms.list(date_created_before=before) == []
    assert rooms.list(date_created_after=datetime.now(timezone.utc) + timedelta(hours=1)) == []

    bodies = [
        exchange.body for exchange in tenant.http_client.exchanges
        if exchange.method == "GET" and "PageSize=2" in exchange.url and "Status=in-progress" in exchange.url
    ]
    assert [len(body["rooms"]) for body in bodies] == [2, 2]
    assert [body["meta"]["page"] for body in bodies] == [0, 1]
    next_url = bodies[0]["meta"]["next_page_url"]
    query = parse_qs(urlsplit(next_url).query)
    assert (query["Status"], query["PageSize"], query["Page"]) == (["in-progress"], ["2"], ["1"]), next_url
    assert "PageToken" in query and bodies[-1]["meta"]["next_page_url"] is None
    assert bodies[1]["meta"]["previous_page_url"] is not None

    seen = validate_video_exchanges(tenant)
    assert {"CreateRoom", "ListRoom", "UpdateRoom"} <= seen


BAD_CREATES = [
    {"type": "huge"},
    {"max_participants": 0},
    {"max_participants": 51},
    {"type": "go", "max_participants": 3},
    {"type": "peer-to-peer", "max_participants": 11},
    {"max_participant_duration": 599},
    {"max_participant_duration": 86401},
    {"status_callback": "not a url"},
    {"status_callback": "ftp://203.0.113.10/callback"},
    {"status_callback_method": "PUT"},
    {"empty_room_timeout": 0},
    {"empty_room_timeout": 61},
    {"unused_room_timeout": 0},
    {"unused_room_timeout": 61},
    {"video_codecs": ["VP9"]},
    {"media_region": "mars1"},
    {"unique_name": "RM" + "a" * 32},
    {"unique_name": "x" * 129},
]


@pytest.mark.parametrize("params", BAD_CREATES, ids=lambda params: ",".join(f"{k}={v}" for k, v in params.items())[:60])
def test_invalid_create_is_400_and_creates_nothing(tenant, params):
    params = {"unique_name": unique_name("bad"), **params}
    raises(lambda: tenant.video.v1.rooms.create(**params), 400, 20001)
    assert tenant.video.v1.rooms.list() == []


def test_private_status_callback_is_refused(tenant):
    # The session server allows 127.0.0.0/8 (webhook receivers); other internal ranges stay refused.
    for url in ("http://10.0.0.1/callback", "http://169.254.169.254/latest/meta-data", "http://[::1]/callback"):
        raises(lambda: tenant.video.v1.rooms.create(status_callback=url), 400, 20001)
    assert tenant.video.v1.rooms.list() == []


def test_duplicate_unique_name_is_53113(tenant):
    name = unique_name("dup")
    first = tenant.video.v1.rooms.create(unique_name=name)
    raises(lambda: tenant.video.v1.rooms.create(unique_name=name), 400, 53113)
    tenant.video.v1.rooms(first.sid).update(status="completed")
    second = tenant.video.v1.rooms.create(unique_name=name)
    assert second.sid != first.sid
    assert tenant.video.v1.rooms(name).fetch().sid == second.sid


def test_update_accepts_only_completed(tenant):
    room = tenant.video.v1.rooms.create()
    for status in ("in-progress", "failed", "paused"):
        raises(lambda: tenant.video.v1.rooms(room.sid).update(status=status), 400, 20001)
    assert tenant.video.v1.rooms(room.sid).fetch().status == "in-progress"
    raises(lambda: tenant.video.v1.rooms(UNKNOWN_ROOM).update(status="completed"), 404, 20404)
    tenant.video.v1.rooms(room.sid).update(status="completed")


def test_unknown_rooms_and_bad_filters(video):
    raises(lambda: video.video.v1.rooms(UNKNOWN_ROOM).fetch(), 404, 20404)
    raises(lambda: video.video.v1.rooms(unique_name("nobody")).fetch(), 404, 20404)
    response = video.http_client.request(
        "GET", "https://video.twilio.com/v1/Rooms", params={"DateCreatedAfter": "yesterday"},
        auth=(video.username, video.password),
    )
    assert response.status_code == 400 and json.loads(response.text)["code"] == 20001
    response = video.http_client.request(
        "GET", "https://video.twilio.com/v1/Rooms", params={"Status": "open"}, auth=(video.username, video.password),
    )
    assert response.status_code == 400 and json.loads(response.text)["code"] == 20001


def test_other_accounts_cannot_see_or_end_a_room(video, tenant):
    name = unique_name("mine")
    room = video.video.v1.rooms.create(unique_name=name)
    for target in (room.sid, name):
        raises(lambda: tenant.video.v1.rooms(target).fetch(), 404, 20404)
        raises(lambda: tenant.video.v1.rooms(target).update(status="completed"), 404, 20404)
        with pytest.raises(TwilioException) as caught:  # a list that is not 200 raises a bare TwilioException
            tenant.video.v1.rooms(target).participants.list()
        assert_page_error(caught.value, 404, 20404)
    assert room.sid not in {r.sid for r in tenant.video.v1.rooms.list()}
    assert video.video.v1.rooms(room.sid).fetch().status == "in-progress"
    video.video.v1.rooms(room.sid).update(status="completed")


# --- Participants and tracks without a join ---------------------------------------------------------------------


def test_participants_of_an_empty_room(video):
    room = video.video.v1.rooms.create()
    participants = video.video.v1.rooms(room.sid).participants
    assert participants.list() == []
    assert participants.list(status="connected", identity="alice") == []
    raises(lambda: participants(UNKNOWN_PARTICIPANT).fetch(), 404, 20404)
    raises(lambda: participants("alice").fetch(), 404, 20404)
    raises(lambda: participants("alice").update(status="disconnected"), 404, 20404)
    raises(lambda: participants(UNKNOWN_PARTICIPANT).published_tracks(UNKNOWN_TRACK).fetch(), 404, 20404)
    raises(lambda: participants("alice").subscribed_tracks(UNKNOWN_TRACK).fetch(), 404, 20404)
    video.video.v1.rooms(room.sid).update(status="completed")
    seen = validate_video_exchanges(video)
    assert "ListRoomParticipant" in seen
