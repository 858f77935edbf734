"""The legal frame of a park's camera network: the compliance panel, its dates, technology changes and PDFs."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.cameras import legal
from app.cameras.footage import network_of
from app.cameras.legal_forms import DocumentForm, FrameForm, TechnologyChangeForm
from app.cameras.models import CameraNetwork, DocumentKind, NetworkDocument
from app.cameras.pages import confirm_page, confirmed
from app.clock import local_today
from app.forms import Form, form_view, render_form, run_button, submit
from app.parks.loading import InPark, load_in_park, load_park
from app.parks.models import Park
from app.uploads import send_stored

bp = Blueprint("camera_legal", __name__, url_prefix="/parken/<int:park_id>/cameras/kader")


def load_document(park_id: int, document_id: int) -> InPark[NetworkDocument]:
    return load_in_park(NetworkDocument, park_id, document_id, lambda doc, park: doc.network.park_id == park.id)


def _network_for_form(park: Park) -> CameraNetwork | None:
    """The park's network; a 404 for a form page of a park without one (a post still gets its CSRF check first,
    then a message)."""
    network = network_of(park)
    if network is None and request.method != "POST":
        abort(404)
    return network


def _ready(form: Form, network: CameraNetwork | None) -> bool:
    """Whether the form was posted valid for a park with a network; without one the message goes on the form."""
    if not form.validate_on_submit():
        return False
    if network is None:
        form.form_errors.append(_("Dit park heeft nog geen cameranetwerk."))
        return False
    return True


@bp.route("/")
@requires("cameras.view", load=load_park)
def index(park: Park):
    network = network_of(park)
    items = legal.compliance(network, local_today()) if network else []
    return render_template("cameras/legal/index.html", park=park, network=network, items=items)


@bp.route("/data", methods=["GET", "POST"])
@requires("cameras.edit", load=load_park)
@form_view
def edit(park: Park):
    network = _network_for_form(park)
    form = FrameForm(obj=network)
    if _ready(form, network):
        dates = {name: getattr(form, name).data for name in legal.DATE_FIELDS}
        saved = submit(form, lambda: legal.update_frame(current_actor(), network, dates=dates, today=local_today()))
        if saved.ok:
            flash(_("Het juridisch kader is opgeslagen."), "success")
            return redirect(url_for("camera_legal.index", park_id=park.id))
    return render_form("cameras/legal/edit.html", form, park=park)


@bp.route("/technologie", methods=["GET", "POST"])
@requires("cameras.edit", load=load_park)
@form_view
def technology(park: Park):
    network = _network_for_form(park)
    form = TechnologyChangeForm()
    if _ready(form, network):
        added = submit(
            form,
            lambda: legal.add_technology_change(
                current_actor(),
                network,
                changed_on=form.changed_on.data,
                description=form.description.data,
                today=local_today(),
            ),
        )
        if added.ok:
            flash(_("De wijziging is vastgelegd. Er is nu een nieuwe DPIA nodig."), "success")
            return redirect(url_for("camera_legal.index", park_id=park.id))
    return render_form("cameras/legal/technology.html", form, park=park)


@bp.route("/documenten/nieuw", methods=["GET", "POST"])
@requires("cameras.edit", load=load_park)
@form_view
def upload(park: Park):
    network = _network_for_form(park)
    form = DocumentForm()
    if _ready(form, network):
        try:
            kind = DocumentKind(form.kind.data)
        except ValueError:
            form.kind.errors = [*form.kind.errors, _("Kies een soort document.")]
        else:
            upload = form.file.data
            data = upload.stream.read(legal.read_limit())
            done = submit(
                form,
                lambda: legal.add_document(current_actor(), network, kind=kind, filename=upload.filename, data=data),
                field=form.file,
                undo=lambda document: legal.remove_files([document.stored_name]),
            )
            if done.ok:
                flash(_("Het document is toegevoegd."), "success")
                return redirect(url_for("camera_legal.index", park_id=park.id))
    return render_form("cameras/legal/upload.html", form, park=park)


@bp.route("/documenten/<int:document_id>")
@requires("cameras.view", load=load_document)
def document(loaded: InPark[NetworkDocument]):
    document = loaded.obj
    return send_stored(
        legal.read(document),
        mimetype=legal.CONTENT_TYPE,
        download_name=legal.download_name(document),
        as_attachment=True,
    )


@bp.route("/documenten/<int:document_id>/verwijderen", methods=["POST"])
@requires("cameras.edit", load=load_document)
def delete_document(loaded: InPark[NetworkDocument]):
    park, document = loaded.park, loaded.obj
    if not confirmed():
        return confirm_page(
            park,
            heading=_("Document verwijderen"),
            question=_(
                "Wilt u %(name)s (%(kind)s) verwijderen?", name=document.original_name, kind=document.kind.label
            ),
            consequence=_("Het bestand wordt gewist en kan niet worden teruggehaald."),
            confirm_label=_("Ja, %(name)s verwijderen", name=document.original_name),
            action=url_for("camera_legal.delete_document", park_id=park.id, document_id=document.id),
            fields={},
            cancel_url=url_for("camera_legal.index", park_id=park.id),
        )
    done = run_button(lambda: legal.delete_document(current_actor(), document))
    if done.ok:
        legal.remove_files([done.value])
        flash(_("Het document is verwijderd."), "success")
    return redirect(url_for("camera_legal.index", park_id=park.id))
