"""Benchmark: the survey report PDF for a large survey.

Builds a database with one park whose current survey (the default questionnaire) has 2,000 generated responses
and 2,400 invitations, and whose previous cycle's survey has 1,500 (so the comparison is part of the work), then
times the aggregation, the response rate and the whole report PDF.

    .venv/bin/python bench/survey_report.py [--database-url URL] [--responses 2000] [--repeat 3]

Not a test: it prints the timings and stops.
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

from app import create_app
from app.extensions import db
from app.parks.models import CycleStatus, Park
from app.parks.services import start_cycle
from app.stakeholders.models import Organisation, OrganisationType
from app.surveys.definition import load_default, questions
from app.surveys.models import InvitationStatus, Survey, SurveyInvitation, SurveyResponse, SurveyStatus
from app.surveys.report import report_pdf
from app.surveys.results import aggregate, response_rate

SECTORS = [
    "productie",
    "groothandel_logistiek",
    "bouw",
    "zakelijke_dienstverlening",
    "detailhandel",
    "horeca",
    "overig",
]


def answers(definition: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One plausible respondent: most questions answered, a few skipped, some free text."""
    result: dict[str, Any] = {}
    for question in questions(definition):
        name, kind = question["name"], question["type"]
        if rng.random() < 0.08:
            continue
        if kind in ("radiogroup", "dropdown"):
            result[name] = rng.choice(question["choices"])["value"]
        elif kind == "checkbox":
            picked = [c["value"] for c in question["choices"] if rng.random() < 0.3]
            if picked:
                result[name] = picked
        elif kind == "rating":
            result[name] = rng.randint(question.get("rateMin", 1), question.get("rateMax", 5))
        elif kind == "boolean":
            result[name] = rng.random() < 0.5
        elif kind == "matrix":
            columns = [c["value"] for c in question["columns"]]
            weights = [6] + [1] * (len(columns) - 1)  # most answer "no" / "no nuisance"
            result[name] = {r["value"]: rng.choices(columns, weights)[0] for r in question["rows"]}
        elif kind in ("comment", "text") and rng.random() < 0.2:
            result[name] = rng.choice(["Slechte verlichting bij de ingang.", "Vaak vrachtwagens op de stoep."])
    return result


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
        SurveyResponse(survey_id=earlier.id, answers=answers(definition, rng), submitted_on=date(2024, 3, 10))
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
        SurveyResponse(survey_id=survey.id, answers=answers(definition, rng), submitted_on=date(2026, 2, 10))
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
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url})
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
