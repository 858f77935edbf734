from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app.auth.current import current_actor
from app.auth.decorators import may_open, requires
from app.auth.policy import PERMISSIONS, can
from app.cameras.markers import legend as camera_legend
from app.clock import local_today
from app.extensions import db
from app.forms import choices, form_view, render_form, submit
from app.meetings.services import upcoming_park_meetings
from app.pages import Page, page_number
from app.parks import pause, recalibration, steps
from app.parks.forms import CompleteStepForm, NewParkForm, OverviewFilterForm, PauseForm, ReopenStepForm
from app.parks.geometry import point_test
from app.parks.loading import load_park
from app.parks.models import Park, Track
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
from app.parks.services import active_cycle, create_park, municipalities_for_new_park
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
        map_data["camera_legend"] = camera_legend()
    return render_template(
        "parks/overview.html",
        form=form,
        page=Page.of(rows, total=total, page=page, per_page=PER_PAGE),
        now=now,
        map_data=map_data,
        cameras_hidden_above=None if cameras_shown else CAMERA_MAP_MAX_PARKS,
        step_names={n: str(name) for n, name in steps.STEP_NAMES.items()},
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
@form_view
def new():
    user = current_actor()
    municipalities = municipalities_for_new_park(user, today=local_today())
    if not municipalities:
        abort(403)
    form = NewParkForm()
    form.municipality_id.choices = choices((m.id, m.name) for m in municipalities)
    if form.validate_on_submit():
        created = submit(
            form,
            lambda: create_park(
                user,
                name=form.name.data,
                municipality=db.session.get(Organisation, form.municipality_id.data),
                now=datetime.now(UTC),
                track=Track(form.track.data),
            ),
            field=form.name,
        )
        if created.ok:
            flash(
                _("Het park is aangemaakt. Begin met stap 1: teken het gebied in en vul het bedrijvenregister."),
                "success",
            )
            return redirect(url_for("parks.detail", park_id=created.value.id))
    return render_form("parks/new.html", form)


@bp.route("/<int:park_id>")
@requires("park.view", load=load_park)
def detail(park: Park):
    return _overview_page(park)


def _overview_page(park: Park, *, complete_form=None, reopen_form=None, pause_form=None, status: int = 200):
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
        map_data["camera_legend"] = camera_legend()
    report = steps.report(cycle)
    user = current_actor()
    # the pages where an open criterion is met, linked only for who may open them; step 8's criteria are
    # informative (it runs until the herijking), so its pages are linked whether met or not
    fix_urls = {
        c.fix: url_for(c.fix, park_id=park.id)
        for step in report
        for c in step.criteria
        if c.fix and (not c.met or step.number == steps.LAST_STEP) and may_open(user, c.fix, park)
    }
    today = local_today()
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
        pause_form=pause_form or PauseForm(prefix="pause"),
        last_step=steps.LAST_STEP,
        deadlines=[recalibration.deadline_text(d, today=today) for d in recalibration.deadlines(cycle, today=today)]
        if cycle.current_step == steps.LAST_STEP
        else [],
        upcoming=upcoming_park_meetings(park, now=datetime.now(UTC)),
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


def _status_change(park: Park, change, message: str):
    form = PauseForm(prefix="pause")
    if (
        form.validate_on_submit()
        and submit(
            form,
            lambda: change(current_actor(), park, reason=form.reason.data, now=datetime.now(UTC)),
            field=form.reason,
        ).ok
    ):
        flash(message, "success")
        return redirect(url_for("parks.detail", park_id=park.id))
    return _overview_page(park, pause_form=form, status=400 if form.csrf_failed else 422)


@bp.route("/<int:park_id>/pauzeren", methods=["POST"])
@requires("park.pause", load=load_park)
@form_view
def pause_park(park: Park):
    return _status_change(park, pause.pause_park, _("Het park is gepauzeerd."))


@bp.route("/<int:park_id>/hervatten", methods=["POST"])
@requires("park.pause", load=load_park)
@form_view
def resume_park(park: Park):
    return _status_change(park, pause.resume_park, _("De pauze is beëindigd: het park is weer actief."))
