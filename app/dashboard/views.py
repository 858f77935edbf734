"""The city dashboard: what needs attention in the parks a municipality officer or an advisor oversees."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.auth.current import current_actor
from app.auth.models import User
from app.clock import local_today
from app.dashboard import export, queries
from app.dashboard.forms import StuckForm
from app.errors import NotAllowed
from app.pages import paginate
from app.plans.tracking import PLAN_STATES

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
PER_PAGE = 50


def _overseer() -> User:
    user = current_actor()
    if not queries.oversees(user, today=local_today()):
        raise NotAllowed(_("U heeft geen rechten voor deze pagina."))
    return user


def _stuck_days() -> tuple[StuckForm, int, bool]:
    """The form, the N it asks for (the default when empty or wrong) and whether it is valid."""
    form = StuckForm(request.args, meta={"csrf": False})
    valid = form.validate()
    days = form.dagen.data if valid and form.dagen.data is not None else queries.DEFAULT_STUCK_DAYS
    if valid:  # the field shows the N in use (a wrong one stays as typed, with its message)
        form.dagen.data, form.dagen.raw_data = days, None
    return form, days, valid


@bp.route("/")
@login_required
def index():
    user = _overseer()
    form, days, valid = _stuck_days()
    now = datetime.now(UTC)
    data = queries.dashboard(user, today=local_today(), now=now, stuck_days=days)
    return render_template(
        "dashboard/index.html",
        form=form,
        data=data,
        now=now,
        states=[
            (state, label, data.plans.states[state], url_for("tracking.index", stand=state))
            for state, label in PLAN_STATES.items()
        ],
        warning_days=queries.EXPIRY_WARNING_DAYS,
    ), (200 if valid else 400)


@bp.route("/dashboard.xlsx")
@login_required
def export_xlsx():
    user = _overseer()
    _form, days, valid = _stuck_days()
    if not valid:
        return index()
    today = local_today()
    body = export.dashboard_xlsx(user, today=today, now=datetime.now(UTC), stuck_days=days)
    response = Response(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f'attachment; filename="dashboard-{today.isoformat()}.xlsx"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/waarderingen")
@login_required
def awards():
    summary = queries.awards_by_expiry(_overseer(), today=local_today(), limit=None)
    return render_template(
        "dashboard/awards.html",
        summary=summary,
        page=paginate(summary.rows, PER_PAGE),
        warning_days=queries.EXPIRY_WARNING_DAYS,
    )


@bp.route("/enquetes")
@login_required
def surveys():
    summary = queries.running_surveys(_overseer(), today=local_today(), limit=None)
    return render_template("dashboard/surveys.html", summary=summary, page=paginate(summary.rows, PER_PAGE))
