"""The city-wide tracking of the plans: progress and goals per park, the overdue actions across parks, the CSV
exports, who sees which parks, and a fixed number of statements per page however many parks there are."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from app.auth.models import Role
from app.clock import local_today
from app.extensions import db as _db
from app.parks.models import CycleStatus
from app.parks.services import active_cycle, start_cycle
from app.plans import quarters, tracking
from app.plans.models import ActionStatus, Direction, Goal, Plan, PlanAction, Theme
from app.stakeholders.models import OrganisationType, PpsRole, Stakeholder
from tests.factories import make_member, make_membership, make_organisation, make_park, make_user
from tests.parks.test_overview import count_statements, main_of

TODAY = date(2027, 5, 10)
_seq = itertools.count(1)


# Helpers (also used by test_jobs) -------------------------------------------------------------------------------


def make_plan(park, *, starts_on: date = date(2027, 1, 1)) -> Plan:
    """The active cycle's plan, written directly."""
    plan = Plan(cycle=active_cycle(park), starts_on=starts_on)
    _db.session.add(plan)
    _db.session.flush()
    return plan


def make_action(
    plan, title: str = "Verlichting herstellen", *, quarter: int = 1, status=ActionStatus.PLANNED, owners=()
):
    action = PlanAction(
        plan=plan,
        title=title,
        quarter=quarter,
        due_on=quarters.quarter(plan.starts_on, quarter).last_day,
        status=status,
    )
    action.owners = list(owners)
    _db.session.add(action)
    _db.session.flush()
    return action


def make_stakeholder(park, name: str | None = None, *, role=PpsRole.POLITIE, user=None) -> Stakeholder:
    stakeholder = Stakeholder(
        cycle=active_cycle(park),
        organisation=make_organisation(name=name or f"Partner {next(_seq)}", type=OrganisationType.OVERIG),
        role=role,
        representative_user=user,
    )
    _db.session.add(stakeholder)
    _db.session.flush()
    return stakeholder


def make_goal(park, *, direction=Direction.UP, target: float = 50, latest: float | None = None) -> Goal:
    goal = Goal(
        cycle=active_cycle(park),
        theme=Theme.VEILIG,
        title="Veiliger in het donker",
        indicator="Aandeel dat zich veilig voelt na donker",
        direction=direction,
        target=target,
        deadline=date(2028, 12, 31),
        latest_value=latest,
    )
    _db.session.add(goal)
    _db.session.flush()
    return goal


def plan_a_year_back(park, today: date) -> Plan:
    """A plan whose quarters 1-4 lie before `today`'s quarter, 5 holds today, 6-8 are ahead."""
    start = quarters.quarter_start(today)
    return make_plan(park, starts_on=date(start.year - 1, start.month, 1))


def _officer(*municipalities):
    officer = make_user(name="Gerrit Gemeente")
    for municipality in municipalities:
        make_membership(officer, Role.MUNICIPALITY, municipality=municipality)
    return officer


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data[len(codecs.BOM_UTF8) :].decode("utf-8")), delimiter=";"))


# The queries -----------------------------------------------------------------------------------------------------


def test_progress_counts_actions_overdue_and_goals(db):
    utrecht = make_organisation(name="Gemeente Utrecht")
    busy, empty, _planless = (make_park(name=n, municipality=utrecht) for n in ("Busy", "Empty", "Zonder plan"))
    plan = make_plan(busy)  # 2027-Q1 is quarter 1; TODAY lies in quarter 2
    make_action(plan, "Klaar", quarter=1, status=ActionStatus.DONE)
    make_action(plan, "Te laat gepland", quarter=1)
    make_action(plan, "Te laat bezig", quarter=1, status=ActionStatus.STARTED)
    make_action(plan, "Te laat vertraagd", quarter=1, status=ActionStatus.DELAYED)
    make_action(plan, "Vervallen", quarter=1, status=ActionStatus.DROPPED)
    make_action(plan, "Dit kwartaal", quarter=2)
    make_goal(busy, latest=60)  # up, reached
    make_goal(busy, latest=40)  # up, not reached
    make_goal(busy, direction=Direction.DOWN, target=10, latest=10)  # down, reached
    make_goal(busy)  # not measured
    make_plan(empty)
    rows, total = tracking.park_progress(
        _officer(utrecht), today=TODAY, filters=tracking.TrackingFilter(), page=1, per_page=50
    )
    assert total == 3
    by_name = {row.park.name: row for row in rows}
    busy_row = by_name["Busy"]
    assert (busy_row.has_plan, busy_row.done, busy_row.total, busy_row.overdue) == (True, 1, 5, 3)
    assert busy_row.percent_done == 20 and busy_row.step == 1
    assert (busy_row.goals_on_target, busy_row.goals_off_target, busy_row.goals_unmeasured) == (2, 1, 1)
    assert (by_name["Empty"].has_plan, by_name["Empty"].total, by_name["Empty"].percent_done) == (True, 0, None)
    assert (by_name["Zonder plan"].has_plan, by_name["Zonder plan"].overdue) == (False, 0)
    # the day after the quarter's last day counts, the last day itself does not
    assert (
        tracking.park_progress(_officer(utrecht), today=date(2027, 3, 31), filters=tracking.TrackingFilter(), page=1)[
            0
        ][0].overdue
        == 0
    )


@pytest.mark.parametrize(
    ("direction", "target", "latest"),
    [
        (Direction.UP, 50, 50),
        (Direction.UP, 50, 49.9),
        (Direction.UP, 50, None),
        (Direction.DOWN, 10, 9),
        (Direction.DOWN, 10, 10.5),
        (Direction.DOWN, 0, 0),
    ],
)
def test_goals_in_sql_agree_with_the_model(db, park, direction, target, latest):
    goal = make_goal(park, direction=direction, target=target, latest=latest)
    (row,), _total = tracking.park_progress(
        make_user(is_admin=True), today=TODAY, filters=tracking.TrackingFilter(), page=1
    )
    expected = {True: (1, 0, 0), False: (0, 1, 0), None: (0, 0, 1)}[goal.on_target]
    assert (row.goals_on_target, row.goals_off_target, row.goals_unmeasured) == expected


def test_only_active_cycles_count(db, park):
    old_plan = make_plan(park)
    make_action(old_plan, "Oud en open", quarter=1)
    make_goal(park, latest=99)
    active_cycle(park).status = CycleStatus.CLOSED
    db.session.flush()
    start_cycle(park, number=2, today=TODAY, now=datetime(2027, 5, 1, tzinfo=UTC))
    officer = make_user(is_admin=True)
    (row,), _total = tracking.park_progress(officer, today=TODAY, filters=tracking.TrackingFilter(), page=1)
    assert (row.has_plan, row.total, row.overdue, row.goals_on_target) == (False, 0, 0, 0)
    assert tracking.overdue_actions(officer, today=TODAY, page=1) == ([], 0)


def test_overdue_actions_across_parks_with_owners(db):
    utrecht = make_organisation(name="Gemeente Utrecht")
    north, south = make_park(name="Noord", municipality=utrecht), make_park(name="Zuid", municipality=utrecht)
    police, fire = make_stakeholder(north, "Politie"), make_stakeholder(north, "Brandweer")
    late_north = make_action(
        make_plan(north, starts_on=date(2026, 10, 1)), "Camera's", quarter=1, owners=[fire, police]
    )
    south_plan = make_plan(south)
    late_south = make_action(south_plan, "Hekwerk", quarter=1, status=ActionStatus.DELAYED)
    make_action(south_plan, "Gereed", quarter=1, status=ActionStatus.DONE)
    make_action(south_plan, "Vervallen", quarter=1, status=ActionStatus.DROPPED)
    make_action(south_plan, "Nog niet", quarter=2)
    rows, total = tracking.overdue_actions(_officer(utrecht), today=TODAY, page=1, per_page=50)
    assert total == 2
    assert [row.action_id for row in rows] == [late_north.id, late_south.id]  # longest overdue first
    first = rows[0]
    assert first.owners == ["Politie", "Brandweer"] and (first.park_id, first.park_name) == (north.id, "Noord")
    assert (first.title, first.status, first.municipality) == ("Camera's", ActionStatus.PLANNED, "Gemeente Utrecht")
    assert (first.quarter.number, first.quarter.calendar_label) == (1, "2026-Q4")
    assert first.days_late == (TODAY - date(2026, 12, 31)).days
    assert rows[1].owners == [] and rows[1].quarter.calendar_label == "2027-Q1"
    elsewhere = make_organisation(name="Gemeente Amersfoort")
    assert tracking.overdue_actions(_officer(utrecht), today=TODAY, municipality_id=elsewhere.id, page=1) == ([], 0)


def test_filters_sort_and_pages(db):
    utrecht, amersfoort = make_organisation(name="Gemeente Utrecht"), make_organisation(name="Gemeente Amersfoort")
    parks = [make_park(name=f"Park {i:02d}", municipality=utrecht) for i in range(7)]
    hoef = make_park(name="De Hoef", municipality=amersfoort)
    for count, park in enumerate(parks[:3], start=1):
        plan = make_plan(park)
        for _ in range(count):
            make_action(plan, quarter=1)
    active_cycle(parks[6]).current_step = 6
    officer = _officer(utrecht, amersfoort)

    def names(**filters):
        rows, total = tracking.park_progress(
            officer, today=TODAY, filters=tracking.TrackingFilter(**filters), page=1, per_page=3
        )
        return [row.park.name for row in rows], total

    assert names() == (["De Hoef", "Park 00", "Park 01"], 8)
    assert (
        tracking.park_progress(officer, today=TODAY, filters=tracking.TrackingFilter(), page=3, per_page=3)[0][
            0
        ].park.name
        == "Park 05"
    )
    assert names(municipality_id=amersfoort.id) == (["De Hoef"], 1)
    assert names(overdue_only=True) == (["Park 00", "Park 01", "Park 02"], 3)
    assert names(sort="overdue", descending=True)[0] == ["Park 02", "Park 01", "Park 00"]
    assert names(sort="step", descending=True)[0][0] == "Park 06"
    assert names(sort="municipality")[0][0] == "De Hoef"
    assert names(sort="progress", descending=True)[0][:3] == ["Park 00", "Park 01", "Park 02"]  # 0 %, no plans last
    assert [m.name for m in tracking.municipalities(officer, today=TODAY)] == [
        "Gemeente Amersfoort",
        "Gemeente Utrecht",
    ]
    assert hoef


def test_each_user_sees_only_the_parks_they_oversee(db):
    mine, theirs, watched = make_park(name="Mijn park"), make_park(name="Hun park"), make_park(name="Als ondernemer")
    for park in (mine, theirs, watched):
        make_action(make_plan(park), "Te laat", quarter=1)
    advisor = make_member(Role.ADVISOR, mine)
    make_membership(advisor, Role.ENTREPRENEUR, park=watched)  # a member there, but not as overseer
    make_membership(advisor, Role.ADVISOR, park=theirs, ends_on=TODAY - timedelta(days=1))  # ended
    rows, total = tracking.park_progress(advisor, today=TODAY, filters=tracking.TrackingFilter(), page=1)
    assert [row.park.name for row in rows] == ["Mijn park"] and total == 1
    assert [row.park_name for row in tracking.overdue_actions(advisor, today=TODAY, page=1)[0]] == ["Mijn park"]
    assert tracking.oversees(advisor, today=TODAY)
    assert not tracking.oversees(make_member(Role.PARTNER, mine), today=TODAY)
    assert (
        tracking.park_progress(make_user(is_admin=True), today=TODAY, filters=tracking.TrackingFilter(), page=1)[1] == 3
    )


def test_csv_exports_are_for_dutch_excel_and_hold_no_formulas(db):
    utrecht = make_organisation(name="Gemeente Utrecht")
    park = make_park(name='=HYPERLINK("http://x")', municipality=utrecht)
    owner = make_stakeholder(park, "@Politie")
    make_action(make_plan(park), "-1+1 verlichting", quarter=1, owners=[owner])
    officer = _officer(utrecht)
    progress, _ = tracking.park_progress(officer, today=TODAY, filters=tracking.TrackingFilter(), page=None)
    rows = _csv_rows(tracking.progress_csv(progress))
    assert rows[0] == list(tracking.PROGRESS_HEADERS)
    assert rows[1] == ['\'=HYPERLINK("http://x")', "Gemeente Utrecht", "1", "ja", "0", "1", "1", "0", "0", "0"]
    overdue, _ = tracking.overdue_actions(officer, today=TODAY, page=None)
    rows = _csv_rows(tracking.overdue_csv(overdue))
    assert rows[0] == list(tracking.OVERDUE_HEADERS)
    assert rows[1] == [
        '\'=HYPERLINK("http://x")',
        "Gemeente Utrecht",
        "'-1+1 verlichting",
        "Q1",
        "2027-Q1",
        "2027-03-31",
        str((TODAY - date(2027, 3, 31)).days),
        "'@Politie",
        "gepland",
    ]


# The pages -------------------------------------------------------------------------------------------------------


def test_pages_use_a_fixed_number_of_statements(login_as, db):
    """No per-park queries: both pages cost as many statements for 200 parks as for 10."""
    today = local_today()
    sizes = {}
    for n, name in ((10, "Gemeente A"), (200, "Gemeente B")):
        municipality = make_organisation(name=name)
        for i in range(n):
            park = make_park(name=f"{name} park {i:03d}", municipality=municipality)
            plan = plan_a_year_back(park, today)
            owner = make_stakeholder(park)
            make_action(plan, "Te laat", quarter=1, owners=[owner])
            make_action(plan, "Gereed", quarter=2, status=ActionStatus.DONE)
            make_action(plan, "Later", quarter=7)
            make_goal(park, latest=i % 100)
        client = login_as(_officer(municipality))
        counts = []
        for url, expected in (
            ("/voortgang/?sort=overdue&richting=af", f"{n} parken"),
            ("/voortgang/achterstallig", f"{n} achterstallige acties"),
        ):
            client.get(url)
            with count_statements() as statements:
                response = client.get(url)
            assert response.status_code == 200
            assert expected in response.get_data(as_text=True)
            counts.append(len(statements))
        sizes[n] = counts
    assert sizes[10] == sizes[200], sizes
    assert max(sizes[10]) <= 10, sizes  # user, memberships, header, filter choices, count, rows (+ owners)


def test_tracking_page_shows_progress_and_filters(login_as, db):
    today = local_today()
    utrecht, amersfoort = make_organisation(name="Gemeente Utrecht"), make_organisation(name="Gemeente Amersfoort")
    late = make_park(name="Lage Weide", municipality=utrecht)
    plan = plan_a_year_back(late, today)
    make_action(plan, "Verlichting", quarter=1)
    make_action(plan, "Hekwerk", quarter=2, status=ActionStatus.DONE)
    make_goal(late, latest=80)
    on_time = make_park(name="De Hoef", municipality=amersfoort)
    make_park(name="Papendorp", municipality=utrecht)
    client = login_as(_officer(utrecht, amersfoort))
    body = main_of(client.get("/voortgang/"))
    assert "3 parken" in body and "1 van 2 (50%)" in body and "nog geen plan" in body
    assert f'href="/parken/{late.id}/plan/"' in body
    only_late = main_of(client.get("/voortgang/?achterstallig=y"))
    assert "1 park" in only_late and "Lage Weide" in only_late and "Papendorp" not in only_late
    amersfoort_only = main_of(client.get(f"/voortgang/?gemeente={amersfoort.id}"))
    assert "De Hoef" in amersfoort_only and "Lage Weide" not in amersfoort_only
    assert on_time
    for junk in ("?gemeente=abc&sort=hack&richting=x&page=-4", "?gemeente=999999&achterstallig=maybe&page=99999"):
        assert client.get("/voortgang/" + junk).status_code == 200
        assert client.get("/voortgang/achterstallig" + junk).status_code == 200
        assert client.get("/voortgang/export.csv" + junk).status_code == 200


def test_overdue_page_lists_actions_with_owner(login_as, db):
    today = local_today()
    utrecht = make_organisation(name="Gemeente Utrecht")
    park = make_park(name="Cartesiusweg", municipality=utrecht)
    plan = plan_a_year_back(park, today)
    owner = make_stakeholder(park, "Ondernemersvereniging Lage Weide")
    make_action(plan, "Camera's bij de ingang", quarter=2, owners=[owner])
    make_action(plan, "Nog niet aan de beurt", quarter=6, owners=[owner])
    body = main_of(login_as(_officer(utrecht)).get("/voortgang/achterstallig"))
    assert "1 achterstallige actie" in body and "Camera&#39;s bij de ingang" in body
    assert "Ondernemersvereniging Lage Weide" in body and "Nog niet aan de beurt" not in body
    q = quarters.quarter(plan.starts_on, 2)
    assert f"K2 ({q.calendar}e kw. {q.year})" in body and "Gepland" in body


def test_csv_downloads_follow_the_filters(login_as, db):
    today = local_today()
    utrecht, amersfoort = make_organisation(name="Gemeente Utrecht"), make_organisation(name="Gemeente Amersfoort")
    for name, municipality in (("Lage Weide", utrecht), ("De Hoef", amersfoort)):
        make_action(plan_a_year_back(make_park(name=name, municipality=municipality), today), f"Actie {name}")
    client = login_as(_officer(utrecht, amersfoort))
    response = client.get(f"/voortgang/export.csv?gemeente={utrecht.id}&page=2")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="voortgang-plannen-')
    assert [row[0] for row in _csv_rows(response.data)] == ["park", "Lage Weide"]
    overdue = client.get("/voortgang/achterstallig/export.csv")
    assert [row[2] for row in _csv_rows(overdue.data)] == ["actie", "Actie De Hoef", "Actie Lage Weide"]
    page = main_of(client.get(f"/voortgang/?gemeente={utrecht.id}&sort=overdue"))
    assert f"/voortgang/export.csv?gemeente={utrecht.id}&amp;sort=overdue" in page


@pytest.mark.parametrize(
    "path", ["/voortgang/", "/voortgang/achterstallig", "/voortgang/export.csv", "/voortgang/achterstallig/export.csv"]
)
def test_who_may_open_the_tracking(login_as, client, db, park, role, path):
    allowed = role in {Role.ADVISOR, Role.MUNICIPALITY}
    assert login_as(make_member(role, park)).get(path).status_code == (200 if allowed else 403)
    assert login_as(make_user(is_admin=True)).get(path).status_code == 200
    assert login_as(make_user()).get(path).status_code == 403  # no role anywhere
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")
