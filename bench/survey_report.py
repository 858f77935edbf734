"""Benchmark: the survey report PDF for a large survey.

Builds a database with one park whose current survey (the default questionnaire) has 2,000 generated responses
and 2,400 invitations, and whose previous cycle's survey has 1,500 (so the comparison is part of the work), then
times the aggregation, the response rate and the whole report PDF.

    .venv/bin/python bench/survey_report.py [--database-url URL] [--responses 2000] [--repeat 3]

With a PostgreSQL URL it builds in a schema of its own and drops it when done; `public` is never touched. Not a
test: it prints the timings and stops.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _schema import own_schema

from app import create_app
from app.extensions import db
from app.parks.models import CycleStatus, Park
from app.parks.services import start_cycle
from app.stakeholders.models import Organisation, OrganisationType
from app.surveys.definition import load_default
from app.surveys.models import InvitationStatus, Survey, SurveyInvitation, SurveyResponse, SurveyStatus
from app.surveys.report import report_pdf
from app.surveys.results import aggregate, response_rate
from app.surveys.sample import sample_answers

SECTORS = [
    "productie",
    "groothandel_logistiek",
    "bouw",
    "zakelijke_dienstverlening",
    "detailhandel",
    "horeca",
    "overig",
]


def build(n: int) -> int:
    db.drop_all()
    db.create_all()
    rng = random.Random(2026)  # noqa: S311 - generated answers, not secrets
    now = datetime.now(UTC)
    municipality = Organisation(name="Gemeente Bench", type=OrganisationType.GEMEENTE)
    park = Park(name="Bedrijventerrein Bench", municipality=municipality)
    db.session.add(park)
    first = start_cycle(park, number=1, today=date(2024, 1, 1), now=now)
    definition = load_default()
    earlier = Survey(
        park=park,
        cycle=first,
        title="Nulmeting",
        definition=definition,
        status=SurveyStatus.CLOSED,
        opens_on=date(2024, 3, 1),
        closes_on=date(2024, 3, 31),
    )
    db.session.add(earlier)
    db.session.flush()
    db.session.add_all(
        SurveyResponse(survey_id=earlier.id, answers=sample_answers(definition, rng), submitted_on=date(2024, 3, 10))
        for _ in range(n * 3 // 4)
    )
    first.status = CycleStatus.CLOSED
    db.session.flush()
    second = start_cycle(park, number=2, today=date(2026, 1, 1), now=now)
    survey = Survey(
        park=park,
        cycle=second,
        title="Herhaalmeting",
        definition=definition,
        status=SurveyStatus.CLOSED,
        opens_on=date(2026, 2, 1),
        closes_on=date(2026, 2, 28),
        conclusions="Inbraak en zwerfvuil vragen om een gezamenlijke aanpak.\n\nDe werkgroep kiest de doelen.",
    )
    db.session.add(survey)
    db.session.flush()
    for number in range(n * 6 // 5):
        used = number < n
        survey.invitations.append(
            SurveyInvitation(
                token=f"bench-{number}",
                sector=rng.choice(SECTORS),
                status=InvitationStatus.USED if used else InvitationStatus.INVITED,
                used_at=datetime(2026, 2, 1, 9, tzinfo=UTC) + timedelta(hours=rng.randint(0, 27 * 24))
                if used
                else None,
            )
        )
    db.session.add_all(
        SurveyResponse(survey_id=survey.id, answers=sample_answers(definition, rng), submitted_on=date(2026, 2, 10))
        for _ in range(n)
    )
    db.session.commit()
    return survey.id


def timed(function, repeat: int) -> tuple[list[float], Any]:
    samples, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples, value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="sqlite:////tmp/vb-bench-survey-report.sqlite")
    parser.add_argument("--responses", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with own_schema(args.database_url, "bench_survey_report") as (url, _):
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            start = time.perf_counter()
            survey_id = build(args.responses)
            print(
                f"built {args.responses} responses (and {args.responses * 3 // 4} in the previous cycle) "
                f"in {time.perf_counter() - start:.1f} s"
            )
            with app.test_request_context():
                survey = db.session.get(Survey, survey_id)
                rows = [
                    ("aggregate (with comparison)", lambda: aggregate(survey, include_text=True)),
                    ("response rate", lambda: response_rate(survey)),
                    ("report PDF", lambda: report_pdf(survey)),
                ]
                print(f"{'step':30} {'min ms':>9} {'median ms':>10}")
                for label, function in rows:
                    samples, value = timed(function, args.repeat)
                    print(f"{label:30} {min(samples):9.0f} {statistics.median(samples):10.0f}")
                print(f"report PDF: {len(value) / 1024:.0f} kB")


if __name__ == "__main__":
    main()
