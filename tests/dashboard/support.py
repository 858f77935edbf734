"""Hand-built data for the dashboard tests: parks with a step, a plan, an award, a camera network and a survey,
written directly (no actor, no checks)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from app.auth.models import Role
from app.awards.models import Award
from app.cameras.models import (
    Camera,
    CameraNetwork,
    CameraOutage,
    CameraStatus,
    CameraType,
    CheckScore,
    QualityCheck,
    Score,
)
from app.clock import local_today
from app.extensions import db
from app.parks.models import CycleStatus, Track
from app.parks.services import active_cycle
from app.plans.models import ActionStatus
from app.surveys.definition import load_default
from app.surveys.models import InvitationStatus, Survey, SurveyStatus
from tests.factories import make_invitation, make_membership, make_park, make_user
from tests.plans.test_tracking import make_action, plan_a_year_back

_seq = itertools.count(1)


def officer_of(*municipalities):
    officer = make_user(name="Gerrit Gemeente")
    for municipality in municipalities:
        make_membership(officer, Role.MUNICIPALITY, municipality=municipality)
    return officer


def at_step(park, step: int, *, days: int):
    """Put the park's active cycle in `step`, entered `days` days ago."""
    cycle = active_cycle(park)
    cycle.current_step = step
    cycle.step_started_at = datetime.now(UTC) - timedelta(days=days)
    db.session.flush()
    return park


def with_plan(park, *, overdue: int = 0, done: int = 0, ahead: int = 0):
    """A plan a year old with `overdue` open actions of its first quarter, `done` done ones and `ahead` planned
    for a later quarter."""
    plan = plan_a_year_back(park, local_today())
    for _ in range(overdue):
        make_action(plan, "Te laat", quarter=1)
    for _ in range(done):
        make_action(plan, "Gereed", quarter=2, status=ActionStatus.DONE)
    for _ in range(ahead):
        make_action(plan, "Later", quarter=7)
    return plan


def with_award(park, *, valid_until: date, awarded_on: date | None = None, cycle=None, track=Track.PVO) -> Award:
    park.track = track
    award = Award(
        cycle=cycle or active_cycle(park),
        awarded_on=awarded_on or valid_until - timedelta(days=730),
        valid_until=valid_until,
    )
    db.session.add(award)
    db.session.flush()
    return award


def with_network(park, *, today: date, legal_complete: bool = True, name: str | None = None) -> CameraNetwork:
    """A network whose legal frame is complete and current on `today`, or (legal_complete False) has no dates."""
    dates = {}
    if legal_complete:
        recent = today - timedelta(days=30)
        dates = {
            "convenant_signed_on": recent,
            "register_entered_on": recent,
            "signage_checked_on": recent,
            "dpia_on": recent,
            "masking_confirmed_on": recent,
        }
    network = CameraNetwork(park=park, name=name or f"Camerasysteem {park.name}", retention_days=28, **dates)
    db.session.add(network)
    db.session.flush()
    return network


def with_camera(network, *, status=CameraStatus.ACTIVE, open_outage: bool = False) -> Camera:
    camera = Camera(
        network=network, code=f"C{next(_seq):03d}", type=CameraType.FIXED, lat=52.1, lon=5.07, status=status
    )
    db.session.add(camera)
    db.session.flush()
    if open_outage:
        db.session.add(CameraOutage(camera=camera, started_at=datetime.now(UTC) - timedelta(hours=5)))
        db.session.flush()
    return camera


def with_check(network, *, done_on: date | None, majors: int = 0, minors: int = 0) -> QualityCheck:
    check = QualityCheck(network=network, due_on=done_on or date.today(), done_on=done_on, criteria=[])
    db.session.add(check)
    db.session.flush()
    scores = [Score.MAJOR] * majors + [Score.MINOR] * minors + [Score.OK]
    for number, score in enumerate(scores):
        db.session.add(CheckScore(check=check, criterion=f"c{number}", score=score))
    db.session.flush()
    return check


def with_survey(park, *, used: int = 0, opened: int = 0, invited: int = 0, revoked: int = 0, status=SurveyStatus.OPEN):
    survey = Survey(
        park=park,
        cycle=active_cycle(park),
        title=f"Enquête {park.name}",
        definition=load_default(),
        status=status,
        opens_on=date.today() - timedelta(days=7),
        closes_on=date.today() + timedelta(days=21),
    )
    db.session.add(survey)
    db.session.flush()
    for count, invitation_status in (
        (used, InvitationStatus.USED),
        (opened, InvitationStatus.OPENED),
        (invited, InvitationStatus.INVITED),
        (revoked, InvitationStatus.REVOKED),
    ):
        for _ in range(count):
            make_invitation(survey, status=invitation_status)
    return survey


def closed_cycle_of(park):
    """Close the active cycle (the herijking, written directly) and open the next one; the closed cycle."""
    from app.parks.services import start_cycle

    old = active_cycle(park)
    old.status = CycleStatus.CLOSED
    db.session.flush()
    start_cycle(park, number=old.number + 1, today=date.today(), now=datetime.now(UTC))
    db.session.flush()
    return old


def city(municipality, n: int, *, today: date, prefix: str = "Park"):
    """`n` parks of the municipality with something in every section."""
    parks = []
    for i in range(n):
        park = make_park(name=f"{prefix} {i:03d}", municipality=municipality)
        at_step(park, 3 + i % 6, days=10 + i * 7)
        with_plan(park, overdue=i % 3, done=1, ahead=1)
        with_award(park, valid_until=today + timedelta(days=30 + 20 * i))
        network = with_network(park, today=today, legal_complete=i % 2 == 0)
        with_camera(network, status=CameraStatus.DEFECT if i % 2 else CameraStatus.ACTIVE)
        with_check(network, done_on=today - timedelta(days=5), majors=i % 2)
        with_survey(park, used=2, invited=3)
        parks.append(park)
    return parks
