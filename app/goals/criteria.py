"""The exit criterion of step 4 (design §2): a goal with indicator and baseline on every theme."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.parks.models import Cycle
from app.parks.steps import Check, criterion
from app.plans.models import Goal, Theme


@criterion(
    4,
    _l("Elk thema heeft een doel met indicator, nulmeting en streefwaarde"),
    order=10,
    fix="goals.index",
    fix_label=_l("Naar de doelen"),
)
def goal_per_theme(cycle: Cycle) -> Check:
    covered = set(
        db.session.scalars(
            select(Goal.theme).where(Goal.cycle_id == cycle.id, Goal.baseline.is_not(None), Goal.indicator != "")
        )
    )
    return Check(not set(Theme) - covered, ", ".join(theme.label for theme in Theme if theme not in covered))
