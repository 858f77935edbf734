"""Demo plan: the adopted action plan of one park, with its progress, and its calendar."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.auth.services import find_user_by_email
from app.clock import local_today, working_day_from
from app.demo import DEMO_DOMAIN
from app.extensions import db
from app.inventory.models import Finding, FindingCategory, Inspection
from app.parks.models import Park
from app.plans import catalogue, quarters, versions
from app.plans.models import (
    ActionNote,
    ActionStatus,
    CalendarItem,
    CalendarKind,
    Goal,
    Plan,
    PlanAction,
    PlanVersion,
    Theme,
)
from app.plans.services import find_plan
from app.stakeholders.models import PpsRole

#: the plan: (catalogue key or None, title for a free action, quarter, owner roles, status, note)
DEMO_ACTIONS = {
    "Cartesiusweg": [
        (
            "schoonmaakactie",
            None,
            1,
            [PpsRole.ONDERNEMERS, PpsRole.GEMEENTE],
            ActionStatus.DONE,
            "Met twintig ondernemers 14 zakken zwerfvuil opgehaald.",
        ),
        ("meldwijzer", None, 1, [PpsRole.GEMEENTE], ActionStatus.DONE, "Meldwijzer huis-aan-huis verspreid."),
        (
            "verlichting-verbeteren",
            None,
            1,
            [PpsRole.GEMEENTE],
            ActionStatus.DELAYED,
            "Levering van de armaturen is vertraagd tot volgend kwartaal.",
        ),
        (
            None,
            "WhatsApp-groep voor het melden van verdachte situaties",
            1,
            [PpsRole.ONDERNEMERS],
            ActionStatus.STARTED,
            "Groep aangemaakt; 12 van de 40 bedrijven doen mee.",
        ),
        ("alertavond", None, 2, [PpsRole.POLITIE], ActionStatus.STARTED, "Zaal geregeld, uitnodiging volgt."),
        ("snoeien-zichtlijnen", None, 2, [PpsRole.GEMEENTE], ActionStatus.PLANNED, ""),
        ("cameratoezicht", None, 3, [PpsRole.ONDERNEMERS, PpsRole.GEMEENTE], ActionStatus.PLANNED, ""),
        ("brandveiligheidsschouw", None, 3, [PpsRole.BRANDWEER], ActionStatus.PLANNED, ""),
        ("parkeerbeleid-vrachtwagens", None, 4, [PpsRole.GEMEENTE], ActionStatus.PLANNED, ""),
        ("training-ondermijning", None, 5, [PpsRole.POLITIE], ActionStatus.PLANNED, ""),
        (None, "Herhaalmeting ondernemersenquête voorbereiden", 7, [PpsRole.GEMEENTE], ActionStatus.PLANNED, ""),
        (
            "integrale-controle",
            None,
            8,
            [PpsRole.GEMEENTE, PpsRole.POLITIE, PpsRole.BRANDWEER],
            ActionStatus.PLANNED,
            "",
        ),
    ],
}

#: the communication and activity calendar: (kind, title, days from today, start, end, audience, owner role)
DEMO_CALENDAR = {
    "Cartesiusweg": [
        (
            CalendarKind.SURVEY,
            "Uitslag enquête in de nieuwsbrief",
            -80,
            None,
            None,
            "Alle ondernemers",
            PpsRole.ONDERNEMERS,
        ),
        (
            CalendarKind.PRESS,
            "Persbericht: uitvoeringsplan vastgesteld",
            -60,
            None,
            None,
            "Pers en bewoners",
            PpsRole.GEMEENTE,
        ),
        (
            CalendarKind.CAMPAIGN,
            "Campagne 'Zie je iets? Meld het!'",
            10,
            None,
            None,
            "Ondernemers en medewerkers",
            PpsRole.POLITIE,
        ),
        (
            CalendarKind.ALERT,
            "Alertavond inbraakpreventie",
            24,
            time(19, 30),
            time(21, 30),
            "Ondernemers",
            PpsRole.POLITIE,
        ),
        (
            CalendarKind.INFO_ENTREPRENEURS,
            "Informatiebijeenkomst cameratoezicht",
            45,
            time(16, 0),
            time(17, 30),
            "Ondernemers",
            PpsRole.ONDERNEMERS,
        ),
        (
            CalendarKind.INFO_PARTNERS,
            "Overleg publieke partners over handhaving",
            70,
            time(10, 0),
            time(11, 30),
            "Gemeente, politie en brandweer",
            PpsRole.GEMEENTE,
        ),
    ],
}


#: where the demo plan was adopted: the day stands beside it ("Vastgesteld in de ... op 7 oktober 2026")
ADOPTED_AT = "werkgroepvergadering"
#: how an older demo wrote it, with the day in figures as well ("werkgroepvergadering van 7-10-2026")
EARLIER_ADOPTED_AT = re.compile(r"werkgroepvergadering van \d{1,2}-\d{1,2}-\d{4}")


def seed_demo(created: list, parks: dict[str, Park]) -> None:
    """The adopted plan (with progress and a change since) for the goals of the park at step 6, and its calendar,
    written by the demo municipality officer. A park whose cycle has a plan is left as it is."""
    today = local_today()
    municipality_officer = find_user_by_email(f"gemeente@{DEMO_DOMAIN}")
    for name in DEMO_ACTIONS:
        _seed_plan(created, parks[name], municipality_officer, today=today)


def _seed_plan(created: list, park: Park, author: User, *, today: date) -> None:
    cycle = park.cycles[-1]
    plan = find_plan(cycle)
    if plan is not None:
        for version in plan.versions:
            if EARLIER_ADOPTED_AT.fullmatch(version.meeting or ""):
                version.meeting = ADOPTED_AT
        return
    plan = Plan(cycle=cycle, starts_on=quarters.quarter_start(today - timedelta(days=120)))
    db.session.add(plan)
    by_role = {stakeholder.role: stakeholder for stakeholder in cycle.stakeholders}
    goals = {goal.theme: goal for goal in db.session.scalars(select(Goal).where(Goal.cycle_id == cycle.id))}
    measures = {measure.key: measure for measure in catalogue.shipped()}
    adopted_on = today - timedelta(days=60)
    for key, title, quarter, roles, status, note in DEMO_ACTIONS[park.name]:
        measure = measures.get(key)
        action = PlanAction(
            plan=plan,
            title=measure.title if measure else title,
            description=measure.description if measure else "",
            theme=measure.theme if measure else None,
            quarter=quarter,
            due_on=quarters.quarter(plan.starts_on, quarter).last_day,
            catalogue_key=key,
            owners=[by_role[role] for role in roles if role in by_role],
        )
        if measure and measure.theme in goals:
            action.goals = [goals[measure.theme]]
        if status != ActionStatus.PLANNED:
            action.status = status
            action.done_on = adopted_on + timedelta(days=30) if status == ActionStatus.DONE else None
            action.notes.append(
                ActionNote(
                    written_on=adopted_on + timedelta(days=30),
                    author_id=author.id,
                    author_label=author.name,
                    text=note,
                    status=status,
                )
            )
        db.session.add(action)
    db.session.flush()
    plan.versions.append(
        PlanVersion(
            number=1,
            adopted_on=adopted_on,
            adopted_by_id=author.id,
            adopted_by_label=author.name,
            meeting=ADOPTED_AT,
            snapshot=versions.snapshot(plan),
        )
    )
    # changed since the adoption: the schouw's finding about the dark passage became an action
    finding = db.session.scalar(
        select(Finding)
        .join(Inspection)
        .where(Inspection.cycle_id == cycle.id, Finding.category == FindingCategory.VERLICHTING)
        .limit(1)
    )
    if finding is not None:
        db.session.add(
            PlanAction(
                plan=plan,
                title=finding.suggested_action,
                description=finding.description,
                theme=Theme.HEEL,
                quarter=3,
                due_on=quarters.quarter(plan.starts_on, 3).last_day,
                finding=finding,
                owners=[by_role[PpsRole.GEMEENTE]] if PpsRole.GEMEENTE in by_role else [],
            )
        )
    for kind, title, days, starts_at, ends_at, audience, role in DEMO_CALENDAR[park.name]:
        db.session.add(
            CalendarItem(
                cycle=cycle,
                kind=kind,
                title=title,
                on=working_day_from(today + timedelta(days=days)),
                starts_at=starts_at,
                ends_at=ends_at,
                audience=audience,
                owner=by_role.get(role),
            )
        )
    db.session.flush()
    created.append(plan)
