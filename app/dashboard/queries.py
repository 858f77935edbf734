"""Read-side queries for the city dashboard: per section the figures of the parks a user oversees (the
`dashboard.view` roles; admins: every park), each in a fixed number of statements however many parks there are.

Sections: parks per step, parks longer than N days in their step, plan progress, awards by expiry, camera networks
with problems and the surveys running now. The lists on the page are cut at `limit` rows; `limit=None` gives every
row (the XLSX export)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select

from app.auth.models import User
from app.auth.policy import PERMISSIONS, can_anywhere
from app.awards.models import Award
from app.cameras import legal
from app.cameras.models import (
    Camera,
    CameraNetwork,
    CameraOutage,
    CameraStatus,
    CheckScore,
    QualityCheck,
    Score,
    TechnologyChange,
)
from app.cameras.overview import PROBLEMS
from app.extensions import db
from app.parks.models import Cycle, CycleStatus, Park, Track
from app.parks.queries import OverviewFilter, ParkRow, city_overview, visible_scope, within
from app.parks.steps import STEP_NAMES
from app.plans import tracking
from app.stakeholders.models import Organisation
from app.surveys.models import InvitationStatus, Survey, SurveyInvitation, SurveyStatus
from app.surveys.results import min_group, number, percent_of

ACTION = "dashboard.view"
#: parks longer than this many days in their step are "stuck" unless the user asks for another number
DEFAULT_STUCK_DAYS = 90
#: the largest N a user may ask for (a hundred years)
MAX_STUCK_DAYS = 36_500
#: an award or certificate that ends within this many days is highlighted
EXPIRY_WARNING_DAYS = 90
#: rows per list on the page; the export has them all
LIST_LIMIT = 10
#: what "every row" means for the export: more parks than the country has
MAX_ROWS = 1_000_000


def oversees(user: User, *, today: date) -> bool:
    """Whether the user may open the dashboard: an admin, or a current role that `dashboard.view` allows."""
    return can_anywhere(user, [ACTION], today=today)


def _visible(user: User, *, today: date):
    """The parks the user oversees (`visible_scope`; None for an admin: every park)."""
    return visible_scope(user, today=today, roles=PERMISSIONS[ACTION])


# Parks per step ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepCount:
    step: int
    name: str
    parks: int
    #: the bar's length: percent of the step with the most parks (0-100)
    percent: int


def parks_per_step(user: User, *, today: date) -> list[StepCount]:
    """Per step 1-8 the number of visible parks whose active cycle is in it (steps without parks too). One
    statement."""
    visible = _visible(user, today=today)
    query = (
        within(select(Cycle.current_step, func.count()), Cycle.park_id, visible)
        .where(Cycle.status == CycleStatus.ACTIVE)
        .group_by(Cycle.current_step)
    )
    counts = dict(db.session.execute(query).all())
    largest = max(counts.values(), default=0)
    return [
        StepCount(step, str(name), counts.get(step, 0), round(100 * counts.get(step, 0) / largest) if largest else 0)
        for step, name in STEP_NAMES.items()
    ]


# Parks stuck in their step -----------------------------------------------------------------------------------------


def stuck_since(now: datetime, days: int) -> datetime:
    """The moment a park must have entered its step by to be in it for at least `days` days at `now`."""
    return now - timedelta(days=days)


def stuck_parks(
    user: User, *, today: date, now: datetime, days: int, limit: int | None = LIST_LIMIT
) -> tuple[list[ParkRow], int]:
    """The visible parks whose active cycle has been in its step for at least `days` days at `now`, longest first
    (at most `limit`; None: all), and how many there are: the city overview's query with that filter (two
    statements)."""
    filters = OverviewFilter(started_before=stuck_since(now, days), sort="days", descending=True)
    per_page = limit if limit is not None else MAX_ROWS
    return city_overview(user, today=today, filters=filters, page=1, per_page=per_page)


# Plan progress -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanProgress:
    #: parks per state, in the order of `tracking.PLAN_STATES`
    states: dict[str, int]
    #: the parks with the most overdue actions, most first
    most_overdue: list[tracking.ProgressRow]


def plan_progress(user: User, *, today: date, limit: int = LIST_LIMIT) -> PlanProgress:
    """The plan state of the visible parks (overdue, on track, done, no plan yet) and the `limit` parks with the
    most overdue actions: the plans' tracking queries (two statements)."""
    return PlanProgress(
        tracking.progress_summary(user, today=today), tracking.most_overdue(user, today=today, limit=limit)
    )


def all_progress(user: User, *, today: date) -> list[tracking.ProgressRow]:
    """Every visible park's plan progress, by name (for the export; one statement)."""
    return tracking.park_progress(user, today=today, filters=tracking.TrackingFilter(), page=None)[0]


def plan_state(row: tracking.ProgressRow) -> str:
    """The row's state as `tracking.progress_summary` counts it."""
    if not row.has_plan:
        return "no_plan"
    if row.overdue:
        return "overdue"
    return "done" if row.total and row.done == row.total else "on_track"


# Awards and certificates by expiry -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AwardRow:
    park_id: int
    park_name: str
    municipality: str
    track: Track
    awarded_on: date
    valid_until: date
    days_left: int

    @property
    def expired(self) -> bool:
        return self.days_left < 0

    @property
    def expiring(self) -> bool:
        """Ends within EXPIRY_WARNING_DAYS (and has not ended yet)."""
        return 0 <= self.days_left <= EXPIRY_WARNING_DAYS


@dataclass(frozen=True)
class AwardSummary:
    expired: int
    expiring: int
    valid: int
    rows: list[AwardRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.expired + self.expiring + self.valid


def _latest_awards(visible):
    """Per visible park its most recent granted award with an end date, of whichever cycle (after the herijking the
    previous cycle's award stays valid until the new one is granted: `awards.services.latest_granted`)."""
    ranked = select(
        Cycle.park_id.label("park_id"),
        Award.awarded_on.label("awarded_on"),
        Award.valid_until.label("valid_until"),
        func.row_number()
        .over(partition_by=Cycle.park_id, order_by=(Award.awarded_on.desc(), Award.id.desc()))
        .label("rank"),
    ).join(Cycle, Cycle.id == Award.cycle_id)
    ranked = within(ranked, Cycle.park_id, visible).where(Award.awarded_on.is_not(None)).subquery()
    return (
        select(ranked.c.park_id, ranked.c.awarded_on, ranked.c.valid_until)
        .where(ranked.c.rank == 1, ranked.c.valid_until.is_not(None))
        .subquery()
    )


def awards_by_expiry(user: User, *, today: date, limit: int | None = LIST_LIMIT) -> AwardSummary:
    """The visible parks' current awards (PVO waardering, two years) and certificates (KVO-B, three years; the
    validity was set from the park's track when granted) by end date, soonest first: how many have ended, end
    within EXPIRY_WARNING_DAYS or run longer, and the first `limit` rows (None: all). Two statements."""
    latest = _latest_awards(_visible(user, today=today))
    warn_until = today + timedelta(days=EXPIRY_WARNING_DAYS)
    counts = db.session.execute(
        select(
            func.count().filter(latest.c.valid_until < today),
            func.count().filter(and_(latest.c.valid_until >= today, latest.c.valid_until <= warn_until)),
            func.count().filter(latest.c.valid_until > warn_until),
        )
    ).one()
    query = (
        select(Park.id, Park.name, Organisation.name, Park.track, latest.c.awarded_on, latest.c.valid_until)
        .join(latest, latest.c.park_id == Park.id)
        .join(Organisation, Organisation.id == Park.municipality_id)
        .order_by(latest.c.valid_until, Park.name, Park.id)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = [
        AwardRow(park_id, name, municipality, track, awarded_on, until, (until - today).days)
        for park_id, name, municipality, track, awarded_on, until in db.session.execute(query)
    ]
    return AwardSummary(*(int(n) for n in counts), rows=rows)


# Camera networks with problems -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkRow:
    park_id: int
    park_name: str
    municipality: str
    network: str
    #: cameras (not removed) marked defect or with an outage that has not ended
    offline: int
    #: major findings in the network's last done quality check
    major_findings: int
    last_check_on: date | None
    #: legal-frame items overdue or missing (`cameras.overview.PROBLEMS`), with their labels
    legal_gaps: list[str]

    @property
    def problems(self) -> int:
        return self.offline + self.major_findings + len(self.legal_gaps)


@dataclass(frozen=True)
class CameraSummary:
    networks: int
    with_problems: int
    offline: int
    with_major_findings: int
    with_legal_gaps: int
    #: the networks with problems, most problems first
    rows: list[NetworkRow]


def _offline_counts(network_ids) -> dict[int, int]:
    open_outage = select(CameraOutage.id).where(CameraOutage.camera_id == Camera.id, CameraOutage.ended_at.is_(None))
    query = (
        select(Camera.network_id, func.count())
        .where(
            Camera.network_id.in_(network_ids),
            Camera.status != CameraStatus.REMOVED,
            or_(Camera.status == CameraStatus.DEFECT, open_outage.exists()),
        )
        .group_by(Camera.network_id)
    )
    return dict(db.session.execute(query).all())


def _last_checks(network_ids) -> dict[int, tuple[date, int]]:
    """Network id -> (day of its last done check, major findings in it)."""
    ranked = (
        select(
            QualityCheck.id.label("id"),
            QualityCheck.network_id.label("network_id"),
            QualityCheck.done_on.label("done_on"),
            func.row_number()
            .over(partition_by=QualityCheck.network_id, order_by=(QualityCheck.done_on.desc(), QualityCheck.id.desc()))
            .label("rank"),
        )
        .where(QualityCheck.network_id.in_(network_ids), QualityCheck.done_on.is_not(None))
        .subquery()
    )
    query = (
        select(ranked.c.network_id, ranked.c.done_on, func.count(CheckScore.id))
        .outerjoin(CheckScore, and_(CheckScore.check_id == ranked.c.id, CheckScore.score == Score.MAJOR))
        .where(ranked.c.rank == 1)
        .group_by(ranked.c.network_id, ranked.c.done_on)
    )
    return {network_id: (done_on, int(major)) for network_id, done_on, major in db.session.execute(query)}


@dataclass
class _Frame:
    """A network's legal-frame columns with its technology changes: what `legal.assess` reads of a network, without
    loading thousands of networks as objects."""

    id: int
    park_id: int
    park_name: str
    municipality: str
    name: str
    convenant_signed_on: date | None
    register_entered_on: date | None
    signage_checked_on: date | None
    dpia_on: date | None
    retention_days: int
    masking_confirmed_on: date | None
    technology_changes: list[TechnologyChange] = field(default_factory=list)


def _network_ids(visible):
    return within(select(CameraNetwork.id), CameraNetwork.park_id, visible).scalar_subquery()


def _frames(visible) -> list[_Frame]:
    """The networks of the visible parks with their technology changes: two statements however many."""
    query = (
        select(
            CameraNetwork.id,
            CameraNetwork.park_id,
            Park.name,
            Organisation.name,
            CameraNetwork.name,
            CameraNetwork.convenant_signed_on,
            CameraNetwork.register_entered_on,
            CameraNetwork.signage_checked_on,
            CameraNetwork.dpia_on,
            CameraNetwork.retention_days,
            CameraNetwork.masking_confirmed_on,
        )
        .join(Park, Park.id == CameraNetwork.park_id)
        .join(Organisation, Organisation.id == Park.municipality_id)
    )
    frames = {row[0]: _Frame(*row) for row in db.session.execute(within(query, Park.id, visible))}
    if frames:
        ids = _network_ids(visible)
        for change in db.session.scalars(select(TechnologyChange).where(TechnologyChange.network_id.in_(ids))):
            frames[change.network_id].technology_changes.append(change)
    return list(frames.values())


def camera_problems(user: User, *, today: date, limit: int | None = LIST_LIMIT) -> CameraSummary:
    """The camera networks of the parks the user oversees with a problem: cameras offline (defect, or an outage
    not yet ended), major findings in the last done quality check, or legal-frame items overdue or missing
    (`legal.assess`, as the camera overview counts them); most problems first, at most `limit` (None: all).
    Five statements however many networks."""
    visible = _visible(user, today=today)
    frames = _frames(visible)
    ids = _network_ids(visible)
    offline = _offline_counts(ids) if frames else {}
    checks = _last_checks(ids) if frames else {}
    labels = legal.item_labels()  # once: translating them per network cost more than all the queries
    rows = []
    for frame in frames:
        last_check_on, major = checks.get(frame.id, (None, 0))
        row = NetworkRow(
            park_id=frame.park_id,
            park_name=frame.park_name,
            municipality=frame.municipality,
            network=frame.name,
            offline=offline.get(frame.id, 0),
            major_findings=major,
            last_check_on=last_check_on,
            legal_gaps=[labels[item.key] for item in legal.assess(frame, today) if item.status in PROBLEMS],
        )
        if row.problems:
            rows.append(row)
    rows.sort(key=lambda row: (-row.problems, row.park_name.lower(), row.park_id))
    return CameraSummary(
        networks=len(frames),
        with_problems=len(rows),
        offline=sum(row.offline for row in rows),
        with_major_findings=sum(1 for row in rows if row.major_findings),
        with_legal_gaps=sum(1 for row in rows if row.legal_gaps),
        rows=rows if limit is None else rows[:limit],
    )


# Surveys running now -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyRow:
    park_id: int
    park_name: str
    municipality: str
    survey: str
    opens_on: date | None
    closes_on: date | None
    invited: int
    completed: int

    @property
    def rate(self) -> float:
        """Completed invitations in percent of the invitations (revoked ones left out), as the response page's
        total (`surveys.response_rate`)."""
        return percent_of(self.completed, self.invited)

    @property
    def rate_text(self) -> str:
        return number(self.rate)


@dataclass(frozen=True)
class SurveySummary:
    running: int
    invited: int
    completed: int
    #: the running surveys, lowest response rate first
    rows: list[SurveyRow]
    #: the smallest group of respondents whose answers may be shown (no breakdown below it)
    k: int

    @property
    def rate(self) -> float:
        return percent_of(self.completed, self.invited)

    @property
    def rate_text(self) -> str:
        return number(self.rate)


def _invitations(condition):
    """The survey's personal invitations that meet `condition`, counted per survey row through its index on the
    survey: with thousands of open surveys far cheaper than grouping the invitations of all of them first."""
    return (
        select(func.count())
        .where(SurveyInvitation.survey_id == Survey.id, condition)
        .correlate(Survey)
        .scalar_subquery()
    )


def running_surveys(user: User, *, today: date, limit: int | None = LIST_LIMIT) -> SurveySummary:
    """The open surveys of the parks the user oversees with their response rate: counts of personal invitations
    only (revoked ones left out; how many were used), never which company answered and no breakdown, so the
    k-anonymity of the survey's results is kept; lowest rate first, the first `limit` rows (None: all). One
    statement."""
    query = (
        select(
            Park.id,
            Park.name,
            Organisation.name,
            Survey.title,
            Survey.opens_on,
            Survey.closes_on,
            _invitations(SurveyInvitation.status != InvitationStatus.REVOKED),
            _invitations(SurveyInvitation.status == InvitationStatus.USED),
        )
        .select_from(Survey)
        .join(Park, Park.id == Survey.park_id)
        .join(Organisation, Organisation.id == Park.municipality_id)
        .where(Survey.status == SurveyStatus.OPEN)
    )
    visible = _visible(user, today=today)
    rows = [SurveyRow(*values) for values in db.session.execute(within(query, Park.id, visible))]
    rows.sort(key=lambda row: (row.rate, row.park_name.lower(), row.park_id))
    return SurveySummary(
        running=len(rows),
        invited=sum(row.invited for row in rows),
        completed=sum(row.completed for row in rows),
        rows=rows if limit is None else rows[:limit],
        k=min_group(),
    )


# The whole page --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    steps: list[StepCount]
    stuck_days: int
    stuck: list[ParkRow]
    stuck_total: int
    plans: PlanProgress
    awards: AwardSummary
    cameras: CameraSummary
    surveys: SurveySummary


def dashboard(user: User, *, today: date, now: datetime, stuck_days: int) -> Dashboard:
    """Every section of the dashboard for the user, each list cut at LIST_LIMIT rows. A fixed number of statements
    (about fifteen) however many parks the user oversees."""
    stuck, stuck_total = stuck_parks(user, today=today, now=now, days=stuck_days)
    return Dashboard(
        steps=parks_per_step(user, today=today),
        stuck_days=stuck_days,
        stuck=stuck,
        stuck_total=stuck_total,
        plans=plan_progress(user, today=today),
        awards=awards_by_expiry(user, today=today),
        cameras=camera_problems(user, today=today),
        surveys=running_surveys(user, today=today),
    )


@dataclass(frozen=True)
class Attention:
    """The dashboard's headline numbers, each the count behind one of its sections."""

    stuck_days: int
    stuck: int
    overdue_plans: int
    awards_ending: int
    camera_problems: int

    @property
    def total(self) -> int:
        return self.stuck + self.overdue_plans + self.awards_ending + self.camera_problems


def attention(user: User, *, today: date, now: datetime) -> Attention:
    """What needs attention in the parks the user oversees, as counts for the home page of a municipality officer:
    parks in their step for DEFAULT_STUCK_DAYS or more, plans with overdue actions, awards ended or ending within
    EXPIRY_WARNING_DAYS, camera networks with a problem. A fixed number of statements (the dashboard's)."""
    _rows, stuck = stuck_parks(user, today=today, now=now, days=DEFAULT_STUCK_DAYS, limit=0)
    awards = awards_by_expiry(user, today=today, limit=0)
    return Attention(
        stuck_days=DEFAULT_STUCK_DAYS,
        stuck=stuck,
        overdue_plans=tracking.progress_summary(user, today=today).get("overdue", 0),
        awards_ending=awards.expired + awards.expiring,
        camera_problems=camera_problems(user, today=today, limit=0).with_problems,
    )
