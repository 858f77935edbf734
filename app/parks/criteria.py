"""The exit criteria of the steps (design §2), one function each; step 5 gets its criterion with the meetings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.parks.models import Cycle
from app.parks.steps import Check, criterion

# Step 1: Afbakening gebied


@criterion(1, _l("Het gebied is op de kaart ingetekend"), fix="area.edit")
def area_drawn(cycle: Cycle) -> bool:
    return cycle.park.area is not None


@criterion(1, _l("Het bedrijvenregister bevat de bedrijven op het park"), fix="companies.index")
def register_filled(cycle: Cycle) -> Check:
    count = len(cycle.park.companies)
    return Check(count > 0, ngettext("%(num)s bedrijf", "%(num)s bedrijven", count))


@criterion(1, _l("Elk bedrijf ligt binnen het gebied of is bewust geaccepteerd"), fix="companies.index")
def companies_inside(cycle: Cycle) -> Check:
    from app.parks.companies import companies_outside

    outside = companies_outside(cycle.park)
    detail = ngettext(
        "%(num)s bedrijf ligt buiten het gebied", "%(num)s bedrijven liggen buiten het gebied", len(outside)
    )
    return Check(not outside, detail if outside else "")


# Step 2: Samenstelling deelnemers


@criterion(
    2,
    _l("Gemeente, politie, brandweer en ondernemers doen mee, elk met een vertegenwoordiger"),
    fix="stakeholders.index",
)
def core_partners(cycle: Cycle) -> Check:
    from app.stakeholders.services import missing_core_roles

    missing = missing_core_roles(cycle)
    return Check(not missing, ", ".join(role.label for role in missing))


@criterion(2, _l("De werkgroep heeft een voorzitter en een secretaris uit de ondernemers"), fix="stakeholders.index")
def chair_and_secretary(cycle: Cycle) -> bool:
    return cycle.chair_id is not None and cycle.secretary_id is not None


@criterion(2, _l("Er is een kick-off gehouden (met verslag)"), fix="meetings.index")
def kickoff_held(cycle: Cycle) -> Check:
    from app.meetings.models import MeetingKind
    from app.meetings.services import kind_held

    return Check(*kind_held(cycle, MeetingKind.KICKOFF))


# Step 3: Inventarisatie


@criterion(3, _l("De ondernemersenquête is gesloten en het rapport is klaar"), fix="survey_results.index")
def survey_report_ready(cycle: Cycle) -> Check:
    from flask_babel import gettext as _
    from sqlalchemy import select

    from app.extensions import db
    from app.surveys.models import Survey, SurveyStatus

    surveys = db.session.execute(
        select(Survey.status, Survey.report_ready_at).where(Survey.cycle_id == cycle.id).order_by(Survey.id)
    ).all()
    if any(status == SurveyStatus.CLOSED and ready is not None for status, ready in surveys):
        return Check(True)
    if not surveys:
        return Check(False, _("er is nog geen enquête"))
    if surveys[-1].status != SurveyStatus.CLOSED:
        return Check(False, _("de enquête is nog niet gesloten"))
    return Check(False, _("het rapport is nog niet klaar gemeld"))


@criterion(3, _l("De politie heeft haar cijfers voor het park aangeleverd"), fix="figures.index")
def police_figures(cycle: Cycle) -> Check:
    from flask_babel import gettext as _
    from sqlalchemy import select

    from app.extensions import db
    from app.inventory.models import Figure, FigureSource

    sources = set(db.session.scalars(select(Figure.source).where(Figure.park_id == cycle.park_id).distinct()))
    if FigureSource.POLITIE in sources:
        return Check(True, ", ".join(source.label for source in FigureSource if source in sources))
    return Check(False, _("nog geen cijfers van de politie"))


@criterion(3, _l("Elke deelnemer heeft zijn top-3 voor de gebiedsscan ingevuld"), fix="scan.index")
def scan_complete(cycle: Cycle) -> Check:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.inventory.models import ScanEntry
    from app.stakeholders.models import PpsRole

    # the process adviser guides the scan and brings no picture of the area of its own
    scanning = [s for s in cycle.stakeholders if s.role != PpsRole.ADVIES]
    filled = dict(
        db.session.execute(
            select(ScanEntry.stakeholder_id, func.count())
            .where(ScanEntry.stakeholder_id.in_([s.id for s in scanning]))
            .group_by(ScanEntry.stakeholder_id)
        ).all()
    )
    missing = [s.organisation.name for s in scanning if filled.get(s.id, 0) < 3]
    return Check(bool(scanning) and not missing, ", ".join(missing))


# Step 4: Doelstelling


@criterion(4, _l("Elk thema heeft een doel met indicator, nulmeting en streefwaarde"), fix="goals.index")
def goal_per_theme(cycle: Cycle) -> Check:
    from sqlalchemy import select

    from app.extensions import db
    from app.plans.models import Goal, Theme

    covered = set(
        db.session.scalars(
            select(Goal.theme).where(Goal.cycle_id == cycle.id, Goal.baseline.is_not(None), Goal.indicator != "")
        )
    )
    return Check(not set(Theme) - covered, ", ".join(theme.label for theme in Theme if theme not in covered))


# Step 5: Deelnemers betrekken


@criterion(5, _l("De resultaten zijn gepresenteerd in een vergadering (met verslag)"), fix="meetings.index")
def results_presented(cycle: Cycle) -> Check:
    from app.meetings.models import MeetingKind
    from app.meetings.services import kind_held

    return Check(*kind_held(cycle, MeetingKind.RESULTS))


# Step 6: Uitvoeringsplan


@criterion(6, _l("Het plan heeft acties, elk met een eigenaar en een kwartaal"), fix="plans.index")
def actions_owned(cycle: Cycle) -> Check:
    from flask_babel import gettext as _

    from app.plans.models import ActionStatus
    from app.plans.services import find_plan

    plan = find_plan(cycle)
    actions = [a for a in plan.actions if a.status != ActionStatus.DROPPED] if plan else []
    if not actions:
        return Check(False, _("er zijn nog geen acties"))
    orphans = sum(1 for action in actions if not action.owners)
    if orphans:
        return Check(False, ngettext("%(num)s actie zonder eigenaar", "%(num)s acties zonder eigenaar", orphans))
    return Check(True, ngettext("%(num)s actie", "%(num)s acties", len(actions)))


@criterion(
    6,
    _l("De rollen zijn verdeeld: voorzitter, secretaris en per deelnemer een contactpersoon"),
    fix="stakeholders.index",
)
def roles_divided(cycle: Cycle) -> Check:
    without = [
        s.organisation.name for s in cycle.stakeholders if not (s.representative_user_id or s.representative_name)
    ]
    return Check(cycle.chair_id is not None and cycle.secretary_id is not None and not without, ", ".join(without))


@criterion(6, _l("De communicatie- en activiteitenkalender is gevuld"), fix="calendar.index")
def calendar_set(cycle: Cycle) -> Check:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.plans.models import CalendarItem

    count = db.session.scalar(select(func.count()).where(CalendarItem.cycle_id == cycle.id))
    return Check(count > 0, ngettext("%(num)s activiteit", "%(num)s activiteiten", count))


@criterion(6, _l("Het plan is vastgesteld in een vergadering"), fix="plans.index")
def plan_adopted(cycle: Cycle) -> Check:
    from app.plans.services import find_plan

    plan = find_plan(cycle)
    version = plan.adopted_version if plan else None
    return Check(version is not None, version.meeting if version else "")


# Step 7: Waardering


@criterion(7, _l("Elke deelnemer heeft getekend"), fix="awards.index")
def everyone_signed(cycle: Cycle) -> Check:
    from flask_babel import gettext as _

    from app.awards.services import find_award, unsigned

    award = find_award(cycle)
    if award is None or award.requested_at is None:
        return Check(False, _("de handtekeningen zijn nog niet gevraagd"))
    missing = unsigned(award)
    if missing:
        return Check(False, _("nog niet getekend: %(names)s", names=", ".join(s.organisation.name for s in missing)))
    return Check(bool(cycle.stakeholders))


@criterion(7, _l("De datum van de uitreiking staat vast"), fix="awards.index")
def ceremony_date_set(cycle: Cycle) -> Check:
    from flask_babel import format_date

    from app.awards.services import find_award

    award = find_award(cycle)
    on = award.ceremony_on if award is not None else None
    return Check(on is not None, format_date(on, "long") if on else "")
