"""Demo surveys: a running survey and a closed one with its report, with generated answers."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

from sqlalchemy import select

from app import audit
from app.audit.services import RESPONDENT_LABEL
from app.clock import local_today
from app.extensions import db
from app.reports.wording import place_name
from app.surveys.conditions import ConditionPlan
from app.surveys.definition import DEFAULT_PATH, load_default, validate_definition
from app.surveys.invitations import new_invitation, new_token
from app.surveys.models import InvitationStatus, Survey, SurveyContact, SurveyResponse, SurveyStatus
from app.surveys.responses import ANSWERED
from app.surveys.sample import sample_answers
from app.surveys.services import DEFAULT_LETTER

EXTRA_PAGE = DEFAULT_PATH.with_name("demo_extra.json")

#: per park: the survey of the active cycle. Opened and closed relative to today; of the invited companies (in
#: register order) how many answered and how many only opened the link; extra answers through the public link
DEMO_SURVEYS = {
    "Lage Weide": {
        "title": "Veiligheidsenquête Lage Weide",
        "status": SurveyStatus.OPEN,
        "opened_days_ago": 9,
        "open_days": 28,
        "answered": 3,
        "opened": 1,
        "public": 0,
        "public_link": True,
        "contacts": [("Kees van Hal", "kees@vanhal.example", True, "Ik denk graag mee over camera's.")],
        "extra_page": False,
        "conclusions": "",
    },
    "Cartesiusweg": {
        "title": "Veiligheidsenquête Cartesiusweg",
        "status": SurveyStatus.CLOSED,
        "opened_days_ago": 120,
        "open_days": 28,
        "answered": 2,
        "opened": 0,
        "public": 14,
        "public_link": True,
        "contacts": [],
        # the questionnaire has a page with other kinds of questions: a ranking, a tagbox, a slider, a dynamic panel
        "extra_page": True,
        "conclusions": (
            "Bijna de helft van de bedrijven was het afgelopen jaar slachtoffer, vooral van inbraak en diefstal "
            "van het terrein. Na donker voelen ondernemers zich duidelijk minder veilig dan overdag.\n\n"
            "Zwerfvuil en foutparkeren zijn de grootste ergernissen. De werkgroep kiest daarom doelen op "
            "verlichting, cameratoezicht bij de toegangswegen en een vaste schoonmaakronde."
        ),
    },
}


def seed_demo(created: list, parks: dict, *, now: datetime) -> None:
    """A running survey on the park at the inventory step and a closed one, with its report, on a park past it.
    The answers are generated (the same every time); a park whose cycle has a survey is left as it is."""
    today = local_today()
    for name, plan in DEMO_SURVEYS.items():
        park = parks[name]
        cycle = park.cycles[-1]
        if db.session.scalar(select(Survey.id).where(Survey.cycle_id == cycle.id)) is not None:
            continue
        definition = load_default()
        if plan["extra_page"]:
            definition = validate_definition({"pages": [*definition["pages"], json.loads(EXTRA_PAGE.read_text())]})
        conditions = ConditionPlan(definition)
        rng = random.Random(f"demo-{name}")  # noqa: S311 - generated answers, not secrets
        opens_on = today - timedelta(days=plan["opened_days_ago"])
        opened_at = now - timedelta(days=plan["opened_days_ago"])
        closed = plan["status"] == SurveyStatus.CLOSED
        survey = Survey(
            park=park,
            cycle=cycle,
            title=plan["title"],
            definition=definition,
            status=plan["status"],
            opens_on=opens_on,
            closes_on=opens_on + timedelta(days=plan["open_days"]),
            frozen_at=opened_at + timedelta(days=1),
            public_token=new_token() if plan["public_link"] else None,
            letter_text=DEFAULT_LETTER,
            letter_signatory=f"De burgemeester van {place_name(park.municipality.name)}",
            conclusions=plan["conclusions"],
            report_ready_at=opened_at + timedelta(days=plan["open_days"] + 10) if closed else None,
        )
        answered, opened = plan["answered"], plan["opened"]
        for number, company in enumerate(park.companies):
            status = InvitationStatus.INVITED
            if number < answered:
                status = InvitationStatus.USED
            elif number < answered + opened:
                status = InvitationStatus.OPENED
            survey.invitations.append(
                new_invitation(
                    company=company,
                    sector=company.sector,
                    status=status,
                    emailed_at=opened_at if company.email else None,
                    last_reminded_at=now - timedelta(days=2) if status == InvitationStatus.OPENED else None,
                )
            )
        db.session.add(survey)
        db.session.flush()
        for number in range(answered + plan["public"]):
            db.session.add(
                SurveyResponse(
                    survey_id=survey.id,
                    answers=sample_answers(definition, rng, conditions),
                    via_public_link=number >= answered,
                )
            )
            # the audit log's record of each answer, spread over the first days, for the response over time
            answered_at = opened_at + timedelta(days=1 + number % 5, hours=rng.randint(8, 17))
            audit.record_anonymous(ANSWERED, survey, park_id=park.id, actor_label=RESPONDENT_LABEL, now=answered_at)
        for contact_name, email, working_group, remark in plan["contacts"]:
            db.session.add(
                SurveyContact(
                    survey_id=survey.id,
                    name=contact_name,
                    email=email,
                    wants_working_group=working_group,
                    remark=remark,
                )
            )
        created.append(survey)
