"""The flow corpus, part 2: HTTP widgets against the local receiver (JSON and form, GET and POST, failures: 4xx/5xx,
a redirect that is not followed, an answer over 64 KB, no answer in 10 s, the egress guard), Liquid-heavy flows, and
the widgets Parley cannot run yet (voice: `voice channel not available`; other products: `widget type '…' is not
supported`). Runs like part 1 (test_flows_corpus.py)."""

import json

import pytest

from flows_helpers import (  # noqa: F401 - fixtures
    ABSENT, NONEMPTY, Scenario, containing, flow_number, new_flow, number_sid, run_scenario, sandbox, studio)
from webhook_receiver import HANG, Reply

T = "Trigger"
ORDER = [(T, "incomingRequest", "lookup")]
SHIPPED = {"status": "shipped", "shipped_at": "2026-11-20T08:00:00Z", "carrier": "ups"}
MEMBER = {"name": "grace hopper", "points": 6200, "expiring": 300, "expires_on": "2026-12-31",
          "rewards": [{"name": "Tote bag", "status": "active"}, {"name": "Bagel", "status": "used"}, {"name": "Coffee", "status": "active"}]}
GOLD = "Grace, you have 6200 points (Gold: free shipping). 300 expire on Dec 31. Rewards ready: Coffee, Tote bag."
VOICE = ["say-play", "gather-input-on-call", "record-voicemail", "connect-call-to", "enqueue-call", "fork-stream", "add-twiml-redirect",
         "make-outgoing-call-v2", "record-call", "capture-payments"]
UNSUPPORTED = ["send-to-flex", "connect-virtual-agent"]


def state_of(widget: str) -> str:
    return {"make-outgoing-call-v2": "make_outgoing_call"}.get(widget, widget.replace("-", "_"))


def loyalty(event, branch, trigger="incomingRequest"):
    return [(T, trigger, "lookup"), ("lookup", "success", "tier"), ("tier", event, branch), (branch, "next", "statement"),
            ("statement", "sent", "remember"), ("remember", "next", "Ended")]


SCENARIOS = [
    Scenario("order_status", "shipped", parameters={"order_id": "A-100"}, http={"/orders/A-100": (200, SHIPPED)},
             path=ORDER + [("lookup", "success", "by_status"), ("by_status", "match", "shipped"), ("shipped", "sent", "Ended")],
             received={"/orders/A-100": {"method": "GET"}}, messages=["Order A-100 shipped on Nov 20 with UPS."],
             context={"widgets.lookup.status_code": 200, "widgets.lookup.parsed.carrier": "ups", "widgets.lookup.body": json.dumps(SHIPPED),
                      "widgets.lookup.content_type": containing("application/json")},
             steps={"lookup:inputs.method": "GET", "lookup:inputs.url": containing("/orders/A-100"), "lookup:outputs.status_code": 200,
                    "lookup:event": "success"}),
    Scenario("order_status", "in transit", parameters={"order_id": "A-101"}, http={"/orders/A-101": (200, {"status": "in_transit"})},
             path=ORDER + [("lookup", "success", "by_status"), ("by_status", "match", "other_status"), ("other_status", "sent", "Ended")],
             messages=["Order A-101 is in transit."]),
    Scenario("order_status", "unknown order", parameters={"order_id": "A-102"}, http={"/orders/A-102": (404, {"error": "no such order"})},
             path=ORDER + [("lookup", "failed", "unknown_order"), ("unknown_order", "sent", "Ended")],
             messages=["We could not find order A-102 (HTTP 404)."], context={"widgets.lookup.parsed": ABSENT, "widgets.lookup.status_code": 404}),
    # Studio parses only a JSON object: an array answer succeeds, unparsed.
    Scenario("order_status", "array answer", parameters={"order_id": "A-103"}, http={"/orders/A-103": (200, [{"status": "shipped"}])},
             path=ORDER + [("lookup", "success", "by_status"), ("by_status", "match", "other_status"), ("other_status", "sent", "Ended")],
             messages=["Order A-103 is ."], context={"widgets.lookup.parsed": ABSENT, "widgets.lookup.body": '[{"status": "shipped"}]'}),
    Scenario("order_status", "redirect not followed", parameters={"order_id": "A-104"},
             http={"/orders/A-104": Reply(302, headers={"Location": "/orders/elsewhere"}, body=b"")},
             path=ORDER + [("lookup", "failed", "unknown_order"), ("unknown_order", "sent", "Ended")],
             received={"/orders/A-104": {"method": "GET"}, "/orders/elsewhere": {"count": 0}}, messages=["We could not find order A-104 (HTTP 302)."]),
    Scenario("order_status", "answer over 64 KB", parameters={"order_id": "A-105"},
             http={"/orders/A-105": (200, {"status": "shipped", "padding": "x" * 70_000})},
             path=ORDER + [("lookup", "failed", "unknown_order"), ("unknown_order", "sent", "Ended")], context={"widgets.lookup.parsed": ABSENT}),
    Scenario("order_status", "no answer in 10 s", parameters={"order_id": "A-106"}, http={"/orders/A-106": HANG}, deadline=45,
             path=ORDER + [("lookup", "failed", "unknown_order"), ("unknown_order", "sent", "Ended")], received={"/orders/A-106": {"method": "GET"}}),
    Scenario("order_status", "egress guard", parameters={"order_id": "A-107"}, http_base="http://169.254.169.254/latest",
             path=ORDER + [("lookup", "failed", "unknown_order"), ("unknown_order", "sent", "Ended")],
             context={"widgets.lookup.error": NONEMPTY, "widgets.lookup.parsed": ABSENT}),
    Scenario("delivery_eta", "known", parameters={"tracking": "T1", "zip": "10001"}, http={"/eta": (200, {"minutes": 135})},
             path=[(T, "incomingRequest", "eta"), ("eta", "success", "known"), ("known", "match", "eta_known"), ("eta_known", "sent", "Ended")],
             received={"/eta": {"method": "GET", "query": {"tracking": "T1", "zip": "10001"}}}, messages=["Your parcel arrives in 2 h 15 min."]),
    Scenario("delivery_eta", "blank", parameters={"tracking": "T2", "zip": "10001"}, http={"/eta": (200, {"minutes": ""})},
             path=[(T, "incomingRequest", "eta"), ("eta", "success", "known"), ("known", "match", "eta_unknown"), ("eta_unknown", "sent", "Ended")],
             messages=["We don't have an ETA yet."]),
    Scenario("lead_capture", "valid", parameters={"first": " ada ", "last": "LOVELACE", "email": " Ada@Example.COM ", "interests": "sms,voice"},
             http={"/crm/leads": (201, {"id": "L-9"})},
             path=[(T, "incomingRequest", "normalise"), ("normalise", "next", "check_email"), ("check_email", "match", "crm"), ("crm", "success", "welcome"),
                   ("welcome", "sent", "Ended")],
             received={"/crm/leads": {"method": "POST", "content_type": "application/x-www-form-urlencoded",
                                      "form": {"name": "Ada Lovelace", "email": "ada@example.com", "interests": "sms|voice", "count": "2"}}},
             messages=["Welcome Ada Lovelace! Lead L-9 created."],
             context={"flow.variables.interests": ["sms", "voice"], "flow.variables.name": "Ada Lovelace", "widgets.crm.status_code": 201}),
    Scenario("lead_capture", "invalid email", parameters={"first": "x", "last": "y", "email": "nope", "interests": "sms"},
             path=[(T, "incomingRequest", "normalise"), ("normalise", "next", "check_email"), ("check_email", "match", "invalid_email"),
                   ("invalid_email", "sent", "Ended")],
             messages=["'nope' is not an email address."]),
    Scenario("loyalty_balance", "gold", http={"/loyalty/members": (200, MEMBER)}, path=loyalty("match", "gold"),
             received={"/loyalty/members": {"method": "GET", "query": {"phone": "__CONTACT__", "channel": "sms"}}}, messages=[GOLD],
             context={"flow.variables.tier": "gold", "flow.variables.summary": {"tier": "gold", "points": 6200},
                      "flow.variables.crm_template": "Hi {{first_name}}, you have {{points}} points"}),
    # Both conditions of the silver branch must hold: 6200 passes the first and fails the second (above: gold).
    Scenario("loyalty_balance", "silver", http={"/loyalty/members": (200, {"name": "alan turing", "points": 1500, "expiring": 0, "rewards": []})},
             path=loyalty("match", "silver"), messages=["Alan, you have 1500 points (Silver)."], context={"flow.variables.summary.tier": "silver"}),
    Scenario("loyalty_balance", "basic by SMS", sms="POINTS",
             http={"/loyalty/members": (200, {"points": 250, "expiring": 50, "expires_on": "2027-01-15", "rewards": [{"name": "Coffee", "status": "used"}]})},
             path=loyalty("noMatch", "basic", trigger="incomingMessage"), messages=["Member, you have 250 points (750 more for Silver). 50 expire on Jan 15."],
             received={"/loyalty/members": {"method": "GET", "query": {"phone": "__CONTACT__"}}}),
    Scenario("loyalty_balance", "not a member", http={"/loyalty/members": (404, {"error": "unknown"})},
             path=[(T, "incomingRequest", "lookup"), ("lookup", "failed", "not_member"), ("not_member", "sent", "Ended")],
             messages=["Text JOIN to become a member."]),
    Scenario("receipt_liquid", "cart then a subflow", parameters={"cart": [{"name": "tea", "qty": 2, "price": 4.5}, {"name": "mug", "qty": 3, "price": 15}]},
             path=[(T, "incomingRequest", "items"), ("items", "next", "receipt"), ("receipt", "sent", "feedback"), ("feedback", "failed", "Ended")],
             messages=["1. TEA x2; 2. MUG x3 | total 54.0 (free shipping)"],
             context={"flow.variables.cart.1.name": "mug", "error.message": "widget type 'run-subflow' is not supported", "error.widget": "feedback"},
             steps={"feedback:error.message": "widget type 'run-subflow' is not supported"}),
    *[Scenario("ivr_voice_widgets", widget, parameters={"widget": widget},
               path=[(T, "incomingRequest", "menu"), ("menu", "match", state_of(widget)), (state_of(widget), "failed", "Ended")], messages=[],
               context={"error.message": "voice channel not available", "error.widget": state_of(widget)},
               steps={f"{state_of(widget)}:error.message": "voice channel not available", f"{state_of(widget)}:type": widget})
      for widget in VOICE],
    *[Scenario("ivr_voice_widgets", widget, parameters={"widget": widget},
               path=[(T, "incomingRequest", "menu"), ("menu", "match", state_of(widget)), (state_of(widget), "failed", "Ended")], messages=[],
               context={"error.message": f"widget type '{widget}' is not supported", "error.widget": state_of(widget)})
      for widget in UNSUPPORTED],
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.id)
def test_scenario(scenario, studio, new_flow, sandbox, receiver, flow_number):
    run_scenario(scenario, studio, new_flow, sandbox, receiver, flow_number)
