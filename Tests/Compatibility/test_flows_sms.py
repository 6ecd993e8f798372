"""Flows and inbound SMS: a number whose SmsUrl is a flow's webhook_url starts an execution per contact; the contact's
reply resumes the execution waiting for it instead of starting another (whatever the number's SmsUrl); other contacts
get their own; a contact whose execution is busy (an HTTP request in flight) starts nothing. Then the same through an
SMPP number (the test SMSC of smsc.py), including deliveryFailure from a failed delivery receipt."""

import subprocess

import pytest

from conversations_helpers import sdk_client
from flows_helpers import (  # noqa: F401 - fixtures
    ABSENT, Scenario, SmppChannel, at_least, execution_of, flow_factory, flow_number, handset, new_flow, number_sid, path_of, run_scenario, sandbox,
    starts_with, studio, wait_until)
from parley_server import ALLOW_LOOPBACK_EGRESS, running_server
from smsc import SMSC
from webhook_receiver import Reply

ASK = "Which T-shirt size? Reply S, M, L or XL."
REMIND = "Hi Ada, your appointment is Monday 10:00. Reply C to confirm or X to cancel."
READY = "Hi Maria, prescription #RX-881 is ready at Elm Street Pharmacy. Reply HOLD to keep it or DONE once collected."
SIZE_PATH = [("Trigger", "incomingMessage", "ask"), ("ask", "incomingMessage", "size_check"), ("size_check", "match", "note"),
             ("note", "next", "confirm"), ("confirm", "sent", "Ended")]


def test_a_reply_resumes_the_waiting_execution_and_other_contacts_get_their_own(studio, new_flow, sandbox, flow_number):
    flow = new_flow("tshirt_size")
    flows = studio.studio.v2.flows(flow.sid)
    flow_number.update(sms_url=flow.webhook_url)
    try:
        alice, bob = handset(), handset()
        sandbox.send(alice, "hi")
        assert at_least(sandbox, alice, 1) == [ASK]
        sandbox.send(bob, "hello")
        assert at_least(sandbox, bob, 1) == [ASK]
        executions = {e.contact_channel_address: e for e in flows.executions.list()}
        assert set(executions) == {alice, bob} and all(e.status == "active" for e in executions.values())
        assert executions[alice].initiated_by.startswith("SM") and executions[alice].initiated_by != executions[bob].initiated_by

        sandbox.send(alice, "m")
        assert at_least(sandbox, alice, 2) == [ASK, "Size M noted (you first said 'hi')."]
        wait_until(lambda: flows.executions(executions[alice].sid).fetch().status == "ended", 15, "alice's execution to end")
        assert flows.executions(executions[bob].sid).fetch().status == "active"
        assert len(flows.executions.list()) == 2  # the reply started nothing
        assert path_of(flows, executions[alice].sid) == SIZE_PATH
        assert path_of(flows, executions[bob].sid) == SIZE_PATH[:1]
        context = flows.executions(executions[alice].sid).execution_context().fetch().context
        assert context["trigger"]["message"]["Body"] == "hi" and context["trigger"]["message"]["From"] == alice
        assert context["widgets"]["ask"]["inbound"]["Body"] == "m" and sandbox.inbox(bob) == [ASK]

        # Once it has ended, the contact's next message starts a new execution.
        sandbox.send(alice, "again")
        assert at_least(sandbox, alice, 3)[2] == ASK
        assert len(flows.executions.list()) == 3 and len(flows.executions.list(status="active")) == 2
    finally:
        flow_number.update(sms_url="")


def test_a_reply_resumes_its_execution_whatever_the_numbers_sms_url(studio, new_flow, sandbox, flow_number, receiver):
    flow = new_flow("appointment_reminder")
    flows = studio.studio.v2.flows(flow.sid)
    flow_number.update(sms_url=receiver.url("/sms"))
    try:
        contact = handset()
        execution = flows.executions.create(to=contact, from_=sandbox.number, parameters={"name": "ada", "when": "Monday 10:00"})
        assert at_least(sandbox, contact, 1) == [REMIND]
        sandbox.send(contact, "C")
        assert at_least(sandbox, contact, 2)[1] == "Thanks Ada, see you Monday 10:00."
        assert flows.executions(execution.sid).fetch().status == "ended"
        assert receiver.requests_for("/sms") == []
        sandbox.send(contact, "one more thing")  # nothing waits now: the number's SmsUrl gets it
        webhook = receiver.wait_for(lambda: receiver.requests_for("/sms"), 15, "the SmsUrl request")[0]
        assert webhook.params()["Body"] == "one more thing" and webhook.params()["From"] == contact
        assert len(flows.executions.list()) == 1
    finally:
        flow_number.update(sms_url="")


def test_a_contact_whose_execution_is_busy_starts_nothing(studio, new_flow, sandbox, flow_number, receiver):
    document = b'{"name": "ada", "points": 1200, "expiring": 0, "rewards": []}'
    receiver.always("/loyalty/members", Reply(200, headers={"Content-Type": "application/json"}, body=document, delay_ms=3000))
    flow = new_flow("loyalty_balance", http_base=receiver.url(""))
    flows = studio.studio.v2.flows(flow.sid)
    flow_number.update(sms_url=flow.webhook_url)
    try:
        contact = handset()
        sandbox.send(contact, "POINTS")
        receiver.wait_for(lambda: receiver.requests_for("/loyalty/members"), 15, "the lookup")
        sandbox.send(contact, "POINTS")  # while the lookup is in flight
        assert at_least(sandbox, contact, 1) == ["Ada, you have 1200 points (Silver)."]
        sid = execution_of(flows, contact)
        wait_until(lambda: flows.executions(sid).fetch().status == "ended", 15, "the execution's end")
        assert [e.sid for e in flows.executions.list()] == [sid]
        assert len(receiver.requests_for("/loyalty/members")) == 1 and sandbox.inbox(contact) == ["Ada, you have 1200 points (Silver)."]
    finally:
        flow_number.update(sms_url="")


# ---- the same through an SMPP number -----------------------------------------------------------------------------

SMPP_NUMBER = "+17185550600"
SMPP_INVENTORY = f"phone_number,iso_country,type,capabilities,connection,sms_rate\n{SMPP_NUMBER},US,local,sms,carrier-a,100\n"


@pytest.fixture(scope="module")
def smsc():
    with SMSC(system_id="parley", password="secret") as running:
        yield running


@pytest.fixture(scope="module")
def smpp_server(parley_binary, smsc, tmp_path_factory):
    connection = f"name=carrier-a,host=127.0.0.1,port={smsc.port},system-id=parley,password=secret"
    with running_server(parley_binary, extra_args=(*ALLOW_LOOPBACK_EGRESS, "--smpp", connection)) as running:
        path = tmp_path_factory.mktemp("flows-smpp") / "numbers.csv"
        path.write_text(SMPP_INVENTORY)
        imported = subprocess.run([str(parley_binary), "numbers", "import", str(path), "--data-dir", str(running.work_dir / "data")],
                                  capture_output=True, text=True, timeout=120)
        assert imported.returncode == 0, imported.stderr
        smsc.wait_for(lambda: smsc.bound, 30, "Parley's bind")
        yield running


@pytest.fixture(scope="module")
def smpp_number(smpp_server):
    account = sdk_client(smpp_server.base_url, smpp_server.account_sid, smpp_server.auth_token).api.v2010.accounts(smpp_server.account_sid)
    number = account.incoming_phone_numbers.create(phone_number=SMPP_NUMBER)
    return account.incoming_phone_numbers(number.sid)


@pytest.fixture
def smpp_studio(smpp_server):
    return sdk_client(smpp_server.base_url, smpp_server.account_sid, smpp_server.auth_token)


@pytest.fixture
def smpp_new_flow(smpp_server, smpp_studio):
    yield from flow_factory(smpp_studio, sdk_client(smpp_server.base_url, smpp_server.account_sid, smpp_server.auth_token))


SMPP_SCENARIOS = [
    Scenario("tshirt_size", "SMS trigger and reply", sms="hi", replies=["m"], path=SIZE_PATH,
             messages=[ASK, "Size M noted (you first said 'hi')."],
             context={"trigger.message.To": "__NUMBER__", "trigger.message.From": "__CONTACT__", "widgets.ask.inbound.Body": "m"}),
    Scenario("appointment_reminder", "REST trigger, reply by SMPP", parameters={"name": "ada", "when": "Monday 10:00", "booking": "B-1"}, replies=["x"],
             http={"/bookings/cancel": (200, {"booking": "B-1"})},
             path=[("Trigger", "incomingRequest", "remind"), ("remind", "incomingMessage", "answer"), ("answer", "match", "cancel_booking"),
                   ("cancel_booking", "success", "cancelled"), ("cancelled", "sent", "Ended")],
             messages=[REMIND, "Your appointment B-1 is cancelled."], received={"/bookings/cancel": {"method": "POST", "form": {"phone": "__CONTACT__"}}}),
    Scenario("prescription_pickup", "failed delivery receipt", receipt="UNDELIV",
             parameters={"patient": "maria lopez", "rx": "rx-881", "store": "Elm Street"}, http={"/pharmacy/unreachable": (200, {"ticket": "T-9"})},
             path=[("Trigger", "incomingRequest", "ready"), ("ready", "deliveryFailure", "notify_staff"), ("notify_staff", "success", "Ended")],
             received={"/pharmacy/unreachable": {"method": "POST", "content_type": "application/json",
                                                 "json": {"rx": "RX-881", "phone": "__CONTACT__", "status": "undelivered"}}},
             messages=[READY],  # the SMSC took it; its receipt said it was not delivered
             context={"widgets.ready.outbound.Status": "undelivered", "widgets.ready.outbound.Sid": starts_with("SM"),
                      "widgets.ready.outbound.Body": READY, "widgets.ready.inbound": ABSENT, "error": ABSENT}),
]


@pytest.mark.parametrize("scenario", SMPP_SCENARIOS, ids=lambda scenario: scenario.id)
def test_smpp_scenario(scenario, smsc, smpp_studio, smpp_new_flow, smpp_number, receiver):
    smsc.receipt_state = scenario.receipt
    try:
        run_scenario(scenario, smpp_studio, smpp_new_flow, SmppChannel(smsc, SMPP_NUMBER), receiver, smpp_number)
    finally:
        smsc.receipt_state = "DELIVRD"
