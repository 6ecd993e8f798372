"""Two gateway processes on one database: a chat client connected to one gets, live, what happens through the other
(messages posted over REST, participants joining, typing)."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import requests

from chat_client import ChatClient, chat_token
from media_nodes import database_url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def second_gateway(parley_binary, parley):
    """`parley serve` on the session server's embedded PostgreSQL, sharing its master key."""
    work = Path(tempfile.mkdtemp(prefix="parley-second-"))
    (work / "data").mkdir()
    shutil.copy(parley.work_dir / "data" / "master.key", work / "data" / "master.key")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PARLEY_ACCOUNT_SID", "PARLEY_AUTH_TOKEN")}
    with open(work / "server.log", "ab") as log:
        process = subprocess.Popen(
            [str(parley_binary), "serve", "--host", "127.0.0.1", "--port", str(port), "--public-url", base, "--data-dir",
             str(work / "data"), "--database-url", database_url(parley), "--rate-limit-per-second", "0", "--no-media", "--no-sandbox"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    session = requests.Session()
    session.trust_env = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if session.get(f"{base}/health", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        assert process.poll() is None, (work / "server.log").read_text()[-3000:]
        time.sleep(0.2)
    else:
        raise AssertionError("the second gateway did not start")
    yield base
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    shutil.rmtree(work, ignore_errors=True)


def test_news_crosses_gateways(base_url, second_gateway, owner, client):
    key = client.new_keys.create(friendly_name="two-gateways")
    conversation = client.conversations.v1.conversations.create(unique_name=f"two-{uuid.uuid4().hex[:8]}")
    try:
        conversation.participants.create(identity="near")
        conversation.participants.create(identity="far")
        near = ChatClient(base_url, chat_token(owner.sid, key.sid, key.secret, "near"))
        far = ChatClient(second_gateway, chat_token(owner.sid, key.sid, key.secret, "far"))
        try:
            for chat in (near, far):
                assert chat.request({"type": "subscribe", "conversation": conversation.sid})["type"] == "subscribed"
            # REST on the first gateway (batched, no hooks), a chat message on the second, typing and a join on the first.
            for n in range(20):
                conversation.messages.create(author="system", body=f"rest {n}")
            assert far.request({"type": "send", "conversation": conversation.sid, "body": "from far"})["type"] == "sent"
            near.send({"type": "typing", "conversation": conversation.sid})
            conversation.participants.create(identity="late")

            expected = [f"rest {n}" for n in range(20)] + ["from far"]
            for chat in (near, far):
                chat.wait_for(lambda events, chat=chat: len(chat.added(conversation.sid)) >= 21, 15, "every message on both gateways")
                assert [m["body"] for m in chat.added(conversation.sid)] == expected
                assert [m["index"] for m in chat.added(conversation.sid)] == list(range(21))
            far.wait_for(lambda events: any(e["type"] == "typing" for e in events), 10, "typing from the other gateway")
            far.wait_for(lambda events: any(e["type"] == "participant_joined" for e in events), 10, "a join on the other gateway")
            joined = [e["participant"]["identity"] for e in far.events if e["type"] == "participant_joined"]
            assert joined == ["late"]
        finally:
            near.close()
            far.close()
    finally:
        conversation.delete()
        client.api.v2010.accounts(owner.sid).keys(key.sid).delete()
