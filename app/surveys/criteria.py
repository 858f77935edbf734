"""The exit criterion of the entrepreneurs' survey (design §2): step 3 needs it closed, with its report ready."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.parks.models import Cycle
from app.parks.steps import Check, criterion
from app.surveys.models import Survey, SurveyStatus


@criterion(
    3,
    _l("De ondernemersenquête is gesloten en het rapport is klaar"),
    order=10,
    fix="survey_results.index",
    fix_label=_l("Naar de enquêteresultaten"),
)
def survey_report_ready(cycle: Cycle) -> Check:
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
