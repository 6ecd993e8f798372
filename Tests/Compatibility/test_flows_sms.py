"""Flows and inbound SMS: a number whose SmsUrl is a flow's webhook_url starts an execution per contact; the contact's
reply resumes the execution waiting for it instead of starting another; other contacts get their own."""

from flows_helpers import (  # noqa: F401 - fixtures
    FLOW_NUMBER, definition, handset, inbox, number_sid, path_of, send_sms, studio, wait_until)

ASK = "Which size? Reply S, M or L."


def sms_survey() -> dict:
    """Trigger (incoming SMS) → ask (send-and-wait) → note (set-variables) → confirm (send-message)."""
    flow = definition("two_factor")
    flow["states"] = [
        {"name": "Trigger", "type": "trigger", "properties": {}, "transitions": [{"event": "incomingMessage", "next": "ask"}]},
        {"name": "ask", "type": "send-and-wait-for-reply", "properties": {"body": ASK},
         "transitions": [{"event": "incomingMessage", "next": "note"}, {"event": "timeout"}, {"event": "deliveryFailure"}]},
        {"name": "note", "type": "set-variables", "properties": {"variables": [
            {"key": "size", "value": "{{widgets.ask.inbound.Body | upcase}}"}, {"key": "first", "value": "{{trigger.message.Body}}"}]},
         "transitions": [{"event": "next", "next": "confirm"}]},
        {"name": "confirm", "type": "send-message", "properties": {"body": "Size {{flow.variables.size}} noted (you first said '{{flow.variables.first}}')."},
         "transitions": [{"event": "sent"}, {"event": "failed"}]},
    ]
    return flow


def test_a_reply_resumes_the_waiting_execution_and_other_contacts_get_their_own(base_url, owner, studio, number_sid):
    flow = studio.studio.v2.flows.create(friendly_name="sizes", status="published", definition=sms_survey())
    flows = studio.studio.v2.flows(flow.sid)
    number = studio.api.v2010.accounts(owner.sid).incoming_phone_numbers(number_sid)
    number.update(sms_url=flow.webhook_url)
    try:
        alice, bob = handset(), handset()
        send_sms(base_url, owner, alice, FLOW_NUMBER, "hi")
        wait_until(lambda: inbox(base_url, owner, alice) == [ASK], 15, "alice's question")
        send_sms(base_url, owner, bob, FLOW_NUMBER, "hello")
        wait_until(lambda: inbox(base_url, owner, bob) == [ASK], 15, "bob's question")
        executions = {e.contact_channel_address: e for e in flows.executions.list()}
        assert set(executions) == {alice, bob}
        assert all(e.status == "active" for e in executions.values())
        assert executions[alice].initiated_by.startswith("SM")

        send_sms(base_url, owner, alice, FLOW_NUMBER, "m")
        wait_until(lambda: len(inbox(base_url, owner, alice)) == 2, 15, "alice's confirmation")
        assert inbox(base_url, owner, alice)[1] == "Size M noted (you first said 'hi')."
        assert flows.executions(executions[alice].sid).fetch().status == "ended"
        assert flows.executions(executions[bob].sid).fetch().status == "active"
        assert len(flows.executions.list()) == 2  # the reply started nothing
        assert path_of(flows, executions[alice].sid) == [
            ("Trigger", "incomingMessage", "ask"), ("ask", "incomingMessage", "note"), ("note", "next", "confirm"), ("confirm", "sent", "Ended")]
        context = flows.executions(executions[alice].sid).execution_context().fetch().context
        assert context["trigger"]["message"]["Body"] == "hi" and context["trigger"]["message"]["From"] == alice
        assert context["widgets"]["ask"]["inbound"]["Body"] == "m"

        # Once it has ended, the contact's next message starts a new execution.
        send_sms(base_url, owner, alice, FLOW_NUMBER, "again")
        wait_until(lambda: len(inbox(base_url, owner, alice)) == 3, 15, "alice's second question")
        assert len(flows.executions.list()) == 3
    finally:
        number.update(sms_url="")
        flows.delete()
