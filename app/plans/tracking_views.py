"""City-wide tracking of the action plans for the municipality: progress, goals and overdue actions per park."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.auth.models import User
from app.clock import local_today
from app.errors import NotAllowed
from app.forms import choices
from app.parks import steps
from app.plans import tracking
from app.plans.calendar_forms import TrackingFilterForm
from app.web import page_number

bp = Blueprint("tracking", __name__, url_prefix="/voortgang")
PER_PAGE = 50
SORTS = {
    "name": _l("Naam"),
    "municipality": _l("Gemeente"),
    "step": _l("Stap"),
    "progress": _l("Acties gereed (%)"),
    "overdue": _l("Achterstallige acties"),
}


def _overseer() -> User:
    user = current_user._get_current_object()
    if not tracking.oversees(user, today=local_today()):
        raise NotAllowed(_("U heeft geen rechten voor deze pagina."))
    return user


def _filter_form(user: User) -> tuple[TrackingFilterForm, tracking.TrackingFilter]:
    form = TrackingFilterForm(request.args, meta={"csrf": False})
    options = tracking.municipalities(user, today=local_today())
    form.gemeente.choices = choices([(0, _("Alle gemeenten")), *((m.id, m.name) for m in options)])
    form.sort.choices = choices(SORTS.items())
    form.validate()
    filters = tracking.TrackingFilter(
        municipality_id=(form.gemeente.data or None) if not form.gemeente.errors else None,
        overdue_only=bool(form.achterstallig.data) and not form.achterstallig.errors,
        sort=form.sort.data if form.sort.data in SORTS else "name",
        descending=form.richting.data == "af",
    )
    return form, filters


def _pages(total: int) -> int:
    return max((total + PER_PAGE - 1) // PER_PAGE, 1)


def _csv_response(data: bytes, name: str) -> Response:
    response = Response(data, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-{local_today().isoformat()}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/")
@login_required
def index():
    user = _overseer()
    form, filters = _filter_form(user)
    page = page_number()
    rows, total = tracking.park_progress(user, today=local_today(), filters=filters, page=page, per_page=PER_PAGE)
    return render_template(
        "plans/tracking/index.html",
        form=form,
        rows=rows,
        total=total,
        page=page,
        pages=_pages(total),
        step_names={n: str(name) for n, name in steps.STEP_NAMES.items()},
        export_args={key: value for key, value in request.args.items() if key != "page"},
    )


@bp.route("/export.csv")
@login_required
def export():
    user = _overseer()
    _form, filters = _filter_form(user)
    rows, _total = tracking.park_progress(user, today=local_today(), filters=filters, page=None)
    return _csv_response(tracking.progress_csv(rows), "voortgang-plannen")


@bp.route("/achterstallig")
@login_required
def overdue():
    user = _overseer()
    form, filters = _filter_form(user)
    page = page_number()
    rows, total = tracking.overdue_actions(
        user, today=local_today(), municipality_id=filters.municipality_id, page=page, per_page=PER_PAGE
    )
    return render_template(
        "plans/tracking/overdue.html",
        form=form,
        rows=rows,
        total=total,
        page=page,
        pages=_pages(total),
        export_args={"gemeente": request.args.get("gemeente")} if filters.municipality_id else {},
    )


@bp.route("/achterstallig/export.csv")
@login_required
def overdue_export():
    user = _overseer()
    _form, filters = _filter_form(user)
    rows, _total = tracking.overdue_actions(
        user, today=local_today(), municipality_id=filters.municipality_id, page=None
    )
    return _csv_response(tracking.overdue_csv(rows), "achterstallige-acties")
