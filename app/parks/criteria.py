"""The exit criteria of the park's own step (design §2); every area keeps its own in its `criteria` module."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.clock import local_today
from app.parks.companies import companies_outside
from app.parks.models import Cycle
from app.parks.recalibration import deadline_text, deadlines
from app.parks.steps import Check, criterion

# Step 1: Afbakening gebied


@criterion(
    1,
    _l("Het gebied is op de kaart ingetekend"),
    order=10,
    fix="area.edit",
    fix_label=_l("Gebied intekenen"),
)
def area_drawn(cycle: Cycle) -> bool:
    return cycle.park.area is not None


@criterion(
    1,
    _l("Het bedrijvenregister bevat de bedrijven op het park"),
    order=20,
    fix="companies.index",
    fix_label=_l("Naar het bedrijvenregister"),
)
def register_filled(cycle: Cycle) -> Check:
    count = len(cycle.park.companies)
    return Check(count > 0, ngettext("%(num)s bedrijf", "%(num)s bedrijven", count))


@criterion(
    1,
    _l("Elk bedrijf ligt binnen het gebied of is bewust geaccepteerd"),
    order=30,
    fix="companies.index",
    fix_label=_l("Bedrijven buiten het gebied bekijken"),
)
def companies_inside(cycle: Cycle) -> Check:
    outside = companies_outside(cycle.park)
    detail = ngettext(
        "%(num)s bedrijf ligt buiten het gebied", "%(num)s bedrijven liggen buiten het gebied", len(outside)
    )
    return Check(not outside, detail if outside else "")


# Step 8 (informative): the herijking's due date, and on the KVO-B track the yearly evaluation and the re-audit


@criterion(
    8,
    _l("De herijking is niet over tijd"),
    order=40,
    fix="history.recalibrate",
    fix_label=_l("Naar de herijking"),
)
def herijking_on_time(cycle: Cycle) -> Check:
    today = local_today()
    due = deadlines(cycle, today=today)
    return Check(all(d.days_left(today) >= 0 for d in due), "; ".join(deadline_text(d, today=today) for d in due))
