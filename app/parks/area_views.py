"""The park's area on the map: draw, edit or upload the boundary (step 1)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import TextAreaField

from app.auth.decorators import requires
from app.auth.policy import can
from app.errors import DomainError
from app.forms import Form, form_view, render_form, submit
from app.parks.area import set_area, summarize
from app.parks.loading import load_park
from app.parks.models import Park

bp = Blueprint("area", __name__, url_prefix="/parken/<int:park_id>/gebied")

MAX_UPLOAD_MB = 2
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
UPLOAD_SUFFIXES = (".geojson", ".json")
# The pasted or drawn GeoJSON is a plain form field; Flask's default limit for one (500 kB) is too small for
# a detailed boundary, so this page allows as much as an uploaded file. Larger bodies get a 413.
MAX_FIELD_BYTES = MAX_UPLOAD_BYTES


class AreaForm(Form):
    geojson = TextAreaField(
        _l("Gebied als GeoJSON"),
        description=_l(
            "Een GeoJSON-geometrie (Polygon of MultiPolygon), Feature of FeatureCollection in WGS84 "
            "(lengte- en breedtegraden). De kaart vult dit veld terwijl u tekent; u kunt ook zelf GeoJSON plakken."
        ),
        render_kw={"rows": 6, "spellcheck": "false"},
    )
    upload = FileField(
        _l("Of kies een GeoJSON-bestand"),
        description=_l(
            "Een .geojson- of .json-bestand van hoogstens %(mb)s MB. Een gekozen bestand gaat voor op het tekstveld.",
            mb=MAX_UPLOAD_MB,
        ),
        render_kw={"accept": ".geojson,.json,application/geo+json,application/json"},
    )


@bp.get("/")
@requires("park.view", load=load_park)
def edit(park: Park):
    if not can(current_user, "park.area.edit", park):
        return _page(park, None)
    return _page(park, AreaForm(geojson=json.dumps(park.area) if park.area else ""))


@bp.post("/")
@requires("park.area.edit", load=load_park)
@form_view
def save(park: Park):
    request.max_form_memory_size = MAX_FIELD_BYTES
    form = AreaForm()
    upload = form.upload.data
    if (
        form.validate_on_submit()
        and submit(
            form,
            lambda: set_area(current_user, park, _submitted_geojson(form), now=datetime.now(UTC)),
            field=form.upload if upload else form.geojson,
        ).ok
    ):
        flash(_("Het gebied is opgeslagen."), "success")
        return redirect(url_for("area.edit", park_id=park.id))
    return _page(park, form)


def _submitted_geojson(form: AreaForm) -> str:
    """The uploaded file's text when a file was chosen, else the text field's; DomainError when unusable."""
    if form.upload.data:
        return _read_upload(form.upload.data)
    text = form.geojson.data or ""
    if not text.strip():
        raise DomainError(_("Teken een gebied op de kaart, plak GeoJSON of kies een bestand."))
    return text


def _read_upload(upload: FileStorage) -> str:
    if not (upload.filename or "").lower().endswith(UPLOAD_SUFFIXES):
        raise DomainError(_("Kies een bestand dat eindigt op .geojson of .json."))
    data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(_("Het bestand is groter dan %(mb)s MB.", mb=MAX_UPLOAD_MB))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            _("Het bestand is geen tekst in UTF-8. Sla het op als GeoJSON (UTF-8) en probeer het opnieuw.")
        ) from None


def _page(park: Park, form: AreaForm | None):
    context = {"park": park, "area": park.area, "summary": summarize(park.area)}
    if form is None:
        return render_template("parks/area.html", form=None, **context)
    return render_form("parks/area.html", form, **context)
