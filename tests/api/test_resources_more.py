"""Action plan actions and goals through the API: per-park permissions, filters and pagination, owners updating
their actions as on the action's page, and updates that show on the web plan page."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.api.models import ApiScope
from app.audit.models import AuditEvent
from app.auth.models import Role
from app.extensions import db as _db
from app.goals import services as goals
from app.parks.models import CycleStatus
from app.parks.services import active_cycle
from app.plans import services
from app.plans.models import ActionNote, ActionStatus, Direction, GoalSource, Theme
from app.stakeholders.models import OrganisationType, PpsRole, Stakeholder
from tests.api.test_access import assert_problem
from tests.factories import make_member, make_organisation

TODAY = date(2026, 1, 10)


@pytest.fixture
def setting(db, park):
    """A plan from 2026-Q1 with three actions: two of the police (Q1 "veilig", Q3 "heel") and one of the
    entrepreneurs (Q2 "schoon"); an advisor, a police officer and an entrepreneur."""
    cycle = active_cycle(park)
    cycle.starts_on, cycle.ends_on = date(2026, 1, 1), date(2027, 12, 31)
    police = Stakeholder(
        organisation=make_organisation(name="Politie Midden-Nederland", type=OrganisationType.POLITIE),
        role=PpsRole.POLITIE,
    )
    association = Stakeholder(
        organisation=make_organisation(name="Ondernemersvereniging", type=OrganisationType.ONDERNEMERSVERENIGING),
        role=PpsRole.ONDERNEMERS,
    )
    cycle.stakeholders.extend([police, association])
    _db.session.flush()
    advisor = make_member(Role.ADVISOR, park, name="Anouk Adviseur")
    plan = services.plan_for(cycle, today=TODAY)
    add = lambda title, quarter, owner, theme: services.add_action(  # noqa: E731
        advisor, plan, title=title, quarter=quarter, owners=[owner], theme=theme
    )
    actions = {
        "cameras": add("Camera's bij de ingang", 1, police, Theme.VEILIG),
        "zwerfvuil": add("Zwerfvuil opruimen", 2, association, Theme.SCHOON),
        "hekwerk": add("Hekwerk herstellen", 3, police, Theme.HEEL),
    }
    _db.session.commit()
    return {
        "park": park,
        "cycle": cycle,
        "plan": plan,
        "actions": actions,
        "advisor": advisor,
        "officer": make_member(Role.PARTNER, park, name="Peter Politie", organisation=police.organisation),
        "entrepreneur": make_member(
            Role.ENTREPRENEUR, park, name="Olga Ondernemer", organisation=association.organisation
        ),
    }


def _url(park, suffix=""):
    return f"/api/v1/parks/{park.id}/{suffix}"


# Reading actions ----------------------------------------------------------------------------------------------


def test_actions_list_the_active_plan_by_quarter(api_as, setting):
    park = setting["park"]
    body = api_as(setting["entrepreneur"]).get(_url(park, "actions")).get_json()
    assert [a["title"] for a in body] == ["Camera's bij de ingang", "Zwerfvuil opruimen", "Hekwerk herstellen"]
    first = body[0]
    assert first["quarter"] == 1 and first["calendar_quarter"] == "2026-Q1" and first["due_on"] == "2026-03-31"
    assert first["status"] == "gepland" and first["status_label"] == "Gepland"
    assert first["theme"] == "veilig" and first["theme_label"] == "Veilig"
    assert first["owners"][0]["organisation"] == "Politie Midden-Nederland" and first["owners"][0]["role"] == "politie"
    # the entrepreneur updates only what the association owns
    assert [a["may_update"] for a in body] == [False, True, False]
    assert "notes" not in first


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("status=gepland", ["Camera's bij de ingang", "Zwerfvuil opruimen", "Hekwerk herstellen"]),
        ("status=gereed", []),
        ("theme=heel", ["Hekwerk herstellen"]),
        ("quarter=2", ["Zwerfvuil opruimen"]),
        ("due_after=2026-06-30", ["Zwerfvuil opruimen", "Hekwerk herstellen"]),
        ("due_before=2026-06-30", ["Camera's bij de ingang", "Zwerfvuil opruimen"]),
        ("due_after=2026-04-01&due_before=2026-09-29", ["Zwerfvuil opruimen"]),
    ],
)
def test_action_filters(api_as, setting, query, titles):
    body = api_as(setting["advisor"]).get(_url(setting["park"], f"actions?{query}")).get_json()
    assert [a["title"] for a in body] == titles


def test_action_filters_refuse_unknown_values(api_as, setting):
    api = api_as(setting["advisor"])
    for query in ("status=klaar", "quarter=9", "due_before=morgen"):
        body = assert_problem(api.get(_url(setting["park"], f"actions?{query}")), 422)
        assert body["errors"][0]["location"] == "query"


def test_actions_are_paginated(api_as, setting):
    response = api_as(setting["advisor"]).get(_url(setting["park"], "actions?page=2&page_size=2"))
    assert [a["title"] for a in response.get_json()] == ["Hekwerk herstellen"]
    assert json.loads(response.headers["X-Pagination"])["total"] == 3
    assert 'rel="prev"' in response.headers["Link"]


def test_a_park_without_a_plan_has_no_actions(api_as, db, other_park):
    assert api_as(make_member(Role.ADVISOR, other_park)).get(_url(other_park, "actions")).get_json() == []


def test_action_detail_has_its_notes(api_as, setting):
    action = setting["actions"]["zwerfvuil"]
    services.add_note(setting["entrepreneur"], action, text="Eerste ronde gedaan.", today=TODAY)
    _db.session.commit()
    body = api_as(setting["officer"]).get(_url(setting["park"], f"actions/{action.id}")).get_json()
    assert body["title"] == "Zwerfvuil opruimen" and body["may_update"] is False
    assert body["notes"] == [
        {"written_on": "2026-01-10", "author": "Olga Ondernemer", "text": "Eerste ronde gedaan.", "status": None}
    ]


def test_another_parks_actions_are_404(api_as, setting, other_park):
    park, action = setting["park"], setting["actions"]["cameras"]
    stranger = api_as(make_member(Role.ADVISOR, other_park), ApiScope.WRITE)
    assert_problem(stranger.get(_url(park, "actions")), 404)
    assert_problem(stranger.get(_url(park, f"actions/{action.id}")), 404)
    assert_problem(stranger.open("PATCH", _url(park, f"actions/{action.id}"), json={"status": "bezig"}), 404)
    # the action's id under a park the user may see is a 404 too: it is not that park's action
    assert_problem(stranger.get(_url(other_park, f"actions/{action.id}")), 404)
    assert_problem(stranger.get(_url(other_park, "actions/2147483648")), 404)


def test_a_closed_cycles_action_is_404(api_as, setting):
    park, action = setting["park"], setting["actions"]["cameras"]
    api = api_as(setting["advisor"])
    assert api.get(_url(park, f"actions/{action.id}")).status_code == 200
    setting["cycle"].status = CycleStatus.CLOSED
    _db.session.commit()
    assert_problem(api.get(_url(park, f"actions/{action.id}")), 404)


# Updating actions ---------------------------------------------------------------------------------------------


def test_an_owner_changes_the_status_and_the_plan_page_shows_it(api_as, login_as, setting):
    park, action = setting["park"], setting["actions"]["cameras"]
    web = login_as(setting["advisor"])

    def block() -> str:
        page = web.get(f"/parken/{park.id}/plan/").get_data(as_text=True)
        return page[page.index("Camera&#39;s bij de ingang") :][:2000]

    assert "Bezig" not in block()
    api = api_as(setting["officer"], ApiScope.WRITE)
    response = api.open("PATCH", _url(park, f"actions/{action.id}"), json={"status": "bezig", "note": "Offerte binnen"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "bezig" and body["notes"][-1]["text"] == "Offerte binnen"
    assert body["notes"][-1]["status"] == "bezig" and body["notes"][-1]["author"] == "Peter Politie"
    assert "Bezig" in block()
    detail = web.get(f"/parken/{park.id}/plan/acties/{action.id}").get_data(as_text=True)
    assert "Offerte binnen" in detail and "Peter Politie" in detail
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plans.action_status_changed"))
    assert event.actor_id == setting["officer"].id


def test_a_note_alone_is_a_progress_note(api_as, setting):
    park, action = setting["park"], setting["actions"]["zwerfvuil"]
    api = api_as(setting["entrepreneur"], ApiScope.WRITE)
    response = api.open("PATCH", _url(park, f"actions/{action.id}"), json={"note": "Container besteld"})
    assert response.status_code == 200 and response.get_json()["status"] == "gepland"
    note = _db.session.scalar(select(ActionNote))
    assert (note.text, note.status, note.author_id) == ("Container besteld", None, setting["entrepreneur"].id)


def test_a_status_change_on_the_web_shows_in_the_api(api_as, login_as, setting):
    park, action = setting["park"], setting["actions"]["zwerfvuil"]
    response = login_as(setting["entrepreneur"]).post(
        f"/parken/{park.id}/plan/acties/{action.id}/status", data={"status-status": "gereed", "status-note": ""}
    )
    assert response.status_code == 302
    body = api_as(setting["advisor"]).get(_url(park, f"actions/{action.id}")).get_json()
    assert body["status"] == "gereed" and body["done_on"] is not None


def test_only_owners_and_editors_update(api_as, setting):
    park, police_action = setting["park"], setting["actions"]["cameras"]
    url = _url(park, f"actions/{police_action.id}")
    # an entrepreneur whose organisation does not own the action
    refused = assert_problem(
        api_as(setting["entrepreneur"], ApiScope.WRITE).open("PATCH", url, json={"note": "x"}), 403
    )
    assert "eigenaar" in refused["detail"]
    # the auditor has no actions.update at all
    auditor = make_member(Role.AUDITOR, park)
    assert_problem(api_as(auditor, ApiScope.WRITE).open("PATCH", url, json={"note": "x"}), 403)
    # the advisor may update every action
    assert api_as(setting["advisor"], ApiScope.WRITE).open("PATCH", url, json={"note": "Gebeld"}).status_code == 200
    assert [n.text for n in _db.session.scalars(select(ActionNote))] == ["Gebeld"]


def test_a_read_token_may_not_update(api_as, setting):
    park, action = setting["park"], setting["actions"]["cameras"]
    response = api_as(setting["officer"]).open("PATCH", _url(park, f"actions/{action.id}"), json={"status": "bezig"})
    assert_problem(response, 403)
    _db.session.refresh(action)
    assert action.status == ActionStatus.PLANNED


def test_refused_updates_are_422(api_as, setting):
    park, action = setting["park"], setting["actions"]["cameras"]
    api = api_as(setting["officer"], ApiScope.WRITE)
    url = _url(park, f"actions/{action.id}")
    same = assert_problem(api.open("PATCH", url, json={"status": "gepland"}), 422)
    assert same["detail"] == "De actie heeft deze status al."
    no_reason = assert_problem(api.open("PATCH", url, json={"status": "vervallen"}), 422)
    assert no_reason["detail"] == "Geef de reden waarom de actie vervalt."
    empty = assert_problem(api.open("PATCH", url, json={}), 422)
    assert empty["errors"][0]["field"] == "_schema"
    assert_problem(api.open("PATCH", url, json={"status": "klaar"}), 422)
    assert_problem(api.open("PATCH", url, json={"note": "x", "owner": 1}), 422)
    assert _db.session.scalar(select(ActionNote)) is None


def test_dropping_needs_and_keeps_the_reason(api_as, setting):
    park, action = setting["park"], setting["actions"]["hekwerk"]
    response = api_as(setting["officer"], ApiScope.WRITE).open(
        "PATCH", _url(park, f"actions/{action.id}"), json={"status": "vervallen", "note": "Gemeente doet het al"}
    )
    assert response.status_code == 200
    assert response.get_json()["drop_reason"] == "Gemeente doet het al"


# Goals --------------------------------------------------------------------------------------------------------


def _goal(advisor, cycle, **overrides):
    fields = {
        "theme": Theme.VEILIG,
        "title": "Minder inbraken",
        "indicator": "Inbraken per jaar",
        "source": GoalSource.MANUAL,
        "direction": Direction.DOWN,
        "target": 5,
        "baseline": 12,
        "deadline": date(2027, 12, 31),
    } | overrides
    return goals.create_goal(advisor, cycle, goals.GoalFields(**fields), today=TODAY)


def test_goals_with_baseline_target_and_latest_value(api_as, setting):
    advisor, cycle = setting["advisor"], setting["cycle"]
    burglaries = _goal(advisor, cycle)
    goals.record_measurement(advisor, burglaries, measured_on=date(2026, 6, 1), value=4, today=date(2026, 6, 2))
    _goal(advisor, cycle, theme=Theme.SCHOON, title="Schoner terrein", direction=Direction.UP, baseline=5, target=7)
    _db.session.commit()
    body = api_as(setting["entrepreneur"]).get(_url(setting["park"], "goals")).get_json()
    # by theme, as the goals page: schoon before veilig
    assert [g["title"] for g in body] == ["Schoner terrein", "Minder inbraken"]
    clean, fewer = body
    assert (clean["baseline"], clean["target"], clean["latest_value"], clean["on_target"], clean["status"]) == (
        5.0,
        7.0,
        None,
        None,
        "unknown",
    )
    assert fewer["latest_value"] == 4.0 and fewer["latest_on"] == "2026-06-01"
    assert fewer["on_target"] is True and fewer["status"] == "met"
    assert fewer["indicator"] == "Inbraken per jaar" and fewer["deadline"] == "2027-12-31"
    assert fewer["direction"] == "lager" and fewer["source"] == "handmatig" and fewer["theme_label"] == "Veilig"
    only = api_as(setting["advisor"]).get(_url(setting["park"], "goals?theme=veilig")).get_json()
    assert [g["title"] for g in only] == ["Minder inbraken"]


def test_goals_of_another_park_are_404(api_as, setting, other_park):
    _goal(setting["advisor"], setting["cycle"])
    _db.session.commit()
    assert_problem(api_as(make_member(Role.PARTNER, other_park)).get(_url(setting["park"], "goals")), 404)
    assert api_as(make_member(Role.PARTNER, other_park)).get(_url(other_park, "goals")).get_json() == []
