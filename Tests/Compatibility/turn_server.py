"""A real TURN server for the WebRTC transport tests: Debian's coturn (`turnserver`) on a free loopback port with
long-term credentials, plain TURN over UDP and TCP only (no TLS/DTLS), no configuration file, logging to a file in
a temporary directory. Loopback peers are allowed, because the media node's candidates are 127.0.0.1.

    with TurnServer() as turn:
        Peer(..., ice_servers=[turn_tcp_server(turn.port, turn.username, turn.credential)], relay_only=True)
        turn.log()  # what coturn wrote
"""

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

TURNSERVER = "turnserver"
HOST = "127.0.0.1"
REALM = "parley.test"
START_TIMEOUT_SECONDS = 10
STOP_TIMEOUT_SECONDS = 5
POLL_SECONDS = 0.1


def missing_turnserver() -> Optional[str]:
    """Why coturn cannot run here (None when `turnserver` is on the PATH)."""
    if shutil.which(TURNSERVER) is None:
        return "coturn's `turnserver` is not installed (Debian package coturn; scripts/install-deps.sh installs it)"
    return None


def _free_port() -> int:
    """A port free for both TCP and UDP on the loopback address (TURN listens on both)."""
    for _ in range(20):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind((HOST, 0))
            port = tcp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind((HOST, port))
                except OSError:
                    continue
            return port
    raise RuntimeError("found no loopback port free for both TCP and UDP in 20 attempts")


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


class TurnServer:
    """One `turnserver` process. Use as a context manager; leaving it always stops the process (its temporary
    directory, with the log, goes too — read `log()` before)."""

    def __init__(self, username: str = "parley", credential: str = "relay-secret"):
        self.username = username
        self.credential = credential
        self.port = None
        self.process = None
        self._dir = None
        self._output = None

    @property
    def log_path(self) -> Path:
        return Path(self._dir.name) / "turnserver.log"

    def command(self) -> list:
        return [
            TURNSERVER, "-n", "--listening-ip", HOST, "--relay-ip", HOST, "--listening-port", str(self.port),
            "--lt-cred-mech", "--user", f"{self.username}:{self.credential}", "--realm", REALM,
            "--allow-loopback-peers", "--no-tls", "--no-dtls", "--no-cli", "--fingerprint",
            "--log-file", str(self.log_path), "--simple-log", "--verbose",
            "--pidfile", str(Path(self._dir.name) / "turnserver.pid"),
        ]

    def start(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="parley-coturn-")
        self.port = _free_port()
        self._output = open(Path(self._dir.name) / "stdout.log", "wb")
        self.process = subprocess.Popen(self.command(), stdout=self._output, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not _accepts(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"turnserver did not accept TCP on {HOST}:{self.port} within "
                                   f"{START_TIMEOUT_SECONDS} s (exit code {self.process.poll()}); "
                                   f"command {' '.join(self.command())}; output:\n{self.output()[-2000:]}")
            time.sleep(POLL_SECONDS)

    def log(self) -> str:
        """What coturn wrote to its log file so far ('' before it created one)."""
        try:
            return self.log_path.read_text(errors="replace")
        except (OSError, TypeError):
            return ""

    def output(self) -> str:
        """coturn's stdout and stderr so far, then its log file."""
        try:
            console = (Path(self._dir.name) / "stdout.log").read_text(errors="replace")
        except (OSError, AttributeError):
            console = ""
        return console + self.log()

    def stop(self) -> None:
        """Stops the process (SIGTERM, then SIGKILL) and removes the temporary directory."""
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        finally:
            if self._output is not None:
                self._output.close()
                self._output = None
            if self._dir is not None:
                self._dir.cleanup()
                self._dir = None

    def __enter__(self) -> "TurnServer":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
