"""A media stream consumer as a customer would write one: a `websockets` server on 127.0.0.1 that Parley connects to
(Twilio's Media Streams protocol). It records every message with its arrival time (time.monotonic), can talk back
(media, mark, clear) and can stop reading, like a consumer that fell behind.

The server runs on an event loop of its own in a thread (with a 1 ms GIL switch interval while it runs), so the
arrival times measure Parley's pacing, not the aiortc peers sharing the test's loop.

    async with StreamConsumer() as consumer:
        ...create a stream with Url=consumer.url("/a")...
        session = await consumer.session("/a")
        await session.wait_for(lambda: len(session.media) >= 100, timeout=10, what="2 s of media")
"""

import asyncio
import base64
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, List, Optional

import numpy as np
from websockets.asyncio.server import serve

MEDIA_TIMEOUT = 20


def _mulaw_table() -> np.ndarray:
    """G.711 μ-law → linear 16-bit, written from the standard (not from Parley's code)."""
    table = np.zeros(256, dtype=np.int16)
    for code in range(256):
        inverted = ~code & 0xFF
        sign, exponent, mantissa = inverted & 0x80, (inverted >> 4) & 0x07, inverted & 0x0F
        magnitude = ((mantissa << 3) + 0x84) << exponent
        table[code] = -(magnitude - 0x84) if sign else magnitude - 0x84
    return table


MULAW_TO_LINEAR = _mulaw_table()


def mulaw_decode(data: bytes) -> np.ndarray:
    """μ-law bytes → float samples in [-1, 1)."""
    return MULAW_TO_LINEAR[np.frombuffer(data, dtype=np.uint8)].astype(np.float64) / 32768.0


def mulaw_encode(samples: np.ndarray) -> bytes:
    """Float samples in [-1, 1) → μ-law bytes (the nearest code by table lookup)."""
    linear = np.clip(np.round(samples * 32768.0), -32768, 32767).astype(np.int32)
    order = np.argsort(MULAW_TO_LINEAR)
    sorted_values = MULAW_TO_LINEAR[order].astype(np.int32)
    index = np.clip(np.searchsorted(sorted_values, linear), 1, 255)
    nearer_left = np.abs(linear - sorted_values[index - 1]) <= np.abs(linear - sorted_values[index])
    return bytes(order[np.where(nearer_left, index - 1, index)].astype(np.uint8))


@dataclass
class Received:
    at: float
    message: Any  # a dict (text frames) or bytes (binary frames)


@dataclass
class ConsumerSession:
    """One WebSocket connection Parley opened."""

    path: str
    headers: Any  # websockets.datastructures.Headers: case-insensitive
    connection: Any
    messages: List[Received] = field(default_factory=list)
    closed_at: Optional[float] = None
    reading: bool = True
    loop: Any = None  # the consumer's event loop, which owns `connection`

    def events(self, name: str) -> List[Received]:
        return [r for r in self.messages if isinstance(r.message, dict) and r.message.get("event") == name]

    @property
    def media(self) -> List[Received]:
        return self.events("media")

    @property
    def binary(self) -> List[Received]:
        return [r for r in self.messages if isinstance(r.message, bytes)]

    @property
    def stream_sid(self) -> str:
        return self.events("start")[0].message["streamSid"]

    def inbound_audio(self, track: str = "inbound") -> np.ndarray:
        payloads = [base64.b64decode(r.message["media"]["payload"]) for r in self.media if r.message["media"]["track"] == track]
        return mulaw_decode(b"".join(payloads))

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = MEDIA_TIMEOUT, what: str = "the condition"):
        try:
            return await poll(predicate, timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"consumer {self.path}: no {what} within {timeout} s "
                                 f"({len(self.messages)} messages, closed: {self.closed_at is not None})") from None

    async def send(self, *messages: dict) -> None:
        """Sends the messages back to back from the consumer's loop (one hop for all of them)."""
        async def send_all():
            for message in messages:
                await self.connection.send(json.dumps(message))
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(send_all(), self.loop))

    def abort(self) -> None:
        """Drops the TCP connection without a WebSocket close, as a crashed consumer would."""
        self.loop.call_soon_threadsafe(self.connection.transport.abort)

    async def send_media(self, mulaw: bytes, chunk: int = 160) -> None:
        """Sends μ-law audio as Twilio consumers do: `media` messages of `chunk` bytes, all at once."""
        await self.send(*({"event": "media", "streamSid": self.stream_sid,
                           "media": {"payload": base64.b64encode(mulaw[start:start + chunk]).decode()}}
                          for start in range(0, len(mulaw), chunk)))

    async def send_mark(self, name: str) -> None:
        await self.send({"event": "mark", "streamSid": self.stream_sid, "mark": {"name": name}})

    async def send_clear(self) -> None:
        await self.send({"event": "clear", "streamSid": self.stream_sid})


async def poll(predicate: Callable[[], Any], timeout: float):
    """`predicate()` once it is truthy, checked every 5 ms (the consumer's thread fills what it reads)."""
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        if time.monotonic() > deadline:
            raise asyncio.TimeoutError
        await asyncio.sleep(0.005)
    return result


class StreamConsumer:
    """The server; one `ConsumerSession` per connection, found by request path."""

    def __init__(self) -> None:
        self.sessions: List[ConsumerSession] = []
        self.port: Optional[int] = None
        self.paused_paths: set = set()
        self._server = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="stream-consumer", daemon=True)
        self._switch_interval = sys.getswitchinterval()

    async def __aenter__(self) -> "StreamConsumer":
        self._thread.start()
        sys.setswitchinterval(0.001)
        await self._on_loop(self._start())
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self._on_loop(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        sys.setswitchinterval(self._switch_interval)

    async def _on_loop(self, coroutine):
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coroutine, self._loop))

    async def _start(self) -> None:
        self._server = await serve(self._handle, "127.0.0.1", 0, max_size=2 ** 20, compression=None)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        self._server.close()
        await self._server.wait_closed()

    def stop_listening(self) -> None:
        """Refuses new connections and leaves the open ones as they are."""
        self._loop.call_soon_threadsafe(lambda: self._server.close(close_connections=False))

    def url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    async def session(self, path: str, timeout: float = MEDIA_TIMEOUT, index: int = 0) -> ConsumerSession:
        """The `index`-th connection to `path` (retries make more than one)."""
        def find():
            matching = [s for s in self.sessions if s.path == path]
            return matching[index] if len(matching) > index else None
        try:
            return await poll(find, timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"Parley did not connect to {path} within {timeout} s") from None

    async def _handle(self, connection) -> None:
        session = ConsumerSession(path=connection.request.path, headers=connection.request.headers, connection=connection,
                                  loop=self._loop)
        session.reading = session.path not in self.paused_paths
        self.sessions.append(session)
        try:
            while True:
                if not session.reading:
                    # A consumer that stopped reading: websockets buffers a few messages, then TCP pushes back.
                    await connection.wait_closed()
                    break
                frame = await connection.recv()
                message = json.loads(frame) if isinstance(frame, str) else frame
                session.messages.append(Received(time.monotonic(), message))
        except Exception:  # noqa: BLE001 - any end of the connection ends the session
            pass
        finally:
            session.closed_at = time.monotonic()


def cadence(arrivals: List[float]) -> dict:
    """Inter-arrival statistics of messages meant to be 20 ms apart (milliseconds)."""
    gaps = np.diff(np.array(arrivals)) * 1000.0
    deviation = np.abs(gaps - 20.0)
    return {"count": len(arrivals), "median_gap": float(np.median(gaps)), "p99_jitter": float(np.percentile(deviation, 99)),
            "max_jitter": float(deviation.max()), "span_s": arrivals[-1] - arrivals[0]}
