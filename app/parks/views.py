from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app.auth.current import current_actor
from app.auth.decorators import may_open, requires
from app.auth.policy import PERMISSIONS, can
from app.clock import local_today
from app.extensions import db
from app.forms import choices, form_view, submit
from app.pages import Page, page_number
from app.parks import steps
from app.parks.forms import CompleteStepForm, OverviewFilterForm, ReopenStepForm
from app.parks.geometry import point_test
from app.parks.loading import load_park
from app.parks.models import Park
from app.parks.queries import (
    OverviewFilter,
    city_cameras,
    city_markers,
    city_overview,
    park_activity,
    park_cameras,
    park_members,
    parks_visible_to,
)
from app.parks.services import active_cycle
from app.stakeholders.models import Organisation, OrganisationType

bp = Blueprint("parks", __name__, url_prefix="/parken")
PER_PAGE = 50
#: beyond a large city's parks the camera pins cannot be told apart on the map, and the country's (over 10,000)
#: would make the page megabytes; the list then asks for a narrower filter instead
CAMERA_MAP_MAX_PARKS = 500
SORTS = {
    "name": _l("Naam"),
    "step": _l("Stap"),
    "days": _l("Dagen in stap"),
    "companies": _l("Bedrijven"),
}


@bp.route("/")
@login_required
def index():
    user = current_actor()
    today = local_today()
    oversees = user.is_admin or any(
        m.role in PERMISSIONS["parks.overview"] and m.is_current(today) for m in user.memberships
    )
    if not oversees:
        parks = db.session.scalars(parks_visible_to(user, today=today)).all()
        return render_template("parks/index.html", parks=parks)
    form = OverviewFilterForm(request.args, meta={"csrf": False})
    municipalities = db.session.scalars(
        select(Organisation).where(Organisation.type == OrganisationType.GEMEENTE).order_by(Organisation.name)
    ).all()
    form.gemeente.choices = choices([(0, _("Alle gemeenten")), *((m.id, m.name) for m in municipalities)])
    form.sort.choices = choices(SORTS.items())
    form.validate()
    now = datetime.now(UTC)
    min_days = form.dagen.data if not form.dagen.errors else None
    filters = OverviewFilter(
        search=(form.q.data or "").strip() if not form.q.errors else "",
        municipality_id=form.gemeente.data or None if not form.gemeente.errors else None,
        step=form.stap.data if not form.stap.errors else None,
        started_before=now - timedelta(days=min_days) if min_days is not None else None,
        sort=form.sort.data if form.sort.data in SORTS else "name",
        descending=form.richting.data == "af",
    )
    page = page_number()
    rows, total = city_overview(user, today=today, filters=filters, page=page, per_page=PER_PAGE)
    map_data = {"parks": city_markers(user, today=today, filters=filters), "camera_layer": _("Camera's")}
    cameras_shown = total <= CAMERA_MAP_MAX_PARKS
    if cameras_shown:
        map_data["cameras"] = city_cameras(user, today=today, filters=filters)
    return render_template(
        "parks/overview.html",
        form=form,
        page=Page.of(rows, total=total, page=page, per_page=PER_PAGE),
        now=now,
        map_data=map_data,
        cameras_hidden_above=None if cameras_shown else CAMERA_MAP_MAX_PARKS,
        step_names={n: str(name) for n, name in steps.STEP_NAMES.items()},
    )


@bp.route("/<int:park_id>")
@requires("park.view", load=load_park)
def detail(park: Park):
    return _overview_page(park)


def _overview_page(park: Park, *, complete_form=None, reopen_form=None, status: int = 200):
    cycle = active_cycle(park)
    inside = point_test(park.area)
    companies = [
        {"name": c.name, "lat": c.lat, "lon": c.lon, "outside": not c.outside_accepted and not inside(c.lat, c.lon)}
        for c in park.companies
        if c.lat is not None and c.lon is not None
    ]
    members = db.session.scalars(park_members(park, today=local_today())).all()
    map_data = {"area": park.area, "companies": companies}
    if can(current_user, "cameras.view", park):
        map_data["cameras"] = park_cameras(park)
        map_data["camera_layer"] = _("Camera's")
    report = steps.report(cycle)
    user = current_actor()
    # the pages where an open criterion is met, linked only for who may open them
    fix_urls = {
        c.fix: url_for(c.fix, park_id=park.id)
        for step in report
        for c in step.criteria
        if c.fix and not c.met and may_open(user, c.fix, park)
    }
    page = render_template(
        "parks/detail.html",
        park=park,
        cycle=cycle,
        steps=report,
        fix_urls=fix_urls,
        history=list(reversed(cycle.transitions)),
        members=members,
        activity=park_activity(park),
        map_data=map_data,
        complete_form=complete_form or CompleteStepForm(prefix="complete"),
        reopen_form=reopen_form or ReopenStepForm(prefix="reopen"),
    )
    return page, status


@bp.route("/<int:park_id>/stap-afronden", methods=["POST"])
@requires("steps.complete", load=load_park)
@form_view
def complete_step(park: Park):
    form = CompleteStepForm(prefix="complete")
    cycle = active_cycle(park)
    step = cycle.current_step
    if (
        form.validate_on_submit()
        and submit(
            form, lambda: steps.complete_step(current_user, cycle, now=datetime.now(UTC), note=form.note.data or "")
        ).ok
    ):
        flash(_("Stap %(step)s is afgerond.", step=step), "success")
        return redirect(url_for("parks.detail", park_id=park.id))
    return _overview_page(park, complete_form=form, status=400 if form.csrf_failed else 422)


@bp.route("/<int:park_id>/stap-heropenen", methods=["POST"])
@requires("steps.complete", load=load_park)
@form_view
def reopen_step(park: Park):
    form = ReopenStepForm(prefix="reopen")
    cycle = active_cycle(park)
    if (
        form.validate_on_submit()
        and submit(
            form,
            lambda: steps.reopen_step(current_user, cycle, now=datetime.now(UTC), reason=form.reason.data),
            field=form.reason,
        ).ok
    ):
        flash(_("Stap %(step)s is heropend.", step=cycle.current_step), "success")
        return redirect(url_for("parks.detail", park_id=park.id))
    return _overview_page(park, reopen_form=form, status=400 if form.csrf_failed else 422)
