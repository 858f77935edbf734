"""The footage-request log: only the camera officer (and admins) see it, and every view is audited."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask import request as flask_request
from flask_babel import gettext as _

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.cameras import footage
from app.cameras.legal_forms import FootageForm
from app.cameras.models import FootageDecision, FootageRequest, RequesterKind
from app.clock import LOCAL_TIME
from app.extensions import db
from app.forms import form_view, render_form, submit
from app.parks.loading import InPark, load_in_park, load_park
from app.parks.models import Park

bp = Blueprint("footage", __name__, url_prefix="/parken/<int:park_id>/cameras/vorderingen")


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    """A time entered on the form (Dutch local time) as an aware datetime."""
    return value.replace(tzinfo=LOCAL_TIME)


def load_request(park_id: int, request_id: int) -> InPark[FootageRequest]:
    return load_in_park(FootageRequest, park_id, request_id, lambda req, park: req.network.park_id == park.id)


@bp.route("/")
@requires("cameras.footage", load=load_park)
def index(park: Park):
    requests = footage.view_log(current_actor(), park)
    network = footage.network_of(park)
    db.session.commit()
    return render_template("cameras/footage/index.html", park=park, network=network, requests=requests)


@bp.route("/nieuw", methods=["GET", "POST"])
@requires("cameras.footage", load=load_park)
@form_view
def new(park: Park):
    network = footage.network_of(park)
    if network is None and flask_request.method != "POST":
        abort(404)
    cameras = {camera.id: camera for camera in network.cameras} if network else {}
    form = FootageForm(camera_choices=[(camera.id, camera.code) for camera in cameras.values()])
    valid = form.validate_on_submit()
    if valid and network is None:
        form.form_errors.append(_("Dit park heeft nog geen cameranetwerk."))
    elif valid and network is not None:
        chosen = [cameras[camera_id] for camera_id in form.cameras.data or [] if camera_id in cameras]
        try:
            kind = RequesterKind(form.requester_kind.data)
            decision = FootageDecision(form.decision.data)
        except ValueError:
            form.form_errors.append(_("Kies een aanvrager en een besluit uit de lijst."))
        else:
            if len(chosen) != len(form.cameras.data or []):
                form.cameras.errors = [_("Kies alleen camera's van dit netwerk.")]
            else:
                recorded = submit(
                    form,
                    lambda: footage.record_request(
                        current_actor(),
                        network,
                        received_on=form.received_on.data,
                        requester_kind=kind,
                        authority=form.authority.data,
                        demand_reference=form.demand_reference.data,
                        demand_date=form.demand_date.data,
                        cameras=chosen,
                        window_start=_aware(form.window_start.data),
                        window_end=_aware(form.window_end.data),
                        decision=decision,
                        reason=form.reason.data or "",
                        handed_over_by=form.handed_over_by.data,
                        now=_now(),
                    ),
                )
                if recorded.ok:
                    flash(_("Het verzoek is vastgelegd."), "success")
                    return redirect(url_for("footage.index", park_id=park.id))
    return render_form("cameras/footage/new.html", form, park=park)


@bp.route("/<int:request_id>")
@requires("cameras.footage", load=load_request)
def detail(loaded: InPark[FootageRequest]):
    footage_request = footage.view_request(current_actor(), loaded.obj)
    db.session.commit()
    return render_template("cameras/footage/detail.html", park=loaded.park, footage_request=footage_request)
