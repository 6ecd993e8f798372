"""A chat client of Parley's realtime Conversations protocol (docs/conversations-realtime.md) on `websockets`' sync API,
and access tokens minted by twilio-python with a ChatGrant."""

import json
import time
from typing import Callable, List, Optional

from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import ChatGrant
from websockets.sync.client import connect as ws_connect


def chat_token(account_sid: str, key_sid: str, key_secret: str, identity: str, ttl: int = 600) -> str:
    token = AccessToken(account_sid, key_sid, key_secret, identity=identity, ttl=ttl)
    token.add_grant(ChatGrant(service_sid="IS" + account_sid[2:]))
    return token.to_jwt()


class ChatClient:
    """One connection: `request` sends a frame with an id and returns the answer; every other frame is kept in `events`."""

    def __init__(self, base_url: str, token: str, authenticate: bool = True):
        self.socket = ws_connect(base_url.replace("http://", "ws://") + "/realtime/v1/Conversations", open_timeout=10)
        self.events: List[dict] = []
        self.next_id = 0
        self.ready = self.request({"type": "authenticate", "token": token}) if authenticate else None

    def send(self, frame: dict) -> None:
        self.socket.send(json.dumps(frame))

    def receive(self, timeout: float) -> Optional[dict]:
        try:
            return json.loads(self.socket.recv(timeout=timeout))
        except TimeoutError:
            return None

    def request(self, frame: dict, timeout: float = 10) -> dict:
        self.next_id += 1
        frame = dict(frame, id=f"r{self.next_id}")
        self.send(frame)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            answer = self.receive(deadline - time.monotonic())
            if answer is None:
                break
            if answer.get("id") == frame["id"]:
                return answer
            self.events.append(answer)
        raise AssertionError(f"no answer to {frame['type']} within {timeout} s")

    def wait_for(self, predicate: Callable[[List[dict]], bool], timeout: float, what: str) -> List[dict]:
        deadline = time.monotonic() + timeout
        while not predicate(self.events):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out waiting for {what}; got {[e.get('type') for e in self.events]}")
            event = self.receive(remaining)
            if event is not None:
                self.events.append(event)
        return self.events

    def added(self, conversation: str) -> List[dict]:
        return [e["message"] for e in self.events if e["type"] == "message_added" and e["conversation"] == conversation]

    def close(self) -> None:
        self.socket.close()
