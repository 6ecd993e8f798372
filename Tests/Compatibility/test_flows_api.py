"""twilio-python drives Studio v2 as docs/flows.md specifies it: Flows, Revisions, Test users, Validate, Executions,
their Context and Steps. Every successful answer validates strictly against Twilio's twilio_studio_v2.json; errors
are Twilio's (code, message, more_info, status; 81022 with `details.errors`)."""

import pytest
from twilio.base.exceptions import TwilioException

from conversations_helpers import refused
from flows_helpers import (  # noqa: F401 - fixtures
    FLOW_NUMBER, definition, handset, new_flow, number_sid, path_of, plain_session, studio, tenant_studio, validate_studio_exchanges)
from helpers import assert_page_error

EVERY_OPERATION = {
    "CreateFlow", "ListFlow", "FetchFlow", "UpdateFlow", "DeleteFlow", "ListFlowRevision", "FetchFlowRevision", "UpdateFlowValidate",
    "FetchTestUser", "UpdateTestUser", "CreateExecution", "ListExecution", "FetchExecution", "UpdateExecution", "DeleteExecution",
    "FetchExecutionContext", "ListExecutionStep", "FetchExecutionStep", "FetchExecutionStepContext"}
APPOINTMENT = {"name": "zeke", "when": "today"}


def test_flows_revisions_and_paging(studio, new_flow, base_url, owner):
    flows = [new_flow("support_hours", friendly_name=f"hours {n}", status="draft") for n in range(3)]
    first = studio.studio.v2.flows(flows[0].sid)
    assert (flows[0].revision, flows[0].status, flows[0].valid, flows[0].errors, flows[0].warnings) == (1, "draft", True, [], [])
    assert flows[0].definition == definition("support_hours") and flows[0].friendly_name == "hours 0"
    assert flows[0].sid.startswith("FW") and flows[0].account_sid == owner.sid
    assert flows[0].webhook_url == f"{base_url}/webhooks/v1/Accounts/{owner.sid}/Flows/{flows[0].sid}"

    published = first.update(status="published", commit_message="go live")
    assert (published.revision, published.status, published.commit_message, published.friendly_name) == (2, "published", "go live", "hours 0")
    assert published.definition == definition("support_hours")  # an update without Definition keeps it
    renamed = first.update(status="draft", friendly_name="hours zero", definition=definition("seasonal_promo"))
    assert (renamed.revision, renamed.status, renamed.friendly_name, renamed.definition) == (3, "draft", "hours zero", definition("seasonal_promo"))
    revisions = first.revisions.list()
    assert sorted(r.revision for r in revisions) == [1, 2, 3]
    assert {r.revision: r.status for r in revisions} == {1: "draft", 2: "published", 3: "draft"}
    assert first.revisions("LatestPublished").fetch().revision == 2
    assert first.revisions("LatestPublished").fetch().definition == definition("support_hours")
    latest = first.revisions("LatestRevision").fetch()
    assert (latest.revision, latest.friendly_name, latest.definition) == (3, "hours zero", definition("seasonal_promo"))
    assert first.revisions("1").fetch().status == "draft" and first.revisions("2").fetch().commit_message == "go live"
    fetched = first.fetch()
    assert (fetched.revision, fetched.friendly_name, fetched.status) == (3, "hours zero", "draft")

    mine = {f.sid for f in flows}
    assert {f.sid for f in studio.studio.v2.flows.list(page_size=2)} >= mine  # follows next_page_url
    page = studio.studio.v2.flows.page(page_size=2)
    assert len(list(page)) == 2 and page.next_page_url is not None
    assert {r.revision for r in first.revisions.list(page_size=1)} == {1, 2, 3}
    validate_studio_exchanges(studio)


def test_delete_removes_the_flow_with_its_revisions_and_executions(studio, new_flow, number_sid):
    flow = new_flow("appointment_reminder")
    flows = studio.studio.v2.flows(flow.sid)
    flows.update(status="published", commit_message="second")
    execution = flows.executions.create(to=handset(), from_=FLOW_NUMBER, parameters=APPOINTMENT)
    assert flows.delete() is True
    refused(studio, lambda: flows.fetch(), 404, 20404)
    refused(studio, lambda: flows.revisions("1").fetch(), 404, 20404)
    refused(studio, lambda: flows.executions(execution.sid).fetch(), 404, 20404)
    refused(studio, lambda: flows.executions(execution.sid).execution_context().fetch(), 404, 20404)
    refused(studio, lambda: flows.delete(), 404, 20404)
    assert all(f.sid != flow.sid for f in studio.studio.v2.flows.list())
    validate_studio_exchanges(studio)


def test_an_execution_runs_the_latest_published_revision(studio, new_flow, number_sid):
    flow = new_flow("country_router")
    flows = studio.studio.v2.flows(flow.sid)
    flows.update(status="draft", definition=definition("seasonal_promo"))  # a draft does not replace what runs
    execution = flows.executions.create(to="+447700900123", from_=FLOW_NUMBER)
    assert execution.flow_version == 1 and execution.status == "ended"
    assert execution.context["flow"]["variables"] == {"team": "uk"}
    flows.update(status="published", definition=definition("seasonal_promo"))
    newer = flows.executions.create(to=handset(), from_=FLOW_NUMBER, parameters={"today": "2026-12-26"})
    assert newer.flow_version == 3 and path_of(flows, newer.sid)[1] == ("season", "match", "after_holidays")
    assert flows.executions(execution.sid).fetch().flow_version == 1  # an execution keeps its revision
    validate_studio_exchanges(studio)


def test_a_flow_never_published_runs_its_latest_revision(studio, new_flow, number_sid):
    flow = new_flow("country_router", status="draft")
    flows = studio.studio.v2.flows(flow.sid)
    assert flows.executions.create(to="+33612345678", from_=FLOW_NUMBER).flow_version == 1
    flows.update(status="draft", definition=definition("seasonal_promo"))
    draft = flows.executions.create(to=handset(), from_=FLOW_NUMBER, parameters={"today": "2026-11-22"})
    assert draft.flow_version == 2 and path_of(flows, draft.sid)[1] == ("season", "match", "early_bird")
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
    assert flows.test_users().update(test_users=[tester]).test_users == [tester]  # replaces the list
    validate_studio_exchanges(studio)


def test_executions_context_and_steps(studio, new_flow, number_sid):
    flow = new_flow("appointment_reminder")
    flows = studio.studio.v2.flows(flow.sid)
    contact = handset()
    execution = flows.executions.create(to=contact, from_=FLOW_NUMBER, parameters=APPOINTMENT)
    assert execution.status == "active" and execution.flow_version == 1 and execution.contact_channel_address == contact
    assert execution.sid.startswith("FN") and execution.flow_sid == flow.sid
    assert execution.contact_sid.startswith("FC") and execution.initiated_by == execution.sid
    fetched = flows.executions(execution.sid).fetch()
    assert (fetched.sid, fetched.status, fetched.context) == (execution.sid, "active", execution.context)
    context = flows.executions(execution.sid).execution_context().fetch()
    assert (context.execution_sid, context.flow_sid) == (execution.sid, flow.sid)
    assert context.context["flow"]["data"] == APPOINTMENT and context.context["flow"]["sid"] == execution.sid
    assert context.context["trigger"]["request"] == {"from": FLOW_NUMBER, "to": contact, "parameters": APPOINTMENT}
    assert context.context["contact"]["channel"]["address"] == contact
    assert context.context["flow"]["channel"]["address"] == FLOW_NUMBER and context.context["flow"]["flow_sid"] == flow.sid

    steps = flows.executions(execution.sid).steps.list()
    assert [(s.transitioned_from, s.name, s.transitioned_to, s.type) for s in steps] == [("Trigger", "incomingRequest", "remind", "trigger")]
    assert steps[0].sid.startswith("FT") and steps[0].execution_sid == execution.sid
    step = flows.executions(execution.sid).steps(steps[0].sid).fetch()
    assert (step.sid, step.name, step.context) == (steps[0].sid, "incomingRequest", steps[0].context)
    step_context = flows.executions(execution.sid).steps(steps[0].sid).step_context().fetch()
    assert step_context.step_sid == steps[0].sid and step_context.context == steps[0].context
    assert step_context.context["widget"] == "Trigger" and step_context.context["event"] == "incomingRequest"
    assert step_context.context["type"] == "trigger" and "error" not in step_context.context
    assert set(step_context.context["timing"]) >= {"started_at", "finished_at", "duration_ms"}

    # One active execution per contact and flow.
    refused(studio, lambda: flows.executions.create(to=contact, from_=FLOW_NUMBER), 409, 20409)
    assert [e.sid for e in flows.executions.list(status="active")] == [execution.sid]
    ended = flows.executions(execution.sid).update(status="ended")
    assert ended.status == "ended" and flows.executions(execution.sid).fetch().status == "ended"
    assert flows.executions.list(status="active") == []
    assert [e.sid for e in flows.executions.list(status="ended")] == [execution.sid]
    assert [e.sid for e in flows.executions.list(date_created_from=execution.date_created)] == [execution.sid]
    again = flows.executions.create(to=contact, from_=FLOW_NUMBER, parameters={**APPOINTMENT, "when": "tomorrow"})
    others = [flows.executions.create(to=handset(), from_=FLOW_NUMBER, parameters=APPOINTMENT) for _ in range(2)]
    assert {e.sid for e in flows.executions.list(page_size=2)} == {execution.sid, again.sid, *(e.sid for e in others)}
    assert flows.executions(again.sid).delete() is True
    refused(studio, lambda: flows.executions(again.sid).fetch(), 404, 20404)
    assert again.sid not in {e.sid for e in flows.executions.list()}
    validate_studio_exchanges(studio)


# (label, change to appointment_reminder, acceptable property paths, a word the message names)
BROKEN = [
    ("unknown widget type", lambda d: d["states"][1].update(type="send-fax"), {"#/states/1/type"}, "send-fax"),
    ("missing required property", lambda d: d["states"][3]["properties"].pop("body"), {"#/states/3/properties/body"}, "body"),
    ("transition to a missing state", lambda d: d["states"][1]["transitions"][0].update(next="nowhere"), {"#/states/1/transitions/0/next"}, "nowhere"),
    ("duplicate names", lambda d: d["states"][2].update(name="remind"), {"#/states/2/name", "#/states/1/name"}, "remind"),
    ("unclosed Liquid tag", lambda d: d["states"][3]["properties"].update(body="Thanks {% if flow.data.name %}{{flow.data.name}}"),
     {"#/states/3/properties/body"}, None),
    ("unknown Liquid filter", lambda d: d["states"][3]["properties"].update(body="{{ flow.data.name | upcasee }}"), {"#/states/3/properties/body"}, "upcasee"),
    ("invalid regex", lambda d: d["states"][2]["transitions"][1]["conditions"][0].update(type="regex", value="([a-z"),
     {"#/states/2/transitions/1/conditions/0/value"}, None),
    ("unknown split operator", lambda d: d["states"][2]["transitions"][1]["conditions"][0].update(type="sounds_like"),
     {"#/states/2/transitions/1/conditions/0/type"}, "sounds_like"),
    ("initial state missing", lambda d: d.update(initial_state="Start"), {"#/initial_state"}, "Start"),
]


@pytest.mark.parametrize("label, broken, paths, word", BROKEN, ids=[case[0] for case in BROKEN])
def test_invalid_definitions_are_refused(studio, label, broken, paths, word):
    bad = definition("appointment_reminder")
    broken(bad)
    for call in (lambda: studio.studio.v2.flow_validate.update(friendly_name="broken", status="draft", definition=bad),
                 lambda: studio.studio.v2.flows.create(friendly_name="broken", status="draft", definition=bad)):
        refused(studio, call, 400, 81022)
        problems = studio.http_client.last().body["details"]["errors"]
        assert problems and all(set(p) >= {"message", "property_path"} and p["message"] for p in problems), problems
        assert any(p["property_path"] in paths and (word is None or word in p["message"]) for p in problems), problems
    assert all(f.friendly_name != "broken" for f in studio.studio.v2.flows.list())  # nothing saved


def test_every_problem_is_reported_and_an_update_is_refused_too(studio, new_flow):
    bad = definition("appointment_reminder")
    bad["states"][1]["type"] = "send-fax"
    bad["states"][4]["transitions"][0]["next"] = "nowhere"
    bad["states"][6]["properties"]["body"] = "{% for x in %}"
    refused(studio, lambda: studio.studio.v2.flow_validate.update(friendly_name="x", status="published", definition=bad), 400, 81022)
    paths = {p["property_path"] for p in studio.http_client.last().body["details"]["errors"]}
    assert paths >= {"#/states/1/type", "#/states/4/transitions/0/next", "#/states/6/properties/body"}, paths
    flow = new_flow("appointment_reminder")
    refused(studio, lambda: studio.studio.v2.flows(flow.sid).update(status="published", definition=bad), 400, 81022)
    assert studio.studio.v2.flows(flow.sid).fetch().revision == 1  # nothing saved
    for status in ("draft", "published"):
        assert studio.studio.v2.flow_validate.update(friendly_name="x", status=status, definition=definition("appointment_reminder")).valid is True
    validate_studio_exchanges(studio)


def test_bad_parameters_are_refused(studio, new_flow, number_sid):
    flow = new_flow("support_hours")
    flows = studio.studio.v2.flows(flow.sid)
    refused(studio, lambda: studio.studio.v2.flows.create(friendly_name="x", status="live", definition=definition("support_hours")), 400)
    refused(studio, lambda: flows.executions.create(to=handset(), from_=FLOW_NUMBER, parameters="[1, 2]"), 400)
    refused(studio, lambda: flows.executions.create(to=handset(), from_=FLOW_NUMBER, parameters="{not json"), 400)
    execution = flows.executions.create(to=handset(), from_=FLOW_NUMBER, parameters={"time": "12:00"})
    refused(studio, lambda: flows.executions(execution.sid).update(status="active"), 400)
    refused(studio, lambda: studio.studio.v2.flows("FW" + "0" * 32).fetch(), 404, 20404)
    refused(studio, lambda: flows.executions("FN" + "0" * 32).fetch(), 404, 20404)
    refused(studio, lambda: flows.revisions("7").fetch(), 404, 20404)


def test_other_accounts_get_404(studio, new_flow, tenant_studio, number_sid, base_url):
    flow = new_flow("appointment_reminder")
    flows = studio.studio.v2.flows(flow.sid)
    execution = flows.executions.create(to=handset(), from_=FLOW_NUMBER, parameters=APPOINTMENT)
    step = flows.executions(execution.sid).steps.list()[0]
    theirs = tenant_studio.studio.v2.flows(flow.sid)
    for call in (theirs.fetch, lambda: theirs.update(status="draft", friendly_name="taken"), theirs.delete,
                 lambda: theirs.revisions("1").fetch(), theirs.test_users().fetch, lambda: theirs.test_users().update(test_users=["+15005550006"]),
                 lambda: theirs.executions.create(to=handset(), from_=FLOW_NUMBER), theirs.executions(execution.sid).fetch,
                 lambda: theirs.executions(execution.sid).update(status="ended"), theirs.executions(execution.sid).delete,
                 theirs.executions(execution.sid).execution_context().fetch, theirs.executions(execution.sid).steps(step.sid).fetch,
                 theirs.executions(execution.sid).steps(step.sid).step_context().fetch):
        refused(tenant_studio, call, 404, 20404)
    for listing in (theirs.revisions, theirs.executions, theirs.executions(execution.sid).steps):
        with pytest.raises(TwilioException) as caught:
            listing.list()
        assert_page_error(caught.value, 404, 20404)
    assert all(f.sid != flow.sid for f in tenant_studio.studio.v2.flows.list())
    credentials = (tenant_studio.username, tenant_studio.password)
    diagram = plain_session().get(f"{base_url}/studio/v2/Flows/{flow.sid}/Diagram", auth=credentials, timeout=10)
    assert diagram.status_code == 404
    assert flows.executions(execution.sid).fetch().status == "active"
    assert (flows.fetch().revision, flows.fetch().friendly_name) == (1, "appointment_reminder")
    validate_studio_exchanges(studio)
    validate_studio_exchanges(tenant_studio)


def test_the_diagram_draws_the_flow(studio, new_flow, base_url, owner, number_sid):
    """Parley's extension: GET /studio/v2/Flows/{FW}/Diagram is the flow as SVG; with ExecutionSid it marks the
    execution's path (so it differs from the plain drawing)."""
    flow = new_flow("support_hours")
    execution = studio.studio.v2.flows(flow.sid).executions.create(to=handset(), from_=FLOW_NUMBER, parameters={"time": "08:00"})
    session, url, auth = plain_session(), f"{base_url}/studio/v2/Flows/{flow.sid}/Diagram", (owner.sid, owner.token)
    plain = session.get(url, auth=auth, timeout=10)
    assert plain.status_code == 200 and plain.headers["Content-Type"].startswith("image/svg+xml")
    assert "<svg" in plain.text[:500] and plain.text.rstrip().endswith("</svg>")
    for name in ("Trigger", "hours", "open", "closed"):
        assert name in plain.text
    assert session.get(url, auth=auth, timeout=10).text == plain.text  # a stable drawing
    highlighted = session.get(url, params={"ExecutionSid": execution.sid}, auth=auth, timeout=10)
    assert highlighted.status_code == 200 and "<svg" in highlighted.text[:500] and highlighted.text != plain.text
    assert session.get(url, auth=None, timeout=10).status_code == 401


def test_every_studio_operation_answers_as_the_spec_says(studio, new_flow, number_sid):
    flow = new_flow("two_factor", status="draft")
    flows = studio.studio.v2.flows(flow.sid)
    studio.studio.v2.flows.list(limit=5)
    flows.fetch()
    flows.update(status="published")
    flows.revisions.list()
    flows.revisions("LatestPublished").fetch()
    studio.studio.v2.flow_validate.update(friendly_name="v", status="draft", definition=definition("two_factor"))
    flows.test_users().fetch()
    flows.test_users().update(test_users=[handset()])
    execution = flows.executions.create(to=handset(), from_=FLOW_NUMBER, parameters={"code": "000111"})
    flows.executions.list(status="active")
    flows.executions(execution.sid).fetch()
    flows.executions(execution.sid).execution_context().fetch()
    step = flows.executions(execution.sid).steps.list()[0]
    flows.executions(execution.sid).steps(step.sid).fetch()
    flows.executions(execution.sid).steps(step.sid).step_context().fetch()
    flows.executions(execution.sid).update(status="ended")
    flows.executions(execution.sid).delete()
    flows.delete()
    assert validate_studio_exchanges(studio) == EVERY_OPERATION
