"""`kill -9` of `parley serve` (and of its embedded PostgreSQL) loses nothing: a restart on the same data
directory adopts or recovers the database and every committed change is still there."""

import os
import signal
from pathlib import Path

from helpers import REPO_ROOT, unique_name
from local_http_client import LocalHttpClient
from parley_server import alive, kill9, remove_work_dir, start_server, stop_server
from twilio.rest import Client


def _postmaster_pid(server) -> int:
    pid_file = server.work_dir / "data" / "pg" / "data" / "postmaster.pid"
    return int(pid_file.read_text().splitlines()[0])


def _sdk(server) -> Client:
    return Client(server.account_sid, server.auth_token, http_client=LocalHttpClient(server.base_url))


def test_kill_9_and_restart_keeps_every_committed_change():
    binary = Path(os.environ.get("PARLEY_BIN", REPO_ROOT / ".build" / "debug" / "parley"))
    first = start_server(binary)
    servers = [first]
    try:
        created = _sdk(first).api.v2010.accounts.create(friendly_name=unique_name("before-crash"))
        postmaster = _postmaster_pid(first)

        # 1. The gateway dies; its PostgreSQL lives on and is adopted by the next start.
        kill9(first.process.pid)
        assert alive(postmaster)
        second = start_server(binary, restart_of=first)
        servers.append(second)
        assert _postmaster_pid(second) == postmaster
        assert _sdk(second).api.v2010.accounts(created.sid).fetch().friendly_name == created.friendly_name
        renamed = unique_name("renamed")
        _sdk(second).api.v2010.accounts(created.sid).update(friendly_name=renamed)

        # 2. Both die (a machine crash): PostgreSQL replays its WAL on the next start.
        kill9(second.process.pid)
        os.kill(postmaster, signal.SIGKILL)
        third = start_server(binary, restart_of=first)
        servers.append(third)
        assert _postmaster_pid(third) != postmaster
        assert _sdk(third).api.v2010.accounts(created.sid).fetch().friendly_name == renamed
        assert "database system was interrupted" in (first.work_dir / "data" / "pg" / "postgres.log").read_text()

        # 3. A clean stop stops PostgreSQL too.
        recovered_postmaster = _postmaster_pid(third)
        assert stop_server(third) == 0
        assert not alive(recovered_postmaster)
    finally:
        for server in servers:
            stop_server(server)
        if all(server.process.poll() is not None for server in servers):
            remove_work_dir(first)
