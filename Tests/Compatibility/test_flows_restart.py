"""Durable executions: 100 executions wait for replies, `parley serve` is killed with SIGKILL and started again on the
same data, and the 100 replies resume all 100 executions, each exactly once."""

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flows_helpers import FLOW_NUMBER, INVENTORY, REPO_ROOT, definition, inbox, path_of, send_sms, wait_until
from conversations_helpers import sdk_client
from parley_server import kill9, remove_work_dir, start_server, stop_server

EXECUTIONS = 100
REMIND = "Hi Ada, your appointment is Monday 10:00. Reply C to confirm or X to cancel."


class Owner:
    def __init__(self, server):
        self.sid, self.token = server.account_sid, server.auth_token


def test_100_waiting_executions_survive_kill_9_and_resume_once_each(tmp_path):
    binary = Path(os.environ.get("PARLEY_BIN", REPO_ROOT / ".build" / "debug" / "parley"))
    first = start_server(binary)
    servers = [first]
    try:
        client = sdk_client(first.base_url, first.account_sid, first.auth_token)
        (tmp_path / "numbers.csv").write_text(INVENTORY)
        subprocess.run([str(binary), "numbers", "import", str(tmp_path / "numbers.csv"), "--data-dir", str(first.work_dir / "data")],
                       check=True, capture_output=True, timeout=120)
        client.api.v2010.accounts(first.account_sid).incoming_phone_numbers.create(phone_number=FLOW_NUMBER)
        flow = client.studio.v2.flows.create(friendly_name="reminders", status="published", definition=definition("appointment_reminder"))
        flows = client.studio.v2.flows(flow.sid)
        contacts = [f"+1500555{7000 + n:04d}" for n in range(EXECUTIONS)]
        parameters = {"name": "ada", "when": "Monday 10:00", "booking": "B-1"}
        with ThreadPoolExecutor(8) as pool:
            executions = list(pool.map(lambda contact: flows.executions.create(to=contact, from_=FLOW_NUMBER, parameters=parameters), contacts))
        assert all(e.status == "active" for e in executions)
        owner = Owner(first)
        for contact in contacts:
            wait_until(lambda: inbox(first.base_url, owner, contact) == [REMIND], 30, f"the reminder to {contact}")

        kill9(first.process.pid)
        second = start_server(binary, restart_of=first)
        servers.append(second)
        client = sdk_client(second.base_url, second.account_sid, second.auth_token)
        flows = client.studio.v2.flows(flow.sid)
        assert len(flows.executions.list(status="active")) == EXECUTIONS

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda contact: send_sms(second.base_url, owner, contact, FLOW_NUMBER, "C"), contacts))
        wait_until(lambda: not flows.executions.list(status="active"), 60, "every execution's end")
        for execution, contact in zip(executions, contacts):
            assert path_of(flows, execution.sid) == [
                ("Trigger", "incomingRequest", "remind"), ("remind", "incomingMessage", "answer"), ("answer", "match", "confirmed"),
                ("confirmed", "sent", "Ended")]
            wait_until(lambda: len(inbox(second.base_url, owner, contact)) >= 2, 30, f"the confirmation to {contact}")
            assert inbox(second.base_url, owner, contact) == [REMIND, "Thanks Ada, see you Monday 10:00."]
        assert len(flows.executions.list()) == EXECUTIONS
    finally:
        for server in servers:
            stop_server(server)
        if all(server.process.poll() is not None for server in servers):
            remove_work_dir(first)
