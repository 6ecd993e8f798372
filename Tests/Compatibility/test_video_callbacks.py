"""Room status callbacks: Twilio's events and parameters, signed with X-Twilio-Signature, in order per room with
consecutive SequenceNumbers, through the events engine (so a failing receiver gets them later, still in order)."""

from helpers import unique_name
from signaling_client import join, publish_microphone_and_camera, video_token
from webhook_receiver import Reply, twilio_signature_valid

EXPECTED = [
    ("room-created", None), ("participant-connected", "alice"), ("participant-connected", "bob"),
    ("track-added", "alice"), ("track-added", "alice"), ("track-disabled", "alice"), ("track-enabled", "alice"),
    ("track-removed", "alice"), ("track-removed", "alice"), ("participant-disconnected", "alice"),
    ("participant-disconnected", "bob"), ("room-ended", None),
]


def drive_room(client, base_url, owner, key, receiver, path):
    room = client.video.v1.rooms.create(unique_name=unique_name("callbacks"), status_callback=receiver.url(path))
    alice = join(base_url, video_token(owner.sid, key.sid, key.secret, "alice"), room.unique_name)
    bob = join(base_url, video_token(owner.sid, key.sid, key.secret, "bob"), room.unique_name)
    answer = publish_microphone_and_camera(alice)
    microphone = answer["tracks"][0]["sid"]
    alice.request({"type": "mute", "track": microphone})
    alice.request({"type": "unmute", "track": microphone})
    alice.send({"type": "leave"})
    alice.wait_for("disconnected")
    bob.wait_for("participant-disconnected")
    client.video.v1.rooms(room.sid).update(status="completed")
    bob.wait_for("disconnected")
    return room


def test_callbacks_arrive_in_order_signed_without_gaps(client, base_url, owner, receiver):
    key = client.new_keys.create(friendly_name="video")
    path = "/room-status"
    room = drive_room(client, base_url, owner, key, receiver, path)
    arrivals = receiver.wait_for(lambda: receiver.requests_for(path) if len(receiver.requests_for(path)) >= len(EXPECTED)
                                 else None, timeout=30, what="all room callbacks")
    params = [request.params() for request in arrivals]
    sequence = [int(p["SequenceNumber"]) for p in params]
    print("callbacks:", [(p["SequenceNumber"], p["StatusCallbackEvent"]) for p in params])
    assert sequence == list(range(len(EXPECTED))), "out of order or with gaps"
    assert [(p["StatusCallbackEvent"], p.get("ParticipantIdentity")) for p in params] == EXPECTED
    for request, p in zip(arrivals, params):
        assert twilio_signature_valid(request, owner.token)
        assert p["AccountSid"] == owner.sid and p["RoomSid"] == room.sid and p["RoomName"] == room.unique_name
        assert p["RoomType"] == "group" and p["Timestamp"].endswith("Z")
    assert params[-1]["RoomStatus"] == "completed" and int(params[-1]["RoomDuration"]) >= 0
    assert params[3]["TrackKind"] == "audio" and params[4]["TrackKind"] == "video" and params[3]["TrackSid"].startswith("MT")
    disconnected = params[9]
    assert disconnected["ParticipantStatus"] == "disconnected" and int(disconnected["ParticipantDuration"]) >= 0


def test_order_holds_when_the_receiver_fails_first(client, base_url, owner, receiver):
    """The first callback is refused twice: the rest wait behind it rather than overtaking it."""
    key = client.new_keys.create(friendly_name="video")
    path = "/flaky-room-status"
    refuse = Reply(status=503, headers={"Retry-After": "1"})
    receiver.script(path, refuse, refuse)
    drive_room(client, base_url, owner, key, receiver, path)
    arrivals = receiver.wait_for(
        lambda: receiver.requests_for(path) if len({r.params()["SequenceNumber"] for r in receiver.requests_for(path)})
        >= len(EXPECTED) else None, timeout=60, what="all room callbacks after retries")
    first_delivery = []
    for request in arrivals:
        number = int(request.params()["SequenceNumber"])
        if number not in first_delivery:
            first_delivery.append(number)
    assert first_delivery == list(range(len(EXPECTED)))
