"""Video v1 Participants and Published/Subscribed Tracks through the official twilio SDK, with participants that
really joined through the signaling WebSocket (signaling_client.py). Responses are validated strictly against
Twilio's `twilio_video_v1.json`."""

from contextlib import ExitStack

import pytest

from helpers import assert_recent, unique_name
from signaling_client import join as signaling_join
from signaling_client import publish_microphone_and_camera, video_token
from video_sdk import PARTICIPANT_SID, UNKNOWN_TRACK, as_date, raises, validate_video_exchanges


@pytest.fixture
def join(base_url, make_client, owner):
    """`join(identity, room)`: connects `identity` to `room` through the signaling WebSocket with an access token
    of the owner's, and keeps the connection open until the test ends."""
    account = make_client(owner.sid, owner.token).api.v2010.accounts(owner.sid)
    key = account.new_keys.create(friendly_name=unique_name("video-key"))
    with ExitStack() as stack:

        def factory(identity, room):
            token = video_token(owner.sid, key.sid, key.secret, identity, room=room, ttl=600)
            connection = signaling_join(base_url, token, room)
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
    assert_recent(as_date(alice.start_time))
    participants = video.video.v1.rooms(room.sid).participants
    assert [p.identity for p in participants.list()] == ["alice", "bob"]
    assert [p.identity for p in participants.stream(status="connected", page_size=1)] == ["alice", "bob"]
    assert participants(bob.sid).fetch().identity == "bob"
    assert video.video.v1.rooms(name).participants("bob").fetch().sid == bob.sid
    raises(lambda: participants("carol").fetch(), 404, 20404)

    raises(lambda: participants(bob.sid).update(status="connected"), 400, 20001)
    assert participants(bob.sid).fetch().status == "connected"
    kicked = participants(bob.sid).update(status="disconnected")
    assert video.http_client.last().status == 202
    assert (kicked.sid, kicked.status) == (bob.sid, "disconnected")
    assert_recent(as_date(kicked.end_time))
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

    seen = validate_video_exchanges(video)
    assert {"ListRoomParticipant", "FetchRoomParticipant", "UpdateRoomParticipant"} <= seen


def test_published_and_subscribed_tracks(video, join):
    name = unique_name("tracks")
    room = video.video.v1.rooms.create(unique_name=name)
    alice_connection = join("alice", name)
    bob_connection = join("bob", name)
    answer = publish_microphone_and_camera(alice_connection)
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
    assert_recent(as_date(camera.date_created))
    assert bob.published_tracks.list() == []

    received = bob.subscribed_tracks.list()
    assert [(t.sid, t.name, t.kind) for t in received] == [(published["microphone"], "microphone", "audio")]
    microphone = bob.subscribed_tracks(published["microphone"]).fetch()
    assert (microphone.participant_sid, microphone.publisher_sid) == (bob_connection.participant_sid, alice_connection.participant_sid)
    assert microphone.room_sid == room.sid
    raises(lambda: bob.subscribed_tracks(published["camera"]).fetch(), 404, 20404)
    raises(lambda: alice.subscribed_tracks(published["microphone"]).fetch(), 404, 20404)
    raises(lambda: alice.published_tracks(UNKNOWN_TRACK).fetch(), 404, 20404)

    # Muting shows on both sides.
    alice_connection.request({"type": "mute", "track": published["microphone"]})
    assert alice.published_tracks(published["microphone"]).fetch().enabled is False
    assert bob.subscribed_tracks(published["microphone"]).fetch().enabled is False

    # Once the room ended its name no longer resolves; by SIDs, nothing is published or received any more.
    video.video.v1.rooms(room.sid).update(status="completed")
    bob_by_sid = video.video.v1.rooms(room.sid).participants(bob_connection.participant_sid)
    assert alice.published_tracks.list() == [] and bob_by_sid.subscribed_tracks.list() == []

    seen = validate_video_exchanges(video)
    assert {
        "ListRoomParticipantPublishedTrack", "FetchRoomParticipantPublishedTrack", "ListRoomParticipantSubscribedTrack",
        "FetchRoomParticipantSubscribedTrack",
    } <= seen
