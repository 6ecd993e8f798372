"""Safety limits (docs/flows.md "Limits"): a flow that loops forever ends at the step limit, one whose variables grow
past the context limit ends too, a waiting execution ends when its lifetime is over; the server stays responsive
meanwhile. First with the defaults on the session server, then with the `parley serve` flags set low."""

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conversations_helpers import sdk_client
from flows_helpers import (  # noqa: F401 - fixtures
    FLOW_NUMBER, INVENTORY, NO_HTTP, ended, flow_factory, handset, new_flow, number_sid, path_of, plain_session, sandbox,
    studio, validate_studio_exchanges, wait_until)
from parley_server import ALLOW_LOOPBACK_EGRESS, running_server
from webhook_receiver import HANG

LOOP = {"count", "again"}


def run_to_the_end(flows, parameters=None, contact=None, deadline=60):
    execution = flows.executions.create(to=contact or handset(), from_=FLOW_NUMBER, parameters=parameters or {})
    return wait_until(lambda: ended(flows, execution.sid), deadline, "the execution's end")


def assert_step_limit(flows, execution, limit):
    error = execution.context["error"]
    assert "step limit" in error["message"] and error["message"] == f"step limit of {limit} reached", error
    assert error["widget"] in LOOP
    steps = path_of(flows, execution.sid)
    assert limit <= len(steps) <= limit + 1, len(steps)  # the step that found the limit may be recorded (failed)
    assert steps[0] == ("Trigger", "incomingRequest", "count") and steps[-1][2] == "Ended"
    assert all(step[0] in LOOP for step in steps[1:])
    assert flows.executions(execution.sid).execution_context().fetch().context["error"] == error


def test_a_looping_flow_ends_at_the_step_limit_and_the_server_stays_responsive(studio, new_flow, number_sid, sandbox, base_url):
    loop = studio.studio.v2.flows(new_flow("counter_loop").sid)
    with ThreadPoolExecutor(4) as pool:
        running = [pool.submit(run_to_the_end, loop) for _ in range(4)]
        slowest = 0.0
        session = plain_session()
        while not all(future.done() for future in running):
            started = time.monotonic()
            assert session.get(f"{base_url}/health", timeout=10).status_code == 200
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.05)
        executions = [future.result() for future in running]
    assert slowest < 5, f"/health took {slowest:.1f} s while flows looped"
    for execution in executions:
        assert_step_limit(loop, execution, 1000)

    hours = studio.studio.v2.flows(new_flow("support_hours").sid)
    contact = handset()
    started = time.monotonic()
    assert run_to_the_end(hours, {"time": "12:00"}, contact).status == "ended"
    assert time.monotonic() - started < 10
    assert wait_until(lambda: sandbox.inbox(contact), 15, "the answer") == ["We're open. An agent will text you shortly."]
    validate_studio_exchanges(studio)


def test_variables_past_the_context_limit_end_the_execution(studio, new_flow, number_sid, sandbox):
    flows = studio.studio.v2.flows(new_flow("runaway_payload").sid)
    contact = handset()
    execution = run_to_the_end(flows, {"pad": "x" * 1024}, contact)  # 20 variables of 64 KiB
    assert execution.context["error"]["message"] == "context larger than 1048576 bytes"
    assert execution.context["error"]["widget"] == "tag"
    assert path_of(flows, execution.sid)[-1][2] == "Ended"
    assert all(step[0] != "done" for step in path_of(flows, execution.sid))
    assert sandbox.inbox(contact) == []
    small = handset()
    assert run_to_the_end(flows, {"pad": "x"}, small).context.get("error") is None  # 20 variables of 64 bytes
    assert wait_until(lambda: sandbox.inbox(small), 15, "the answer") == ["Tagged."]


# ---- the same limits, set low with `parley serve` flags ---------------------------------------------------------

FLAGS = ("--flow-step-limit", "25", "--flow-lifetime", "3", "--flow-context-limit", "65536", *ALLOW_LOOPBACK_EGRESS)


@pytest.fixture(scope="module")
def limited(parley_binary, tmp_path_factory):
    """A server of its own with low limits and the flow number; yields its owner's SDK client."""
    with running_server(parley_binary, extra_args=FLAGS) as server:
        path = tmp_path_factory.mktemp("flows-limits") / "numbers.csv"
        path.write_text(INVENTORY)
        subprocess.run([str(parley_binary), "numbers", "import", str(path), "--data-dir", str(server.work_dir / "data")],
                       check=True, capture_output=True, timeout=120)
        client = sdk_client(server.base_url, server.account_sid, server.auth_token)
        client.api.v2010.accounts(server.account_sid).incoming_phone_numbers.create(phone_number=FLOW_NUMBER)
        yield client


@pytest.fixture
def limited_flow(limited):
    """`limited_flow(name, http_base)`: a corpus flow on the limited server (its SDK context), deleted at the end of the
    test."""
    generator = flow_factory(limited, limited)
    factory = next(generator)
    yield lambda name, http_base=NO_HTTP: limited.studio.v2.flows(factory(name, http_base=http_base).sid)
    generator.close()


def test_the_step_limit_flag(limited_flow):
    loop = limited_flow("counter_loop")
    assert_step_limit(loop, run_to_the_end(loop), 25)


def test_the_context_limit_flag(limited_flow):
    flows = limited_flow("runaway_payload")
    execution = run_to_the_end(flows, {"pad": "x" * 64})  # 20 variables of 4 KiB
    assert execution.context["error"]["message"] == "context larger than 65536 bytes"


def test_the_lifetime_flag_ends_an_execution_waiting_for_a_reply(limited_flow):
    """The reply may come within an hour (the widget's timeout), but the execution's lifetime is 3 s: it expires; the
    widget does not time out."""
    flows = limited_flow("appointment_reminder")
    execution = flows.executions.create(to=handset(), from_=FLOW_NUMBER, parameters={"name": "ada", "when": "soon"})
    assert execution.status == "active"
    expired = wait_until(lambda: ended(flows, execution.sid), 20, "the execution's expiry")
    path = path_of(flows, execution.sid)
    assert expired.context.get("error", {}).get("message") == "execution expired", path
    assert path == [("Trigger", "incomingRequest", "remind")]  # no timeout: that is an hour away


def test_the_lifetime_flag_ends_an_execution_waiting_for_an_http_answer(limited_flow, receiver):
    receiver.always("/orders/A-1", HANG)  # no answer: the widget would fail after 10 s
    flows = limited_flow("order_status", http_base=receiver.url(""))
    execution = flows.executions.create(to=handset(), from_=FLOW_NUMBER, parameters={"order_id": "A-1"})
    expired = wait_until(lambda: ended(flows, execution.sid), 9, "the execution's expiry (before the request's 10 s)")
    assert expired.context["error"]["message"] == "execution expired"
    request = receiver.wait_for(lambda: receiver.requests_for("/orders/A-1"), 5, "the lookup")[0]
    receiver.wait_for(lambda: request.ended_at is not None, 30, "the server to give up on the lookup")
    assert path_of(flows, execution.sid) == [("Trigger", "incomingRequest", "lookup")]  # its late failure changed nothing
    assert flows.executions(execution.sid).execution_context().fetch().context["error"]["message"] == "execution expired"
