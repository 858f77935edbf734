"""The exit criteria of the steps (design §2). Later areas add theirs here, one function each."""

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
