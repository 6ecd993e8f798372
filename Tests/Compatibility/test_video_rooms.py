"""Video v1 Rooms, Participants and Tracks through the official twilio SDK (`client.video.v1`).

Every JSON body the SDK receives is validated strictly against Twilio's own OpenAPI schemas
(`twilio_video_v1.json`): every property present, nulls only where the spec allows them, documented status
codes, list envelopes without extra keys. Participants and tracks come from real joins through the signaling
WebSocket (signaling_client.py); those tests are skipped when that helper is missing."""

import json
import re
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

import pytest
from jsonschema import Draft202012Validator
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import VideoGrant
from twilio.rest import Client

from helpers import assert_page_error, assert_recent, assert_rest_error, unique_name
from local_http_client import TWILIO_DOMAIN, LocalHttpClient
from oai_schema import DEFAULT_SPEC, strict_schema

VIDEO_SPEC = DEFAULT_SPEC.parent / "twilio_video_v1.json"
VIDEO_MOUNT = "/video"
ROOM_SID = re.compile(r"RM[0-9a-f]{32}")
PARTICIPANT_SID = re.compile(r"PA[0-9a-f]{32}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
DATE_FIELDS = {"date_created", "date_updated", "end_time", "start_time"}
UNKNOWN_ROOM = "RM" + "0" * 32
UNKNOWN_PARTICIPANT = "PA" + "0" * 32
UNKNOWN_TRACK = "MT" + "0" * 32


# --- Twilio's Video spec ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _spec() -> dict:
    if not VIDEO_SPEC.is_file():
        raise FileNotFoundError(f"Twilio Video v1 OpenAPI spec not found at {VIDEO_SPEC}")
    return json.loads(VIDEO_SPEC.read_text())


def _operation(method: str, path: str):
    """The spec's (template, operation) for a concrete path such as `/v1/Rooms/RM…/Participants`."""
    for template, item in _spec()["paths"].items():
        operation = item.get(method.lower())
        if operation is None:
            continue
        pattern = "[^/]+".join(re.escape(piece) for piece in re.split(r"\{[^}]+\}", template))
        if re.fullmatch(pattern, path):
            return template, operation
    return None


def _validator(operation: dict, status: int):
    body = operation["responses"][str(status)].get("content", {}).get("application/json")
    if body is None:
        return None
    schema = strict_schema(body["schema"], _spec()["components"]["schemas"])
    if operation["operationId"].startswith("List"):
        schema["additionalProperties"] = False
    return Draft202012Validator(schema)


def _dates_problems(record: dict, where: str) -> list:
    return [
        f"{where} {name}: {record[name]!r} is not YYYY-MM-DDTHH:MM:SSZ"
        for name in DATE_FIELDS & set(record)
        if record[name] is not None and not ISO_DATE.fullmatch(record[name])
    ]


def validate_exchanges(client) -> set:
    """Every successful exchange is a documented operation answered with a documented status and a body that
    matches its schema (dates in Twilio's ISO 8601 shape); returns the operationIds seen. Errors are checked
    by the tests that provoke them (Twilio's spec documents no error bodies)."""
    seen, problems = set(), []
    for exchange in client.http_client.exchanges:
        path = urlsplit(exchange.url).path
        assert path.startswith(VIDEO_MOUNT + "/"), exchange.url
        if exchange.status >= 400:
            continue
        found = _operation(exchange.method, path[len(VIDEO_MOUNT):])
        assert found is not None, f"{exchange.method} {path} is not an operation in the spec"
        template, operation = found
        seen.add(operation["operationId"])
        assert str(exchange.status) in operation["responses"], (
            f"{exchange.method} {template} answered {exchange.status}, spec allows {sorted(operation['responses'])}"
        )
        validator = _validator(operation, exchange.status)
        if validator is None:
            continue
        assert exchange.body is not None, f"{exchange.method} {path} returned no JSON body"
        problems += [
            f"{operation['operationId']} {'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
            for error in validator.iter_errors(exchange.body)
        ]
        records = exchange.body[exchange.body["meta"]["key"]] if "meta" in exchange.body else [exchange.body]
        for record in records:
            problems += _dates_problems(record, operation["operationId"])
    assert not problems, "\n".join(problems)
    return seen


# --- Clients ---------------------------------------------------------------------------------------------------


class VideoHttpClient(LocalHttpClient):
    """Like LocalHttpClient, and also follows v1 `meta.next_page_url`s, which are absolute URLs on the server
    itself (`{base_url}/video/v1/…`), by mapping them back to `https://video.twilio.com/v1/…` first."""

    def request(self, method, url, *args, **kwargs):
        if url.startswith(self.base_url + "/"):
            product, _, rest = url[len(self.base_url) + 1:].partition("/")
            url = f"https://{product}{TWILIO_DOMAIN}/{rest}"
        return super().request(method, url, *args, **kwargs)


@pytest.fixture
def video(base_url, owner) -> Client:
    """An owner SDK client whose `http_client.exchanges` holds this test's traffic."""
    return Client(owner.sid, owner.token, http_client=VideoHttpClient(base_url))


@pytest.fixture
def tenant(base_url, make_subaccount) -> Client:
    """A client for a fresh subaccount: its rooms are exactly the ones the test creates."""
    sub = make_subaccount("video")
    return Client(sub.sid, sub.auth_token, http_client=VideoHttpClient(base_url))


def _raises(call, status: int, code: int) -> TwilioRestException:
    with pytest.raises(TwilioRestException) as caught:
        call()
    assert_rest_error(caught.value, status, code)
    return caught.value


def _iso(moment) -> datetime:
    assert isinstance(moment, datetime), f"the SDK did not parse {moment!r} as a date"
    return moment


# --- Rooms -----------------------------------------------------------------------------------------------------


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
    assert_recent(_iso(room.date_created))
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
    assert_recent(_iso(ended.end_time))
    assert isinstance(ended.duration, int) and ended.duration >= 0
    assert video.http_client.last().status == 202
    # Ending again answers the room unchanged.
    again = video.video.v1.rooms(room.sid).update(status="completed")
    assert (again.status, again.end_time, again.date_updated) == ("completed", ended.end_time, ended.date_updated)
    # The name no longer resolves; the SID does, and the list filters see it completed.
    _raises(lambda: video.video.v1.rooms(name).fetch(), 404, 20404)
    assert video.video.v1.rooms(room.sid).fetch().status == "completed"
    assert [r.sid for r in video.video.v1.rooms.list(unique_name=name, status="completed")] == [room.sid]
    assert video.video.v1.rooms.list(unique_name=name, status="in-progress") == []

    seen = validate_exchanges(video)
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
    validate_exchanges(video)


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

    seen = validate_exchanges(tenant)
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
    _raises(lambda: tenant.video.v1.rooms.create(**params), 400, 20001)
    assert tenant.video.v1.rooms.list() == []


def test_private_status_callback_is_refused(tenant):
    # The session server allows 127.0.0.0/8 (webhook receivers); other internal ranges stay refused.
    for url in ("http://10.0.0.1/callback", "http://169.254.169.254/latest/meta-data", "http://[::1]/callback"):
        _raises(lambda: tenant.video.v1.rooms.create(status_callback=url), 400, 20001)
    assert tenant.video.v1.rooms.list() == []


def test_duplicate_unique_name_is_53113(tenant):
    name = unique_name("dup")
    first = tenant.video.v1.rooms.create(unique_name=name)
    _raises(lambda: tenant.video.v1.rooms.create(unique_name=name), 400, 53113)
    tenant.video.v1.rooms(first.sid).update(status="completed")
    second = tenant.video.v1.rooms.create(unique_name=name)
    assert second.sid != first.sid
    assert tenant.video.v1.rooms(name).fetch().sid == second.sid


def test_update_accepts_only_completed(tenant):
    room = tenant.video.v1.rooms.create()
    for status in ("in-progress", "failed", "paused"):
        _raises(lambda: tenant.video.v1.rooms(room.sid).update(status=status), 400, 20001)
    assert tenant.video.v1.rooms(room.sid).fetch().status == "in-progress"
    _raises(lambda: tenant.video.v1.rooms(UNKNOWN_ROOM).update(status="completed"), 404, 20404)
    tenant.video.v1.rooms(room.sid).update(status="completed")


def test_unknown_rooms_and_bad_filters(video):
    _raises(lambda: video.video.v1.rooms(UNKNOWN_ROOM).fetch(), 404, 20404)
    _raises(lambda: video.video.v1.rooms(unique_name("nobody")).fetch(), 404, 20404)
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
        _raises(lambda: tenant.video.v1.rooms(target).fetch(), 404, 20404)
        _raises(lambda: tenant.video.v1.rooms(target).update(status="completed"), 404, 20404)
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
    _raises(lambda: participants(UNKNOWN_PARTICIPANT).fetch(), 404, 20404)
    _raises(lambda: participants("alice").fetch(), 404, 20404)
    _raises(lambda: participants("alice").update(status="disconnected"), 404, 20404)
    _raises(lambda: participants(UNKNOWN_PARTICIPANT).published_tracks(UNKNOWN_TRACK).fetch(), 404, 20404)
    _raises(lambda: participants("alice").subscribed_tracks(UNKNOWN_TRACK).fetch(), 404, 20404)
    video.video.v1.rooms(room.sid).update(status="completed")
    seen = validate_exchanges(video)
    assert "ListRoomParticipant" in seen


# --- With real participants (signaling) -------------------------------------------------------------------------


@pytest.fixture
def signaling():
    """Tests/Compatibility/signaling_client.py: tickets and the signaling WebSocket (skipped without it)."""
    return pytest.importorskip("signaling_client")


@pytest.fixture
def join(base_url, make_client, owner, signaling):
    """`join(identity, room)`: connects `identity` to `room` through the signaling WebSocket with an access token
    of the owner's, and keeps the connection open until the test ends."""
    account = make_client(owner.sid, owner.token).api.v2010.accounts(owner.sid)
    key = account.new_keys.create(friendly_name=unique_name("video-key"))
    with ExitStack() as stack:

        def factory(identity, room):
            token = signaling.video_token(owner.sid, key.sid, key.secret, identity, room=room, ttl=600)
            connection = signaling.join(base_url, token, room)
            stack.callback(connection.close)
            return connection

        yield factory
    account.keys(key.sid).delete()


def _participant(video, room_sid, identity):
    """The participant `identity` as the REST API shows it once its join completed."""
    found = video.video.v1.rooms(room_sid).participants.list(identity=identity, status="connected")
    assert len(found) == 1, found
    return found[0]


def test_participants_list_fetch_and_kick(video, join):
    name = unique_name("meet")
    room = video.video.v1.rooms.create(unique_name=name)
    alice_connection = join("alice", name)
    bob_connection = join("bob", name)

    alice, bob = _participant(video, room.sid, "alice"), _participant(video, room.sid, "bob")
    assert (alice.sid, bob.sid) == (alice_connection.participant_sid, bob_connection.participant_sid)
    assert PARTICIPANT_SID.fullmatch(alice.sid) and alice.room_sid == room.sid and alice.account_sid == room.account_sid
    assert (alice.status, alice.end_time, alice.duration) == ("connected", None, None)
    assert_recent(_iso(alice.start_time))
    participants = video.video.v1.rooms(room.sid).participants
    assert [p.identity for p in participants.list()] == ["alice", "bob"]
    assert [p.identity for p in participants.stream(status="connected", page_size=1)] == ["alice", "bob"]
    assert participants(bob.sid).fetch().identity == "bob"
    assert video.video.v1.rooms(name).participants("bob").fetch().sid == bob.sid
    _raises(lambda: participants("carol").fetch(), 404, 20404)

    _raises(lambda: participants(bob.sid).update(status="connected"), 400, 20001)
    assert participants(bob.sid).fetch().status == "connected"
    kicked = participants(bob.sid).update(status="disconnected")
    assert video.http_client.last().status == 202
    assert (kicked.sid, kicked.status) == (bob.sid, "disconnected")
    assert_recent(_iso(kicked.end_time))
    assert isinstance(kicked.duration, int) and kicked.duration >= 0
    assert bob_connection.wait_for("disconnected", timeout=10)["reason"] == "kicked"
    assert [p.sid for p in participants.list(status="disconnected")] == [bob.sid]
    assert [p.sid for p in participants.list(status="connected")] == [alice.sid]
    # Kicking again answers the participant unchanged.
    assert participants(bob.sid).update(status="disconnected").end_time == kicked.end_time

    ended = video.video.v1.rooms(room.sid).update(status="completed")
    assert ended.status == "completed"
    assert [p.status for p in participants.list()] == ["disconnected", "disconnected"]
    assert alice_connection.wait_for("disconnected", timeout=10)["reason"] == "room-ended"

    seen = validate_exchanges(video)
    assert {"ListRoomParticipant", "FetchRoomParticipant", "UpdateRoomParticipant"} <= seen


def test_published_and_subscribed_tracks(video, join, signaling):
    name = unique_name("tracks")
    room = video.video.v1.rooms.create(unique_name=name)
    alice_connection = join("alice", name)
    bob_connection = join("bob", name)
    answer = signaling.publish_microphone_and_camera(alice_connection)
    published = {track["name"]: track["sid"] for track in answer["tracks"]}
    assert set(published) == {"microphone", "camera"}, answer
    bob_connection.request({"type": "subscribe", "track": published["microphone"]})

    alice = video.video.v1.rooms(room.sid).participants(alice_connection.participant_sid)
    bob = video.video.v1.rooms(name).participants("bob")
    tracks = alice.published_tracks.list()
    assert {(t.name, t.kind, t.enabled) for t in tracks} == {("microphone", "audio", True), ("camera", "video", True)}
    assert {t.sid for t in tracks} == set(published.values())
    assert all(t.participant_sid == alice_connection.participant_sid and t.room_sid == room.sid for t in tracks)
    assert [t.sid for t in alice.published_tracks.stream(page_size=1)] == [t.sid for t in tracks]
    camera = alice.published_tracks(published["camera"]).fetch()
    assert (camera.name, camera.kind) == ("camera", "video")
    assert_recent(_iso(camera.date_created))
    assert bob.published_tracks.list() == []

    received = bob.subscribed_tracks.list()
    assert [(t.sid, t.name, t.kind) for t in received] == [(published["microphone"], "microphone", "audio")]
    microphone = bob.subscribed_tracks(published["microphone"]).fetch()
    assert (microphone.participant_sid, microphone.publisher_sid) == (bob_connection.participant_sid, alice_connection.participant_sid)
    assert microphone.room_sid == room.sid
    _raises(lambda: bob.subscribed_tracks(published["camera"]).fetch(), 404, 20404)
    _raises(lambda: alice.subscribed_tracks(published["microphone"]).fetch(), 404, 20404)
    _raises(lambda: alice.published_tracks(UNKNOWN_TRACK).fetch(), 404, 20404)

    # Muting shows on both sides.
    alice_connection.request({"type": "mute", "track": published["microphone"]})
    assert alice.published_tracks(published["microphone"]).fetch().enabled is False
    assert bob.subscribed_tracks(published["microphone"]).fetch().enabled is False

    # Once the room ended its name no longer resolves; by SIDs, nothing is published or received any more.
    video.video.v1.rooms(room.sid).update(status="completed")
    bob_by_sid = video.video.v1.rooms(room.sid).participants(bob_connection.participant_sid)
    assert alice.published_tracks.list() == [] and bob_by_sid.subscribed_tracks.list() == []

    seen = validate_exchanges(video)
    assert {
        "ListRoomParticipantPublishedTrack", "FetchRoomParticipantPublishedTrack", "ListRoomParticipantSubscribedTrack",
        "FetchRoomParticipantSubscribedTrack",
    } <= seen
