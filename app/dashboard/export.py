"""The dashboard as an Excel workbook: one sheet per section, every row (not only those on the page)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _

from app.auth.models import User
from app.dashboard import queries
from app.imports import xlsx_bytes
from app.parks.steps import STEP_NAMES
from app.plans import tracking


def _steps(user: User, today: date):
    rows = [(s.step, s.name, s.parks) for s in queries.parks_per_step(user, today=today)]
    return _("Parken per stap"), [_("Stap"), _("Naam"), _("Parken")], rows


def _stuck(user: User, today: date, now: datetime, days: int):
    parks, _total = queries.stuck_parks(user, today=today, now=now, days=days, limit=None)
    headers = [_("Park"), _("Gemeente"), _("Stap"), _("Naam van de stap"), _("Dagen in deze stap")]
    rows = [
        (r.park.name, r.park.municipality.name, r.step, str(STEP_NAMES[r.step]), r.days_in_step(now)) for r in parks
    ]
    return _("Langer dan %(days)s dagen", days=days), headers, rows


def _plans(user: User, today: date):
    states = {state: str(label) for state, label in tracking.PLAN_STATES.items()}
    headers = [_("Park"), _("Gemeente"), _("Stap"), _("Stand"), _("Acties gereed"), _("Acties totaal")]
    headers.append(_("Acties achterstallig"))
    rows = [
        (r.park.name, r.park.municipality.name, r.step, states[queries.plan_state(r)], r.done, r.total, r.overdue)
        for r in queries.all_progress(user, today=today)
    ]
    return _("Voortgang plannen"), headers, rows


def _awards(user: User, today: date):
    yes, no = _("ja"), _("nee")
    headers = [_("Park"), _("Gemeente"), _("Traject"), _("Toegekend op"), _("Geldig tot en met")]
    headers += [_("Dagen tot het einde"), _("Verloopt binnen %(n)s dagen", n=queries.EXPIRY_WARNING_DAYS)]
    rows = [
        (r.park_name, r.municipality, str(r.track.label), r.awarded_on, r.valid_until, r.days_left, expiring)
        for r in queries.awards_by_expiry(user, today=today, limit=None).rows
        for expiring in [yes if r.expiring else no]
    ]
    return _("Waarderingen"), headers, rows


def _cameras(user: User, today: date):
    headers = [_("Park"), _("Gemeente"), _("Netwerk"), _("Camera's offline"), _("Grote afwijkingen")]
    headers += [_("Laatste kwaliteitscontrole"), _("Juridisch kader: te laat of ontbreekt")]
    rows = [
        (r.park_name, r.municipality, r.network, r.offline, r.major_findings, r.last_check_on, ", ".join(r.legal_gaps))
        for r in queries.camera_problems(user, today=today, limit=None).rows
    ]
    return _("Cameranetwerken"), headers, rows


def _surveys(user: User, today: date):
    headers = [_("Park"), _("Gemeente"), _("Enquête"), _("Open sinds"), _("Sluit op"), _("Uitgenodigd")]
    headers += [_("Ingevuld"), _("Respons (%)")]
    rows = [
        (r.park_name, r.municipality, r.survey, r.opens_on, r.closes_on, r.invited, r.completed, round(r.rate, 1))
        for r in queries.running_surveys(user, today=today, limit=None).rows
    ]
    return _("Enquêtes"), headers, rows


def dashboard_xlsx(user: User, *, today: date, now: datetime, stuck_days: int) -> bytes:
    """The dashboard of `user` on `today` as a workbook: parks per step, the parks at least `stuck_days` days in
    their step, every park's plan progress, the awards by end date, the camera networks with problems and the
    surveys running now. A fixed number of statements however many parks."""
    return xlsx_bytes(
        [
            _steps(user, today),
            _stuck(user, today, now, stuck_days),
            _plans(user, today),
            _awards(user, today),
            _cameras(user, today),
            _surveys(user, today),
        ]
    )
