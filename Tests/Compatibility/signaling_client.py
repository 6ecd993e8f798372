"""A small client of Parley's signaling protocol (docs/video.md) for the compatibility tests: the join ticket
from the gateway, then the WebSocket on the room's media node. Synchronous (websockets' sync client)."""

import itertools
import json
import time
from typing import Optional

import requests
from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import VideoGrant
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as ws_connect

OPEN_TIMEOUT_SECONDS = 5


def video_token(account_sid: str, key_sid: str, key_secret: str, identity: Optional[str], room: Optional[str] = None,
                ttl: int = 3600, **kwargs) -> str:
    """An access token minted by the official SDK, as a customer's backend would."""
    token = AccessToken(account_sid, key_sid, key_secret, identity=identity, ttl=ttl, **kwargs)
    token.add_grant(VideoGrant(room=room))
    return token.to_jwt()


def request_ticket(base_url: str, token: str, room: Optional[str] = None, participant_sid: Optional[str] = None):
    """`POST /media/v1/Tickets`; returns the `requests` response."""
    form = {"Token": token}
    if room is not None:
        form["Room"] = room
    if participant_sid is not None:
        form["ParticipantSid"] = participant_sid
    session = requests.Session()
    session.trust_env = False
    return session.post(f"{base_url}/media/v1/Tickets", data=form, timeout=10)


class SignalingError(Exception):
    def __init__(self, message: dict):
        super().__init__(f"{message.get('code')}: {message.get('message')}")
        self.code = message.get("code")
        self.body = message


class Connection:
    """One joined participant. `pushed` keeps every message that was not a reply to a request."""

    def __init__(self, socket, ticket: dict):
        self.socket = socket
        self.ticket = ticket
        self.ids = itertools.count(1)
        self.pushed = []
        self.joined = None

    @property
    def participant_sid(self) -> str:
        return self.joined["participant"]["sid"]

    def send(self, message: dict) -> None:
        self.socket.send(json.dumps(message))

    def receive(self, timeout: float = 5) -> dict:
        return json.loads(self.socket.recv(timeout=timeout))

    def request(self, message: dict, timeout: float = 5) -> dict:
        """Sends a request and waits for the reply with its id; raises SignalingError on an `error` reply."""
        request_id = str(next(self.ids))
        self.send({**message, "id": request_id})
        deadline = time.monotonic() + timeout
        while True:
            reply = self.receive(timeout=max(0.01, deadline - time.monotonic()))
            if reply.get("id") != request_id:
                self.pushed.append(reply)
                continue
            if reply["type"] == "error":
                raise SignalingError(reply)
            return reply

    def wait_for(self, message_type: str, timeout: float = 5, **fields) -> dict:
        """The first pushed message of `message_type` (whose fields match), kept or yet to arrive."""
        def matches(message):
            return message.get("type") == message_type and all(message.get(k) == v for k, v in fields.items())
        for index, message in enumerate(self.pushed):
            if matches(message):
                return self.pushed.pop(index)
        deadline = time.monotonic() + timeout
        while True:
            message = self.receive(timeout=max(0.01, deadline - time.monotonic()))
            if matches(message):
                return message
            self.pushed.append(message)

    def close(self) -> None:
        self.socket.close()


def join(base_url: str, token: str, room: Optional[str] = None, participant_sid: Optional[str] = None) -> Connection:
    """Ticket, WebSocket, `join`; returns the connection once `joined` arrived (raises otherwise)."""
    response = request_ticket(base_url, token, room, participant_sid)
    if response.status_code != 201:
        raise SignalingError(response.json())
    ticket = response.json()
    socket = ws_connect(ticket["signaling_url"], open_timeout=OPEN_TIMEOUT_SECONDS)
    connection = Connection(socket, ticket)
    try:
        connection.joined = connection.request({"type": "join", "ticket": ticket["ticket"]})
    except ConnectionClosed as closed:
        socket.close()
        raise SignalingError({"code": None, "message": f"closed before joined ({closed}); got {connection.pushed}"}) from None
    except BaseException:
        socket.close()
        raise
    return connection


# A complete publish offer (BUNDLE, rtcp-mux, ICE credentials, a DTLS fingerprint), as a browser sends it; no
# client ever connects with it, so the credentials and fingerprint need not be real.
_SECTION_TRANSPORT = (
    "c=IN IP4 0.0.0.0\r\na=ice-ufrag:sig1\r\na=ice-pwd:signalingtestsignalingtest\r\n"
    "a=fingerprint:sha-256 " + ":".join(["AB"] * 32) + "\r\na=setup:actpass\r\na=rtcp-mux\r\n"
)
OFFER = (
    "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" + _SECTION_TRANSPORT + "a=mid:0\r\na=sendonly\r\na=rtpmap:111 opus/48000/2\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" + _SECTION_TRANSPORT + "a=mid:1\r\na=sendonly\r\na=rtpmap:96 VP8/90000\r\n"
)


def publish_microphone_and_camera(connection: Connection) -> dict:
    """Publishes an audio and a video track; returns the `answer`."""
    return connection.request({
        "type": "publish", "sdp": OFFER,
        "tracks": [{"name": "microphone", "kind": "audio", "mid": "0"}, {"name": "camera", "kind": "video", "mid": "1"}],
    })
