"""Chat benchmark driver for scripts/bench-chat.sh (Conversations, issue 8). Subcommands:

  latency URL AC TOKEN KEY SECRET PARTICIPANTS MESSAGES RATE
      one conversation, PARTICIPANTS chat clients subscribed; MESSAGES posted through the REST API at RATE a second;
      prints JSON with the latency from just before each POST to its arrival on every socket.
  setup URL AC TOKEN CONVERSATIONS OUT
      CONVERSATIONS conversations with one chat participant each; writes their SIDs to OUT, one per line.
  listen URL AC KEY SECRET SIDS_FILE
      one chat client per conversation, subscribed; counts message_added until stdin closes; prints JSON counts.
"""

import asyncio
import json
import statistics
import sys
import threading
import time
import uuid

import requests
from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import ChatGrant
from websockets.asyncio.client import connect


def token(account, key, secret, identity):
    minted = AccessToken(account, key, secret, identity=identity, ttl=3600)
    minted.add_grant(ChatGrant(service_sid="IS" + account[2:]))
    return minted.to_jwt()


def rest(base, account, auth_token):
    session = requests.Session()
    session.trust_env = False
    session.auth = (account, auth_token)

    def post(path, data):
        reply = session.post(f"{base}/conversations/v1{path}", data=data, timeout=30)
        if reply.status_code >= 300:
            raise SystemExit(f"{path}: {reply.status_code} {reply.text}")
        return reply.json()
    return post


async def chat_client(base, jwt, conversation, on_message, ready):
    socket = await connect(base.replace("http://", "ws://") + "/realtime/v1/Conversations", max_size=1 << 20)
    await socket.send(json.dumps({"type": "authenticate", "token": jwt}))
    assert json.loads(await socket.recv())["type"] == "ready"
    await socket.send(json.dumps({"type": "subscribe", "conversation": conversation, "id": "s"}))
    assert json.loads(await socket.recv())["type"] == "subscribed"
    ready()
    return socket


async def pump(socket, on_message):
    async for text in socket:
        frame = json.loads(text)
        if frame["type"] == "message_added":
            on_message(frame["message"], time.monotonic())


async def latency(base, account, auth_token, key, secret, participants, messages, rate):
    post = rest(base, account, auth_token)
    conversation = post("/Conversations", {"FriendlyName": "bench"})["sid"]
    for n in range(participants):
        post(f"/Conversations/{conversation}/Participants", {"Identity": f"user{n}"})
    arrivals = {}
    lock = threading.Lock()

    def on_message(message, at):
        with lock:
            arrivals.setdefault(message["body"], []).append(at)

    connected = []
    sockets = [await chat_client(base, token(account, key, secret, f"user{n}"), conversation, on_message, lambda: connected.append(1))
               for n in range(participants)]
    pumps = [asyncio.create_task(pump(s, on_message)) for s in sockets]
    sent = {}
    loop = asyncio.get_running_loop()

    def send_all():
        session = requests.Session()
        session.trust_env = False
        session.auth = (account, auth_token)
        start = time.monotonic()
        for n in range(messages):
            due = start + n / rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            body = f"m{n}-{uuid.uuid4().hex[:6]}"
            sent[body] = time.monotonic()
            reply = session.post(f"{base}/conversations/v1/Conversations/{conversation}/Messages", data={"Body": body, "Author": "bench"}, timeout=30)
            assert reply.status_code == 201, reply.text

    await loop.run_in_executor(None, send_all)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with lock:
            if sum(len(v) for v in arrivals.values()) >= messages * participants:
                break
        await asyncio.sleep(0.05)
    for task in pumps:
        task.cancel()
    for socket in sockets:
        await socket.close()
    samples = sorted((at - sent[body]) * 1000 for body, times in arrivals.items() if body in sent for at in times)
    quantile = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))] if samples else None
    print(json.dumps({"participants": participants, "messages": messages, "rate": rate, "expected": messages * participants,
                      "delivered": len(samples), "p50_ms": round(quantile(0.5), 2), "p99_ms": round(quantile(0.99), 2),
                      "max_ms": round(samples[-1], 2), "mean_ms": round(statistics.mean(samples), 2)}))


def setup(base, account, auth_token, count, out):
    post = rest(base, account, auth_token)
    with open(out, "w") as file:
        for n in range(count):
            sid = post("/Conversations", {"FriendlyName": f"load {n}"})["sid"]
            post(f"/Conversations/{sid}/Participants", {"Identity": "listener"})
            file.write(sid + "\n")


async def listen(base, account, key, secret, sids_file):
    sids = open(sids_file).read().split()
    jwt = token(account, key, secret, "listener")
    counts = {"delivered": 0, "first": None, "last": None}

    def on_message(message, at):
        counts["delivered"] += 1
        counts["first"] = counts["first"] or at
        counts["last"] = at

    async def count(socket):
        # Only counted, not parsed: the listener must not be what limits the rate it measures.
        async for text in socket:
            if '"type":"message_added"' in text:
                on_message(None, time.monotonic())

    sockets = [await chat_client(base, jwt, sid, on_message, lambda: None) for sid in sids]
    pumps = [asyncio.create_task(count(s)) for s in sockets]
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await asyncio.sleep(2)
    for task in pumps:
        task.cancel()
    print(json.dumps({"conversations": len(sids), "delivered": counts["delivered"],
                      "first": counts["first"], "last": counts["last"], "now": time.monotonic()}), flush=True)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "latency":
        base, account, auth_token, key, secret = args[:5]
        asyncio.run(latency(base, account, auth_token, key, secret, int(args[5]), int(args[6]), float(args[7])))
    elif command == "setup":
        setup(args[0], args[1], args[2], int(args[3]), args[4])
    elif command == "listen":
        asyncio.run(listen(*args))
    else:
        raise SystemExit(__doc__)
