"""The park's history: every cycle with its dates, status, step, award, survey response and plan results, in a
fixed number of queries however many cycles there are."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from app.auth.models import Role
from app.extensions import db
from app.parks import recalibration
from app.parks.models import CycleStatus
from app.parks.services import active_cycle
from app.surveys.invitations import new_invitation
from app.surveys.models import InvitationStatus
from tests.factories import make_member
from tests.parks.test_recalibration import NOW, TODAY, park_at_step_8


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anouk Adviseur")


@pytest.fixture
def two_cycles(park, advisor):
    """Cycle 1 closed by the herijking (award, survey with 1 of 2 invitations used, plan with 1 of 4 actions done,
    one goal on target), cycle 2 active at step 3."""
    made = park_at_step_8(park)
    made["survey"].invitations.append(new_invitation(company=None, status=InvitationStatus.OPENED, sector="bouw"))
    made["survey"].invitations.append(new_invitation(company=None, status=InvitationStatus.REVOKED, sector="bouw"))
    recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)
    db.session.flush()
    return made


def test_history_lists_every_cycle_with_its_results(park, two_cycles):
    rows = recalibration.history(park)
    assert [(r.cycle.number, r.cycle.status) for r in rows] == [(2, CycleStatus.ACTIVE), (1, CycleStatus.CLOSED)]
    new, old = rows
    assert (old.cycle.starts_on, old.cycle.ends_on, old.cycle.current_step) == (date(2026, 1, 1), TODAY, 8)
    assert (old.award.awarded_on, old.award.valid_until) == (date(2026, 11, 1), date(2028, 11, 1))
    [survey] = old.surveys
    assert (survey.responses, survey.invited, survey.completed, survey.rate) == (1, 2, 1, 50.0)
    # dropped actions do not count; the goal's latest value 4 meets its target of at most 5
    assert (old.actions_total, old.actions_done, old.actions_carried) == (4, 1, 0)
    assert (old.goals_total, old.goals_on_target) == (1, 1)
    assert old.plan_version.number == 1
    assert new.award is None and new.cycle.current_step == 3
    assert [(s.responses, s.invited, s.rate) for s in new.surveys] == [(0, 0, None)]
    assert (new.actions_total, new.actions_done, new.actions_carried) == (3, 0, 3)
    assert (new.goals_total, new.plan_version) == (0, None)


def _queries(app, call) -> int:
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_one_query_per_table_whatever_the_number_of_cycles(app, park, advisor, two_cycles):
    db.session.expire_all()
    assert park.name  # the park itself loaded before counting
    with_two = _queries(app, lambda: recalibration.history(park))
    # cycles, awards, surveys, responses, invitations, actions, goals, plan versions
    assert 0 < with_two <= 8
    for step in range(2):
        cycle = active_cycle(park)
        cycle.current_step = 8
        db.session.flush()
        recalibration.recalibrate(advisor, park, today=TODAY + timedelta(days=step + 1), now=NOW)
    db.session.flush()
    db.session.expire_all()
    assert len(recalibration.history(park)) == 4
    db.session.expire_all()
    assert park.name
    assert _queries(app, lambda: recalibration.history(park)) == with_two


def test_history_page(park, advisor, two_cycles, login_as):
    page = login_as(advisor).get(f"/parken/{park.id}/geschiedenis")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Cyclus 1" in text and "Cyclus 2" in text
    assert "Afgesloten" in text and "Actief" in text
    assert "Stap 8: Continuering" in text and "Stap 3: Inventarisatie" in text
    assert "Toegekend op 1 nov 2026" in text and "geldig tot 1 nov 2028" in text
    assert "1 antwoord, respons 50,0 % (1 van 2)" in text
    assert "1 van 4 acties gereed" in text and "3 overgenomen uit de vorige cyclus" in text
    assert "1 van 1 op koers" in text
    version = two_cycles["plan"].versions[0]
    assert f'href="/parken/{park.id}/plan/versies/{version.id}"' in text
    assert f'href="/parken/{park.id}/herijking"' in text
    # the closed cycle's adopted plan can still be read
    assert login_as(advisor).get(f"/parken/{park.id}/plan/versies/{version.id}").status_code == 200


def test_park_page_links_to_the_history(park, advisor, login_as):
    text = login_as(advisor).get(f"/parken/{park.id}").get_data(as_text=True)
    assert f'href="/parken/{park.id}/geschiedenis"' in text


def test_every_role_of_the_park_sees_it_others_do_not(park, other_park, two_cycles, login_as, role):
    user = make_member(role, park)
    page = login_as(user).get(f"/parken/{park.id}/geschiedenis")
    assert page.status_code == 200
    # only managers get the link to the herijking
    assert (f'href="/parken/{park.id}/herijking"' in page.get_data(as_text=True)) == (
        role in {Role.ADVISOR, Role.MUNICIPALITY}
    )
    outsider = make_member(role, other_park)
    assert login_as(outsider).get(f"/parken/{park.id}/geschiedenis").status_code == 404
    assert login_as(user).get("/parken/999999/geschiedenis").status_code == 404


def test_the_history_links_each_cycle_to_its_dossier_for_those_who_may_read_it(login_as, db, park):
    advisor = make_member(Role.ADVISOR, park)
    entrepreneur = make_member(Role.ENTREPRENEUR, park)
    db.session.commit()
    link = f'href="/parken/{park.id}/dossier/?cyclus=1"'
    assert link in login_as(advisor).get(f"/parken/{park.id}/geschiedenis").get_data(as_text=True)
    assert link not in login_as(entrepreneur).get(f"/parken/{park.id}/geschiedenis").get_data(as_text=True)
