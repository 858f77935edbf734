"""Benchmark: the city-wide tracking of the plans at national scale, on PostgreSQL.

Builds, on a PostgreSQL schema of its own, 4,000 parks in 342 municipalities, each with its active cycle, three
stakeholders, four goals and a plan of ~15 actions (about a third of them overdue), and three users: an admin (every
park), a municipality officer (the largest municipality, 400 parks) and an advisor (60 parks). Then it times, per
user, the statements behind the tracking pages (progress per park, sorted by name and by overdue actions; the
overdue actions across parks), the whole pages through the WSGI app (no network), and the two CSV exports, and
counts the statements each page costs. It drops its schema when done; the `public` schema is never touched.

    .venv/bin/python bench/plans_tracking.py [--database-url URL] [--parks 4000] [--repeat 5]

The database URL comes from --database-url, else BENCH_DATABASE_URL, else
postgresql+psycopg://root@127.0.0.1:5432/test. Not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _schema import POSTGRES_URL, own_schema

MUNICIPALITIES = 342
ACTIONS_PER_PLAN = 15
TODAY = date(2027, 5, 10)  # quarters 1-5 of a plan from 2026-01-01 have passed


def _insert(model, rows: list[dict[str, Any]]) -> None:
    """A bulk INSERT (executemany) in batches: the ORM would take minutes for this many rows."""
    from sqlalchemy import insert

    from app.extensions import db

    for start in range(0, len(rows), 5_000):
        db.session.execute(insert(model.__table__), rows[start : start + 5_000])


def _ids(model) -> list[int]:
    from sqlalchemy import select

    from app.extensions import db

    return list(db.session.scalars(select(model.__table__.c.id).order_by(model.__table__.c.id)))


def build(n_parks: int) -> dict[str, str]:
    """The tables and the data; returns the users' session keys by label."""
    from sqlalchemy import text

    from app.auth.models import Membership, Role, User
    from app.extensions import db
    from app.parks.models import Cycle, CycleStatus, Park
    from app.plans import quarters
    from app.plans.models import (
        ActionStatus,
        Direction,
        Goal,
        Plan,
        PlanAction,
        Theme,
        plan_action_owners,
    )
    from app.stakeholders.models import Organisation, OrganisationType, PpsRole, Stakeholder

    rng = random.Random(2027)  # noqa: S311 - generated data, not secrets
    now = datetime.now(UTC)
    db.create_all()
    _insert(
        Organisation,
        [{"name": f"Gemeente {i:03d}", "type": OrganisationType.GEMEENTE} for i in range(MUNICIPALITIES)]
        + [
            {"name": "Politie", "type": OrganisationType.POLITIE},
            {"name": "Brandweer", "type": OrganisationType.BRANDWEER},
        ],
    )
    organisations = _ids(Organisation)
    municipalities, police, fire = organisations[:MUNICIPALITIES], organisations[-2], organisations[-1]
    # the first 400 parks lie in municipality 0 (a large city), the rest spread over the others
    park_municipality = [
        municipalities[0] if i < 400 else municipalities[1 + i % (MUNICIPALITIES - 1)] for i in range(n_parks)
    ]
    _insert(
        Park, [{"name": f"Bedrijventerrein {i:04d}", "municipality_id": park_municipality[i]} for i in range(n_parks)]
    )
    parks = _ids(Park)
    _insert(
        Cycle,
        [
            {
                "park_id": park_id,
                "number": 1,
                "starts_on": date(2025, 10, 1),
                "ends_on": date(2027, 9, 30),
                "status": CycleStatus.ACTIVE,
                "current_step": rng.randint(1, 8),
                "step_started_at": now,
            }
            for park_id in parks
        ],
    )
    cycles = _ids(Cycle)
    _insert(
        Stakeholder,
        [
            {"cycle_id": cycle_id, "organisation_id": organisation_id, "role": role}
            for cycle_id, municipality_id in zip(cycles, park_municipality, strict=True)
            for organisation_id, role in (
                (municipality_id, PpsRole.GEMEENTE),
                (police, PpsRole.POLITIE),
                (fire, PpsRole.BRANDWEER),
            )
        ],
    )
    stakeholders = _ids(Stakeholder)
    _insert(
        Goal,
        [
            {
                "cycle_id": cycle_id,
                "theme": theme,
                "title": f"Doel {theme.value}",
                "indicator": "Aandeel",
                "direction": rng.choice(list(Direction)),
                "target": 50.0,
                "deadline": date(2027, 9, 30),
                "latest_value": None if rng.random() < 0.3 else rng.uniform(20, 80),
            }
            for cycle_id in cycles
            for theme in Theme
        ],
    )
    starts_on = date(2026, 1, 1)
    _insert(Plan, [{"cycle_id": cycle_id, "starts_on": starts_on} for cycle_id in cycles])
    plans = _ids(Plan)
    statuses = list(ActionStatus)
    _insert(
        PlanAction,
        [
            {
                "plan_id": plan_id,
                "title": f"Actie {number}",
                "quarter": (quarter := 1 + number % 8),
                "due_on": quarters.quarter(starts_on, quarter).last_day,
                "status": rng.choice(statuses),
            }
            for plan_id in plans
            for number in range(ACTIONS_PER_PLAN + rng.randint(-3, 3))
        ],
    )
    # owners: one or two of the park's three stakeholders; actions and plans were inserted in the same order
    from sqlalchemy import select

    action_plans = db.session.execute(select(PlanAction.id, PlanAction.plan_id).order_by(PlanAction.id)).all()
    owners = []
    for action_id, plan_id in action_plans:
        park_stakeholders = stakeholders[3 * (plan_id - plans[0]) : 3 * (plan_id - plans[0]) + 3]
        for stakeholder_id in rng.sample(park_stakeholders, rng.randint(1, 2)):
            owners.append({"action_id": action_id, "stakeholder_id": stakeholder_id})
    for start in range(0, len(owners), 5_000):
        db.session.execute(plan_action_owners.insert(), owners[start : start + 5_000])
    users = {
        "admin (all parks)": User(email="beheer@bench.nl", name="Beheer", is_admin=True, password_hash=None),
        "officer (400 parks)": User(email="gemeente@bench.nl", name="Gemeente", password_hash=None),
        "advisor (60 parks)": User(email="adviseur@bench.nl", name="Adviseur", password_hash=None),
    }
    db.session.add_all(users.values())
    db.session.flush()
    db.session.add(
        Membership(user=users["officer (400 parks)"], role=Role.MUNICIPALITY, municipality_id=municipalities[0])
    )
    db.session.add_all(
        Membership(user=users["advisor (60 parks)"], role=Role.ADVISOR, park_id=park_id) for park_id in parks[::67][:60]
    )
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    print(f"built {n_parks} parks, {len(action_plans)} actions, {len(owners)} action owners")
    return {label: user.session_key for label, user in users.items()}


@contextmanager
def counting():
    from sqlalchemy import event

    from app.extensions import db

    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return min(samples), statistics.median(samples)


def _measure(label: str, what: str, function: Callable[[], Any], repeat: int) -> None:
    function()  # warm up: the user's memberships, the template cache
    with counting() as statements:
        function()
    fastest, median = timed(function, repeat)
    print(f"{label:22} {what:46} {fastest:8.0f} {median:10.0f} {len(statements):11}")


def _queries(user, tracking) -> list[tuple[str, Callable[[], Any]]]:
    by_name = tracking.TrackingFilter()
    by_overdue = tracking.TrackingFilter(sort="overdue", descending=True)
    return [
        ("progress, page 1 by name", lambda: tracking.park_progress(user, today=TODAY, filters=by_name, page=1)),
        (
            "progress, page 1 by overdue actions",
            lambda: tracking.park_progress(user, today=TODAY, filters=by_overdue, page=1),
        ),
        ("overdue actions, page 1", lambda: tracking.overdue_actions(user, today=TODAY, page=1)),
        (
            "progress CSV (every park)",
            lambda: tracking.progress_csv(tracking.park_progress(user, today=TODAY, filters=by_name, page=None)[0]),
        ),
        (
            "overdue CSV (every overdue action)",
            lambda: tracking.overdue_csv(tracking.overdue_actions(user, today=TODAY, page=None)[0]),
        ),
    ]


def _page(client, path: str) -> Callable[[], None]:
    def get() -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    return get


def run(app, sessions: dict[str, str], repeat: int) -> None:
    from app.auth.models import User
    from app.extensions import db
    from app.plans import tracking

    print(f"{'user':22} {'what':46} {'min ms':>8} {'median ms':>10} {'statements':>11}")
    for label, session_key in sessions.items():
        with app.app_context():
            user = db.session.scalar(db.select(User).where(User.session_key == session_key))
            for what, function in _queries(user, tracking):
                _measure(label, what, function, repeat)
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_key
            session["_fresh"] = True
        # the pages take today's date from the clock, not TODAY
        for path in ("/voortgang/", "/voortgang/?sort=overdue&richting=af&page=3", "/voortgang/achterstallig"):
            with app.app_context():
                _measure(label, f"page {path}", _page(client, path), repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", POSTGRES_URL))
    parser.add_argument("--parks", type=int, default=4_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        parser.error("this benchmark needs PostgreSQL")
    if args.parks < 400:
        parser.error("at least 400 parks (the officer's municipality holds the first 400)")
    with own_schema(args.database_url, "bench_tracking") as (url, schema):
        from app import create_app
        from app.extensions import db

        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            start = time.perf_counter()
            sessions = build(args.parks)
            print(f"in {time.perf_counter() - start:.1f} s, PostgreSQL schema {schema}; today taken as {TODAY}")
        run(app, sessions, args.repeat)
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
