"""City-wide tracking of the action plans for the municipality: progress, goals and overdue actions per park."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app.auth.current import current_actor
from app.auth.models import User
from app.clock import local_today
from app.errors import NotAllowed
from app.forms import choices
from app.pages import Page, page_number
from app.parks import steps
from app.plans import tracking
from app.plans.calendar_forms import TrackingFilterForm

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
    user = current_actor()
    if not tracking.oversees(user, today=local_today()):
        raise NotAllowed(_("U heeft geen rechten voor deze pagina."))
    return user


def _filter_form(user: User) -> tuple[TrackingFilterForm, tracking.TrackingFilter]:
    form = TrackingFilterForm(request.args, meta={"csrf": False})
    options = tracking.municipalities(user, today=local_today())
    form.gemeente.choices = choices([(0, _("Alle gemeenten")), *((m.id, m.name) for m in options)])
    form.sort.choices = choices(SORTS.items())
    form.stand.choices = choices([("", _("Elke stand")), *tracking.PLAN_STATES.items()])
    form.validate()
    filters = tracking.TrackingFilter(
        municipality_id=(form.gemeente.data or None) if not form.gemeente.errors else None,
        overdue_only=bool(form.achterstallig.data) and not form.achterstallig.errors,
        state=form.stand.data if form.stand.data in tracking.PLAN_STATES else None,
        sort=form.sort.data if form.sort.data in SORTS else "name",
        descending=form.richting.data == "af",
    )
    return form, filters


def _progress(user: User, filters: tracking.TrackingFilter, **paging):
    return tracking.park_progress(user, today=local_today(), filters=filters, **paging)


def _overdue(user: User, filters: tracking.TrackingFilter, **paging):
    return tracking.overdue_actions(user, today=local_today(), municipality_id=filters.municipality_id, **paging)


def _list_page(template: str, fetch, export_args, **context):
    """A page of the rows `fetch(user, filters, page=, per_page=)` finds for the overseer, with the filter form;
    `export_args(filters)`: the query arguments of the matching CSV export."""
    user = _overseer()
    form, filters = _filter_form(user)
    page = page_number()
    rows, total = fetch(user, filters, page=page, per_page=PER_PAGE)
    return render_template(
        template,
        form=form,
        page=Page.of(rows, total=total, page=page, per_page=PER_PAGE),
        export_args=export_args(filters),
        **context,
    )


def _export(fetch, to_csv, name: str) -> Response:
    """All the rows `fetch` finds for the overseer with the filters, as a CSV download named `name` and today."""
    user = _overseer()
    _form, filters = _filter_form(user)
    rows, _total = fetch(user, filters, page=None)
    response = Response(to_csv(rows), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-{local_today().isoformat()}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/")
@login_required
def index():
    return _list_page(
        "plans/tracking/index.html",
        _progress,
        lambda filters: {key: value for key, value in request.args.items() if key != "page"},
        step_names={n: str(name) for n, name in steps.STEP_NAMES.items()},
    )


@bp.route("/export.csv")
@login_required
def export():
    return _export(_progress, tracking.progress_csv, "voortgang-plannen")


@bp.route("/achterstallig")
@login_required
def overdue():
    return _list_page(
        "plans/tracking/overdue.html",
        _overdue,
        lambda filters: {"gemeente": request.args.get("gemeente")} if filters.municipality_id else {},
    )


@bp.route("/achterstallig/export.csv")
@login_required
def overdue_export():
    return _export(_overdue, tracking.overdue_csv, "achterstallige-acties")
