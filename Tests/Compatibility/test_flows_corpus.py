"""The flow corpus (Tests/Fixtures/flows), part 1: the messaging flows, triggered over REST and by SMS through the
sandbox, with handsets replying (or not). Each scenario's step path, context, messages and HTTP requests are asserted
(see flows_helpers.Scenario). Part 2 (HTTP, Liquid, voice and unsupported widgets) is test_flows_corpus_http.py; the
limits are test_flows_limits.py; the SMPP scenarios are in test_flows_sms.py."""

import json

import pytest

from flows_helpers import (  # noqa: F401 - fixtures
    ABSENT, FIXTURES, NONEMPTY, UNOWNED_NUMBER, Scenario, corpus, flow_number, new_flow, number_sid, run_scenario, sandbox,
    starts_with, studio)

T = "Trigger"
REMIND = "Hi Ada, your appointment is Monday 10:00. Reply C to confirm or X to cancel."
APPOINTMENT = {"name": "ada", "when": "Monday 10:00", "booking": "B-17"}
ASK_SIZE = "Which T-shirt size? Reply S, M, L or XL."
READY = "Hi Maria, prescription #RX-881 is ready at Elm Street Pharmacy. Reply HOLD to keep it or DONE once collected."
PRESCRIPTION = {"patient": "maria lopez", "rx": "rx-881", "store": "Elm Street", "hold_until": "2026-11-27"}
SURVEY = "On a scale of 0-10, how likely are you to recommend us?"
CODE = "Your verification code is 123456. Reply with it to sign in."


def reminder(*tail):
    return [(T, "incomingRequest", "remind"), *tail]


def prescription(*tail):
    return [(T, "incomingRequest", "ready"), *tail]


SCENARIOS = [
    Scenario("appointment_reminder", "confirmed", parameters=APPOINTMENT, replies=["C"],
             path=reminder(("remind", "incomingMessage", "answer"), ("answer", "match", "confirmed"), ("confirmed", "sent", "Ended")),
             messages=[REMIND, "Thanks Ada, see you Monday 10:00."],
             context={"widgets.remind.inbound.Body": "C", "widgets.remind.inbound.From": "__CONTACT__", "widgets.remind.inbound.To": "__NUMBER__",
                      "widgets.remind.inbound.MessageSid": starts_with("SM"), "widgets.remind.outbound.Body": REMIND,
                      "widgets.remind.outbound.Sid": starts_with("SM"), "widgets.remind.outbound.To": "__CONTACT__",
                      "widgets.remind.outbound.From": "__NUMBER__", "widgets.confirmed.Body": "Thanks Ada, see you Monday 10:00.",
                      "widgets.confirmed.Sid": starts_with("SM"), "widgets.confirmed.To": "__CONTACT__", "flow.data.booking": "B-17",
                      "trigger.request.parameters.name": "ada", "trigger.request.to": "__CONTACT__", "trigger.request.from": "__NUMBER__",
                      "error": ABSENT},
             steps={"remind:event": "incomingMessage", "remind:widget": "remind", "remind:type": "send-and-wait-for-reply",
                    "remind:timing.started_at": NONEMPTY, "remind:error": ABSENT}),
    Scenario("appointment_reminder", "cancelled", parameters=APPOINTMENT, replies=["cancel"], http={"/bookings/cancel": (200, {"booking": "B-17"})},
             path=reminder(("remind", "incomingMessage", "answer"), ("answer", "match", "cancel_booking"),
                           ("cancel_booking", "success", "cancelled"), ("cancelled", "sent", "Ended")),
             received={"/bookings/cancel": {"method": "POST", "content_type": "application/x-www-form-urlencoded",
                                            "form": {"booking": "B-17", "phone": "__CONTACT__"}}},
             messages=[REMIND, "Your appointment B-17 is cancelled."],
             steps={"cancel_booking:event": "success", "cancel_booking:type": "make-http-request", "cancel_booking:outputs.status_code": 200}),
    Scenario("appointment_reminder", "not understood", parameters=APPOINTMENT, replies=["maybe"],
             path=reminder(("remind", "incomingMessage", "answer"), ("answer", "noMatch", "not_understood"), ("not_understood", "sent", "Ended")),
             messages=[REMIND, "Sorry, we did not understand. Please call us."]),
    Scenario("appointment_reminder", "no reply in time", parameters={**APPOINTMENT, "timeout": 2},
             path=reminder(("remind", "timeout", "no_answer"), ("no_answer", "sent", "Ended")),
             messages=[REMIND, "No reply received; we will call you."],
             context={"widgets.remind.outbound.Body": REMIND, "widgets.remind.inbound": ABSENT}),
    Scenario("appointment_reminder", "still waiting", parameters=APPOINTMENT, status="active",
             path=[(T, "incomingRequest", "remind")], messages=[REMIND]),
    *[Scenario("nps_survey", segment, replies=[score], http={"/survey": (200, {"ok": True})},
               path=[(T, "incomingRequest", "ask_score"), ("ask_score", "incomingMessage", "segment"), ("segment", branch, segment),
                     (segment, "next", "report"), ("report", "success", "thanks"), ("thanks", "sent", "Ended")],
               received={"/survey": {"method": "POST", "content_type": "application/json",
                                     "json": {"contact": "__CONTACT__", "score": int(score), "segment": segment}}},
               messages=[SURVEY, thanks], context={"flow.variables.segment": segment, "widgets.report.parsed.ok": True})
      for segment, score, branch, thanks in [
          ("promoter", "10", "match", "Thanks! Glad you love us."), ("detractor", " 3 ", "match", "Sorry to hear that; we will do better."),
          ("passive", "7", "noMatch", "Thanks for your feedback.")]],
    *[Scenario("two_factor", label, parameters={"code": "123456"}, replies=[reply],
               path=[(T, "incomingRequest", "remember_code"), ("remember_code", "next", "ask_code"), ("ask_code", "incomingMessage", "shape"), *tail],
               messages=[CODE, final], context={"flow.variables.code": "123456"})
      for label, reply, tail, final in [
          ("right code", "123456", [("shape", "match", "compare"), ("compare", "match", "verified"), ("verified", "sent", "Ended")], "Verified. Welcome back."),
          ("wrong code", "654321", [("shape", "match", "compare"), ("compare", "noMatch", "rejected"), ("rejected", "sent", "Ended")], "That code is not right."),
          ("not a code", "12ab", [("shape", "noMatch", "rejected"), ("rejected", "sent", "Ended")], "That code is not right.")]],
    Scenario("keyword_optout", "stop", sms="stop", http={"/functions/optout": (200, {"reference": "OPT-1"})},
             path=[(T, "incomingMessage", "keyword"), ("keyword", "match", "record_optout"), ("record_optout", "success", "optout_done"), ("optout_done", "sent", "Ended")],
             received={"/functions/optout": {"method": "POST", "content_type": "application/x-www-form-urlencoded",
                                             "form": {"Keyword": "STOP", "From": "__CONTACT__"}}},
             messages=["You are unsubscribed (OPT-1). Reply START to come back."],
             context={"trigger.message.Body": "stop", "trigger.message.To": "__NUMBER__", "trigger.message.From": "__CONTACT__",
                      "trigger.message.MessageSid": starts_with("SM"), "widgets.record_optout.status_code": 200,
                      "widgets.record_optout.parsed.reference": "OPT-1"}),
    Scenario("keyword_optout", "function fails", sms="UNSUBSCRIBE", http={"/functions/optout": (500, {"error": "down"})},
             path=[(T, "incomingMessage", "keyword"), ("keyword", "match", "record_optout"), ("record_optout", "fail", "optout_failed"), ("optout_failed", "sent", "Ended")],
             messages=["We could not process that right now."], context={"widgets.record_optout.status_code": 500}),
    Scenario("keyword_optout", "other words", sms="hello there, how are you",
             path=[(T, "incomingMessage", "keyword"), ("keyword", "match", "echo"), ("echo", "sent", "Ended")], messages=["You said: hello there, how ..."]),
    Scenario("keyword_optout", "help", sms="Help",
             path=[(T, "incomingMessage", "keyword"), ("keyword", "noMatch", "menu"), ("menu", "sent", "Ended")], messages=["Reply STOP to unsubscribe."]),
    Scenario("tshirt_size", "a size", sms="hi", replies=[" xl "],
             path=[(T, "incomingMessage", "ask"), ("ask", "incomingMessage", "size_check"), ("size_check", "match", "note"), ("note", "next", "confirm"),
                   ("confirm", "sent", "Ended")],
             messages=[ASK_SIZE, "Size XL noted (you first said 'hi')."], context={"flow.variables.size": "XL", "flow.variables.first": "hi"}),
    Scenario("tshirt_size", "not a size", sms="Hello", replies=["huge"],
             path=[(T, "incomingMessage", "ask"), ("ask", "incomingMessage", "size_check"), ("size_check", "noMatch", "bad_size"), ("bad_size", "sent", "Ended")],
             messages=[ASK_SIZE, "Sorry, we only have S, M, L and XL."]),
    Scenario("prescription_pickup", "hold", parameters=PRESCRIPTION, replies=["Hold "],
             path=prescription(("ready", "incomingMessage", "reply"), ("reply", "match", "held"), ("held", "sent", "Ended")),
             messages=[READY, "Held until Friday, Nov 27."]),
    Scenario("prescription_pickup", "collected, pharmacist told", parameters={**PRESCRIPTION, "pharmacist": "+15558699001"}, replies=["done"],
             path=prescription(("ready", "incomingMessage", "reply"), ("reply", "match", "collected"), ("collected", "sent", "tell_pharmacist"),
                               ("tell_pharmacist", "sent", "Ended")),
             messages=[READY, "Thanks for collecting #RX-881."], inboxes={"+15558699001": ["RX-881 collected by __CONTACT__"]},
             context={"widgets.tell_pharmacist.To": "+15558699001", "widgets.tell_pharmacist.Sid": starts_with("SM")}),
    Scenario("prescription_pickup", "collected, pharmacist unreachable", parameters={**PRESCRIPTION, "pharmacist": "front desk"}, replies=["DONE"],
             path=prescription(("ready", "incomingMessage", "reply"), ("reply", "match", "collected"), ("collected", "sent", "tell_pharmacist"),
                               ("tell_pharmacist", "failed", "pharmacist_unreachable"), ("pharmacist_unreachable", "next", "Ended")),
             messages=[READY, "Thanks for collecting #RX-881."], context={"flow.variables.pharmacist_unreachable": "front desk", "error": ABSENT}),
    Scenario("prescription_pickup", "unclear reply", parameters=PRESCRIPTION, replies=["what?"],
             path=prescription(("ready", "incomingMessage", "reply"), ("reply", "noMatch", "keep_default"), ("keep_default", "sent", "Ended")),
             messages=[READY, "We'll keep #RX-881 for 7 days."]),
    Scenario("prescription_pickup", "no reply", parameters={**PRESCRIPTION, "wait": "2"},
             path=prescription(("ready", "timeout", "keep_default"), ("keep_default", "sent", "Ended")), messages=[READY, "We'll keep #RX-881 for 7 days."]),
    # The sandbox delivers everything; a message Parley cannot send at all (from a number no account owns) is the
    # widget's deliveryFailure. The SMPP variant (a failed delivery receipt) is in test_flows_sms.py.
    Scenario("prescription_pickup", "undeliverable", parameters={**PRESCRIPTION, "store_number": UNOWNED_NUMBER},
             http={"/pharmacy/unreachable": (200, {"ticket": "T-5"})},
             path=prescription(("ready", "deliveryFailure", "notify_staff"), ("notify_staff", "success", "Ended")),
             received={"/pharmacy/unreachable": {"method": "POST", "content_type": "application/json",
                                                 "json": {"rx": "RX-881", "phone": "__CONTACT__", "status": "failed"}}},
             messages=[], context={"widgets.ready.outbound.Status": "failed", "widgets.notify_staff.parsed.ticket": "T-5", "error": ABSENT}),
    *[Scenario("support_hours", time, parameters={"time": time}, path=[(T, "incomingRequest", "hours"), ("hours", event, target), (target, "sent", "Ended")],
               messages=[text])
      for time, event, target, text in [
          ("08:30", "match", "closed", "We're closed (open 09:00-17:00). We'll reply in the morning."),
          ("18:05", "match", "closed", "We're closed (open 09:00-17:00). We'll reply in the morning."),
          ("12:00", "noMatch", "open", "We're open. An agent will text you shortly.")]],
    *[Scenario("seasonal_promo", today, parameters={"today": today}, path=[(T, "incomingRequest", "season"), ("season", event, target), (target, "sent", "Ended")],
               messages=[text])
      for today, event, target, text in [
          ("2026-11-22", "match", "early_bird", "Early bird: 20% off until Dec 1."), ("2026-12-26", "match", "after_holidays", "After-holiday sale: 30% off."),
          ("2026-12-10", "noMatch", "regular", "Holiday season: free shipping.")]],
    *[Scenario("country_router", team, contact=contact, path=[(T, "incomingRequest", "country"), ("country", event, f"{team}_team"), (f"{team}_team", "next", "Ended")],
               messages=[] if contact is None else None, context={"flow.variables.team": "international" if team == "intl" else team})
      for team, contact, event in [("uk", "+447700900123", "match"), ("intl", "+33612345678", "match"), ("us", None, "noMatch")]],
]

ALL_WIDGETS = {
    "trigger", "split-based-on", "set-variables", "make-http-request", "run-function", "send-message", "send-and-wait-for-reply",
    "say-play", "gather-input-on-call", "record-voicemail", "connect-call-to", "enqueue-call", "fork-stream", "add-twiml-redirect",
    "make-outgoing-call-v2", "record-call", "capture-payments", "run-subflow", "send-to-flex", "connect-virtual-agent"}
ALL_OPERATORS = {
    "equal_to", "not_equal_to", "matches_any_of", "does_not_match_any_of", "contains", "does_not_contain", "starts_with",
    "does_not_start_with", "is_blank", "is_not_blank", "regex", "less_than", "greater_than", "is_before_time", "is_after_time",
    "is_before_date", "is_after_date"}
LIQUID_TAGS = {"if", "elsif", "else", "unless", "case", "when", "for", "assign", "capture", "comment", "raw"}


def test_the_corpus_covers_every_widget_operator_and_liquid_tag():
    """No server needed: the fixtures are Studio exports that together use everything docs/flows.md lists."""
    widgets, operators, text = set(), set(), ""
    for name in corpus():
        flow = json.loads((FIXTURES / f"{name}.json").read_text())
        assert set(flow) == {"description", "states", "initial_state", "flags"} and flow["initial_state"] == "Trigger", name
        assert flow["flags"] == {"allow_concurrent_calls": True}, name
        for state in flow["states"]:
            assert {"name", "type", "properties", "transitions"} == set(state) and "offset" in state["properties"], (name, state["name"])
            widgets.add(state["type"])
            operators |= {c["type"] for t in state["transitions"] for c in t.get("conditions", [])}
        text += json.dumps(flow)
    assert len(corpus()) >= 12
    assert widgets == ALL_WIDGETS
    assert operators == ALL_OPERATORS
    assert all(f"{{% {tag}" in text or f"{{%- {tag}" in text for tag in LIQUID_TAGS), [t for t in LIQUID_TAGS if f"% {t}" not in text]
    assert '"parse_as_json": true' in text and "{{-" in text and "-%}" in text


def test_every_fixture_has_scenarios():
    from test_flows_corpus_http import SCENARIOS as HTTP_SCENARIOS
    covered = {s.flow for s in SCENARIOS + HTTP_SCENARIOS} | {"counter_loop", "runaway_payload"}  # test_flows_limits.py
    assert covered == set(corpus())
    assert len({s.id for s in SCENARIOS + HTTP_SCENARIOS}) == len(SCENARIOS + HTTP_SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.id)
def test_scenario(scenario, studio, new_flow, sandbox, receiver, flow_number):
    run_scenario(scenario, studio, new_flow, sandbox, receiver, flow_number)
