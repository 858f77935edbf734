"""A park's camera network: its cameras on the map, the legal frame with its compliance panel, documents."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.auth.policy import can
from app.cameras import markers, networks
from app.cameras.forms import CameraForm, CameraImportForm, NetworkForm
from app.cameras.models import Camera, CameraNetwork, CameraStatus
from app.cameras.pages import confirm_page, confirmed, submit_file
from app.clock import local_today
from app.errors import DomainError
from app.extensions import db
from app.forms import button_action, form_view, render_form, submit
from app.pages import file_slug
from app.parks.loading import InPark, load_in_park, load_park
from app.parks.models import Cycle, Park
from app.stakeholders.models import Organisation, Stakeholder

bp = Blueprint("cameras", __name__, url_prefix="/parken/<int:park_id>/cameras")


def load_camera(park_id: int, camera_id: int) -> InPark[Camera]:
    return load_in_park(Camera, park_id, camera_id, lambda camera, park: camera.network.park_id == park.id)


def _network_or_404(park: Park) -> CameraNetwork:
    network = networks.network_of(park)
    if network is None:
        abort(404)
    return network


def _existing(network: CameraNetwork | None) -> CameraNetwork:
    """The network a posted camera or import goes into; a post made before the network exists is refused."""
    if network is None:
        raise DomainError(_("Leg eerst het cameranetwerk vast; daarna kunt u camera's toevoegen."))
    return network


def _map_data(park: Park, network: CameraNetwork | None, *, current: Camera | None = None) -> dict[str, Any]:
    """The map's data: the park's area and a marker per camera (type and state, `markers.camera_markers`), linked
    to the camera's page for who may edit it."""
    may_edit = can(current_user, "cameras.edit", park)
    cameras = markers.camera_markers([c for c in (network.cameras if network else []) if c is not current])
    for point in cameras:
        point["url"] = url_for("cameras.edit_camera", park_id=park.id, camera_id=point["id"]) if may_edit else None
    data: dict[str, Any] = {"area": park.area, "points": cameras}
    if current is not None:
        data["current"] = {"lat": current.lat, "lon": current.lon}
    return data


@bp.route("/")
@requires("cameras.summary", load=load_park)
def index(park: Park):
    may_view = can(current_user, "cameras.view", park)
    summary = networks.summary(park)
    return render_template(
        "cameras/index.html",
        park=park,
        summary=summary,
        network=summary.network,
        may_view=may_view,
        may_edit=can(current_user, "cameras.edit", park),
        map_data=_map_data(park, summary.network) if may_view else None,
        legend=markers.legend(),
        offline=markers.offline_ids(c.id for c in summary.network.cameras) if may_view and summary.network else set(),
    )


def _operators(park: Park, network: CameraNetwork | None) -> list[tuple[int, str]]:
    """The organisations that may run the network: those taking part in one of the park's cycles, and the current
    operator."""
    query = (
        select(Organisation.id, Organisation.name)
        .join(Stakeholder, Stakeholder.organisation_id == Organisation.id)
        .join(Cycle, Cycle.id == Stakeholder.cycle_id)
        .where(Cycle.park_id == park.id)
        .distinct()
    )
    found = {row.id: row.name for row in db.session.execute(query)}
    if network is not None and network.operator is not None:
        found[network.operator.id] = network.operator.name
    return sorted(found.items(), key=lambda item: item[1].lower())


@bp.route("/netwerk", methods=["GET", "POST"])
@requires("cameras.edit", load=load_park)
@form_view
def network(park: Park):
    current = networks.network_of(park)
    form = NetworkForm(obj=current, operators=_operators(park, current))
    if request.method == "GET" and current is not None:
        form.operator_id.data = str(current.operator_id or "")
        form.retention_days.data = str(current.retention_days)
        form.check_interval_months.data = str(current.check_interval_months)
    if form.validate_on_submit():
        saved = submit(form, lambda: networks.save_network(current_actor(), park, form.values()))
        if saved.ok:
            flash(_("Het cameranetwerk is opgeslagen."), "success")
            return redirect(url_for("cameras.index", park_id=park.id))
    return render_form("cameras/network_form.html", form, park=park, network=current)


@bp.route("/nieuw", methods=["GET", "POST"])
@requires("cameras.edit", load=load_park)
@form_view
def new_camera(park: Park):
    network = networks.network_of(park)
    if network is None and request.method == "GET":
        flash(_("Leg eerst het cameranetwerk vast; daarna kunt u camera's toevoegen."), "error")
        return redirect(url_for("cameras.network", park_id=park.id))
    form = CameraForm()
    if form.validate_on_submit():
        saved = submit(form, lambda: networks.save_camera(current_actor(), _existing(network), form.values()))
        if saved.ok:
            flash(_("Camera %(code)s is toegevoegd.", code=saved.value.code), "success")
            return redirect(url_for("cameras.index", park_id=park.id))
    return render_form(
        "cameras/camera_form.html",
        form,
        park=park,
        camera=None,
        map_data=_map_data(park, network),
        legend=markers.legend(),
    )


@bp.route("/<int:camera_id>", methods=["GET", "POST"])
@requires("cameras.edit", load=load_camera)
@form_view
def edit_camera(found: InPark[Camera]):
    park, camera = found.park, found.obj
    form = CameraForm(obj=camera)
    if request.method == "GET":
        form.type.data = camera.type.value
    if form.validate_on_submit():
        saved = submit(
            form, lambda: networks.save_camera(current_actor(), camera.network, form.values(), camera=camera)
        )
        if saved.ok:
            flash(_("Camera %(code)s is opgeslagen.", code=camera.code), "success")
            return redirect(url_for("cameras.index", park_id=park.id))
    return render_form(
        "cameras/camera_form.html",
        form,
        park=park,
        camera=camera,
        map_data=_map_data(park, camera.network, current=camera),
        legend=markers.legend(),
        statuses=[status for status in CameraStatus if status != camera.status],
    )


@bp.route("/<int:camera_id>/status", methods=["POST"])
@requires("cameras.edit", load=load_camera)
def camera_status(found: InPark[Camera]):
    park, camera = found.park, found.obj
    try:
        status = CameraStatus(request.form.get("status", ""))
    except ValueError:
        abort(400)
    if status == CameraStatus.REMOVED and camera.status != status and not confirmed():
        return confirm_page(
            park,
            heading=_("Camera %(code)s verwijderen", code=camera.code),
            question=_("Wilt u camera %(code)s als verwijderd markeren?", code=camera.code),
            consequence=_(
                "De camera verdwijnt dan uit de telling van de camera's in gebruik en krijgt geen storingsmeldingen "
                "meer; zij blijft in de lijst staan, met haar controles en verzoeken om beelden."
            ),
            confirm_label=_("Ja, camera %(code)s verwijderen", code=camera.code),
            action=url_for("cameras.camera_status", park_id=park.id, camera_id=camera.id),
            fields={"status": status.value},
            cancel_url=url_for("cameras.edit_camera", park_id=park.id, camera_id=camera.id),
        )
    return button_action(
        lambda: networks.set_camera_status(current_actor(), camera, status, today=local_today()),
        _("Camera %(code)s heeft nu de status %(status)s.", code=camera.code, status=str(status.label).lower()),
        url_for("cameras.index", park_id=park.id),
    )


@bp.route("/cameras.csv")
@requires("cameras.view", load=load_park)
def export(park: Park):
    network = _network_or_404(park)
    filename = f"cameras-{file_slug(park.name)}.csv"
    return Response(
        networks.export_csv(network),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/importeren", methods=["GET", "POST"])
@requires("cameras.edit", load=load_park)
@form_view
def import_cameras(park: Park):
    network = networks.network_of(park)
    if network is None and request.method == "GET":
        flash(_("Leg eerst het cameranetwerk vast; daarna kunt u camera's inlezen."), "error")
        return redirect(url_for("cameras.network", park_id=park.id))
    form = CameraImportForm()
    row_errors: list[tuple[int, str]] = []
    if form.validate_on_submit():
        done, row_errors = submit_file(
            form, lambda filename, data: networks.import_csv(current_actor(), _existing(network), filename, data)
        )
        if done.ok:
            flash(
                _(
                    "De cameralijst is ingelezen: %(added)s toegevoegd, %(updated)s bijgewerkt.",
                    added=done.value.added,
                    updated=done.value.updated,
                ),
                "success",
            )
            return redirect(url_for("cameras.index", park_id=park.id))
    return render_form("cameras/camera_import.html", form, park=park, row_errors=row_errors)
