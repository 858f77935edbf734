"""The dashboard's sections with hand-built data: what each counts and lists, and whose parks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.auth.models import Role
from app.cameras.models import CameraStatus
from app.clock import local_today
from app.dashboard import queries
from app.parks.models import Track
from app.surveys.models import SurveyStatus
from tests.dashboard.support import (
    at_step,
    closed_cycle_of,
    officer_of,
    with_award,
    with_camera,
    with_check,
    with_network,
    with_plan,
    with_survey,
)
from tests.factories import make_member, make_organisation, make_park, make_user


def _setting():
    utrecht, elders = make_organisation(name="Gemeente Utrecht"), make_organisation(name="Gemeente Elders")
    return utrecht, elders, officer_of(utrecht)


def test_parks_per_step_counts_the_active_cycles_of_the_officers_municipality_only(db):
    utrecht, elders, officer = _setting()
    at_step(make_park(name="A", municipality=utrecht), 3, days=1)
    at_step(make_park(name="B", municipality=utrecht), 3, days=1)
    at_step(make_park(name="C", municipality=utrecht), 6, days=1)
    at_step(make_park(name="D", municipality=elders), 3, days=1)
    steps = queries.parks_per_step(officer, today=local_today())
    assert [(s.step, s.parks, s.percent) for s in steps] == [
        (1, 0, 0),
        (2, 0, 0),
        (3, 2, 100),
        (4, 0, 0),
        (5, 0, 0),
        (6, 1, 50),
        (7, 0, 0),
        (8, 0, 0),
    ]
    assert steps[2].name == "Inventarisatie"


def test_an_advisor_sees_the_parks_they_advise_and_an_admin_all(db):
    utrecht, _elders, _officer = _setting()
    advised = make_park(name="Geadviseerd", municipality=utrecht)
    make_park(name="Niet geadviseerd", municipality=utrecht)
    advisor = make_member(Role.ADVISOR, advised)
    admin = make_user(is_admin=True)
    assert sum(s.parks for s in queries.parks_per_step(advisor, today=local_today())) == 1
    assert sum(s.parks for s in queries.parks_per_step(admin, today=local_today())) == 2


def test_who_may_open_the_dashboard(db):
    park = make_park()
    today = local_today()
    assert queries.oversees(make_user(is_admin=True), today=today)
    for role in Role:
        user = make_member(role, park)
        assert queries.oversees(user, today=today) is (role in {Role.ADVISOR, Role.MUNICIPALITY}), role
    assert not queries.oversees(make_user(), today=today)


def test_stuck_parks_are_those_at_least_n_days_in_their_step_longest_first(db):
    utrecht, elders, officer = _setting()
    at_step(make_park(name="Kort", municipality=utrecht), 4, days=10)
    at_step(make_park(name="Lang", municipality=utrecht), 4, days=120)
    at_step(make_park(name="Langst", municipality=utrecht), 2, days=400)
    at_step(make_park(name="Elders", municipality=elders), 2, days=400)
    now = datetime.now(UTC) + timedelta(minutes=1)
    rows, total = queries.stuck_parks(officer, today=local_today(), now=now, days=90)
    assert total == 2
    assert [(r.park.name, r.days_in_step(now)) for r in rows] == [("Langst", 400), ("Lang", 120)]
    rows, total = queries.stuck_parks(officer, today=local_today(), now=now, days=5, limit=1)
    assert (total, [r.park.name for r in rows]) == (3, ["Langst"])


def test_plan_progress_counts_each_state_and_lists_the_most_overdue(db):
    utrecht, elders, officer = _setting()
    with_plan(make_park(name="Achter", municipality=utrecht), overdue=1, done=1)
    with_plan(make_park(name="Ver achter", municipality=utrecht), overdue=3)
    with_plan(make_park(name="Klaar", municipality=utrecht), done=2)
    with_plan(make_park(name="Op schema", municipality=utrecht), done=1, ahead=1)
    with_plan(make_park(name="Leeg plan", municipality=utrecht))
    make_park(name="Zonder plan", municipality=utrecht)
    with_plan(make_park(name="Elders", municipality=elders), overdue=5)
    progress = queries.plan_progress(officer, today=local_today())
    assert progress.states == {"overdue": 2, "on_track": 2, "done": 1, "no_plan": 1}
    assert [(r.park.name, r.overdue) for r in progress.most_overdue] == [("Ver achter", 3), ("Achter", 1)]
    states = {r.park.name: queries.plan_state(r) for r in queries.all_progress(officer, today=local_today())}
    assert states == {
        "Achter": "overdue",
        "Ver achter": "overdue",
        "Klaar": "done",
        "Op schema": "on_track",
        "Leeg plan": "on_track",
        "Zonder plan": "no_plan",
    }


def test_awards_by_expiry_take_each_parks_latest_award_and_highlight_the_next_90_days(db):
    utrecht, elders, officer = _setting()
    today = local_today()
    soon = make_park(name="Bijna", municipality=utrecht)
    with_award(soon, valid_until=today + timedelta(days=90))
    later = make_park(name="Later", municipality=utrecht)
    with_award(later, valid_until=today + timedelta(days=91), track=Track.KVO)
    gone = make_park(name="Verlopen", municipality=utrecht)
    with_award(gone, valid_until=today - timedelta(days=1))
    # after the herijking the previous cycle's award counts until the new one is granted
    renewed = make_park(name="Vernieuwd", municipality=utrecht)
    with_award(renewed, valid_until=today + timedelta(days=5), awarded_on=today - timedelta(days=725))
    closed_cycle_of(renewed)
    with_award(renewed, valid_until=today + timedelta(days=400), awarded_on=today)
    carried = make_park(name="Oud", municipality=utrecht)
    with_award(carried, valid_until=today + timedelta(days=40))
    closed_cycle_of(carried)
    with_award(make_park(name="Elders", municipality=elders), valid_until=today)
    summary = queries.awards_by_expiry(officer, today=today)
    assert (summary.expired, summary.expiring, summary.valid) == (1, 2, 2)
    assert [(r.park_name, r.days_left, r.expiring, r.expired) for r in summary.rows] == [
        ("Verlopen", -1, False, True),
        ("Oud", 40, True, False),
        ("Bijna", 90, True, False),
        ("Later", 91, False, False),
        ("Vernieuwd", 400, False, False),
    ]
    assert summary.rows[3].track == Track.KVO
    assert len(queries.awards_by_expiry(officer, today=today, limit=2).rows) == 2


def test_camera_networks_with_problems(db):
    utrecht, elders, officer = _setting()
    today = local_today()
    fine = with_network(make_park(name="In orde", municipality=utrecht), today=today)
    with_camera(fine)
    with_camera(fine, status=CameraStatus.REMOVED)
    with_check(fine, done_on=today - timedelta(days=100), majors=2)  # an older check's findings do not count
    with_check(fine, done_on=today - timedelta(days=3), minors=1)
    offline = with_network(make_park(name="Offline", municipality=utrecht), today=today)
    with_camera(offline, status=CameraStatus.DEFECT)
    with_camera(offline, open_outage=True)
    with_camera(offline)
    findings = with_network(make_park(name="Afwijkingen", municipality=utrecht), today=today)
    with_check(findings, done_on=today - timedelta(days=3), majors=2)
    with_check(findings, done_on=None, majors=0)  # planned, not done
    with_network(make_park(name="Kader", municipality=utrecht), today=today, legal_complete=False)
    with_network(make_park(name="Elders", municipality=elders), today=today, legal_complete=False)
    summary = queries.camera_problems(officer, today=today)
    assert (summary.networks, summary.with_problems, summary.offline) == (4, 3, 2)
    assert (summary.with_major_findings, summary.with_legal_gaps) == (1, 1)
    rows = {r.park_name: r for r in summary.rows}
    assert set(rows) == {"Offline", "Afwijkingen", "Kader"}
    assert (rows["Offline"].offline, rows["Offline"].major_findings) == (2, 0)
    assert (rows["Afwijkingen"].major_findings, rows["Afwijkingen"].last_check_on) == (2, today - timedelta(days=3))
    assert "DPIA" in rows["Kader"].legal_gaps and "Convenant met de gemeente" in rows["Kader"].legal_gaps
    assert summary.rows[0].park_name == "Kader"  # five legal gaps: the most problems first


def test_running_surveys_count_invitations_only_lowest_rate_first(db):
    utrecht, elders, officer = _setting()
    with_survey(make_park(name="Goed", municipality=utrecht), used=3, invited=1, revoked=4)
    with_survey(make_park(name="Matig", municipality=utrecht), used=1, opened=2, invited=1)
    with_survey(make_park(name="Dicht", municipality=utrecht), used=1, status=SurveyStatus.CLOSED)
    with_survey(make_park(name="Leeg", municipality=utrecht))
    with_survey(make_park(name="Elders", municipality=elders), used=9)
    summary = queries.running_surveys(officer, today=local_today())
    assert [(r.park_name, r.invited, r.completed, r.rate) for r in summary.rows] == [
        ("Leeg", 0, 0, 0.0),
        ("Matig", 4, 1, 25.0),
        ("Goed", 4, 3, 75.0),
    ]
    assert (summary.running, summary.invited, summary.completed, summary.rate) == (3, 8, 4, 50.0)
    assert summary.rows[1].rate_text == "25,0"


def test_attention_counts_what_each_section_counts_for_the_officers_parks(db):
    utrecht, elders, officer = _setting()
    today = local_today()
    at_step(make_park(name="Stil", municipality=utrecht), 3, days=120)
    at_step(make_park(name="Elders stil", municipality=elders), 3, days=120)
    with_plan(make_park(name="Achter", municipality=utrecht), overdue=2)
    with_award(make_park(name="Bijna", municipality=utrecht), valid_until=today + timedelta(days=30))
    with_award(make_park(name="Verlopen", municipality=utrecht), valid_until=today - timedelta(days=3))
    with_award(make_park(name="Geldig", municipality=utrecht), valid_until=today + timedelta(days=300))
    with_camera(with_network(make_park(name="Camera's", municipality=utrecht), today=today), status=CameraStatus.DEFECT)
    with_camera(with_network(make_park(name="In orde", municipality=utrecht), today=today))

    attention = queries.attention(officer, today=today, now=datetime.now(UTC) + timedelta(minutes=1))

    # the elsewhere park is not the officer's; a valid award and a network in order need nothing
    counts = (attention.stuck, attention.overdue_plans, attention.awards_ending, attention.camera_problems)
    assert counts == (1, 1, 2, 1)
    assert attention.total == 5 and attention.stuck_days == queries.DEFAULT_STUCK_DAYS
