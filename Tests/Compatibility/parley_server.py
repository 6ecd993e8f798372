"""Starts `parley serve` on a free loopback port with a fresh data directory, and stops it."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Sequence, Tuple

import requests

STARTUP_TIMEOUT_SECONDS = 90
SHUTDOWN_TIMEOUT_SECONDS = 30
LOG_TAIL_LINES = 60
# Webhook receivers in the tests listen on 127.0.0.1, which the egress guard refuses unless allowed.
ALLOW_LOOPBACK_EGRESS = ("--egress-allow", "127.0.0.0/8")


@dataclass
class ParleyServer:
    base_url: str
    account_sid: str
    auth_token: str
    process: subprocess.Popen
    work_dir: Path
    log_path: Path
    extra_args: Tuple[str, ...] = ()

    def log_tail(self) -> str:
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-LOG_TAIL_LINES:])


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(account_sid: str, auth_token: str) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # always use a fresh embedded database
    env["PARLEY_ACCOUNT_SID"] = account_sid
    env["PARLEY_AUTH_TOKEN"] = auth_token
    return env


def start_server(
    binary: Path, restart_of: Optional[ParleyServer] = None, extra_args: Sequence[str] = ()
) -> ParleyServer:
    """Launch the server and block until `GET /health` answers 200; raise with the log tail otherwise.

    `restart_of` starts a new process on a previous server's data directory and credentials.
    `extra_args` are appended to the `parley serve` command; a restart without them reuses those of
    `restart_of`."""
    if not os.access(binary, os.X_OK):
        raise RuntimeError(f"parley binary not found or not executable: {binary} (set PARLEY_BIN)")
    if restart_of is None:
        work_dir = Path(tempfile.mkdtemp(prefix="parley-compat-"))
        # As root the embedded PostgreSQL runs as `postgres`, which must be able to traverse into the data dir.
        work_dir.chmod(0o711)
        (work_dir / "data").mkdir()
        (work_dir / "data").chmod(0o711)
        account_sid = "AC" + secrets.token_hex(16)
        auth_token = secrets.token_hex(16)
    else:
        work_dir, account_sid, auth_token = restart_of.work_dir, restart_of.account_sid, restart_of.auth_token
        if not extra_args:
            extra_args = restart_of.extra_args
    extra_args = tuple(extra_args)
    data_dir = work_dir / "data"
    log_path = work_dir / "server.log"
    port = _free_loopback_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [
        str(binary), "serve",
        "--host", "127.0.0.1",
        "--port", str(port),
        "--data-dir", str(data_dir),
        "--public-url", base_url,
        "--rate-limit-per-second", "0",
        *extra_args,
    ]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=_server_env(account_sid, auth_token),
        )
    server = ParleyServer(base_url, account_sid, auth_token, process, work_dir, log_path, extra_args)
    try:
        _wait_for_health(server)
    except RuntimeError as error:
        stop_server(server)
        raise RuntimeError(f"{error}\n(data and full log kept in {work_dir})") from None
    except BaseException:
        stop_server(server)
        raise
    return server


def _wait_for_health(server: ParleyServer) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    last_problem = "no answer yet"
    session = requests.Session()
    session.trust_env = False  # loopback: ignore proxy settings
    while time.monotonic() < deadline:
        code = server.process.poll()
        if code is not None:
            raise RuntimeError(f"parley serve exited with {code} during startup:\n{server.log_tail()}")
        try:
            response = session.get(f"{server.base_url}/health", timeout=2)
            if response.status_code == 200:
                return
            last_problem = f"GET /health -> {response.status_code} {response.text[:200]}"
        except requests.RequestException as error:
            last_problem = repr(error)
        time.sleep(0.25)
    raise RuntimeError(
        f"parley serve not healthy after {STARTUP_TIMEOUT_SECONDS}s ({last_problem}):\n{server.log_tail()}"
    )


def stop_server(server: ParleyServer) -> int:
    """SIGTERM, wait, SIGKILL if still running. Returns the exit code (negative = killed by that signal)."""
    process = server.process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=SHUTDOWN_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def remove_work_dir(server: ParleyServer) -> None:
    """Removes the server's data and log, unless PARLEY_KEEP_WORK_DIR is set (to read server.log after a run)."""
    if os.environ.get("PARLEY_KEEP_WORK_DIR"):
        print(f"kept {server.work_dir}")
        return
    shutil.rmtree(server.work_dir, ignore_errors=True)


@contextmanager
def running_server(binary: Path, extra_args: Sequence[str] = ()) -> Iterator[ParleyServer]:
    """A server of its own for one test module: started with `extra_args`, stopped afterwards.

    Like the session server, it must still be running at the end and stop cleanly on SIGTERM; its data
    directory is removed only then (and kept, with the log, for a post-mortem otherwise)."""
    server = start_server(binary, extra_args=extra_args)
    try:
        yield server
    finally:
        exited_early = server.process.poll()
        code = stop_server(server)
    if exited_early is not None or code != 0:
        when = "during the tests" if exited_early is not None else "after SIGTERM"
        raise AssertionError(
            f"parley serve {' '.join(extra_args)} exited with {code} {when}; data kept in {server.work_dir}:\n"
            f"{server.log_tail()}"
        )
    remove_work_dir(server)


def alive(pid: int) -> bool:
    """Running, and not a zombie (where PID 1 does not reap orphans, dead daemons linger as zombies)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def kill9(pid: int) -> None:
    """SIGKILL `pid` and wait until it is gone (reaping it if it is our child)."""
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.05)
