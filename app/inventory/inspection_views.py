"""Inspection walks (schouw) with their findings on the map and photos (step 3)."""

from __future__ import annotations

from functools import partial
from io import BytesIO
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import images
from app.auth.current import current_actor
from app.auth.decorators import requires
from app.auth.policy import can, may_edit_inspection
from app.clock import local_today
from app.forms import button_action, form_view, render_form, run_button, submit
from app.inventory import inspections, photos
from app.inventory.forms import FindingForm, InspectionForm, PhotoForm
from app.inventory.models import Finding, FindingPhoto, FindingStatus, Inspection, Light
from app.inventory.report import inspections_report_pdf
from app.pages import file_slug
from app.parks.loading import InPark, load_in_cycle, load_park
from app.parks.models import CycleStatus, Park
from app.parks.services import active_cycle
from app.uploads import send_stored

bp = Blueprint("inspections", __name__, url_prefix="/parken/<int:park_id>/schouw")


def load_inspection(park_id: int, inspection_id: int) -> InPark[Inspection]:
    return load_in_cycle(Inspection, park_id, inspection_id, lambda inspection: inspection.cycle, active=False)


def load_finding(park_id: int, finding_id: int) -> InPark[Finding]:
    return load_in_cycle(Finding, park_id, finding_id, lambda finding: finding.inspection.cycle, active=False)


def load_photo(park_id: int, photo_id: int) -> InPark[FindingPhoto]:
    return load_in_cycle(FindingPhoto, park_id, photo_id, lambda photo: photo.finding.inspection.cycle, active=False)


def _deletion(call, message: str, *, done_to: str, refused_to: str):
    """Run a deletion that returns the stored names of photo files, and remove those files once it is committed."""
    done = run_button(call)
    if not done.ok:
        return redirect(refused_to)
    photos.remove_files(done.value)
    flash(message, "success")
    return redirect(done_to)


def _map_data(park: Park, findings: list[Finding], *, links: bool, current: Finding | None = None) -> dict[str, Any]:
    """What the map script draws: the park's area, the findings with a point (linked to their page or not) and,
    on a finding's own page, that finding's point as the one to move."""

    def point(finding: Finding) -> dict[str, Any]:
        return {
            "id": finding.id,
            "lat": finding.lat,
            "lon": finding.lon,
            "label": f"{finding.category.label}: {finding.description[:80]}",
            "url": url_for("inspections.finding", park_id=park.id, finding_id=finding.id) if links else None,
            "muted": finding.status == FindingStatus.RESOLVED,
        }

    return {
        "area": park.area,
        "points": [point(f) for f in findings if f is not current and f.lat is not None and f.lon is not None],
        "current": point(current) if current is not None and current.lat is not None else None,
    }


# --- the walks -------------------------------------------------------------------------------------------------


@bp.route("/")
@requires("inventory.view", load=load_park)
def index(park: Park):
    cycle = active_cycle(park)
    walks = inspections.inspections_of(cycle)
    return render_template(
        "inventory/inspections/index.html",
        park=park,
        cycle=cycle,
        walks=walks,
        open_counts={w.id: sum(1 for f in w.findings if f.status == FindingStatus.OPEN) for w in walks},
        may_edit=can(current_user, "inspections.edit", park),
    )


def _walk_page(park: Park, inspection: Inspection | None):
    """The form of a new walk (inspection None) or of one of them; a valid post saves it and shows the walk."""
    form = InspectionForm(obj=inspection if request.method == "GET" else None)
    if request.method == "GET":
        form.held_on.data = inspection.held_on if inspection else local_today()
        form.light.data = (inspection.light if inspection else Light.DAY).value
    if form.validate_on_submit():
        if inspection is None:
            save = partial(inspections.create_inspection, current_actor(), active_cycle(park))
            message = _("De schouw is vastgelegd. Voeg nu de bevindingen toe.")
        else:
            save = partial(inspections.update_inspection, current_actor(), inspection)
            message = _("De schouw is opgeslagen.")
        saved = submit(form, lambda: save(form.values(), today=local_today()))
        if saved.ok:
            flash(message, "success")
            return redirect(url_for("inspections.detail", park_id=park.id, inspection_id=saved.value.id))
    return render_form("inventory/inspections/form.html", form, park=park, inspection=inspection)


@bp.route("/nieuw", methods=["GET", "POST"])
@requires("inspections.edit", load=load_park)
@form_view
def new(park: Park):
    return _walk_page(park, None)


@bp.route("/<int:inspection_id>")
@requires("inventory.view", load=load_inspection)
def detail(loaded: InPark[Inspection]):
    park, inspection = loaded.park, loaded.obj
    findings = list(inspection.findings)
    actions = inspections.actions_of(findings)
    return render_template(
        "inventory/inspections/detail.html",
        park=park,
        inspection=inspection,
        findings=findings,
        actions=actions,
        map_data=_map_data(park, findings, links=True),
        may_edit=may_edit_inspection(current_actor(), inspection),
    )


@bp.route("/<int:inspection_id>/schouwrapport.pdf")
@requires("inventory.view", load=load_inspection)
def report(loaded: InPark[Inspection]):
    park, inspection = loaded.park, loaded.obj
    data = inspections_report_pdf(inspection.cycle, [inspection])
    return send_file(
        BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"schouwrapport-{file_slug(park.name)}-{inspection.held_on.isoformat()}.pdf",
    )


@bp.route("/<int:inspection_id>/bewerken", methods=["GET", "POST"])
@requires("inspections.edit", load=load_inspection)
def edit(loaded: InPark[Inspection]):
    return _walk_page(loaded.park, loaded.obj)


@bp.route("/<int:inspection_id>/verwijderen", methods=["POST"])
@requires("inspections.edit", load=load_inspection)
def delete(loaded: InPark[Inspection]):
    park, inspection = loaded.park, loaded.obj
    return _deletion(
        lambda: inspections.delete_inspection(current_actor(), inspection),
        _("De schouw is verwijderd."),
        done_to=url_for("inspections.index", park_id=park.id),
        refused_to=url_for("inspections.detail", park_id=park.id, inspection_id=inspection.id),
    )


# --- findings --------------------------------------------------------------------------------------------------


@bp.route("/<int:inspection_id>/bevindingen/nieuw", methods=["GET", "POST"])
@requires("inspections.edit", load=load_inspection)
def new_finding(loaded: InPark[Inspection]):
    park, inspection = loaded.park, loaded.obj
    form = FindingForm()
    if form.validate_on_submit():
        added = submit(form, lambda: inspections.add_finding(current_actor(), inspection, form.values()))
        if added.ok:
            flash(_("De bevinding is toegevoegd. U kunt er nu foto's bij zetten."), "success")
            return redirect(url_for("inspections.finding", park_id=park.id, finding_id=added.value.id))
    return render_form(
        "inventory/inspections/finding_form.html",
        form,
        park=park,
        inspection=inspection,
        finding=None,
        map_data=_map_data(park, list(inspection.findings), links=False),
    )


def _finding_page(park: Park, finding: Finding, form: FindingForm | None, photo_form: PhotoForm, status: int = 200):
    inspection = finding.inspection
    may_edit = may_edit_inspection(current_actor(), inspection)
    action = inspections.action_of(finding)
    if form is None and may_edit:
        form = FindingForm(formdata=None, obj=finding)
        form.category.data, form.severity.data = finding.category.value, finding.severity.value
        form.lat.data = "" if finding.lat is None else str(finding.lat)
        form.lon.data = "" if finding.lon is None else str(finding.lon)
    context = {
        "park": park,
        "inspection": inspection,
        "finding": finding,
        "form": form,
        "photo_form": photo_form,
        "may_edit": may_edit,
        "action": action,
        "may_make_action": action is None
        and finding.status == FindingStatus.OPEN
        and inspection.cycle.status == CycleStatus.ACTIVE
        and can(current_user, "plans.edit", park),
        "max_photos": photos.MAX_PHOTOS,
        "map_data": _map_data(park, list(inspection.findings), links=False, current=finding),
    }
    return render_template("inventory/inspections/finding.html", **context), status


@bp.route("/bevindingen/<int:finding_id>", methods=["GET", "POST"])
@requires("inventory.view", load=load_finding)
def finding(loaded: InPark[Finding]):
    park, finding = loaded.park, loaded.obj
    photo_form = PhotoForm(formdata=None)
    if request.method == "GET":
        return _finding_page(park, finding, None, photo_form)
    if not can(current_user, "inspections.edit", park):
        abort(403)
    form = FindingForm()
    if form.validate_on_submit():
        saved = submit(form, lambda: inspections.update_finding(current_actor(), finding, form.values()))
        if saved.ok:
            flash(_("De bevinding is opgeslagen."), "success")
            return redirect(url_for("inspections.detail", park_id=park.id, inspection_id=finding.inspection_id))
    return _finding_page(park, finding, form, photo_form, 400 if form.csrf_failed else 422)


@bp.route("/bevindingen/<int:finding_id>/verwijderen", methods=["POST"])
@requires("inspections.edit", load=load_finding)
def delete_finding(loaded: InPark[Finding]):
    park, finding = loaded.park, loaded.obj
    return _deletion(
        lambda: inspections.delete_finding(current_actor(), finding),
        _("De bevinding is verwijderd."),
        done_to=url_for("inspections.detail", park_id=park.id, inspection_id=finding.inspection_id),
        refused_to=url_for("inspections.finding", park_id=park.id, finding_id=finding.id),
    )


@bp.route("/bevindingen/<int:finding_id>/status", methods=["POST"])
@requires("inspections.edit", load=load_finding)
def finding_status(loaded: InPark[Finding]):
    park, finding = loaded.park, loaded.obj
    return button_action(
        lambda: inspections.set_status(current_actor(), finding, request.form.get("status", ""), today=local_today()),
        lambda changed: (
            _("De bevinding is opgelost.")
            if changed.status == FindingStatus.RESOLVED
            else _("De bevinding staat weer open.")
        ),
        url_for("inspections.detail", park_id=park.id, inspection_id=finding.inspection_id),
    )


@bp.route("/bevindingen/<int:finding_id>/actie", methods=["POST"])
@requires("plans.edit", load=load_finding)
def make_action(loaded: InPark[Finding]):
    park, finding = loaded.park, loaded.obj
    return button_action(
        lambda: inspections.make_action(current_actor(), finding, today=local_today()),
        lambda action: _("De actie %(title)s staat in het uitvoeringsplan.", title=action.title),
        url_for("inspections.finding", park_id=park.id, finding_id=finding.id),
    )


# --- photos ----------------------------------------------------------------------------------------------------


@bp.route("/bevindingen/<int:finding_id>/fotos", methods=["POST"])
@requires("inspections.edit", load=load_finding)
def upload_photo(loaded: InPark[Finding]):
    park, finding = loaded.park, loaded.obj
    photo_form = PhotoForm()
    if photo_form.validate_on_submit():
        upload = photo_form.photo.data
        data = upload.stream.read(images.read_limit())
        done = submit(
            photo_form,
            lambda: photos.add_photo(current_actor(), finding, filename=upload.filename, data=data),
            field=photo_form.photo,
            undo=lambda photo: photos.remove_files([photo.stored_name]),
        )
        if done.ok:
            flash(_("De foto is toegevoegd."), "success")
            return redirect(url_for("inspections.finding", park_id=park.id, finding_id=finding.id, _anchor="fotos"))
    return _finding_page(park, finding, None, photo_form, 422)


@bp.route("/fotos/<int:photo_id>")
@requires("inventory.view", load=load_photo)
def photo(loaded: InPark[FindingPhoto]):
    photo = loaded.obj
    return send_stored(
        photos.read(photo),
        mimetype=images.CONTENT_TYPE,
        download_name=photos.download_name(photo),
        as_attachment=False,
    )


@bp.route("/fotos/<int:photo_id>/verwijderen", methods=["POST"])
@requires("inspections.edit", load=load_photo)
def delete_photo(loaded: InPark[FindingPhoto]):
    park, photo = loaded.park, loaded.obj
    back = url_for("inspections.finding", park_id=park.id, finding_id=photo.finding_id, _anchor="fotos")
    return _deletion(
        lambda: [photos.delete_photo(current_actor(), photo)],
        _("De foto is verwijderd."),
        done_to=back,
        refused_to=back,
    )
