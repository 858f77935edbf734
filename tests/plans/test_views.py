"""The plan and goal pages: who sees and may post what (404 for what one may not see, 403 for what one sees but may
not do), and the forms doing their work."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db as _db
from app.goals import services as goals
from app.plans import catalogue, services, versions
from app.plans.models import (
    ActionNote,
    ActionStatus,
    CatalogueItem,
    Effort,
    Goal,
    PlanAction,
    Theme,
)
from app.stakeholders.models import PpsRole
from tests.factories import make_member, make_park
from tests.plans.conftest import TODAY, set_goal
from tests.stakeholders import pdf_text

MANAGERS = {Role.ADVISOR, Role.MUNICIPALITY}
EVERYONE = set(Role)


@pytest.fixture
def filled(plan, advisor, core):
    """A plan with a police action and an adopted version, a goal, and an own catalogue item."""
    goal = set_goal(advisor, plan.cycle)
    action = services.add_action(advisor, plan, title="Alertavond", quarter=1, owners=[core[PpsRole.POLITIE]])
    version = versions.adopt(advisor, plan, meeting="werkgroepvergadering", adopted_on=TODAY, today=TODAY)
    item = catalogue.save_item(
        advisor, plan.cycle.park, None, title="Truckparking", theme=Theme.HEEL, typical_owner=None, effort=Effort.HIGH
    )
    return {"plan": plan, "goal": goal, "action": action, "version": version, "item": item}


def _pages(park, filled):
    base, goal_base = f"/parken/{park.id}/plan", f"/parken/{park.id}/doelen"
    action, goal = filled["action"].id, filled["goal"].id
    return [
        (f"{base}/", EVERYONE),
        (f"{base}/matrix", EVERYONE),
        (f"{base}/tijdlijn", EVERYONE),
        (f"{base}/acties/{action}", EVERYONE),
        (f"{base}/versies/{filled['version'].id}", EVERYONE),
        (f"{base}/catalogus", EVERYONE),
        (f"{base}/actieplan.pdf", EVERYONE),
        (f"{base}/acties.xlsx", EVERYONE),
        (f"{base}/actieplan.docx", EVERYONE),
        (f"{base}/acties/toevoegen", MANAGERS),
        (f"{base}/acties/{action}/bewerken", MANAGERS),
        (f"{base}/catalogus/nieuw", MANAGERS),
        (f"{base}/catalogus/{filled['item'].id}", MANAGERS),
        (f"{goal_base}/", EVERYONE),
        (f"{goal_base}/{goal}", EVERYONE),
        (f"{goal_base}/nieuw", MANAGERS),
        (f"{goal_base}/{goal}/bewerken", MANAGERS),
    ]


def test_pages_by_role(login_as, park, other_park, filled, role):
    client = login_as(make_member(role, park))
    outsider = login_as(make_member(role, other_park))
    for path, allowed in _pages(park, filled):
        assert client.get(path).status_code == (200 if role in allowed else 403), path
        assert outsider.get(path).status_code == 404, path


def test_objects_of_another_park_or_unknown_ids_are_404(login_as, park, other_park, filled, admin):
    client = login_as(admin)
    for path, _allowed in _pages(park, filled):
        assert client.get(path.replace(f"/parken/{park.id}/", f"/parken/{other_park.id}/", 1)).status_code in (
            200,
            404,
        )
    objects = [p for p, _a in _pages(park, filled) if any(c.isdigit() for c in p.split("/", 4)[-1])]
    for path in objects:
        assert client.get(path.replace(f"/parken/{park.id}/", f"/parken/{other_park.id}/", 1)).status_code == 404, path
    base = f"/parken/{park.id}"
    for path in ("/plan/acties/999999", "/plan/versies/999999", "/plan/catalogus/999999", "/doelen/999999"):
        assert client.get(base + path).status_code == 404


def test_no_plan_yet(login_as, park, cycle, advisor):
    client = login_as(advisor)
    body = client.get(f"/parken/{park.id}/plan/").get_data(as_text=True)
    assert "Er is nog geen plan voor cyclus 1." in body
    assert client.get(f"/parken/{park.id}/plan/matrix").status_code == 200
    assert client.get(f"/parken/{park.id}/plan/tijdlijn").status_code == 200
    assert client.get(f"/parken/{park.id}/plan/actieplan.pdf").status_code == 404
    assert client.get(f"/parken/{park.id}/plan/acties.xlsx").status_code == 404
    assert client.get(f"/parken/{park.id}/plan/actieplan.docx").status_code == 404
    assert client.get(f"/parken/{park.id}/plan/acties/toevoegen").status_code == 200


def _posts(park, filled):
    base, goal_base = f"/parken/{park.id}/plan", f"/parken/{park.id}/doelen"
    action, goal = filled["action"].id, filled["goal"].id
    return [
        (f"{base}/acties/catalogus", {"cat-quarter": "1", "one": "alertavond"}),
        (f"{base}/acties/nieuw", {"action-title": "X", "action-quarter": "1"}),
        (f"{base}/acties/bevinding", {"finding-finding_id": "1", "finding-quarter": "1"}),
        (f"{base}/acties/{action}/bewerken", {"action-title": "X", "action-quarter": "1"}),
        (f"{base}/acties/{action}/verplaatsen", {"move-quarter": "2", "move-owner": "0", "move-from_owner": "0"}),
        (f"{base}/acties/{action}/verwijderen", {"bevestigd": "ja"}),
        (f"{base}/begin", {"start-starts_on": "2026-04-01"}),
        (f"{base}/vaststellen", {"adopt-meeting": "X", "adopt-adopted_on": "2026-03-01"}),
        (f"{base}/catalogus/nieuw", {"title": "X", "theme": "schoon", "effort": "klein"}),
        (f"{base}/catalogus/{filled['item'].id}", {"title": "X", "theme": "schoon", "effort": "klein"}),
        (f"{base}/catalogus/{filled['item'].id}/verwijderen", {"bevestigd": "ja"}),
        (f"{goal_base}/nieuw", {"goal-title": "X"}),
        (f"{goal_base}/{goal}/bewerken", {"goal-title": "X"}),
        (f"{goal_base}/{goal}/meting", {"measurement-value": "3", "measurement-measured_on": "2026-03-01"}),
        (f"{goal_base}/{goal}/nulmeting", {}),
        (f"{goal_base}/{goal}/verwijderen", {"bevestigd": "ja"}),
        (f"{goal_base}/verversen", {}),
    ]


def test_only_managers_change_plans_and_goals(login_as, park, other_park, filled, role):
    if role in MANAGERS:
        return
    client = login_as(make_member(role, park))
    for path, data in _posts(park, filled):
        assert client.post(path, data=data).status_code == 403, path
    manager = login_as(make_member(Role.ADVISOR, other_park))
    for path, data in _posts(park, filled):
        assert manager.post(path, data=data).status_code == 404, path
    _db.session.expire_all()
    assert _db.session.get(PlanAction, filled["action"].id).title == "Alertavond"
    assert _db.session.get(Goal, filled["goal"].id) is not None


def test_anonymous_visitors_are_sent_to_login(client, park, filled):
    for path, _allowed in _pages(park, filled):
        response = client.get(path)
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"], path


# Owners update their actions -------------------------------------------------------------------------------


def _status(client, park, action, status, note=""):
    return client.post(
        f"/parken/{park.id}/plan/acties/{action.id}/status", data={"status-status": status, "status-note": note}
    )


def test_an_owner_updates_status_and_notes(login_as, park, filled, police_officer):
    action = filled["action"]
    client = login_as(police_officer)
    page = client.get(f"/parken/{park.id}/plan/").get_data(as_text=True)
    assert "Acties van uw organisatie" in page and "Voortgang bijwerken" in page
    body = client.get(f"/parken/{park.id}/plan/acties/{action.id}").get_data(as_text=True)
    assert "Status wijzigen" in body and "Actie bewerken" not in body
    response = _status(client, park, action, "bezig", "Zaal is geboekt")
    assert response.status_code == 302
    response = client.post(
        f"/parken/{park.id}/plan/acties/{action.id}/notitie", data={"note-text": "Uitnodiging is verstuurd"}
    )
    assert response.status_code == 302
    _db.session.expire_all()
    notes = _db.session.scalars(select(ActionNote).order_by(ActionNote.id)).all()
    assert [(n.status, n.text, n.author_label) for n in notes] == [
        (ActionStatus.STARTED, "Zaal is geboekt", "Peter Politie"),
        (None, "Uitnodiging is verstuurd", "Peter Politie"),
    ]
    body = client.get(f"/parken/{park.id}/plan/acties/{action.id}").get_data(as_text=True)
    assert "Uitnodiging is verstuurd" in body and "Zaal is geboekt" in body


def test_a_non_owner_is_refused(login_as, park, filled, entrepreneur):
    action = filled["action"]
    client = login_as(entrepreneur)
    body = client.get(f"/parken/{park.id}/plan/acties/{action.id}").get_data(as_text=True)
    assert "Status wijzigen" not in body
    assert _status(client, park, action, "gereed").status_code == 403
    assert client.post(f"/parken/{park.id}/plan/acties/{action.id}/notitie", data={"note-text": "x"}).status_code == 403
    _db.session.expire_all()
    assert _db.session.get(PlanAction, action.id).status == ActionStatus.PLANNED


def test_an_owner_on_another_park_gets_404(login_as, park, other_park, filled, police_officer):
    action = filled["action"]
    client = login_as(police_officer)
    assert (
        client.post(
            f"/parken/{other_park.id}/plan/acties/{action.id}/status", data={"status-status": "gereed"}
        ).status_code
        == 404
    )
    # the owner's organisation, but no role on the park: the park is not visible to them
    stranger = make_member(Role.PARTNER, other_park, organisation=police_officer.organisation)
    assert _status(login_as(stranger), park, action, "gereed").status_code == 404


def test_dropping_without_reason_shows_the_message(login_as, park, filled, police_officer):
    response = _status(login_as(police_officer), park, filled["action"], "vervallen")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Geef de reden waarom de actie vervalt." in body


# Building the plan -----------------------------------------------------------------------------------------


def test_add_from_the_catalogue_one_or_ticked(login_as, park, plan, advisor, core):
    client = login_as(advisor)
    response = client.post(
        f"/parken/{park.id}/plan/acties/catalogus",
        data={"cat-quarter": "2", "cat-keys": ["meldwijzer", "alertavond"], "one": "schoonmaakactie"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/parken/{park.id}/plan/acties/catalogus", data={"cat-quarter": "3", "cat-keys": ["meldwijzer", "alertavond"]}
    )
    assert response.status_code == 302
    _db.session.expire_all()
    actions = _db.session.scalars(select(PlanAction).order_by(PlanAction.id)).all()
    assert [(a.title, a.quarter) for a in actions] == [
        ("Schoonmaakactie", 2),
        ("Meldwijzer voor ondernemers", 3),
        ("Alertavond", 3),
    ]
    body = client.get(f"/parken/{park.id}/plan/acties/toevoegen").get_data(as_text=True)
    assert "staat al in het plan" in body
    response = client.post(f"/parken/{park.id}/plan/acties/catalogus", data={"cat-quarter": "3"})
    assert response.status_code == 422
    assert "Kies een of meer maatregelen" in response.get_data(as_text=True)


def test_the_plan_is_made_by_the_first_action(login_as, park, cycle, advisor, core):
    client = login_as(advisor)
    response = client.post(
        f"/parken/{park.id}/plan/acties/nieuw",
        data={
            "action-title": "Bewaakte truckparking",
            "action-description": "Op het terrein aan de Atoomweg.",
            "action-theme": "heel",
            "action-owners": [str(core[PpsRole.GEMEENTE].id), str(core[PpsRole.ONDERNEMERS].id)],
            "action-quarter": "4",
        },
    )
    assert response.status_code == 302
    _db.session.expire_all()
    action = _db.session.scalar(select(PlanAction))
    assert response.headers["Location"].endswith(f"/plan/#actie-{action.id}")
    assert (action.title, action.theme, action.quarter, len(action.owners)) == (
        "Bewaakte truckparking",
        Theme.HEEL,
        4,
        2,
    )
    body = client.get(f"/parken/{park.id}/plan/").get_data(as_text=True)
    assert f'id="actie-{action.id}"' in body and "Concept:" in body


def test_a_free_action_needs_a_title(login_as, park, plan, advisor):
    response = login_as(advisor).post(
        f"/parken/{park.id}/plan/acties/nieuw",
        data={"action-title": "", "action-description": "Iets", "action-quarter": "1"},
    )
    assert response.status_code == 422
    assert "Iets</textarea>" in response.get_data(as_text=True)  # the input is kept
    assert _db.session.scalar(select(PlanAction)) is None


def test_move_in_the_matrix(login_as, park, filled, advisor, core):
    action = filled["action"]
    client = login_as(advisor)
    body = client.get(f"/parken/{park.id}/plan/matrix").get_data(as_text=True)
    assert "Verplaatsen" in body and "1e kw. 2026" in body
    response = client.post(
        f"/parken/{park.id}/plan/acties/{action.id}/verplaatsen",
        data={
            "move-quarter": "3",
            "move-owner": str(core[PpsRole.BRANDWEER].id),
            "move-from_owner": str(core[PpsRole.POLITIE].id),
        },
    )
    assert response.status_code == 302 and "#matrix-actie-" in response.headers["Location"]
    _db.session.expire_all()
    moved = _db.session.get(PlanAction, action.id)
    assert moved.quarter == 3 and [o.role for o in moved.owners] == [PpsRole.BRANDWEER]
    response = client.post(
        f"/parken/{park.id}/plan/acties/{action.id}/verplaatsen",
        data={"move-quarter": "9", "move-owner": "0", "move-from_owner": "0"},
    )
    assert response.status_code == 422
    assert "Kies een kwartaal" in response.get_data(as_text=True)
    # the diff shows the move against the adopted version
    body = client.get(f"/parken/{park.id}/plan/").get_data(as_text=True)
    assert "Wijzigingen sinds versie 1" in body and "K3 (3e kw. 2026)" in body


def test_adopt_and_download(login_as, park, plan, advisor, core):
    client = login_as(advisor)
    response = client.post(
        f"/parken/{park.id}/plan/vaststellen", data={"adopt-meeting": "Werkgroep", "adopt-adopted_on": "2026-03-01"}
    )
    assert response.status_code == 422
    assert "Een plan zonder acties kan niet worden vastgesteld." in response.get_data(as_text=True)
    services.add_action(advisor, plan, title="Alertavond", quarter=1, owners=[core[PpsRole.POLITIE]])
    response = client.post(
        f"/parken/{park.id}/plan/vaststellen", data={"adopt-meeting": "", "adopt-adopted_on": "2026-03-01"}
    )
    assert response.status_code == 422
    response = client.post(
        f"/parken/{park.id}/plan/vaststellen",
        data={"adopt-meeting": "werkgroepvergadering van 1 maart 2026", "adopt-adopted_on": "2026-03-01"},
    )
    assert response.status_code == 302
    body = client.get(f"/parken/{park.id}/plan/").get_data(as_text=True)
    assert "Vastgesteld in de werkgroepvergadering van 1 maart 2026" in body and "Versie 1" in body
    response = client.get(f"/parken/{park.id}/plan/actieplan.pdf")
    assert response.mimetype == "application/pdf"
    assert "actieplan-lage-weide.pdf" in response.headers["Content-Disposition"]
    assert "Uitvoeringsplan Lage Weide" in pdf_text(response.get_data())


def test_edit_and_delete_an_action(login_as, park, filled, advisor, core):
    action = filled["action"]
    client = login_as(advisor)
    form = client.get(f"/parken/{park.id}/plan/acties/{action.id}/bewerken").get_data(as_text=True)
    assert 'value="Alertavond"' in form and "checked" in form
    response = client.post(
        f"/parken/{park.id}/plan/acties/{action.id}/bewerken",
        data={
            "action-title": "Alertavond inbraakpreventie",
            "action-theme": "",
            "action-owners": [str(core[PpsRole.POLITIE].id)],
            "action-goals": [str(filled["goal"].id)],
            "action-quarter": "2",
        },
    )
    assert response.status_code == 302
    _db.session.expire_all()
    edited = _db.session.get(PlanAction, action.id)
    assert (edited.title, edited.quarter, [g.title for g in edited.goals]) == (
        "Alertavond inbraakpreventie",
        2,
        ["Minder inbraken"],
    )
    action_id = edited.id
    assert (
        client.post(f"/parken/{park.id}/plan/acties/{action_id}/verwijderen", data={"bevestigd": "ja"}).status_code
        == 302
    )
    _db.session.expire_all()
    assert _db.session.get(PlanAction, action_id) is None


def test_set_the_start(login_as, park, filled, advisor):
    client = login_as(advisor)
    assert client.post(f"/parken/{park.id}/plan/begin", data={"start-starts_on": "2026-04-02"}).status_code == 422
    assert client.post(f"/parken/{park.id}/plan/begin", data={"start-starts_on": "2026-04-01"}).status_code == 302
    _db.session.expire_all()
    assert _db.session.get(PlanAction, filled["action"].id).due_on == date(2026, 6, 30)


def test_catalogue_items_through_the_pages(login_as, park, plan, advisor):
    client = login_as(advisor)
    response = client.post(
        f"/parken/{park.id}/plan/catalogus/nieuw",
        data={"title": "Bewaakte truckparking", "theme": "heel", "typical_owner": "", "effort": "groot"},
    )
    assert response.status_code == 302
    item = _db.session.scalar(select(CatalogueItem))
    assert (
        client.post(
            f"/parken/{park.id}/plan/catalogus/nieuw",
            data={"title": "Alertavond", "theme": "veilig", "typical_owner": "", "effort": "klein"},
        ).status_code
        == 422
    )
    body = client.get(f"/parken/{park.id}/plan/catalogus").get_data(as_text=True)
    assert "Bewaakte truckparking" in body and "Meldwijzer voor ondernemers" in body
    response = client.post(
        f"/parken/{park.id}/plan/acties/catalogus", data={"cat-quarter": "1", "one": f"park-{item.id}"}
    )
    assert response.status_code == 302
    key = f"park-{item.id}"
    assert (
        client.post(f"/parken/{park.id}/plan/catalogus/{item.id}/verwijderen", data={"bevestigd": "ja"}).status_code
        == 302
    )
    _db.session.expire_all()
    assert _db.session.scalar(select(CatalogueItem)) is None
    assert _db.session.scalar(select(PlanAction)).catalogue_key == key


# Goals -----------------------------------------------------------------------------------------------------


def _goal_data(**overrides):
    return {
        "goal-theme": "schoon",
        "goal-title": "Minder zwerfvuil",
        "goal-indicator": "Meldingen afvaldumping per jaar",
        "goal-source_ref": "cijfers|mor:afvaldumping",
        "goal-unit": "meldingen",
        "goal-direction": "lager",
        "goal-baseline": "",
        "goal-baseline_note": "",
        "goal-target": "20,5",
        "goal-deadline": "2027-12-31",
    } | overrides


def test_a_goal_through_the_form(login_as, park, cycle, advisor):
    client = login_as(advisor)
    form = client.get(f"/parken/{park.id}/doelen/nieuw").get_data(as_text=True)
    # a select grouped by question and figure source, each option named in words with its baseline
    assert 'id="goal-source_ref" name="goal-source_ref"><optgroup label="Eigen meting">' in form
    assert '<optgroup label="Cijfers: Politie">' in form
    assert (
        '<option value="cijfers|politie:inbraak_bedrijf">Inbraak in bedrijfspand — nulmeting: nog geen waarde' in form
    )
    assert 'value="enquete|victimisation.inbraak:' in form and 'type="text" name="goal-source_ref"' not in form
    response = client.post(f"/parken/{park.id}/doelen/nieuw", data=_goal_data(**{"goal-source_ref": "x"}))
    assert response.status_code == 422 and "Kies de bron van de indicator uit de lijst." in response.get_data(
        as_text=True
    )
    response = client.post(
        f"/parken/{park.id}/doelen/nieuw", data=_goal_data(**{"goal-source_ref": "cijfers|mor:bestaatniet"})
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="goal-source_ref-error"' in body and "bron:categorie" in body
    assert 'value="Minder zwerfvuil"' in body
    response = client.post(f"/parken/{park.id}/doelen/nieuw", data=_goal_data(**{"goal-target": "twintig"}))
    assert response.status_code == 422
    assert "Vul een getal in, zoals 45 of 45,5." in response.get_data(as_text=True)
    response = client.post(f"/parken/{park.id}/doelen/nieuw", data=_goal_data())
    assert response.status_code == 302
    goal = _db.session.scalar(select(Goal))
    assert (goal.target, goal.baseline, goal.source_ref) == (20.5, None, "mor:afvaldumping")
    index = client.get(f"/parken/{park.id}/doelen/").get_data(as_text=True)
    assert "Minder zwerfvuil" in index and "20,5\u00a0meldingen" in index and "nog geen nieuwe meting" in index
    assert "Nog geen doel met een nulmeting voor: Schoon, Heel, Veilig, Meldingsbereidheid." in index
    response = client.post(
        f"/parken/{park.id}/doelen/{goal.id}/meting",
        data={"measurement-value": "18", "measurement-measured_on": TODAY.isoformat(), "measurement-note": "MOR"},
    )
    assert response.status_code == 302
    detail = client.get(f"/parken/{park.id}/doelen/{goal.id}").get_data(as_text=True)
    assert "streefwaarde gehaald" in detail and "18\u00a0meldingen" in detail
    response = client.post(
        f"/parken/{park.id}/doelen/{goal.id}/meting",
        data={"measurement-value": "18", "measurement-measured_on": "2030-01-01"},
    )
    assert response.status_code == 422 and 'id="measurement-measured_on-error"' in response.get_data(as_text=True)
    response = client.post(f"/parken/{park.id}/doelen/{goal.id}/nulmeting", follow_redirects=True)
    assert "geeft (nog) geen waarde" in response.get_data(as_text=True)
    assert client.post(f"/parken/{park.id}/doelen/{goal.id}/verwijderen", data={"bevestigd": "ja"}).status_code == 302
    assert _db.session.scalar(select(Goal)) is None


def test_other_parks_measurements_are_404(login_as, park, filled, admin):
    other = make_park()
    goal = filled["goal"]
    goals.record_measurement(make_member(Role.ADVISOR, park), goal, 10, TODAY, today=TODAY)
    measurement = goal.measurements[0]
    client = login_as(admin)
    assert (
        client.post(
            f"/parken/{other.id}/doelen/metingen/{measurement.id}/verwijderen", data={"bevestigd": "ja"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/parken/{park.id}/doelen/metingen/{measurement.id}/verwijderen", data={"bevestigd": "ja"}
        ).status_code
        == 302
    )


def test_plan_pages_do_not_query_per_action(login_as, park, plan, advisor, core):
    from tests.parks.test_overview import count_statements

    client = login_as(advisor)
    counts = {}
    for total in (2, 12):
        while len(plan.actions) < total:
            n = len(plan.actions)
            services.add_action(
                advisor, plan, title=f"Actie {n}", quarter=n % 8 + 1, owners=[core[PpsRole.POLITIE]], theme=Theme.HEEL
            )
        _db.session.commit()
        counts[total] = []
        for path in ("", "matrix", "tijdlijn"):
            with count_statements() as statements:
                assert client.get(f"/parken/{park.id}/plan/{path}").status_code == 200
            counts[total].append(len(statements))
    assert counts[2] == counts[12], counts
