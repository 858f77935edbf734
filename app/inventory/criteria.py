"""The exit criteria of the inventory (design §2): step 3 needs the police figures and every stakeholder's top 3."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.inventory.models import Figure, FigureSource, ScanEntry
from app.parks.models import Cycle
from app.parks.steps import Check, criterion
from app.stakeholders.models import PpsRole


@criterion(
    3,
    _l("De politie heeft haar cijfers voor het park aangeleverd"),
    order=20,
    fix="figures.index",
    fix_label=_l("Naar de cijfers van de partners"),
)
def police_figures(cycle: Cycle) -> Check:
    sources = set(db.session.scalars(select(Figure.source).where(Figure.park_id == cycle.park_id).distinct()))
    if FigureSource.POLITIE in sources:
        return Check(True, ", ".join(source.label for source in FigureSource if source in sources))
    return Check(False, _("nog geen cijfers van de politie"))


@criterion(
    3,
    _l("Elke deelnemer heeft zijn top-3 voor de gebiedsscan ingevuld"),
    order=30,
    fix="scan.index",
    fix_label=_l("Naar de gebiedsscan"),
)
def scan_complete(cycle: Cycle) -> Check:
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
