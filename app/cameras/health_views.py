"""Camera health: per camera the latest uptime and the outage history, and the import of the video system's report."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.auth.policy import can
from app.cameras import health, networks
from app.cameras.forms import CameraImportForm
from app.cameras.models import CameraNetwork
from app.cameras.pages import submit_file
from app.errors import DomainError
from app.forms import form_view, render_form
from app.parks.loading import load_park
from app.parks.models import Park

bp = Blueprint("camera_health", __name__, url_prefix="/parken/<int:park_id>/cameras/gezondheid")


def _now() -> datetime:
    return datetime.now(UTC)


def _network_or_404(park: Park) -> CameraNetwork:
    network = networks.network_of(park)
    if network is None:
        abort(404)
    return network


def _page(park: Park, network: CameraNetwork | None, form: CameraImportForm, row_errors: list[tuple[int, str]]):
    return render_form(
        "cameras/health/index.html",
        form,
        park=park,
        network=network,
        lines=health.health_lines(network, now=_now()) if network else [],
        may_edit=can(current_user, "cameras.edit", park),
        row_errors=row_errors,
        threshold_hours=health.alert_threshold().total_seconds() // 3600,
        columns=dict(health.HEADERS),
    )


@bp.route("/")
@requires("cameras.view", load=load_park)
def index(park: Park):
    return _page(park, _network_or_404(park), CameraImportForm(), [])


@bp.route("/importeren", methods=["POST"])
@requires("cameras.edit", load=load_park)
@form_view
def import_health(park: Park):
    # no 404 for a park without a network here: the form's CSRF check answers first (400), then the service (422)
    network = networks.network_of(park)
    form = CameraImportForm()
    row_errors: list[tuple[int, str]] = []
    if form.validate_on_submit():

        def run(filename: str, data: bytes) -> health.HealthImportResult:
            if network is None:
                raise DomainError(_("Leg eerst het cameranetwerk vast; daarna kunt u een rapport inlezen."))
            return health.import_health(current_actor(), network, filename, data)

        done, row_errors = submit_file(form, run)
        if done.ok:
            flash(
                _(
                    "Het gezondheidsrapport is ingelezen: %(periods)s, %(outages)s.",
                    periods=ngettext("%(num)s periode", "%(num)s perioden", done.value.periods),
                    outages=ngettext("%(num)s onderbreking", "%(num)s onderbrekingen", done.value.outages),
                ),
                "success",
            )
            return redirect(url_for("camera_health.index", park_id=park.id))
    return _page(park, network, form, row_errors)
