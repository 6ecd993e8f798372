"""twilio-python drives Studio v2: Flows, Revisions, Validate, Executions, their Context and Steps. Every successful
answer validates strictly against Twilio's twilio_studio_v2.json; errors are Twilio's."""

import json

import pytest
from twilio.base.exceptions import TwilioException

from conversations_helpers import refused
from flows_helpers import (  # noqa: F401 - fixtures
    FLOW_NUMBER, definition, handset, new_flow, number_sid, path_of, studio, validate_studio_exchanges)
from helpers import assert_page_error


def test_flows_revisions_and_paging(studio, new_flow, base_url, owner):
    flows = [new_flow("support_hours", friendly_name=f"hours {n}", status="draft") for n in range(3)]
    first = studio.studio.v2.flows(flows[0].sid)
    assert flows[0].revision == 1 and flows[0].status == "draft" and flows[0].valid is True
    assert flows[0].definition == definition("support_hours")
    assert flows[0].webhook_url == f"{base_url}/webhooks/v1/Accounts/{owner.sid}/Flows/{flows[0].sid}"

    published = first.update(status="published", commit_message="go live")
    assert (published.revision, published.status, published.commit_message, published.friendly_name) == (2, "published", "go live", "hours 0")
    renamed = first.update(status="draft", friendly_name="hours zero", definition=definition("seasonal_promo"))
    assert (renamed.revision, renamed.friendly_name, renamed.definition) == (3, "hours zero", definition("seasonal_promo"))
    assert [r.revision for r in first.revisions.list()] == [1, 2, 3]
    assert first.revisions("LatestPublished").fetch().revision == 2
    assert first.revisions("LatestRevision").fetch().definition == definition("seasonal_promo")
    assert first.revisions("1").fetch().status == "draft"

    listed = [f.sid for f in studio.studio.v2.flows.list(page_size=2) if f.sid in {f.sid for f in flows}]
    assert listed == [f.sid for f in flows]
    assert first.fetch().friendly_name == "hours zero"
    validate_studio_exchanges(studio)


def test_an_execution_runs_the_latest_published_revision(studio, new_flow, number_sid):
    flow = new_flow("country_router")
    flows = studio.studio.v2.flows(flow.sid)
    flows.update(status="draft", definition=definition("seasonal_promo"))  # a draft does not replace what runs
    execution = flows.executions.create(to="+447700900123", from_=FLOW_NUMBER)
    assert execution.flow_version == 1
    assert execution.context["flow"]["variables"] == {"team": "uk"}
    validate_studio_exchanges(studio)


def test_test_users_run_the_draft(studio, new_flow, number_sid):
    flow = new_flow("country_router")
    flows = studio.studio.v2.flows(flow.sid)
    assert flows.test_users().fetch().test_users == []
    flows.update(status="draft", definition=definition("seasonal_promo"))
    tester = handset()
    assert flows.test_users().update(test_users=[tester, "+447700900123"]).test_users == [tester, "+447700900123"]
    assert flows.test_users().fetch().test_users == [tester, "+447700900123"]
    draft = flows.executions.create(to=tester, from_=FLOW_NUMBER, parameters={"today": "2026-11-22"})
    assert draft.flow_version == 2 and path_of(flows, draft.sid)[1] == ("season", "match", "early_bird")
    published = flows.executions.create(to="+33612345678", from_=FLOW_NUMBER)
    assert published.flow_version == 1 and published.context["flow"]["variables"] == {"team": "international"}
    validate_studio_exchanges(studio)


def test_executions_context_and_steps(studio, new_flow, number_sid):
    flow = new_flow("appointment_reminder")
    flows = studio.studio.v2.flows(flow.sid)
    contact = handset()
    execution = flows.executions.create(to=contact, from_=FLOW_NUMBER, parameters={"name": "zeke", "when": "today"})
    assert execution.status == "active" and execution.flow_version == 1 and execution.contact_channel_address == contact
    assert execution.contact_sid.startswith("FC") and execution.initiated_by == execution.sid
    context = flows.executions(execution.sid).execution_context().fetch()
    assert context.context["flow"]["data"] == {"name": "zeke", "when": "today"}
    assert context.context["trigger"]["request"] == {"from": FLOW_NUMBER, "to": contact, "parameters": {"name": "zeke", "when": "today"}}
    assert context.context["contact"]["channel"]["address"] == contact
    assert context.context["flow"]["channel"]["address"] == FLOW_NUMBER

    steps = flows.executions(execution.sid).steps.list()
    assert [(s.transitioned_from, s.name, s.transitioned_to, s.type) for s in steps] == [("Trigger", "incomingRequest", "remind", "trigger")]
    step = flows.executions(execution.sid).steps(steps[0].sid).fetch()
    assert step.sid == steps[0].sid
    step_context = flows.executions(execution.sid).steps(steps[0].sid).step_context().fetch().context
    assert step_context["widget"] == "Trigger" and step_context["event"] == "incomingRequest" and "timing" in step_context

    # One active execution per contact and flow.
    refused(studio, lambda: flows.executions.create(to=contact, from_=FLOW_NUMBER), 409, 20409)
    assert [e.sid for e in flows.executions.list(status="active")] == [execution.sid]
    ended = flows.executions(execution.sid).update(status="ended")
    assert ended.status == "ended"
    assert flows.executions.list(status="active") == []
    assert [e.sid for e in flows.executions.list(status="ended")] == [execution.sid]
    assert [e.sid for e in flows.executions.list(date_created_from=execution.date_created)] == [execution.sid]
    again = flows.executions.create(to=contact, from_=FLOW_NUMBER, parameters={"name": "zeke", "when": "tomorrow"})
    assert flows.executions(again.sid).delete() is True
    assert [e.sid for e in flows.executions.list()] == [execution.sid]
    validate_studio_exchanges(studio)


@pytest.mark.parametrize("label, broken, path, words", [
    ("unknown widget type", lambda d: d["states"][1].update(type="send-fax"), "#/states/1/type", "unknown widget type 'send-fax'"),
    ("missing required property", lambda d: d["states"][3]["properties"].pop("body"), "#/states/3/properties/body", "property 'body' is required"),
    ("transition to a missing state", lambda d: d["states"][1]["transitions"][0].update(next="nowhere"), "#/states/1/transitions/0/next", "'nowhere', which is not a state"),
    ("duplicate names", lambda d: d["states"][2].update(name="remind"), "#/states/2/name", "duplicate state name 'remind'"),
    ("invalid Liquid", lambda d: d["states"][3]["properties"].update(body="{{ flow.data.name | upcasee }}"), "#/states/3/properties/body", "unknown filter 'upcasee'"),
    ("invalid regex", lambda d: d["states"][2]["transitions"][1]["conditions"][0].update(type="regex", value="([a-z"), "#/states/2/transitions/1/conditions/0/value", "invalid regex"),
])
def test_invalid_definitions_are_refused_with_every_problem(studio, label, broken, path, words):
    bad = definition("appointment_reminder")
    broken(bad)
    for call in (lambda: studio.studio.v2.flow_validate.update(friendly_name="x", status="draft", definition=bad),
                 lambda: studio.studio.v2.flows.create(friendly_name="x", status="draft", definition=bad)):
        error = refused(studio, call, 400, 81022)
        problems = studio.http_client.last().body["details"]["errors"]
        assert any(p["property_path"] == path and words in p["message"] for p in problems), problems
        assert error.msg.endswith("Invalid Flow Definition")
    assert studio.studio.v2.flow_validate.update(friendly_name="x", status="draft", definition=definition("appointment_reminder")).valid is True
    assert all(f.friendly_name != "x" for f in studio.studio.v2.flows.list())


def test_bad_parameters_are_refused(studio, new_flow):
    flow = new_flow("support_hours")
    flows = studio.studio.v2.flows(flow.sid)
    refused(studio, lambda: studio.studio.v2.flows.create(friendly_name="x", status="live", definition=definition("support_hours")), 400)
    refused(studio, lambda: flows.executions.create(to="+15005550006", from_=FLOW_NUMBER, parameters="[1, 2]"), 400)
    execution = flows.executions.create(to=handset(), from_=FLOW_NUMBER, parameters={"time": "12:00"})
    refused(studio, lambda: flows.executions(execution.sid).update(status="active"), 400)
    refused(studio, lambda: studio.studio.v2.flows("FW" + "0" * 32).fetch(), 404, 20404)


def test_other_accounts_get_404(studio, new_flow, tenant_studio):
    flow = new_flow("appointment_reminder")
    flows = studio.studio.v2.flows(flow.sid)
    execution = flows.executions.create(to=handset(), from_=FLOW_NUMBER, parameters={"name": "a", "when": "b"})
    step = flows.executions(execution.sid).steps.list()[0]
    theirs = tenant_studio.studio.v2.flows(flow.sid)
    refused(tenant_studio, lambda: theirs.fetch(), 404, 20404)
    refused(tenant_studio, lambda: theirs.update(status="draft", friendly_name="taken"), 404, 20404)
    refused(tenant_studio, lambda: theirs.delete(), 404, 20404)
    refused(tenant_studio, lambda: theirs.executions.create(to=handset(), from_=FLOW_NUMBER), 404, 20404)
    refused(tenant_studio, lambda: theirs.executions(execution.sid).fetch(), 404, 20404)
    refused(tenant_studio, lambda: theirs.executions(execution.sid).update(status="ended"), 404, 20404)
    refused(tenant_studio, lambda: theirs.executions(execution.sid).execution_context().fetch(), 404, 20404)
    refused(tenant_studio, lambda: theirs.executions(execution.sid).steps(step.sid).step_context().fetch(), 404, 20404)
    for listing in (theirs.revisions, theirs.executions, theirs.executions(execution.sid).steps):
        with pytest.raises(TwilioException) as caught:
            listing.list()
        assert_page_error(caught.value, 404, 20404)
    assert all(f.sid != flow.sid for f in tenant_studio.studio.v2.flows.list())
    assert flows.executions(execution.sid).fetch().status == "active"
    assert flows.fetch().revision == 1


def test_the_diagram_draws_the_flow_and_an_executions_path(studio, new_flow, base_url, owner):
    import requests
    flow = new_flow("support_hours")
    flows = studio.studio.v2.flows(flow.sid)
    execution = flows.executions.create(to=handset(), from_=FLOW_NUMBER, parameters={"time": "08:00"})
    session = requests.Session()
    session.trust_env = False
    url = f"{base_url}/studio/v2/Flows/{flow.sid}/Diagram"
    plain = session.get(url, auth=(owner.sid, owner.token), timeout=10)
    assert plain.status_code == 200 and plain.headers["Content-Type"].startswith("image/svg+xml")
    assert plain.text.startswith("<svg") or plain.text.startswith("<?xml")
    for name in ("Trigger", "hours", "open", "closed", "split-based-on", "send-message"):
        assert name in plain.text
    assert 'class="state initial' in plain.text and "visited" not in plain.text.split("</style>")[-1]
    highlighted = session.get(url, params={"ExecutionSid": execution.sid}, auth=(owner.sid, owner.token), timeout=10)
    body = highlighted.text.split("</style>")[-1]
    assert 'data-state="closed"' in body and body.count("visited") >= 3 and "taken" in body
    assert session.get(url, auth=(owner.sid, owner.token), timeout=10).text == plain.text  # a stable layout
    bad = session.get(url, params={"ExecutionSid": "FN" + "0" * 32}, auth=(owner.sid, owner.token), timeout=10)
    assert bad.status_code == 400


@pytest.fixture
def tenant_studio(base_url, make_subaccount):
    from conversations_helpers import sdk_client
    sub = make_subaccount("studio")
    return sdk_client(base_url, sub.sid, sub.auth_token)
