"""Runs `parley media-node` processes against a server's embedded PostgreSQL, for the control-plane tests."""

import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from parley_server import ParleyServer

REGISTER_TIMEOUT_SECONDS = 60


@dataclass
class MediaNodeProcess:
    name: str
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def database_url(server: ParleyServer) -> str:
    """The server's embedded cluster, through its unix socket."""
    return f"postgres://parley@localhost/parley?host={server.work_dir / 'data' / 'pg' / 'run'}"


def start_node(binary: Path, server: ParleyServer, name: str, *extra: str) -> MediaNodeProcess:
    log_path = server.work_dir / f"{name}.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(binary), "media-node", "--database-url", database_url(server), "--host", "127.0.0.1", "--port", "0",
             "--name", name, *extra],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return MediaNodeProcess(name, process, log_path)


def stop_node(node: MediaNodeProcess, timeout: float = 30) -> int:
    if node.process.poll() is None:
        node.process.send_signal(signal.SIGTERM)
        try:
            node.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            node.process.kill()
            node.process.wait()
    return node.process.returncode


class NodesApi:
    """`/media/v1/Nodes` as the owner."""

    def __init__(self, server: ParleyServer):
        self.base = f"{server.base_url}/media/v1/Nodes"
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.auth = (server.account_sid, server.auth_token)

    def list(self, **params) -> list:
        response = self.session.get(self.base, params={"PageSize": 100, **params}, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()["nodes"]

    def by_name(self, name: str) -> dict:
        matching = [node for node in self.list() if node["name"] == name]
        assert matching, f"no node named {name}"
        return matching[-1]

    def wait_active(self, *names: str) -> dict:
        deadline = time.monotonic() + REGISTER_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            active = {node["name"]: node for node in self.list(Status="active")}
            if all(name in active for name in names):
                return {name: active[name] for name in names}
            time.sleep(0.2)
        raise AssertionError(f"nodes {names} did not register: {self.list()}")

    def drain(self, sid: str) -> requests.Response:
        return self.session.post(f"{self.base}/{sid}", data={"Status": "draining"}, timeout=10)
