"""The advisor's home: per park the step, days, blockers with links only for who may open them, the next meeting,
the running survey's response rate and overdue actions, in attention order, filtered; a fixed number of
statements however many parks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.auth.models import Role
from app.clock import local_today
from app.main.advisor import PER_PAGE, AdvisorFilter, advised_municipalities, advisor_home
from app.surveys.models import InvitationStatus, SurveyStatus
from tests.factories import make_invitation, make_membership, make_organisation, make_park, make_user
from tests.main.helpers import make_action, make_meeting, make_plan, started_days_ago
from tests.parks.test_overview import count_statements

NOW = datetime.now(UTC)


def _home(user, filters=None, *, page=1, fix_url=lambda endpoint, park: f"/{endpoint}/{park.id}"):
    filters = filters or AdvisorFilter()
    return advisor_home(user, today=local_today(), now=NOW, filters=filters, page=page, fix_url=fix_url)


def _advisor(*parks):
    user = make_user(name="Anouk Adviseur")
    for park in parks:
        make_membership(user, Role.ADVISOR, park=park)
    return user


def test_a_park_at_step_1_lists_what_blocks_it_with_the_page_to_fix_it(db):
    park = make_park(name="Lage Weide")
    row = _home(_advisor(park)).rows[0]
    assert (row.step, row.step_name, row.days_in_step) == (1, "Afbakening gebied", 0)
    area = next(b for b in row.blockers if b.label == "Het gebied is op de kaart ingetekend")
    assert (area.fix_url, area.fix_label) == (f"/area.edit/{park.id}", "Gebied intekenen")
    assert not row.ready


def test_a_blocker_is_not_linked_when_the_user_may_not_open_its_page(db):
    park = make_park()
    row = _home(_advisor(park), fix_url=lambda endpoint, park: None).rows[0]
    assert row.blockers and all(b.fix_url is None for b in row.blockers)


def test_attention_order_overdue_actions_first_then_longest_in_step_then_name(db):
    today = local_today()
    calm, waiting, late, also_calm = (make_park(name=n) for n in ("Bravo", "Charlie", "Delta", "Alfa"))
    started_days_ago(waiting, 90, now=NOW)
    started_days_ago(late, 5, now=NOW)
    plan = make_plan(late, starts_on=today - timedelta(days=400))
    make_action(plan, "Te laat", due_on=today - timedelta(days=10))
    make_action(plan, "Nog op tijd", due_on=today + timedelta(days=10))
    rows = _home(_advisor(calm, waiting, late, also_calm)).rows
    assert [row.park.name for row in rows] == ["Delta", "Charlie", "Alfa", "Bravo"]
    assert [row.overdue for row in rows] == [1, 0, 0, 0]
    assert rows[1].days_in_step == 90


def test_the_next_meeting_is_the_first_not_cancelled_from_now(db):
    park = make_park()
    make_meeting(park, NOW - timedelta(days=2), title="Geweest")
    make_meeting(park, NOW + timedelta(days=3), title="Afgelast", cancelled=True)
    make_meeting(park, NOW + timedelta(days=9), title="Later")
    make_meeting(park, NOW + timedelta(days=5), title="Eerstvolgend")
    assert _home(_advisor(park)).rows[0].next_meeting.title == "Eerstvolgend"


def test_the_response_rate_is_shown_only_while_a_survey_runs(survey):
    user = _advisor(survey.park)
    for status in (InvitationStatus.USED, InvitationStatus.USED, InvitationStatus.OPENED, InvitationStatus.INVITED):
        make_invitation(survey, status=status)
    make_invitation(survey, status=InvitationStatus.REVOKED)
    survey.status = SurveyStatus.DRAFT
    assert _home(user).rows[0].survey_rate is None
    survey.status = SurveyStatus.OPEN
    rate = _home(user).rows[0].survey_rate
    assert (rate.invited, rate.opened, rate.completed, rate.rate_text) == (4, 3, 2, "50,0")


def test_search_municipality_and_step_filter_the_list(db):
    utrecht, amersfoort = make_organisation(name="Gemeente Utrecht"), make_organisation(name="Gemeente Amersfoort")
    lage_weide = make_park(name="Lage Weide", municipality=utrecht)
    papendorp = make_park(name="Papendorp", municipality=utrecht)
    de_hoef = make_park(name="De Hoef", municipality=amersfoort)
    started_days_ago(papendorp, 1, step=3)
    user = _advisor(lage_weide, papendorp, de_hoef)

    def names(**filters):
        return sorted(row.park.name for row in _home(user, AdvisorFilter(**filters)).rows)

    assert names(search="WEIDE") == ["Lage Weide"]
    assert names(search="%") == []
    assert names(municipality_id=utrecht.id) == ["Lage Weide", "Papendorp"]
    assert names(step=3) == ["Papendorp"]
    assert advised_municipalities(user, today=local_today()) == [
        (amersfoort.id, "Gemeente Amersfoort"),
        (utrecht.id, "Gemeente Utrecht"),
    ]


def test_only_the_parks_the_user_advises_are_listed(db):
    advised, other = make_park(name="Mijn park"), make_park(name="Ander park")
    user = _advisor(advised)
    make_membership(user, Role.ENTREPRENEUR, park=other)
    assert [row.park.name for row in _home(user).rows] == ["Mijn park"]


def test_the_list_is_paged(db):
    parks = [make_park(name=f"Park {i:02d}") for i in range(PER_PAGE + 3)]
    home = _home(_advisor(*parks), page=2)
    assert (home.total, home.page, len(home.rows)) == (PER_PAGE + 3, 2, 3)
    assert _home(_advisor(*parks), page=99).page == 2


@pytest.mark.parametrize("step", [1, 3])
def test_the_home_page_costs_as_many_statements_for_60_parks_as_for_10(login_as, db, step):
    """Everything but the checklist is read per list; the checklist for the parks of one page only."""
    today = local_today()
    counts = {}
    for n in (10, 60):
        municipality = make_organisation(name=f"Gemeente {n}")
        user = make_user(name=f"Adviseur {n}")
        make_membership(user, Role.ADVISOR, municipality=municipality)
        for i in range(n):
            park = make_park(name=f"Park {n}-{i:02d}", municipality=municipality)
            started_days_ago(park, i, step=step)
            plan = make_plan(park, starts_on=date(today.year - 1, 1, 1))
            make_action(plan, "Te laat", due_on=today - timedelta(days=1 + i))
            make_meeting(park, NOW + timedelta(days=1 + i))
        client = login_as(user)
        client.get("/")
        with count_statements() as statements:
            response = client.get("/")
        assert response.status_code == 200
        assert f"{n} parken" in response.get_data(as_text=True)
        counts[n] = len(statements)
    assert counts[10] == counts[60], counts
