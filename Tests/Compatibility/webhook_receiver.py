"""A real webhook receiver on 127.0.0.1 for the events tests, and the checks a customer's receiver would make.
The `/events/v1` client is in events_api_client.py.

The receiver is a `ThreadingHTTPServer` (HTTP/1.1 keep-alive, one thread per connection) running in the
background. It records every request exactly as it arrived and answers each path by a script the test sets:

    with WebhookReceiver() as receiver:
        receiver.script("/flaky", Reply(503, headers={"Retry-After": "1"}), then=Reply(200))
        receiver.always("/gone", Reply(410))
        receiver.always("/slow", Reply(200, delay_ms=200))
        receiver.always("/hang", HANG)              # never answers; the connection is held until shutdown
        ...subscribe receiver.url("/flaky")...
        receiver.wait_for(lambda: len(receiver.requests_for("/flaky")) >= 2, timeout=10, what="the retry")

Signatures are checked with the reference libraries, never with our own code: `standardwebhooks.Webhook`
for JSON (native) deliveries and `twilio.request_validator.RequestValidator` for form (Twilio-style) ones.
"""

import json
import select
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, TypeVar
from urllib.parse import parse_qsl, urlsplit

import requests
from standardwebhooks import Webhook
from twilio.request_validator import RequestValidator

T = TypeVar("T")

# ---- scripted answers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a status after an optional delay, or (`hang`) no answer at all."""

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b"ok"
    delay_ms: int = 0
    hang: bool = False


HANG = Reply(hang=True)


class _Script:
    """Replies used in order, then `then` for every later request."""

    def __init__(self, steps: Sequence[Reply], then: Reply):
        self.steps = deque(steps)
        self.then = then

    def next(self) -> Reply:
        return self.steps.popleft() if self.steps else self.then


# ---- what arrived -------------------------------------------------------------------------------------------


class _MultiParams(dict):
    """name -> first value, plus `getall` (which RequestValidator uses) for every value of a repeated name."""

    def __init__(self, pairs: Iterable[Tuple[str, str]]):
        super().__init__()
        self._all: Dict[str, List[str]] = {}
        for name, value in pairs:
            self._all.setdefault(name, []).append(value)
            self.setdefault(name, value)

    def getall(self, name: str) -> List[str]:
        return list(self._all[name])


def parse_form(text: str) -> _MultiParams:
    """`application/x-www-form-urlencoded` text (a POST body or a query string), blank values kept."""
    return _MultiParams(parse_qsl(text, keep_blank_values=True))


@dataclass
class ReceivedRequest:
    method: str
    target: str  # the request target exactly as received: path plus query
    headers: Dict[str, str]  # lower-case names (a repeated header keeps its last value)
    raw_headers: List[Tuple[str, str]]
    body: bytes
    url: str  # http://127.0.0.1:{port}{target}: the URL the sender used, without any fragment
    received_at: float  # time.monotonic() once the whole request had arrived
    received_wall: float  # time.time() at the same moment
    ended_at: Optional[float] = None  # monotonic: answer written, or (hang) the sender gave up / shutdown
    answered: Optional[int] = None  # the status sent back; None if no answer was sent

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> str:
        return urlsplit(self.target).query

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        return json.loads(self.body)

    def body_params(self) -> _MultiParams:
        return parse_form(self.body.decode("utf-8"))

    def query_params(self) -> _MultiParams:
        return parse_form(self.query)

    def params(self) -> _MultiParams:
        """A form delivery's parameters wherever they travelled: the body of a POST, the query of a GET."""
        return self.body_params() if self.method == "POST" else self.query_params()

    def signed_params(self) -> _MultiParams:
        """What X-Twilio-Signature covers besides the URL: the POST form body; nothing for GET."""
        return self.body_params() if self.method == "POST" else _MultiParams([])


# ---- signature checks with the reference libraries ------------------------------------------------------------


def verify_standard_webhook(request: ReceivedRequest, secret: str, body: Optional[bytes] = None) -> Any:
    """`standardwebhooks.Webhook(secret).verify`: the parsed payload, or WebhookVerificationError."""
    return Webhook(secret).verify(request.body if body is None else body, dict(request.headers))


def webhook_signatures(request: ReceivedRequest) -> List[str]:
    return (request.header("webhook-signature") or "").split()


def twilio_signature_valid(
    request: ReceivedRequest,
    auth_token: str,
    *,
    url: Optional[str] = None,
    params: Optional[Mapping[str, str]] = None,
) -> bool:
    """`RequestValidator(auth_token).validate(url, params, X-Twilio-Signature)` as a Twilio customer calls it.

    `url` and `params` default to what arrived; pass altered ones to check that tampering is caught."""
    return RequestValidator(auth_token).validate(
        request.url if url is None else url,
        request.signed_params() if params is None else params,
        request.header("X-Twilio-Signature") or "",
    )


# ---- the receiver -------------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the server's client reuses connections
    server_version = "ParleyCompatReceiver/1"

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionError, TimeoutError, OSError):
            pass  # the sender went away (or was killed) mid-exchange

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def _read_body(self) -> Optional[bytes]:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline(65537)
                if not size_line:
                    return None
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        return body if len(body) == length else None

    def _exchange(self) -> None:
        receiver: "WebhookReceiver" = self.server.receiver  # type: ignore[attr-defined]
        body = self._read_body()
        if body is None:
            self.close_connection = True
            return
        request = receiver._record(self.command, self.path, self.headers.items(), body)
        reply = receiver._next_reply(request.path)
        if reply.hang:
            self._hold_until_sender_gives_up(receiver)
            receiver._ended(request, None)
            self.close_connection = True
            return
        if reply.delay_ms and receiver._closing.wait(reply.delay_ms / 1000):
            receiver._ended(request, None)
            self.close_connection = True
            return
        self.send_response(reply.status)
        names = {name.lower() for name in reply.headers}
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if "content-type" not in names:
            self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)
        self.wfile.flush()
        receiver._ended(request, reply.status)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _exchange

    def _hold_until_sender_gives_up(self, receiver: "WebhookReceiver") -> None:
        """Answer nothing; return when the sender closes the connection or the receiver shuts down."""
        connection = self.connection
        while not receiver._closing.wait(0.02):
            try:
                readable, _, _ = select.select([connection], [], [], 0)
                if readable:
                    # EOF (the sender gave up) or more bytes (which we will not serve): either way, done.
                    return
            except (OSError, ValueError):
                return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 1024  # hundreds of connections may arrive at once
    allow_reuse_address = True

    def __init__(self, receiver: "WebhookReceiver"):
        self.receiver = receiver
        self.open_connections: set = set()
        self.connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def finish_request(self, request, client_address) -> None:
        with self.connections_lock:
            self.open_connections.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            with self.connections_lock:
                self.open_connections.discard(request)

    def handle_error(self, request, client_address) -> None:
        pass  # connection resets are expected (kill -9, timeouts); the handler records what matters

    def drop_connections(self) -> None:
        with self.connections_lock:
            connections = list(self.open_connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class WebhookReceiver:
    """A recording HTTP server on 127.0.0.1 with per-path scripted answers. Use as a context manager."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._requests: List[ReceivedRequest] = []
        self._scripts: Dict[str, _Script] = {}
        self._closing = threading.Event()
        self._server = _Server(self)
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"receiver-{self.port}",
            daemon=True,
        )
        self._thread.start()

    # -- lifecycle
    def __enter__(self) -> "WebhookReceiver":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        """Stop accepting, end held (hanging) and idle keep-alive connections, and return promptly."""
        if self._closing.is_set():
            return
        self._closing.set()
        self._server.shutdown()
        self._server.drop_connections()
        self._server.server_close()
        self._thread.join(timeout=5)
        with self._lock:
            self._lock.notify_all()

    # -- addresses
    def url(self, path: str) -> str:
        """The absolute URL of `path` (which may carry a query and a fragment) on this receiver."""
        return f"http://127.0.0.1:{self.port}{path}"

    # -- scripts
    def script(self, path: str, *steps: Reply, then: Reply = Reply()) -> None:
        """Answer requests for `path` (query ignored) with `steps` in order, then always with `then`."""
        with self._lock:
            self._scripts[path] = _Script(steps, then)

    def always(self, path: str, reply: Reply) -> None:
        self.script(path, then=reply)

    def _next_reply(self, path: str) -> Reply:
        with self._lock:
            script = self._scripts.get(path)
            return script.next() if script else Reply()

    # -- records
    def _record(self, method: str, target: str, header_items: Iterable[Tuple[str, str]], body: bytes) -> ReceivedRequest:
        raw = list(header_items)
        request = ReceivedRequest(
            method=method,
            target=target,
            headers={name.lower(): value for name, value in raw},
            raw_headers=raw,
            body=body,
            url=self.url(target),
            received_at=time.monotonic(),
            received_wall=time.time(),
        )
        with self._lock:
            self._requests.append(request)
            self._lock.notify_all()
        return request

    def _ended(self, request: ReceivedRequest, status: Optional[int]) -> None:
        with self._lock:
            request.answered = status
            request.ended_at = time.monotonic()
            self._lock.notify_all()

    def requests(self) -> List[ReceivedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_for(self, path: str) -> List[ReceivedRequest]:
        """Every request to `path` (compared without the query), in arrival order."""
        with self._lock:
            return [request for request in self._requests if request.path == path]

    def count(self) -> int:
        with self._lock:
            return len(self._requests)

    def wait_for(self, predicate: Callable[[], T], timeout: float, what: str = "the condition") -> T:
        """Block until `predicate()` is truthy (re-checked on every arrival and answer, and every 50 ms); return
        its value.

        Raises AssertionError naming `what` and summarising the arrivals after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                arrivals = self.requests()
                summary = ", ".join(f"{r.method} {r.target}" for r in arrivals[-10:])
                raise AssertionError(
                    f"timed out after {timeout:.0f}s waiting for {what}; "
                    f"{len(arrivals)} requests received (last: {summary or 'none'})"
                )
            with self._lock:
                self._lock.wait(min(remaining, 0.05))


def wait_until(predicate: Callable[[], T], timeout: float, what: str, interval: float = 0.1) -> T:
    """Poll `predicate()` (e.g. a REST fetch) until truthy; return its value or fail naming `what`."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        last = predicate()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last: {last!r})")
        time.sleep(interval)
