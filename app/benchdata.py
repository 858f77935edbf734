"""National-scale generated data for the benchmarks (`flask --app app bench-data`): thousands of parks with
everything their pages show, written with bulk INSERTs through the real models, the same for the same seed."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from app.audit.models import AuditEvent
from app.audit.services import RESPONDENT_LABEL
from app.auth.models import Membership, Role, User
from app.awards.models import Award
from app.cameras import checks
from app.cameras.models import Camera, CameraNetwork, CameraStatus, CameraType, CheckScore, QualityCheck, Score
from app.extensions import db
from app.parks.models import Company, Cycle, CycleStatus, Park
from app.plans import quarters
from app.plans.models import ActionStatus, Direction, Goal, Plan, PlanAction, Theme, plan_action_owners
from app.stakeholders.models import Organisation, OrganisationType, PpsRole, Stakeholder
from app.surveys.definition import load_default
from app.surveys.invitations import new_link_id
from app.surveys.models import InvitationStatus, Survey, SurveyInvitation, SurveyResponse, SurveyStatus
from app.surveys.responses import ANSWERED
from app.surveys.sample import sample_answers

MUNICIPALITIES = 342
#: parks are generated and written this many at a time, so memory stays flat however many parks
CHUNK = 200
SECTORS = ("productie", "groothandel/logistiek", "bouw", "zakelijke dienstverlening", "detailhandel", "horeca")
#: the accounts the benchmarks log in with (no password: they set the session directly)
ADMIN_EMAIL = "beheer@bench.example"
OFFICER_EMAIL = "gemeente@bench.example"
ADVISOR_EMAIL = "adviseur@bench.example"
ADVISOR_PARKS = 60
#: a park's area: a square of this many degrees (about 1.1 by 0.7 km)
AREA_DEGREES = 0.01


class AlreadyHasParks(Exception):
    """The database already holds parks: generating into it would mix bench data with real data."""


@dataclass
class Summary:
    """What was written, by table."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        self.counts[table] = self.counts.get(table, 0) + n


def _insert(summary: Summary, model, rows: Sequence[dict[str, Any]]) -> list[int]:
    """One bulk INSERT (executemany in batches) of `rows`; their ids in the order given."""
    if not rows:
        return []
    summary.add(model.__tablename__, len(rows))
    # Core on the model's table: the ORM's bulk INSERT splits rows by which values are None and splices the
    # returned ids batch by batch, which takes minutes at this size
    table = model.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))


def _organisations(summary: Summary, wanted: list[tuple[str, OrganisationType]]) -> list[int]:
    """Ids of the organisations (name, type), created where missing (a forced second run reuses them)."""
    existing = {
        (name, kind): id_
        for id_, name, kind in db.session.execute(select(Organisation.id, Organisation.name, Organisation.type))
    }
    missing = [{"name": name, "type": kind} for name, kind in wanted if (name, kind) not in existing]
    keys = [(row["name"], row["type"]) for row in missing]
    created = dict(zip(keys, _insert(summary, Organisation, missing), strict=True))
    return [existing.get(key) or created[key] for key in wanted]


def _user(email: str, name: str, *, is_admin: bool = False) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, password_hash=None, is_admin=is_admin)
        db.session.add(user)
        db.session.flush()
    return user


def _square(lat: float, lon: float) -> dict[str, Any]:
    size = AREA_DEGREES
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _park_places(n: int) -> Iterator[tuple[float, float]]:
    """South-west corners on a grid over the Netherlands, one per park."""
    columns = max(1, int(n**0.5))
    for i in range(n):
        yield 50.8 + 2.6 * (i // columns) / max(1, n // columns), 3.6 + 3.4 * (i % columns) / columns


@dataclass(frozen=True)
class _Context:
    rng: random.Random
    summary: Summary
    today: date
    now: datetime
    police: int
    fire: int
    definition: dict[str, Any]


def generate(
    *,
    parks: int,
    seed: int,
    today: date,
    now: datetime,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Write `parks` generated parks, and the benchmarks' three accounts (an admin, a municipality officer of the
    largest municipality, which holds a tenth of the parks, and an advisor on 60 parks); flush, no commit.

    Each park lies in one of 342 municipalities, with an area, 10-60 companies, two cycles (the first closed
    four years ago, the second active since fifteen months), per cycle four stakeholders, a goal per theme, a
    survey with invitations and generated answers (closed in the first cycle, open by personal and public link
    in the second), a plan of 12-18 actions (in the active plan some overdue on `today`) and, past step 7, an
    award (the closed cycle's ran out, the active one's runs up to two years ahead); every other park
    has a camera network with cameras, a done quality check and a planned one. Raises AlreadyHasParks when the
    database has parks, unless `force`.
    """
    existing = db.session.scalar(select(func.count()).select_from(Park))
    if existing and not force:
        raise AlreadyHasParks(f"the database already holds {existing} parks")
    rng = random.Random(seed)  # noqa: S311 - generated bench data, not secrets
    summary = Summary()
    municipalities = _organisations(
        summary, [(f"Gemeente {i:03d}", OrganisationType.GEMEENTE) for i in range(min(MUNICIPALITIES, parks))]
    )
    police, fire = _organisations(
        summary, [("Politie Nederland", OrganisationType.POLITIE), ("Brandweer Nederland", OrganisationType.BRANDWEER)]
    )
    context = _Context(rng, summary, today, now, police, fire, load_default())
    # the first tenth of the parks lie in municipality 0 (a large city), the rest spread over the others
    large = max(1, parks // 10)
    municipality_of = [
        municipalities[0]
        if i < large or len(municipalities) == 1
        else municipalities[1 + i % (len(municipalities) - 1)]
        for i in range(parks)
    ]
    places = list(_park_places(parks))
    park_ids: list[int] = []
    for start in range(0, parks, CHUNK):
        numbers = range(existing + start, existing + min(start + CHUNK, parks))
        park_ids += _chunk(context, numbers, municipality_of[start : start + CHUNK], places[start : start + CHUNK])
        if progress:
            progress(len(park_ids))
    _accounts(summary, municipalities[0], park_ids)
    return summary


def _accounts(summary: Summary, municipality_id: int, park_ids: list[int]) -> None:
    _user(ADMIN_EMAIL, "Beheer (bench)", is_admin=True)
    officer = _user(OFFICER_EMAIL, "Gemeente (bench)")
    advisor = _user(ADVISOR_EMAIL, "Adviseur (bench)")
    step = max(1, len(park_ids) // ADVISOR_PARKS)
    rows = [{"user_id": officer.id, "role": Role.MUNICIPALITY, "municipality_id": municipality_id, "park_id": None}]
    rows += [
        {"user_id": advisor.id, "role": Role.ADVISOR, "municipality_id": None, "park_id": park_id}
        for park_id in park_ids[::step][:ADVISOR_PARKS]
    ]
    _insert(summary, Membership, rows)


def _chunk(c: _Context, numbers: range, municipality_of: list[int], places: list[tuple[float, float]]) -> list[int]:
    """Write the parks `numbers` with everything they hold; their ids."""
    half = AREA_DEGREES / 2
    areas = [_square(lat, lon) for lat, lon in places]
    park_ids = _insert(
        c.summary,
        Park,
        [
            {
                "name": f"Bedrijventerrein {number:04d}",
                "municipality_id": municipality_id,
                "area": area,
                "area_lat": lat + half,
                "area_lon": lon + half,
            }
            for number, municipality_id, area, (lat, lon) in zip(numbers, municipality_of, areas, places, strict=True)
        ],
    )
    entrepreneurs = _organisations(
        c.summary,
        [(f"Ondernemersvereniging {number:04d}", OrganisationType.ONDERNEMERSVERENIGING) for number in numbers],
    )
    companies = _companies(c, park_ids, places)
    first_start = c.today - timedelta(days=4 * 365)
    second_start = c.today - timedelta(days=455)
    for number, (status, starts_on) in enumerate(
        ((CycleStatus.CLOSED, first_start), (CycleStatus.ACTIVE, second_start)), 1
    ):
        cycles = [
            {
                "park_id": park_id,
                "number": number,
                "starts_on": starts_on,
                "ends_on": starts_on + timedelta(days=730),
                "status": status,
                "current_step": 8 if status == CycleStatus.CLOSED else c.rng.randint(3, 8),
                "step_started_at": c.now - timedelta(days=c.rng.randint(1, 200)),
            }
            for park_id in park_ids
        ]
        cycle_ids = _insert(c.summary, Cycle, cycles)
        _awards(c, cycle_ids, cycles)
        stakeholders = _stakeholders(c, cycle_ids, municipality_of, entrepreneurs)
        _goals(c, cycle_ids, deadline=starts_on + timedelta(days=730))
        # the plan is adopted a few months into the cycle; its first quarter is the next calendar quarter
        _plans(c, cycle_ids, stakeholders, starts_on=quarters.quarter_start(starts_on + timedelta(days=92)))
        _surveys(c, park_ids, cycle_ids, companies, starts_on=starts_on, open_now=status == CycleStatus.ACTIVE)
    _cameras(c, park_ids[::2], places[::2])
    return park_ids


def _awards(c: _Context, cycle_ids: list[int], cycles: list[dict[str, Any]]) -> None:
    """The award of every cycle past step 7: a closed cycle's ran out after two years; an active cycle's was granted
    within the last two years (no random numbers drawn, so the rest of the data stays as it was)."""
    rows = []
    for index, (cycle_id, cycle) in enumerate(zip(cycle_ids, cycles, strict=True)):
        if cycle["current_step"] < 8:
            continue
        if cycle["status"] == CycleStatus.CLOSED:
            awarded_on = cycle["starts_on"] + timedelta(days=600)
        else:
            awarded_on = c.today - timedelta(days=(cycle_id * 37 + index) % 700)
        rows.append({"cycle_id": cycle_id, "awarded_on": awarded_on, "valid_until": awarded_on + timedelta(days=730)})
    _insert(c.summary, Award, rows)


def _companies(c: _Context, park_ids: list[int], places: list[tuple[float, float]]) -> dict[int, list]:
    """10-60 companies per park, inside its area; per park its companies' (id, sector)."""
    rows = []
    for park_id, (lat, lon) in zip(park_ids, places, strict=True):
        postcode = f"{c.rng.randint(1000, 9999)}{c.rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{c.rng.choice('ABCDEFGHJKLMN')}"
        for number in range(1, c.rng.randint(10, 60) + 1):
            rows.append(
                {
                    "park_id": park_id,
                    "name": f"Bedrijf {park_id}-{number}",
                    "kvk_number": f"{c.rng.randrange(10**8):08d}",
                    "street": "Industrieweg",
                    "house_number": number,
                    "postcode": postcode,
                    "sector": c.rng.choice(SECTORS),
                    "email": f"info@bedrijf-{park_id}-{number}.example" if c.rng.random() < 0.7 else None,
                    "lat": lat + c.rng.uniform(0.1, 0.9) * AREA_DEGREES,
                    "lon": lon + c.rng.uniform(0.1, 0.9) * AREA_DEGREES,
                }
            )
    by_park: dict[int, list] = {park_id: [] for park_id in park_ids}
    for row, company_id in zip(rows, _insert(c.summary, Company, rows), strict=True):
        by_park[row["park_id"]].append((company_id, row["sector"]))
    return by_park


def _stakeholders(c: _Context, cycle_ids: list[int], municipality_of: list[int], entrepreneurs: list[int]):
    """The municipality, police, fire brigade and the entrepreneurs' association in every cycle; per cycle their
    ids."""
    rows = [
        {"cycle_id": cycle_id, "organisation_id": organisation_id, "role": role, "representative_name": name}
        for cycle_id, municipality_id, association_id in zip(cycle_ids, municipality_of, entrepreneurs, strict=True)
        for organisation_id, role, name in (
            (municipality_id, PpsRole.GEMEENTE, "Gebiedsmanager"),
            (c.police, PpsRole.POLITIE, "Wijkagent"),
            (c.fire, PpsRole.BRANDWEER, "Brandweer"),
            (association_id, PpsRole.ONDERNEMERS, "Voorzitter"),
        )
    ]
    ids = _insert(c.summary, Stakeholder, rows)
    return [ids[i : i + 4] for i in range(0, len(ids), 4)]


def _goals(c: _Context, cycle_ids: list[int], *, deadline: date) -> None:
    _insert(
        c.summary,
        Goal,
        [
            {
                "cycle_id": cycle_id,
                "theme": theme,
                "title": f"Doel {theme.value}",
                "indicator": "Aandeel ondernemers dat zich veilig voelt",
                "unit": "%",
                "direction": Direction.UP,
                "baseline": 40.0,
                "target": 60.0,
                "deadline": deadline,
                "latest_value": None if c.rng.random() < 0.3 else round(c.rng.uniform(30, 80), 1),
            }
            for cycle_id in cycle_ids
            for theme in Theme
        ],
    )


def _action_status(c: _Context, due_on: date) -> ActionStatus:
    """Past quarters: mostly done, a quarter still open (overdue); coming quarters: planned or started."""
    if due_on < c.today:
        return c.rng.choices(list(ActionStatus), weights=(10, 8, 70, 7, 5))[0]
    return c.rng.choices((ActionStatus.PLANNED, ActionStatus.STARTED, ActionStatus.DONE), weights=(70, 25, 5))[0]


def _plans(c: _Context, cycle_ids: list[int], stakeholders: list[list[int]], *, starts_on: date) -> None:
    plan_ids = _insert(c.summary, Plan, [{"cycle_id": cycle_id, "starts_on": starts_on} for cycle_id in cycle_ids])
    rows, owners = [], []
    for plan_id, park_stakeholders in zip(plan_ids, stakeholders, strict=True):
        for number in range(c.rng.randint(12, 18)):
            quarter = quarters.quarter(starts_on, 1 + number % quarters.QUARTERS)
            status = _action_status(c, quarter.last_day)
            rows.append(
                {
                    "plan_id": plan_id,
                    "title": f"Actie {number + 1}",
                    "theme": c.rng.choice(list(Theme)),
                    "quarter": quarter.number,
                    "due_on": quarter.last_day,
                    "status": status,
                    "done_on": min(quarter.last_day, c.today) if status == ActionStatus.DONE else None,
                    "drop_reason": "Niet meer nodig." if status == ActionStatus.DROPPED else "",
                }
            )
            # an integral action now and then: owned by two stakeholders
            owners.append(c.rng.sample(park_stakeholders, 2 if c.rng.random() < 0.2 else 1))
    action_ids = _insert(c.summary, PlanAction, rows)
    owner_rows = [
        {"action_id": action_id, "stakeholder_id": stakeholder_id}
        for action_id, action_owners in zip(action_ids, owners, strict=True)
        for stakeholder_id in action_owners
    ]
    c.summary.add(plan_action_owners.name, len(owner_rows))
    db.session.execute(insert(plan_action_owners), owner_rows)


def _token(c: _Context, *parts: int) -> str:
    # unique by the ids it names; the random tail keeps links from being guessed from the ids alone
    return "b" + "x".join(str(part) for part in parts) + f"x{c.rng.getrandbits(64):016x}"


def _surveys(
    c: _Context,
    park_ids: list[int],
    cycle_ids: list[int],
    companies: dict[int, list],
    *,
    starts_on: date,
    open_now: bool,
) -> None:
    """A survey per cycle with a personal invitation per company and the answers of those who used theirs: the
    first cycle's closed with its report ready, the active cycle's open, with a public link as well."""
    opens_on = c.today - timedelta(days=14) if open_now else starts_on + timedelta(days=60)
    frozen = datetime.combine(opens_on + timedelta(days=1), time(9), tzinfo=UTC)
    survey_ids = _insert(
        c.summary,
        Survey,
        [
            {
                "park_id": park_id,
                "cycle_id": cycle_id,
                "title": "Ondernemersenquête" if open_now else "Nulmeting",
                "definition": c.definition,
                "status": SurveyStatus.OPEN if open_now else SurveyStatus.CLOSED,
                "opens_on": opens_on,
                "closes_on": c.today + timedelta(days=30) if open_now else opens_on + timedelta(days=30),
                "frozen_at": frozen,
                "public_token": _token(c, park_id, cycle_id) if open_now else None,
                "conclusions": "" if open_now else "Inbraak en zwerfvuil vragen om een gezamenlijke aanpak.",
                "report_ready_at": None if open_now else frozen + timedelta(days=40),
            }
            for park_id, cycle_id in zip(park_ids, cycle_ids, strict=True)
        ],
    )
    invitations, responses, answers_recorded = [], [], []
    used_share = 0.3 if open_now else 0.5
    for survey_id, park_id in zip(survey_ids, park_ids, strict=True):
        for company_id, sector in companies[park_id]:
            used = c.rng.random() < used_share
            status = InvitationStatus.USED if used else InvitationStatus.INVITED
            invitations.append(
                {
                    "survey_id": survey_id,
                    "company_id": company_id,
                    # random, not from the seed: a forced second run must not make the same ones
                    "link_id": new_link_id(),
                    "status": status,
                    "sector": sector,
                    "emailed_at": frozen - timedelta(hours=20),
                }
            )
        answered = sum(1 for row in invitations[-len(companies[park_id]) :] if row["status"] == InvitationStatus.USED)
        public = c.rng.randint(0, 3)
        responses += [
            {"survey_id": survey_id, "answers": sample_answers(c.definition, c.rng), "via_public_link": n >= answered}
            for n in range(answered + public)
        ]
        answers_recorded += [
            {
                "created_at": frozen + timedelta(days=c.rng.randint(0, 12), minutes=c.rng.randint(0, 600)),
                "actor_label": RESPONDENT_LABEL,
                "action": ANSWERED,
                "subject_type": Survey.__tablename__,
                "subject_id": str(survey_id),
                "park_id": park_id,
                "details": {},
            }
            for _n in range(answered + public)
        ]
    _insert(c.summary, SurveyInvitation, invitations)
    _insert(c.summary, SurveyResponse, responses)
    _insert(c.summary, AuditEvent, answers_recorded)


def _cameras(c: _Context, park_ids: list[int], places: list[tuple[float, float]]) -> None:
    """A camera network with 3-8 cameras (now and then a number-plate camera or a defect one) on the parks given,
    each with last quarter's quality check done and the next one planned."""
    network_ids = _insert(
        c.summary,
        CameraNetwork,
        [
            {
                "park_id": park_id,
                "name": f"Cameranetwerk {park_id}",
                "owner_name": "Stichting Parkmanagement",
                "monitoring_party": "Meldkamer Nederland",
                "purpose": "Beveiliging van de bedrijven en hun eigendommen op het terrein, buiten werktijd.",
                "retention_days": 28,
                "convenant_signed_on": c.today - timedelta(days=c.rng.randint(100, 900)),
                "register_entered_on": c.today - timedelta(days=c.rng.randint(100, 900)),
                "signage_checked_on": c.today - timedelta(days=c.rng.randint(10, 400)),
                "dpia_on": c.today - timedelta(days=c.rng.randint(100, 1200)),
            }
            for park_id in park_ids
        ],
    )
    cameras, anpr = [], set()
    for network_id, (lat, lon) in zip(network_ids, places, strict=True):
        for number in range(1, c.rng.randint(3, 8) + 1):
            kind = c.rng.choices(list(CameraType), weights=(80, 10, 10))[0]
            if kind == CameraType.ANPR:
                anpr.add(network_id)
            cameras.append(
                {
                    "network_id": network_id,
                    "code": f"C-{number:02d}",
                    "type": kind,
                    "lat": lat + c.rng.uniform(0, AREA_DEGREES),
                    "lon": lon + c.rng.uniform(0, AREA_DEGREES),
                    "direction": c.rng.randrange(360),
                    "status": CameraStatus.DEFECT if c.rng.random() < 0.05 else CameraStatus.ACTIVE,
                    "installed_on": c.today - timedelta(days=c.rng.randint(200, 1500)),
                }
            )
    _insert(c.summary, Camera, cameras)
    _checks(c, network_ids, anpr)


def _checks(c: _Context, network_ids: list[int], anpr: set[int]) -> None:
    # the check template as the app builds it, for a network with and without a number-plate camera
    templates = {
        False: checks.template_for(None),
        True: checks.template_for(CameraNetwork(cameras=[Camera(type=CameraType.ANPR, status=CameraStatus.ACTIVE)])),
    }
    done_on = c.today - timedelta(days=c.rng.randint(20, 80))
    rows = []
    for network_id in network_ids:
        criteria = templates[network_id in anpr]
        rows.append({"network_id": network_id, "due_on": done_on, "done_on": done_on, "criteria": criteria})
        planned_on = checks.add_months(done_on, 3)
        rows.append({"network_id": network_id, "due_on": planned_on, "done_on": None, "criteria": criteria})
    check_ids = _insert(c.summary, QualityCheck, rows)
    scores = [
        {
            "check_id": check_id,
            "criterion": criterion["key"],
            "score": c.rng.choices((Score.OK, Score.MINOR, Score.MAJOR), weights=(90, 8, 2))[0],
        }
        for check_id, row in zip(check_ids, rows, strict=True)
        if row["done_on"]
        for criterion in row["criteria"]
    ]
    _insert(c.summary, CheckScore, scores)
