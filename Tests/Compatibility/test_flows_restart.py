"""Durable executions: 100 executions (one per handset) wait in send-and-wait-for-reply, `parley serve` (and its
embedded PostgreSQL) is killed with SIGKILL and started again on the same data, and the 100 replies resume all 100
executions, each exactly once: one incomingMessage step of the wait widget, ended, and one confirmation SMS per
handset (a second reply changes nothing)."""

import os
import signal
import subprocess
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conversations_helpers import sdk_client
from flows_helpers import FLOW_NUMBER, INVENTORY, REPO_ROOT, SandboxChannel, at_least, definition, wait_until
from parley_server import kill9, remove_work_dir, start_server, stop_server

Credentials = namedtuple("Credentials", "sid token")
EXECUTIONS = 100
REMIND = "Hi Ada, your appointment is Monday 10:00. Reply C to confirm or X to cancel."
CONFIRM = "Thanks Ada, see you Monday 10:00."
PATH = [("Trigger", "incomingRequest", "remind"), ("remind", "incomingMessage", "answer"), ("answer", "match", "confirmed"),
        ("confirmed", "sent", "Ended")]


def test_100_waiting_executions_survive_kill_9_and_resume_once_each(tmp_path):
    binary = Path(os.environ.get("PARLEY_BIN", REPO_ROOT / ".build" / "debug" / "parley"))
    first = start_server(binary)
    servers = [first]
    try:
        owner = Credentials(first.account_sid, first.auth_token)
        client = sdk_client(first.base_url, owner.sid, owner.token)
        (tmp_path / "numbers.csv").write_text(INVENTORY)
        subprocess.run([str(binary), "numbers", "import", str(tmp_path / "numbers.csv"), "--data-dir", str(first.work_dir / "data")],
                       check=True, capture_output=True, timeout=120)
        client.api.v2010.accounts(owner.sid).incoming_phone_numbers.create(phone_number=FLOW_NUMBER)
        flow = client.studio.v2.flows.create(friendly_name="reminders", status="published", definition=definition("appointment_reminder"))
        flows = client.studio.v2.flows(flow.sid)
        contacts = [f"+1555861{n:04d}" for n in range(EXECUTIONS)]
        parameters = {"name": "ada", "when": "Monday 10:00", "booking": "B-1"}
        with ThreadPoolExecutor(8) as pool:
            executions = list(pool.map(lambda contact: flows.executions.create(to=contact, from_=FLOW_NUMBER, parameters=parameters), contacts))
        assert all(e.status == "active" for e in executions)
        sandbox = SandboxChannel(first.base_url, owner)
        for contact in contacts:
            assert at_least(sandbox, contact, 1, timeout=30) == [REMIND]

        # A machine crash: the gateway and its embedded PostgreSQL die at once (PostgreSQL replays its WAL).
        postmaster = int((first.work_dir / "data" / "pg" / "data" / "postmaster.pid").read_text().splitlines()[0])
        kill9(first.process.pid)
        os.kill(postmaster, signal.SIGKILL)
        second = start_server(binary, restart_of=first)
        servers.append(second)
        client = sdk_client(second.base_url, owner.sid, owner.token)
        flows = client.studio.v2.flows(flow.sid)
        assert {e.sid for e in flows.executions.list(status="active")} == {e.sid for e in executions}

        sandbox = SandboxChannel(second.base_url, owner)
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda contact: sandbox.send(contact, "C"), contacts))
        wait_until(lambda: not flows.executions.list(status="active"), 90, "every execution's end")
        for execution, contact in zip(executions, contacts):
            path = [(s.transitioned_from, s.name, s.transitioned_to) for s in flows.executions(execution.sid).steps.list()]
            assert path == PATH, (contact, path)
            assert sum(1 for step in path if step[:2] == ("remind", "incomingMessage")) == 1
            assert flows.executions(execution.sid).fetch().status == "ended"
            assert at_least(sandbox, contact, 2, timeout=30) == [REMIND, CONFIRM], contact

        # A second reply finds nothing waiting: no execution starts and no confirmation is sent again.
        again = contacts[:10]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda contact: sandbox.send(contact, "C"), again))
        assert len(flows.executions.list()) == EXECUTIONS
        messages = client.api.v2010.accounts(owner.sid).messages
        for contact in again:  # queued ones count too, not only those the handset has by now
            assert sorted(m.body for m in messages.list(to=contact, from_=FLOW_NUMBER)) == sorted([REMIND, CONFIRM]), contact
        assert all(sandbox.inbox(contact) == [REMIND, CONFIRM] for contact in contacts)
    finally:
        for server in servers:
            stop_server(server)
        if all(server.process.poll() is not None for server in servers):
            remove_work_dir(first)
