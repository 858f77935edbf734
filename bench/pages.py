"""Benchmark: the pages every user opens first, at national scale.

Builds a database with every business park in the Netherlands (~3,800 parks in 342 municipalities), a
municipality officer with a municipality-wide role on the largest municipality and an advisor on 60 parks,
then times the home page, the park list and a park page through the WSGI app (no network).

    .venv/bin/python bench/pages.py [--database-url URL] [--requests 200]

With a PostgreSQL URL it builds in a schema of its own and drops it when done; `public` is never touched.

Goal: p95 under 150 ms for each page on SQLite on a 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _schema import own_schema

from app import create_app
from app.auth.models import Membership, Role, User
from app.clock import local_today
from app.extensions import db
from app.parks.models import Park
from app.parks.services import start_cycle
from app.stakeholders.models import Organisation, OrganisationType

MUNICIPALITIES = 342
PARKS = 3_800


def build() -> tuple[User, User, Park]:
    db.drop_all()
    db.create_all()
    municipalities = [Organisation(name=f"Gemeente {i}", type=OrganisationType.GEMEENTE) for i in range(MUNICIPALITIES)]
    db.session.add_all(municipalities)
    db.session.flush()
    parks = [
        Park(name=f"Bedrijventerrein {i}", municipality_id=municipalities[i % 40 if i < 400 else i % MUNICIPALITIES].id)
        for i in range(PARKS)
    ]
    db.session.add_all(parks)
    for park in parks:  # every park has its active cycle from its creation; the park page needs it
        start_cycle(park, number=1, today=local_today(), now=datetime.now(UTC))
    officer = User(email="gemeente@bench.nl", name="Gemeente", password_hash=None)
    advisor = User(email="adviseur@bench.nl", name="Adviseur", password_hash=None)
    db.session.add_all([officer, advisor])
    db.session.flush()
    db.session.add(Membership(user=officer, role=Role.MUNICIPALITY, municipality_id=municipalities[0].id))
    db.session.add_all(Membership(user=advisor, role=Role.ADVISOR, park=park) for park in parks[:60])
    db.session.commit()
    return officer, advisor, parks[0]


def timed(client, path: str, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="sqlite:////tmp/vb-bench.sqlite")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with own_schema(args.database_url, "bench_pages") as (url, _):
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
        with app.app_context():
            officer, advisor, park = build()
            users = {"gemeente": officer.session_key, "adviseur": advisor.session_key}
            park_id = park.id
        print(f"{PARKS} parks, {MUNICIPALITIES} municipalities, {args.requests} requests per page")
        print(f"{'who':10} {'page':14} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        for who, key in users.items():
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = key
            for path in ("/", "/parken/", f"/parken/{park_id}"):
                samples = sorted(timed(client, path, args.requests))
                q = statistics.quantiles(samples, n=100)
                print(f"{who:10} {path:14} {statistics.median(samples):8.1f} {q[94]:8.1f} {q[98]:8.1f}")


if __name__ == "__main__":
    main()
