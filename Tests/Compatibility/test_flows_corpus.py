"""The flow corpus (Tests/Fixtures/flows) run through the REST API and the sandbox: triggers by REST and by SMS, a
local HTTP receiver answering the HTTP widgets, handsets replying; each scenario's step path, context, messages and
HTTP requests asserted."""

import json
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import pytest

from flows_helpers import (  # noqa: F401 - fixtures
    FLOW_NUMBER, context_value, corpus, handset, inbox, new_flow, number_sid, path_of, send_sms, studio, wait_until)
from webhook_receiver import Reply

VOICE = ["say_play", "gather_input_on_call", "record_voicemail", "connect_call_to", "enqueue_call", "fork_stream", "add_twiml_redirect"]


@dataclass
class Scenario:
    flow: str
    label: str
    path: List[Tuple[str, str, str]]
    parameters: Optional[dict] = None
    sms: Optional[str] = None  # an SMS trigger's body (the number's SmsUrl is the flow's webhook_url)
    contact: Optional[str] = None  # default: a fresh sandbox handset
    replies: List[str] = field(default_factory=list)
    http: Dict[str, Tuple[int, object]] = field(default_factory=dict)  # path → (status, JSON answer)
    received: Dict[str, dict] = field(default_factory=dict)  # path → what the request carried
    messages: Optional[List[str]] = None  # what the handset got, in order
    context: Dict[str, object] = field(default_factory=dict)  # dotted path in the execution context → value

    @property
    def id(self) -> str:
        return f"{self.flow}:{self.label}"


T = "Trigger"
REMIND = "Hi Ada, your appointment is Monday 10:00. Reply C to confirm or X to cancel."
APPOINTMENT = {"name": "ada", "when": "Monday 10:00", "booking": "B-17"}
SCENARIOS = [
    Scenario("appointment_reminder", "confirmed", parameters=APPOINTMENT, replies=["C"],
             path=[(T, "incomingRequest", "remind"), ("remind", "incomingMessage", "answer"), ("answer", "match", "confirmed"), ("confirmed", "sent", "Ended")],
             messages=[REMIND, "Thanks Ada, see you Monday 10:00."], context={"widgets.remind.inbound.Body": "C", "widgets.remind.outbound.Body": REMIND}),
    Scenario("appointment_reminder", "cancelled", parameters=APPOINTMENT, replies=["cancel"], http={"/bookings/cancel": (200, {"booking": "B-17"})},
             path=[(T, "incomingRequest", "remind"), ("remind", "incomingMessage", "answer"), ("answer", "match", "cancel_booking"),
                   ("cancel_booking", "success", "cancelled"), ("cancelled", "sent", "Ended")],
             received={"/bookings/cancel": {"method": "POST", "form": {"booking": "B-17"}}},
             messages=[REMIND, "Your appointment B-17 is cancelled."]),
    Scenario("appointment_reminder", "not understood", parameters=APPOINTMENT, replies=["maybe"],
             path=[(T, "incomingRequest", "remind"), ("remind", "incomingMessage", "answer"), ("answer", "noMatch", "not_understood"), ("not_understood", "sent", "Ended")],
             messages=[REMIND, "Sorry, we did not understand. Please call us."]),
    Scenario("appointment_reminder", "no reply in time", parameters={**APPOINTMENT, "timeout": 2},
             path=[(T, "incomingRequest", "remind"), ("remind", "timeout", "no_answer"), ("no_answer", "sent", "Ended")],
             messages=[REMIND, "No reply received; we will call you."]),
    Scenario("order_status", "shipped", parameters={"order_id": "A-100"},
             http={"/orders/A-100": (200, {"status": "shipped", "shipped_at": "2026-11-20T08:00:00Z", "carrier": "ups"})},
             path=[(T, "incomingRequest", "lookup"), ("lookup", "success", "by_status"), ("by_status", "match", "shipped"), ("shipped", "sent", "Ended")],
             received={"/orders/A-100": {"method": "GET"}}, messages=["Order A-100 shipped on Nov 20 with UPS."],
             context={"widgets.lookup.status_code": 200, "widgets.lookup.parsed.carrier": "ups"}),
    Scenario("order_status", "in transit", parameters={"order_id": "A-101"}, http={"/orders/A-101": (200, {"status": "in_transit"})},
             path=[(T, "incomingRequest", "lookup"), ("lookup", "success", "by_status"), ("by_status", "match", "other_status"), ("other_status", "sent", "Ended")],
             messages=["Order A-101 is in transit."]),
    Scenario("order_status", "unknown order", parameters={"order_id": "A-102"}, http={"/orders/A-102": (404, {"error": "no such order"})},
             path=[(T, "incomingRequest", "lookup"), ("lookup", "failed", "unknown_order"), ("unknown_order", "sent", "Ended")],
             messages=["We could not find order A-102 (HTTP 404)."], context={"widgets.lookup.parsed": None}),
    *[Scenario("nps_survey", segment, replies=[score], http={"/survey": (200, {"ok": True})},
               path=[(T, "incomingRequest", "ask_score"), ("ask_score", "incomingMessage", "segment"), ("segment", branch, segment),
                     (segment, "next", "report"), ("report", "success", "thanks"), ("thanks", "sent", "Ended")],
               received={"/survey": {"method": "POST", "json": {"score": int(score), "segment": segment}}},
               messages=["On a scale of 0-10, how likely are you to recommend us?", thanks], context={"flow.variables.segment": segment})
      for segment, score, branch, thanks in [
          ("promoter", "10", "match", "Thanks! Glad you love us."), ("detractor", " 3 ", "match", "Sorry to hear that; we will do better."),
          ("passive", "7", "noMatch", "Thanks for your feedback.")]],
    *[Scenario("support_hours", time, parameters={"time": time}, path=[(T, "incomingRequest", "hours"), ("hours", event, target), (target, "sent", "Ended")])
      for time, event, target in [("08:30", "match", "closed"), ("18:05", "match", "closed"), ("12:00", "noMatch", "open")]],
    Scenario("keyword_optout", "stop", sms="stop", http={"/functions/optout": (200, {"reference": "OPT-1"})},
             path=[(T, "incomingMessage", "keyword"), ("keyword", "match", "record_optout"), ("record_optout", "success", "optout_done"), ("optout_done", "sent", "Ended")],
             received={"/functions/optout": {"method": "POST", "form": {"Keyword": "STOP"}}},
             messages=["You are unsubscribed (OPT-1). Reply START to come back."], context={"trigger.message.Body": "stop", "trigger.message.To": FLOW_NUMBER}),
    Scenario("keyword_optout", "function fails", sms="UNSUBSCRIBE", http={"/functions/optout": (500, {"error": "down"})},
             path=[(T, "incomingMessage", "keyword"), ("keyword", "match", "record_optout"), ("record_optout", "fail", "optout_failed"), ("optout_failed", "sent", "Ended")],
             messages=["We could not process that right now."]),
    Scenario("keyword_optout", "other words", sms="hello there, how are you",
             path=[(T, "incomingMessage", "keyword"), ("keyword", "match", "echo"), ("echo", "sent", "Ended")], messages=["You said: hello there, how ..."]),
    Scenario("keyword_optout", "help", sms="Help",
             path=[(T, "incomingMessage", "keyword"), ("keyword", "noMatch", "menu"), ("menu", "sent", "Ended")], messages=["Reply STOP to unsubscribe."]),
    Scenario("lead_capture", "valid", parameters={"first": " ada ", "last": "LOVELACE", "email": " Ada@Example.COM ", "interests": "sms,voice"},
             http={"/crm/leads": (201, {"id": "L-9"})},
             path=[(T, "incomingRequest", "normalise"), ("normalise", "next", "check_email"), ("check_email", "match", "crm"), ("crm", "success", "welcome"), ("welcome", "sent", "Ended")],
             received={"/crm/leads": {"method": "POST", "form": {"name": "Ada Lovelace", "email": "ada@example.com", "interests": "sms|voice", "count": "2"}}},
             messages=["Welcome Ada Lovelace! Lead L-9 created."], context={"flow.variables.interests": ["sms", "voice"]}),
    Scenario("lead_capture", "invalid email", parameters={"first": "x", "last": "y", "email": "nope", "interests": "sms"},
             path=[(T, "incomingRequest", "normalise"), ("normalise", "next", "check_email"), ("check_email", "match", "invalid_email"), ("invalid_email", "sent", "Ended")],
             messages=["'nope' is not an email address."]),
    *[Scenario("two_factor", label, parameters={"code": "123456"}, replies=[reply], path=[(T, "incomingRequest", "remember_code"), ("remember_code", "next", "ask_code"),
               ("ask_code", "incomingMessage", "shape")] + tail, messages=["Your verification code is 123456. Reply with it to sign in.", final])
      for label, reply, tail, final in [
          ("right code", "123456", [("shape", "match", "compare"), ("compare", "match", "verified"), ("verified", "sent", "Ended")], "Verified. Welcome back."),
          ("wrong code", "654321", [("shape", "match", "compare"), ("compare", "noMatch", "rejected"), ("rejected", "sent", "Ended")], "That code is not right."),
          ("not a code", "12ab", [("shape", "noMatch", "rejected"), ("rejected", "sent", "Ended")], "That code is not right.")]],
    Scenario("delivery_eta", "known", parameters={"tracking": "T1", "zip": "10001"}, http={"/eta": (200, {"minutes": 135})},
             path=[(T, "incomingRequest", "eta"), ("eta", "success", "known"), ("known", "match", "eta_known"), ("eta_known", "sent", "Ended")],
             received={"/eta": {"method": "GET", "query": {"tracking": "T1", "zip": "10001"}}}, messages=["Your parcel arrives in 2 h 15 min."]),
    Scenario("delivery_eta", "blank", parameters={"tracking": "T2", "zip": "10001"}, http={"/eta": (200, {"minutes": ""})},
             path=[(T, "incomingRequest", "eta"), ("eta", "success", "known"), ("known", "match", "eta_unknown"), ("eta_unknown", "sent", "Ended")],
             messages=["We don't have an ETA yet."]),
    *[Scenario("seasonal_promo", today, parameters={"today": today}, path=[(T, "incomingRequest", "season"), ("season", event, target), (target, "sent", "Ended")])
      for today, event, target in [("2026-11-22", "match", "early_bird"), ("2026-12-26", "match", "after_holidays"), ("2026-12-10", "noMatch", "regular")]],
    *[Scenario("country_router", team, contact=contact, path=[(T, "incomingRequest", "country"), ("country", event, f"{team}_team"), (f"{team}_team", "next", "Ended")],
               context={"flow.variables.team": "international" if team == "intl" else team})
      for team, contact, event in [("uk", "+447700900123", "match"), ("intl", "+33612345678", "match"), ("us", None, "noMatch")]],
    *[Scenario("ivr_voice_widgets", state, parameters={"widget": state.replace("_", "-")},
               path=[(T, "incomingRequest", "menu"), ("menu", "match", state), (state, "failed", "Ended")],
               context={"error.message": "voice channel not available", "error.widget": state}) for state in VOICE],
    Scenario("receipt_liquid", "cart", parameters={"cart": [{"name": "tea", "qty": 2, "price": 4.5}, {"name": "mug", "qty": 3, "price": 15}]},
             path=[(T, "incomingRequest", "items"), ("items", "next", "receipt"), ("receipt", "sent", "feedback"), ("feedback", "failed", "Ended")],
             messages=["1. TEA x2; 2. MUG x3 | total 54.0 (free shipping)"], context={"error.message": "widget type 'run-subflow' is not supported"}),
]


def test_the_corpus_covers_every_fixture():
    assert sorted({scenario.flow for scenario in SCENARIOS} | {"counter_loop"}) == corpus()
    assert len(corpus()) >= 12


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.id)
def test_scenario(scenario, base_url, owner, studio, new_flow, number_sid, receiver):
    for path, (status, answer) in scenario.http.items():
        receiver.always(path, Reply(status=status, headers={"Content-Type": "application/json"}, body=json.dumps(answer).encode()))
    flow = new_flow(scenario.flow, http_base=receiver.url(""))
    flows = studio.studio.v2.flows(flow.sid)
    contact = scenario.contact or handset()
    if scenario.sms is not None:
        studio.api.v2010.accounts(owner.sid).incoming_phone_numbers(number_sid).update(sms_url=flow.webhook_url)
        send_sms(base_url, owner, contact, FLOW_NUMBER, scenario.sms)
        execution_sid = wait_until(
            lambda: next((e.sid for e in flows.executions.list() if e.contact_channel_address == contact), None), 15, "the SMS-started execution")
    else:
        execution_sid = flows.executions.create(to=contact, from_=FLOW_NUMBER, parameters=scenario.parameters or {}).sid
    for position, reply in enumerate(scenario.replies):
        wait_until(lambda: len(inbox(base_url, owner, contact)) > position, 15, f"outbound message {position + 1}")
        send_sms(base_url, owner, contact, FLOW_NUMBER, reply)
    execution = wait_until(lambda: (lambda e: e if e.status == "ended" else None)(flows.executions(execution_sid).fetch()), 20, "the execution's end")

    assert path_of(flows, execution_sid) == scenario.path
    context = flows.executions(execution_sid).execution_context().fetch().context
    assert context == execution.context
    for dotted, expected in scenario.context.items():
        assert context_value(context, dotted) == expected, dotted
    if scenario.messages is not None:
        assert wait_until(lambda: (lambda got: got if len(got) >= len(scenario.messages) else None)(inbox(base_url, owner, contact)), 15, "the messages") == scenario.messages
    for path, expected in scenario.received.items():
        requests_made = receiver.requests_for(path)
        assert len(requests_made) == 1, (path, requests_made)
        request = requests_made[0]
        assert request.method == expected["method"]
        for key, value in expected.get("form", {}).items():
            assert request.body_params().get(key) == value, key
        for key, value in expected.get("query", {}).items():
            assert request.query_params().get(key) == value, key
        for key, value in expected.get("json", {}).items():
            assert request.json()[key] == value, key
    if scenario.sms is not None:
        studio.api.v2010.accounts(owner.sid).incoming_phone_numbers(number_sid).update(sms_url="")


def test_a_looping_flow_ends_at_the_step_limit_and_the_server_stays_responsive(studio, new_flow):
    flow = new_flow("counter_loop")
    flows = studio.studio.v2.flows(flow.sid)
    execution = flows.executions.create(to=handset(), from_=FLOW_NUMBER)
    assert execution.status == "ended"
    assert execution.context["error"]["message"] == "step limit of 1000 reached"
    steps = path_of(flows, execution.sid)
    assert len(steps) == 1001 and steps[-1][1:] == ("failed", "Ended")
    assert flows.fetch().sid == flow.sid
