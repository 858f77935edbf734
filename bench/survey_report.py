"""Benchmark: the survey report PDF for a large survey.

Builds a fresh database of its own (migrated) with one park whose current survey (the default questionnaire) has
2,000 generated responses and 2,400 invitations, and whose previous cycle's survey has 1,500 (so the comparison
is part of the work), then times the aggregation, the response rate and the whole report PDF.

    .venv/bin/python bench/survey_report.py [--responses 2000] [--repeat 3] [--database-url URL]

Target: every report PDF under 2 s. Exits 1 when missed; the figures go to
bench/results/survey_report[-postgresql].json.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime

from _common import (
    add_database_options,
    database_url,
    flask,
    fresh_database,
    make_app,
    report,
    result_name,
    summary,
    timed,
)

from app.extensions import db
from app.parks.models import CycleStatus, Park
from app.parks.services import start_cycle
from app.stakeholders.models import Organisation, OrganisationType
from app.surveys.definition import load_default
from app.surveys.models import InvitationStatus, Survey, SurveyInvitation, SurveyResponse, SurveyStatus
from app.surveys.report import report_pdf
from app.surveys.response_rate import response_rate
from app.surveys.results import aggregate
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


TARGET_MS = 2_000


def build(n: int) -> int:
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
        SurveyResponse(survey_id=earlier.id, answers=sample_answers(definition, rng)) for _ in range(n * 3 // 4)
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
                link_id=f"bench-{number}",
                sector=rng.choice(SECTORS),
                status=InvitationStatus.USED if used else InvitationStatus.INVITED,
            )
        )
    db.session.add_all(SurveyResponse(survey_id=survey.id, answers=sample_answers(definition, rng)) for _ in range(n))
    db.session.commit()
    return survey.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    add_database_options(parser)
    args = parser.parse_args()
    url = database_url(args.database_url, "survey_report")
    fresh_database(url)
    flask(url, "db", "upgrade")
    app = make_app(url)
    with app.app_context():
        start = time.perf_counter()
        survey_id = build(args.responses)
        print(
            f"built {args.responses} responses (and {args.responses * 3 // 4} in the previous cycle) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        with app.test_request_context():
            survey = db.session.get(Survey, survey_id)
            steps = {
                "aggregate (with comparison)": lambda: aggregate(survey, include_text=True),
                "response rate": lambda: response_rate(survey),
                "report PDF": lambda: report_pdf(survey),
            }
            figures = {label: summary(timed(function, args.repeat)) for label, function in steps.items()}
            size = len(report_pdf(survey))
        db.engine.dispose()
    print(f"{'step':30} {'p50 ms':>9} {'max ms':>9}")
    for label, row in figures.items():
        print(f"{label:30} {row['p50_ms']:9.0f} {row['max_ms']:9.0f}")
    print(f"report PDF: {size / 1024:.0f} kB")
    slowest = figures["report PDF"]["max_ms"]
    report(
        result_name("survey_report", url),
        {"responses": args.responses, "repeat": args.repeat, "steps": figures},
        [f"report PDF took {slowest:.0f} ms (target < {TARGET_MS} ms)"] if slowest >= TARGET_MS else [],
    )


if __name__ == "__main__":
    main()
